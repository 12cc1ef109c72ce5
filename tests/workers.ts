/**
 * How many test files run at once; API and browser files share the pool. Two on the two-core CI
 * machine (measured: three workers made the run slower, 10 min against 8.4, as Chromium and the
 * servers fought for the cores). Each worker running a browser file has its own server
 * (tests/browser/global-setup.ts starts this many). TEST_WORKERS overrides it on a bigger machine.
 */
export const TEST_WORKERS = Number(process.env.TEST_WORKERS) || 2;
