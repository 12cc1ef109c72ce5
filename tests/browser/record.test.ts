import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { baseURL, launch, seriousViolations, signIn } from './browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('training record', () => {
  it('a servant adds an outside training with a scan, with JavaScript off, and sees it pending', async () => {
    const context = await browser.newContext({ baseURL: baseURL(), javaScriptEnabled: false });
    const page = await context.newPage();
    await signIn(page, 'osh@demo.kg', { open: '/ru/my/record' });

    // first a mistake: the summary names the field and nothing is saved
    await page.getByRole('button', { name: 'Добавить обучение' }).click();
    await page.waitForSelector('.error-summary');
    expect(await page.locator('.error-summary').textContent()).toContain('Укажите название программы');

    await page.selectOption('#f-kind', 'advanced');
    await page.selectOption('#f-term', 'medium');
    await page.selectOption('#f-funding', 'state_order');
    await page.fill('#f-title', 'Муниципалдык башкаруунун негиздери');
    await page.fill('#f-provider', 'Ош мамлекеттик университети');
    await page.fill('#f-hours', '72');
    await page.fill('#f-startDate', '2025-09-01');
    await page.fill('#f-endDate', '2025-09-12');
    await page.setInputFiles('#f-scan', { name: 'certificate.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%scan\n') });
    await page.getByRole('button', { name: 'Добавить обучение' }).click();
    await page.waitForURL((url) => url.pathname === '/ru/my/record' && url.searchParams.get('added') === '1');
    const row = page.locator('tbody tr', { hasText: 'Муниципалдык башкаруунун негиздери' });
    expect(await row.textContent()).toContain('Ожидает проверки кадровой службой');
    expect(await row.textContent()).toContain('72 часа');
    expect(await row.getByRole('link', { name: 'Скан документа' }).count()).toBe(1);
    await context.close();
  });

  it('the record page, with and without errors, has no serious accessibility violation', async () => {
    const context = await browser.newContext({ baseURL: baseURL() });
    const page = await context.newPage();
    await signIn(page, 'learner@demo.kg', { open: '/ky/my/record' });
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Окууну кошуу' }).click();
    await page.waitForSelector('.error-summary');
    expect(await seriousViolations(page)).toEqual([]);
    await page.goto('/ky/my/certificates');
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });
});
