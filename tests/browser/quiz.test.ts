import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { baseURL, launch, seriousViolations, signedInPage } from './browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

async function signedIn(email: string, options: { javaScriptEnabled?: boolean; width?: number; open?: string | false } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const page = await signedInPage(browser, email, { ...options, viewport: { width: options.width ?? 1280, height: 900 } });
  return { context: page.context(), page };
}

/** Enrols the signed-in person in the course whose tests they take (a course's tests are for its enrolled learners). */
async function enrol(page: Page, slug = 'ethics-conflict-of-interest'): Promise<void> {
  const res = await page.request.post(`/api/courses/${slug}/enrolments`, { headers: { origin: baseURL() } });
  expect([200, 201]).toContain(res.status());
}

/** Gives some answer to every question of the attempt page, as a learner would. */
async function answerAll(page: Page): Promise<void> {
  const questions = page.locator('fieldset[data-question]');
  const n = await questions.count();
  expect(n).toBeGreaterThan(0);
  for (let i = 0; i < n; i++) {
    const q = questions.nth(i);
    if (await q.locator('input[type=radio]').count()) await q.locator('input[type=radio]').first().check();
    else if (await q.locator('input[type=checkbox]').count()) await q.locator('input[type=checkbox]').first().check();
    else if (await q.locator('input[inputmode=decimal]').count()) await q.locator('input[inputmode=decimal]').fill('7');
    else if (await q.locator('input[type=text]').count()) await q.locator('input[type=text]').fill('Өзүн-өзү четтетүү');
    else if (await q.locator('textarea').count()) await q.locator('textarea').fill('Жетекчиге жазуу жүзүндө билдирем жана чечимин күтөм.');
    else if (await q.locator('select.position-select').count()) await q.locator('select').first().selectOption('2');
    else {
      const selects = q.locator('select');
      for (let j = 0; j < (await selects.count()); j++) await selects.nth(j).selectOption({ index: j + 1 });
    }
    await q.locator('.question-text').click(); // leaves the field: text answers are saved on change
  }
}

/** What the form shows for each question: checked boxes, typed text, chosen options. */
function formState(page: Page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('fieldset[data-question]')].map((fs) => ({
      id: fs.getAttribute('data-question'),
      checked: [...fs.querySelectorAll<HTMLInputElement>('input[type=radio],input[type=checkbox]')].filter((i) => i.checked).map((i) => i.value),
      text: [...fs.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('input[type=text],textarea')].map((i) => i.value),
      selects: [...fs.querySelectorAll<HTMLSelectElement>('select')].map((s) => s.value),
    })),
  );
}
const statuses = (page: Page) => page.locator('fieldset[data-question] .save-status').evaluateAll((els) => els.map((e) => e.getAttribute('data-status')));

describe('taking a test', () => {
  it('answers are saved one by one, survive a reload, and the result shows in both languages', async () => {
    const { context, page } = await signedIn('learner@demo.kg', { open: false });
    await enrol(page);
    await page.goto('/ky/courses/ethics-conflict-of-interest');
    await page.getByRole('link', { name: /1-модулдун тести/ }).click();
    expect(await page.locator('main').textContent()).toContain('Өтүү баллы');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Тестти баштоо' }).click();
    await page.waitForURL(/\/ky\/attempts\/\d+$/);
    expect(await page.locator('fieldset[data-question]').count()).toBe(5);
    await page.locator('astro-island:not([ssr])').waitFor({ state: 'attached' });
    expect(await page.getByRole('timer').textContent()).toMatch(/Калган убакыт: 1[45]:\d\d/);
    expect(await seriousViolations(page)).toEqual([]);
    await answerAll(page);
    await expect.poll(() => statuses(page), { timeout: 10_000 }).toEqual(Array(5).fill('saved'));
    expect(await page.locator('.save-status').first().textContent()).toContain('Сакталды');
    const before = await formState(page);

    // A reload (or another device) finds every answer.
    await page.reload();
    expect(await formState(page)).toEqual(before);
    expect(await statuses(page)).toEqual(Array(5).fill('saved'));

    await page.getByRole('button', { name: 'Тестти аяктоо' }).click();
    await page.waitForURL(/confirm=1/);
    expect(await page.locator('main').textContent()).toContain('Бардык суроолорго жооп берилди.');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Тестти тапшыруу' }).click();
    await page.waitForURL(/\/ky\/attempts\/\d+\/result$/);
    const panel = page.getByTestId('result');
    expect(await panel.textContent()).toMatch(/Сиз тесттен өттүңүз|Сиз тесттен өткөн жоксуз/);
    expect(await panel.textContent()).toMatch(/Упай: [\d,]+ \/ 5/);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Тесттин жыйынтыгы');
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole('link', { name: 'Русский' }).click();
    await page.waitForURL(/\/ru\/attempts\/\d+\/result$/);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Результат теста');
    expect(await page.getByTestId('result').textContent()).toMatch(/Баллы: [\d,]+ из 5/);
    expect(await page.getByTestId('result').textContent()).toMatch(/Тест сдан|Тест не сдан/);
    await context.close();
  });

  it('keeps an answer given offline and sends it when the connection is back', async () => {
    const { context, page } = await signedIn('municipal@demo.kg', { open: false });
    await enrol(page);
    await page.goto('/ky/courses/ethics-conflict-of-interest');
    await page.getByRole('link', { name: /2-модулдун тести/ }).click();
    await page.getByRole('button', { name: 'Тестти баштоо' }).click();
    await page.waitForURL(/\/ky\/attempts\/\d+$/);
    await page.locator('astro-island:not([ssr])').waitFor({ state: 'attached' }); // the island is interactive
    await context.setOffline(true);
    const first = page.locator('fieldset[data-question]').first();
    if (await first.locator('input[type=radio]').count()) await first.locator('input[type=radio]').first().check();
    else if (await first.locator('input[type=checkbox]').count()) await first.locator('input[type=checkbox]').first().check();
    else if (await first.locator('input[type=text]').count()) {
      await first.locator('input[type=text]').fill('самоотвод');
      await first.locator('.question-text').click();
    } else await first.locator('select').first().selectOption({ index: 1 });
    await expect.poll(() => first.locator('.save-status').getAttribute('data-status')).toBe('unsaved');
    // the form's own notice (the page's offline banner, also a status, says it for the whole site)
    expect(await page.locator('.attempt-form').getByRole('status').first().textContent()).toContain('Байланыш жок');
    const stored = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('bilim.attempt.')).length);
    expect(stored).toBe(1);
    await context.setOffline(false);
    await expect.poll(() => first.locator('.save-status').getAttribute('data-status'), { timeout: 15_000 }).toBe('saved');
    await context.close();
  });

  it('works with JavaScript off: the form saves every answer, and submitting grades it', async () => {
    const { context, page } = await signedIn('osh@demo.kg', { javaScriptEnabled: false, open: false });
    await enrol(page);
    await page.goto('/ru/courses/ethics-conflict-of-interest');
    await page.getByRole('link', { name: /Тест модуля 3/ }).click();
    await page.getByRole('button', { name: 'Начать тест' }).click();
    await page.waitForURL(/\/ru\/attempts\/\d+$/);
    await answerAll(page);
    await page.getByRole('button', { name: 'Сохранить ответы' }).click();
    await page.waitForURL(/saved=\d+/);
    expect(await page.getByRole('status').textContent()).toMatch(/Сохранен[оа]? \d+ ответ/);
    expect(await page.locator('.save-status[data-status=saved]').count()).toBe(5);
    await page.getByRole('button', { name: 'Завершить тест' }).click();
    await page.waitForURL(/confirm=1/);
    await page.getByRole('button', { name: 'Сдать тест' }).click();
    await page.waitForURL(/\/ru\/attempts\/\d+\/result$/);
    expect(await page.getByTestId('result').textContent()).toMatch(/Баллы: [\d,]+ из 5/);
    await context.close();
  });

  it('lets the trainer grade an essay by its rubric, and shows the item analysis', async () => {
    // A learner writes the final test's essay (through the API the island uses) and submits.
    const learner = await signedIn('hr@demo.kg', { open: false });
    await enrol(learner.page);
    const origin = { origin: baseURL() };
    const quizzes = (await (await learner.page.request.get('/api/courses/ethics-conflict-of-interest/quizzes')).json()).quizzes as { id: number; kind: string }[];
    const started = await (await learner.page.request.post(`/api/quizzes/${quizzes.find((q) => q.kind === 'final')!.id}/attempts`, { headers: origin })).json();
    const essay = started.questions.find((q: { kind: string }) => q.kind === 'essay');
    const put = await learner.page.request.put(`/api/attempts/${started.attempt.id}/answers/${essay.id}`, {
      headers: origin,
      data: { response: { text: 'Жубайымдын иниси арыз берсе, документтерин текшербей, башчыга жазуу жүзүндө билдирем.' }, seq: 1 },
    });
    expect(put.status()).toBe(200);
    expect((await learner.page.request.post(`/api/attempts/${started.attempt.id}/submit`, { headers: origin })).status()).toBe(200);
    await learner.page.goto(`/ky/attempts/${started.attempt.id}/result`);
    expect(await learner.page.getByTestId('result').textContent()).toContain('окутуучу баалагандан кийин');

    const { context, page } = await signedIn('trainer@demo.kg');
    await page.getByRole('link', { name: 'Баалоо' }).click();
    await page.waitForURL('**/ky/trainer/grading');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Жазуу тапшырмаларын баалоо');
    expect(await seriousViolations(page)).toEqual([]);
    const item = page.locator('.grading-item').filter({ hasText: 'Нургүл Токтогулова' });
    const points = item.locator('input[name=points]');
    for (let i = 0; i < (await points.count()); i++) await points.nth(i).fill('2');
    await item.getByLabel('Пикир (угуучу көрөт)').fill('Кадамдар туура, билдирүүнүн мазмунун толуктаңыз.');
    await item.getByRole('button', { name: 'Баалоону сактоо' }).click();
    await page.waitForURL('**/ky/trainer/grading?done=1');
    expect(await page.getByRole('status').textContent()).toContain('Баа сакталды');
    expect(await page.locator('.grading-item').filter({ hasText: 'Нургүл Токтогулова' }).count()).toBe(0);
    await learner.page.reload();
    expect(await learner.page.getByTestId('result').textContent()).toMatch(/Сиз тесттен өткөн жоксуз|Сиз тесттен өттүңүз/);
    await learner.context.close();

    await page.getByRole('link', { name: 'Тесттердин суроолорун талдоо' }).click();
    await page.getByRole('link', { name: /1-модулдун тести: Кызматтык этиканын негиздери/ }).click();
    expect(await page.locator('main').textContent()).toContain('Жеңилдик индекси');
    expect(await page.locator('table.analysis tbody tr').count()).toBeGreaterThanOrEqual(1);
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });
});
