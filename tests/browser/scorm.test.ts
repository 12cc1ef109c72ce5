/**
 * SCORM packages in real Chromium (issue #22): a trainer uploads packages through the draft page,
 * the reviewer launches them from the review, a learner takes them — the runtime (scorm-again)
 * restores suspend data and location on relaunch, interactions and completion reach the server,
 * commits made offline are sent when the connection returns — and a package whose script tries to
 * act as the learner on the platform's API fails: in the default sandboxed frame (opaque origin) and
 * with the content on its own origin (CONTENT_ORIGIN, a second server on another port).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, FrameLocator, Page } from 'playwright-core';
import { CHECKLIST_ITEMS } from '@db/schema/review';
import { baseURL, launch, seriousViolations, server as ownServer, signedInPage } from './browser';
import { manifestXml, scormZip } from '../support/scorm';
import { freePort } from '../support/free-port';

let browser: Browser;
let trainer: BrowserContext;
let reviewer: BrowserContext;
let learner: BrowserContext;
const slug = `scorm-browser-${Date.now().toString(36)}`;
let draftId = 0;
const lessonIds: Record<string, number> = {};

/** A context signed in by the one helper on `base`'s server (no page left open). */
async function signedIn(email: string, base = baseURL()): Promise<BrowserContext> {
  const page = await signedInPage(browser, email, { base, viewport: { width: 1280, height: 720 }, open: false });
  await page.close();
  return page.context();
}
const api = (context: BrowserContext, method: string, path: string, data?: unknown) =>
  context.request.fetch(path, { method, data: data as never, headers: { origin: baseURL() } });

beforeAll(async () => {
  browser = await launch();
  trainer = await signedIn('trainer@demo.kg');
  reviewer = await signedIn('reviewer@demo.kg');
  learner = await signedIn('learner@demo.kg');
}, 60_000);
afterAll(async () => {
  await browser?.close();
});

/** The package's document inside the lesson's frame. */
const packageFrame = (page: Page): FrameLocator => page.frameLocator('iframe.scorm-frame');

describe('a trainer brings packages into a draft; the reviewer launches them', () => {
  it('uploads a multi-SCO SCORM 2004 package through the draft page and a SCORM 1.2 one through the API', async () => {
    const anticorruption = { version: '2004-4' as const, title: 'Коррупцияга каршы', scos: [{ id: 'SCO-A', title: 'Белек же пара' }, { id: 'SCO-B', title: 'Кызыкчылыктардын кагылышы', mastery: 0.8 }] };
    const created = await api(trainer, 'POST', '/api/author/drafts', { slug, titleKy: 'SCORM сыноо курсу' });
    expect(created.status()).toBe(201);
    draftId = (await created.json()).id;
    const page = await trainer.newPage();
    await page.goto(`/ky/author/drafts/${draftId}`);
    await page.getByLabel('Пакеттин ZIP файлы').setInputFiles({
      name: 'anticorruption.zip',
      mimeType: 'application/zip',
      // its manifest asks that the SCOs be taken in order (choice="false"): stored all the same, and the page says what is not applied
      buffer: scormZip({ ...anticorruption, manifest: manifestXml(anticorruption).replace('<item identifier="MODULE-1">', '<item identifier="MODULE-1">\n        <imsss:sequencing><imsss:controlMode choice="false" flow="true"/></imsss:sequencing>') }),
    });
    await page.getByRole('button', { name: 'Пакетти жүктөө' }).click();
    await page.waitForURL(/saved=1/);
    await expect.poll(() => page.locator('.author-lessons li').count()).toBe(2);
    expect(await page.getByRole('note').filter({ hasText: 'Платформа бул эрежелерди колдонбойт' }).count()).toBe(1);
    expect(await page.locator('.author-lessons').innerText()).toContain('Белек же пара');

    // a broken package is refused with the reason and the file, in Kyrgyz
    await page.getByLabel('Пакеттин ZIP файлы').setInputFiles({ name: 'broken.zip', mimeType: 'application/zip', buffer: scormZip({ version: '1.2', scos: [{ id: 'S', title: 'x' }], omit: ['S/index.html'] }) });
    await page.getByRole('button', { name: 'Пакетти жүктөө' }).click();
    await expect.poll(() => page.locator('#scorm-status').innerText()).toContain('SCO ачыла турган файл пакетте жок. (S/index.html)');

    const draft = await (await api(trainer, 'GET', `/api/author/drafts/${draftId}`)).json();
    const attack = scormZip({ version: '1.2', title: 'Кол салуу', scos: [{ id: 'SCO-X', title: 'Шектүү пакет' }], attack: baseURL() });
    const up = await trainer.request.post(`/api/author/drafts/${draftId}/scorm?revision=${draft.revision}&lang=ky`, { data: attack, headers: { origin: baseURL(), 'content-type': 'application/zip' } });
    expect(up.status()).toBe(201);
    await page.close();
  });

  it('the author previews a SCORM lesson: the package runs in the frame, in browse mode', async () => {
    const page = await trainer.newPage();
    await page.goto(`/ky/author/drafts/${draftId}/lessons/lesson-1/preview`);
    await expect.poll(() => packageFrame(page).locator('#state').innerText(), { timeout: 15_000 }).toContain('init=true');
    expect(await packageFrame(page).locator('#state').innerText()).toContain('entry=ab-initio');
    await page.close();
  });

  it('is submitted, and the reviewer launches the package from the review page, then approves', async () => {
    const d = await (await api(trainer, 'GET', `/api/author/drafts/${draftId}`)).json();
    const content = d.content;
    content.manifest.summary = { ky: 'SCORM пакеттеринен курс' };
    content.manifest.objectives = { ky: ['Пакеттерди өтүү'] };
    expect((await api(trainer, 'PUT', `/api/author/drafts/${draftId}`, { revision: d.revision, content: { manifest: content.manifest } })).status()).toBe(200);
    const submitted = await api(trainer, 'POST', `/api/review/drafts/${draftId}/submit`);
    expect(submitted.ok(), await submitted.text()).toBe(true);
    const taken = await api(reviewer, 'POST', `/api/review/drafts/${draftId}/take`);
    expect(taken.ok(), await taken.text()).toBe(true);
    const page = await reviewer.newPage();
    await page.goto(`/ky/academy/reviews/${draftId}`);
    await page.getByText('Белек же пара').first().click();
    await page.getByRole('link', { name: /Пакетти ачуу/ }).first().click();
    await expect.poll(() => packageFrame(page).locator('#state').innerText(), { timeout: 15_000 }).toContain('init=true');
    await page.close();
    const checklist = CHECKLIST_ITEMS.map((item) => ({ item, result: 'pass', comment: '' }));
    const approved = await api(reviewer, 'POST', `/api/review/drafts/${draftId}/decision`, { decision: 'approved', checklist, summary: 'Жакшы' });
    expect(approved.ok(), await approved.text()).toBe(true);
    const course = await (await learner.request.get(`/api/courses/${slug}`)).json();
    for (const m of course.modules) for (const l of m.lessons) lessonIds[l.slug] = l.id;
    expect(Object.keys(lessonIds)).toEqual(['lesson-1', 'lesson-2', 'lesson-3']);
    expect((await api(learner, 'POST', `/api/courses/${slug}/enrolments`)).status()).toBe(201);
  });
});

describe('a learner takes the package', () => {
  it('answers, suspends, comes back to the same place (suspend data, location, entry resume), finishes: the lesson is viewed', async () => {
    const page = await learner.newPage();
    const lessonPath = `/ky/courses/${slug}/lessons/lesson-1`;
    await page.goto(lessonPath);
    const frame = packageFrame(page);
    await expect.poll(() => frame.locator('#state').innerText(), { timeout: 15_000 }).toContain('init=true');
    expect(await frame.locator('#state').innerText()).toContain('entry=ab-initio');
    expect(await frame.locator('#learner').innerText()).toBe('Айгүл Асанова');
    await frame.getByRole('button', { name: 'Жооп берүү' }).click();
    await frame.getByRole('button', { name: 'Жооп берүү' }).click();
    await expect.poll(async () => (await (await learner.request.get(`/api/lessons/${lessonIds['lesson-1']}/scorm`)).json()).cmi?.suspend_data).toBe('answered=2;лекция=окулду');
    await frame.getByRole('button', { name: 'Кийин улантуу' }).click();
    await expect.poll(async () => (await (await learner.request.get(`/api/lessons/${lessonIds['lesson-1']}/scorm`)).json()).cmi?.exit).toBe('suspend');
    const stored = await (await learner.request.get(`/api/lessons/${lessonIds['lesson-1']}/scorm`)).json();
    expect(stored.cmi.interactions['1']).toMatchObject({ id: 'q2', type: 'choice', learner_response: 'b', result: 'correct' });
    expect(stored.cmi.location).toBe('page-3');

    await page.goto(lessonPath);
    await expect.poll(() => packageFrame(page).locator('#state').innerText(), { timeout: 15_000 }).toContain('entry=resume location=page-3 suspend=answered=2;лекция=окулду');
    await packageFrame(page).getByRole('button', { name: 'Аяктоо' }).click();
    await expect.poll(async () => (await (await learner.request.get(`/api/lessons/${lessonIds['lesson-1']}/scorm`)).json()).viewed).toBe(true);
    const after = await (await learner.request.get(`/api/lessons/${lessonIds['lesson-1']}/scorm`)).json();
    expect(after).toMatchObject({ completion: 'completed', success: 'passed', score: 0.9, passed: true });
    await expect.poll(() => page.locator('[data-scorm-status]').innerText()).toContain('Пакет аяктаганын билдирди');
    // the lesson page around the package: no serious accessibility violation, at phone width too
    expect(await seriousViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });

  it('commits made offline wait on the device and are sent when the connection returns', async () => {
    const page = await learner.newPage();
    const id = lessonIds['lesson-2']!;
    await page.goto(`/ky/courses/${slug}/lessons/lesson-2`);
    const frame = packageFrame(page);
    await expect.poll(() => frame.locator('#state').innerText(), { timeout: 15_000 }).toContain('init=true');
    await learner.setOffline(true);
    await frame.getByRole('button', { name: 'Жооп берүү' }).click();
    await expect.poll(() => page.locator('[data-scorm-status]').innerText()).toContain('Байланыш жок');
    expect(await page.evaluate((k) => localStorage.getItem(k), `bilim.scorm.${id}`)).toContain('answered=1');
    await learner.setOffline(false);
    await expect.poll(async () => (await (await learner.request.get(`/api/lessons/${id}/scorm`)).json()).cmi?.suspend_data, { timeout: 20_000 }).toBe('answered=1;лекция=окулду');
    await expect.poll(() => page.evaluate((k) => localStorage.getItem(k), `bilim.scorm.${id}`)).toBeNull();
    await page.close();
  });

  it('a value the package sets and never commits is saved within seconds (autocommit)', async () => {
    const page = await learner.newPage();
    const id = lessonIds['lesson-2']!;
    await page.goto(`/ky/courses/${slug}/lessons/lesson-2`);
    await expect.poll(() => packageFrame(page).locator('#state').innerText(), { timeout: 15_000 }).toContain('init=true');
    const frame = page.frames().find((f) => f.url().includes('/scorm-content/p/'))!;
    await frame.evaluate(() => (window as unknown as { API_1484_11: { SetValue(k: string, v: string): string } }).API_1484_11.SetValue('cmi.location', 'slide-9'));
    await expect.poll(async () => (await (await learner.request.get(`/api/lessons/${id}/scorm`)).json()).cmi?.location, { timeout: 20_000 }).toBe('slide-9');
    await page.close();
  });

  it("a package's script cannot act as the learner on the platform's API (sandboxed frame, opaque origin)", async () => {
    const page = await learner.newPage();
    await page.goto(`/ky/courses/${slug}/lessons/lesson-3`);
    const attack = packageFrame(page).locator('#attack[data-done="1"]');
    await attack.waitFor({ timeout: 15_000 });
    const text = await attack.innerText();
    expect(text).not.toContain('LEAK');
    expect(text).toContain('relative-me:blocked');
    expect(text).toContain('platform-me:blocked');
    expect(text).toContain('platform-enrolments:blocked');
    expect(text).toContain('platform-logout:blocked');
    // an opaque origin has no cookie jar at all
    expect(text).toContain('cookie:blocked');
    expect(text).toContain('top-document:blocked');
    // the learner is still signed in (the logout attempt did nothing)
    expect((await learner.request.get('/api/me')).status()).toBe(200);
    // and the package still has its runtime (it is a SCO like any other)
    expect(await packageFrame(page).locator('#state').innerText()).toContain('init=true');
    await page.close();
  });
});

describe('with CONTENT_ORIGIN: the packages on their own origin', () => {
  let server: ChildProcess | undefined;
  let platform = '';
  let content = '';
  beforeAll(async () => {
    const [port, contentPort] = [await freePort(), await freePort()];
    platform = `http://127.0.0.1:${port}`;
    content = `http://127.0.0.1:${contentPort}`;
    server = spawn(process.execPath, ['dist/server/entry.mjs'], {
      env: {
        ...process.env,
        DATABASE_URL: ownServer().databasePath,
        NODE_ENV: 'test',
        HOST: '127.0.0.1',
        PORT: String(port),
        CONTENT_ORIGIN: content,
        CONTENT_PORT: String(contentPort),
        MAIL_INTERVAL_SECONDS: '0',
        WEBHOOK_INTERVAL_SECONDS: '0',
        REMINDER_INTERVAL_MINUTES: '0',
        QUIZ_SWEEP_SECONDS: '0',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    for (let i = 0; i < 100; i++) {
      try {
        if ((await fetch(`${platform}/api/health`)).ok) return;
      } catch {
        // not yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the second server did not start');
  }, 30_000);
  afterAll(() => {
    server?.kill();
  });

  it('the content host serves packages only; the platform host does not serve them', async () => {
    expect((await fetch(`${content}/api/health`)).status).toBe(404);
    expect((await fetch(`${content}/ky/`)).status).toBe(404);
    expect((await fetch(`${platform}/scorm-content/runtime/scorm12.js`)).status).toBe(404);
    expect((await fetch(`${content}/scorm-content/runtime/scorm12.js`)).status).toBe(200);
  });

  it('the learner takes a package from the content origin; its attack on the API fails', async () => {
    const context = await signedIn('learner@demo.kg', platform);
    const page = await context.newPage();
    await page.goto(`/ky/courses/${slug}/lessons/lesson-1`);
    const src = await page.locator('iframe.scorm-frame').getAttribute('src');
    expect(src?.startsWith(`${content}/scorm-content/p/`)).toBe(true);
    expect(await page.locator('iframe.scorm-frame').getAttribute('sandbox')).toContain('allow-same-origin');
    await expect.poll(() => packageFrame(page).locator('#state').innerText(), { timeout: 15_000 }).toContain('init=true');
    // resumed from what the other server stored: the same database
    expect(await packageFrame(page).locator('#state').innerText()).toContain('suspend=answered=2;лекция=окулду');
    await packageFrame(page).getByRole('button', { name: 'Жооп берүү' }).click();
    await expect.poll(async () => (await (await context.request.get(`/api/lessons/${lessonIds['lesson-1']}/scorm`)).json()).cmi?.suspend_data).toBe('answered=3;лекция=окулду');

    const evil = await context.newPage();
    // the attack package, built for this platform origin
    await evil.goto(`/ky/courses/${slug}/lessons/lesson-3`);
    const attack = packageFrame(evil).locator('#attack[data-done="1"]');
    await attack.waitFor({ timeout: 15_000 });
    const text = await attack.innerText();
    expect(text).not.toContain('LEAK');
    // the session cookie is httpOnly: never readable by the package
    expect(text).not.toContain('cookie:SEEN');
    expect(text).toContain('top-document:blocked');
    expect(text).toContain('relative-me:blocked');
    expect(text).toContain('platform-me:blocked');
    expect(text).toContain('platform-logout:blocked');
    expect((await context.request.get('/api/me')).status()).toBe(200);
    await context.close();
  });
});
