import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { baseURL, launch, seriousViolations, signIn } from './browser';

const COURSE = 'ethics-conflict-of-interest';
const VIDEO_LESSON = '04-what-is-conflict-of-interest';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

async function newPage(options: { javaScriptEnabled?: boolean } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: baseURL(), javaScriptEnabled: options.javaScriptEnabled ?? true, viewport: { width: 1280, height: 900 } });
  return { context, page: await context.newPage() };
}

const UI = {
  ky: {
    enrol: 'Курска жазылуу', start: 'Баштоо', continue: 'Улантуу',
    readNext: 'Сабакты окуп бүттүм — кийинки сабак', my: 'Менин окуум', viewed: 'Видео көрүлдү, сабак өтүлдү.',
    progress: (n: number, p: number) => `9 сабактын ${n} өтүлдү (${p}%)`, caption: 'Кызыкчылыктардын', active: 'Учурдагы курстар', hoursTitle: 'Милдеттүү окуунун учурдагы мезгили',
  },
  ru: {
    enrol: 'Записаться на курс', start: 'Начать', continue: 'Продолжить',
    readNext: 'Урок прочитан — к следующему', my: 'Моё обучение', viewed: 'Видео просмотрено, урок пройден.',
    progress: (n: number, p: number) => `Пройдено уроков: ${n} из 9 (${p}%)`, caption: 'конфликт интересов', active: 'Текущие курсы', hoursTitle: 'Текущий период обязательного обучения',
  },
} as const;

/** Bytes that crossed the network (compressed, with headers) while loading a page, and the scripts it loaded. */
async function transferred(page: Page, path: string): Promise<{ bytes: number; scripts: string[] }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  let bytes = 0;
  const video = new Set<string>();
  cdp.on('Network.responseReceived', (e: { requestId: string; response: { mimeType: string } }) => {
    if (e.response.mimeType.startsWith('video/')) video.add(e.requestId);
  });
  // the video file itself is not counted (it streams as the learner watches)
  cdp.on('Network.loadingFinished', (e: { requestId: string; encodedDataLength: number }) => {
    if (!video.has(e.requestId)) bytes += e.encodedDataLength;
  });
  const scripts: string[] = [];
  page.on('request', (r) => {
    if (r.resourceType() === 'script') scripts.push(new URL(r.url()).pathname);
  });
  await page.goto(path, { waitUntil: 'networkidle' });
  await cdp.detach();
  return { bytes, scripts };
}

describe('learning in Chromium', () => {
  // Two learners, so the two languages run at once: most of each is the video playing in real time.
  for (const [lang, email] of [['ky', 'learner@demo.kg'], ['ru', 'osh@demo.kg']] as const) {
    it.concurrent(`${lang}: enrols, reads a lesson, watches the captioned video to the end, sees progress and My learning`, async () => {
      const ui = UI[lang];
      const { context, page } = await newPage();
      await signIn(page, email, { open: false });

      await page.goto(`/${lang}/courses/${COURSE}`);
      await page.getByRole('button', { name: ui.enrol }).click();
      await page.waitForURL(`**/${lang}/courses/${COURSE}?done=enrolled`);
      expect(await page.textContent('#course-progress-text')).toBe(ui.progress(0, 0));

      // the first lesson: server-rendered text, marked as read with a plain form
      await page.getByRole('link', { name: ui.start }).click();
      await page.waitForURL(`**/lessons/01-why-service-ethics`);
      expect(await page.locator('.lesson-body h2').count()).toBeGreaterThan(2);
      expect(await page.locator('.lesson-body ul li').count()).toBeGreaterThan(2);
      await page.getByRole('button', { name: ui.readNext }).click();
      await page.waitForURL(`**/lessons/02-principles-of-conduct`);
      expect(await page.textContent('#course-progress-text')).toBe(ui.progress(1, 11));

      // the video lesson: the browser's player first; video.js, with captions in both languages and
      // a speed control, takes over when the learner reaches for the video
      await page.goto(`/${lang}/courses/${COURSE}/lessons/${VIDEO_LESSON}`);
      await page.hover('video');
      await page.waitForSelector('.video-js .vjs-big-play-button');
      // video.js takes the <track>s into its captions menu: both languages are offered
      const captionMenu = await page.locator('.vjs-subs-caps-button .vjs-menu-item').allTextContents();
      // named in the page's language: Кыргызча / Орусча, Кыргызский / Русский
      expect(captionMenu.some((t) => t.includes(lang === 'ky' ? 'Кыргызча' : 'Кыргызский'))).toBe(true);
      expect(captionMenu.some((t) => t.includes(lang === 'ky' ? 'Орусча' : 'Русский'))).toBe(true);
      expect(await page.locator('.vjs-playback-rate .vjs-menu-item').allTextContents()).toContain('2x');
      await page.locator('.vjs-big-play-button').click();
      await page.evaluate(() => {
        document.querySelector('video')!.playbackRate = 2;
      });
      await expect.poll(() => page.locator('.vjs-text-track-display').textContent(), { timeout: 10_000 }).toContain(ui.caption);
      await page.waitForFunction(() => document.querySelector('video')!.ended, null, { timeout: 40_000 });
      await expect.poll(() => page.textContent('#video-status'), { timeout: 10_000 }).toBe(ui.viewed);
      expect(await page.textContent('#course-progress-text')).toBe(ui.progress(2, 22));
      expect(await seriousViolations(page)).toEqual([]);

      // the course page and My learning show the same progress
      await page.goto(`/${lang}/courses/${COURSE}`);
      expect(await page.textContent('#course-progress-text')).toBe(ui.progress(2, 22));
      expect(await seriousViolations(page)).toEqual([]);
      await page.getByRole('link', { name: ui.my, exact: true }).click();
      await page.waitForURL(`**/${lang}/my`);
      expect(await page.getByRole('heading', { name: ui.active }).count()).toBe(1);
      expect(await page.textContent('main')).toContain(ui.progress(2, 22));
      expect(await page.textContent('main')).toContain(ui.hoursTitle);
      // (other files may have enrolled the same demo account in other courses on this server)
      expect(await page.locator(`main a[href*="/courses/${COURSE}/lessons/"]`, { hasText: ui.continue }).count()).toBe(1);
      expect(await seriousViolations(page)).toEqual([]);
      await context.close();
    }, 120_000);
  }

  it('with JavaScript off: enrols, reads a lesson and withdraws with plain forms', async () => {
    const { context, page } = await newPage({ javaScriptEnabled: false });
    await signIn(page, 'municipal@demo.kg', { open: false });
    await page.goto('/ky/courses/anti-corruption');
    await page.getByRole('button', { name: UI.ky.enrol }).click();
    await page.waitForURL('**/ky/courses/anti-corruption?done=enrolled');
    await page.getByRole('link', { name: UI.ky.start }).click();
    await page.getByRole('button', { name: UI.ky.readNext }).click();
    await page.waitForURL('**/lessons/02-corruption-risks');
    expect(await page.textContent('#course-progress-text')).toBe(UI.ky.progress(1, 11));
    await page.goto('/ky/courses/anti-corruption');
    await page.getByRole('button', { name: 'Курстан баш тартуу' }).click();
    await page.waitForURL('**/ky/courses/anti-corruption?done=withdrawn');
    expect(await page.getByRole('button', { name: UI.ky.enrol }).count()).toBe(1);
    await page.goto('/ky/my');
    expect(await page.textContent('main')).toContain('Азыр окуп жаткан курсуңуз жок.');
    await context.close();
  });

  it('the video lesson works with JavaScript off: text, a plain video with caption tracks', async () => {
    const { context, page } = await newPage({ javaScriptEnabled: false });
    await signIn(page, 'learner@demo.kg', { open: false });
    await page.goto(`/ky/courses/${COURSE}/lessons/${VIDEO_LESSON}`);
    expect(await page.locator('video[controls] source[type="video/mp4"]').count()).toBe(1);
    expect(await page.locator('video track[kind="captions"]').count()).toBe(2);
    expect(await page.locator('.lesson-body h2').count()).toBeGreaterThan(1);
    await context.close();
  });

  it('plays by keyboard and resumes the video where the learner paused, on another device', async () => {
    const first = await newPage();
    await signIn(first.page, 'hr@demo.kg', { open: false });
    expect((await first.page.request.post(`/api/courses/${COURSE}/enrolments`, { headers: { origin: baseURL() } })).status()).toBeLessThan(300);
    await first.page.goto(`/ky/courses/${COURSE}/lessons/${VIDEO_LESSON}`);
    // keyboard only: focus the player, K plays, → skips 5 s ahead (not counted as watched), K pauses
    await first.page.focus('video');
    await first.page.waitForSelector('.video-js .vjs-big-play-button');
    await first.page.keyboard.press('k');
    await first.page.waitForFunction(() => document.querySelector('video')!.currentTime > 2, null, { timeout: 20_000 });
    await first.page.keyboard.press('ArrowRight');
    await first.page.waitForFunction(() => document.querySelector('video')!.currentTime > 8, null, { timeout: 20_000 });
    await first.page.keyboard.press('k');
    await first.page.waitForFunction(() => document.querySelector('video')!.paused);
    const pausedAt = await first.page.evaluate(() => document.querySelector('video')!.currentTime);
    const storedPosition = async () => {
      const { enrolments } = await (await first.page.request.get('/api/me/enrolments')).json();
      const lessons = enrolments.find((e: { course: { slug: string } }) => e.course.slug === COURSE).progress.modules.flatMap((m: { lessons: unknown[] }) => m.lessons);
      return lessons.find((l: { slug: string }) => l.slug === VIDEO_LESSON) as { positionSeconds: number; watchedFraction: number };
    };
    await expect.poll(async () => (await storedPosition()).positionSeconds, { timeout: 10_000 }).toBeCloseTo(pausedAt, 1);
    // the 5 seconds skipped with → were not watched
    expect((await storedPosition()).watchedFraction * 25.088).toBeLessThan(pausedAt - 3);
    await first.context.close();

    const second = await newPage();
    await signIn(second.page, 'hr@demo.kg', { open: false });
    await second.page.goto(`/ky/courses/${COURSE}/lessons/${VIDEO_LESSON}`);
    await second.page.waitForFunction(() => document.querySelector('video')!.readyState >= 1, null, { timeout: 10_000 });
    await expect.poll(() => second.page.evaluate(() => document.querySelector('video')!.currentTime)).toBeCloseTo(pausedAt, 0);
    await second.context.close();
  }, 60_000);

  it('at phone width the lesson pages and My learning have no serious accessibility violation', async () => {
    const context = await browser.newContext({ baseURL: baseURL(), viewport: { width: 390, height: 800 } });
    const page = await context.newPage();
    await signIn(page, 'osh@demo.kg', { open: false });
    expect((await page.request.post(`/api/courses/${COURSE}/enrolments`, { headers: { origin: baseURL() } })).status()).toBeLessThan(300);
    for (const path of [`/ru/courses/${COURSE}/lessons/${VIDEO_LESSON}`, `/ru/courses/${COURSE}/lessons/01-why-service-ethics`, `/ru/courses/${COURSE}`, '/ru/my', `/ru/courses/${COURSE}/feedback`]) {
      await page.goto(path);
      expect(await seriousViolations(page), path).toEqual([]);
    }
    await context.close();
  });

  it('a lesson offers its PDF attachment for download', async () => {
    const { context, page } = await newPage();
    await signIn(page, 'osh@demo.kg', { open: false });
    expect((await page.request.post(`/api/courses/${COURSE}/enrolments`, { headers: { origin: baseURL() } })).status()).toBeLessThan(300);
    await page.goto(`/ru/courses/${COURSE}/lessons/05-declare-and-resolve`);
    const link = page.getByRole('link', { name: 'Образец уведомления о конфликте интересов' });
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toBe('conflict-notification-template.pdf');
    const res = await page.request.get((await link.getAttribute('href'))!);
    expect(res.headers()['content-type']).toBe('application/pdf');
    expect((await res.body()).subarray(0, 5).toString()).toBe('%PDF-');
    await context.close();
  });

  it('text pages stay under 100 KB transferred and load video.js only with a video', async () => {
    const { context, page } = await newPage();
    await signIn(page, 'learner@demo.kg', { open: false });
    // enrolled (or already enrolled by the test above), so the lesson pages open
    expect((await page.request.post(`/api/courses/${COURSE}/enrolments`, { headers: { origin: baseURL() } })).status()).toBeLessThan(300);
    const sizes: Record<string, number> = {};
    for (const path of ['/ky/courses', `/ky/courses/${COURSE}`, `/ky/courses/${COURSE}/lessons/02-principles-of-conduct`, '/ky/my']) {
      const { bytes, scripts } = await transferred(page, path);
      sizes[path] = bytes;
      expect(bytes, path).toBeLessThan(100 * 1024);
      expect(scripts.filter((s) => s.includes('LessonVideo')), path).toEqual([]);
    }
    const video = await transferred(page, `/ky/courses/${COURSE}/lessons/${VIDEO_LESSON}`);
    expect(video.scripts.some((s) => s.includes('LessonVideo'))).toBe(true);
    expect(video.bytes).toBeLessThan(400 * 1024);
    sizes['video lesson (without the video file)'] = video.bytes;
    console.log('transferred bytes:', JSON.stringify(sizes));
    await context.close();
  }, 60_000);
});
