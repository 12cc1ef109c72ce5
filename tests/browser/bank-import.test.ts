/**
 * Question-bank files in Chromium with JavaScript off: a trainer uploads a GIFT file into a new draft,
 * reads the preview line by line, adds the questions, sees them in the bank, and downloads the bank as
 * Moodle XML and XLSX from the same page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { baseURL, launch, signIn } from './browser';

const GIFT = [
  '$CATEGORY: $course$/top/Этика',
  '',
  'Белек алууга болобу? {F}',
  '',
  'Декларация канча күндө тапшырылат? {#30:2}',
  '',
  'Кайсы орган декларацияны кабыл алат? {=Мамлекеттик кадр кызматы ~Парламент ~Сот}',
  '',
  'Бул суроонун жообу жок {=}',
].join('\n');

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('question-bank files without JavaScript', () => {
  it('preview, then add; the bank shows the questions; downloads are offered', async () => {
    const context = await browser.newContext({ baseURL: baseURL(), javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signIn(page, 'trainer@demo.kg', { open: '/ky/author' });
    await page.getByLabel('Курстун шилтеме аты').fill(`bank-import-${Date.now().toString(36)}`);
    await page.getByLabel('Аталышы (Кыргызча)').fill('Суроолор файлдан');
    await page.getByRole('button', { name: 'Долбоор түзүү' }).click();
    await page.waitForURL(/\/ky\/author\/drafts\/\d+$/);
    const draft = new URL(page.url()).pathname;

    await page.goto(`${draft}/questions`);
    await page.getByRole('link', { name: 'Файлдан суроо кошуу же суроолорду жүктөп алуу' }).click();
    await page.waitForURL(`**${draft}/questions/import`);
    await page.selectOption('#format', 'gift');
    await page.selectOption('#lang', 'ky');
    await page.setInputFiles('#file', { name: 'bank.gift', mimeType: 'text/plain', buffer: Buffer.from(GIFT) });
    await page.getByRole('button', { name: 'Текшерүү' }).click();
    await page.waitForSelector('#preview');
    const rows = await page.locator('section[aria-labelledby=preview] tbody tr').allTextContents();
    expect(rows).toHaveLength(4);
    expect(rows[0]).toContain('Туура же туура эмес');
    expect(rows[0]).toContain('Түзүлөт (Этика категориясында)');
    expect(rows[3]).toContain('Кошулбайт');
    expect(await page.locator('section[aria-labelledby=preview] p[role=status]').textContent()).toContain('Жаңы суроолор: 3. Банкта мурунтан бар: 0. Катасы бар: 1.');

    await page.getByRole('button', { name: 'Суроолорду банкка кошуу' }).click({ timeout: 10_000 });
    await page.waitForSelector('.notice-ok, .error-summary');
    expect(await page.locator('main').textContent()).toContain('3 суроо банкка кошулду.');
    await page.goto(`${draft}/questions`);
    expect(await page.locator('#questions + .table-wrap tbody tr').count()).toBe(3);

    // the same file again: nothing new
    await page.goto(`${draft}/questions/import`);
    await page.selectOption('#format', 'gift');
    await page.setInputFiles('#file', { name: 'bank.gift', mimeType: 'text/plain', buffer: Buffer.from(GIFT) });
    await page.getByRole('button', { name: 'Текшерүү' }).click();
    await page.waitForSelector('#preview');
    expect(await page.locator('section[aria-labelledby=preview] p[role=status]').textContent()).toContain('Банкта мурунтан бар: 3.');
    expect(await page.getByRole('button', { name: 'Суроолорду банкка кошуу' }).count()).toBe(0);

    // downloads go to the API with the session
    for (const format of ['moodle', 'xlsx']) {
      const href = await page.locator(`a[href$="/questions/export?format=${format}"]`).getAttribute('href');
      const res = await context.request.get(href!);
      expect(res.status()).toBe(200);
      if (format === 'moodle') expect(await res.text()).toContain('Белек алууга болобу?');
    }
    await context.close();
  });
});
