import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { call, getDb, signIn, withDemo, DEMO_PASSWORD } from '../helpers';
import { organisations, users } from '@db/schema';
import { createPerson } from '@server/modules/people/service';

beforeAll(withDemo);

const idOf = (email: string) => getDb().select().from(users).where(eq(users.email, email)).get()!.id;
const orgId = (nameRu: string) => getDb().select().from(organisations).where(eq(organisations.nameRu, nameRu)).get()!.id;

describe('people and roles (admin only)', () => {
  it('refuses everyone but administrators', async () => {
    expect((await call('/api/admin/people')).status).toBe(401);
    const hr = await signIn('hr@demo.kg');
    expect((await call('/api/admin/people', { cookie: hr })).status).toBe(403);
    expect((await call(`/api/admin/people/${idOf('learner@demo.kg')}/lock`, { method: 'POST', cookie: hr })).status).toBe(403);
  });

  it('finds people by name with the Kyrgyz letters typed plain, and by e-mail and role', async () => {
    const admin = await signIn('admin@demo.kg');
    const byName = await (await call(`/api/admin/people?q=${encodeURIComponent('айгул асан')}`, { cookie: admin })).json();
    expect(byName.people.map((p: { email: string }) => p.email)).toEqual(['learner@demo.kg']);
    const byEmail = await (await call('/api/admin/people?q=OSH@demo', { cookie: admin })).json();
    expect(byEmail.people.map((p: { email: string }) => p.email)).toEqual(['osh@demo.kg']);
    const byRole = await (await call('/api/admin/people?role=reviewer', { cookie: admin })).json();
    expect(byRole.people.map((p: { email: string }) => p.email)).toEqual(['reviewer@demo.kg']);
    // a % in the query is a character, not a wildcard
    const pct = await (await call('/api/admin/people?q=%25', { cookie: admin })).json();
    expect(pct.people).toEqual([]);
  });

  it('grants hr with an organisation; the user has it on the next request, and loses it after revoking', async () => {
    const admin = await signIn('admin@demo.kg');
    const reviewer = await signIn('reviewer@demo.kg');
    const rid = idOf('reviewer@demo.kg');
    expect((await call('/api/hr/staff', { cookie: reviewer })).status).toBe(403);

    const noOrg = await call(`/api/admin/people/${rid}/roles`, { method: 'POST', cookie: admin, json: { role: 'hr' } });
    expect(noOrg.status).toBe(400);
    expect(await noOrg.json()).toEqual({ error: { code: 'organisation_required', field: 'organisationId' } });
    const orgForTrainer = await call(`/api/admin/people/${rid}/roles`, { method: 'POST', cookie: admin, json: { role: 'trainer', organisationId: orgId('Мэрия города Ош') } });
    expect(orgForTrainer.status).toBe(400);

    const res = await call(`/api/admin/people/${rid}/roles`, { method: 'POST', cookie: admin, json: { role: 'hr', organisationId: orgId('Мэрия города Ош') } });
    expect(res.status).toBe(200);
    const person = await res.json();
    const grant = person.grants.find((g: { role: string }) => g.role === 'hr');
    expect(grant.organisation.nameRu).toBe('Мэрия города Ош');
    const again = await call(`/api/admin/people/${rid}/roles`, { method: 'POST', cookie: admin, json: { role: 'hr', organisationId: orgId('Мэрия города Ош') } });
    expect(again.status).toBe(409);

    // the same session, no new sign-in: the next request sees the role and the scope
    const me = await (await call('/api/me', { cookie: reviewer })).json();
    expect(me.roles).toContain('hr');
    const staff = await (await call('/api/hr/staff', { cookie: reviewer })).json();
    expect(staff.staff.map((s: { email: string }) => s.email)).toEqual(['osh@demo.kg']);

    const revoked = await call(`/api/admin/people/${rid}/roles/${grant.id}`, { method: 'DELETE', cookie: admin });
    expect(revoked.status).toBe(200);
    expect((await call('/api/hr/staff', { cookie: reviewer })).status).toBe(403);
    expect((await call(`/api/admin/people/${rid}/roles/${grant.id}`, { method: 'DELETE', cookie: admin })).status).toBe(404);
  });

  it('never removes or locks the last administrator, but allows it once there is another', async () => {
    const admin = await signIn('admin@demo.kg');
    const aid = idOf('admin@demo.kg');
    const person = await (await call(`/api/admin/people/${aid}`, { cookie: admin })).json();
    const adminGrant = person.grants.find((g: { role: string }) => g.role === 'admin');

    const revoke = await call(`/api/admin/people/${aid}/roles/${adminGrant.id}`, { method: 'DELETE', cookie: admin });
    expect(revoke.status).toBe(409);
    expect(await revoke.json()).toEqual({ error: { code: 'last_admin' } });
    const lock = await call(`/api/admin/people/${aid}/lock`, { method: 'POST', cookie: admin });
    expect(lock.status).toBe(409);
    expect(await lock.json()).toEqual({ error: { code: 'last_admin' } });

    // a locked administrator does not count as a remaining one
    const second = await createPerson(getDb(), { email: 'second-admin@demo.kg', fullName: 'Second Admin', password: DEMO_PASSWORD, roles: [{ role: 'admin' }] });
    expect((await call(`/api/admin/people/${second.id}/lock`, { method: 'POST', cookie: admin })).status).toBe(200);
    expect((await call(`/api/admin/people/${aid}/roles/${adminGrant.id}`, { method: 'DELETE', cookie: admin })).status).toBe(409);
    expect((await call(`/api/admin/people/${second.id}/unlock`, { method: 'POST', cookie: admin })).status).toBe(200);

    // with a second active administrator, the first may step down; the second then cannot
    expect((await call(`/api/admin/people/${aid}/roles/${adminGrant.id}`, { method: 'DELETE', cookie: admin })).status).toBe(200);
    // the first is no longer an administrator on the very next request
    expect((await call('/api/admin/people', { cookie: admin })).status).toBe(403);
    const secondCookie = await signIn('second-admin@demo.kg');
    const secondPerson = await (await call(`/api/admin/people/${second.id}`, { cookie: secondCookie })).json();
    const g2 = secondPerson.grants.find((g: { role: string }) => g.role === 'admin');
    expect((await call(`/api/admin/people/${second.id}/roles/${g2.id}`, { method: 'DELETE', cookie: secondCookie })).status).toBe(409);
    expect((await call(`/api/admin/people/${second.id}/lock`, { method: 'POST', cookie: secondCookie })).status).toBe(409);
    // give the role back for the other tests
    expect((await call(`/api/admin/people/${aid}/roles`, { method: 'POST', cookie: secondCookie, json: { role: 'admin' } })).status).toBe(200);
  });

  it('locking ends the sessions and refuses sign-in; unlocking allows it again', async () => {
    const admin = await signIn('admin@demo.kg');
    const muni = await signIn('municipal@demo.kg');
    const id = idOf('municipal@demo.kg');
    const res = await call(`/api/admin/people/${id}/lock`, { method: 'POST', cookie: admin });
    expect(res.status).toBe(200);
    expect((await res.json()).locked).toBe(true);
    expect((await call('/api/me', { cookie: muni })).status).toBe(401);
    const login = await call('/api/auth/login', { method: 'POST', json: { email: 'municipal@demo.kg', password: DEMO_PASSWORD } });
    expect(login.status).toBe(401);
    expect((await call(`/api/admin/people/${id}/lock`, { method: 'POST', cookie: admin })).status).toBe(409);
    expect((await call(`/api/admin/people/${id}/unlock`, { method: 'POST', cookie: admin })).status).toBe(200);
    await signIn('municipal@demo.kg');
  });

  it('a reset link is one-time, needs 12 characters, ends sessions and stores only a hash', async () => {
    const admin = await signIn('admin@demo.kg');
    const learner = await signIn('learner@demo.kg');
    const id = idOf('learner@demo.kg');
    const res = await call(`/api/admin/people/${id}/password-reset`, { method: 'POST', cookie: admin });
    expect(res.status).toBe(200);
    const { url, expiresAt } = await res.json();
    expect(url).toMatch(/^http:\/\/localhost\/ky\/reset\/[a-z2-7]{40,}$/);
    expect(new Date(expiresAt).getTime() - Date.now()).toBeGreaterThan(71 * 3600_000);
    const token = url.split('/').pop()!;
    const stored = getDb().$client.prepare('SELECT token_hash FROM password_resets').all() as { token_hash: string }[];
    expect(stored.some((r) => r.token_hash === token)).toBe(false);

    const short = await call('/api/auth/password-reset', { method: 'POST', json: { token, password: 'short' } });
    expect(short.status).toBe(400);
    expect(await short.json()).toEqual({ error: { code: 'password_too_short', field: 'password' } });
    // trivially weak passwords are refused by the same rule, and the link stays usable
    for (const [weak, code] of [['aaaaaaaaaaaaaaa', 'password_pattern'], ['Password2026!', 'password_too_common'], ['Learner-2026!!', 'password_personal'], ['Асанова Айгүл', 'password_personal']]) {
      const res = await call('/api/auth/password-reset', { method: 'POST', json: { token, password: weak } });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ error: { code, field: 'password' } });
    }
    const ok = await call('/api/auth/password-reset', { method: 'POST', json: { token, password: 'a-brand-new-password' } });
    expect(ok.status).toBe(200);
    expect((await call('/api/me', { cookie: learner })).status).toBe(401);
    const reuse = await call('/api/auth/password-reset', { method: 'POST', json: { token, password: 'another-new-password' } });
    expect(reuse.status).toBe(404);
    expect(await reuse.json()).toEqual({ error: { code: 'reset_link_invalid' } });
    await signIn('learner@demo.kg', 'a-brand-new-password');

    // a newer link replaces an older unused one
    const first = (await (await call(`/api/admin/people/${id}/password-reset`, { method: 'POST', cookie: admin })).json()).url.split('/').pop();
    const second = (await (await call(`/api/admin/people/${id}/password-reset`, { method: 'POST', cookie: admin })).json()).url.split('/').pop();
    expect((await call('/api/auth/password-reset', { method: 'POST', json: { token: first, password: DEMO_PASSWORD } })).status).toBe(404);
    expect((await call('/api/auth/password-reset', { method: 'POST', json: { token: second, password: DEMO_PASSWORD } })).status).toBe(200);
  });

  it('answers 404 for an unknown person and 400 for a bad id', async () => {
    const admin = await signIn('admin@demo.kg');
    expect((await call('/api/admin/people/99999', { cookie: admin })).status).toBe(404);
    expect((await call('/api/admin/people/abc', { cookie: admin })).status).toBe(400);
    expect((await call('/api/admin/people/1/roles', { method: 'POST', cookie: admin, json: { role: 'king' } })).status).toBe(400);
  });
});
