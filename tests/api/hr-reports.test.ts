import { neutraliseCell } from '@server/lib/table-file';
import { beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { call, DEMO_PASSWORD, getDb, signIn, withDemo } from '../helpers';
import { auditLog, courses, users } from '@db/schema';
import { seedHrReportsDemo } from '@scripts/seed';
import { importCourseLibrary } from '@server/modules/catalog/service';
import { issueCertificate } from '@server/modules/certificates/service';
import { loadSessionUser } from '@server/modules/auth/service';
import { createPerson } from '@server/modules/people/service';
import { addOutsideTraining, reviewOutsideTraining } from '@server/modules/records/service';
import { parseCsv } from '@server/modules/organisations/service';
import { BREAKDOWNS, CSV_COLUMNS } from '@server/modules/reports/service';

const db = () => getDb();
const person = (email: string) => db().select().from(users).where(eq(users.email, email)).get()!;
const NOW = new Date('2026-10-15T12:00:00Z');
const URL = '/api/hr/reports';

type Row = { key: string; label: { ky: string; ru: string }; people: number; trainings: number; hours: number };
type Report = { year: number; totals: { people: number; trainings: number; hours: number; staff: number }; breakdowns: Record<string, Row[]> };

let ministryId: number;
let auditUnitId: number;

beforeAll(async () => {
  await withDemo();
  importCourseLibrary(db(), 'tests/fixtures/courses');
  await seedHrReportsDemo(db(), NOW);
  ministryId = person('hr@demo.kg').organisationId!;
  auditUnitId = person('audit1@demo.kg').organisationId!;
  // the same person twice in one year under the same values: still one person there, two trainings
  const course = db().select().from(courses).where(eq(courses.slug, 'ru-digital')).get()!;
  issueCertificate(db(), { userId: person('audit1@demo.kg').id, courseId: course.id, sourceRef: 'rep:1', completedAt: new Date('2026-09-01T08:00:00Z') }, NOW);
  const servant = loadSessionUser(db(), person('audit1@demo.kg').id)!;
  // a title a spreadsheet would take for a formula
  const entry = addOutsideTraining(db(), servant, servant.id, {
    kind: 'seminar', term: 'short', funding: 'donor', title: '=SUM(A1:A9) семинар', provider: 'X', hours: 4,
    startDate: '2026-08-10', endDate: '2026-08-11', orderNumber: null, orderDate: null,
  }, NOW);
  reviewOutsideTraining(db(), loadSessionUser(db(), person('hr@demo.kg').id)!, entry.id, { status: 'verified' }, null, NOW);
  // another body's servant trained this year, and its HR officer
  const oshOrg = person('osh@demo.kg').organisationId!;
  issueCertificate(db(), { userId: person('osh@demo.kg').id, courseId: course.id, sourceRef: 'rep:osh', completedAt: new Date('2026-05-05T08:00:00Z') }, NOW);
  await createPerson(db(), {
    email: 'hr-osh@demo.kg', password: DEMO_PASSWORD, fullName: 'Ош кадр', organisationId: oshOrg, locale: 'ru',
    roles: [{ role: 'learner' }, { role: 'hr', organisationId: oshOrg }],
  });
});

/** The counted trainings of this year in a subtree, straight from the tables with SQL. */
function expected(rootId: number, year: number) {
  const from = `${year}-01-01`;
  const to = `${year}-12-31`;
  const base = sql`
    WITH RECURSIVE tree(id) AS (SELECT id FROM organisations WHERE id = ${rootId} UNION SELECT o.id FROM organisations o JOIN tree ON o.parent_id = tree.id),
    t AS (
      SELECT c.user_id AS user_id, c.hours AS hours, 'course:' || c.course_id AS course, 'platform_course' AS kind, 'platform' AS funding, 'platform' AS term
        FROM certificates c WHERE c.revoked_at IS NULL AND c.completed_on BETWEEN ${from} AND ${to}
      UNION ALL
      SELECT x.user_id, x.hours, 'outside', x.kind, x.funding, x.term
        FROM outside_trainings x WHERE x.status = 'verified' AND x.end_date BETWEEN ${from} AND ${to}
    ),
    r AS (
      SELECT t.*, COALESCE(u.service, o.service) AS service, o.region AS region, COALESCE(u.gender, 'unknown') AS gender
        FROM t JOIN users u ON u.id = t.user_id JOIN organisations o ON o.id = u.organisation_id WHERE u.organisation_id IN (SELECT id FROM tree)
    )`;
  const totals = db().get<{ people: number; trainings: number; hours: number }>(sql`${base} SELECT COUNT(DISTINCT user_id) AS people, COUNT(*) AS trainings, COALESCE(SUM(hours), 0) AS hours FROM r`);
  const by = (col: string) =>
    Object.fromEntries(
      db()
        .all<{ k: string; people: number; trainings: number; hours: number }>(sql`${base} SELECT ${sql.raw(col)} AS k, COUNT(DISTINCT user_id) AS people, COUNT(*) AS trainings, SUM(hours) AS hours FROM r GROUP BY ${sql.raw(col)}`)
        .map((x) => [x.k, { people: x.people, trainings: x.trainings, hours: x.hours }]),
    );
  return { totals, service: by('service'), region: by('region'), gender: by('gender'), kind: by('kind'), funding: by('funding'), term: by('term'), platformCourses: by("CASE WHEN course = 'outside' THEN NULL ELSE course END") };
}

const nonZero = (rows: Row[]) => Object.fromEntries(rows.filter((r) => r.people > 0).map((r) => [r.key, { people: r.people, trainings: r.trainings, hours: r.hours }]));

async function report(cookie: string, query: string): Promise<Report> {
  const res = await call(`${URL}?${query}`, { cookie });
  expect(res.status).toBe(200);
  return (await res.json()) as Report;
}

describe('HR reports', () => {
  it('figures equal counts computed from the database with SQL, for the body and for a sub-unit', async () => {
    const hr = await signIn('hr@demo.kg');
    for (const [root, query] of [[ministryId, 'year=2026'], [auditUnitId, `year=2026&org=${auditUnitId}`], [ministryId, 'year=2025']] as const) {
      const r = await report(hr, query);
      const e = expected(root, Number(query.slice(5, 9)));
      expect(r.totals).toMatchObject(e.totals!);
      for (const b of ['service', 'region', 'gender', 'kind', 'funding', 'term'] as const) expect(nonZero(r.breakdowns[b]!), `${query} ${b}`).toEqual(e[b]);
      const platform = nonZero(r.breakdowns.course!.filter((x) => x.key.startsWith('course:')));
      const { null: _outside, ...courseRows } = e.platformCourses as Record<string, unknown>;
      expect(platform).toEqual(courseRows);
    }
    // there is something to count, and the rules bite: revoked, pending and rejected entries are out
    const r = await report(hr, 'year=2026');
    expect(r.totals.people).toBeGreaterThanOrEqual(6);
    const revokedHolder = person('oshfin3@demo.kg').id;
    const rawCerts = db().get<{ n: number }>(sql`SELECT COUNT(*) AS n FROM certificates WHERE user_id = ${revokedHolder} AND revoked_at IS NOT NULL`)!.n;
    expect(rawCerts).toBe(1);
    expect(r.breakdowns.funding!.find((x) => x.key === 'state_order')!.people).toBe(1); // the rejected retraining is not there
    expect(r.breakdowns.kind!.find((x) => x.key === 'internship')!.people).toBe(0); // pending
    // once per value: audit1 has two platform completions this year and one seminar, but is one person under "platform"
    const platformRow = r.breakdowns.funding!.find((x) => x.key === 'platform')!;
    expect(platformRow.trainings).toBeGreaterThan(platformRow.people);
    // fixed vocabularies are there even at zero
    expect(r.breakdowns.region!.map((x) => x.key)).toContain('talas');
    expect(r.breakdowns.region!.find((x) => x.key === 'talas')!.people).toBe(0);
  });

  it('CSV: BOM, RFC 4180, formula guard, and parses back to the same figures', async () => {
    const hr = await signIn('hr@demo.kg');
    const r = await report(hr, 'year=2026');
    const res = await call(`${URL}?year=2026&format=csv&lang=ru`, { cookie: hr });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="bilim-report-2026.csv"');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    expect(text.split('\r\n').length).toBeGreaterThan(10);
    const [header, total, ...rows] = parseCsv(text);
    expect(header).toEqual([...CSV_COLUMNS]);
    expect(total).toEqual(['total', 'total', 'Итого', String(r.totals.people), String(r.totals.trainings), String(r.totals.hours)]);
    const back = Object.fromEntries(BREAKDOWNS.map((b) => [b, rows.filter((x) => x[0] === b).map((x) => ({ key: x[1], label: x[2], people: Number(x[3]), trainings: Number(x[4]), hours: Number(x[5]) }))]));
    for (const b of BREAKDOWNS) expect(back[b]).toEqual(r.breakdowns[b]!.map((x) => ({ key: x.key, label: neutraliseCell(x.label.ru), people: x.people, trainings: x.trainings, hours: x.hours })));
    expect(rows.find((x) => x[0] === 'course' && x[2]!.includes('SUM'))![2]).toBe("'=SUM(A1:A9) семинар");
    expect(rows.find((x) => x[0] === 'region' && x[1] === 'osh')![2]).toBe('Ошская область');
  });

  it('XLSX: a sheet per breakdown that reads back to the same figures', async () => {
    const hr = await signIn('hr@demo.kg');
    const r = await report(hr, `year=2026&org=${ministryId}`);
    const res = await call(`${URL}?year=2026&org=${ministryId}&format=xlsx`, { cookie: hr });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    expect(wb.worksheets.map((w) => w.name)).toEqual(['total', ...BREAKDOWNS]);
    const values = (name: string) => {
      const out: unknown[][] = [];
      wb.getWorksheet(name)!.eachRow((row) => out.push((row.values as unknown[]).slice(1)));
      return out;
    };
    expect(values('total').map((x) => x[1])).toEqual([2026, r.totals.people, r.totals.trainings, r.totals.hours, r.totals.staff]);
    for (const b of BREAKDOWNS) {
      const [head, ...body] = values(b);
      expect(head).toEqual(['Маани', 'Кызматчылар', 'Окуулар', 'Саат']);
      expect(body).toEqual(r.breakdowns[b]!.map((x) => [neutraliseCell(x.label.ky), x.people, x.trainings, x.hours]));
    }
    // typed text, never a formula: neutralised as in the CSV
    expect(values('course').some((x) => x[0] === "'=SUM(A1:A9) семинар")).toBe(true);
  });

  it('exports go into the audit log; the JSON view does not', async () => {
    const hr = await signIn('hr@demo.kg');
    const count = () => db().select().from(auditLog).where(eq(auditLog.action, 'hr.report_exported')).all();
    const before = count().length;
    await report(hr, 'year=2026');
    expect(count().length).toBe(before);
    expect((await call(`${URL}?year=2025&format=xlsx`, { cookie: hr })).status).toBe(200);
    expect((await call(`${URL}?year=2026&org=${auditUnitId}&format=csv`, { cookie: hr })).status).toBe(200);
    const added = count().slice(before);
    expect(added.map((a) => a.details)).toEqual([
      { year: 2025, org: null, format: 'xlsx' },
      { year: 2026, org: auditUnitId, format: 'csv' },
    ]);
    expect(added.every((a) => a.actorId === person('hr@demo.kg').id && a.ip === '203.0.113.9')).toBe(true);
  });

  it('scope: another body’s HR officer gets 404 for this body, in every format, and never its people', async () => {
    const osh = await signIn('hr-osh@demo.kg');
    for (const format of ['json', 'csv', 'xlsx']) {
      for (const org of [ministryId, auditUnitId]) {
        const res = await call(`${URL}?year=2026&org=${org}&format=${format}`, { cookie: osh });
        expect(res.status).toBe(404);
        expect(await res.json()).toEqual({ error: { code: 'organisation_not_found', field: 'org' } });
      }
    }
    const own = await report(osh, 'year=2026');
    const oshRoot = person('osh@demo.kg').organisationId!;
    expect(own.totals).toMatchObject(expected(oshRoot, 2026).totals!);
    expect(own.totals.people).toBe(1);
    expect(own.totals.staff).toBe(2);
  });

  it('only HR, and bad input is a 400', async () => {
    expect((await call(`${URL}?year=2026`)).status).toBe(401);
    expect((await call(`${URL}?year=2026`, { cookie: await signIn('learner@demo.kg') })).status).toBe(403);
    const hr = await signIn('hr@demo.kg');
    for (const [q, field] of [['year=abc', 'year'], ['year=1999', 'year'], ['format=pdf', 'format'], ['org=x', 'org'], ['lang=en', 'lang']]) {
      const res = await call(`${URL}?${q}`, { cookie: hr });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ error: { code: 'invalid_input', field } });
    }
    expect((await call(`${URL}?org=999999`, { cookie: hr })).status).toBe(404);
  });
});
