/**
 * Issue #16: a learner who had finished a lesson sees, after the academy publishes a new version in
 * which that lesson changed, "updated on …, read it again" on the course page and on the lesson —
 * in Kyrgyz, on a phone (390 px) — and the mark goes once the new text is read. The course goes
 * through the real workflow (draft, submit, review, approve) twice. Uses its own course.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launch, pageApi as api, seriousViolations, signedInPage } from './browser';

let browser: Browser;
const contexts: BrowserContext[] = [];
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
});

const signedIn = (email: string, viewport = { width: 1280, height: 900 }) => signedInPage(browser, email, { contexts, viewport });



const SLUG = `updated-${Date.now().toString(36)}`;
const para = (text: string) => ({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });
const PASS_ALL = ['objectives', 'languages', 'practice', 'assessment', 'accessibility'].map((item) => ({ item, result: 'pass', comment: '' }));

describe('a finished lesson that changed in a new version', () => {
  let trainer: Page;
  let reviewer: Page;
  let learner: Page;

  async function approve(draftId: number) {
    await api(trainer, 'POST', `/api/review/drafts/${draftId}/submit`);
    await api(reviewer, 'POST', `/api/review/drafts/${draftId}/take`);
    await api(reviewer, 'POST', `/api/review/drafts/${draftId}/decision`, { decision: 'approved', checklist: PASS_ALL });
  }

  it('the academy publishes a course; a learner on a phone reads its first lesson', async () => {
    trainer = await signedIn('trainer@demo.kg');
    reviewer = await signedIn('reviewer@demo.kg');
    const { id } = await api(trainer, 'POST', '/api/author/drafts', { slug: SLUG, titleKy: 'Кызматтык этика: жаңыланган курс' });
    const d = await api(trainer, 'GET', `/api/author/drafts/${id}`);
    const lesson = (slug: string, ky: string, ru: string) => ({ slug, title: { ky, ru }, minutes: 10, kind: 'theory', doc: { ky: para(`${ky}: сабактын тексти.`), ru: para(`${ru}: текст урока.`) } });
    const manifest = {
      ...d.content.manifest,
      title: { ky: 'Кызматтык этика: жаңыланган курс', ru: 'Служебная этика: обновлённый курс' },
      summary: { ky: 'Кыскача', ru: 'Кратко' },
      description: { ky: 'Сүрөттөмө.', ru: 'Описание.' },
      objectives: { ky: ['Этиканы билүү'], ru: ['Знать этику'] },
      modules: [{ title: { ky: 'Негиздер', ru: 'Основы' }, lessons: [lesson('rules', 'Эрежелер', 'Правила'), lesson('gifts', 'Белектер', 'Подарки'), lesson('cases', 'Мисалдар', 'Примеры')] }],
    };
    await api(trainer, 'PUT', `/api/author/drafts/${id}`, { revision: d.revision, content: { manifest } });
    await approve(id);

    learner = await signedIn('learner@demo.kg', { width: 390, height: 844 });
    await api(learner, 'POST', `/api/courses/${SLUG}/enrolments`);
    await learner.goto(`/ky/courses/${SLUG}/lessons/rules`);
    // the button sends the progress, then opens the next lesson: wait for that before leaving
    await Promise.all([learner.waitForURL((u) => !u.pathname.endsWith('/lessons/rules')), learner.getByRole('button', { name: /окуп бүттүм|Кийинки/ }).first().click()]);
    await learner.goto(`/ky/courses/${SLUG}`);
    expect(await learner.locator('.outline li', { hasText: 'Эрежелер' }).locator('.viewed-mark').count()).toBe(1);
    expect(await learner.locator('.lesson-updated').count()).toBe(0);
  });

  it('after a new version changes that lesson, the course page and the lesson say so; reading it again clears it', async () => {
    const { id } = await api(trainer, 'POST', `/api/author/courses/${SLUG}/draft`);
    const d = await api(trainer, 'GET', `/api/author/drafts/${id}`);
    await api(trainer, 'PUT', `/api/author/drafts/${id}/lessons/rules`, { revision: d.revision, lesson: { doc: { ky: para('Эрежелер: жаңы редакция.'), ru: para('Правила: новая редакция.') } } });
    await approve(id);

    await learner.goto(`/ky/courses/${SLUG}`);
    const rules = learner.locator('.outline li', { hasText: 'Эрежелер' });
    expect(await rules.locator('.lesson-updated').textContent()).toMatch(/· \d{4}-жылдын \d{1,2}-\p{L}+ жаңыртылды, кайра окуңуз$/u);
    expect(await rules.locator('.viewed-mark').count()).toBe(0);
    // the unchanged lessons carry no mark
    expect(await learner.locator('.lesson-updated').count()).toBe(1);
    expect(await learner.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    expect(await seriousViolations(learner)).toEqual([]);

    await rules.getByRole('link', { name: 'Эрежелер' }).click();
    const notice = learner.locator('p.notice', { hasText: 'Сиз бул сабакты мурда өткөнсүз' });
    expect(await notice.textContent()).toMatch(/^Сиз бул сабакты мурда өткөнсүз, бирок ал \d{4}-жылдын \d{1,2}-\p{L}+ жаңыртылды: аны кайра окуп чыгыңыз\.$/u);
    expect(await learner.locator('.lesson-body').textContent()).toContain('жаңы редакция');
    expect(await learner.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    expect(await seriousViolations(learner)).toEqual([]);
    // the button sends the progress, then opens the next lesson: wait for that before leaving
    await Promise.all([learner.waitForURL((u) => !u.pathname.endsWith('/lessons/rules')), learner.getByRole('button', { name: /окуп бүттүм|Кийинки/ }).first().click()]);
    await learner.goto(`/ky/courses/${SLUG}`);
    expect(await learner.locator('.lesson-updated').count()).toBe(0);
    expect(await learner.locator('.outline li', { hasText: 'Эрежелер' }).locator('.viewed-mark').count()).toBe(1);
  });
});
