import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '@db/client';
import { call, getDb, signIn, withDemo, DEMO_PASSWORD } from '../helpers';
import { auditLog, sessions, users } from '@db/schema';
import { LOGIN_WINDOW_MS, loginLimiter, MAX_FAILURES_PER_EMAIL, MAX_FAILURES_PER_IP } from '@server/modules/auth/rate-limit';
import { IDLE_TIMEOUT_MS, createSession, deleteExpiredSessions, login, validateSessionToken, setPassword } from '@server/modules/auth/service';
import { ABSOLUTE_TIMEOUT_MS } from '@server/lib/session';
import { createPasswordReset } from '@server/modules/people/service';

beforeAll(withDemo);
beforeEach(() => loginLimiter.reset(getDb()));

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
    const { app } = await import('@server/app');
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

// ---- brute force and session lifetime, over HTTP (issue #9) ----

/** A sign-in from a given client address (the host passes it to the app as env.ip). */
async function loginFrom(ip: string, email: string, password: string): Promise<number> {
  const { app } = await import('@server/app');
  const res = await app.request(
    'http://localhost/api/auth/login',
    { method: 'POST', headers: { origin: 'http://localhost', host: 'localhost', 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) },
    { ip },
  );
  return res.status;
}

describe('login throttling', () => {
  it('per address: over MAX_FAILURES_PER_IP, an account without recent failures still gets its first try (NAT, proxy); one that failed waits', async () => {
    const db = getDb();
    // All but the last failure recorded directly (each HTTP failure costs an argon2 verification).
    for (let i = 0; i < MAX_FAILURES_PER_IP - 1; i++) loginLimiter.reserve(db, `nobody${i}@demo.kg`, '198.51.100.7', Date.now());
    expect(await loginFrom('198.51.100.7', 'nobody-a@demo.kg', 'wrong')).toBe(401);
    // the address is over its limit: a colleague behind the same NAT with the right password gets in
    expect(await loginFrom('198.51.100.7', 'trainer@demo.kg', DEMO_PASSWORD)).toBe(200);
    // an account's first try from there is checked (a wrong one fails as usual)…
    expect(await loginFrom('198.51.100.7', 'learner@demo.kg', 'wrong')).toBe(401);
    // …but after a failure, that account waits while the address is over its limit, even with the right password
    expect(await loginFrom('198.51.100.7', 'learner@demo.kg', DEMO_PASSWORD)).toBe(429);
    // from another address it is one failure of five
    expect(await loginFrom('198.51.100.8', 'learner@demo.kg', DEMO_PASSWORD)).toBe(200);
  }, 30_000);

  it('200 simultaneous wrong guesses for one e-mail: at most 5 passwords are checked (reserve, then verify)', async () => {
    const db = getDb();
    const checked = () => db.select().from(auditLog).where(eq(auditLog.action, 'auth.login_failed')).all().filter((a) => (a.details as { email?: string }).email === 'academy-demo-01@demo.kg').length;
    const before = checked();
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => login(db, { email: 'academy-demo-01@demo.kg', password: `guess-${i}`, ip: `192.0.2.${i % 250}` }).then(() => 'ok', (e) => e.code as string)),
    );
    expect(results.filter((r) => r === 'invalid_credentials')).toHaveLength(MAX_FAILURES_PER_EMAIL);
    expect(results.filter((r) => r === 'too_many_attempts')).toHaveLength(200 - MAX_FAILURES_PER_EMAIL);
    // every checked password leaves one audit entry: exactly five argon2 verifications ran
    expect(checked() - before).toBe(MAX_FAILURES_PER_EMAIL);
  }, 60_000);

  it('per account: the count is per e-mail whatever the address, and as typed in any case or spacing', async () => {
    const ips = ['192.0.2.1', '192.0.2.2', '192.0.2.3', '192.0.2.4', '192.0.2.5'];
    const spellings = ['reviewer@demo.kg', 'Reviewer@Demo.kg', ' reviewer@demo.kg', 'REVIEWER@DEMO.KG', 'reviewer@demo.kg '];
    for (let i = 0; i < MAX_FAILURES_PER_EMAIL; i++) expect(await loginFrom(ips[i]!, spellings[i]!, 'wrong')).toBe(401);
    expect(await loginFrom('192.0.2.99', 'reviewer@demo.kg', DEMO_PASSWORD)).toBe(429);
  }, 30_000);

  it('a throttled right password keeps failing until the window has passed, then works and clears the count', async () => {
    const db = getDb();
    const t0 = new Date('2026-06-01T08:00:00Z');
    const at = (ms: number) => new Date(t0.getTime() + ms);
    const attempt = (password: string, when: Date) =>
      login(db, { email: 'admin@demo.kg', password, ip: '203.0.113.50' }, when).then(() => 'ok', (e) => e.code as string);
    for (let i = 0; i < MAX_FAILURES_PER_EMAIL; i++) expect(await attempt('wrong', at(i * 1000))).toBe('invalid_credentials');
    expect(await attempt(DEMO_PASSWORD, at(60_000))).toBe('too_many_attempts');
    expect(await attempt(DEMO_PASSWORD, at(LOGIN_WINDOW_MS - 1000))).toBe('too_many_attempts');
    // sliding: the first failure leaves the window first
    expect(await attempt(DEMO_PASSWORD, at(LOGIN_WINDOW_MS + 4 * 1000 + 1))).toBe('ok');
    expect(await attempt('wrong', at(LOGIN_WINDOW_MS + 10_000))).toBe('invalid_credentials');
    expect(await attempt(DEMO_PASSWORD, at(LOGIN_WINDOW_MS + 11_000))).toBe('ok'); // one failure since the success: not throttled
  }, 30_000);

  it('counts the same attempts on every connection to the database (every serving process)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bilim-limiter-'));
    const [a, b] = [openDatabase(join(dir, 'l.sqlite')), openDatabase(join(dir, 'l.sqlite'))];
    try {
      const t = Date.now();
      const made = [];
      for (let i = 0; i < MAX_FAILURES_PER_EMAIL + 3; i++) made.push(loginLimiter.reserve(i % 2 ? a : b, 'target@example.kg', `10.1.0.${i}`, t + i));
      expect(made.filter(Boolean)).toHaveLength(MAX_FAILURES_PER_EMAIL);
      expect(loginLimiter.reserve(a, 'target@example.kg', '10.1.1.1', t + 10)).toBeNull();
      expect(loginLimiter.reserve(b, 'target@example.kg', '10.1.1.1', t + 10)).toBeNull();
      loginLimiter.succeed(a, made[0]!);
      expect(loginLimiter.reserve(b, 'target@example.kg', '10.1.1.1', t + 20)).not.toBeNull();
    } finally {
      a.$client.close();
      b.$client.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps only the last window: older attempts go as new ones come', () => {
    const db = getDb();
    const t = Date.parse('2026-06-02T00:00:00Z');
    for (let i = 0; i < 1_000; i++) loginLimiter.reserve(db, `spray${i}@example.kg`, '10.0.0.1', t + i);
    expect(loginLimiter.size(db)).toBe(2_000); // one row per e-mail and one per address for each attempt
    expect(loginLimiter.reserve(db, 'spray3@example.kg', '10.0.0.2', t + 2_000)).not.toBeNull(); // two attempts of five
    expect(loginLimiter.reserve(db, 'spray4@example.kg', '10.0.0.1', t + 2_000)).toBeNull(); // failed before, and the address is over its limit
    expect(loginLimiter.reserve(db, 'fresh@example.kg', '10.0.0.1', t + 2_000)).not.toBeNull(); // a first try
    // After the window the next attempt sweeps every expired row.
    loginLimiter.reserve(db, 'late@example.kg', '10.0.0.3', t + LOGIN_WINDOW_MS + 5_000);
    expect(loginLimiter.size(db)).toBe(2);
  });
});

describe('session lifetime over HTTP', () => {
  const sessionId = (cookie: string) => cookie.split('=')[1]!.split('.')[0]!;
  const setTimes = (cookie: string, times: { createdAt?: Date; lastVerifiedAt?: Date }) =>
    getDb().update(sessions).set(times).where(eq(sessions.id, sessionId(cookie))).run();
  const rowOf = (cookie: string) => getDb().select().from(sessions).where(eq(sessions.id, sessionId(cookie))).get();

  it('idle for 3 days: refused and deleted; idle a little less: accepted and its last use moves on', async () => {
    const idle = await signIn('trainer@demo.kg');
    setTimes(idle, { lastVerifiedAt: new Date(Date.now() - IDLE_TIMEOUT_MS - 1000) });
    expect((await call('/api/me', { cookie: idle })).status).toBe(401);
    expect(rowOf(idle)).toBeUndefined();

    const recent = await signIn('trainer@demo.kg');
    const almost = new Date(Date.now() - IDLE_TIMEOUT_MS + 60_000);
    setTimes(recent, { lastVerifiedAt: almost });
    expect((await call('/api/me', { cookie: recent })).status).toBe(200);
    expect(rowOf(recent)!.lastVerifiedAt.getTime()).toBeGreaterThan(Date.now() - 60_000);
  });

  it('30 days after sign-in: refused even when used a minute ago', async () => {
    const cookie = await signIn('trainer@demo.kg');
    setTimes(cookie, { createdAt: new Date(Date.now() - ABSOLUTE_TIMEOUT_MS), lastVerifiedAt: new Date(Date.now() - 60_000) });
    expect((await call('/api/me', { cookie })).status).toBe(401);
    expect(rowOf(cookie)).toBeUndefined();
  });

  it('logout ends only the session it is sent with (API.md: "ends the session"), and a second logout is 401', async () => {
    const phone = await signIn('trainer@demo.kg');
    const laptop = await signIn('trainer@demo.kg');
    expect((await call('/api/auth/logout', { method: 'POST', cookie: phone })).status).toBe(200);
    expect((await call('/api/me', { cookie: phone })).status).toBe(401);
    expect((await call('/api/me', { cookie: laptop })).status).toBe(200);
    expect((await call('/api/auth/logout', { method: 'POST', cookie: phone })).status).toBe(401);
  });

  it('a password set with a reset link ends every session of that person, and only theirs; the old password stops working', async () => {
    const db = getDb();
    const person = db.select().from(users).where(eq(users.email, 'municipal@demo.kg')).get()!;
    const admin = db.select().from(users).where(eq(users.email, 'admin@demo.kg')).get()!;
    const a = await signIn('municipal@demo.kg');
    const b = await signIn('municipal@demo.kg');
    const bystander = await signIn('trainer@demo.kg');
    const { token } = createPasswordReset(db, { id: admin.id }, person.id);
    const res = await call('/api/auth/password-reset', { method: 'POST', json: { token, password: 'a-brand-new-password-26' } });
    expect(res.status).toBe(200);
    for (const cookie of [a, b]) expect((await call('/api/me', { cookie })).status).toBe(401);
    expect(db.select().from(sessions).where(eq(sessions.userId, person.id)).all()).toEqual([]);
    expect((await call('/api/me', { cookie: bystander })).status).toBe(200);
    loginLimiter.reset(getDb());
    expect((await call('/api/auth/login', { method: 'POST', json: { email: 'municipal@demo.kg', password: DEMO_PASSWORD } })).status).toBe(401);
    await signIn('municipal@demo.kg', 'a-brand-new-password-26');
    // the link is single-use
    expect((await call('/api/auth/password-reset', { method: 'POST', json: { token, password: 'yet-another-password' } })).status).toBe(404);
    await setPassword(db, person.id, DEMO_PASSWORD);
  }, 30_000);

  it('abandoned expired sessions are swept: idle ones and those past the absolute limit, nothing else', () => {
    const db = getDb();
    const user = db.select().from(users).where(eq(users.email, 'trainer@demo.kg')).get()!;
    const now = new Date('2027-01-10T00:00:00Z');
    const idle = createSession(db, user.id, new Date(now.getTime() - IDLE_TIMEOUT_MS - 1)).session.id;
    const old = createSession(db, user.id, new Date(now.getTime() - ABSOLUTE_TIMEOUT_MS - 1)).session.id;
    db.update(sessions).set({ lastVerifiedAt: new Date(now.getTime() - 60_000) }).where(eq(sessions.id, old)).run();
    const live = createSession(db, user.id, new Date(now.getTime() - 60_000)).session.id;
    deleteExpiredSessions(db, now);
    const left = new Set(db.select({ id: sessions.id }).from(sessions).all().map((r) => r.id));
    expect([left.has(idle), left.has(old), left.has(live)]).toEqual([false, false, true]);
  });

  it('locking an account ends its sessions at once', async () => {
    const cookie = await signIn('osh@demo.kg');
    const admin = await signIn('admin@demo.kg');
    const osh = getDb().select().from(users).where(eq(users.email, 'osh@demo.kg')).get()!;
    expect((await call(`/api/admin/people/${osh.id}/lock`, { method: 'POST', cookie: admin })).status).toBe(200);
    expect((await call('/api/me', { cookie })).status).toBe(401);
    expect((await call(`/api/admin/people/${osh.id}/unlock`, { method: 'POST', cookie: admin })).status).toBe(200);
  });
});
