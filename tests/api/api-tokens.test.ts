/** API tokens for integrations: issued by administrators, shown once, stored hashed, scoped, expiring, revocable, every use audited. */
import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { call, getDb, signIn, withDemo } from '../helpers';
import { apiTokens, auditLog, courses, users } from '@db/schema';
import { importCourseLibrary } from '@server/modules/catalog/service';
import { issueCertificate } from '@server/modules/certificates/service';
import { issueToken } from '@server/modules/auth/tokens';

const db = () => getDb();
const person = (email: string) => db().select().from(users).where(eq(users.email, email)).get()!;
const EXPORT = '/api/hr/export/completions';
const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

beforeAll(async () => {
  await withDemo();
  importCourseLibrary(db(), 'tests/fixtures/courses');
  const course = db().select().from(courses).where(eq(courses.slug, 'ru-digital')).get()!;
  issueCertificate(db(), { userId: person('learner@demo.kg').id, courseId: course.id, sourceRef: 'tok:1', completedAt: new Date('2026-03-01T10:00:00Z') });
  issueCertificate(db(), { userId: person('osh@demo.kg').id, courseId: course.id, sourceRef: 'tok:2', completedAt: new Date('2026-03-01T10:00:00Z') });
});

async function issue(body: unknown) {
  const admin = await signIn('admin@demo.kg');
  const res = await call('/api/admin/tokens', { method: 'POST', cookie: admin, json: body });
  return { res, body: (await res.json()) as { token: string; apiToken: { id: string; state: string; expiresAt: string } } };
}

describe('API tokens', () => {
  it('only an administrator issues, lists and revokes them', async () => {
    expect((await call('/api/admin/tokens', { method: 'POST', json: { name: 'x', scopes: ['export:read'] } })).status).toBe(401);
    const hr = await signIn('hr@demo.kg');
    expect((await call('/api/admin/tokens', { method: 'POST', cookie: hr, json: { name: 'x', scopes: ['export:read'] } })).status).toBe(403);
    expect((await call('/api/admin/tokens', { cookie: hr })).status).toBe(403);
    expect((await call('/api/admin/tokens/abcdefghij234567', { method: 'DELETE', cookie: hr })).status).toBe(403);
  });

  it('the token is shown once, stored only as a hash, and reads the export with Authorization: Bearer — no cookie', async () => {
    const { res, body } = await issue({ name: 'e-Kyzmat', scopes: ['export:read'], expiresInDays: 30 });
    expect(res.status).toBe(201);
    expect(body.token).toMatch(/^bilim_[a-z2-7]{16}_[a-z2-7]{52}$/);
    expect(body.apiToken).toMatchObject({ name: 'e-Kyzmat', scopes: ['export:read'], organisation: null, state: 'active', lastUsedAt: null });
    const row = db().select().from(apiTokens).where(eq(apiTokens.id, body.apiToken.id)).get()!;
    const secret = body.token.split('_')[2]!;
    expect(JSON.stringify(row)).not.toContain(secret);
    expect(row.secretHash).toMatch(/^[0-9a-f]{64}$/);
    const list = await (await call('/api/admin/tokens', { cookie: await signIn('admin@demo.kg') })).text();
    expect(list).toContain('e-Kyzmat');
    expect(list).not.toContain(secret);

    const out = await call(`${EXPORT}?format=json`, bearer(body.token));
    expect(out.status).toBe(200);
    const data = (await out.json()) as { rows: { email: string }[] };
    // no organisation: every servant
    expect(data.rows.map((r) => r.email).sort()).toEqual(['learner@demo.kg', 'osh@demo.kg']);
    // each use: last use set and an audit entry
    const used = db().select().from(apiTokens).where(eq(apiTokens.id, body.apiToken.id)).get()!;
    expect(used.lastUsedAt).not.toBeNull();
    const audit = db().select().from(auditLog).where(eq(auditLog.action, 'token.used')).all();
    expect(audit.at(-1)).toMatchObject({ actorId: null, targetType: 'api_token', targetId: body.apiToken.id, details: { scope: 'export:read', path: EXPORT } });
    const exp = db().select().from(auditLog).where(eq(auditLog.action, 'hr.export')).all().at(-1)!;
    expect(exp.details).toMatchObject({ token: body.apiToken.id });
    // CSV too
    const csv = await call(`${EXPORT}?format=csv-semicolon`, bearer(body.token));
    expect(csv.status).toBe(200);
    expect(csv.headers.get('x-next-since')).toMatch(/^\d+$/);
  });

  it('a token limited to an organisation reads only its subtree', async () => {
    const osh = person('osh@demo.kg').organisationId!;
    const { body } = await issue({ name: 'Ош', scopes: ['export:read'], organisationId: osh });
    const data = (await (await call(`${EXPORT}`, bearer(body.token))).json()) as { rows: { email: string }[] };
    expect(data.rows.map((r) => r.email)).toEqual(['osh@demo.kg']);
    const missing = await issue({ name: 'none', scopes: ['export:read'], organisationId: 999999 });
    expect(missing.res.status).toBe(404);
  });

  it('wrong, malformed, revoked, expired or out-of-scope tokens are refused; a token is no session', async () => {
    const { body } = await issue({ name: 'short', scopes: ['export:read'] });
    const wrong = body.token.slice(0, -4) + 'aaaa';
    for (const h of [`Bearer ${wrong}`, 'Bearer nonsense', 'Basic abc', 'Bearer']) {
      const res = await call(EXPORT, { headers: { authorization: h } });
      expect(res.status, h).toBe(401);
      expect(await res.json()).toEqual({ error: { code: 'invalid_token' } });
    }
    // a token never opens a route that needs a person
    expect((await call('/api/hr/staff', bearer(body.token))).status).toBe(401);
    expect((await call('/api/admin/tokens', bearer(body.token))).status).toBe(401);
    // revoked: refused at once; revoking twice is a 409
    const admin = await signIn('admin@demo.kg');
    expect((await call(`/api/admin/tokens/${body.apiToken.id}`, { method: 'DELETE', cookie: admin })).status).toBe(200);
    expect((await call(EXPORT, bearer(body.token))).status).toBe(401);
    expect((await call(`/api/admin/tokens/${body.apiToken.id}`, { method: 'DELETE', cookie: admin })).status).toBe(409);
    expect((await call('/api/admin/tokens/abcdefghij234567', { method: 'DELETE', cookie: admin })).status).toBe(404);
    // expired
    const old = issueToken(db(), { id: person('admin@demo.kg').id }, { name: 'old', scopes: ['export:read'], expiresInDays: 1 }, new Date(Date.now() - 2 * 86_400_000));
    expect((await call(EXPORT, bearer(old.token))).status).toBe(401);
    const listed = (await (await call('/api/admin/tokens', { cookie: admin })).json()) as { tokens: { id: string; state: string }[] };
    expect(listed.tokens.find((t) => t.id === old.view.id)!.state).toBe('expired');
    expect(listed.tokens.find((t) => t.id === body.apiToken.id)!.state).toBe('revoked');
    // a token without the scope: 403
    const other = issueToken(db(), { id: person('admin@demo.kg').id }, { name: 'other', scopes: ['export:read'], expiresInDays: 5 });
    db().update(apiTokens).set({ scopes: ['reports:read'] }).where(eq(apiTokens.id, other.view.id)).run();
    const res = await call(EXPORT, bearer(other.token));
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: { code: 'insufficient_scope' } });
    // bad input
    for (const [json, field] of [[{ name: '', scopes: ['export:read'] }, 'name'], [{ name: 'x', scopes: [] }, 'scopes'], [{ name: 'x', scopes: ['admin'] }, 'scopes.0'], [{ name: 'x', scopes: ['export:read'], expiresInDays: 9999 }, 'expiresInDays']] as const) {
      const r = await call('/api/admin/tokens', { method: 'POST', cookie: admin, json });
      expect(r.status).toBe(400);
      expect(((await r.json()) as { error: { field: string } }).error.field).toBe(field);
    }
    // issue and revoke are audited with the administrator
    const actions = db().select().from(auditLog).all().map((e) => e.action);
    expect(actions).toContain('token.issued');
    expect(actions).toContain('token.revoked');
  });

  it('the OpenAPI document declares the schemes and the export accepts either', async () => {
    const doc = await (await call('/api/openapi.json')).json();
    expect(doc.components.securitySchemes).toMatchObject({ sessionCookie: { type: 'apiKey', in: 'cookie', name: 'bilim_session' }, bearerToken: { type: 'http', scheme: 'bearer' } });
    expect(doc.paths['/api/hr/export/completions'].get.security).toEqual([{ sessionCookie: [] }, { bearerToken: [] }]);
    expect(doc.paths['/api/hr/export/completions'].get.responses[200].headers['X-Next-Since']).toBeTruthy();
    expect(doc.paths['/api/admin/tokens'].post.operationId).toBe('issueApiToken');
  });
});
