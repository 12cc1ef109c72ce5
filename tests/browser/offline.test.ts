import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch, ownServer, signIn } from './browser';

/**
 * The installable web app on a phone: "keep this course offline" stores the course; with the network
 * cut (context.setOffline) a kept lesson opens, "I have read it" is recorded on the device, a page not
 * kept shows the site's offline page (never the browser's), the banner says so; back online the
 * progress reaches the server. Then the course is freed. Kyrgyz and Russian. Its own demo server: the
 * accounts it signs in with are changed by other files (admin.test resets ayil's password).
 */
const PHONE = { width: 390, height: 844 };
const COURSE = 'ethics-conflict-of-interest';
const TEXT = {
  ky: { keep: 'Курсту түзмөктө сактоо', kept: 'Курс түзмөктө сакталган', banner: 'Интернет жок', free: 'Түзмөктөн өчүрүү', freed: 'Курс түзмөктөн өчүрүлдү.' },
  ru: { keep: 'Сохранить курс на устройстве', kept: 'Курс сохранён на устройстве', banner: 'Нет подключения', free: 'Удалить с устройства', freed: 'Курс удалён с устройства.' },
} as const;

let browser: Browser;
let server: { base: string; stop: () => void };
const baseURL = () => server.base;
beforeAll(async () => {
  server = await ownServer();
  browser = await launch();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  server?.stop();
});

async function learnerPage(lang: 'ky' | 'ru', email: string): Promise<Page> {
  const context = await browser.newContext({ baseURL: baseURL(), viewport: PHONE });
  context.setDefaultTimeout(20_000);
  return signIn(await context.newPage(), email, { lang, base: baseURL() });
}

const lessonsOf = async (page: Page) => {
  const mine = await (await page.request.get('/api/me/enrolments')).json();
  const e = mine.enrolments.find((x: unknown) => JSON.stringify(x).includes(COURSE));
  return e.progress.modules.flatMap((m: { lessons: { id: number; slug: string; viewed: boolean }[] }) => m.lessons) as { id: number; slug: string; viewed: boolean }[];
};

describe('a course kept offline', () => {
  for (const [lang, email] of [['ky', 'ayil@demo.kg'], ['ru', 'osh@demo.kg']] as const) {
    it(`${lang}: lessons open and progress is recorded offline, and reaches the server when back online`, { timeout: 150_000 }, async () => {
      const page = await learnerPage(lang, email);
      const context = page.context();
      const enrolled = await page.request.post(`/api/courses/${COURSE}/enrolments`, { headers: { origin: baseURL() } });
      expect(enrolled.status()).toBeLessThan(300);
      // The service worker (built by workbox-build) is installed from any page.
      expect(await page.evaluate(() => navigator.serviceWorker.ready.then((r) => r.active?.scriptURL ?? ''))).toMatch(/\/sw\.js$/);
      expect((await page.request.get('/manifest.webmanifest')).status()).toBe(200);

      const lessons = await lessonsOf(page);
      const [first, second] = [lessons.find((l) => !l.viewed)!, lessons[lessons.findIndex((l) => !l.viewed) + 1]!];
      await page.goto(`/${lang}/courses/${COURSE}`);
      const panel = page.locator('[data-keep-offline]');
      await panel.getByRole('button', { name: TEXT[lang].keep }).click();
      await page.waitForFunction(() => (document.querySelector('[data-keep-offline]') as HTMLElement | null)?.dataset.state === 'kept', null, { timeout: 90_000 });
      // The space used is shown.
      expect(await panel.locator('[data-status]').textContent()).toMatch(new RegExp(`${TEXT[lang].kept}: [\\d.,]+ (KB|MB)`));
      // Captions of the video lesson are kept too.
      const kept = await page.evaluate(async (slug) => (await (await caches.open(`bilim-course-${slug}`)).keys()).map((r) => new URL(r.url).pathname), COURSE);
      expect(kept.filter((p) => p.includes('/lessons/'))).toHaveLength(lessons.length);
      expect(kept.some((p) => p.startsWith('/api/media/'))).toBe(true);

      await context.setOffline(true);
      // The banner says it, in a live region.
      await expect.poll(() => page.locator('#offline-banner[role="status"]').textContent()).toContain(TEXT[lang].banner);
      await page.goto(`/${lang}/courses/${COURSE}/lessons/${first.slug}`);
      expect(await page.locator('h1').textContent()).toBeTruthy();
      expect(await page.locator('#offline-banner').textContent()).toContain(TEXT[lang].banner);
      await page.locator('form[data-offline-progress] button[type="submit"]').click();
      await page.waitForURL(`**/lessons/${second.slug}`);
      expect(JSON.parse((await page.evaluate(() => localStorage.getItem('bilim.progress'))) ?? '[]')).toEqual([expect.objectContaining({ lessonId: first.id, read: true })]);
      // A page that was not kept: the site's own offline page, not the browser's error.
      const notKept = await page.goto(`/${lang}/notifications`);
      expect(notKept?.status()).toBe(200);
      expect(await page.locator('h1').first().textContent()).toBe('Интернет жок');

      await context.setOffline(false);
      await page.goto(`/${lang}/courses/${COURSE}/lessons/${second.slug}`);
      await page.waitForFunction(() => !localStorage.getItem('bilim.progress'), null, { timeout: 30_000 });
      expect((await lessonsOf(page)).find((l) => l.id === first.id)!.viewed).toBe(true);

      // Freed per course.
      await page.goto(`/${lang}/courses/${COURSE}`);
      await page.waitForFunction(() => (document.querySelector('[data-keep-offline]') as HTMLElement | null)?.dataset.state === 'kept');
      await panel.getByRole('button', { name: TEXT[lang].free }).click();
      await expect.poll(() => panel.locator('[data-status]').textContent()).toBe(TEXT[lang].freed);
      expect(await page.evaluate((slug) => caches.has(`bilim-course-${slug}`), COURSE)).toBe(false);
      await context.close();
    });
  }
});

describe('a course kept offline with its videos', () => {
  it('ky: the video lesson plays offline from the kept copy, and what was watched is sent when back online', { timeout: 150_000 }, async () => {
    const VIDEO_LESSON = '04-what-is-conflict-of-interest';
    const page = await learnerPage('ky', 'municipal@demo.kg');
    const context = page.context();
    const enrolled = await page.request.post(`/api/courses/${COURSE}/enrolments`, { headers: { origin: baseURL() } });
    expect(enrolled.status()).toBeLessThan(300);
    expect(await page.evaluate(() => navigator.serviceWorker.ready.then((r) => r.active?.scriptURL ?? ''))).toMatch(/\/sw\.js$/);
    await page.goto(`/ky/courses/${COURSE}`);
    const panel = page.locator('[data-keep-offline]');
    await panel.getByLabel('Видеолорду да сактоо (көп орун алат)').check();
    await panel.getByRole('button', { name: TEXT.ky.keep }).click();
    await page.waitForFunction(() => (document.querySelector('[data-keep-offline]') as HTMLElement | null)?.dataset.state === 'kept', null, { timeout: 90_000 });
    // the video is in the course's cache, whole
    const video = await page.evaluate(async (slug) => {
      const cache = await caches.open(`bilim-course-${slug}`);
      const all = await Promise.all((await cache.keys()).map(async (r) => ({ path: new URL(r.url).pathname, res: (await cache.match(r))! })));
      const videos = all.filter((k) => (k.res.headers.get('content-type') ?? '').startsWith('video/'));
      return Promise.all(videos.map(async (k) => ({ path: k.path, bytes: (await k.res.blob()).size })));
    }, COURSE);
    expect(video).toHaveLength(1);
    expect(video[0]!.bytes).toBeGreaterThan(100_000);

    await context.setOffline(true);
    await page.goto(`/ky/courses/${COURSE}/lessons/${VIDEO_LESSON}`);
    expect(await page.locator('#offline-banner').textContent()).toContain(TEXT.ky.banner);
    expect(await page.locator('video source').getAttribute('src')).toBe(video[0]!.path);
    // played with the browser's own player (video.js itself is not kept: it only dresses the same <video>)
    await page.evaluate(() => {
      const v = document.querySelector('video')!;
      v.muted = true;
      v.playbackRate = 2;
      void v.play();
    });
    await page.waitForFunction(() => {
      const v = document.querySelector('video')!;
      return v.currentTime >= 4 && v.readyState >= 3 && v.error === null;
    }, null, { timeout: 60_000 });
    const duration = await page.evaluate(() => document.querySelector('video')!.duration);
    expect(duration).toBeGreaterThan(20);
    const pausedAt = await page.evaluate(() => {
      const v = document.querySelector('video')!;
      v.pause();
      return v.currentTime;
    });
    // not saved yet, and the page says so
    await expect.poll(() => page.locator('#video-status').textContent(), { timeout: 20_000 }).toContain('Сакталган жок: байланыш жок.');

    // back online, on the same page: the watched stretch reaches the server
    await context.setOffline(false);
    await expect.poll(() => page.locator('#video-status').textContent(), { timeout: 30_000 }).toMatch(/^Видеонун [1-9]\d*% көрүлдү\./);
    const mine = await (await page.request.get('/api/me/enrolments')).json();
    const lesson = mine.enrolments
      .find((x: unknown) => JSON.stringify(x).includes(COURSE))
      .progress.modules.flatMap((m: { lessons: { slug: string; watchedFraction: number | null; positionSeconds: number }[] }) => m.lessons)
      .find((l: { slug: string }) => l.slug === VIDEO_LESSON);
    // what was played offline (4 s or more): the player reports from its first time update, a
    // fraction of a second in, so up to a second of the start may be missing
    expect(lesson.watchedFraction * duration).toBeGreaterThanOrEqual(pausedAt - 1);
    expect(lesson.positionSeconds).toBeGreaterThanOrEqual(4);

    await page.goto(`/ky/courses/${COURSE}`);
    await page.waitForFunction(() => (document.querySelector('[data-keep-offline]') as HTMLElement | null)?.dataset.state === 'kept');
    expect(await panel.locator('[data-status]').textContent()).toMatch(new RegExp(`${TEXT.ky.kept}: [\\d.,]+ (KB|MB)`));
    await panel.getByRole('button', { name: TEXT.ky.free }).click();
    await expect.poll(() => panel.locator('[data-status]').textContent()).toBe(TEXT.ky.freed);
    await context.close();
  });
});
