import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    reporters: ['default', './tests/summary-reporter.ts'],
    projects: [
      {
        test: {
          name: 'api',
          include: ['tests/**/*.test.ts'],
          exclude: ['tests/browser/**'],
          // Each test file gets its own fresh, migrated in-memory database (db/client.ts).
          env: { DATABASE_URL: ':memory:', NODE_ENV: 'test', PUBLIC_URL: 'http://localhost' },
        },
      },
      {
        test: {
          name: 'browser',
          include: ['tests/browser/**/*.test.ts'],
          globalSetup: ['tests/browser/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // One Chromium at a time: the CI machine has two cores.
          fileParallelism: false,
        },
      },
    ],
  },
});
