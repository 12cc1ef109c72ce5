/**
 * The HR staff page and the compliance list show 50 people a page, with page links that work with
 * JavaScript off; the counts stay for everyone. Its own people: 60 servants imported by the demo
 * HR officer into a sub-unit made for this test (named so that no other test looks at it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { baseURL, launch, seriousViolations, signIn } from './browser';

const RUN = Date.now().toString(36);
const UNIT = `Барактоо бөлүмү ${RUN}`;
let browser: Browser;
let unitId: number;

async function api(path: string, init: { method?: string; json?: unknown; cookie?: string } = {}) {
  const headers: Record<string, string> = { origin: baseURL() };
  if (init.cookie) headers.cookie = init.cookie;
  if (init.json !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${baseURL()}${path}`, { method: init.method ?? 'GET', headers, body: init.json === undefined ? undefined : JSON.stringify(init.json) });
  return res;
}
async function login(email: string): Promise<string> {
  const res = await api('/api/auth/login', { method: 'POST', json: { email, password: 'demo-password-2026' } });
  expect(res.status).toBe(200);
  return res.headers.get('set-cookie')!.split(';')[0]!;
}

beforeAll(async () => {
  browser = await launch();
  const admin = await login('admin@demo.kg');
  const orgs = (await (await api('/api/admin/organisations', { cookie: admin })).json()).organisations as { id: number; nameKy: string }[];
  const ministry = orgs.find((o) => o.nameKy === 'Кыргыз Республикасынын Финансы министрлиги')!;
  const created = await api('/api/admin/organisations', {
    method: 'POST', cookie: admin, json: { nameKy: UNIT, nameRu: `Отдел страниц ${RUN}`, kind: 'subunit', service: 'state', region: 'bishkek', parentId: ministry.id },
  });
  expect(created.status).toBe(201);
  unitId = (await created.json()).id;
  const hr = await login('hr@demo.kg');
  const lines = ['full_name,email,organisation,post_kind,admin_group,appointment_date'];
  for (let i = 1; i <= 60; i++) lines.push(`Барак Кызматчы ${String(i).padStart(2, '0')},page${i}.${RUN}@paging-hr.test,${unitId},administrative,junior,2010-01-${String((i % 28) + 1).padStart(2, '0')}`);
  const report = await api('/api/hr/staff/imports', { method: 'POST', cookie: hr, json: { fileName: 'staff.csv', content: Buffer.from(lines.join('\n')).toString('base64') } });
  expect(report.status).toBe(200);
  const applied = await api(`/api/hr/staff/imports/${(await report.json()).id}/apply`, { method: 'POST', cookie: hr, json: { mode: 'all' } });
  expect(applied.status).toBe(200);
});
afterAll(async () => {
  await browser?.close();
});

describe('HR lists page by page', () => {
  it('the compliance list of the sub-unit: 50 on the first page, the other 10 on the next, JavaScript off', async () => {
    const context = await browser.newContext({ baseURL: baseURL(), javaScriptEnabled: false });
    const page = await context.newPage();
    await signIn(page, 'hr@demo.kg', { open: `/ky/hr/compliance?unitId=${unitId}` });
    await expect(page.locator('#list-count').textContent()).resolves.toContain('60 кызматчы');
    await expect(page.locator('#list-count').textContent()).resolves.toContain('1–50');
    expect(await page.locator('table.staff-list tbody tr').count()).toBe(50);
    const pager = page.getByRole('navigation', { name: 'Кызматчылар тизмесинин барактары' });
    await expect(pager.textContent()).resolves.toContain('2 барактын 1-барагы');
    await pager.getByRole('link', { name: 'Кийинки барак', exact: true }).click();
    await page.waitForURL((u) => u.searchParams.get('page') === '2' && u.searchParams.get('unitId') === String(unitId));
    expect(await page.locator('table.staff-list tbody tr').count()).toBe(10);
    await expect(page.locator('#list-count').textContent()).resolves.toContain('51–60');
    expect(await page.getByRole('navigation', { name: 'Кызматчылар тизмесинин барактары' }).getByRole('link', { name: 'Кийинки барак', exact: true }).count()).toBe(0);
    // a page past the end shows the last page
    await page.goto(`/ky/hr/compliance?unitId=${unitId}&page=99`);
    expect(await page.locator('table.staff-list tbody tr').count()).toBe(10);
    await context.close();
  });

  it('the staff page: counts for everyone in the filter, one page of the table, and the next page', async () => {
    const context = await browser.newContext({ baseURL: baseURL() });
    const page = await context.newPage();
    await signIn(page, 'hr@demo.kg', { open: '/ky/hr' });
    const total = Number(((await page.locator('#status option[value=""]').textContent()) ?? '').replace(/\D/g, ''));
    expect(total).toBeGreaterThanOrEqual(60);
    expect(await page.locator('table tbody tr').count()).toBe(50);
    const pager = page.getByRole('navigation', { name: 'Кызматчылар тизмесинин барактары' });
    await pager.getByRole('link', { name: 'Кийинки барак', exact: true }).click();
    await page.waitForURL((u) => u.pathname === '/ky/hr' && u.searchParams.get('page') === '2');
    expect(await page.locator('table tbody tr').count()).toBe(Math.min(50, total - 50));
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });
});
