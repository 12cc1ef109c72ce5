/**
 * How many test files run at once; API and browser files share the pool. Three on the two-core CI
 * machine: the browser files spend much of their time waiting (on Chromium, on a server, on a video
 * playing), so a third file fills the gaps. Measured on 2026-12-04, back to back on the quiet machine
 * with the headless shell: 2 workers 5 min 09 s, 3 workers 4 min 16 s, 4 workers 4 min 18 s (the
 * full browser, the session before, was slower with 3 than with 2). With the API files sharing their
 * worker's modules (2026-12-04): 3 workers 3 min 35 s–3 min 48 s, 4 workers 3 min 35 s and 4 min 13 s. Each worker running a browser file
 * has its own server (tests/browser/global-setup.ts starts this many). TEST_WORKERS overrides it.
 */
export const TEST_WORKERS = Number(process.env.TEST_WORKERS) || 3;
