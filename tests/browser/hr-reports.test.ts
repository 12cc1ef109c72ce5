import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { baseURL, launch, seriousViolations, signedInPage, signIn } from './browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const TITLE = 'Браузер тести: бюджеттик пландоо семинары';

/** Every caller calls the API or opens its own page next, so none opens here. */
async function signedIn(email: string, javaScriptEnabled = true): Promise<{ context: BrowserContext; page: Page }> {
  const page = await signedInPage(browser, email, { javaScriptEnabled, viewport: { width: 1280, height: 720 }, open: false });
  return { context: page.context(), page };
}

/** A servant of the demo's internal audit unit adds a seminar with a scan (their own, new data). */
async function addOutside(email: string, title: string, day: string) {
  const servant = await signedIn(email);
  const added = await servant.page.request.post('/api/records/outside', {
    headers: { origin: baseURL() },
    multipart: { kind: 'seminar', term: 'short', funding: 'donor', title, provider: 'ПРООН', hours: '12', startDate: day, endDate: day,
      scan: { name: 'scan.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%scan\n') } },
  });
  expect(added.status()).toBe(201);
  await servant.context.close();
}

describe('HR workspace: verification, plan, reports', () => {
  it('verifies an outside training, checks a certificate, plans a line and sees it in the reports', async () => {
    // a servant of the demo's internal audit unit adds a seminar ending today (their own, new data)
    const today = new Date().toISOString().slice(0, 10);
    await addOutside('audit2@demo.kg', TITLE, today);
    const { context, page } = await signedIn('hr@demo.kg', true);
    const reportBefore = await (await page.request.get(`/api/hr/reports?year=${today.slice(0, 4)}`)).json();

    // the queue, reached from the HR page
    await page.goto('/ky/hr');
    await page.getByRole('link', { name: 'Сырттан өткөн окууларды текшерүү жана сертификатты текшерүү' }).click();
    await page.waitForURL('**/ky/hr/verification');
    const item = page.locator('li.queue-item', { hasText: TITLE });
    expect(await item.count()).toBe(1);
    expect(await item.getByRole('link', { name: /Документтин сканын ачуу/ }).count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);

    // rejecting without a reason is refused, with the reason field named at the top
    await item.getByRole('button', { name: /Четке кагуу/ }).click();
    await page.waitForSelector('.error-summary');
    expect(await page.locator('.error-summary').textContent()).toContain('Себебин жазыңыз');
    const summaryLink = page.locator('.error-summary a');
    const target = (await summaryLink.getAttribute('href'))!;
    expect(await page.locator(target).count()).toBe(1);
    expect(await page.locator(target).getAttribute('aria-invalid')).toBe('true');
    expect(await seriousViolations(page)).toEqual([]);

    // verified
    await page.locator('li.queue-item', { hasText: TITLE }).getByRole('button', { name: /^Ырастоо/ }).click();
    await page.waitForURL((u) => u.pathname === '/ky/hr/verification' && u.searchParams.get('done') === 'verified');
    expect(await page.getByRole('status').first().textContent()).toContain('Окуу ырасталды');
    expect(await page.locator('li.queue-item', { hasText: TITLE }).count()).toBe(0);

    // check a certificate by the address in its QR code: valid, with a link to the holder's record
    const { rows } = await (await page.request.get('/api/hr/export/completions?format=json')).json();
    const cert = rows.find((r: { source: string; email: string }) => r.source === 'platform' && r.email === 'audit1@demo.kg');
    await page.getByLabel('Сертификаттын номери же QR коддогу шилтеме').fill(`${baseURL()}/ky/verify/${cert.certificate_number}`);
    await page.getByRole('button', { name: 'Текшерүү', exact: true }).click();
    await page.waitForURL((u) => u.pathname === '/ky/hr/verification' && u.searchParams.has('code'));
    const result = page.locator('.check-result');
    expect(await result.textContent()).toContain('Сертификат жарактуу');
    expect(await result.textContent()).toContain('Азамат Бейшеев');
    expect(await result.textContent()).toContain(cert.certificate_number);
    expect(await seriousViolations(page)).toEqual([]);
    await result.getByRole('link', { name: /окуу тарыхын ачуу/ }).click();
    await page.waitForURL(/\/ky\/hr\/verification\/person\/\d+$/);
    expect(await page.locator('h1').textContent()).toContain('Азамат Бейшеев');
    expect(await page.locator('tbody').textContent()).toContain(cert.certificate_number);
    expect(await seriousViolations(page)).toEqual([]);
    // a number that does not exist
    await page.goto('/ky/hr/verification?code=BLM-2026-AAAA-BBBB-CCCC');
    expect(await page.locator('.check-result').textContent()).toContain('табылган жок');

    // plan a topic line for this quarter: first a mistake, then right
    await page.goto('/ky/hr/plan');
    const q = Math.floor((Number(today.slice(5, 7)) - 1) / 3) + 1;
    await page.getByLabel('Тема (платформадан тышкаркы окуу)').check();
    await page.getByLabel('Тема кыргызча', { exact: true }).fill('Бюджеттик пландоо');
    await page.getByLabel('Адам саны', { exact: true }).fill('4');
    await page.getByRole('button', { name: 'Сапты кошуу' }).click();
    await page.waitForSelector('.error-summary');
    expect(await page.locator('.error-summary').textContent()).toContain('Окуунун түрүн тандаңыз');
    expect(await page.getByLabel('Тема кыргызча', { exact: true }).inputValue()).toBe('Бюджеттик пландоо');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel('Окуунун түрү', { exact: true }).selectOption('seminar');
    await page.getByLabel('Мөөнөтү', { exact: true }).selectOption('short');
    await page.getByLabel('Чейрек', { exact: true }).selectOption(String(q));
    await page.getByRole('button', { name: 'Сапты кошуу' }).click();
    await page.waitForURL((u) => u.pathname === '/ky/hr/plan' && u.searchParams.get('saved') === '1');
    const row = page.locator('tbody tr', { hasText: 'Бюджеттик пландоо' });
    expect(await row.count()).toBe(1);
    const cells = await row.locator('td').allTextContents();
    expect(cells[3]).toBe('4');
    // the seminar verified above ended today, in this quarter: at least that person counts
    expect(Number(cells[4])).toBeGreaterThanOrEqual(1);
    expect(await page.locator('figure svg rect').count()).toBeGreaterThan(0);
    expect(await seriousViolations(page)).toEqual([]);

    // the reports: one more seminar, with its hours; charts with tables; downloads work
    await page.goto('/ky/hr');
    await page.getByRole('link', { name: 'Окутуу боюнча отчёттор' }).click();
    await page.waitForURL('**/ky/hr/reports');
    const after = await (await page.request.get(`/api/hr/reports?year=${today.slice(0, 4)}`)).json();
    const seminar = (r: { breakdowns: { kind: { key: string; people: number; trainings: number; hours: number }[] } }) => r.breakdowns.kind.find((x) => x.key === 'seminar')!;
    expect(seminar(after).trainings).toBe(seminar(reportBefore).trainings + 1);
    expect(seminar(after).hours).toBe(seminar(reportBefore).hours + 12);
    expect(await page.locator('[data-total="hours"]').textContent()).toBe(new Intl.NumberFormat('ky').format(after.totals.hours));
    const kindTable = page.locator('#chart-kind-table');
    expect(await kindTable.locator('tr', { hasText: 'Семинар, тренинг' }).locator('td').first().textContent()).toBe(String(seminar(after).people));
    expect(await page.locator('figure svg[role="img"]').count()).toBe(7);
    expect(await seriousViolations(page)).toEqual([]);
    const csvHref = await page.getByRole('link', { name: 'CSV файлын жүктөп алуу' }).getAttribute('href');
    const csv = await page.request.get(csvHref!);
    expect(csv.status()).toBe(200);
    expect((await csv.body()).subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const xlsx = await page.request.get((await page.getByRole('link', { name: 'Excel файлын жүктөп алуу (XLSX)' }).getAttribute('href'))!);
    expect(xlsx.headers()['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    await context.close();
  });

  it('works with JavaScript off: reject with a reason, add and delete a plan line', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const title = 'Браузер тести: четке кагыла турган окуу';
    await addOutside('audit3@demo.kg', title, today);
    const { context, page } = await signedIn('hr@demo.kg', false);
    await page.goto('/ky/hr/verification');
    const item = page.locator('li.queue-item', { hasText: title });
    await item.getByLabel('Четке кагуунун себеби').fill('Скандагы аты-жөнү дал келбейт.');
    await item.getByRole('button', { name: /Четке кагуу/ }).click();
    await page.waitForURL((u) => u.pathname === '/ky/hr/verification' && u.searchParams.get('done') === 'rejected');
    expect(await page.locator('li.queue-item', { hasText: title }).count()).toBe(0);
    const rejected = await (await page.request.get('/api/hr/records?status=rejected')).json();
    expect(rejected.records.some((r: { title: string }) => r.title === title)).toBe(true);

    await page.goto('/ky/hr/plan');
    await page.getByLabel('Курс', { exact: true }).selectOption({ index: 1 });
    await page.getByLabel('Адам саны', { exact: true }).fill('7');
    await page.getByLabel('Чейрек', { exact: true }).selectOption('1');
    await page.getByRole('button', { name: 'Сапты кошуу' }).click();
    await page.waitForURL((u) => u.pathname === '/ky/hr/plan' && u.searchParams.get('saved') === '1');
    const id = new URL(page.url()).hash.replace('#line-', '');
    const row = page.locator(`#line-${id}`);
    expect((await row.locator('td').allTextContents())[3]).toBe('7');
    await row.getByRole('link', { name: /Өзгөртүү/ }).click();
    await page.getByLabel('Адам саны', { exact: true }).fill('8');
    await page.getByRole('button', { name: 'Сактоо' }).click();
    await page.waitForURL((u) => u.searchParams.get('saved') === '1');
    expect((await page.locator(`#line-${id} td`).allTextContents())[3]).toBe('8');
    await page.locator(`#line-${id}`).getByRole('button', { name: /Өчүрүү/ }).click();
    await page.waitForURL((u) => u.searchParams.get('deleted') === '1');
    expect(await page.locator(`#line-${id}`).count()).toBe(0);
    await context.close();
  });

  it('without the HR role: 403; an organisation or person not theirs: 404; the pages pass axe at phone width', async () => {
    const { context, page } = await signedIn('hr@demo.kg');
    const ministry = (await (await page.request.get('/api/hr/plan')).json()).organisation.id as number;
    await context.close();
    // reviewer@ has no HR role: 403 pages
    const reviewer = await signedIn('reviewer@demo.kg');
    expect((await reviewer.page.goto('/ky/hr/plan'))!.status()).toBe(403);
    expect((await reviewer.page.goto('/ky/hr/reports'))!.status()).toBe(403);
    expect((await reviewer.page.goto('/ky/hr/verification'))!.status()).toBe(403);
    await reviewer.context.close();

    const phone = await browser.newContext({ baseURL: baseURL(), viewport: { width: 390, height: 800 } });
    const p = await phone.newPage();
    await signIn(p, 'hr@demo.kg', { open: false });
    for (const path of ['/ru/hr/plan', '/ru/hr/reports', `/ru/hr/reports?org=${ministry}&year=2025`, '/ru/hr/verification']) {
      expect((await p.goto(path))!.status(), path).toBe(200);
      expect(await seriousViolations(p), path).toEqual([]);
    }
    // an organisation that is not theirs: 404 page, nothing shown
    expect((await p.goto('/ru/hr/reports?org=999999'))!.status()).toBe(404);
    expect((await p.goto('/ru/hr/verification/person/999999'))!.status()).toBe(404);
    await phone.close();
  });
});
