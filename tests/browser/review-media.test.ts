/**
 * Issue #16, "the reviewer sees what learners will": on the review page a reviewer plays each
 * lesson's video with its Kyrgyz and Russian captions and opens its attachments, in Kyrgyz; a video
 * without one language's captions says so in words. Uses its own draft (slug review-media-…).
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { baseURL, launch, pageApi as api, seriousViolations, signedInPage } from './browser';

let browser: Browser;
const contexts: BrowserContext[] = [];
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
});

const signedIn = (email: string) => signedInPage(browser, email, { contexts });



async function upload(page: Page, draftId: number, kind: string, name: string, buffer: Buffer): Promise<string> {
  const res = await page.request.fetch(`/api/author/drafts/${draftId}/media`, {
    method: 'POST',
    headers: { origin: baseURL() },
    multipart: { kind, file: { name, mimeType: 'application/octet-stream', buffer } },
  });
  const body = await res.json();
  if (!res.ok()) throw new Error(`upload ${name}: ${res.status()} ${JSON.stringify(body)}`);
  return body.sha256;
}

const MEDIA = 'courses/anti-corruption/media/04-gift-or-bribe';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const SLUG = `review-media-${Date.now().toString(36)}`;

describe('the reviewer plays videos with both captions and opens attachments', () => {
  let draftId = 0;
  let pdfSha = '';

  it('a trainer adds a video with Kyrgyz and Russian captions, one with Kyrgyz only, and a PDF', async () => {
    const trainer = await signedIn('trainer@demo.kg');
    const created = await api(trainer, 'POST', '/api/author/drafts', { slug: SLUG, titleKy: 'Белек же пара: видео сабак' });
    draftId = created.id;
    const video = await upload(trainer, draftId, 'video', 'gift.mp4', readFileSync(`${MEDIA}.mp4`));
    const ky = await upload(trainer, draftId, 'captions', 'gift.ky.vtt', readFileSync(`${MEDIA}.ky.vtt`));
    const ru = await upload(trainer, draftId, 'captions', 'gift.ru.vtt', readFileSync(`${MEDIA}.ru.vtt`));
    pdfSha = await upload(trainer, draftId, 'pdf', 'ereje.pdf', PDF);
    let d = await api(trainer, 'GET', `/api/author/drafts/${draftId}`);
    const manifest = d.content.manifest;
    manifest.modules[0].title = { ky: 'Негиздер' };
    manifest.modules[0].lessons = [
      { slug: 'both', title: { ky: 'Белекпи же парабы?' }, minutes: 5, kind: 'theory', doc: {} },
      { slug: 'ky-only', title: { ky: 'Экинчи видео' }, minutes: 5, kind: 'theory', doc: {} },
    ];
    d = await api(trainer, 'PUT', `/api/author/drafts/${draftId}`, { revision: d.revision, content: { manifest } });
    d = await api(trainer, 'PUT', `/api/author/drafts/${draftId}/lessons/both`, {
      revision: d.revision,
      lesson: { video: { sha256: video, captions: { ky, ru } }, attachments: [{ sha256: pdfSha, fileName: 'ereje.pdf', title: { ky: 'Белек алуу эрежеси' } }] },
    });
    await api(trainer, 'PUT', `/api/author/drafts/${draftId}/lessons/ky-only`, { revision: d.revision, lesson: { video: { sha256: video, captions: { ky } } } });
  });

  it('on the review page the video plays with both caption tracks, the attachment opens, a missing caption is named', async () => {
    const reviewer = await signedIn('reviewer@demo.kg');
    await reviewer.goto(`/ky/academy/reviews/${draftId}`);
    const lesson = reviewer.locator('details.preview-lesson', { hasText: 'Белекпи же парабы?' });
    await lesson.locator('summary').click();
    const video = lesson.getByLabel('Видео: Белекпи же парабы?');
    await video.waitFor();
    // the browser loads the video as the reviewer (the draft's media is served to reviewers)
    await video.evaluate((v: HTMLVideoElement) => v.load());
    await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.readyState), { timeout: 20_000 }).toBeGreaterThanOrEqual(1);
    expect(await video.evaluate((v: HTMLVideoElement) => v.error)).toBeNull();
    // both caption tracks, labelled in words, Kyrgyz by default on the Kyrgyz page, each with its cues
    const tracks = await video.evaluate((v: HTMLVideoElement) => [...v.textTracks].map((t) => ({ lang: t.language, label: t.label })));
    expect(tracks).toEqual([{ lang: 'ky', label: 'Кыргызча' }, { lang: 'ru', label: 'Орусча' }]);
    expect(await video.locator('track[default]').getAttribute('srclang')).toBe('ky');
    for (const [i, text] of [[0, 'Белекпи же парабы?'], [1, 'Подарок или взятка?']] as const) {
      await video.evaluate((v: HTMLVideoElement, n: number) => {
        for (const t of v.textTracks) t.mode = 'hidden';
        v.textTracks[n]!.mode = 'showing';
      }, i);
      await expect
        .poll(() => video.evaluate((v: HTMLVideoElement, n: number) => [...(v.textTracks[n]!.cues ?? [])].map((c) => (c as VTTCue).text)[0] ?? '', i), { timeout: 10_000 })
        .toBe(text);
    }
    expect(await lesson.textContent()).toContain('Субтитрлер: Кыргызча, Орусча.');
    // the attachment: named by its title, fetched with the reviewer's session
    const link = lesson.getByRole('link', { name: 'Белек алуу эрежеси' });
    expect(await link.getAttribute('href')).toBe(`/api/media/${pdfSha}`);
    const file = await reviewer.request.get(`/api/media/${pdfSha}`);
    expect(file.status()).toBe(200);
    expect((await file.body()).subarray(0, 5).toString()).toBe('%PDF-');
    // the second video lacks Russian captions: said in words
    const other = reviewer.locator('details.preview-lesson', { hasText: 'Экинчи видео' });
    await other.locator('summary').click();
    expect(await other.locator('.tag-missing').textContent()).toContain('Субтитр жок: Орусча.');
    expect(await other.locator('track').count()).toBe(1);
    expect(await seriousViolations(reviewer)).toEqual([]);
  });
});
