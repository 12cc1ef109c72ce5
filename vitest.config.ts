import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';
import { TEST_WORKERS } from './tests/workers';

/** The import aliases of tsconfig.json, for the test runner (Astro and tsx read tsconfig.json itself). */
const alias = Object.fromEntries(
  ['server', 'db', 'site', 'locales', 'scripts'].map((folder) => [`@${folder}`, fileURLToPath(new URL(`./${folder}`, import.meta.url))]),
);

export default defineConfig({
  resolve: { alias },
  test: {
    reporters: ['default', './tests/summary-reporter.ts'],
    // API and browser files share one pool (see tests/workers.ts)
    maxWorkers: TEST_WORKERS,
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'api',
          // the hook providers (server/modules/providers.ts), as every entry point loads them
          setupFiles: ['server/modules/providers.ts'],
          // each question kind's own tests sit in its folder (server/modules/quiz/types/<kind>/<kind>.test.ts)
          include: ['tests/**/*.test.ts', 'server/modules/quiz/types/*/*.test.ts'],
          exclude: ['tests/browser/**'],
          // Not a speed limit: a test that signs in, builds PDFs or calls every route can take several
          // seconds on a busy two-core machine; 5 s (the default) failed them there.
          testTimeout: 20_000,
          // Each test file gets its own fresh, migrated in-memory database (db/client.ts).
          env: { DATABASE_URL: ':memory:', NODE_ENV: 'test', PUBLIC_URL: 'http://localhost' },
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'browser',
          setupFiles: ['server/modules/providers.ts'],
          include: ['tests/browser/**/*.test.ts'],
          globalSetup: ['tests/browser/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
