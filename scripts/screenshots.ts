/**
 * The role guides' screenshots (docs/guides/img), made from the running app in real Chromium so they
 * never go stale: a fresh demo database, the state the guides describe made through the API
 * (scripts/screenshot-list.ts), then one picture per page, Kyrgyz interface.
 *
 *   npm run build && npm run screenshots
 */
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { CHROMIUM, startDemoServer } from './demo-server';
import { prepare, SHOTS, signIn, type Role } from './screenshot-list';

const OUT = 'docs/guides/img';

async function main() {
  mkdirSync(OUT, { recursive: true });
  const server = await startDemoServer();
  const browser = await chromium.launch(CHROMIUM);
  try {
    const prepared = await prepare(server.base);
    const cookies = new Map<Role, string>();
    for (const shot of SHOTS) {
      const context = await browser.newContext({
        baseURL: server.base,
        viewport: shot.phone ? { width: 390, height: 844 } : { width: 1280, height: 860 },
        ...(shot.phone ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}),
      });
      if (shot.role) {
        if (!cookies.has(shot.role)) cookies.set(shot.role, await signIn(server.base, shot.role));
        const [name, value] = cookies.get(shot.role)!.split('=') as [string, string];
        await context.addCookies([{ name, value, url: server.base }]);
      }
      const page = await context.newPage();
      const res = await page.goto(shot.path(prepared), { waitUntil: 'networkidle' });
      if (res?.status() !== 200) throw new Error(`${shot.name}: ${shot.path(prepared)} answered ${res?.status()}`);
      await page.screenshot({ path: `${OUT}/${shot.name}.png` });
      console.log(`${OUT}/${shot.name}.png  ${shot.path(prepared)}`);
      await context.close();
    }
  } finally {
    await browser.close();
    server.stop();
  }
}

await main();
