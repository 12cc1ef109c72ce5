import { beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { and, count, eq } from 'drizzle-orm';
import { call, getDb, signIn, withDemo } from '../helpers';
import { auditLog, lessons, courseModules, courses, organisations, users } from '@db/schema';
import { importCourseLibrary } from '@server/modules/catalog/service';
import { createPerson } from '@server/modules/people/service';
import { saveProgress } from '@server/modules/learning/service';
import { verifyCertificate } from '@server/modules/certificates/service';

const FIXTURES = join(import.meta.dirname, '../fixtures/courses');
const HEADER = 'full_name,email,personal_number,organisation,position,post_kind,admin_group,gender,appointment_date,locale';
let hr: string;
let oshHr: string;
const org: Record<string, number> = {};

const b64 = (s: string | Uint8Array) => Buffer.from(s).toString('base64');
const usersCount = () => getDb().select({ n: count() }).from(users).get()!.n;
const audits = (action: string) => getDb().select().from(auditLog).where(eq(auditLog.action, action)).all();

async function preview(cookie: string, fileName: string, content: string | Uint8Array) {
  return call('/api/hr/staff/imports', { method: 'POST', cookie, json: { fileName, content: b64(content) } });
}

beforeAll(async () => {
  await withDemo();
  importCourseLibrary(getDb(), FIXTURES);
  for (const o of getDb().select().from(organisations).all()) org[o.nameRu] = o.id;
  await createPerson(getDb(), {
    email: 'hr-osh@test.kg', password: 'demo-password-2026', fullName: 'Кадр Ош', organisationId: org['Мэрия города Ош'],
    roles: [{ role: 'learner' }, { role: 'hr', organisationId: org['Мэрия города Ош']! }],
  });
  hr = await signIn('hr@demo.kg');
  oshHr = await signIn('hr-osh@test.kg');
});

describe('staff import', () => {
  it('reports every bad row, line by line, and stores nobody until confirmed', async () => {
    const before = usersCount();
    const csv = [
      HEADER,
      'Асан Үсөнов,asan@test.kg,21505199000011,Управление бюджетной политики,Адис,административная,senior,male,15.05.2015,ky',
      'Без почты,not-an-email,,Управление бюджетной политики,,administrative,junior,,,',
      'Чужой Орган,chuzhoy@test.kg,,Мэрия города Ош,,administrative,junior,,,',
      'Неизвестный,unknown@test.kg,,Министерство чего-то,,administrative,junior,,,',
      'Повтор Почты,ASAN@test.kg,,Управление бюджетной политики,,special,,,,',
      'Уже Есть,learner@demo.kg,,Управление бюджетной политики,,special,,,,',
      'Без Группы,nogroup@test.kg,12345,Отдел внутреннего аудита,,administrative,,,2030-01-01,xx',
    ].join('\n');
    const res = await preview(hr, 'staff.csv', csv);
    expect(res.status).toBe(200);
    const r = await res.json();
    expect(r.encoding).toBe('utf-8');
    expect(r.valid).toBe(1);
    expect(r.invalid).toBe(6);
    const codes = (line: number) => r.rows.find((x: any) => x.line === line).problems.map((p: any) => p.code);
    expect(codes(2)).toEqual([]);
    expect(codes(3)).toEqual(['staff_email']);
    expect(codes(4)).toEqual(['staff_organisation_out_of_scope']);
    expect(codes(5)).toEqual(['staff_organisation_unknown']);
    expect(r.rows.find((x: any) => x.line === 6).problems).toEqual([{ code: 'staff_duplicate_in_file', column: 'email', otherLine: 2 }]);
    expect(codes(7)).toEqual(['staff_person_exists']);
    expect(codes(8)).toEqual(['staff_personal_number', 'staff_admin_group_required', 'date_in_future', 'staff_locale']);
    expect(usersCount()).toBe(before);

    // "all or nothing" refuses while a line is bad, and nothing is stored
    const all = await call(`/api/hr/staff/imports/${r.id}/apply`, { method: 'POST', cookie: hr, json: { mode: 'all' } });
    expect(all.status).toBe(409);
    expect((await all.json()).error.code).toBe('import_has_errors');
    expect(usersCount()).toBe(before);
    expect(audits('hr.imported')).toHaveLength(0);

    // another officer cannot see or apply it
    expect((await call(`/api/hr/staff/imports/${r.id}`, { cookie: oshHr })).status).toBe(404);
    expect((await call(`/api/hr/staff/imports/${r.id}/apply`, { method: 'POST', cookie: oshHr, json: { mode: 'valid' } })).status).toBe(404);

    // the officer confirms the valid rows only
    const ok = await call(`/api/hr/staff/imports/${r.id}/apply`, { method: 'POST', cookie: hr, json: { mode: 'valid' } });
    expect(ok.status).toBe(200);
    const applied = await ok.json();
    expect(applied.applied).toBe(true);
    expect(applied.createdIds).toHaveLength(1);
    // the report after applying: line 2 made the person, its duplicate on line 6 did not
    const shown = await (await call(`/api/hr/staff/imports/${r.id}`, { cookie: hr })).json();
    expect(shown.rows.filter((x: any) => x.problems.length === 0).map((x: any) => x.line)).toEqual([2]);
    expect(usersCount()).toBe(before + 1);
    const asan = getDb().select().from(users).where(eq(users.email, 'asan@test.kg')).get()!;
    expect(asan).toMatchObject({ fullName: 'Асан Үсөнов', personalNumber: '21505199000011', organisationId: org['Управление бюджетной политики'], postKind: 'administrative', adminGroup: 'senior', gender: 'male', appointmentDate: '2015-05-15', service: 'state', passwordHash: null });
    const [entry] = audits('hr.imported');
    expect(entry!.details).toMatchObject({ created: 1, skipped: 6, userIds: [asan.id] });
    const again = await call(`/api/hr/staff/imports/${r.id}/apply`, { method: 'POST', cookie: hr, json: { mode: 'valid' } });
    expect(again.status).toBe(409);
    // a second file with the same person: a duplicate of an existing person, by personal number too
    const dup = await (await preview(hr, 'again.csv', `${HEADER}\nДругой,other@test.kg,21505199000011,Управление бюджетной политики,,special,,,,`)).json();
    expect(dup.rows[0].problems).toEqual([{ code: 'staff_person_exists', column: 'personal_number' }]);
  });

  it('never tells whether an e-mail or personal number exists outside the officer\'s organisations', async () => {
    const osh = getDb().select().from(users).where(eq(users.email, 'osh@demo.kg')).get()!;
    getDb().update(users).set({ personalNumber: '10101199000077' }).where(eq(users.id, osh.id)).run();
    const csv = [
      HEADER,
      // a person of Osh city hall (another body), by e-mail and by personal number
      'Динара Юсупова,osh@demo.kg,,Управление бюджетной политики,,special,,,,',
      'Башка Адам,someone-new@test.kg,10101199000077,Управление бюджетной политики,,special,,,,',
      // nobody anywhere
      'Жок Адам,nobody-anywhere@test.kg,10101199000078,Управление бюджетной политики,,special,,,,',
    ].join('\n');
    const r = await (await preview(hr, 'elsewhere.csv', csv)).json();
    // the preview cannot be asked: an existing person elsewhere looks exactly like nobody
    expect(r.rows.map((x: any) => x.problems)).toEqual([[], [], []]);
    const before = usersCount();
    const applied = await (await call(`/api/hr/staff/imports/${r.id}/apply`, { method: 'POST', cookie: hr, json: { mode: 'valid' } })).json();
    // applying creates nobody twice: those lines go to an administrator (recorded in the audit)
    expect(applied.rows.map((x: any) => x.problems.map((p: any) => p.code))).toEqual([['staff_needs_administrator'], ['staff_needs_administrator'], []]);
    expect(usersCount()).toBe(before + 1);
    expect(audits('hr.imported').at(-1)!.details).toMatchObject({ created: 1, needsAdministrator: [{ line: 2, email: 'osh@demo.kg' }, { line: 3, personalNumber: '10101199000077' }] });
  });

  it('reads a UTF-8 file with BOM and semicolons, and a Windows-1251 file, or refuses one whose Kyrgyz letters were lost', async () => {
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${HEADER.replace(/,/g, ';')}\nБегимай Ташиева;begimai@test.kg;;Отдел внутреннего аудита;;special;;female;2020-02-01;ru`)]);
    const r1 = await (await preview(hr, 'bom.csv', bom)).json();
    expect(r1.encoding).toBe('utf-8-bom');
    expect(r1.rows[0]).toMatchObject({ fullName: 'Бегимай Ташиева', problems: [] });

    const cp1251 = (s: string) => new Uint8Array([...s].map((ch) => { const c = ch.codePointAt(0)!; if (c < 128) return c; if (c === 0x401) return 0xa8; if (c === 0x451) return 0xb8; if (c >= 0x410 && c <= 0x44f) return c - 0x410 + 0xc0; return 0x3f; }));
    const ruFile = cp1251(`${HEADER}\nОльга Петрова,olga@test.kg,,Отдел внутреннего аудита,Главный специалист,специальная,,женский,01.09.2019,ru`);
    const r2 = await (await preview(hr, 'excel.csv', ruFile)).json();
    expect(r2.encoding).toBe('windows-1251');
    expect(r2.rows[0]).toMatchObject({ fullName: 'Ольга Петрова', problems: [] });

    // "Үсөнов" saved as Windows-1251 became "?с?нов": refused with a clear code, nothing kept
    const lossy = await preview(hr, 'lossy.csv', cp1251(`${HEADER}\nАсан Үсөнов,asan2@test.kg,,Отдел внутреннего аудита,,special,,,,`));
    expect(lossy.status).toBe(400);
    expect(await lossy.json()).toEqual({ error: { code: 'file_encoding_lossy', field: 'file' } });

    const binary = await preview(hr, 'x.csv', new Uint8Array([0x00, 0x01, 0x02, 0xff, 0xfe, 0x00]));
    expect((await binary.json()).error.code).toBe('file_encoding_unknown');
    const noCols = await preview(hr, 'x.csv', 'name,mail\nA,b@c.kg');
    expect((await noCols.json()).error).toEqual({ code: 'staff_columns', field: 'file' });
    const old = await preview(hr, 'x.xls', new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]));
    expect((await old.json()).error.code).toBe('file_xls_old');
  });

  it('reads XLSX: dates, e-mail links and numbers as text', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Staff');
    ws.addRow(HEADER.split(','));
    ws.addRow(['Нурлан Жумабеков', { text: 'nurlan@test.kg', hyperlink: 'mailto:nurlan@test.kg' }, 11203198500123, org['Отдел внутреннего аудита'], 'Аудитор', 'Административдик', 'Улук', 'Эркек', new Date(Date.UTC(2017, 3, 3)), 'ky']);
    const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
    const r = await (await preview(hr, 'staff.xlsx', bytes)).json();
    expect(r.encoding).toBe('xlsx');
    expect(r.rows[0]).toMatchObject({ fullName: 'Нурлан Жумабеков', email: 'nurlan@test.kg', organisationId: org['Отдел внутреннего аудита'], problems: [] });
    const applied = await (await call(`/api/hr/staff/imports/${r.id}/apply`, { method: 'POST', cookie: hr, json: { mode: 'all' } })).json();
    const p = getDb().select().from(users).where(eq(users.id, applied.createdIds[0])).get()!;
    // invitation links for everyone the import created; only its author may ask
    expect((await call(`/api/hr/staff/imports/${r.id}/invitations`, { method: 'POST', cookie: oshHr })).status).toBe(404);
    const inv = await (await call(`/api/hr/staff/imports/${r.id}/invitations`, { method: 'POST', cookie: hr })).json();
    expect(inv.invitations).toEqual([expect.objectContaining({ userId: p.id, email: 'nurlan@test.kg', url: expect.stringMatching(/\/ky\/invite\/[a-z2-7]+$/) })]);
    expect(p).toMatchObject({ personalNumber: '11203198500123', postKind: 'administrative', adminGroup: 'senior', gender: 'male', appointmentDate: '2017-04-03' });
  });
});

describe('one servant', () => {
  let id: number;
  beforeAll(async () => {
    const r = await (await preview(hr, 'one.csv', `${HEADER}\nЖаңыл Каримова,zhanyl@test.kg,,Управление бюджетной политики,Адис,administrative,junior,female,2016-01-10,ky`)).json();
    id = (await (await call(`/api/hr/staff/imports/${r.id}/apply`, { method: 'POST', cookie: hr, json: { mode: 'all' } })).json()).createdIds[0];
  });

  it('an invitation is single use and expires; the invited servant sets a password and signs in', async () => {
    const res = await call(`/api/hr/staff/${id}/invitation`, { method: 'POST', cookie: hr });
    expect(res.status).toBe(200);
    const { url, expiresAt } = await res.json();
    expect(url).toMatch(/^http:\/\/localhost\/ky\/invite\/[a-z2-7]{40,}$/);
    expect(new Date(expiresAt).getTime() - Date.now()).toBeGreaterThan(6.9 * 86_400_000);
    const token = url.split('/').pop();
    expect(audits('hr.invited').map((a) => a.targetId)).toContain(String(id));
    // expired: checked with a clock past the expiry
    const { findPasswordReset } = await import('@server/modules/people/service');
    expect(findPasswordReset(getDb(), token, new Date(Date.parse(expiresAt) + 1000))).toBeNull();
    expect(findPasswordReset(getDb(), token)).toMatchObject({ userId: id });
    const set = await call('/api/auth/password-reset', { method: 'POST', json: { token, password: 'a-long-first-password' } });
    expect([200, 204]).toContain(set.status);
    const twice = await call('/api/auth/password-reset', { method: 'POST', json: { token, password: 'another-long-password' } });
    expect(twice.status).toBe(404);
    expect(await signIn('zhanyl@test.kg', 'a-long-first-password')).toMatch(/=/);
  });

  it('an invitation never takes over an account: only a first password for a plain learner (409 invitation_not_allowed)', async () => {
    const learnerId = getDb().select().from(users).where(eq(users.email, 'learner@demo.kg')).get()!.id;
    const auditsBefore = audits('hr.invited').length;
    // an account with a password: the invited one above, and the demo learner
    for (const target of [id, learnerId]) {
      const res = await call(`/api/hr/staff/${target}/invitation`, { method: 'POST', cookie: hr });
      expect(res.status).toBe(409);
      expect((await res.json()).error.code).toBe('invitation_not_allowed');
    }
    // a person without a password but with a role beyond learner (here: reviewer)
    const admin = await signIn('admin@demo.kg');
    const made = await createPerson(getDb(), { email: 'no-password-reviewer@test.kg', fullName: 'Рецензент Жок', organisationId: org['Управление бюджетной политики'] });
    expect((await call(`/api/admin/people/${made.id}/roles`, { method: 'POST', cookie: admin, json: { role: 'reviewer' } })).status).toBe(200);
    const privileged = await call(`/api/hr/staff/${made.id}/invitation`, { method: 'POST', cookie: hr });
    expect(privileged.status).toBe(409);
    expect((await privileged.json()).error.code).toBe('invitation_not_allowed');
    expect(audits('hr.invited').length).toBe(auditsBefore);

    // a link made while the account was a plain learner dies when it gains a role or a password
    const plain = await createPerson(getDb(), { email: 'plain@test.kg', fullName: 'Жөнөкөй Окуучу', organisationId: org['Управление бюджетной политики'] });
    const link = await (await call(`/api/hr/staff/${plain.id}/invitation`, { method: 'POST', cookie: hr })).json();
    const grant = await call(`/api/admin/people/${plain.id}/roles`, { method: 'POST', cookie: admin, json: { role: 'trainer' } });
    expect(grant.status).toBe(200);
    const used = await call('/api/auth/password-reset', { method: 'POST', json: { token: link.url.split('/').pop(), password: 'taken-over-password' } });
    expect(used.status).toBe(404);
    expect((await used.json()).error.code).toBe('reset_link_invalid');
    expect(getDb().select().from(users).where(eq(users.id, plain.id)).get()!.passwordHash).toBeNull();
  });

  it('an officer of another body gets 404 for this servant and every action on them', async () => {
    expect((await call(`/api/hr/staff/${id}`, { cookie: oshHr })).status).toBe(404);
    for (const path of ['invitation', 'dismiss', 'reactivate']) expect((await call(`/api/hr/staff/${id}/${path}`, { method: 'POST', cookie: oshHr })).status).toBe(404);
    expect((await call(`/api/hr/staff/${id}/move`, { method: 'POST', cookie: oshHr, json: { organisationId: org['Мэрия города Ош'] } })).status).toBe(404);
    const assign = await call('/api/hr/assignments', { method: 'POST', cookie: oshHr, json: { courseSlug: 'ru-digital', userIds: [id], dueDate: '2099-01-01' } });
    expect(assign.status).toBe(404);
    const staff = await (await call('/api/hr/compliance', { cookie: oshHr })).json();
    expect(staff.staff.map((s: any) => s.id)).not.toContain(id);
    // a learner is not HR at all
    expect((await call(`/api/hr/staff/${id}`, { cookie: await signIn('learner@demo.kg') })).status).toBe(403);
  });

  it('moves within the scope only; the record follows the person', async () => {
    const out = await call(`/api/hr/staff/${id}/move`, { method: 'POST', cookie: hr, json: { organisationId: org['Мэрия города Ош'] } });
    expect(out.status).toBe(404);
    const res = await call(`/api/hr/staff/${id}/move`, { method: 'POST', cookie: hr, json: { organisationId: org['Отдел внутреннего аудита'] } });
    expect(res.status).toBe(200);
    expect((await res.json()).organisation.id).toBe(org['Отдел внутреннего аудита']);
    const same = await call(`/api/hr/staff/${id}/move`, { method: 'POST', cookie: hr, json: { organisationId: org['Отдел внутреннего аудита'] } });
    expect((await same.json()).error.code).toBe('same_organisation');
    expect(audits('hr.moved').at(-1)!.details).toEqual({ from: org['Управление бюджетной политики'], to: org['Отдел внутреннего аудита'] });
  });

  it('assigns to many by sub-unit and post kind, shows progress, and a completion makes the servant compliant', async () => {
    const bad = await call('/api/hr/assignments', { method: 'POST', cookie: hr, json: { courseSlug: 'ru-digital', select: { organisationId: org['Мэрия города Ош'] }, dueDate: '2099-01-01' } });
    expect(bad.status).toBe(404);
    const res = await call('/api/hr/assignments', { method: 'POST', cookie: hr, json: { courseSlug: 'ru-digital', select: { organisationId: org['Отдел внутреннего аудита'], postKind: 'administrative' }, dueDate: '2099-01-01' } });
    expect(res.status).toBe(200);
    const { results } = await res.json();
    // the two administrative servants of the audit department: Нурлан (imported from XLSX) and Жаңыл (moved there)
    expect(results.map((r: any) => r.result)).toEqual(['assigned', 'assigned']);
    expect(results.map((r: any) => r.userId)).toContain(id);
    expect(audits('hr.assigned').at(-1)!.details).toMatchObject({ dueDate: '2099-01-01', assigned: expect.arrayContaining([id]) });

    const list = await (await call('/api/hr/assignments', { cookie: hr })).json();
    const mine = list.assignments.find((a: any) => a.userId === id);
    expect(mine).toMatchObject({ status: 'active', percent: 0, overdue: false, fullName: 'Жаңыл Каримова', dueDate: '2099-01-01' });

    const before = await (await call(`/api/hr/compliance?status=overdue&unitId=${org['Отдел внутреннего аудита']}`, { cookie: hr })).json();
    expect(before.staff.map((s: any) => s.id)).toContain(id);
    const lesson = getDb().select({ id: lessons.id }).from(lessons).innerJoin(courseModules, eq(courseModules.id, lessons.moduleId)).innerJoin(courses, eq(courses.currentVersionId, courseModules.versionId)).where(eq(courses.slug, 'ru-digital')).get()!;
    saveProgress(getDb(), id, lesson.id, { seq: 1, read: true });
    const after = await (await call(`/api/hr/compliance?status=overdue&unitId=${org['Отдел внутреннего аудита']}`, { cookie: hr })).json();
    expect(after.staff.map((s: any) => s.id)).not.toContain(id);
    expect(after.staff.length).toBe(before.staff.length - 1);
    const done = (await (await call('/api/hr/assignments?state=completed', { cookie: hr })).json()).assignments.find((a: any) => a.userId === id);
    expect(done).toMatchObject({ status: 'completed', percent: 100 });

    // tree-aware counts: the ministry counts its departments
    const all = await (await call('/api/hr/compliance', { cookie: hr })).json();
    const ministry = all.units.find((u: any) => u.id === org['Министерство финансов Кыргызской Республики']);
    const audit = all.units.find((u: any) => u.id === org['Отдел внутреннего аудита']);
    const budget = all.units.find((u: any) => u.id === org['Управление бюджетной политики']);
    expect(ministry.depth).toBe(0);
    expect(audit.depth).toBe(1);
    expect(ministry.all.total).toBe(ministry.own.total + audit.all.total + budget.all.total);
    expect(audit.all.compliant).toBeGreaterThanOrEqual(1);
    expect(all.totals.total).toBe(ministry.all.total);
  });

  it('deactivates on dismissal: no sign-in, out of the counts, record still verifiable; reactivation', async () => {
    const detail = await (await call(`/api/hr/staff/${id}`, { cookie: hr })).json();
    const code = detail.record.find((e: any) => e.certificateCode).certificateCode;
    const res = await call(`/api/hr/staff/${id}/dismiss`, { method: 'POST', cookie: hr });
    expect(res.status).toBe(200);
    expect((await res.json()).active).toBe(false);
    const login = await call('/api/auth/login', { method: 'POST', json: { email: 'zhanyl@test.kg', password: 'a-long-first-password' } });
    expect(login.status).toBe(401);
    const staff = await (await call('/api/hr/staff', { cookie: hr })).json();
    expect(staff.staff.map((s: any) => s.id)).not.toContain(id);
    const compliance = await (await call('/api/hr/compliance', { cookie: hr })).json();
    expect(compliance.staff.map((s: any) => s.id)).not.toContain(id);
    expect(verifyCertificate(getDb(), code)).toMatchObject({ status: 'valid', holderName: 'Жаңыл Каримова' });
    const kept = await (await call(`/api/hr/staff/${id}`, { cookie: hr })).json();
    expect(kept.record.length).toBe(detail.record.length);
    expect(kept.servant.dismissedAt).not.toBeNull();
    // assigning to a dismissed servant is refused for that person
    const refused = await (await call('/api/hr/assignments', { method: 'POST', cookie: hr, json: { courseSlug: 'ru-digital', userIds: [id], dueDate: '2099-01-01' } })).json();
    expect(refused.results).toEqual([{ userId: id, result: 'refused', reason: 'person_inactive' }]);
    expect((await call(`/api/hr/staff/${id}/dismiss`, { method: 'POST', cookie: hr })).status).toBe(409);

    const back = await call(`/api/hr/staff/${id}/reactivate`, { method: 'POST', cookie: hr });
    expect(back.status).toBe(200);
    expect((await back.json()).active).toBe(true);
    expect(await signIn('zhanyl@test.kg', 'a-long-first-password')).toMatch(/=/);
    expect((await call(`/api/hr/staff/${id}/reactivate`, { method: 'POST', cookie: hr })).status).toBe(409);
    const hrId = getDb().select().from(users).where(eq(users.email, 'hr@demo.kg')).get()!.id;
    for (const action of ['hr.dismissed', 'hr.reactivated']) {
      const e = getDb().select().from(auditLog).where(and(eq(auditLog.action, action), eq(auditLog.targetId, String(id)))).all();
      expect(e).toHaveLength(1);
      expect(e[0]!.actorId).toBe(hrId);
      expect(e[0]!.at).toBeInstanceOf(Date);
    }
  });

  it('validates input: bad base64, a bad mode, an empty selection', async () => {
    expect((await call('/api/hr/staff/imports', { method: 'POST', cookie: hr, json: { fileName: 'a.csv', content: '***' } })).status).toBe(400);
    expect((await call('/api/hr/staff/imports/1/apply', { method: 'POST', cookie: hr, json: { mode: 'some' } })).status).toBe(400);
    const both = await call('/api/hr/assignments', { method: 'POST', cookie: hr, json: { courseSlug: 'ru-digital', dueDate: '2099-01-01' } });
    expect(both.status).toBe(400);
    const nobody = await call('/api/hr/assignments', { method: 'POST', cookie: hr, json: { courseSlug: 'ru-digital', select: { postKind: 'political' }, dueDate: '2099-01-01' } });
    expect((await nobody.json()).error.code).toBe('assignment_nobody');
  });
});
