import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { baseURL, launch, seriousViolations, signIn } from './browser';

/**
 * A servant on a phone (390 px) over a weak connection: compressed pages, the main action on the
 * first screen, no sideways scrolling, and a way through the course (outline, previous/next,
 * "continue where you left off", the test timer's warnings). Kyrgyz and Russian.
 */
const PHONE = { width: 390, height: 844 };

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

async function phone(options: { javaScriptEnabled?: boolean } = {}): Promise<Page> {
  const context = await browser.newContext({ baseURL: baseURL(), viewport: PHONE, javaScriptEnabled: options.javaScriptEnabled ?? true });
  return context.newPage();
}

async function enrol(page: Page, slug: string): Promise<void> {
  const res = await page.request.post(`/api/courses/${slug}/enrolments`, { headers: { origin: baseURL() } });
  expect(res.status()).toBeLessThan(300);
}

/** The page is no wider than the screen: nothing to scroll sideways. */
const pageWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

/** The element is on the first screen: its whole box within the viewport without scrolling. */
async function onFirstScreen(page: Page, selector: string): Promise<boolean> {
  await page.evaluate(() => window.scrollTo(0, 0));
  const box = await page.locator(selector).first().boundingBox();
  return !!box && box.y >= 0 && box.y + box.height <= PHONE.height && box.x >= 0 && box.x + box.width <= PHONE.width;
}

describe('smaller pages', () => {
  it('pages, API answers and build files come compressed; the alternate-language link is absolute', async () => {
    const page = await phone();
    const html = await page.request.get('/ky/courses', { headers: { 'accept-encoding': 'br, gzip' } });
    expect(html.headers()['content-encoding']).toBe('br');
    expect(html.headers()['vary']).toMatch(/accept-encoding/i);
    const gz = await page.request.get('/ru/courses', { headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers()['content-encoding']).toBe('gzip');
    expect(await gz.text()).toContain('<html lang="ru">');
    const plain = await page.request.get('/ru/courses', { headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers()['content-encoding']).toBeUndefined();
    const api = await page.request.get('/api/courses', { headers: { 'accept-encoding': 'br' } });
    expect(api.headers()['content-encoding']).toBe('br');
    expect((await api.json()).courses.length).toBeGreaterThan(0);

    // a build file: precompressed, cached for good (its name carries its content hash)
    await page.goto('/ky/courses');
    const css = await page.locator('link[rel=stylesheet]').first().getAttribute('href');
    const asset = await page.request.get(css!, { headers: { 'accept-encoding': 'br, gzip' } });
    expect(asset.headers()['content-encoding']).toBe('br');
    expect(asset.headers()['cache-control']).toContain('immutable');
    expect(asset.headers()['content-type']).toContain('text/css');
    expect((await asset.text()).length).toBeGreaterThan(1000);

    expect(await page.locator('link[rel=alternate][hreflang=ru]').getAttribute('href')).toBe(`${baseURL()}/ru/courses`);
    await page.goto('/ru/courses?q=этика');
    expect(await page.locator('link[rel=alternate][hreflang=ky]').getAttribute('href')).toBe(`${baseURL()}/ky/courses?q=%D1%8D%D1%82%D0%B8%D0%BA%D0%B0`);
    await page.context().close();
  });
});

describe('at 390 px', () => {
  for (const [lang, email, ui] of [
    ['ky', 'learner@demo.kg', { enrol: 'Курска жазылуу', continue: /^(Баштоо|Улантуу)$/, filters: 'Чыпкалар' }],
    ['ru', 'osh@demo.kg', { enrol: 'Записаться на курс', continue: /^(Начать|Продолжить)$/, filters: 'Фильтры' }],
  ] as const) {
    it(`${lang}: the main action is on the first screen and nothing scrolls sideways`, async () => {
      const page = await phone();
      // the catalog: search, one folded control for the filters, then the results
      await page.goto(`/${lang}/courses`);
      const summary = page.locator('.filters-fold > summary');
      expect(await summary.textContent()).toContain(ui.filters);
      expect(await page.locator('#f-category').isVisible()).toBe(false);
      expect(await onFirstScreen(page, '#results-title')).toBe(true);
      expect(await onFirstScreen(page, '.course-list .course-card h3 a')).toBe(true);
      await summary.click();
      expect(await page.locator('#f-category').isVisible()).toBe(true);
      expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
      expect(await seriousViolations(page)).toEqual([]);

      await signIn(page, email, { open: false });
      const course = 'state-language-in-official-work';
      await page.goto(`/${lang}/courses/${course}`);
      // the enrolment button, then, once enrolled, the start/continue button: on the first screen
      const enrolled = (await page.getByRole('link', { name: ui.continue }).count()) > 0;
      if (!enrolled) {
        expect(await onFirstScreen(page, `.enrol-panel button.button`)).toBe(true);
        await page.getByRole('button', { name: ui.enrol }).click();
        await page.waitForURL(`**/${course}?done=enrolled`);
      }
      expect(await onFirstScreen(page, '.enrol-panel a.button')).toBe(true);
      expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
      expect(await seriousViolations(page)).toEqual([]);

      for (const path of [`/${lang}/`, `/${lang}/my`, `/${lang}/my/record`, `/${lang}/courses/${course}/lessons/01-state-language-and-business-style`]) {
        await page.goto(path);
        expect(await pageWidth(page), path).toBeLessThanOrEqual(PHONE.width);
      }
      await page.context().close();
    }, 90_000);
  }

  it('the HR staff list shows that it scrolls inside its box, and the page itself does not', async () => {
    const page = await phone();
    await signIn(page, 'hr@demo.kg', { open: false });
    await page.goto('/ky/hr');
    expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
    const wrap = page.locator('.table-wrap').first();
    const { scrolls, shadow } = await wrap.evaluate((el) => ({ scrolls: el.scrollWidth > el.clientWidth, shadow: getComputedStyle(el).backgroundImage }));
    expect(scrolls).toBe(true);
    expect(shadow).toContain('radial-gradient');
    expect(await seriousViolations(page)).toEqual([]);
    await page.context().close();
  });

  it('My learning and the training record show their tables as stacked rows, each cell named', async () => {
    const page = await phone();
    await signIn(page, 'learner@demo.kg', { open: false });
    await page.goto('/ru/my/record');
    const table = page.locator('table.stack-table');
    if ((await table.count()) > 0) {
      expect(await table.evaluate((t) => getComputedStyle(t.querySelector('tr')!).display)).toBe('block');
      expect(await page.locator('table.stack-table td[data-label]').first().getAttribute('data-label')).toBeTruthy();
    }
    expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
    await page.context().close();
  });
});

describe('finding the way', () => {
  for (const [lang, email, ui] of [
    ['ky', 'learner@demo.kg', { outline: '1-модулдун сабактары', next: 'Кийинки', previous: 'Мурунку', resume: 'Калган жериңизден улантуу', continue: 'Улантуу' }],
    ['ru', 'osh@demo.kg', { outline: 'Уроки модуля 1', next: 'Следующий', previous: 'Предыдущий', resume: 'Продолжить с того места, где вы остановились', continue: 'Продолжить' }],
  ] as const) {
    it(`${lang}, JavaScript off: a lesson shows its module's outline and previous/next; the home page continues where the learner left off`, async () => {
      const page = await phone({ javaScriptEnabled: false });
      await signIn(page, email, { open: false });
      const course = 'civil-and-municipal-service';
      await enrol(page, course);
      await page.goto(`/${lang}/courses/${course}`);
      const lessonLinks = page.locator('.outline a[href*="/lessons/"]');
      const second = (await lessonLinks.nth(1).getAttribute('href'))!;
      await page.goto(second);
      const outline = page.getByRole('navigation', { name: ui.outline });
      expect(await outline.locator('[aria-current="page"]').count()).toBe(1);
      expect(await outline.locator('li').count()).toBeGreaterThan(1);
      expect(await page.locator('a[rel=prev]').textContent()).toContain(ui.previous);
      expect(await page.locator('a[rel=next]').textContent()).toContain(ui.next);

      // the home page offers this course, at this lesson
      await page.goto(`/${lang}/`);
      const resume = page.getByRole('region', { name: ui.resume });
      const link = resume.getByRole('link', { name: new RegExp(`^${ui.continue}`) });
      expect(await link.getAttribute('href')).toBe(second);
      expect(await onFirstScreen(page, '.resume a.button')).toBe(true);
      expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
      await page.context().close();
    }, 60_000);
  }

  for (const [lang, five, one] of [
    ['ky', 'Тесттин убактысынын бүтүшүнө 5 мүнөттөн аз калды.', 'Тесттин убактысынын бүтүшүнө 1 мүнөттөн аз калды.'],
    ['ru', 'До конца времени на тест осталось меньше 5 минут.', 'До конца времени на тест осталось меньше минуты.'],
  ] as const) {
    it(`${lang}: the test timer warns at 5 minutes and at 1 minute, in a live region`, async () => {
      const page = await phone();
      await signIn(page, lang === 'ky' ? 'learner@demo.kg' : 'osh@demo.kg', { open: false });
      const course = 'digital-literacy-and-security';
      await enrol(page, course);
      const quizzes = (await (await page.request.get(`/api/courses/${course}/quizzes`)).json()).quizzes as { id: number; kind: string; timeLimitSeconds: number | null }[];
      const quiz = quizzes.find((q) => q.kind === 'module' && q.timeLimitSeconds)!;
      const started = await (await page.request.post(`/api/quizzes/${quiz.id}/attempts`, { headers: { origin: baseURL() } })).json();
      await page.clock.install();
      await page.goto(`/${lang}/attempts/${started.attempt.id}`);
      await page.locator('astro-island:not([ssr])').waitFor({ state: 'attached' });
      const warning = page.locator('.time-warning');
      expect(await warning.getAttribute('aria-live')).toBe('assertive');
      expect((await warning.textContent())!.trim()).toBe('');
      await page.clock.fastForward(quiz.timeLimitSeconds! * 1000 - 4.5 * 60_000);
      await expect.poll(() => warning.textContent()).toContain(five);
      await page.clock.fastForward(4 * 60_000);
      await expect.poll(() => warning.textContent()).toContain(one);
      await page.context().close();
    });
  }

  for (const [lang, email, finish, submit, waiting] of [
    ['ky', 'learner@demo.kg', 'Тестти аяктоо', 'Тестти тапшыруу', 'Байланыш жок. Тест байланыш калыбына келгенде өзү жөнөтүлөт'],
    ['ru', 'osh@demo.kg', 'Завершить тест', 'Сдать тест', 'Нет связи. Тест отправится сам'],
  ] as const) {
    it(`${lang}: finishing a test offline waits on the page and submits when the connection is back`, async () => {
      const page = await phone();
      await signIn(page, email, { open: false });
      const course = 'digital-literacy-and-security';
      await enrol(page, course);
      const quizzes = (await (await page.request.get(`/api/courses/${course}/quizzes`)).json()).quizzes as { id: number; kind: string }[];
      const started = await (await page.request.post(`/api/quizzes/${quizzes.filter((q) => q.kind === 'module')[1]!.id}/attempts`, { headers: { origin: baseURL() } })).json();
      await page.goto(`/${lang}/attempts/${started.attempt.id}`);
      await page.locator('astro-island:not([ssr])').waitFor({ state: 'attached' });
      await page.getByRole('button', { name: finish }).click();
      await page.waitForURL(/confirm=1/);
      const confirmUrl = page.url();
      await page.context().setOffline(true);
      await page.getByRole('button', { name: submit }).click();
      await expect.poll(() => page.locator('.offline-wait').textContent()).toContain(waiting);
      expect(page.url()).toBe(confirmUrl);
      expect(await page.locator('h1').count()).toBe(1); // still the page, not the browser's error page
      await page.context().setOffline(false);
      await page.waitForURL(/\/attempts\/\d+\/result$/, { timeout: 20_000 });
      await page.context().close();
    });
  }
});
