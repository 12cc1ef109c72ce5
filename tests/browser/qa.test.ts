import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { baseURL, launch, seriousViolations, signIn } from './browser';

/**
 * Learner Q&A on a phone with JavaScript off: the learner asks from a lesson (Kyrgyz), the trainer
 * is told and answers from their page (Russian), the learner is told and reads the answer, the academy hides
 * another question. Plain forms all the way; the text stays plain text.
 */
const PHONE = { width: 390, height: 844 };
const COURSE = 'state-language-in-official-work';
const LESSON = '01-state-language-and-business-style';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

async function personPage(lang: 'ky' | 'ru', email: string, javaScriptEnabled = false): Promise<Page> {
  const context = await browser.newContext({ baseURL: baseURL(), viewport: PHONE, javaScriptEnabled });
  context.setDefaultTimeout(15_000);
  return signIn(await context.newPage(), email, { lang });
}

const pageWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

describe('questions to the trainers, without JavaScript', () => {
  it('asked from a lesson, answered by the trainer, told to the learner, hidden by the academy', { timeout: 120_000 }, async () => {
    const learner = await personPage('ky', 'learner@demo.kg');
    const enrolled = await learner.request.post(`/api/courses/${COURSE}/enrolments`, { headers: { origin: baseURL() } });
    expect(enrolled.status()).toBeLessThan(300);
    const lessonPath = `/ky/courses/${COURSE}/lessons/${LESSON}`;
    await learner.goto(lessonPath);
    await expect.poll(() => learner.getByRole('heading', { name: 'Окутуучуга суроо' }).count()).toBe(1);

    // An empty question: the error summary names the field, and nothing is stored.
    await learner.getByRole('button', { name: 'Суроону жөнөтүү' }).click();
    expect(await learner.getByRole('alert').textContent()).toContain('Сурооңузду жазыңыз.');

    const question = 'Расмий катта <b>«урматтуу»</b> деген сөздү кантип жазуу керек?';
    await learner.getByLabel('Сурооңуз').fill(question);
    await learner.getByRole('button', { name: 'Суроону жөнөтүү' }).click();
    await learner.waitForURL(`**${lessonPath}?asked=1#questions`);
    expect(await learner.getByRole('status').first().textContent()).toContain('Сурооңуз жөнөтүлдү');
    const mine = learner.getByTestId('my-questions');
    // Plain text: the angle brackets are shown, not made into markup.
    expect(await mine.textContent()).toContain(question);
    expect(await mine.locator('b').count()).toBe(0);
    expect(await mine.textContent()).toContain('Окутуучунун жообун күтүүдө.');
    expect(await pageWidth(learner)).toBeLessThanOrEqual(PHONE.width);

    // The trainer, in Russian: the question is waiting on their page; they answer it (plain forms; with
    // JavaScript on here only so that axe can check the page).
    const trainer = await personPage('ru', 'trainer@demo.kg', true);
    expect(await trainer.getByRole('link', { name: 'Вопросы' }).count()).toBeGreaterThan(0);
    // The trainer was told of the new question (notifications module); the notice leads to their page.
    await trainer.goto('/ru/notifications');
    await trainer.getByRole('link', { name: /Новый вопрос по курсу/ }).first().click();
    await trainer.waitForURL((u) => u.pathname === '/ru/trainer/questions');
    const item = trainer.locator('[data-testid="staff-questions"] > li', { hasText: 'урматтуу' });
    expect(await item.count()).toBe(1);
    await item.getByLabel('Ваш ответ').fill('Со строчной буквы в середине предложения: «урматтуу».');
    await item.getByRole('button', { name: 'Ответить' }).click();
    await trainer.waitForURL('**/ru/trainer/questions?state=open&done=answered*');
    expect(await trainer.getByRole('status').first().textContent()).toContain('Ответ отправлен');
    expect(await trainer.locator('[data-testid="staff-questions"] > li', { hasText: 'урматтуу' }).count()).toBe(0);
    expect(await pageWidth(trainer)).toBeLessThanOrEqual(PHONE.width);
    expect(await seriousViolations(trainer)).toEqual([]);

    // The learner is told, and the link leads to the answer under the lesson.
    await learner.goto('/ky/notifications');
    const told = learner.getByRole('link', { name: /Сурооңузга жооп келди/ }).first();
    expect(await told.count()).toBe(1);
    await told.click();
    await learner.waitForURL(`**/lessons/${LESSON}*`);
    expect(await learner.getByTestId('my-questions').textContent()).toContain('Со строчной буквы');
    // The same in Russian, checked by axe.
    const learnerRu = await personPage('ru', 'learner@demo.kg', true);
    await learnerRu.goto(`/ru/courses/${COURSE}/lessons/${LESSON}`);
    expect(await learnerRu.getByTestId('my-questions').textContent()).toContain('Ответ преподавателя');
    expect(await learnerRu.getByRole('heading', { name: 'Вопрос преподавателю' }).count()).toBe(1);
    expect(await seriousViolations(learnerRu)).toEqual([]);

    // A second question, hidden by the academy: the learner no longer sees it.
    await learner.goto(lessonPath);
    await learner.getByLabel('Сурооңуз').fill('Бул суроо жашырылат');
    await learner.getByRole('button', { name: 'Суроону жөнөтүү' }).click();
    await learner.waitForURL(`**?asked=1#questions`);
    const reviewer = await personPage('ky', 'reviewer@demo.kg');
    await reviewer.goto('/ky/trainer/questions');
    const toHide = reviewer.locator('[data-testid="staff-questions"] > li', { hasText: 'Бул суроо жашырылат' });
    expect(await toHide.getByRole('button', { name: 'Жооп берүү' }).count()).toBe(0);
    await toHide.getByRole('button', { name: 'Суроону жашыруу' }).click();
    await reviewer.waitForURL('**done=hidden*');
    await reviewer.goto('/ky/trainer/questions?state=hidden');
    expect(await reviewer.getByTestId('staff-questions').textContent()).toContain('Академия жашырган');
    await learner.goto(lessonPath);
    expect(await learner.getByTestId('my-questions').textContent()).not.toContain('Бул суроо жашырылат');
    for (const p of [learner, learnerRu, trainer, reviewer]) await p.context().close();
  });
});
