// @ts-check
import { defineConfig } from 'astro/config';
import node from '@astrojs/node';
import solid from '@astrojs/solid-js';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import { generateHydrationScript } from 'solid-js/web';

/** The CSP hash of the inline script @astrojs/solid-js writes before the first island. */
function solidHydrationHash() {
  const body = generateHydrationScript().replace(/^<script[^>]*>/, '').replace(/<\/script>[\s\S]*$/, '');
  return `sha256-${createHash('sha256').update(body).digest('base64')}`;
}
import { precompress } from './scripts/precompress.mjs';
import { writeServiceWorker } from './scripts/service-worker.mjs';

/**
 * The Node adapter, with server/entry.ts as its server entrypoint: the production server sends
 * /api/ straight to Hono and the rest to Astro (why: see that file).
 */
function nodeWithBilimEntry() {
  const integration = node({ mode: 'standalone' });
  const configDone = integration.hooks['astro:config:done'];
  integration.hooks['astro:config:done'] = (params) =>
    configDone({
      ...params,
      setAdapter: (adapter) => params.setAdapter({ ...adapter, serverEntrypoint: fileURLToPath(new URL('./server/entry.ts', import.meta.url)) }),
    });
  return integration;
}

/** Writes .br and .gz beside the built static text files (served by server/lib/precompressed.ts). */
function precompressStatic() {
  let client = '';
  return {
    name: 'bilim-precompress',
    hooks: {
      'astro:config:done': ({ config }) => {
        client = fileURLToPath(config.build.client);
      },
      'astro:build:done': async ({ logger }) => {
        // the service worker first (workbox-build), so that it is precompressed as well
        const sw = await writeServiceWorker(client);
        logger.info(`service worker: ${sw.count} files precached (${Math.round(sw.size / 1024)} KB)`);
        logger.info(`precompressed ${precompress(client)} static files (brotli, gzip)`);
      },
    },
  };
}

export default defineConfig({
  srcDir: './site',
  publicDir: './site/public',
  output: 'server',
  adapter: nodeWithBilimEntry(),
  integrations: [solid(), precompressStatic()],
  server: { port: Number(process.env.PORT) || 4321, host: process.env.HOST || 'localhost' },
  // Astro compares Origin with a URL built from an allow-list of host names; the platform runs under
  // any host name, so site/middleware.ts checks Origin against the Host header instead (as the API does).
  security: { checkOrigin: false },
  // The site must stay small: no prefetching of pages the reader may never open.
  prefetch: false,
  devToolbar: { enabled: false },
  // Astro hashes every inline script it writes (island loader, client directives, small hoisted
  // scripts) into a per-page script-src; site/middleware.ts puts that into the one
  // Content-Security-Policy (server/lib/http.ts), which never allows 'unsafe-inline' for scripts.
  // Solid's hydration bootstrap (an inline script its renderer writes, unknown to Astro) is added by
  // its hash, computed here from the installed solid-js, so an upgrade cannot silently break islands.
  experimental: { csp: { algorithm: 'SHA-256', scriptDirective: { hashes: [solidHydrationHash()] } } },
  vite: {
    // Native and server-only packages stay outside the bundle.
    ssr: { external: ['better-sqlite3', '@node-rs/argon2', 'pdfkit', 'dejavu-fonts-ttf'] },
  },
});
