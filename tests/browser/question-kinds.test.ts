/**
 * Every question kind of the registry end to end in Chromium, through its own parts
 * (docs/architecture.md, "Question kinds"): a trainer writes one question of each kind with the kind's
 * author form (JavaScript off), the bank holds what was typed, and the draft's test, tried as a learner
 * would (the try page renders the attempt form on the server), shows each kind's learner control —
 * answered right without JavaScript, every graded kind earns its full mark. Each page passes axe.
 * The hydrated island is driven by tests/browser/quiz.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { QUESTION_KINDS, type QuestionKind } from '@server/modules/quiz/types';
import { launch, pageApi, seriousViolations, signedInPage } from './browser';

/** The kind's fields as the author fills them (names are the JSON paths of questions.json). */
const AUTHOR: Record<QuestionKind, (page: Page) => Promise<void>> = {
  single: async (page) => {
    await fill(page, { 'choices.0.text': ['Ооба', 'Да'], 'choices.1.text': ['Жок', 'Нет'] });
    await page.locator('#correct-1').check();
  },
  multiple: async (page) => {
    await fill(page, { 'choices.0.text': ['Биринчи', 'Первый'], 'choices.1.text': ['Экинчи', 'Второй'], 'choices.2.text': ['Үчүнчү', 'Третий'] });
    await page.locator('#choices-0-correct').check();
    await page.locator('#choices-1-correct').check();
    await page.locator('#partialCredit').check();
  },
  truefalse: async (page) => page.locator('#correct-false').check(),
  short: async (page) => fill(page, { answers: ['Бишкек\nбишкек шаары', 'Бишкек'] }),
  numeric: async (page) => {
    await page.locator('#value').fill('3,5');
    await page.locator('#tolerance').fill('0,1');
    await fill(page, { unit: ['саат', 'час'] });
  },
  matching: async (page) => fill(page, { 'pairs.0.prompt': ['Бир', 'Один'], 'pairs.0.answer': ['1', '1'], 'pairs.1.prompt': ['Эки', 'Два'], 'pairs.1.answer': ['2', '2'], 'distractors.0': ['3', '3'] }),
  ordering: async (page) => fill(page, { 'items.0': ['Биринчи кадам', 'Первый шаг'], 'items.1': ['Экинчи кадам', 'Второй шаг'], 'items.2': ['Үчүнчү кадам', 'Третий шаг'] }),
  essay: async (page) => {
    await fill(page, { 'rubric.0.criterion': ['Толуктугу', 'Полнота'] });
    await page.locator('#rubric-0-points').fill('4');
    await page.locator('#minWords').fill('3');
  },
  questionnaire: async (page) => {
    // the five-point agreement scale is already there
    await page.locator('#qualities-0-key').fill('calm');
    await fill(page, { 'qualities.0.name': ['Токтоолук', 'Выдержка'], 'statements.0.text': ['Тынчмын', 'Я спокоен'] });
    await page.locator('#statements-0-quality').fill('calm');
    await page.locator('#statements-0-reversed').check();
  },
};

/** What the bank must hold of the kind's own fields afterwards. */
const STORED: Record<QuestionKind, Record<string, unknown>> = {
  single: { choices: [{ text: { ky: 'Ооба', ru: 'Да' }, correct: false }, { text: { ky: 'Жок', ru: 'Нет' }, correct: true }] },
  multiple: { partialCredit: true, choices: [{ correct: true }, { correct: true }, { correct: false }] },
  truefalse: { correct: false },
  short: { answers: { ky: ['Бишкек', 'бишкек шаары'], ru: ['Бишкек'] } },
  numeric: { value: 3.5, tolerance: 0.1, unit: { ky: 'саат', ru: 'час' } },
  matching: { pairs: [{ prompt: { ky: 'Бир', ru: 'Один' }, answer: { ky: '1', ru: '1' } }, { prompt: { ky: 'Эки', ru: 'Два' }, answer: { ky: '2', ru: '2' } }], distractors: [{ ky: '3', ru: '3' }] },
  ordering: { items: [{ ky: 'Биринчи кадам', ru: 'Первый шаг' }, { ky: 'Экинчи кадам', ru: 'Второй шаг' }, { ky: 'Үчүнчү кадам', ru: 'Третий шаг' }] },
  essay: { rubric: [{ criterion: { ky: 'Толуктугу', ru: 'Полнота' }, points: 4 }], minWords: 3 },
  questionnaire: { qualities: [{ key: 'calm', name: { ky: 'Токтоолук', ru: 'Выдержка' } }], statements: [{ text: { ky: 'Тынчмын', ru: 'Я спокоен' }, quality: 'calm', reversed: true }] },
};

/** The right answer through the kind's learner control, inside the question's own field set. */
const ANSWER: Record<QuestionKind, (q: Locator) => Promise<unknown>> = {
  single: (q) => q.getByLabel('Жок', { exact: true }).check(),
  multiple: async (q) => {
    await q.getByLabel('Биринчи', { exact: true }).check();
    await q.getByLabel('Экинчи', { exact: true }).check();
  },
  truefalse: (q) => q.locator('input[value=false]').check(),
  short: (q) => q.locator('input[type=text]').fill('Бишкек шаары'),
  numeric: (q) => q.locator('input[type=text]').fill('3,45'),
  matching: async (q) => {
    await q.getByLabel('Бир', { exact: true }).selectOption({ label: '1' });
    await q.getByLabel('Эки', { exact: true }).selectOption({ label: '2' });
  },
  ordering: async (q) => {
    for (const [i, item] of ['Биринчи кадам', 'Экинчи кадам', 'Үчүнчү кадам'].entries()) await q.locator('.order-row', { hasText: item }).locator('select').selectOption(String(i + 1));
  },
  essay: (q) => q.locator('textarea').fill('Адегенде жетекчиге жазуу жүзүндө билдирем.'),
  questionnaire: (q) => q.locator('input[type=radio]').nth(3).check(),
};

async function fill(page: Page, fields: Record<string, [string, string]>) {
  for (const [name, [ky, ru]] of Object.entries(fields)) {
    await page.locator(`[name="${name}.ky"]`).fill(ky);
    await page.locator(`[name="${name}.ru"]`).fill(ru);
  }
}

const questionText = (kind: string) => `${kind} деген суроо`;

let browser: Browser;
const contexts: BrowserContext[] = [];
let trainer: Page;
/** the same trainer with JavaScript: axe runs in the page, which a page without JavaScript cannot */
let withJs: Page;
let draft = '';
let draftId = 0;
beforeAll(async () => {
  browser = await launch();
  trainer = await signedInPage(browser, 'trainer@demo.kg', { contexts, javaScriptEnabled: false });
  trainer.setDefaultTimeout(10_000); // a field that is not there is named at once
  withJs = await signedInPage(browser, 'trainer@demo.kg', { contexts });
  const created = await pageApi(trainer, 'POST', '/api/author/drafts', { slug: `kinds-${Date.now().toString(36)}`, titleKy: 'Суроолордун түрлөрү' });
  draftId = created.id;
  draft = `/ky/author/drafts/${draftId}`;
  await pageApi(trainer, 'POST', `/api/author/drafts/${draftId}/questions/categories`, { revision: created.revision, category: { id: 'all', title: { ky: 'Баары', ru: 'Все' } } });
});
afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
});

describe('every question kind through its own parts', () => {
  it('a trainer writes one question of each kind with its own form (no JavaScript); the bank holds what was typed', async () => {
    for (const kind of QUESTION_KINDS) {
      await trainer.goto(`${draft}/questions/new?kind=${kind}`);
      expect(await trainer.locator('input[name=kind]').inputValue()).toBe(kind);
      await withJs.goto(`${draft}/questions/new?kind=${kind}`);
      expect(await seriousViolations(withJs), kind).toEqual([]);
      await fill(trainer, { text: [questionText(kind), `вопрос ${kind}`] });
      await AUTHOR[kind](trainer);
      await trainer.locator('form.bank-form button[type=submit]').click();
      await trainer.waitForLoadState();
      const refused = new URL(trainer.url()).pathname.endsWith('/questions') ? '' : (await trainer.locator('.error-text, .error-summary').allTextContents()).join(' | ');
      expect(refused, kind).toBe('');
    }
    const bank = await pageApi(trainer, 'GET', `/api/author/drafts/${draftId}/questions`);
    const questions = bank.questions as { kind: QuestionKind; text: { ky: string } }[];
    expect(questions.map((q) => q.kind).sort()).toEqual([...QUESTION_KINDS].sort());
    for (const kind of QUESTION_KINDS) expect(questions.find((q) => q.kind === kind), kind).toMatchObject({ text: { ky: questionText(kind) }, ...STORED[kind] });
  }, 240_000); // nine forms saved and checked by axe on a shared two-core machine

  it('a bad value is named on the kind’s own field and the form keeps what was typed', async () => {
    await trainer.goto(`${draft}/questions/new?kind=essay`);
    await fill(trainer, { text: ['Эссе', 'Эссе'], 'rubric.0.criterion': ['Толуктугу', 'Полнота'] });
    await trainer.locator('#rubric-0-points').fill('көп');
    await trainer.locator('form.bank-form button[type=submit]').click();
    await trainer.waitForLoadState();
    expect(new URL(trainer.url()).pathname).toBe(`${draft}/questions/new`);
    expect(await trainer.locator('#rubric-0-points').getAttribute('aria-invalid')).toBe('true');
    expect(await trainer.locator('[name="rubric.0.criterion.ky"]').inputValue()).toBe('Толуктугу');
  });

  it('tried as a learner would: each kind’s control, answered right without JavaScript, earns its full mark', async () => {
    const bank = await pageApi(trainer, 'GET', `/api/author/drafts/${draftId}/questions`);
    await pageApi(trainer, 'POST', `/api/author/drafts/${draftId}/quizzes`, {
      revision: bank.revision,
      quiz: { id: 'final', kind: 'final', modulePosition: null, title: { ky: 'Жыйынтыктоочу тест', ru: 'Итоговый тест' }, draw: [{ category: 'all', count: QUESTION_KINDS.length }], passPercent: 70, review: 'after_last_attempt' },
    });
    await trainer.goto(`${draft}/quizzes/final/try`);
    expect(await trainer.locator('fieldset.question').count()).toBe(QUESTION_KINDS.length);
    for (const kind of QUESTION_KINDS) await ANSWER[kind](trainer.locator('fieldset.question', { hasText: questionText(kind) }));
    await trainer.locator('button[name=action][value=finish]').click();
    await trainer.waitForSelector('#result-title');
    const items = trainer.locator('.preview-results > li');
    expect(await items.count()).toBe(QUESTION_KINDS.length);
    for (const kind of QUESTION_KINDS) {
      const line = await items.filter({ hasText: questionText(kind) }).locator('p').first().textContent();
      // graded kinds: full marks; the essay waits for a trainer; the questionnaire carries no mark
      expect(line, kind).toContain(kind === 'essay' ? 'окутуучу баалайт' : kind === 'questionnaire' ? 'упай берилбейт' : 'упайдын 100%');
    }

    // The same page for axe (which runs in the page, so with JavaScript): every kind's control is labelled.
    await withJs.goto(`${draft}/quizzes/final/try`);
    expect(await withJs.locator('fieldset.question').count()).toBe(QUESTION_KINDS.length);
    expect(await seriousViolations(withJs)).toEqual([]);
  });
});
