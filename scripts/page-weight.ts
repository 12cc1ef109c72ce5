/**
 * Page weight on a weak mobile connection: bytes on the wire and load time of the learner's pages in
 * real Chromium, with the network held to 400 kbit/s each way and 400 ms latency (CDP network
 * emulation), cache off, at phone width, signed in as the demo learner.
 *
 *   npm run build && npm run page-weight            # starts the built server on a fresh demo database
 *   npm run page-weight -- --base http://host:4321  # measures a running demo server instead
 *   npm run page-weight -- --identity               # asks for no compression (the figures "before")
 *   npm run page-weight -- --verbose                # lists every response and its bytes
 *
 * Bytes are what crossed the network (compressed bodies and headers, CDP encodedDataLength); the
 * lesson video itself is not counted (it streams as the learner watches). "Video lesson, player" is
 * the same page once the learner reaches for the video and the player loads. Load time is from the
 * start of navigation to the load event. Figures go into docs/performance.md; this is a measurement,
 * not a test: nothing fails on a number.
 */
import { get } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { chromium, type Page } from 'playwright-core';
import { CHROMIUM, DEMO_PASSWORD, startDemoServer } from './demo-server';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const option = (name: string) => (args.indexOf(name) >= 0 ? args[args.indexOf(name) + 1] : undefined);
const SLOW = { offline: false, latency: 400, downloadThroughput: (400 * 1000) / 8, uploadThroughput: (400 * 1000) / 8 };
const COURSE = 'ethics-conflict-of-interest';
const LANG = option('--lang') ?? 'ky';

type Figure = { page: string; path: string; bytes: number; requests: number; loadMs: number };

async function measure(page: Page, label: string, path: string, then?: (page: Page) => Promise<void>): Promise<Figure> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', SLOW);
  if (flag('--identity')) await cdp.send('Network.setExtraHTTPHeaders', { headers: { 'accept-encoding': 'identity' } });
  const video = new Set<string>();
  const urls = new Map<string, string>();
  cdp.on('Network.requestWillBeSent', (e: { requestId: string; request: { url: string } }) => urls.set(e.requestId, e.request.url));
  let bytes = 0;
  let requests = 0;
  cdp.on('Network.responseReceived', (e: { requestId: string; response: { mimeType: string } }) => {
    if (e.response.mimeType.startsWith('video/')) video.add(e.requestId);
  });
  cdp.on('Network.loadingFinished', (e: { requestId: string; encodedDataLength: number }) => {
    if (video.has(e.requestId)) return;
    bytes += e.encodedDataLength;
    requests++;
    if (flag('--verbose')) console.log(`  ${label}: ${e.encodedDataLength} B ${urls.get(e.requestId)}`);
  });
  await page.goto(path, { waitUntil: 'load', timeout: 120_000 });
  const loadMs = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    return Math.round(nav.loadEventEnd - nav.startTime);
  });
  if (then) await then(page);
  await page.waitForLoadState('networkidle', { timeout: 120_000 });
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  await cdp.detach();
  return { page: label, path, bytes, requests, loadMs };
}

/** Body bytes on the wire of one GET, as sent for the given Accept-Encoding (not decompressed). */
function wireBytes(url: string, encoding: string): Promise<{ bytes: number; text: string }> {
  return new Promise((resolve, reject) => {
    get(url, { headers: { 'accept-encoding': encoding } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        const enc = res.headers['content-encoding'];
        const text = enc === 'br' ? brotliDecompressSync(body).toString() : enc === 'gzip' ? gunzipSync(body).toString() : body.toString();
        resolve({ bytes: body.length, text });
      });
    }).on('error', reject);
  });
}

/** What the service worker downloads when it installs: its script and the files it precaches. */
async function serviceWorkerBytes(base: string, encoding: string): Promise<{ script: number; precache: number; files: number }> {
  const sw = await wireBytes(`${base}/sw.js`, encoding);
  const urls = [...sw.text.matchAll(/url:"([^"]+)"/g)].map((m) => m[1]!);
  let precache = 0;
  for (const u of urls) precache += (await wireBytes(`${base}/${u.replace(/^\//, '')}`, encoding)).bytes;
  return { script: sw.bytes, precache, files: urls.length };
}

async function main() {
  const given = option('--base');
  const server = given ? { base: given, stop: () => {} } : await startDemoServer();
  const browser = await chromium.launch(CHROMIUM);
  try {
    // The service worker is blocked: through it, a page's requests would not show on the page's network
    // (and the figure is the first visit's). What installing it costs is measured below, on its own.
    const context = await browser.newContext({ baseURL: server.base, viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, serviceWorkers: 'block' });
    const page = await context.newPage();
    const figures: Figure[] = [];
    figures.push(await measure(page, 'Sign-in page', `/${LANG}/login`));
    await page.fill('#email', 'learner@demo.kg');
    await page.fill('#password', DEMO_PASSWORD);
    await Promise.all([page.waitForURL(`**/${LANG}/`), page.locator('main form button[type=submit]').click()]);
    await page.request.post(`/api/courses/${COURSE}/enrolments`, { headers: { origin: server.base } });
    figures.push(await measure(page, 'Home (signed in)', `/${LANG}/`));
    figures.push(await measure(page, 'Catalog', `/${LANG}/courses`));
    figures.push(await measure(page, 'Course page', `/${LANG}/courses/${COURSE}`));
    figures.push(await measure(page, 'Text lesson', `/${LANG}/courses/${COURSE}/lessons/02-principles-of-conduct`));
    const videoLesson = `/${LANG}/courses/${COURSE}/lessons/04-what-is-conflict-of-interest`;
    figures.push(await measure(page, 'Video lesson, before the video starts', videoLesson));
    figures.push(
      await measure(page, 'Video lesson, with the player loaded', videoLesson, async (p) => {
        await p.locator('video').hover({ force: true });
        await p.waitForSelector('.video-js .vjs-control-bar', { timeout: 120_000 }).catch(() => undefined);
      }),
    );
    figures.push(await measure(page, 'My learning', `/${LANG}/my`));
    figures.push(await measure(page, 'Training record', `/${LANG}/my/record`));
    const encoding = flag('--identity') ? 'no compression (Accept-Encoding: identity)' : 'compression as the browser asks (br, gzip)';
    console.log(`\nPage weight at 400 kbit/s, 400 ms latency, 390 px, cache off; ${encoding}\n`);
    console.log('| page | on the wire | requests | load |');
    console.log('|---|---:|---:|---:|');
    for (const f of figures) console.log(`| ${f.page} (\`${f.path}\`) | ${(f.bytes / 1024).toFixed(1)} KB | ${f.requests} | ${(f.loadMs / 1000).toFixed(1)} s |`);
    const sw = await serviceWorkerBytes(server.base, flag('--identity') ? 'identity' : 'br, gzip');
    console.log(`\nInstalling the service worker, once, in the background after the first page: sw.js ${(sw.script / 1024).toFixed(1)} KB and ${sw.files} precached files ${(sw.precache / 1024).toFixed(1)} KB on the wire (bodies)`);
  } finally {
    await browser.close();
    server.stop();
  }
}

await main();
