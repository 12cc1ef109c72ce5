import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { baseURL, launch, rightResponseFromDb, seriousViolations, signedInPage } from './browser';

const COURSE = 'anti-corruption';
const manifest = JSON.parse(readFileSync(`courses/${COURSE}/course.json`, 'utf8')) as { modules: { lessons: { slug: string; video?: unknown }[] }[] };
const LESSONS = manifest.modules.flatMap((m) => m.lessons);
// People of this test only, in a sub-unit no demo account belongs to (the internal audit department).
const RUN = Date.now().toString(36);
const FIRST = { name: 'Асан Үсөнов', email: `asan.${RUN}@hr-staff.test` };
const SECOND = { name: 'Бегимай Ташиева', email: `begimai.${RUN}@hr-staff.test` };
const CSV = [
  'full_name,email,personal_number,organisation,position,post_kind,admin_group,gender,appointment_date,locale',
  `${FIRST.name},${FIRST.email},,Ички аудит бөлүмү,Аудитор,administrative,senior,male,01.02.2015,ky`,
  `${SECOND.name},${SECOND.email},,Ички аудит бөлүмү,Адис,Административдик,Кенже,female,2016-09-01,ky`,
  `Бөтөн Уюм,other.${RUN}@hr-staff.test,,Ош шаарынын мэриясы,,administrative,junior,,,`,
].join('\n');

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/** A demo account signed in by the one helper, JavaScript on or off; every caller opens its own page next. */
async function signedIn(email: string, javaScriptEnabled = true): Promise<{ context: BrowserContext; page: Page }> {
  const page = await signedInPage(browser, email, { javaScriptEnabled, open: false });
  return { context: page.context(), page };
}

/** Through the sign-in form, for the password the servant just set from the invitation: the form is what is tested. */
async function signInByForm(email: string, password: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: baseURL(), viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto('/ky/login');
  await page.getByLabel('Электрондук почта').fill(email);
  await page.getByLabel('Сырсөз', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Кирүү', exact: true }).click();
  await page.waitForURL((url) => url.pathname === '/ky/');
  return { context, page };
}

/** The names in the overdue list of the internal audit department. */
async function overdueNames(page: Page): Promise<string[]> {
  await page.goto('/ky/hr/compliance');
  await page.locator('table.units').getByRole('link', { name: 'Ички аудит бөлүмү', exact: true }).click();
  await page.waitForURL((url) => url.searchParams.has('unitId'));
  await page.selectOption('#f-status', 'overdue');
  await page.getByRole('button', { name: 'Көрсөтүү' }).click();
  await page.waitForURL((url) => url.searchParams.get('status') === 'overdue');
  return page.locator('table.staff-list tbody tr td:first-child').allTextContents();
}

describe('HR workspace in Chromium', () => {
  it('with JavaScript off, a Windows-1251 file whose Kyrgyz letters were lost is refused with the reason at the top', async () => {
    const { context, page } = await signedIn('hr@demo.kg', false);
    await page.goto('/ky/hr/import');
    // "Үсөнов" saved by Excel as Windows-1251: Ү and ө became "?"
    const lossy = Buffer.from([...'full_name,email,organisation,post_kind\n?с?нов,x@test.kg,Ички аудит,special\n'].map((ch) => { const c = ch.codePointAt(0)!; return c < 128 ? c : c >= 0x410 && c <= 0x44f ? c - 0x410 + 0xc0 : 0x3f; }));
    await page.setInputFiles('#file', { name: 'staff.csv', mimeType: 'text/csv', buffer: lossy });
    await page.getByRole('button', { name: 'Файлды текшерүү' }).click();
    await page.waitForSelector('.error-summary');
    expect(await page.locator('.error-summary').textContent()).toContain('ң, ө, ү тамгалары «?» болуп калган');
    expect(await page.locator('.error-summary a[href="#file"]').count()).toBe(1);
    await context.close();
  });

  it('HR imports staff from CSV, assigns a course, invites a servant who completes it, and the overdue list shrinks', async () => {
    const { context, page } = await signedIn('hr@demo.kg');

    // 1. import: the report names the bad line; only the valid lines are confirmed
    await page.goto('/ky/hr/import');
    await page.setInputFiles('#file', { name: 'staff.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
    await page.getByRole('button', { name: 'Файлды текшерүү' }).click();
    await page.waitForURL((url) => url.pathname === '/ky/hr/import' && url.searchParams.has('id'));
    expect(await page.getByRole('status').textContent()).toContain('Туура саптар: 2. Катасы бар саптар: 1.');
    const bad = page.locator('tbody tr', { hasText: `other.${RUN}` });
    expect(await bad.textContent()).toContain('Бул уюм сиздин кадр кызматыңызга кирбейт.');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Туура саптарды гана кошуу (2)' }).click();
    await page.waitForURL((url) => url.pathname === '/ky/hr/import' && url.searchParams.has('id'));
    expect(await page.getByRole('status').textContent()).toContain('2 кызматчы кошулду.');
    // invitation links for everyone imported at once (the servant's page below makes a fresh one)
    await page.getByRole('button', { name: 'Бардыгына чакыруу шилтемелерин түзүү' }).click();
    const links = page.locator('table.invitations tbody tr');
    expect(await links.count()).toBe(2);
    expect(await links.filter({ hasText: FIRST.email }).locator('code').textContent()).toMatch(/\/ky\/invite\/[a-z2-7]+$/);
    expect(await seriousViolations(page)).toEqual([]);

    // 2. both are overdue (appointed in 2015 and 2016, never trained)
    const before = await overdueNames(page);
    expect(before).toEqual(expect.arrayContaining([FIRST.name, SECOND.name]));
    expect(await seriousViolations(page)).toEqual([]);
    // the chart: a bar per unit, its numbers in words for screen readers (and the table below)
    expect(await page.locator('figure.chart svg[role="img"][aria-label^="Ички аудит бөлүмү"]').getAttribute('aria-label')).toMatch(/^Ички аудит бөлүмү: Талапка ылайык \d+, Мөөнөтү жакындады \d+, Мөөнөтү өтүп кетти [1-9]\d*, Маалымат жок \d+$/);

    // 3. assign the course to the whole department
    await page.goto('/ky/hr/assignments');
    await page.selectOption('#courseSlug', COURSE);
    await page.fill('#dueDate', '2099-12-31');
    const auditOption = await page.locator('#organisationId option', { hasText: 'Ички аудит бөлүмү' }).getAttribute('value');
    await page.selectOption('#organisationId', auditOption!);
    await page.getByRole('button', { name: 'Курска жөнөтүү' }).click();
    // the department also has other demo servants: the two imported are among those assigned
    await expect.poll(() => page.getByRole('status').textContent()).toMatch(/Жөнөтүлдү: \d+\./);
    const row = page.locator('table.assignments tbody tr', { hasText: FIRST.name });
    expect(await row.textContent()).toContain('Аткарылууда');
    expect(await page.locator('table.assignments tbody tr', { hasText: SECOND.name }).textContent()).toContain('Аткарылууда');
    expect(await seriousViolations(page)).toEqual([]);

    // 4. an invitation link for the first servant, shown once
    await row.getByRole('link', { name: FIRST.name }).click();
    await page.waitForURL(/\/ky\/hr\/staff\/\d+$/);
    expect(await page.textContent('main')).toContain('Сырсөз али коюлган жок');
    await page.getByRole('button', { name: 'Чакыруу шилтемесин түзүү' }).click();
    const invitation = (await page.locator('#invitation-link').textContent())!;
    expect(invitation).toMatch(/\/ky\/invite\/[a-z2-7]+$/);
    expect(await seriousViolations(page)).toEqual([]);

    // 5. the servant sets a password through the link, signs in and completes the course
    const servant = await browser.newContext({ baseURL: baseURL(), viewport: { width: 1280, height: 900 } });
    const s = await servant.newPage();
    await s.goto(new URL(invitation).pathname);
    await s.fill('#password', 'my-first-password-2026');
    await s.fill('#confirm', 'my-first-password-2026');
    await s.getByRole('button', { name: 'Сырсөз коюу' }).click();
    await expect.poll(() => s.getByRole('status').textContent()).toContain('Сырсөз сакталды.');
    // the link works once only
    expect((await s.goto(new URL(invitation).pathname))!.status()).toBe(404);
    await servant.close();
    const learner = await signInByForm(FIRST.email, 'my-first-password-2026');
    const p = learner.page;
    for (const lesson of LESSONS) {
      await p.goto(`/ky/courses/${COURSE}/lessons/${lesson.slug}`);
      if (lesson.video) {
        await p.hover('video'); // the player loads when the learner reaches for the video
        await p.waitForSelector('.video-js .vjs-big-play-button');
        await p.locator('.vjs-big-play-button').click();
        await p.evaluate(() => {
          document.querySelector('video')!.playbackRate = 2;
        });
        await p.waitForFunction(() => document.querySelector('video')!.ended, null, { timeout: 40_000 });
        await expect.poll(() => p.textContent('#video-status'), { timeout: 10_000 }).toBe('Видео көрүлдү, сабак өтүлдү.');
      } else {
        await Promise.all([p.waitForNavigation(), p.locator('form button[type=submit]', { hasText: 'Сабакты окуп бүттүм' }).click()]);
      }
    }
    // the course is complete only when its final test is passed: the servant takes it (through the
    // API the attempt island uses) and answers as one who learned the course
    await p.goto(`/ky/courses/${COURSE}`);
    expect(await p.textContent('main')).not.toContain('Аяктады');
    const origin = { origin: baseURL() };
    const quizzes = (await (await p.request.get(`/api/courses/${COURSE}/quizzes`)).json()).quizzes as { id: number; kind: string }[];
    const started = await (await p.request.post(`/api/quizzes/${quizzes.find((q) => q.kind === 'final')!.id}/attempts`, { headers: origin })).json();
    let seq = 1;
    for (const q of started.questions as { id: number }[]) {
      const put = await p.request.put(`/api/attempts/${started.attempt.id}/answers/${q.id}`, { headers: origin, data: { response: rightResponseFromDb(q.id), seq: seq++ } });
      expect(put.status()).toBe(200);
    }
    expect((await p.request.post(`/api/attempts/${started.attempt.id}/submit`, { headers: origin })).status()).toBe(200);
    await p.goto(`/ky/courses/${COURSE}`);
    expect(await p.textContent('main')).toContain('Аяктады');
    await learner.context.close();

    // 6. HR sees the completion: the overdue list lost the first servant, the assignment is completed
    const after = await overdueNames(page);
    expect(after).not.toContain(FIRST.name);
    expect(after).toContain(SECOND.name);
    expect(after.length).toBe(before.length - 1);
    await page.goto('/ky/hr/assignments?state=completed');
    expect(await page.locator('table.assignments tbody tr', { hasText: FIRST.name }).textContent()).toContain('Аяктады');
    await context.close();
  }, 180_000);
});
