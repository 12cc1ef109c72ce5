/**
 * Issue #6 end to end in Chromium: a trainer starts a course, writes its lesson in Kyrgyz with the
 * editor (the course details go through the authoring API), builds a question bank with the plain
 * forms, submits from the review panel; the reviewer requests a change through the checklist; the trainer sees
 * the decision, fixes the lesson and resubmits; the reviewer approves and the course is in the catalog.
 * Uses its own course (slug review-e2e-…), so other browser test files are not affected.
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

const signedIn = (email: string, javaScriptEnabled = true) => signedInPage(browser, email, { contexts, javaScriptEnabled });



const SLUG = `review-e2e-${Date.now().toString(36)}`;
const TITLE = 'Кызыкчылыктардын кагылышы: практикум';

describe('review and publication in Chromium', () => {
  let draftId = 0;
  let trainer: Page;
  let reviewer: Page;

  it('a trainer writes a course in Kyrgyz — the lesson with the editor — and builds its question bank with the plain forms', async () => {
    trainer = await signedIn('trainer@demo.kg');
    await trainer.goto('/ky/author');
    await trainer.getByLabel('Курстун шилтеме аты').fill(SLUG);
    await trainer.getByLabel('Аталышы (Кыргызча)').fill(TITLE);
    await trainer.getByRole('button', { name: 'Долбоор түзүү' }).click();
    await trainer.waitForURL(/\/ky\/author\/drafts\/\d+$/);
    draftId = Number(new URL(trainer.url()).pathname.split('/').pop());
    expect(await trainer.locator('.review-status').textContent()).toContain('Долбоор');
    // The course's details (the course form is the author helper's; here through its API).
    const detail = await api(trainer, 'GET', `/api/author/drafts/${draftId}`);
    const manifest = detail.content.manifest;
    // the trainer writes for the academy (their account's provider): the new draft names it already
    expect(typeof manifest.provider).toBe('number');
    Object.assign(manifest, {
      summary: { ky: 'Кызыкчылыктардын кагылышын таануу жана чечүү.' },
      description: { ky: 'Кыска практикалык курс.' },
      objectives: { ky: ['Кызыкчылыктардын кагылышын тааный алат'] },
    });
    manifest.modules[0].title = { ky: 'Негиздер' };
    await api(trainer, 'PUT', `/api/author/drafts/${draftId}`, { revision: detail.revision, content: { manifest } });

    // The lesson, in Kyrgyz, with the editor.
    await trainer.goto(`/ky/author/drafts/${draftId}/lessons/lesson-1`);
    await trainer.locator('.lesson-editor[data-ready="true"]').waitFor();
    await trainer.locator('#title-ky').fill('Кагылыш деген эмне');
    await trainer.locator('.editor-surface[data-lang="ky"]').click();
    await trainer.keyboard.type('Кызматчынын жеке кызыкчылыгы анын милдетине таасир этсе, бул кагылыш.');
    await expect.poll(() => trainer.locator('.editor-status').textContent(), { timeout: 10_000 }).toContain('Автоматтык түрдө сакталды');
    await trainer.getByRole('button', { name: 'Сабакты сактоо' }).click();
    await trainer.waitForURL((u) => u.searchParams.get('saved') === '1');
    expect(await trainer.locator('.editor-surface[data-lang="ky"]').textContent()).toContain('бул кагылыш');

    // The question bank, with the forms (each kind has its own).
    await trainer.goto(`/ky/author/drafts/${draftId}/questions`);
    // nobody types an id: the category, question and test get theirs from the service
    expect(await trainer.getByLabel('Белгиси (id)').count()).toBe(0);
    await trainer.getByLabel('Аталышы (Кыргызча)').fill('1-модуль');
    await trainer.getByLabel('Аталышы (Орусча)').fill('Модуль 1');
    await trainer.getByRole('button', { name: 'Категория кошуу' }).click();
    await expect.poll(() => trainer.getByRole('status').first().textContent()).toContain('Категория кошулду');
    await trainer.getByLabel('Суроонун түрү').selectOption('truefalse');
    await trainer.getByRole('button', { name: 'Суроо кошуу' }).click();
    await trainer.waitForURL((u) => u.pathname.endsWith('/questions/new'));
    // An empty form names every problem at once, each by its field in words, linked to the field.
    await trainer.getByRole('button', { name: 'Суроону сактоо' }).click();
    const problems = trainer.locator('.error-summary li a');
    expect(await problems.count()).toBeGreaterThan(1);
    for (const text of await problems.allTextContents()) expect(text).not.toMatch(/[a-z]+\.[a-z0-9]+/);
    expect(await problems.allTextContents()).toContainEqual(expect.stringContaining('«Суроонун тексти (кыргызча)»'));
    for (const href of await problems.evaluateAll((links) => links.map((a) => a.getAttribute('href')!))) {
      expect(await trainer.locator(href).count(), href).toBe(1);
    }
    expect(await trainer.getByLabel('Белгиси (id)').count()).toBe(0);
    await trainer.locator('#text-ky').fill('Кызматчы кызматтык маселе боюнча белек ала алат.');
    await trainer.getByLabel('Туура эмес', { exact: true }).check();
    expect(await seriousViolations(trainer)).toEqual([]);
    await trainer.getByRole('button', { name: 'Суроону сактоо' }).click();
    await trainer.waitForURL((u) => u.pathname.endsWith('/questions'));
    const row = trainer.locator('tbody tr', { hasText: 'белек ала алат' });
    expect(await row.textContent()).toContain('Котормосу жок: орусча');
    // Tests are published in both languages: the Russian text is added on the question's page.
    await row.getByRole('link', { name: 'Өзгөртүү' }).click();
    expect(await trainer.locator('#text-ru-missing').textContent()).toBe('Котормосу жок');
    await trainer.locator('#text-ru').fill('Служащий может принять подарок по служебному вопросу.');
    await trainer.getByRole('button', { name: 'Суроону сактоо' }).click();
    await trainer.waitForURL((u) => u.pathname.endsWith('/questions'));
    expect(await trainer.locator('tbody tr', { hasText: 'белек ала алат' }).textContent()).not.toContain('Котормосу жок');
    await trainer.getByRole('link', { name: 'Тест кошуу' }).click();
    await trainer.getByLabel('Жыйынтыктоочу тест', { exact: true }).check();
    await trainer.locator('#title-ky').fill('Жыйынтыктоочу тест');
    await trainer.locator('#title-ru').fill('Итоговый тест');
    await trainer.getByLabel('1-эреже: категория').selectOption({ label: '1-модуль (1)' });
    await trainer.getByLabel('1-эреже: суроолордун саны').fill('1');
    await trainer.getByLabel('Өтүү баллы', { exact: true }).fill('100');
    await trainer.getByRole('button', { name: 'Тестти сактоо' }).click();
    await trainer.waitForURL((u) => u.pathname.endsWith('/questions'));
    expect(await trainer.locator('#quizzes + .table-wrap tbody tr', { hasText: 'Жыйынтыктоочу тест' }).count()).toBe(1);
    expect(await seriousViolations(trainer)).toEqual([]);
  });

  it('the trainer submits from the review panel; the draft is then locked', async () => {
    await trainer.goto(`/ky/author/drafts/${draftId}`);
    await trainer.locator('.review-status').getByRole('button', { name: 'Текшерүүгө жөнөтүү' }).click();
    await trainer.waitForURL((u) => u.pathname === `/ky/author/drafts/${draftId}`);
    expect(await trainer.locator('.review-status').textContent()).toContain('Текшерүүгө жөнөтүлдү');
    expect(await seriousViolations(trainer)).toEqual([]);
    await trainer.goto(`/ky/author/drafts/${draftId}/questions`);
    expect(await trainer.locator('.notice').first().textContent()).toContain('текшерүүгө жөнөтүлгөн');
    expect(await trainer.getByRole('button', { name: 'Категория кошуу' }).count()).toBe(0);
  });

  it('the reviewer takes it from the queue and requests a change with the checklist (no JavaScript)', async () => {
    reviewer = await signedIn('reviewer@demo.kg', false);
    await reviewer.getByRole('link', { name: 'Курстарды текшерүү' }).click();
    await reviewer.waitForURL('**/ky/academy/reviews');
    await reviewer.getByRole('link', { name: TITLE }).click();
    await reviewer.getByRole('button', { name: 'Текшерүүгө алуу' }).click();
    await expect.poll(() => reviewer.getByRole('status').first().textContent()).toContain('Курс текшерүүгө алынды');
    // The computed facts help: Russian is missing.
    const languages = reviewer.locator('fieldset', { hasText: 'Кыргызча жана орусча толук' });
    expect(await languages.locator('.facts-box').textContent()).toContain('Орусча жок');
    // The lesson is shown as a learner reads it.
    expect(await reviewer.locator('.draft-preview').textContent()).toContain('Кызматчынын жеке кызыкчылыгы');
    for (const item of ['objectives', 'languages', 'practice', 'assessment', 'accessibility']) {
      await reviewer.locator(`#checklist-${item}-${item === 'practice' ? 'fail' : 'pass'}`).check();
    }
    await reviewer.locator('#checklist-practice-comment').fill('Практикалык мисал кошуңуз: кагылыш кандай чечилет?');
    await reviewer.getByRole('button', { name: 'Оңдоону суроо' }).click();
    await expect.poll(() => reviewer.getByRole('status').first().textContent()).toContain('Оңдоо суралды');
    expect(await reviewer.locator('#history-title + .table-wrap').textContent()).toContain('Оңдоо суралды');
  });

  it('the trainer sees the decision, fixes the lesson and resubmits', async () => {
    // On the author page, then the full list with the reviewer's comments.
    await trainer.goto('/ky/author');
    const recent = trainer.locator('section[aria-labelledby="recent-decisions"]');
    expect(await recent.textContent()).toContain('Оңдоо суралды');
    await recent.getByRole('link', { name: 'Текшерүүчүлөрдүн бардык чечимдери' }).click();
    await trainer.waitForURL('**/ky/author/decisions');
    const text = await trainer.locator('.decision-list').textContent();
    expect(text).toContain('Оңдоо суралды');
    expect(text).toContain('Практикалык мисал кошуңуз');
    await trainer.goto(`/ky/author/drafts/${draftId}`);
    expect(await trainer.locator('.review-status').textContent()).toContain('Практикалык мисал кошуңуз');
    // The fix: a worked example, typed in the editor, saved automatically.
    await trainer.goto(`/ky/author/drafts/${draftId}/lessons/lesson-1`);
    await trainer.locator('.lesson-editor[data-ready="true"]').waitFor();
    await trainer.locator('.editor-surface[data-lang="ky"]').click();
    await trainer.keyboard.press('Control+End');
    await trainer.keyboard.press('Enter');
    await trainer.keyboard.type('Мисал: бөлүм башчысы тууганынын ишканасы катышкан сатып алууну карайт. Ал жетекчиге жазуу жүзүндө билдирип, чечимден четтейт.');
    await expect.poll(() => trainer.locator('.editor-status').textContent(), { timeout: 10_000 }).toContain('Автоматтык түрдө сакталды');
    await trainer.goto(`/ky/author/drafts/${draftId}`);
    await trainer.locator('.review-status').getByRole('button', { name: 'Кайра текшерүүгө жөнөтүү' }).click();
    await trainer.waitForURL((u) => u.pathname === `/ky/author/drafts/${draftId}`);
    expect(await trainer.locator('.review-status').textContent()).toContain('Текшерүүгө жөнөтүлдү');
  });

  it('the reviewer approves, and the course is in the catalog', async () => {
    await reviewer.goto(`/ky/academy/reviews/${draftId}`);
    await reviewer.getByRole('button', { name: 'Текшерүүгө алуу' }).click();
    expect(await reviewer.locator('.draft-preview').textContent()).toContain('Мисал: бөлүм башчысы');
    for (const item of ['objectives', 'languages', 'practice', 'assessment', 'accessibility']) await reviewer.locator(`#checklist-${item}-pass`).check();
    await reviewer.getByLabel('Окутуучуга жалпы комментарий').fill('Рахмат, курс даяр.');
    await reviewer.getByRole('button', { name: 'Жактыруу жана жарыялоо' }).click();
    await expect.poll(() => reviewer.getByRole('status').first().textContent()).toContain('Курс жактырылды жана жарыяланды');
    const history = await reviewer.locator('#history-title + .table-wrap').textContent();
    expect(history).toContain('Жактырылды');
    expect(history).toContain('Жарыяланды');

    // The pages pass axe (checked with JavaScript on, as an administrator may review too).
    const admin = await signedIn('admin@demo.kg');
    for (const path of ['/ky/academy/reviews', `/ky/academy/reviews/${draftId}`, `/ru/academy/reviews/${draftId}`]) {
      await admin.goto(path);
      expect(await seriousViolations(admin), path).toEqual([]);
    }

    const learner = await signedIn('learner@demo.kg');
    await learner.goto(`/ky/courses?q=${encodeURIComponent('Кызыкчылыктардын кагылышы')}`);
    expect(await learner.getByRole('link', { name: TITLE }).count()).toBeGreaterThan(0);
    expect((await learner.goto(`/ky/courses/${SLUG}`))!.status()).toBe(200);

    await trainer.goto('/ky/author/decisions');
    expect(await trainer.locator('.decision-list li').first().textContent()).toContain('Жактырылды жана жарыяланды');
  });
});
