/**
 * The start every page shares (openPage, site/lib/page.ts): a language that is not ky or ru → 404;
 * signed out on a page that needs sign-in → 303 to the sign-in page with the address to come back to;
 * signed in without the page's role → 403 with the Forbidden page in the page's language, at the same
 * address (the pages that used to answer a plain-text 403 included); with the role → the page.
 * The POSTs of every page are checked by page-access.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { baseURL, launch, seriousViolations, signedInPage } from './browser';
import { signIn, type Role } from '@scripts/screenshot-list';
import ky from '@locales/ky.json';
import ru from '@locales/ru.json';

const cookies = new Map<Role, string>();
const get = (path: string, who?: Role) =>
  fetch(`${baseURL()}${path}`, { redirect: 'manual', headers: who ? { cookie: cookies.get(who)! } : {} });

beforeAll(async () => {
  for (const who of ['learner', 'trainer', 'hr', 'admin'] as const) cookies.set(who, await signIn(baseURL(), who));
});

describe('openPage', () => {
  it('answers 404 for a language other than ky and ru, on public pages and role pages alike', async () => {
    for (const path of ['/en/', '/en/courses', '/xx/login', '/en/hr', '/de/admin/people']) {
      const res = await get(path, 'admin');
      expect(res.status, path).toBe(404);
    }
  });

  it('sends a signed-out visitor to sign in, coming back to the same address and query', async () => {
    const cases: [string, string][] = [
      ['/ky/hr?status=overdue', '/ky/login?next=%2Fky%2Fhr%3Fstatus%3Doverdue'],
      ['/ru/trainer/grading', '/ru/login?next=%2Fru%2Ftrainer%2Fgrading'],
      ['/ky/my', '/ky/login?next=%2Fky%2Fmy'],
    ];
    for (const [path, to] of cases) {
      const res = await get(path);
      expect(res.status, path).toBe(303);
      expect(new URL(res.headers.get('location')!, baseURL()).pathname + new URL(res.headers.get('location')!, baseURL()).search, path).toBe(to);
    }
  });

  it('shows a signed-in person without the role the Forbidden page with 403, in the page’s language', async () => {
    // the trainer and author pages used to answer a bare text; every role page now answers the same page
    for (const path of ['/ky/hr', '/ru/admin', '/ky/trainer/grading', '/ru/trainer/questions', '/ky/author', '/ky/academy', '/ru/academy/reviews']) {
      const res = await get(path, 'learner');
      expect(res.status, path).toBe(403);
      expect(res.headers.get('content-type'), path).toContain('text/html');
      const html = await res.text();
      const title = path.startsWith('/ky/') ? ky['forbidden.title'] : ru['forbidden.title'];
      expect(html, path).toContain(`<h1>${title}</h1>`);
    }
    // an HR officer is not an administrator, and an administrator is not an HR officer
    expect((await get('/ky/admin/people', 'hr')).status).toBe(403);
    expect((await get('/ky/hr/plan', 'admin')).status).toBe(403);
  });

  it('opens the page for someone with the role, and public pages for anyone', async () => {
    expect((await get('/ky/hr', 'hr')).status).toBe(200);
    expect((await get('/ru/author', 'trainer')).status).toBe(200);
    expect((await get('/ky/trainer/grading', 'trainer')).status).toBe(200);
    expect((await get('/ky/admin/people', 'admin')).status).toBe(200);
    expect((await get('/ky/courses')).status).toBe(200);
    expect((await get('/ru/verify')).status).toBe(200);
  });
});

describe('the Forbidden page in a browser', () => {
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
  });

  it('keeps the address, reads in Kyrgyz on a phone, and passes axe', async () => {
    const page = await signedInPage(browser, 'learner@demo.kg', { contexts, viewport: { width: 390, height: 844 } });
    const res = await page.goto('/ky/hr/staff/1');
    expect(res?.status()).toBe(403);
    expect(new URL(page.url()).pathname).toBe('/ky/hr/staff/1');
    expect(await page.locator('h1').textContent()).toBe(ky['forbidden.title']);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await seriousViolations(page)).toEqual([]);
  });
});
