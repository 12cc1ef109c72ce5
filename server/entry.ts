/**
 * The production server (`node dist/server/entry.mjs`): Astro's build bundles this module as the
 * Node adapter's server entrypoint (see astro.config.mjs), so it shares one module graph — one
 * database connection, one set of timers — with the pages.
 *
 * Requests under /api/ go straight to the Hono app through @hono/node-server; everything else
 * (pages, static files) to Astro's standalone handler. Passing the API through Astro's page pipeline
 * (Request objects built from Node's, routing, middleware, a render context) halved the requests a
 * core could serve, and on an exam day every answer save is an API request.
 * In `astro dev` this module is not used: site/pages/api/[...path].ts serves the API instead.
 */
import http from 'node:http';
import { getRequestListener } from '@hono/node-server';
import { createExports as astroNodeExports } from '@astrojs/node/server.js';
import type { SSRManifest } from 'astro';
import { app } from './app';
import { startBackgroundJobs } from './jobs';

type Options = Parameters<typeof astroNodeExports>[1];

/** What Astro's generated entry re-exports (handler, options, startServer), unchanged. */
export function createExports(manifest: SSRManifest, options: Options) {
  return astroNodeExports(manifest, options);
}

/** Called by the generated entry on start-up: one HTTP server for the API and the site. */
export function start(manifest: SSRManifest, options: Options) {
  const site = astroNodeExports(manifest, { ...options, mode: 'standalone' }).handler as http.RequestListener;
  const api = getRequestListener((request, env) => app.fetch(request, { ip: env.incoming.socket.remoteAddress }));
  const server = http.createServer((req, res) => (req.url?.startsWith('/api/') ? api(req, res) : site(req, res)));
  const port = Number(process.env.PORT) || options.port || 4321;
  const host = process.env.HOST ?? (typeof options.host === 'string' ? options.host : options.host ? '0.0.0.0' : 'localhost');
  server.listen(port, host, () => console.log(`Bilim listening on http://${host}:${port}`));
  startBackgroundJobs();
  // SIGTERM (systemd stop, the bench) ends with a normal exit once requests in flight are answered,
  // so nothing acknowledged is cut off and `node --cpu-prof` can write its profile.
  process.once('SIGTERM', () => {
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 5_000).unref();
  });
}
