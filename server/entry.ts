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
import cluster from 'node:cluster';
import http from 'node:http';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { constants as zlibConstants } from 'node:zlib';
import compression from 'compression';
import { getRequestListener } from '@hono/node-server';
import { createExports as astroNodeExports } from '@astrojs/node/server.js';
import type { SSRManifest } from 'astro';
import { getDb } from '../db/client';
import { app } from './app';
import { clientAddress, requestIsHttps } from './lib/client';
import { startBackgroundJobs } from './jobs';
import { precompressedStatic } from './lib/precompressed';
import { contentApp } from './modules/scorm/content';
import { isContentHost } from './modules/scorm/launch';

type Options = Parameters<typeof astroNodeExports>[1];

/** What Astro's generated entry re-exports (handler, options, startServer): the Node adapter's, unchanged. */
export { astroNodeExports as createExports };

/**
 * SERVER_PROCESSES=N (default 1) serves with N processes on one port (node:cluster): a Node process
 * runs its JavaScript on one core, and on exam day the API needs more than one. They share the
 * database through SQLite's WAL (writes take turns on its lock; each process groups its own commits),
 * and every in-process cache is checked against the database (catalog generation, quiz version), so
 * any process sees another's writes at once. The first process migrates the database, runs the
 * background jobs and starts the others; it serves no requests itself.
 */
const PROCESSES = Math.max(1, Math.floor(Number(process.env.SERVER_PROCESSES) || 1));

/** Called by the generated entry on start-up: one HTTP server for the API and the site. */
export function start(manifest: SSRManifest, options: Options) {
  if (cluster.isPrimary && PROCESSES > 1) return startProcesses();
  const site = astroNodeExports(manifest, { ...options, mode: 'standalone' }).handler as http.RequestListener;
  const api = getRequestListener((request, env) => app.fetch(request, { ip: String(env.incoming.headers['x-forwarded-for']) }));
  const content = getRequestListener((request) => contentApp.fetch(request));
  const handle = (req: http.IncomingMessage, res: http.ServerResponse) => {
    // SCORM package content (server/modules/scorm/content.ts): with CONTENT_ORIGIN set, its host serves nothing else.
    if (req.url?.startsWith('/scorm-content/')) return content(req, res);
    if (isContentHost(req.headers.host)) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found');
      return;
    }
    return req.url?.startsWith('/api/') ? api(req, res) : site(req, res);
  };
  const staticFile = precompressedStatic(clientDir(options));
  const server = http.createServer((req, res) => {
    trustOnlyOurConclusions(req);
    // Reads get compressed answers; writes (every exam-day answer save) skip the compressor: their answers are a few bytes.
    if (req.method !== 'GET' && req.method !== 'HEAD') return handle(req, res);
    if (staticFile(req, res)) return;
    compress(req, res, () => handle(req, res));
  });
  const port = Number(process.env.PORT) || options.port || 4321;
  const host = process.env.HOST ?? (typeof options.host === 'string' ? options.host : options.host ? '0.0.0.0' : 'localhost');
  // CONTENT_PORT: the same server also listens there, for a content origin on another port (tests, a proxy).
  const contentPort = Number(process.env.CONTENT_PORT) || 0;
  if (contentPort) {
    const contentServer = http.createServer((req, res) => {
      trustOnlyOurConclusions(req);
      handle(req, res);
    });
    contentServer.listen(contentPort, host);
    process.once('SIGTERM', () => contentServer.close());
  }
  server.listen(port, host, () => {
    if (cluster.isPrimary) console.log(`Bilim listening on http://${host}:${port}`);
    else process.send?.('listening');
  });
  if (cluster.isPrimary) startBackgroundJobs();
  // SIGTERM (systemd stop, the bench) ends with a normal exit once requests in flight are answered,
  // so nothing acknowledged is cut off and `node --cpu-prof` can write its profile.
  process.once('SIGTERM', () => {
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 5_000).unref();
  });
}

/**
 * The client's address and scheme, decided once per request by server/lib/client.ts (the socket, or
 * a trusted proxy's word), replace whatever X-Forwarded-For and X-Forwarded-Proto the client sent.
 * So the pages (Astro.clientAddress reads X-Forwarded-For) and the API see the same address, and
 * nobody chooses their own address or claims HTTPS by sending a header.
 */
function trustOnlyOurConclusions(req: http.IncomingMessage): void {
  const socket = req.socket.remoteAddress;
  const https = requestIsHttps(socket, req.headers['x-forwarded-proto']);
  const ip = clientAddress(socket, req.headers['x-forwarded-for']);
  req.headers['x-forwarded-for'] = ip;
  if (https) req.headers['x-forwarded-proto'] = 'https';
  else delete req.headers['x-forwarded-proto'];
  // Astro reads req.headers, @hono/node-server req.rawHeaders: both must say the same.
  const raw: string[] = [];
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i]!.toLowerCase();
    if (name !== 'x-forwarded-for' && name !== 'x-forwarded-proto') raw.push(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
  }
  raw.push('x-forwarded-for', ip);
  if (https) raw.push('x-forwarded-proto', 'https');
  req.rawHeaders = raw;
}

/**
 * Pages, API JSON, SVG and captions are compressed as they are sent (brotli when the browser takes
 * it, else gzip; the `compression` package picks by Accept-Encoding and the content type), so pages
 * are small on a weak connection without a proxy in front. Static build files come precompressed
 * (server/lib/precompressed.ts). Byte ranges (video, captions) are sent as they are.
 */
const compress = compression({
  threshold: 1024,
  // quality 5: a few milliseconds per page, most of the gain of 11 (which the build uses for static files)
  brotli: { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 5 } },
  filter: (req, res) => !req.headers.range && compression.filter(req, res),
}) as unknown as (req: http.IncomingMessage, res: http.ServerResponse, next: () => void) => void;

/** The build's client folder (static files), found beside the server folder like the Node adapter does. */
function clientDir(options: Options): string {
  const rel = relative(fileURLToPath(options.server), fileURLToPath(options.client));
  const serverFolder = basename(fileURLToPath(options.server));
  let dir = dirname(fileURLToPath(import.meta.url));
  while (basename(dir) !== serverFolder && dirname(dir) !== dir) dir = dirname(dir);
  return join(dir, rel);
}

function startProcesses(): void {
  getDb(); // migrations run here, once, before any serving process opens the database
  let stopping = false;
  let listening = 0;
  const fork = () =>
    cluster.fork().on('message', (m) => {
      if (m === 'listening' && ++listening === PROCESSES) console.log(`Bilim listening on port ${process.env.PORT ?? ''} with ${PROCESSES} processes`);
    });
  for (let i = 0; i < PROCESSES; i++) fork();
  // A serving process that dies (a crash, the kernel's OOM killer) is replaced at once.
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    console.error(`serving process ${worker.process.pid} ended (${signal ?? code}); starting another`);
    fork();
  });
  startBackgroundJobs();
  process.once('SIGTERM', () => {
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
    cluster.on('exit', () => {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
    });
    setTimeout(() => process.exit(0), 6_000).unref();
  });
}
