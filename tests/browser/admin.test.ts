import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { baseURL, launch, seriousViolations } from './browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

async function signedIn(email: string, options: { javaScriptEnabled?: boolean; width?: number; lang?: 'ky' | 'ru' } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: baseURL(), javaScriptEnabled: options.javaScriptEnabled ?? true, viewport: { width: options.width ?? 1280, height: 900 } });
  const page = await context.newPage();
  const lang = options.lang ?? 'ky';
  await page.goto(`/${lang}/login`);
  await page.locator('#email').fill(email);
  await page.locator('#password').fill('demo-password-2026');
  await page.locator('form button[type=submit]').click();
  await page.waitForURL(`**/${lang}/`);
  return { context, page };
}

describe('administration in Chromium', () => {
  it('an admin grants HR scope over an organisation, and that user then sees its staff', async () => {
    // the reviewer is signed in before the grant: the new role must work without signing in again
    const reviewer = await signedIn('reviewer@demo.kg');
    expect((await reviewer.page.goto('/ky/hr'))!.status()).toBe(403);
    expect(await reviewer.page.getByRole('link', { name: 'Кадр кызматы' }).count()).toBe(0);

    const { context, page } = await signedIn('admin@demo.kg');
    await page.getByRole('link', { name: 'Администрлөө' }).click();
    await page.waitForURL('**/ky/admin');
    await page.getByRole('link', { name: 'Колдонуучулар жана ролдор' }).click();
    await page.getByLabel('Аты-жөнү же электрондук почтасы').fill('елена ким');
    await page.getByRole('button', { name: 'Издөө' }).click();
    await page.getByRole('link', { name: 'Елена Ким' }).click();
    await page.waitForURL(/\/ky\/admin\/people\/\d+$/);
    await page.getByLabel('Ролу', { exact: true }).selectOption({ label: 'Кадр кызматы' });
    await page.getByLabel('Кадр кызматы кайсы уюм үчүн').selectOption({ label: 'Ош шаарынын мэриясы' });
    await page.getByRole('button', { name: 'Роль берүү' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('«Кадр кызматы» ролу берилди');
    const row = page.locator('tbody tr', { hasText: 'Ош шаарынын мэриясы' });
    expect(await row.count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);

    await reviewer.page.goto('/ky/');
    await reviewer.page.getByRole('link', { name: 'Кадр кызматы' }).click();
    await reviewer.page.waitForURL('**/ky/hr');
    const staff = reviewer.page.locator('tbody tr');
    expect(await staff.count()).toBe(1);
    const text = await staff.first().textContent();
    expect(text).toContain('Динара Юсупова');
    expect(text).toContain('Ош шаарынын мэриясы');
    // status in words, not colour alone: appointed 2016, never trained
    expect(text).toContain('Мөөнөтү өтүп кетти');
    // not the Ministry of Finance's people
    expect(await reviewer.page.textContent('main')).not.toContain('Айгүл Асанова');
    await reviewer.page.selectOption('#status', 'compliant');
    await reviewer.page.getByRole('button', { name: 'Көрсөтүү' }).click();
    await reviewer.page.waitForURL('**/ky/hr?status=compliant');
    expect(await reviewer.page.locator('tbody tr').count()).toBe(0);
    expect(await seriousViolations(reviewer.page)).toEqual([]);

    // revoking takes effect on the reviewer's next request too
    await row.getByRole('button').click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('Роль алынып салынды');
    expect((await reviewer.page.goto('/ky/hr'))!.status()).toBe(403);
    await context.close();
    await reviewer.context.close();
  });

  it('refuses to lock the last administrator, with the reason at the top', async () => {
    const { context, page } = await signedIn('admin@demo.kg', { lang: 'ru' });
    await page.goto('/ru/admin/people?q=admin%40demo.kg');
    await page.getByRole('link', { name: 'Тимур Жээнбеков' }).click();
    await page.getByRole('button', { name: 'Заблокировать' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Это последний администратор платформы');
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });

  it('a one-time reset link (made with JavaScript off) lets the person set a new password', async () => {
    const { context, page } = await signedIn('admin@demo.kg', { javaScriptEnabled: false });
    await page.goto('/ky/admin/people?q=ayil');
    await page.getByRole('link', { name: 'Гүлзат Сыдыкова' }).click();
    await page.getByRole('button', { name: 'Сырсөздү калыбына келтирүү шилтемесин түзүү' }).click();
    const url = (await page.locator('#reset-link').textContent())!.trim();
    expect(url).toMatch(/\/ky\/reset\/[a-z2-7]+$/);
    await context.close();

    const anon = await browser.newContext({ baseURL: baseURL() });
    const p = await anon.newPage();
    await p.goto(new URL(url).pathname);
    expect(await p.textContent('main')).toContain('ayil@demo.kg');
    expect(await seriousViolations(p)).toEqual([]);
    await p.getByLabel('Жаңы сырсөз', { exact: true }).fill('short');
    await p.getByLabel('Жаңы сырсөздү кайра жазыңыз').fill('short');
    await p.getByRole('button', { name: 'Сырсөздү сактоо' }).click();
    await expect.poll(() => p.getByRole('alert').textContent()).toContain('12');
    expect(await seriousViolations(p)).toEqual([]);
    await p.getByLabel('Жаңы сырсөз', { exact: true }).fill('жаңы узун сырсөз 2026');
    await p.getByLabel('Жаңы сырсөздү кайра жазыңыз').fill('жаңы узун сырсөз 2026');
    await p.getByRole('button', { name: 'Сырсөздү сактоо' }).click();
    await expect.poll(() => p.getByRole('status').textContent()).toContain('Жаңы сырсөз сакталды');
    // the link is used up
    expect((await p.goto(new URL(url).pathname))!.status()).toBe(404);
    await p.goto('/ky/login');
    await p.locator('#email').fill('ayil@demo.kg');
    await p.locator('#password').fill('жаңы узун сырсөз 2026');
    await p.locator('form button[type=submit]').click();
    await p.waitForURL('**/ky/');
    await anon.close();
  });

  it('previews a policy change, then saves it; the audit log shows it', async () => {
    const { context, page } = await signedIn('admin@demo.kg');
    await page.goto('/ky/admin/policy');
    await page.getByLabel('Окутуунун мезгили').fill('0');
    await page.getByRole('button', { name: 'Өзгөрүүлөрдү алдын ала көрүү' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('1ден 10 жылга чейин');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel('Окутуунун мезгили').fill('12');
    await page.getByLabel('Окутуунун мезгили').fill('10');
    await page.getByRole('button', { name: 'Өзгөрүүлөрдү алдын ала көрүү' }).click();
    const preview = page.locator('#preview-title');
    expect(await preview.textContent()).toBe('Жаңы эрежелер менен эмне өзгөрөт');
    // a 10-year period makes the overdue servants (appointed 2016–2021) compliant or due soon
    expect(await page.getByRole('status').textContent()).toMatch(/\d+ кызматчынын абалы өзгөрөт/);
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Ушул эрежелерди сактоо' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('Жаңы эрежелер сакталды');
    expect(await page.locator('dl.summary-list').textContent()).toContain('10 жыл');
    await page.goto('/ky/admin/audit?action=policy');
    expect(await page.locator('tbody').textContent()).toContain('Окутуу эрежелери өзгөртүлдү');
    // who: by e-mail; an unknown e-mail finds nothing
    await page.getByLabel('Ким (электрондук почтасы)').fill('admin@demo.kg');
    await page.getByRole('button', { name: 'Көрсөтүү' }).click();
    await page.waitForURL('**/ky/admin/audit?*actor=admin*');
    expect(await page.locator('tbody tr').count()).toBeGreaterThan(0);
    expect(await page.getByRole('link', { name: 'CSV түрүндө жүктөп алуу' }).getAttribute('href')).toMatch(/actorId=\d+/);
    await page.goto('/ky/admin/audit?actor=nobody%40demo.kg');
    expect(await page.locator('tbody tr').count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });

  it('settings: the platform name changes without a restart and a secret is never shown back', async () => {
    const SECRET = 'browser-smtp-secret-8841';
    const { context, page } = await signedIn('admin@demo.kg', { lang: 'ru' });
    await page.goto('/ru/admin/settings');
    await page.getByLabel('Название платформы на русском').fill('Билим-Тест');
    await page.getByLabel('Пароль SMTP').fill(SECRET);
    await page.getByLabel('Адрес вебхука').fill('not a url');
    await page.getByRole('button', { name: 'Сохранить' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('http://');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel('Адрес вебхука').fill('https://ekyzmat.example.kg/hook');
    await page.getByLabel('Пароль SMTP').fill(SECRET);
    await page.getByRole('button', { name: 'Сохранить' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('Настройки сохранены');
    expect(await page.content()).not.toContain(SECRET);
    expect(await page.locator('#smtpPassword-hint').textContent()).toContain('Задан.');
    expect(await page.locator('.brand-name').textContent()).toBe('Билим-Тест');
    await page.getByLabel('Название платформы на русском').fill('');
    await page.getByRole('button', { name: 'Сохранить' }).click();
    await expect.poll(() => page.locator('.brand-name').textContent()).toBe('Билим');
    await context.close();
  });

  it('imports organisations from CSV with a report per line', async () => {
    const { context, page } = await signedIn('admin@demo.kg');
    await page.goto('/ky/admin/import');
    await page.getByLabel('же файлдын мазмунун бул жерге коюңуз').fill(
      'name_ky,name_ru,kind,service,region,parent\nНарын шаарынын мэриясы,Мэрия города Нарын,local_government,municipal,naryn,\nБөлүм,Отдел,subunit,municipal,mars,Мэрия города Нарын',
    );
    await page.getByRole('button', { name: 'Текшерүү' }).click();
    await expect.poll(() => page.locator('#report-title').textContent()).toBe('Текшерүүнүн жыйынтыгы');
    expect(await page.locator('tbody').textContent()).toContain('region мамычасында');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: '1 уюмду жүктөө' }).click();
    await expect.poll(() => page.locator('#report-title').textContent()).toBe('Жүктөөнүн жыйынтыгы');
    await page.goto('/ky/admin');
    expect(await page.getByRole('link', { name: 'Нарын шаарынын мэриясы' }).count()).toBe(1);
    await context.close();
  });
});

describe('administration pages: accessibility (axe-core)', () => {
  // one signed-in administrator for all the pages: fewer sign-ins on a busy machine
  let admin: { context: BrowserContext; page: Page };
  beforeAll(async () => {
    admin = await signedIn('admin@demo.kg');
  });
  afterAll(async () => {
    await admin?.context.close();
  });
  for (const [path, width] of [
    ['/ky/admin', 1280],
    ['/ru/admin', 390],
    ['/ky/admin/people?q=а', 1280],
    ['/ky/admin/policy', 390],
    ['/ru/admin/settings', 1280],
    ['/ky/admin/audit', 1280],
    ['/ru/admin/import', 390],
    ['/ky/admin/organisations/1', 1280],
  ] as const) {
    it(`${path} at ${width}px has no serious or critical violation and fits the screen`, async () => {
      const { page } = admin;
      await page.setViewportSize({ width, height: 900 });
      await page.goto(path);
      expect(await seriousViolations(page)).toEqual([]);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
    });
  }
  it('a learner gets 403 on the administration pages and the HR list', async () => {
    const { context, page } = await signedIn('learner@demo.kg');
    for (const path of ['/ky/admin', '/ky/admin/people', '/ky/admin/policy', '/ky/admin/settings', '/ky/admin/audit', '/ky/hr']) {
      expect((await page.goto(path))!.status(), path).toBe(403);
    }
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });
});

describe('administration with JavaScript off', () => {
  it('previews a policy change with a plain form', async () => {
    const { context, page } = await signedIn('admin@demo.kg', { javaScriptEnabled: false });
    await page.goto('/ru/admin/policy');
    await page.getByLabel('Срок «подходит» за').fill('30');
    await page.getByRole('button', { name: 'Посмотреть, что изменится' }).click();
    expect(await page.locator('#preview-title').textContent()).toBe('Что изменится по новым правилам');
    expect(await page.locator('input[type=hidden][name=dueSoonDays]').inputValue()).toBe('30');
    await context.close();
  });
});
