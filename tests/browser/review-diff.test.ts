/**
 * Issue #16: a reviewer of a new version of a published course sees, on the review page in Kyrgyz,
 * what changed against the published version (a lesson's removed and added lines, a test's pass
 * mark before and after) and finds the checklist items that cover unchanged parts still passed.
 * Goes through the real workflow twice. Uses its own course (slug review-diff-…).
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

const signedIn = (email: string) => signedInPage(browser, email, { contexts });



const SLUG = `review-diff-${Date.now().toString(36)}`;
const doc = (...paras: string[]) => ({ type: 'doc', content: paras.map((text) => ({ type: 'paragraph', content: [{ type: 'text', text }] })) });
const bi = (ky: string, ru: string) => ({ ky, ru });
const PASS_ALL = ['objectives', 'languages', 'practice', 'assessment', 'accessibility'].map((item) => ({ item, result: 'pass', comment: item === 'objectives' ? 'Максаттар так.' : '' }));

describe('the reviewer of a new version sees the diff', () => {
  let trainer: Page;
  let reviewer: Page;
  let draftId = 0;
  let quizId = '';
  let category = '';

  it('a course is published, then a new version changes a paragraph and the pass mark', async () => {
    trainer = await signedIn('trainer@demo.kg');
    reviewer = await signedIn('reviewer@demo.kg');
    draftId = (await api(trainer, 'POST', '/api/author/drafts', { slug: SLUG, titleKy: 'Айырманы көрүү' })).id;
    let d = await api(trainer, 'GET', `/api/author/drafts/${draftId}`);
    const manifest = {
      ...d.content.manifest,
      title: bi('Айырманы көрүү', 'Просмотр отличий'), summary: bi('Кыскача', 'Кратко'), description: bi('Сүрөттөмө.', 'Описание.'), objectives: { ky: ['Билүү'], ru: ['Знать'] },
      modules: [{ title: bi('Негиздер', 'Основы'), lessons: [{ slug: 'ethics', title: bi('Этика', 'Этика'), minutes: 10, kind: 'theory', doc: { ky: doc('Кызматчы ак ниеттүү болот.', 'Белек алынбайт.'), ru: doc('Служащий честен.', 'Подарки не принимаются.') } }] }],
    };
    d = await api(trainer, 'PUT', `/api/author/drafts/${draftId}`, { revision: d.revision, content: { manifest } });
    const c = await api(trainer, 'POST', `/api/author/drafts/${draftId}/questions/categories`, { revision: d.revision, category: { title: bi('Негиздер', 'Основы') } });
    category = c.id;
    let revision = c.revision;
    for (let i = 0; i < 2; i++) revision = (await api(trainer, 'POST', `/api/author/drafts/${draftId}/questions`, { revision, question: { category, kind: 'truefalse', text: bi(`Суроо ${i}`, `Вопрос ${i}`), correct: true } })).revision;
    const z = await api(trainer, 'POST', `/api/author/drafts/${draftId}/quizzes`, { revision, quiz: { kind: 'final', title: bi('Жыйынтыктоочу тест', 'Итоговый тест'), draw: [{ category, count: 2 }], passPercent: 70 } });
    quizId = z.id;
    await api(trainer, 'POST', `/api/review/drafts/${draftId}/submit`);
    await api(reviewer, 'POST', `/api/review/drafts/${draftId}/take`);
    await api(reviewer, 'POST', `/api/review/drafts/${draftId}/decision`, { decision: 'approved', checklist: PASS_ALL });

    const again = await api(trainer, 'POST', `/api/author/courses/${SLUG}/draft`);
    expect(again.id).toBe(draftId);
    d = await api(trainer, 'GET', `/api/author/drafts/${draftId}`);
    d = await api(trainer, 'PUT', `/api/author/drafts/${draftId}/lessons/ethics`, { revision: d.revision, lesson: { doc: { ky: doc('Кызматчы ак ниеттүү болот.', 'Баасы 100 сомдон ашкан белек алынбайт.'), ru: doc('Служащий честен.', 'Подарки не принимаются.') } } });
    await api(trainer, 'PUT', `/api/author/drafts/${draftId}/quizzes/${quizId}`, { revision: d.revision, quiz: { kind: 'final', title: bi('Жыйынтыктоочу тест', 'Итоговый тест'), draw: [{ category, count: 2 }], passPercent: 80 } });
    await api(trainer, 'POST', `/api/review/drafts/${draftId}/submit`);
  });

  it('the review page shows what changed and keeps "passed" on the items that cover unchanged parts', async () => {
    await reviewer.goto(`/ky/academy/reviews/${draftId}`);
    await reviewer.getByRole('button', { name: 'Текшерүүгө алуу' }).click();
    await expect.poll(() => reviewer.getByRole('status').first().textContent()).toContain('Курс текшерүүгө алынды');
    const diff = reviewer.locator('section.published-diff');
    expect(await diff.getByRole('heading', { level: 2 }).textContent()).toBe('Жарыяланган нускадан айырмасы');
    const lesson = diff.locator('.diff-lesson', { hasText: 'Этика' });
    expect(await lesson.locator('del').allTextContents()).toEqual(['Алынып салынды: Белек алынбайт.']);
    expect(await lesson.locator('ins').allTextContents()).toEqual(['Кошулду: Баасы 100 сомдон ашкан белек алынбайт.']);
    expect(await lesson.textContent()).toContain('Тексти (кыргызча)');
    expect(await lesson.textContent()).not.toContain('орусча');
    expect(await diff.textContent()).toContain('Өтүү баллы');
    expect(await diff.locator('li', { hasText: 'Жыйынтыктоочу тест' }).textContent()).toMatch(/Өтүү баллы: Мурун 70 → Эми 80/);
    // objectives and practice were not touched: still passed, with the earlier comment, and said so
    const objectives = reviewer.locator('fieldset', { hasText: 'Окуунун максаттары жазылган' }).first();
    expect(await reviewer.locator('#checklist-objectives-pass').isChecked()).toBe(true);
    expect(await reviewer.locator('#checklist-practice-pass').isChecked()).toBe(true);
    expect(await objectives.locator('textarea').inputValue()).toBe('Максаттар так.');
    expect(await objectives.textContent()).toContain('Жарыяланган нускадан бери бул бөлүк өзгөргөн жок.');
    // what changed is to be checked again
    for (const item of ['languages', 'assessment', 'accessibility']) {
      expect(await reviewer.locator(`#checklist-${item}-pass`).isChecked(), item).toBe(false);
      expect(await reviewer.locator(`#checklist-${item}-fail`).isChecked(), item).toBe(false);
    }
    expect(await seriousViolations(reviewer)).toEqual([]);
  });
});
