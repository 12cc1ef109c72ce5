/**
 * Accounts at scale: administrators create and edit accounts (unique e-mail and ПИН, open
 * organisation, audited) and grant roles to many people at once from a list or CSV — a report per
 * line first (unknown person, role, organisation; duplicates; already held), then exactly the
 * checked grants, all or none, refused while a line has an error.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { auditLog, organisations, userRoles, users } from '@db/schema';
import { createAccount } from '@server/modules/people/accounts';
import { call, getDb, signIn, withDemo } from '../helpers';

let admin: string;
const db = () => getDb();
const idOf = (email: string) => db().select().from(users).where(eq(users.email, email)).get()!.id;
const rolesOf = (email: string) => db().select().from(userRoles).where(eq(userRoles.userId, idOf(email))).all().map((g) => `${g.role}${g.organisationId ? `@${g.organisationId}` : ''}`).sort();
const post = (path: string, json: unknown, cookie = admin) => call(path, { method: 'POST', cookie, json });
let ministry: { id: number; code: string | null };

beforeAll(async () => {
  await withDemo();
  admin = await signIn('admin@demo.kg');
  const m = db().select().from(organisations).where(eq(organisations.id, db().select().from(users).where(eq(users.email, 'hr@demo.kg')).get()!.organisationId!)).get()!;
  db().update(organisations).set({ code: 'MF-01' }).where(eq(organisations.id, m.id)).run();
  ministry = { id: m.id, code: 'MF-01' };
});

describe('accounts', () => {
  it('only administrators create and edit accounts', async () => {
    const body = { email: 'new@test.kg', fullName: 'Жаңы Киши' };
    expect((await post('/api/admin/people', body, '')).status).toBe(401);
    expect((await post('/api/admin/people', body, await signIn('hr@demo.kg'))).status).toBe(403);
    expect((await call(`/api/admin/people/${idOf('learner@demo.kg')}`, { method: 'PUT', cookie: await signIn('trainer@demo.kg'), json: body })).status).toBe(403);
    expect(db().select().from(users).where(eq(users.email, 'new@test.kg')).get()).toBeUndefined();
  });

  it('creates an account without a password, with the learner role, audited; e-mail and ПИН stay unique', async () => {
    const res = await post('/api/admin/people', { email: ' Aigul.Asanova@Test.KG ', fullName: 'Асанова Айгүл', organisationId: ministry.id, personalNumber: '21203 19870 0123', service: 'state', positionTitle: 'Адис', locale: 'ru' });
    expect(res.status).toBe(201);
    const person = (await res.json()) as any;
    expect(person).toMatchObject({ email: 'aigul.asanova@test.kg', fullName: 'Асанова Айгүл', locale: 'ru', organisation: { id: ministry.id }, service: 'state', grants: [{ role: 'learner' }] });
    const row = db().select().from(users).where(eq(users.id, person.id)).get()!;
    expect(row.passwordHash).toBeNull();
    expect(row.personalNumber).toBe('21203198700123');
    expect(db().select().from(auditLog).where(and(eq(auditLog.action, 'user.created'), eq(auditLog.targetId, String(person.id)))).get()).toBeTruthy();

    expect(await (await post('/api/admin/people', { email: 'AIGUL.asanova@test.kg', fullName: 'Башка' })).json()).toEqual({ error: { code: 'email_taken', field: 'email' } });
    const pin = await post('/api/admin/people', { email: 'other@test.kg', fullName: 'Башка', personalNumber: '21203198700123' });
    expect(pin.status).toBe(409);
    expect(await pin.json()).toEqual({ error: { code: 'personal_number_taken', field: 'personalNumber' } });
    expect((await post('/api/admin/people', { email: 'other@test.kg', fullName: 'Башка', personalNumber: '123' })).status).toBe(400);
    expect((await post('/api/admin/people', { email: 'not-an-email', fullName: 'Башка' })).status).toBe(400);
    expect((await post('/api/admin/people', { email: 'other@test.kg', fullName: 'Башка', organisationId: 999999 })).status).toBe(404);
    expect((await post('/api/admin/people', { email: 'other@test.kg', fullName: '   ' })).status).toBe(400);
    expect((await post('/api/admin/people', { email: 'other@test.kg', fullName: 'Башка', passwordHash: 'x' })).status).toBe(400);
  });

  it('the same e-mail twice: one account, the second hears email_taken', () => {
    const results = [0, 1].map(() => {
      try {
        return createAccount(db(), { id: idOf('admin@demo.kg') }, { email: 'race@test.kg', fullName: 'Жарыш', organisationId: null, positionTitle: null, service: null, personalNumber: null, locale: 'ky' }).id;
      } catch (e) {
        return (e as { code: string }).code;
      }
    });
    expect(results.filter((r) => r === 'email_taken')).toHaveLength(1);
    expect(db().select().from(users).where(eq(users.email, 'race@test.kg')).all()).toHaveLength(1);
  });

  it('edits an account; the audit entry keeps what changed; another person’s e-mail is refused', async () => {
    const id = idOf('aigul.asanova@test.kg');
    const res = await call(`/api/admin/people/${id}`, { method: 'PUT', cookie: admin, json: { email: 'a.asanova@test.kg', fullName: 'Асанова Айгүл Бакытовна', organisationId: ministry.id, personalNumber: '21203198700123', service: 'state', positionTitle: 'Башкы адис', locale: 'ky' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ email: 'a.asanova@test.kg', fullName: 'Асанова Айгүл Бакытовна', positionTitle: 'Башкы адис', locale: 'ky' });
    const entry = db().select().from(auditLog).where(and(eq(auditLog.action, 'user.updated'), eq(auditLog.targetId, String(id)))).get()!;
    expect((entry.details as any).changed).toMatchObject({ email: { from: 'aigul.asanova@test.kg', to: 'a.asanova@test.kg' }, positionTitle: { from: 'Адис', to: 'Башкы адис' } });
    expect((entry.details as any).changed.personalNumber).toBeUndefined();
    const taken = await call(`/api/admin/people/${id}`, { method: 'PUT', cookie: admin, json: { email: 'learner@demo.kg', fullName: 'x' } });
    expect(taken.status).toBe(409);
    expect((await call('/api/admin/people/999999', { method: 'PUT', cookie: admin, json: { email: 'z@test.kg', fullName: 'x' } })).status).toBe(404);
  });
});

describe('roles for many at once', () => {
  const BULK = '/api/admin/roles/bulk';

  it('checks every line and saves nothing without apply', async () => {
    const before = db().select().from(userRoles).all().length;
    const text = [
      'email,role,organisation',
      'municipal@demo.kg,trainer',
      'ayil@demo.kg;hr;MF-01',
      'nobody@test.kg,trainer',
      'osh@demo.kg,wizard',
      `osh@demo.kg,hr,`,
      'osh@demo.kg,reviewer,MF-01',
      'municipal@demo.kg,trainer',
      'trainer@demo.kg,trainer',
      '',
      `osh@demo.kg,hr,${999999}`,
    ].join('\r\n');
    const res = await post(BULK, { text });
    expect(res.status).toBe(200);
    const r = (await res.json()) as any;
    expect(r.lines.map((l: any) => [l.line, l.result, l.code])).toEqual([
      [2, 'grant', null],
      [3, 'grant', null],
      [4, 'error', 'person_not_found'],
      [5, 'error', 'role_unknown'],
      [6, 'error', 'organisation_required'],
      [7, 'error', 'organisation_not_allowed'],
      [8, 'error', 'duplicate_in_file'],
      [9, 'already', null],
      [11, 'error', 'organisation_not_found'],
    ]);
    expect(r.lines[1]).toMatchObject({ role: 'hr', organisationId: ministry.id, fullName: expect.any(String) });
    expect([r.grant, r.already, r.errors, r.applied]).toEqual([2, 1, 6, false]);
    expect(db().select().from(userRoles).all().length).toBe(before);
    // apply with an error line is refused and grants nothing
    const refused = await post(BULK, { text, apply: true });
    expect(refused.status).toBe(422);
    expect(await refused.json()).toEqual({ error: { code: 'bulk_has_errors' } });
    expect(db().select().from(userRoles).all().length).toBe(before);
  });

  it('a plain list takes the role and organisation chosen for all; apply grants exactly the checked lines, audited', async () => {
    const text = 'municipal@demo.kg\nAYIL@demo.kg\n\nosh@demo.kg\n';
    const check = (await (await post(BULK, { text, role: 'hr', organisationId: ministry.id })).json()) as any;
    expect([check.grant, check.errors]).toEqual([3, 0]);
    const applied = (await (await post(BULK, { text, role: 'hr', organisationId: ministry.id, apply: true })).json()) as any;
    expect(applied).toMatchObject({ grant: 3, applied: true });
    for (const e of ['municipal@demo.kg', 'ayil@demo.kg', 'osh@demo.kg']) expect(rolesOf(e)).toContain(`hr@${ministry.id}`);
    expect(db().select().from(auditLog).where(eq(auditLog.action, 'role.granted')).all().filter((a) => (a.details as any).organisationId === ministry.id).length).toBeGreaterThanOrEqual(3);
    // the same list again: already held, nothing to grant, nothing granted twice
    const again = (await (await post(BULK, { text, role: 'hr', organisationId: ministry.id, apply: true })).json()) as any;
    expect([again.grant, again.already]).toEqual([0, 3]);
    expect(rolesOf('osh@demo.kg').filter((r) => r === `hr@${ministry.id}`)).toHaveLength(1);
    // the new HR officer's scope is in force on their next request
    const osh = await signIn('osh@demo.kg');
    expect((await call('/api/hr/staff', { cookie: osh })).status).toBe(200);
  });

  it('bounds what it reads and who may call it', async () => {
    expect((await post(BULK, { text: '' })).status).toBe(422);
    expect((await post(BULK, { text: 'x@test.kg\n'.repeat(5001) })).status).toBe(422);
    expect((await post(BULK, { text: 'a@b.c', role: 'trainer' }, await signIn('hr@demo.kg'))).status).toBe(403);
    expect((await post(BULK, { text: 'a@b.c' }, '')).status).toBe(401);
    expect((await post(BULK, { text: 'a@b.c', role: 'king' })).status).toBe(400);
  });
});
