import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import Provider from 'oidc-provider';
import { baseURL, launch, pageApi, seriousViolations, signedInPage } from './browser';
import { freePort } from '../support/free-port';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

async function signedIn(email: string, options: { javaScriptEnabled?: boolean; width?: number; lang?: 'ky' | 'ru'; open?: string | false } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const page = await signedInPage(browser, email, { ...options, viewport: { width: options.width ?? 1280, height: 900 } });
  return { context: page.context(), page };
}

describe('administration in Chromium', () => {
  it('an admin grants HR scope over an organisation, and that user then sees its staff', async () => {
    // the reviewer is signed in before the grant: the new role must work without signing in again
    const reviewer = await signedIn('reviewer@demo.kg', { open: false });
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
    const { context, page } = await signedIn('admin@demo.kg', { lang: 'ru', open: false });
    await page.goto('/ru/admin/people?q=admin%40demo.kg');
    await page.getByRole('link', { name: 'Тимур Жээнбеков' }).click();
    await page.getByRole('button', { name: 'Заблокировать' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Это последний администратор платформы');
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });

  it('a one-time reset link (made with JavaScript off) lets the person set a new password', async () => {
    const { context, page } = await signedIn('admin@demo.kg', { javaScriptEnabled: false, open: false });
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
    const { context, page } = await signedIn('admin@demo.kg', { open: false });
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
    const { context, page } = await signedIn('admin@demo.kg', { lang: 'ru', open: false });
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
    const { context, page } = await signedIn('admin@demo.kg', { open: false });
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

describe('accounts, bulk roles, the system page and the outbox', () => {
  it('ru: an admin creates an account (a taken e-mail is refused, with the reason), then edits it', async () => {
    const { context, page } = await signedIn('admin@demo.kg', { lang: 'ru', open: false });
    await page.goto('/ru/admin/people');
    await page.getByRole('link', { name: 'Новая учётная запись' }).click();
    await page.waitForURL('**/ru/admin/people/new');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel('ФИО').fill('Асель Токтосунова');
    await page.getByLabel('Электронная почта').fill('learner@demo.kg');
    await page.getByLabel('Персональный идентификационный номер (ПИН)').fill('21203199000123');
    // options are indented by depth in the organisation tree
    const osh = await page.locator('#acc-organisationId option', { hasText: 'Мэрия города Ош' }).first().getAttribute('value');
    await page.getByLabel('Организация').selectOption(osh!);
    await page.getByRole('button', { name: 'Создать учётную запись' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Учётная запись с этим адресом уже есть.');
    // what was typed is kept, and the field says what is wrong
    expect(await page.getByLabel('ФИО').inputValue()).toBe('Асель Токтосунова');
    expect(await page.locator('#acc-email').getAttribute('aria-invalid')).toBe('true');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel('Электронная почта').fill('asel@demo.kg');
    await page.getByRole('button', { name: 'Создать учётную запись' }).click();
    await page.waitForURL(/\/ru\/admin\/people\/\d+\?created=1$/);
    expect(await page.getByRole('status').first().textContent()).toContain('Учётная запись создана');
    expect(await page.locator('h1').textContent()).toBe('Асель Токтосунова');
    expect(await page.locator('dl.summary-list').textContent()).toContain('asel@demo.kg');
    // every new account is a learner
    expect(await page.locator('tbody').textContent()).toContain('Слушатель');

    await page.getByText('Изменить данные').click();
    await page.getByLabel('Должность').fill('Главный специалист');
    await page.getByRole('button', { name: 'Сохранить', exact: true }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('Изменения сохранены.');
    expect(await page.locator('dl.summary-list').textContent()).toContain('Главный специалист');
    // the training provider she writes courses for: chosen from the tree's training providers
    const academy = await page.locator('#providerId option', { hasText: 'Академия государственного управления' }).first().getAttribute('value');
    await page.getByLabel('Для какой обучающей организации человек пишет курсы').selectOption(academy!);
    await page.getByRole('button', { name: 'Указать обучающую организацию' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('Обучающая организация сохранена.');
    expect(await page.locator('#providerId').inputValue()).toBe(academy);
    expect(await seriousViolations(page)).toEqual([]);
    // found by the search of the people list
    await page.goto('/ru/admin/people?q=asel');
    expect(await page.getByRole('link', { name: 'Асель Токтосунова' }).count()).toBe(1);
    await context.close();
  });

  it('ky: roles for many people at once — a list with a report per line, then a CSV file, granted only when clean', async () => {
    const { context, page } = await signedIn('admin@demo.kg', { open: false });
    await page.goto('/ky/admin/people');
    await page.getByRole('link', { name: 'Ролдорду көп кишиге берүү' }).click();
    await page.waitForURL('**/ky/admin/roles');
    await page.getByLabel('Тизме', { exact: true }).fill('audit1@demo.kg\naudit2@demo.kg,reviewer\nnobody@demo.kg\naudit1@demo.kg\naudit3@demo.kg,hr\naudit3@demo.kg,boss');
    await page.getByLabel('Ролу көрсөтүлбөгөн саптар үчүн роль').selectOption({ label: 'Академиянын текшерүүчүсү' });
    await page.getByRole('button', { name: 'Текшерүү' }).click();
    await expect.poll(() => page.locator('#report-title').textContent()).toBe('Текшерүүнүн натыйжасы');
    expect(await page.getByRole('status').textContent()).toBe('Берилет: 2. Мурунтан эле бар: 0. Катасы бар саптар: 4.');
    const rows = page.locator('section tbody tr');
    expect(await rows.count()).toBe(6);
    const cells = async (i: number) => (await rows.nth(i).locator('td').allTextContents()).map((t) => t.trim());
    expect(await cells(0)).toEqual(['1', 'audit1@demo.kg', 'Азамат Бейшеев', 'Академиянын текшерүүчүсү', '—', 'Берилет']);
    expect((await cells(2))[5]).toBe('Мындай колдонуучу жок.');
    expect((await cells(3))[5]).toBe('Бул сап тизмеде экинчи жолу кайталанат.');
    expect((await cells(4))[5]).toBe('Кадр кызматы кайсы уюм үчүн экенин тандаңыз.');
    expect((await cells(5))[5]).toContain('Мындай роль жок.');
    // no "grant" while a line is wrong
    expect(await page.getByRole('button', { name: /^Берүү/ }).count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);

    // the same people as a CSV file (a header line, semicolons as a Russian-locale Excel saves it)
    await page.getByLabel('Же CSV файлы').setInputFiles({ name: 'roles.csv', mimeType: 'text/csv', buffer: Buffer.from('\uFEFFemail;role\r\naudit1@demo.kg;reviewer\r\naudit2@demo.kg;reviewer\r\n') });
    await page.getByRole('button', { name: 'Текшерүү' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toBe('Берилет: 2. Мурунтан эле бар: 0. Катасы бар саптар: 0.');
    await page.getByRole('button', { name: 'Берүү (2)' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toBe('Ролдор берилди: 2.');
    // checking the same file again: both are now held
    await page.getByRole('button', { name: 'Текшерүү' }).click();
    await expect.poll(() => page.locator('section [role="status"]').textContent()).toBe('Берилет: 0. Мурунтан эле бар: 2. Катасы бар саптар: 0.');
    await page.goto('/ky/admin/people?q=audit2');
    await page.getByRole('link', { name: 'Чолпон Кадырова' }).click();
    expect(await page.locator('tbody').first().textContent()).toContain('Академиянын текшерүүчүсү');
    await context.close();
  });

  it('ru: the system page shows the server and the queues; a queued event is cancelled and retried from the outbox', async () => {
    const { context, page } = await signedIn('admin@demo.kg', { lang: 'ru', open: false });
    await page.goto('/ru/admin');
    await page.getByRole('link', { name: 'Система', exact: true }).click();
    await page.waitForURL('**/ru/admin/system');
    const main = (await page.textContent('main'))!;
    for (const text of ['Версия', 'База данных', 'Журнал изменений', 'Резервная копия', 'Очереди отправки']) expect(main).toContain(text);
    expect(await seriousViolations(page)).toEqual([]);
    const webhookRow = page.locator('tbody tr', { hasText: 'Кадровая система (webhook)' });
    const count = async (state: number) => Number(await webhookRow.locator('td').nth(state).textContent());
    // columns: pending, failed, delivered, cancelled
    const cancelledBefore = await count(3);
    const waiting = (await count(0)) > 0 ? 0 : 1;
    expect(await count(waiting)).toBeGreaterThan(0);
    await webhookRow.locator('td').nth(waiting).getByRole('link').click();
    await page.waitForURL(/\/ru\/admin\/outbox\?channel=webhook&state=(pending|failed)$/);
    expect(await page.getByLabel('Канал').inputValue()).toBe('webhook');
    await page.locator('tbody tr').first().getByRole('button', { name: /^Отменить/ }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toBe('Отменено: отправлено не будет.');
    expect(await seriousViolations(page)).toEqual([]);

    await page.goto('/ru/admin/system');
    expect(await count(3)).toBe(cancelledBefore + 1);
    await webhookRow.locator('td').nth(3).getByRole('link').click();
    await page.waitForURL('**/ru/admin/outbox?channel=webhook&state=cancelled');
    const cancelled = page.locator('tbody tr');
    expect(await cancelled.count()).toBe(cancelledBefore + 1);
    expect(await cancelled.first().textContent()).toContain('Отменено');
    await cancelled.first().getByRole('button', { name: /^Отправить снова сейчас/ }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toBe('Будет отправлено в следующем цикле.');
    await page.goto('/ru/admin/system');
    expect(await count(3)).toBe(cancelledBefore);
    await context.close();
  });
});

describe('single sign-on from the sign-in page, against a real OpenID provider on loopback', () => {
  // The provider's people: one with the personal number the admin typed for Асель Токтосунова above
  // (and someone else's unverified e-mail, which must not matter), one known only by an unverified e-mail.
  const ACCOUNTS: Record<string, Record<string, unknown>> = {
    asel: { pin: '21203199000123', email: 'admin@demo.kg', email_verified: false, name: 'Тимур Жээнбеков' },
    stranger: { email: 'learner@demo.kg', email_verified: false },
  };
  let provider: http.Server;
  let issuer: string;
  let admin: { context: BrowserContext; page: Page };
  let oshPath: string | null = null;
  beforeAll(async () => {
    const port = await freePort();
    issuer = `http://127.0.0.1:${port}`;
    const oidc = new Provider(issuer, {
      clients: [{ client_id: 'bilim-browser', client_secret: 'bilim-browser-secret-0123456789abcdef', redirect_uris: [`${baseURL()}/api/auth/sso/callback`], grant_types: ['authorization_code'], response_types: ['code'], token_endpoint_auth_method: 'client_secret_post' }],
      claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'pin'] },
      conformIdTokenClaims: false,
      findAccount: (_ctx: unknown, id: string) => (ACCOUNTS[id] ? { accountId: id, claims: () => ({ sub: id, ...ACCOUNTS[id] }) } : undefined),
      pkce: { required: () => true },
      cookies: { keys: ['browser-cookie-key-0123456789'] },
      features: { devInteractions: { enabled: true } },
    });
    provider = http.createServer(oidc.callback());
    await new Promise<void>((r) => provider.listen(port, '127.0.0.1', r));
    admin = await signedIn('admin@demo.kg');
  });
  afterAll(async () => {
    // the other files on this server sign in with a password at Osh city hall, and see the sign-in page without single sign-on
    if (admin && oshPath) await pageApi(admin.page, 'PUT', `/api${oshPath.replace(/^\/ky/, '')}/password-login`, { enabled: true });
    if (admin) await pageApi(admin.page, 'PUT', '/api/admin/settings', { ssoIssuer: null, ssoClientId: null, ssoClientSecret: null, ssoPersonalNumberClaim: null });
    await admin?.context.close();
    await new Promise<void>((r) => (provider ? provider.close(() => r()) : r()));
  });

  /** Signs in at the provider's own pages (its development login and consent forms) as `account`. */
  async function atProvider(page: Page, account: string) {
    await page.waitForURL((u) => u.origin === issuer);
    await page.locator('input[name="login"]').fill(account);
    await page.locator('input[name="password"]').fill('any');
    await page.getByRole('button', { name: 'Sign-in' }).click();
    await page.getByRole('button', { name: 'Continue' }).click();
  }

  it('ky: the administrator sets the provider; the new account signs in by its personal number, never by the e-mail or name; then password sign-in is turned off and on for its organisation', { timeout: 90_000 }, async () => {
    const { page } = admin;
    await page.goto('/ky/admin/settings');
    await page.getByLabel('Идентификация провайдеринин дареги (issuer)').fill(issuer);
    await page.getByLabel('Кардардын идентификатору (client_id)').fill('bilim-browser');
    await page.getByLabel('Кардардын жашыруун ачкычы (client_secret)').fill('bilim-browser-secret-0123456789abcdef');
    await page.getByLabel('ПИН келген талаанын аты (claim)').fill('pin');
    await page.getByRole('button', { name: 'Сактоо' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('Жөндөөлөр сакталды.');
    // Password sign-in cannot be turned off where nobody has signed in through the provider yet.
    await page.goto('/ky/admin');
    await page.getByRole('link', { name: 'Ош шаарынын мэриясы' }).click();
    await page.waitForURL(/\/ky\/admin\/organisations\/\d+$/);
    oshPath = new URL(page.url()).pathname;
    await page.getByRole('button', { name: 'Сырсөз менен кирүүнү өчүрүү' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Бул уюмда бирдиктүү кирүү али колдонула элек');

    const anon = await browser.newContext({ baseURL: baseURL() });
    const p = await anon.newPage();
    await p.goto('/ky/login');
    expect(await seriousViolations(p)).toEqual([]);
    await p.getByRole('link', { name: 'Бирдиктүү кирүү аркылуу кирүү' }).click();
    await atProvider(p, 'asel');
    await p.waitForURL((u) => u.origin === baseURL() && !u.pathname.startsWith('/api/'));
    expect(p.url()).toBe(`${baseURL()}/ky/`);
    const me = await (await p.request.get('/api/me')).json();
    expect(me.email).toBe('asel@demo.kg');
    // the page itself shows the person signed in
    await p.goto('/ky/account');
    expect(await p.textContent('main')).toContain('Асель Токтосунова');

    // Now that it works at Osh city hall, password sign-in is turned off there: a colleague with a
    // password is told to use single sign-on; turned on again, they sign in.
    await page.goto(oshPath!);
    await page.getByRole('button', { name: 'Сырсөз менен кирүүнү өчүрүү' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('Сырсөз менен кирүү өчүрүлдү.');
    const colleague = await browser.newContext({ baseURL: baseURL() });
    const c = await colleague.newPage();
    const passwordSignIn = async () => {
      await c.goto('/ky/login');
      await c.locator('#email').fill('osh@demo.kg');
      await c.locator('#password').fill('demo-password-2026');
      await c.locator('form button[type=submit]').click();
    };
    await passwordSignIn();
    await expect.poll(() => c.getByRole('alert').textContent()).toContain('Сиздин уюмуңузда сырсөз менен кирүү өчүрүлгөн.');
    expect(await seriousViolations(c)).toEqual([]);
    await page.getByRole('button', { name: 'Сырсөз менен кирүүнү кайра күйгүзүү' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('Сырсөз менен кирүү кайра күйгүзүлдү.');
    await passwordSignIn();
    await c.waitForURL('**/ky/');
    await colleague.close();

    // Someone the provider knows only by an unverified e-mail: back on the sign-in page with the reason, not signed in.
    const other = await browser.newContext({ baseURL: baseURL() });
    const q = await other.newPage();
    await q.goto('/ru/login');
    await q.getByRole('link', { name: 'Войти через единый вход' }).click();
    await atProvider(q, 'stranger');
    await q.waitForURL(`${baseURL()}/ru/login?sso=sso_no_account`);
    expect(await q.getByRole('alert').textContent()).toContain('По ПИН или подтверждённой электронной почте от провайдера учётная запись не найдена.');
    expect((await q.request.get('/api/me')).status()).toBe(401);
    expect(await seriousViolations(q)).toEqual([]);
    await anon.close();
    await other.close();
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
    ['/ru/admin/people/new', 390],
    ['/ky/admin/roles', 390],
    ['/ru/admin/system', 390],
    ['/ky/admin/outbox', 1280],
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
    const { context, page } = await signedIn('learner@demo.kg', { open: false });
    for (const path of ['/ky/admin', '/ky/admin/people', '/ky/admin/policy', '/ky/admin/settings', '/ky/admin/audit', '/ky/hr']) {
      expect((await page.goto(path))!.status(), path).toBe(403);
    }
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });
});

describe('administration with JavaScript off', () => {
  it('previews a policy change with a plain form', async () => {
    const { context, page } = await signedIn('admin@demo.kg', { javaScriptEnabled: false, open: false });
    await page.goto('/ru/admin/policy');
    await page.getByLabel('Срок «подходит» за').fill('30');
    await page.getByRole('button', { name: 'Посмотреть, что изменится' }).click();
    expect(await page.locator('#preview-title').textContent()).toBe('Что изменится по новым правилам');
    expect(await page.locator('input[type=hidden][name=dueSoonDays]').inputValue()).toBe('30');
    await context.close();
  });
});
