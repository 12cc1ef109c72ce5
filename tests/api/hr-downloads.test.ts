/**
 * Every HR list downloads as XLSX and CSV (commas, or semicolons for a Russian-locale Excel) with
 * exactly the rows its filters give in JSON; XLSX dates are date cells; every download is audited.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { call, getDb, signIn, withDemo } from '../helpers';
import { auditLog, users } from '@db/schema';
import { seedHrReportsDemo } from '@scripts/seed';
import { importCourseLibrary } from '@server/modules/catalog/service';
import { parseCsv } from '@server/modules/organisations/service';

const db = () => getDb();
const person = (email: string) => db().select().from(users).where(eq(users.email, email)).get()!;

beforeAll(async () => {
  await withDemo();
  importCourseLibrary(db(), 'tests/fixtures/courses');
  await seedHrReportsDemo(db());
  // a name a spreadsheet would take for a formula
  db().update(users).set({ fullName: '=HYPERLINK("http://x")' }).where(eq(users.email, 'audit2@demo.kg')).run();
});

async function sheet(res: Response) {
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(await res.arrayBuffer());
  const ws = wb.worksheets[0]!;
  const rows: unknown[][] = [];
  ws.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return { ws, rows };
}
async function csv(res: Response, sep: ',' | ';') {
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
  expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="bilim-.*\.csv"$/);
  const bytes = new Uint8Array(await res.arrayBuffer());
  expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = new TextDecoder().decode(bytes);
  const header = text.slice(1, text.indexOf('\r\n'));
  expect(header.split(sep).length).toBeGreaterThan(3);
  return sep === ',' ? parseCsv(text) : parseCsv(text.replace(/;/g, '\u0001').replace(/,/g, ';').replace(/\u0001/g, ','));
}

describe('HR list downloads', () => {
  it('staff: the filtered list, XLSX with date cells and CSV in both forms, formulas neutralised', async () => {
    const hr = await signIn('hr@demo.kg');
    for (const status of ['', 'overdue', 'compliant']) {
      const q = status ? `status=${status}&` : '';
      const json = (await (await call(`/api/hr/staff?${q}`, { cookie: hr })).json()) as { staff: { fullName: string; dueDate: string | null }[] };
      const { ws, rows } = await sheet(await call(`/api/hr/staff?${q}format=xlsx`, { cookie: hr }));
      expect(rows.length - 1).toBe(json.staff.length);
      const names = json.staff.map((s) => (s.fullName.startsWith('=') ? `'${s.fullName}` : s.fullName));
      expect(rows.slice(1).map((r) => r[0])).toEqual(names);
      // the due date column (5th) is a date cell, not text
      json.staff.forEach((s, i) => {
        const cell = ws.getRow(i + 2).getCell(5);
        if (s.dueDate) {
          expect(cell.value).toEqual(new Date(`${s.dueDate}T00:00:00Z`));
          expect(cell.numFmt).toBe('dd.mm.yyyy');
        } else expect(cell.value).toBeNull();
      });
      const comma = await csv(await call(`/api/hr/staff?${q}format=csv`, { cookie: hr }), ',');
      const semi = await csv(await call(`/api/hr/staff?${q}format=csv-semicolon`, { cookie: hr }), ';');
      expect(comma.slice(1).map((r) => r[0])).toEqual(names);
      expect(semi).toEqual(comma);
      expect(comma.slice(1).map((r) => r[4])).toEqual(json.staff.map((s) => s.dueDate ?? ''));
    }
  });

  it('compliance, assignments, plan and verification queue match their JSON', async () => {
    const hr = await signIn('hr@demo.kg');
    const unit = person('audit1@demo.kg').organisationId!;
    const comp = (await (await call(`/api/hr/compliance?unitId=${unit}&service=state`, { cookie: hr })).json()) as { staff: { fullName: string }[] };
    const compX = await sheet(await call(`/api/hr/compliance?unitId=${unit}&service=state&format=xlsx`, { cookie: hr }));
    expect(compX.rows.slice(1).map((r) => String(r[0]).replace(/^'/, ''))).toEqual(comp.staff.map((s) => s.fullName));
    expect(comp.staff.length).toBeGreaterThan(0);

    const asg = (await (await call('/api/hr/assignments', { cookie: hr })).json()) as { assignments: { fullName: string }[] };
    const asgC = await csv(await call('/api/hr/assignments?format=csv', { cookie: hr }), ',');
    expect(asgC.slice(1).map((r) => r[0])).toEqual(asg.assignments.map((a) => a.fullName));

    const ministry = person('hr@demo.kg').organisationId!;
    const year = new Date().getUTCFullYear();
    const plan = (await (await call(`/api/hr/plan?org=${ministry}&year=${year}`, { cookie: hr })).json()) as { lines: { people: number; actual: number; quarter: number }[] };
    const planX = await sheet(await call(`/api/hr/plan?org=${ministry}&year=${year}&format=xlsx`, { cookie: hr }));
    expect(plan.lines.length).toBeGreaterThan(0);
    expect(planX.rows.slice(1).map((r) => [r[2], r[6], r[7]])).toEqual(plan.lines.map((l) => [l.quarter, l.people, l.actual]));

    const queue = (await (await call('/api/hr/records', { cookie: hr })).json()) as { records: { title: string; endDate: string }[] };
    const queueX = await sheet(await call('/api/hr/records?format=xlsx', { cookie: hr }));
    expect(queue.records.length).toBeGreaterThan(0);
    expect(queueX.rows.slice(1).map((r) => [r[1], r[8]])).toEqual(queue.records.map((x) => [x.title, new Date(`${x.endDate}T00:00:00Z`)]));

    // every download is in the audit log with the officer
    const audits = db().select().from(auditLog).where(eq(auditLog.action, 'hr.list_exported')).all();
    expect(new Set(audits.map((a) => a.targetType))).toEqual(new Set(['staff', 'compliance', 'assignments', 'plan', 'verification']));
    expect(audits.every((a) => a.actorId === person('hr@demo.kg').id)).toBe(true);
  });

  it('bad formats are a 400; learners get 403', async () => {
    const hr = await signIn('hr@demo.kg');
    for (const path of ['/api/hr/staff', '/api/hr/compliance', '/api/hr/assignments', '/api/hr/plan', '/api/hr/records']) {
      const res = await call(`${path}?format=pdf`, { cookie: hr });
      expect(res.status, path).toBe(400);
      expect(await res.json()).toEqual({ error: { code: 'invalid_input', field: 'format' } });
    }
    const learner = await signIn('learner@demo.kg');
    expect((await call('/api/hr/staff?format=xlsx', { cookie: learner })).status).toBe(403);
  });
});
