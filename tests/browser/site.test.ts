import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { baseURL, launch, seriousViolations } from './browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

async function newPage(options: { javaScriptEnabled?: boolean; width?: number } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: baseURL(), javaScriptEnabled: options.javaScriptEnabled ?? true, viewport: { width: options.width ?? 1280, height: 900 } });
  return { context, page: await context.newPage() };
}

/** A real course of the library and a word of its Kyrgyz title or summary that has ө, typed with о instead. */
function courseWithOWord(): { slug: string; titleKy: string; typed: string } {
  for (const slug of readdirSync('courses')) {
    let manifest: { title: { ky?: string }; summary: { ky?: string } };
    try {
      manifest = JSON.parse(readFileSync(`courses/${slug}/course.json`, 'utf8'));
    } catch {
      continue;
    }
    const words = `${manifest.title.ky} ${manifest.summary.ky}`.split(/[^\p{L}-]+/u);
    const word = words.find((w) => w.includes('ө') && w.length >= 5);
    if (word) return { slug, titleKy: manifest.title.ky!, typed: word.replace(/ө/g, 'о') };
  }
  throw new Error('the course library has no Kyrgyz title with ө');
}

describe('the site in Chromium', () => {
  it('redirects / to the Kyrgyz home page with lang set', async () => {
    const { context, page } = await newPage();
    await page.goto('/');
    expect(new URL(page.url()).pathname).toBe('/ky/');
    expect(await page.getAttribute('html', 'lang')).toBe('ky');
    await context.close();
  });

  it('signs in as the demo learner, shows the profile, and signs out', async () => {
    const { context, page } = await newPage();
    await page.goto('/ky/login');
    await page.getByLabel('Электрондук почта').fill('learner@demo.kg');
    await page.getByLabel('Сырсөз').fill('demo-password-2026');
    await page.getByRole('button', { name: 'Кирүү' }).click();
    await page.waitForURL('**/ky/');
    await page.getByRole('link', { name: 'Менин профилим' }).click();
    await expect.poll(() => page.textContent('main')).toContain('Айгүл Асанова');
    expect(await page.textContent('main')).toContain('Бюджеттик саясат башкармалыгы');
    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === 'bilim_session')!;
    expect(session.httpOnly).toBe(true);
    expect(session.sameSite).toBe('Lax');
    await page.getByRole('button', { name: 'Чыгуу' }).click();
    await page.waitForURL('**/ky/');
    expect(await page.getByRole('link', { name: 'Кирүү', exact: true }).count()).toBe(1);
    expect((await context.cookies()).find((c) => c.name === 'bilim_session')).toBeUndefined();
    await context.close();
  });

  it('shows a translated error summary for a wrong password', async () => {
    const { context, page } = await newPage();
    await page.goto('/ru/login');
    await page.getByLabel('Электронная почта').fill('learner@demo.kg');
    await page.getByLabel('Пароль').fill('wrong-password');
    await page.getByRole('button', { name: 'Войти' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Неверная электронная почта или пароль');
    await context.close();
  });

  it('switches language and keeps the page and the search', async () => {
    const { context, page } = await newPage();
    await page.goto('/ky/courses?q=%D1%8D%D1%82%D0%B8%D0%BA%D0%B0');
    await page.getByRole('link', { name: 'Русский' }).click();
    await page.waitForURL('**/ru/courses?q=*');
    expect(await page.getAttribute('html', 'lang')).toBe('ru');
    expect(await page.inputValue('#q')).toBe('этика');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Каталог курсов');
    await page.getByRole('link', { name: 'Кыргызча' }).click();
    await page.waitForURL('**/ky/courses?q=*');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Курстар каталогу');
    await context.close();
  });

  it('finds a course when о is typed for ө, and opens it', async () => {
    const { slug, titleKy, typed } = courseWithOWord();
    const { context, page } = await newPage();
    await page.goto('/ky/courses');
    await page.getByLabel('Курстун аталышы же темасы').fill(typed);
    await page.getByRole('button', { name: 'Издөө' }).click();
    await page.waitForURL(`**/ky/courses?q=*`);
    const link = page.getByRole('link', { name: titleKy });
    await link.click();
    await page.waitForURL(`**/ky/courses/${slug}`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(titleKy);
    expect(await page.getByRole('heading', { name: 'Курстун мазмуну' }).count()).toBe(1);
    expect(await page.locator('.outline > li').count()).toBeGreaterThanOrEqual(3);
    await context.close();
  });

  it('works with JavaScript off: search, filter and sign in', async () => {
    const { context, page } = await newPage({ javaScriptEnabled: false });
    await page.goto('/ru/courses');
    await page.selectOption('#f-lang', 'ru');
    await page.getByRole('button', { name: 'Показать' }).click();
    await page.waitForURL('**/ru/courses?*lang=ru*');
    expect(await page.locator('.course-card').count()).toBeGreaterThanOrEqual(2);
    await page.goto('/ru/login');
    await page.getByLabel('Электронная почта').fill('hr@demo.kg');
    await page.getByLabel('Пароль').fill('demo-password-2026');
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.waitForURL('**/ru/');
    expect(await page.getByRole('link', { name: 'Мой профиль', exact: true }).count()).toBe(1);
    await context.close();
  });

  it('keeps text pages small for slow connections', async () => {
    const { context, page } = await newPage();
    let bytes = 0;
    page.on('response', async (res) => {
      const body = await res.body().catch(() => Buffer.alloc(0));
      bytes += body.length;
    });
    await page.goto('/ky/courses', { waitUntil: 'networkidle' });
    expect(bytes).toBeLessThan(100 * 1024);
    await context.close();
  });
});

describe('accessibility (axe-core)', () => {
  const { slug } = courseWithOWord();
  for (const path of ['/ky/', '/ru/', '/ky/courses', '/ru/courses?q=этика', `/ky/courses/${slug}`, `/ru/courses/${slug}`, '/ky/login', '/ru/login', '/ky/api-docs', '/ky/verify', '/ru/verify/BLM-2026-2222-2222-2222']) {
    it(`${path} has no serious or critical violation`, async () => {
      const { context, page } = await newPage();
      await page.goto(path);
      expect(await seriousViolations(page)).toEqual([]);
      await context.close();
    });
  }
  it('the sign-in page with errors and a phone-width catalog have none either', async () => {
    const { context, page } = await newPage({ width: 390 });
    await page.goto('/ky/login');
    await page.getByRole('button', { name: 'Кирүү' }).click();
    await page.waitForSelector('.error-summary');
    expect(await seriousViolations(page)).toEqual([]);
    await page.goto('/ky/courses');
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });
});
