// @ts-check
import { defineConfig } from 'astro/config';
import node from '@astrojs/node';
import solid from '@astrojs/solid-js';

export default defineConfig({
  srcDir: './site',
  publicDir: './site/public',
  output: 'server',
  adapter: node({ mode: 'standalone' }),
  integrations: [solid()],
  server: { port: Number(process.env.PORT) || 4321, host: process.env.HOST || 'localhost' },
  // Astro's own check refuses cross-site form posts to pages; the API checks Origin itself.
  security: { checkOrigin: true },
  // The site must stay small: no prefetching of pages the reader may never open.
  prefetch: false,
  devToolbar: { enabled: false },
  vite: {
    // Native and server-only packages stay outside the bundle.
    ssr: { external: ['better-sqlite3', '@node-rs/argon2'] },
  },
});
