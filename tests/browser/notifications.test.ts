/**
 * Notifications, the profile and "forgot password" in Chromium with JavaScript off, against the built
 * server; mail goes through the server's own outbox to a real SMTP server on loopback in this test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { baseURL, launch, seriousViolations, signedInPage } from './browser';
import { startSmtpInbox, type ReceivedMail } from '../support/smtp-inbox';

let browser: Browser;
let inbox: ReceivedMail[] = [];
let closeSmtp: () => Promise<void>;
let smtpPort = 0;
beforeAll(async () => {
  browser = await launch();
  ({ port: smtpPort, inbox, close: closeSmtp } = await startSmtpInbox());
});
afterAll(async () => {
  await browser?.close();
  await closeSmtp();
});

/** A demo account signed in by the one helper (no JavaScript, phone width, its home page open). */
async function signedIn(email: string): Promise<{ context: BrowserContext; page: Page }> {
  const page = await signedInPage(browser, email, { javaScriptEnabled: false, viewport: { width: 390, height: 900 } });
  return { context: page.context(), page };
}

/** Through the sign-in form, for a password this file just changed or reset: the form is what is tested. */
async function signedInByForm(email: string, password: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: baseURL(), javaScriptEnabled: false, viewport: { width: 390, height: 900 } });
  const page = await context.newPage();
  await page.goto('/ky/login');
  await page.locator('#email').fill(email);
  await page.locator('#password').fill(password);
  await page.locator('main form button[type=submit]').click();
  await page.waitForURL('**/ky/');
  return { context, page };
}
/** axe needs JavaScript: the same page, same cookies, in a context with it on. */
async function axe(context: BrowserContext, path: string): Promise<string[]> {
  const withJs = await browser.newContext({ baseURL: baseURL(), storageState: await context.storageState(), viewport: { width: 390, height: 900 } });
  const page = await withJs.newPage();
  await page.goto(path);
  const found = await seriousViolations(page);
  await withJs.close();
  return found;
}
const bell = (page: Page) => page.locator('header a.bell');
const badge = async (page: Page) => ((await bell(page).locator('.badge').count()) ? Number(await bell(page).locator('.badge').textContent()) : 0);
async function mailTo(email: string, subject: RegExp): Promise<ReceivedMail> {
  await expect.poll(() => inbox.some((m) => m.to[0] === email && subject.test(m.subject)), { timeout: 20_000 }).toBe(true);
  return inbox.filter((m) => m.to[0] === email && subject.test(m.subject)).at(-1)!;
}

describe('notifications, profile and forgot password with JavaScript off', () => {
  it('the bell shows the unread count; the list marks one and all read', async () => {
    // audit1@ has demo certificates: "certificate issued" notifications.
    const { context, page } = await signedIn('audit1@demo.kg');
    const unread = await badge(page);
    expect(unread).toBeGreaterThan(0);
    // The link's name says it in words: "Notifications 3 new".
    expect((await bell(page).textContent())!.replace(/\s+/g, ' ').trim()).toBe(`Билдирүүлөр${unread} жаңы`.replace(`${unread} `, `${unread} `));
    await bell(page).click();
    await page.waitForURL('**/ky/notifications');
    expect(await page.locator('.notification-list li.unread').count()).toBe(Math.min(unread, 50));
    expect(await page.textContent('main')).toContain('Сертификат берилди');
    expect(await axe(context, '/ky/notifications')).toEqual([]);
    await page.locator('.notification-list li.unread').first().getByRole('button').click();
    await page.waitForURL('**/ky/notifications');
    expect(await badge(page)).toBe(unread - 1);
    if (unread > 1) await page.getByRole('button', { name: 'Баарын окулду деп белгилөө' }).click();
    expect(await badge(page)).toBe(0);
    expect(await page.locator('.notification-list li.unread').count()).toBe(0);
    await context.close();
  });

  it('the profile: e-mail preferences, language, and a password change that needs the current one', async () => {
    const { context, page } = await signedIn('audit2@demo.kg');
    await page.goto('/ky/account');
    expect(await axe(context, '/ky/account')).toEqual([]);
    // Required kinds are listed, not offered as a switch.
    expect(await page.locator('input[name=email][value=obligation_reminder]').count()).toBe(0);
    await page.getByLabel('Сертификат берилди').uncheck();
    await page.getByRole('button', { name: 'Жөндөөлөрдү сактоо' }).click();
    expect(await page.getByRole('status').textContent()).toContain('Жөндөөлөр сакталды.');
    expect(await page.getByLabel('Сертификат берилди').isChecked()).toBe(false);
    // A wrong current password: the error summary links to the field.
    await page.getByLabel('Азыркы сырсөз').fill('not-my-password');
    await page.getByLabel('Жаңы сырсөз', { exact: true }).fill('a-brand-new-password');
    await page.getByLabel('Жаңы сырсөздү кайра жазыңыз').fill('a-brand-new-password');
    await page.getByRole('button', { name: 'Сырсөздү өзгөртүү' }).click();
    expect(await page.locator('.error-summary a[href="#currentPassword"]').textContent()).toBe('Азыркы сырсөз туура эмес.');
    await page.getByLabel('Азыркы сырсөз').fill('demo-password-2026');
    await page.getByLabel('Жаңы сырсөз', { exact: true }).fill('a-brand-new-password');
    await page.getByLabel('Жаңы сырсөздү кайра жазыңыз').fill('a-brand-new-password');
    await page.getByRole('button', { name: 'Сырсөздү өзгөртүү' }).click();
    expect(await page.getByRole('status').textContent()).toContain('Жаңы сырсөз сакталды.');
    // Still signed in here; the language switch moves the profile to Russian.
    await page.locator('#locale-ru').check(); // labelled with the language's name in the page's language
    await page.getByRole('button', { name: 'Тилди сактоо' }).click();
    await page.waitForURL('**/ru/account?done=locale');
    expect(await page.getByRole('status').textContent()).toContain('Язык сохранён.');
    // The calendar address is shown once.
    await page.getByRole('button', { name: 'Создать адрес календаря' }).click();
    const url = await page.locator('#calendar-url').textContent();
    expect(url).toMatch(/\/api\/calendar\/[a-z2-7]+\.ics$/);
    const feed = await fetch(`${baseURL()}${new URL(url!).pathname}`);
    expect(feed.headers.get('content-type')).toContain('text/calendar');
    await context.close();
    // The new password signs in.
    await (await signedInByForm('audit2@demo.kg', 'a-brand-new-password')).context.close();
  });

  it('SMTP set in the settings with a test mail; "forgot password" e-mails a link that sets a new password once', async () => {
    const admin = await signedIn('admin@demo.kg');
    await admin.page.goto('/ky/admin/settings');
    await admin.page.locator('#smtpHost').fill('127.0.0.1');
    await admin.page.locator('#smtpPort').fill(String(smtpPort));
    await admin.page.locator('#smtpFrom').fill('noreply@bilim.test');
    await admin.page.locator('main form').first().locator('button[type=submit]').click();
    await admin.page.locator('#testTo').fill('ops@bilim.test');
    await admin.page.getByRole('button', { name: 'Сыноо катын жөнөтүү' }).click();
    expect(await admin.page.locator('#test-mail-result').textContent()).toContain('SMTP сервери катты кабыл алды');
    expect((await mailTo('ops@bilim.test', /сыноо каты/)).text).toContain('SMTP');
    await admin.context.close();

    const context = await browser.newContext({ baseURL: baseURL(), javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto('/ky/login');
    await page.getByRole('link', { name: 'Сырсөздү унуттуңузбу?' }).click();
    await page.waitForURL('**/ky/forgot');
    expect(await axe(context, '/ky/forgot')).toEqual([]);
    await page.getByLabel('Электрондук почта').fill('oshfin1@demo.kg');
    await page.getByRole('button', { name: 'Шилтеме жөнөтүү' }).click();
    const answerKnown = await page.getByRole('status').textContent();
    // An unknown address gets the same words (only the address differs).
    await page.goto('/ky/forgot');
    await page.getByLabel('Электрондук почта').fill('nobody@demo.kg');
    await page.getByRole('button', { name: 'Шилтеме жөнөтүү' }).click();
    expect((await page.getByRole('status').textContent())!.replace('nobody@demo.kg', 'X')).toBe(answerKnown!.replace('oshfin1@demo.kg', 'X'));

    const mail = await mailTo('oshfin1@demo.kg', /сырсөздү калыбына келтирүү/);
    const link = /https?:\/\/\S+\/ky\/reset\/[a-z2-7]+/.exec(mail.text)![0];
    const path = new URL(link).pathname;
    await page.goto(path);
    await page.locator('#password').fill('forgot-flow-password');
    await page.locator('#confirm').fill('forgot-flow-password');
    await page.locator('main form button[type=submit]').click();
    expect(await page.getByRole('status').textContent()).toContain('Жаңы сырсөз сакталды');
    expect((await page.goto(path))!.status()).toBe(404);
    await context.close();
    await (await signedInByForm('oshfin1@demo.kg', 'forgot-flow-password')).context.close();
    expect(inbox.some((m) => m.to[0] === 'nobody@demo.kg')).toBe(false);
  });
});
