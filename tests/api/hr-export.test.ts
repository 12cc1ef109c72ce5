import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { neutraliseCell } from '@server/lib/table-file';
import { call, DEMO_PASSWORD, getDb, signIn, withDemo } from '../helpers';
import { courses, users } from '@db/schema';
import { importCourseLibrary } from '@server/modules/catalog/service';
import { issueCertificate, revokeCertificate, type Certificate } from '@server/modules/certificates/service';
import { loadSessionUser } from '@server/modules/auth/service';
import { createPerson } from '@server/modules/people/service';
import { addOutsideTraining, reviewOutsideTraining } from '@server/modules/records/service';
import { parseCsv } from '@server/modules/organisations/service';
import { EXPORT_COLUMNS } from '@server/modules/export/service';

const db = () => getDb();
const person = (email: string) => db().select().from(users).where(eq(users.email, email)).get()!;
const actor = (email: string) => loadSessionUser(db(), person(email).id)!;
const URL = '/api/hr/export/completions';

let learnerCert: Certificate;
let oshCert: Certificate;
let outsideId: number;

beforeAll(async () => {
  await withDemo();
  importCourseLibrary(db(), 'tests/fixtures/courses');
  const course = db().select().from(courses).where(eq(courses.slug, 'ru-digital')).get()!;
  const t0 = new Date('2026-03-02T08:00:00Z');
  learnerCert = issueCertificate(db(), { userId: person('learner@demo.kg').id, courseId: course.id, sourceRef: 'export:1', completedAt: new Date('2026-03-01T10:00:00Z') }, t0);
  oshCert = issueCertificate(db(), { userId: person('osh@demo.kg').id, courseId: course.id, sourceRef: 'export:2', completedAt: new Date('2026-03-01T10:00:00Z') }, t0);
  // an outside training whose fields need CSV quoting and one that looks like a formula
  const entry = addOutsideTraining(db(), actor('learner@demo.kg'), person('learner@demo.kg').id, {
    kind: 'seminar', term: 'short', funding: 'donor', title: 'Семинар "Бюджет", 2025\nэкинчи сап', provider: 'ПРООН', hours: 16,
    startDate: '2025-04-14', endDate: '2025-04-15', orderNumber: '=HYPERLINK("http://x")', orderDate: '2025-04-10',
  }, new Date('2025-04-16T00:00:00Z'));
  outsideId = reviewOutsideTraining(db(), actor('hr@demo.kg'), entry.id, { status: 'verified' }, null, new Date('2025-04-20T09:00:00Z')).id;
  // a pending one never appears
  addOutsideTraining(db(), actor('learner@demo.kg'), person('learner@demo.kg').id, {
    kind: 'advanced', term: 'medium', funding: 'other', title: 'Күтүүдөгү окуу', provider: 'X', hours: 40,
    startDate: '2025-01-10', endDate: '2025-01-20', orderNumber: null, orderDate: null,
  });
  // an HR officer of another body: Osh city hall
  const oshOrg = person('osh@demo.kg').organisationId!;
  await createPerson(db(), {
    email: 'hr-osh@demo.kg', password: DEMO_PASSWORD, fullName: 'Ош кадр', organisationId: oshOrg, locale: 'ru',
    roles: [{ role: 'learner' }, { role: 'hr', organisationId: oshOrg }],
  });
});

type Row = Record<(typeof EXPORT_COLUMNS)[number], unknown>;
const asText = (rows: Row[]) => rows.map((r) => EXPORT_COLUMNS.map((c) => (r[c] === null || r[c] === undefined ? '' : String(r[c]))));

async function json(cookie: string, query = '') {
  const res = await call(`${URL}?format=json${query}`, { cookie });
  expect(res.status).toBe(200);
  return (await res.json()) as { rows: Row[]; next_since: string | null };
}

describe('HR export of completions', () => {
  it('only HR, and only the servants of its own organisations', async () => {
    expect((await call(URL)).status).toBe(401);
    const learner = await signIn('learner@demo.kg');
    const forbidden = await call(URL, { cookie: learner });
    expect(forbidden.status).toBe(403);

    const ours = await json(await signIn('hr@demo.kg'));
    expect(ours.rows.map((r) => r.record_id).sort()).toEqual([`certificate:${learnerCert.id}`, `outside:${outsideId}`]);
    expect(ours.rows.every((r) => r.email === 'learner@demo.kg' && r.status === 'active')).toBe(true);
    const cert = ours.rows.find((r) => r.source === 'platform')!;
    expect(cert).toMatchObject({ certificate_number: learnerCert.code, hours: learnerCert.hours, end_date: '2026-03-01', kind: 'platform_course', service: 'state', organisation_name_ky: 'Бюджеттик саясат башкармалыгы' });
    expect(ours.rows.find((r) => r.source === 'outside')).toMatchObject({ kind: 'seminar', term: 'short', funding: 'donor', hours: 16, start_date: '2025-04-14', end_date: '2025-04-15', order_date: '2025-04-10' });
    expect(Object.keys(ours.rows[0]!)).toEqual([...EXPORT_COLUMNS]);

    const theirs = await json(await signIn('hr-osh@demo.kg'));
    expect(theirs.rows.map((r) => r.record_id)).toEqual([`certificate:${oshCert.id}`]);
  });

  it('CSV: BOM, RFC 4180 quoting, parses back to the same rows, formulas neutralised', async () => {
    const hr = await signIn('hr@demo.kg');
    const { rows } = await json(hr);
    const res = await call(`${URL}?format=csv`, { cookie: hr });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="bilim-completions-.*\.csv"/);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    expect(text).toContain('"Семинар ""Бюджет"", 2025\nэкинчи сап"');
    expect(text).toContain('\r\n');
    const [header, ...body] = parseCsv(text);
    expect(header).toEqual([...EXPORT_COLUMNS]);
    const expected = asText(rows).map((r) => r.map(neutraliseCell));
    expect(body).toEqual(expected);
    const order = body.find((r) => r[EXPORT_COLUMNS.indexOf('record_id')] === `outside:${outsideId}`)![EXPORT_COLUMNS.indexOf('order_number')];
    expect(order).toBe(`'=HYPERLINK("http://x")`);
  });

  it('XLSX reads back with the same library to the same rows', async () => {
    const hr = await signIn('hr@demo.kg');
    const { rows } = await json(hr);
    const res = await call(`${URL}?format=xlsx`, { cookie: hr });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    const ws = wb.getWorksheet('completions')!;
    const read: unknown[][] = [];
    ws.eachRow((row) => read.push((row.values as unknown[]).slice(1)));
    expect(read[0]).toEqual([...EXPORT_COLUMNS]);
    const body = read.slice(1).map((r) => EXPORT_COLUMNS.map((_, i) => r[i] ?? null));
    // days and instants are real date cells (an instant in Bishkek wall-clock time); text is neutralised like the CSV
    const DAYS = new Set(['start_date', 'end_date', 'order_date']);
    const cell = (c: (typeof EXPORT_COLUMNS)[number], v: unknown) =>
      v === null ? null : DAYS.has(c) ? new Date(`${v}T00:00:00Z`) : c === 'updated_at' ? new Date(Date.parse(String(v)) + 6 * 3_600_000) : typeof v === 'string' ? neutraliseCell(v) : v;
    expect(body).toEqual(rows.map((r) => EXPORT_COLUMNS.map((c) => cell(c, r[c]))));
    expect(body[0]![EXPORT_COLUMNS.indexOf('end_date')]).toBeInstanceOf(Date);
    expect(ws.getRow(2).getCell(EXPORT_COLUMNS.indexOf('end_date') + 1).numFmt).toBe('dd.mm.yyyy');
    // typed, not a formula
    const order = body.find((r) => r[EXPORT_COLUMNS.indexOf('source')] === 'outside')![EXPORT_COLUMNS.indexOf('order_number')];
    expect(order).toBe(`'=HYPERLINK("http://x")`);
    expect(ws.getRow(2).getCell(1).formula).toBeUndefined();
  });

  it('CSV for a Russian-locale Excel: semicolons, BOM, the same cells', async () => {
    const hr = await signIn('hr@demo.kg');
    const comma = parseCsv(await (await call(`${URL}?format=csv`, { cookie: hr })).text());
    const res = await call(`${URL}?format=csv-semicolon`, { cookie: hr });
    expect(res.status).toBe(200);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    expect(text.split('\r\n')[0]).toBe(EXPORT_COLUMNS.join(';'));
    expect(parseCsv(text)).toEqual(comma);
  });

  it('from/to filter by end date and are validated', async () => {
    const hr = await signIn('hr@demo.kg');
    expect((await json(hr, '&from=2026-01-01')).rows.map((r) => r.source)).toEqual(['platform']);
    expect((await json(hr, '&to=2025-12-31')).rows.map((r) => r.source)).toEqual(['outside']);
    expect((await json(hr, '&from=2025-04-15&to=2026-03-01')).rows).toHaveLength(2);
    expect((await json(hr, '&from=2025-04-16&to=2026-02-28')).rows).toHaveLength(0);
    for (const [q, field] of [['&from=2025-02-30', 'from'], ['&to=yesterday', 'to'], ['&format=pdf', 'format'], ['&since=2026-01-01', 'since'], ['&since=soon', 'since'], ['&since=-1', 'since']]) {
      const res = await call(`${URL}?${q}`, { cookie: hr });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ error: { code: 'invalid_input', field } });
    }
    const range = await call(`${URL}?from=2026-02-01&to=2026-01-01`, { cookie: hr });
    expect(range.status).toBe(400);
    expect(await range.json()).toEqual({ error: { code: 'invalid_date_range', field: 'to' } });
  });

  it('since: only what changed after it, revocations as status revoked, next_since to continue', async () => {
    const hr = await signIn('hr@demo.kg');
    const all = await json(hr);
    expect(all.next_since).toMatch(/^\d+$/);
    expect(all.rows.map((r) => r.change_seq)).toEqual([...all.rows.map((r) => r.change_seq)].sort((a, b) => Number(a) - Number(b)));
    // an instant is still accepted: after the verification, before the certificate
    const mid = await json(hr, '&since=2025-05-01T00:00:00Z');
    expect(mid.rows.map((r) => r.record_id)).toEqual([`certificate:${learnerCert.id}`]);
    expect(mid.next_since).toBe(all.next_since);
    // nothing new since then: empty, and next_since stays
    const none = await json(hr, `&since=${all.next_since}`);
    expect(none).toEqual({ rows: [], next_since: all.next_since });
    // the certificate is revoked — with a clock that stepped back before the issue: the sequence still moves on
    revokeCertificate(db(), learnerCert.code, actor('reviewer@demo.kg'), 'Выдан по ошибке', null, new Date('2026-01-01T00:00:00Z'));
    const after = await json(hr, `&since=${all.next_since}`);
    expect(after.rows).toEqual([expect.objectContaining({ record_id: `certificate:${learnerCert.id}`, status: 'revoked' })]);
    expect(Number(after.next_since)).toBeGreaterThan(Number(all.next_since));
    expect((await json(hr, `&since=${after.next_since}`)).rows).toEqual([]);
    // a full export no longer lists it; CSV carries the status column and the header the next point
    expect((await json(hr)).rows.map((r) => r.record_id)).toEqual([`outside:${outsideId}`]);
    const res = await call(`${URL}?format=csv&since=${all.next_since}`, { cookie: hr });
    expect(res.headers.get('x-next-since')).toBe(after.next_since);
    const csv = parseCsv(await res.text());
    expect(csv[1]![EXPORT_COLUMNS.indexOf('status')]).toBe('revoked');
  });

  it('identifies people as e-Kyzmat does: personal number (ПИН) and the organisation code an administrator sets', async () => {
    const hr = await signIn('hr@demo.kg');
    const admin = await signIn('admin@demo.kg');
    const orgId = person('learner@demo.kg').organisationId!;
    db().update(users).set({ personalNumber: '21203198700123' }).where(eq(users.email, 'learner@demo.kg')).run();
    const set = await call(`/api/admin/organisations/${orgId}`, { method: 'PATCH', cookie: admin, json: { code: '01-123/4' } });
    expect(set.status).toBe(200);
    expect(await set.json()).toMatchObject({ code: '01-123/4' });
    const { rows } = await json(hr);
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(r).toMatchObject({ personal_number: '21203198700123', organisation_code: '01-123/4' });
    // the code is unique (409, not the index's 500) and checked
    const other = person('osh@demo.kg').organisationId!;
    const taken = await call(`/api/admin/organisations/${other}`, { method: 'PATCH', cookie: admin, json: { code: '01-123/4' } });
    expect(taken.status).toBe(409);
    expect(await taken.json()).toEqual({ error: { code: 'organisation_code_taken', field: 'code' } });
    const bad = await call(`/api/admin/organisations/${other}`, { method: 'PATCH', cookie: admin, json: { code: 'код; DROP' } });
    expect(bad.status).toBe(400);
    // cleared with an empty code
    expect(await (await call(`/api/admin/organisations/${orgId}`, { method: 'PATCH', cookie: admin, json: { code: '' } })).json()).toMatchObject({ code: null });
    expect((await json(hr)).rows[0]!.organisation_code).toBeNull();
  });

  it('is documented and audited', async () => {
    const doc = await (await call('/api/openapi.json')).json();
    expect(Object.keys(doc.paths['/api/hr/export/completions'].get.responses[200].content)).toEqual(
      expect.arrayContaining(['application/json', 'text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet']),
    );
    const hr = await signIn('admin@demo.kg');
    const log = await (await call('/api/admin/audit?action=hr.export', { cookie: hr })).json();
    expect(log.entries.length).toBeGreaterThan(0);
    expect(log.entries.every((e: { action: string }) => e.action === 'hr.export')).toBe(true);
    expect(log.entries.find((e: { details: { format: string } }) => e.details.format === 'csv')).toMatchObject({ actor: { email: 'hr@demo.kg' }, targetType: 'completions', details: { format: 'csv' } });
  });

  it('a verified outside training later rejected is exported with its own status, rejected — not revoked', async () => {
    const hr = await signIn('hr@demo.kg');
    const before = new Date('2026-05-01T00:00:00Z');
    reviewOutsideTraining(db(), actor('hr@demo.kg'), outsideId, { status: 'rejected', reason: 'Буйрук табылган жок' }, null, new Date('2026-05-02T09:00:00Z'));
    const after = await json(hr, `&since=${encodeURIComponent(before.toISOString())}`);
    expect(after.rows).toEqual([expect.objectContaining({ record_id: `outside:${outsideId}`, source: 'outside', status: 'rejected', updated_at: '2026-05-02T09:00:00.000Z' })]);
    const csv = parseCsv(await (await call(`${URL}?format=csv&since=${encodeURIComponent(before.toISOString())}`, { cookie: hr })).text());
    expect(csv[1]![EXPORT_COLUMNS.indexOf('status')]).toBe('rejected');
    const xlsx = new ExcelJS.Workbook();
    await xlsx.xlsx.load(Buffer.from(await (await call(`${URL}?format=xlsx&since=${encodeURIComponent(before.toISOString())}`, { cookie: hr })).arrayBuffer()) as never);
    expect(xlsx.worksheets[0]!.getRow(2).getCell(EXPORT_COLUMNS.indexOf('status') + 1).value).toBe('rejected');
    // and the full export no longer lists it
    expect((await json(hr)).rows.map((r) => r.record_id)).not.toContain(`outside:${outsideId}`);
  });
});

describe('training record as PDF', () => {
  it('needs a session', async () => {
    const res = await call('/api/me/record.pdf');
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: { code: 'unauthenticated' } });
  });
  it('is an A4 PDF of the signed-in servant, also with many trainings over several pages', async () => {
    const learnerId = person('learner@demo.kg').id;
    for (let i = 0; i < 40; i++) {
      addOutsideTraining(db(), actor('learner@demo.kg'), learnerId, {
        kind: 'advanced', term: 'short', funding: 'departmental', title: `Квалификацияны жогорулатуу курсу № ${i} — өтө узун аталыш менен, бир нече сапка бөлүнөт`, provider: 'Академия', hours: 8,
        startDate: '2024-02-01', endDate: '2024-02-05', orderNumber: null, orderDate: null,
      });
    }
    const res = await call('/api/me/record.pdf', { cookie: await signIn('learner@demo.kg') });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const raw = bytes.toString('latin1');
    expect(raw).toMatch(/\/MediaBox \[0 0 595\.28 841\.89\]/);
    expect((raw.match(/\/Type \/Page\b/g) ?? []).length).toBeGreaterThan(1);
    const empty = await call('/api/me/record.pdf', { cookie: await signIn('osh@demo.kg') });
    expect(empty.status).toBe(200);
    expect((await empty.arrayBuffer()).byteLength).toBeLessThan(bytes.length);
  });
});
