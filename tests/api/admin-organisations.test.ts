import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { call, getDb, signIn, withDemo } from '../helpers';
import { organisations } from '@db/schema';
import { parseCsv } from '@server/modules/organisations/service';

beforeAll(withDemo);
const orgId = (nameRu: string) => getDb().select().from(organisations).where(eq(organisations.nameRu, nameRu)).get()!.id;

describe('organisations', () => {
  it('creates, renames in both languages, moves, and refuses a move under its own sub-unit', async () => {
    const admin = await signIn('admin@demo.kg');
    const created = await call('/api/admin/organisations', { method: 'POST', cookie: admin, json: { nameKy: 'Нарын облусундагы өкүлчүлүк', nameRu: 'Представительство в Нарынской области', kind: 'subunit', service: 'state', region: 'naryn', parentId: orgId('Министерство финансов Кыргызской Республики') } });
    expect(created.status).toBe(201);
    const org = await created.json();
    const child = await (await call('/api/admin/organisations', { method: 'POST', cookie: admin, json: { nameKy: 'Бөлүм', nameRu: 'Отдел', kind: 'subunit', service: 'state', region: 'naryn', parentId: org.id } })).json();

    const renamed = await (await call(`/api/admin/organisations/${org.id}`, { method: 'PATCH', cookie: admin, json: { nameKy: 'Нарын өкүлчүлүгү', nameRu: 'Нарынское представительство' } })).json();
    expect(renamed).toMatchObject({ nameKy: 'Нарын өкүлчүлүгү', nameRu: 'Нарынское представительство' });

    const cycle = await call(`/api/admin/organisations/${org.id}`, { method: 'PATCH', cookie: admin, json: { parentId: child.id } });
    expect(cycle.status).toBe(409);
    expect(await cycle.json()).toEqual({ error: { code: 'organisation_cycle', field: 'parentId' } });
    expect((await call(`/api/admin/organisations/${org.id}`, { method: 'PATCH', cookie: admin, json: { parentId: org.id } })).status).toBe(409);

    const moved = await (await call(`/api/admin/organisations/${org.id}`, { method: 'PATCH', cookie: admin, json: { parentId: orgId('Министерство цифрового развития Кыргызской Республики') } })).json();
    expect(moved.parentId).toBe(orgId('Министерство цифрового развития Кыргызской Республики'));
    // the HR officer of the Ministry of Finance no longer covers it
    const hr = await (await call('/api/me', { cookie: await signIn('hr@demo.kg') })).json();
    expect(hr.hrOrganisationIds).not.toContain(org.id);
    expect((await call(`/api/admin/organisations/${org.id}`, { method: 'PATCH', cookie: admin, json: { parentId: 424242 } })).status).toBe(404);
    expect((await call('/api/admin/organisations', { method: 'POST', cookie: admin, json: { nameKy: '', nameRu: 'X', kind: 'state_body', service: 'state', region: 'naryn' } })).status).toBe(400);
  });

  it('closes only without open sub-units, keeps closed ones, and can reopen', async () => {
    const admin = await signIn('admin@demo.kg');
    const parent = await (await call('/api/admin/organisations', { method: 'POST', cookie: admin, json: { nameKy: 'А', nameRu: 'А-орган', kind: 'state_body', service: 'state', region: 'talas' } })).json();
    const unit = await (await call('/api/admin/organisations', { method: 'POST', cookie: admin, json: { nameKy: 'Б', nameRu: 'Б-отдел', kind: 'subunit', service: 'state', region: 'talas', parentId: parent.id } })).json();
    const refused = await call(`/api/admin/organisations/${parent.id}/close`, { method: 'POST', cookie: admin });
    expect(refused.status).toBe(409);
    expect(await refused.json()).toEqual({ error: { code: 'organisation_has_open_units' } });
    expect((await call(`/api/admin/organisations/${unit.id}/close`, { method: 'POST', cookie: admin })).status).toBe(200);
    const closed = await (await call(`/api/admin/organisations/${parent.id}/close`, { method: 'POST', cookie: admin })).json();
    expect(closed.closedAt).not.toBeNull();

    const open = await (await call('/api/admin/organisations', { cookie: admin })).json();
    expect(open.organisations.some((o: { id: number }) => o.id === parent.id)).toBe(false);
    const all = await (await call('/api/admin/organisations?closed=include', { cookie: admin })).json();
    expect(all.organisations.some((o: { id: number }) => o.id === parent.id)).toBe(true);
    // nothing can be added under a closed one, and a closed one is not renamed
    expect((await call('/api/admin/organisations', { method: 'POST', cookie: admin, json: { nameKy: 'В', nameRu: 'В', kind: 'subunit', service: 'state', region: 'talas', parentId: parent.id } })).status).toBe(409);
    expect((await call(`/api/admin/organisations/${parent.id}`, { method: 'PATCH', cookie: admin, json: { nameRu: 'new' } })).status).toBe(409);
    // a unit reopens only under an open parent
    expect((await call(`/api/admin/organisations/${unit.id}/reopen`, { method: 'POST', cookie: admin })).status).toBe(409);
    expect((await call(`/api/admin/organisations/${parent.id}/reopen`, { method: 'POST', cookie: admin })).status).toBe(200);
    expect((await call(`/api/admin/organisations/${unit.id}/reopen`, { method: 'POST', cookie: admin })).status).toBe(200);
  });
});

describe('CSV import', () => {
  it('parses quoted fields, doubled quotes, CRLF, BOM and semicolons', () => {
    expect(parseCsv('\uFEFFa,b\r\n"x, y","he said ""hi"""\r\n')).toEqual([['a', 'b'], ['x, y', 'he said "hi"']]);
    expect(parseCsv('a;b\n1;2')).toEqual([['a', 'b'], ['1', '2']]);
    expect(parseCsv('a,b\n"multi\nline",2\n\n')).toEqual([['a', 'b'], ['multi\nline', '2']]);
  });

  const csv = [
    'name_ky,name_ru,kind,service,region,parent',
    'Талас облустук администрациясы,Администрация Таласской области,state_body,state,talas,',
    'Кадр бөлүмү,Отдел кадров,subunit,state,talas,Администрация Таласской области',
    'Жок,Нет,planet,state,talas,',
    'Бирөө,Один,subunit,state,mars,',
    'Экөө,Два,subunit,state,talas,Несуществующий орган',
    ',Без кыргызского,state_body,state,talas,',
    '"Ички аудит бөлүмү","Отдел внутреннего аудита",subunit,state,bishkek,"Министерство финансов Кыргызской Республики"',
    'Үчөө,Три,subunit,state,talas,',
  ].join('\n');

  it('checks line by line without saving, then imports the valid lines, and a second import changes nothing', async () => {
    const admin = await signIn('admin@demo.kg');
    const before = getDb().select().from(organisations).all().length;
    const check = await call('/api/admin/organisations/import', { method: 'POST', cookie: admin, json: { csv, apply: false } });
    expect(check.status).toBe(200);
    const report = (await check.json()).rows;
    expect(report.map((r: { line: number; result: string; error?: string; column?: string }) => [r.line, r.result, r.error ?? null, r.column ?? null])).toEqual([
      [2, 'ok', null, null],
      [3, 'ok', null, null],
      [4, 'error', 'csv_kind', 'kind'],
      [5, 'error', 'csv_region', 'region'],
      [6, 'error', 'csv_parent', 'parent'],
      [7, 'error', 'csv_name', 'name_ky'],
      [8, 'exists', null, null],
      [9, 'error', 'csv_subunit_parent', 'parent'],
    ]);
    expect(getDb().select().from(organisations).all().length).toBe(before);

    const applied = (await (await call('/api/admin/organisations/import', { method: 'POST', cookie: admin, json: { csv, apply: true } })).json()).rows;
    expect(applied.filter((r: { result: string }) => r.result === 'created')).toHaveLength(2);
    expect(getDb().select().from(organisations).all().length).toBe(before + 2);
    const unit = getDb().select().from(organisations).where(eq(organisations.nameRu, 'Отдел кадров')).get()!;
    expect(unit.parentId).toBe(orgId('Администрация Таласской области'));

    const again = (await (await call('/api/admin/organisations/import', { method: 'POST', cookie: admin, json: { csv, apply: true } })).json()).rows;
    expect(again.filter((r: { result: string }) => r.result === 'created')).toHaveLength(0);
    expect(getDb().select().from(organisations).all().length).toBe(before + 2);
    const audit = await (await call('/api/admin/audit?action=organisation.imported', { cookie: admin })).json();
    expect(audit.entries.map((e: { details: { created: number } }) => e.details.created)).toEqual([0, 2]);
  });

  it('reports a file without the columns as a whole', async () => {
    const admin = await signIn('admin@demo.kg');
    const res = await call('/api/admin/organisations/import', { method: 'POST', cookie: admin, json: { csv: 'name,region\nx,y', apply: true } });
    expect(res.status).toBe(422);
    expect(await res.json()).toEqual({ error: { code: 'csv_columns', field: 'csv' } });
  });
});

describe('HR staff list', () => {
  it("shows only the HR officer's organisations, with status, filterable", async () => {
    const hr = await signIn('hr@demo.kg');
    const res = await call('/api/hr/staff', { cookie: hr });
    expect(res.status).toBe(200);
    const { staff } = await res.json();
    const emails = staff.map((s: { email: string }) => s.email).sort();
    expect(emails).toEqual(['hr@demo.kg', 'learner@demo.kg']);
    const learner = staff.find((s: { email: string }) => s.email === 'learner@demo.kg');
    // appointed 2021-03-15, never trained: due 2024-03-15 under the 3-year rule
    expect(learner).toMatchObject({ dueDate: '2024-03-15', countedFrom: '2021-03-15', fromAppointment: true, status: 'overdue' });
    expect(learner.organisation.nameRu).toBe('Управление бюджетной политики');
    const compliant = await (await call('/api/hr/staff?status=compliant', { cookie: hr })).json();
    expect(compliant.staff).toEqual([]);
    expect((await call('/api/hr/staff?status=bad', { cookie: hr })).status).toBe(400);
    expect((await call('/api/hr/staff', { cookie: await signIn('learner@demo.kg') })).status).toBe(403);
  });
});

describe('sub-units', () => {
  it('a sub-unit always has a parent organisation', async () => {
    const admin = await signIn('admin@demo.kg');
    const res = await call('/api/admin/organisations', { method: 'POST', cookie: admin, json: { nameKy: 'Бөлүм', nameRu: 'Отдел X', kind: 'subunit', service: 'state', region: 'chui' } });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: { code: 'subunit_needs_parent', field: 'parentId' } });
    const unit = getDb().select().from(organisations).where(eq(organisations.nameRu, 'Управление бюджетной политики')).get()!;
    const move = await call(`/api/admin/organisations/${unit.id}`, { method: 'PATCH', cookie: admin, json: { parentId: null } });
    expect(move.status).toBe(400);
    const asBody = await call(`/api/admin/organisations/${unit.id}`, { method: 'PATCH', cookie: admin, json: { parentId: null, kind: 'state_body' } });
    expect(asBody.status).toBe(200);
    expect((await call(`/api/admin/organisations/${unit.id}`, { method: 'PATCH', cookie: admin, json: { parentId: orgId('Министерство финансов Кыргызской Республики'), kind: 'subunit' } })).status).toBe(200);
  });
});
