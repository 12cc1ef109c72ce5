/**
 * The reviewer sees what learners will (issue #16): on the review page every video plays with its
 * Kyrgyz and Russian captions and every attachment opens; each lesson opens as a learner sees it; and
 * each test can be tried as a learner — a preview that records nothing. In Kyrgyz, at 390 px too.
 * Its own demo server: the draft and the review it makes would disturb the other files.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { launch, ownServer, seriousViolations } from './browser';
import { prepare, signIn, type Prepared } from '@scripts/screenshot-list';

let browser: Browser;
let server: { base: string; stop: () => void };
let prepared: Prepared;
let reviewerCookie = '';

beforeAll(async () => {
  server = await ownServer();
  // the trainer has submitted the ethics course (with its video lesson and PDF) and the reviewer took it
  prepared = await prepare(server.base);
  reviewerCookie = await signIn(server.base, 'reviewer');
  browser = await launch();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  server?.stop();
});

async function asReviewer(width = 1280): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL: server.base, viewport: { width, height: 900 } });
  const [name, value] = reviewerCookie.split('=') as [string, string];
  await context.addCookies([{ name, value, url: server.base }]);
  return context;
}

describe('the reviewer sees what learners will', () => {
  it('plays the video with captions in both languages and opens the attachment, from the review page', async () => {
    const context = await asReviewer();
    const page = await context.newPage();
    await page.goto(`/ky/academy/reviews/${prepared.inReview}`);
    const video = page.locator('.draft-preview video').first();
    expect(await video.count()).toBe(1);
    const tracks = await video.locator('track').evaluateAll((ts) => ts.map((t) => [t.getAttribute('srclang'), t.getAttribute('label')]));
    expect(tracks).toEqual([['ky', 'Кыргызча'], ['ru', 'Орусча']]);
    // the media of a draft answer the reviewer: the video, both caption files, the PDF
    const sources = [await video.locator('source').getAttribute('src'), ...(await video.locator('track').evaluateAll((ts) => ts.map((t) => t.getAttribute('src'))))];
    const pdf = await page.locator('.preview-attachments a').first().getAttribute('href');
    for (const src of [...sources, pdf]) expect((await page.request.get(src!)).status(), src!).toBe(200);
    // the video really plays, with the Kyrgyz captions showing
    await page.locator('.draft-preview details:has(video) summary').first().click();
    await video.evaluate((v: HTMLVideoElement) => { v.muted = true; return v.play(); });
    await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 15_000 }).toBeGreaterThan(0.5);
    await expect.poll(() => video.evaluate((v: HTMLVideoElement) => [...v.textTracks].find((t) => t.language === 'ky')?.cues?.length ?? 0), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });

  it('opens a lesson as the learner will see it (a reviewer was refused before)', async () => {
    const context = await asReviewer();
    const page = await context.newPage();
    await page.goto(`/ky/academy/reviews/${prepared.inReview}`);
    await page.locator('.draft-preview details summary').first().click();
    const href = await page.getByRole('link', { name: /^Угуучу көргөндөй ачуу/ }).first().getAttribute('href');
    const res = await page.goto(href!);
    expect(res?.status()).toBe(200);
    expect(await page.locator('.preview-banner').count()).toBe(1);
    expect(await page.locator('.lesson-body').textContent()).not.toBe('');
    await context.close();
  });

  it('tries the final test as a learner at 390 px: a result, each answer against the right one, and nothing recorded', async () => {
    const context = await asReviewer(390);
    const page = await context.newPage();
    await page.goto(`/ky/academy/reviews/${prepared.inReview}`);
    await page.getByRole('link', { name: /^Сынап көрүү.*Жыйынтыктоочу|Сынап көрүү/ }).last().click();
    await page.waitForURL(/\/try\?seed=\d+$/);
    expect(await page.locator('.preview-banner').textContent()).toContain('Эч нерсе сакталбайт');
    const questions = await page.locator('fieldset, .question').count();
    expect(questions).toBeGreaterThan(0);
    expect(await seriousViolations(page)).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
    // answer the first question and send the form
    await page.locator('input[type=radio], input[type=checkbox]').first().check();
    await page.getByRole('button', { name: 'Тестти аяктоо' }).click();
    await page.waitForLoadState();
    expect(await page.locator('#result-title').textContent()).toMatch(/Жыйынтык: [\d.,]+% \(өтүү баллы \d+%\)/);
    expect(await page.locator('.preview-results li').count()).toBeGreaterThan(1);
    expect(await page.locator('.preview-results').textContent()).toContain('Туура жооп');
    // nothing reached the reviewer's own results or the course's analysis
    const mine = await page.request.get('/api/me/enrolments');
    expect(((await mine.json()) as { enrolments?: unknown[] }).enrolments ?? []).toEqual([]);
    await context.close();
  });
});
