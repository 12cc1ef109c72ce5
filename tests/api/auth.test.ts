import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { call, getDb, signIn, withDemo, DEMO_PASSWORD } from '../helpers';
import { sessions, users } from '../../db/schema';
import { loginLimiter, MAX_FAILURES_PER_EMAIL } from '../../server/modules/auth/rate-limit';
import { ABSOLUTE_TIMEOUT_MS, IDLE_TIMEOUT_MS, createSession, validateSessionToken, setPassword } from '../../server/modules/auth/service';

beforeAll(withDemo);
beforeEach(() => loginLimiter.reset());

describe('sign-in', () => {
  it('sets an httpOnly SameSite=Lax session cookie and answers with the user', async () => {
    const res = await call('/api/auth/login', { method: 'POST', json: { email: 'Learner@Demo.kg ', password: DEMO_PASSWORD } });
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^bilim_session=[a-z2-7]+\.[a-z2-7]+;/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Secure/i); // only in production
    const body = await res.json();
    expect(body).toMatchObject({ email: 'learner@demo.kg', roles: ['learner'], locale: 'ky', service: 'state', adminGroup: 'senior' });
    expect(body.organisation.nameKy).toBe('Бюджеттик саясат башкармалыгы');
  });

  it('stores only a hash of the session secret', async () => {
    const cookie = await signIn('learner@demo.kg');
    const [id, secret] = cookie.split('=')[1]!.split('.');
    const row = getDb().select().from(sessions).where(eq(sessions.id, id!)).get()!;
    expect(row.secretHash).not.toContain(secret!);
    expect(row.secretHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('gives the same generic error for an unknown e-mail and a wrong password', async () => {
    const a = await call('/api/auth/login', { method: 'POST', json: { email: 'nobody@demo.kg', password: 'x' } });
    const b = await call('/api/auth/login', { method: 'POST', json: { email: 'learner@demo.kg', password: 'wrong' } });
    expect(a.status).toBe(401);
    expect(b.status).toBe(401);
    expect(await a.json()).toEqual({ error: { code: 'invalid_credentials' } });
    expect(await b.json()).toEqual({ error: { code: 'invalid_credentials' } });
  });

  it('limits repeated failures for one e-mail, even with the right password afterwards', async () => {
    for (let i = 0; i < MAX_FAILURES_PER_EMAIL; i++) {
      const res = await call('/api/auth/login', { method: 'POST', json: { email: 'hr@demo.kg', password: 'wrong' } });
      expect(res.status).toBe(401);
    }
    const blocked = await call('/api/auth/login', { method: 'POST', json: { email: 'hr@demo.kg', password: DEMO_PASSWORD } });
    expect(blocked.status).toBe(429);
    expect(await blocked.json()).toEqual({ error: { code: 'too_many_attempts' } });
    // another account from elsewhere is not affected
    const other = await call('/api/auth/login', { method: 'POST', json: { email: 'trainer@demo.kg', password: DEMO_PASSWORD } });
    expect(other.status).toBe(200);
  });

  it('refuses a locked account with the same generic error', async () => {
    const db = getDb();
    db.update(users).set({ lockedAt: new Date() }).where(eq(users.email, 'osh@demo.kg')).run();
    const res = await call('/api/auth/login', { method: 'POST', json: { email: 'osh@demo.kg', password: DEMO_PASSWORD } });
    expect(res.status).toBe(401);
    db.update(users).set({ lockedAt: null }).where(eq(users.email, 'osh@demo.kg')).run();
  });

  it('rejects unknown fields and missing fields with the field named', async () => {
    const extra = await call('/api/auth/login', { method: 'POST', json: { email: 'a@b.kg', password: 'x', admin: true } });
    expect(extra.status).toBe(400);
    expect((await extra.json()).error.code).toBe('invalid_input');
    const missing = await call('/api/auth/login', { method: 'POST', json: { email: 'a@b.kg' } });
    expect(await missing.json()).toEqual({ error: { code: 'invalid_input', field: 'password' } });
  });
});

describe('origin check', () => {
  it('refuses unsafe requests from another origin or without one, JSON included', async () => {
    const foreign = await call('/api/auth/login', { method: 'POST', headers: { origin: 'https://evil.example' }, json: { email: 'learner@demo.kg', password: DEMO_PASSWORD } });
    expect(foreign.status).toBe(403);
    expect(await foreign.json()).toEqual({ error: { code: 'origin_mismatch' } });
  });
  it('lets safe methods through without an Origin', async () => {
    const { app } = await import('../../server/app');
    const res = await app.request('http://localhost/api/health');
    expect(res.status).toBe(200);
  });
});

describe('session', () => {
  it('GET /api/me needs a session and answers with roles and hr scope', async () => {
    expect((await call('/api/me')).status).toBe(401);
    const cookie = await signIn('hr@demo.kg');
    const me = await (await call('/api/me', { cookie })).json();
    expect(me.roles.sort()).toEqual(['hr', 'learner']);
    // the ministry and its two sub-units
    expect(me.hrOrganisationIds).toHaveLength(3);
  });

  it('logout ends the session on the server', async () => {
    const cookie = await signIn('learner@demo.kg');
    expect((await call('/api/me', { cookie })).status).toBe(200);
    const out = await call('/api/auth/logout', { method: 'POST', cookie });
    expect(out.status).toBe(200);
    expect(out.headers.get('set-cookie')).toMatch(/bilim_session=;/);
    expect((await call('/api/me', { cookie })).status).toBe(401);
  });

  it('a tampered secret is refused', async () => {
    const cookie = await signIn('learner@demo.kg');
    const tampered = cookie.slice(0, -2) + (cookie.endsWith('aa') ? 'bb' : 'aa');
    expect((await call('/api/me', { cookie: tampered })).status).toBe(401);
  });

  it('expires after idle time and after the absolute lifetime', () => {
    const db = getDb();
    const user = db.select().from(users).where(eq(users.email, 'learner@demo.kg')).get()!;
    const start = new Date('2026-01-01T00:00:00Z');
    const idle = createSession(db, user.id, start);
    expect(validateSessionToken(db, idle.token, new Date(start.getTime() + IDLE_TIMEOUT_MS - 1000))).not.toBeNull();
    expect(validateSessionToken(db, idle.token, new Date(start.getTime() + 2 * IDLE_TIMEOUT_MS))).toBeNull();

    const busy = createSession(db, user.id, start);
    // used every day: never idle, but ends at the absolute limit
    let t = start.getTime();
    while (t + 86_400_000 < start.getTime() + ABSOLUTE_TIMEOUT_MS) {
      t += 86_400_000;
      expect(validateSessionToken(db, busy.token, new Date(t))).not.toBeNull();
    }
    expect(validateSessionToken(db, busy.token, new Date(start.getTime() + ABSOLUTE_TIMEOUT_MS))).toBeNull();
  });

  it('a password change ends every session of the user', async () => {
    const cookie = await signIn('municipal@demo.kg');
    const user = getDb().select().from(users).where(eq(users.email, 'municipal@demo.kg')).get()!;
    await setPassword(getDb(), user.id, 'a-new-password-2026');
    expect((await call('/api/me', { cookie })).status).toBe(401);
    await setPassword(getDb(), user.id, DEMO_PASSWORD);
  });
});
