import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';
import { TEST_WORKERS } from './tests/workers';

/** The import aliases of tsconfig.json, for the test runner (Astro and tsx read tsconfig.json itself). */
const alias = Object.fromEntries(
  ['server', 'db', 'site', 'locales', 'scripts', 'tests'].map((folder) => [`@${folder}`, fileURLToPath(new URL(`./${folder}`, import.meta.url))]),
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
          // The files of a worker share its modules: loading the server anew for each file cost about
          // 1.1 s a file (97 files). Each still begins on a fresh database, with the hook providers
          // loaded and the environment as it was (tests/api-setup.ts); what a module keeps belongs to
          // one database (db/statements.ts), tests/api/shared-modules.test.ts.
          setupFiles: ['tests/api-setup.ts'],
          isolate: false,
          // each question kind's own tests sit in its folder (server/modules/quiz/types/<kind>/<kind>.test.ts)
          include: ['tests/**/*.test.ts', 'server/modules/quiz/types/*/*.test.ts'],
          exclude: ['tests/browser/**'],
          // Not a speed limit: a test that signs in, builds PDFs or calls every route can take several
          // seconds on a busy two-core machine; 5 s (the default) failed them there.
          testTimeout: 20_000,
          // Each test file gets its own fresh, migrated in-memory database (tests/api-setup.ts, db/client.ts).
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
