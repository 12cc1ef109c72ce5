// @ts-check
import { defineConfig } from 'astro/config';
import node from '@astrojs/node';
import solid from '@astrojs/solid-js';
import { fileURLToPath } from 'node:url';
import { precompress } from './scripts/precompress.mjs';

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
      'astro:build:done': ({ logger }) => {
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
  vite: {
    // Native and server-only packages stay outside the bundle.
    ssr: { external: ['better-sqlite3', '@node-rs/argon2', 'pdfkit', 'dejavu-fonts-ttf'] },
  },
});
