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

async function signedIn(email: string, lang: 'ky' | 'ru', javaScriptEnabled = true, open?: string | false): Promise<{ context: BrowserContext; page: Page }> {
  const page = await signedInPage(browser, email, { lang, javaScriptEnabled, open });
  return { context: page.context(), page };
}

/** Demo learners of the academy demo whose completed course still waits for their survey. */
async function waitingForSurvey(count: number): Promise<{ email: string; slug: string; enrolmentId: number }[]> {
  const found: { email: string; slug: string; enrolmentId: number }[] = [];
  for (let i = 1; i <= 12 && found.length < count; i++) {
    const email = `academy-demo-${String(i).padStart(2, '0')}@demo.kg`;
    const context = await browser.newContext({ baseURL: baseURL() });
    const login = await context.request.post('/api/auth/login', { headers: { origin: baseURL() }, data: { email, password: 'demo-password-2026' } });
    expect(login.status()).toBe(200);
    const { enrolments } = await (await context.request.get('/api/me/enrolments')).json();
    const e = enrolments.find((x: any) => x.status === 'completed' && !x.progress.completion.feedback.given);
    if (e) found.push({ email, slug: e.course.slug, enrolmentId: e.id });
    await context.close();
  }
  expect(found).toHaveLength(count);
  return found;
}

describe('the end-of-course survey', () => {
  it('works without JavaScript: errors summarised and linked, then recorded once', async () => {
    const [who] = await waitingForSurvey(1);
    const { context, page } = await signedIn(who!.email, 'ky', false, false);
    await page.goto(`/ky/courses/${who!.slug}`);
    await page.getByRole('link', { name: 'Курс жөнүндө пикир калтыруу' }).click();
    await page.waitForURL(`**/ky/courses/${who!.slug}/feedback`);
    expect(await page.locator('fieldset').count()).toBe(4);
    expect(await page.getByRole('group', { name: 'Курс менин ишиме тиешелүү болду' }).getByRole('radio').count()).toBe(5);

    // one answer only: the three others are summarised at the top and linked to their first choice
    await page.getByRole('group', { name: 'Курс менин ишиме тиешелүү болду' }).getByLabel('4 — көбүнчө ооба').check();
    await page.getByRole('button', { name: 'Пикирди жөнөтүү' }).click();
    const summary = page.locator('.error-summary');
    expect(await summary.locator('a').count()).toBe(3);
    expect(await summary.locator('a').first().getAttribute('href')).toBe('#clarity-1');
    expect(await summary.textContent()).toContain('Материал түшүнүктүү берилди');
    expect(await page.getByRole('group', { name: 'Курс менин ишиме тиешелүү болду' }).getByLabel('4 — көбүнчө ооба').isChecked()).toBe(true);

    await page.getByRole('group', { name: 'Материал түшүнүктүү берилди' }).getByLabel('5 — толугу менен ооба').check();
    await page.getByRole('group', { name: 'Үйрөнгөнүмдү күндөлүк ишимде колдоно алам' }).getByLabel('3 — жарым-жартылай').check();
    await page.getByRole('group', { name: 'Окутуучу курсту сапаттуу даярдаган' }).getByLabel('4 — көбүнчө ооба').check();
    await page.getByLabel('Пикириңиз (милдеттүү эмес)').fill('Браузер тестинин пикири: мисалдар түшүнүктүү.');
    await page.getByRole('button', { name: 'Пикирди жөнөтүү' }).click();
    await page.waitForURL((u) => u.pathname.endsWith('/feedback') && u.search === '?done=1');
    expect(await page.getByRole('status').textContent()).toContain('Рахмат');
    const given = await page.getByTestId('feedback-given').textContent();
    expect(given).toContain('5 — толугу менен ооба');
    expect(given).toContain('Браузер тестинин пикири');
    expect(await page.locator('form button[type=submit]').filter({ hasText: 'Пикирди жөнөтүү' }).count()).toBe(0);
    // once per enrolment
    const again = await page.request.post(`/api/enrolments/${who!.enrolmentId}/feedback`, { headers: { origin: baseURL() }, data: { relevance: 1, clarity: 1, usefulness: 1, trainer: 1 } });
    expect(again.status()).toBe(409);
    await context.close();
  });

  it('works with JavaScript too, in Russian', async () => {
    const [who] = await waitingForSurvey(1);
    const { context, page } = await signedIn(who!.email, 'ru', true, false);
    await page.goto(`/ru/courses/${who!.slug}/feedback`);
    expect(await seriousViolations(page)).toEqual([]);
    // sent empty: the server answers with the summary of all four questions (axe checks this page too)
    await page.getByRole('button', { name: 'Отправить отзыв' }).click();
    await page.waitForLoadState();
    expect(await page.locator('.error-summary a').count()).toBe(4);
    expect(await seriousViolations(page)).toEqual([]);
    for (const [question, answer] of [
      ['Курс касается моей работы', '5 — полностью да'],
      ['Материал изложен понятно', '4 — скорее да'],
      ['Полученные знания я могу применить в своей работе', '4 — скорее да'],
      ['Преподаватель качественно подготовил курс', '5 — полностью да'],
    ]) await page.getByRole('group', { name: question }).getByLabel(answer).check();
    await page.getByRole('button', { name: 'Отправить отзыв' }).click();
    await page.waitForURL((u) => u.search === '?done=1');
    expect(await page.getByRole('status').textContent()).toContain('Спасибо');
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });
});

describe('the quality dashboard', () => {
  it('shows reviewers figures and charts with text alternatives; axe finds nothing serious', async () => {
    const { context, page } = await signedIn('reviewer@demo.kg', 'ky');
    await page.getByRole('link', { name: 'Академия', exact: true }).click();
    await page.waitForURL('**/ky/academy');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Курстардын сапаты');
    const enrolled = Number(await page.getByTestId('totals').locator('dd').first().textContent());
    expect(enrolled).toBeGreaterThan(0);

    const charts = page.locator('figure.chart');
    expect(await charts.count()).toBeGreaterThanOrEqual(5);
    for (let i = 0; i < (await charts.count()); i++) {
      const chart = charts.nth(i);
      // a title, the picture hidden from screen readers, and every number in text and in a table
      expect((await chart.locator('figcaption').textContent())?.trim()).not.toBe('');
      expect(await chart.locator('svg.bar-svg').count()).toBeGreaterThan(0);
      for (const svg of await chart.locator('svg.bar-svg').all()) expect(await svg.getAttribute('aria-hidden')).toBe('true');
      expect(await chart.locator('table tbody tr').count()).toBe(await chart.locator('ul.bars > li').count());
    }
    // the funnel's first bar is the enrolments, in words and in the table
    const funnel = page.locator('#funnel');
    expect(await funnel.locator('.bar-value').first().textContent()).toBe(String(enrolled));
    await funnel.getByText('Таблица түрүндө көрсөтүү').click();
    expect(await funnel.locator('tbody tr').first().locator('td').textContent()).toBe(String(enrolled));
    expect(await seriousViolations(page)).toEqual([]);

    // the CSV with the same filter
    const csv = await page.request.get(await page.getByRole('link', { name: 'Көрсөткүчтөрдү CSV түрүндө жүктөп алуу' }).getAttribute('href') as string);
    expect(csv.status()).toBe(200);
    const bytes = await csv.body();
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString('utf8')).toContain('scope,course_slug');

    // a course in detail: per-version figures and comments, no names
    await page.locator('[data-testid=course-table] tbody tr').first().locator('th a').click();
    await page.waitForURL((u) => u.pathname.startsWith('/ky/academy/courses/'));
    expect(await page.getByTestId('version-table').locator('tbody tr').count()).toBeGreaterThanOrEqual(1);
    const main = (await page.textContent('main')) ?? '';
    for (const name of ['Азамат Бейшеев', 'Жыпар Абдыкалыкова', 'Мирлан Токтосунов', 'Чолпон Исакова', 'Анара Кененбаева', 'academy-demo-']) expect(main).not.toContain(name);
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });

  it('fits a phone screen in both languages (tables scroll inside their frame)', async () => {
    const { context, page } = await signedIn('reviewer@demo.kg', 'ru', true, false);
    await page.setViewportSize({ width: 390, height: 800 });
    for (const path of ['/ky/academy', '/ru/academy?category=anticorruption', '/ru/academy/courses/anti-corruption', '/ky/academy/courses/digital-literacy-and-security']) {
      const res = await page.goto(path);
      expect(res?.status(), path).toBe(200);
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth), path).toBeLessThanOrEqual(0);
      expect(await seriousViolations(page), path).toEqual([]);
    }
    // a bad filter is reported at the top, not a failure
    const bad = await page.goto('/ru/academy?from=2026-02-01&to=2026-01-01');
    expect(bad?.status()).toBe(400);
    expect(await page.locator('.error-summary').textContent()).toContain('Конец периода');
    await context.close();
  });

  it('is refused to a learner, with no link in the header', async () => {
    const { context, page } = await signedIn('learner@demo.kg', 'ru');
    expect(await page.getByRole('link', { name: 'Академия', exact: true }).count()).toBe(0);
    const res = await page.goto('/ru/academy');
    expect(res?.status()).toBe(403);
    await context.close();
  });
});
