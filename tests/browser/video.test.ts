import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { baseURL, launch, seriousViolations, signedInPage } from './browser';

/**
 * The lesson video on a phone: the player speaks the page's language (every control, menu and
 * screen-reader label), the video works and can be marked watched without JavaScript, and the page
 * is light until the learner reaches for the video.
 */
const COURSE = 'ethics-conflict-of-interest';
const VIDEO_LESSON = '04-what-is-conflict-of-interest';
const LESSON_PATH = (lang: string) => `/${lang}/courses/${COURSE}/lessons/${VIDEO_LESSON}`;
const PHONE = { width: 390, height: 844 };

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/** Signed in by the one helper on a phone, enrolled in `course`; every caller opens the lesson next. */
async function signedIn(lang: 'ky' | 'ru', email: string, javaScriptEnabled = true, course = COURSE): Promise<Page> {
  const page = await signedInPage(browser, email, { lang, viewport: PHONE, javaScriptEnabled, open: false });
  const res = await page.request.post(`/api/courses/${course}/enrolments`, { headers: { origin: baseURL() } });
  expect(res.status()).toBeLessThan(300);
  return page;
}

/** Every text a person can see or hear in the player: text nodes (hidden control texts too) and labelling attributes. */
function playerTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const root = document.querySelector('.video-js')!;
    const out: string[] = [];
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) if (n.textContent!.trim()) out.push(n.textContent!.trim());
    for (const el of [root, ...root.querySelectorAll('*')]) {
      for (const a of ['aria-label', 'title', 'aria-valuetext', 'aria-roledescription', 'placeholder', 'alt', 'label']) {
        const v = el.getAttribute(a);
        if (v?.trim()) out.push(v.trim());
      }
    }
    return out;
  });
}

describe('the lesson video on a phone', () => {
  for (const [lang, email, play, captionsOff] of [
    ['ky', 'learner@demo.kg', 'Видеону ойнотуу', 'субтитрлер өчүк'],
    ['ru', 'osh@demo.kg', 'Воспроизвести видео', 'субтитры выкл.'],
  ] as const) {
    it(`${lang}: every control, menu and screen-reader label of the player is in the page's language`, async () => {
      const page = await signedIn(lang, email);
      await page.goto(LESSON_PATH(lang));
      // the browser's own player first, then video.js once the learner reaches for it
      expect(await page.locator('.vjs-control-bar').count()).toBe(0);
      await page.locator('video').tap().catch(() => page.locator('video').hover());
      await page.waitForSelector('.video-js .vjs-big-play-button');
      expect(await page.getByRole('button', { name: play }).count()).toBeGreaterThan(0);
      expect(await page.locator('.vjs-subs-caps-button .vjs-menu-item').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining(captionsOff)]));
      const texts = await playerTexts(page);
      expect(texts.length).toBeGreaterThan(30);
      // No English: no word of two Latin letters or more. The one exception is the name of the
      // Escape key, written on the keyboard itself.
      const english = texts.filter((t) => /[A-Za-z]{2,}/.test(t.replace(/\bEscape\b|\bEsc\b/g, '')));
      expect(english).toEqual([]);
      expect(await seriousViolations(page)).toEqual([]);
      await page.context().close();
    }, 60_000);
  }

  it('without JavaScript: a visible video with its captions, marked watched with a plain form once it could have been watched', async () => {
    // another course with a video, so that nothing else here depends on this learner's progress in it
    const page = await signedIn('ky', 'learner@demo.kg', false, 'digital-literacy-and-security');
    const lesson = '/ky/courses/digital-literacy-and-security/lessons/04-recognising-phishing';
    await page.goto(lesson);
    const video = page.locator('video[controls]');
    expect(await video.locator('source[type="video/mp4"]').count()).toBe(1);
    expect(await video.locator('track[kind="captions"]').count()).toBe(2);
    const box = await video.boundingBox();
    expect(box!.height).toBeGreaterThan(150);
    expect(box!.width).toBeLessThanOrEqual(390);
    const mark = page.getByRole('button', { name: 'Видеону көрүп бүттүм' });
    // at once: the server refuses, the video could not have been watched yet
    await mark.click();
    await page.waitForURL('**?watch=early');
    expect(await page.getByRole('alert').textContent()).toContain('Белги кабыл алынган жок');
    // once the video (25 s, at up to 2× speed) could have been played since the lesson was opened
    await page.waitForTimeout(12_000);
    await page.getByRole('button', { name: 'Видеону көрүп бүттүм' }).click();
    await page.waitForURL('**/lessons/05-case-phishing-from-ministry');
    await page.goto(lesson);
    expect(await page.textContent('#video-status')).toBe('Видео көрүлдү, сабак өтүлдү.');
    expect(await page.getByRole('button', { name: 'Видеону көрүп бүттүм' }).count()).toBe(0);
    await page.context().close();
  }, 60_000);
});
