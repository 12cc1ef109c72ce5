import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { app, call, getDb, signIn, withDemo } from '../helpers';
import { auditLog, organisations, users } from '@db/schema';
import { recordAudit } from '@server/modules/audit/service';
import { readSecret } from '@server/modules/settings/service';
import { loginLimiter } from '@server/modules/auth/rate-limit';

beforeAll(withDemo);

const idOf = (email: string) => getDb().select().from(users).where(eq(users.email, email)).get()!.id;

describe('audit log', () => {
  it('is append-only in the database itself', () => {
    const db = getDb();
    recordAudit(db, { actorId: null, action: 'test.entry', details: { n: 1 } });
    expect(() => db.$client.prepare("UPDATE audit_log SET action = 'x'").run()).toThrow(/append-only/);
    expect(() => db.$client.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    expect(() => db.delete(auditLog).run()).toThrow(/append-only/);
    expect(db.select().from(auditLog).where(eq(auditLog.action, 'test.entry')).all()).toHaveLength(1);
  });

  it('records sign-ins and failed sign-ins with the address, never the password', async () => {
    loginLimiter.reset(getDb());
    await call('/api/auth/login', { method: 'POST', json: { email: 'trainer@demo.kg', password: 'wrong-password-x' } });
    await call('/api/auth/login', { method: 'POST', json: { email: 'nobody@demo.kg', password: 'wrong-password-y' } });
    await signIn('trainer@demo.kg');
    const admin = await signIn('admin@demo.kg');
    const res = await (await call('/api/admin/audit?action=auth', { cookie: admin })).json();
    const tid = idOf('trainer@demo.kg');
    const failed = res.entries.filter((e: { action: string }) => e.action === 'auth.login_failed');
    expect(failed.map((e: { details: { reason: string } }) => e.details.reason).sort()).toEqual(['unknown_email', 'wrong_password']);
    expect(failed.find((e: { details: { reason: string } }) => e.details.reason === 'wrong_password').actor.id).toBe(tid);
    const ok = res.entries.find((e: { action: string; actor: { id: number } | null }) => e.action === 'auth.login' && e.actor?.id === tid);
    expect(ok.ip).toBe('203.0.113.9');
    expect(JSON.stringify(res)).not.toContain('wrong-password');
  });

  it('records every administrative action listed in the issue', async () => {
    const admin = await signIn('admin@demo.kg');
    const lid = idOf('learner@demo.kg');
    const person = await (await call(`/api/admin/people/${lid}/roles`, { method: 'POST', cookie: admin, json: { role: 'trainer' } })).json();
    await call(`/api/admin/people/${lid}/roles/${person.grants.find((g: { role: string }) => g.role === 'trainer').id}`, { method: 'DELETE', cookie: admin });
    await call(`/api/admin/people/${lid}/lock`, { method: 'POST', cookie: admin });
    await call(`/api/admin/people/${lid}/unlock`, { method: 'POST', cookie: admin });
    const link = await (await call(`/api/admin/people/${lid}/password-reset`, { method: 'POST', cookie: admin })).json();
    await call('/api/auth/password-reset', { method: 'POST', json: { token: link.url.split('/').pop(), password: 'long-enough-password' } });
    const org = await (await call('/api/admin/organisations', { method: 'POST', cookie: admin, json: { nameKy: 'Сынак', nameRu: 'Тест', kind: 'state_body', service: 'state', region: 'naryn' } })).json();
    await call(`/api/admin/organisations/${org.id}`, { method: 'PATCH', cookie: admin, json: { nameRu: 'Тест 2' } });
    await call(`/api/admin/organisations/${org.id}/close`, { method: 'POST', cookie: admin });
    await call('/api/admin/policy', { method: 'PUT', cookie: admin, json: { periodYears: 3, minHours: 40, dueSoonDays: 60, reminderDays: [60], certificateFormat: 'KG/{YYYY}/{CODE}' } });
    await call('/api/admin/settings', { method: 'PUT', cookie: admin, json: { smtpHost: 'mail.gov.kg' } });

    const all = await (await call('/api/admin/audit', { cookie: admin })).json();
    const actions = new Set(all.entries.map((e: { action: string }) => e.action));
    for (const a of ['role.granted', 'role.revoked', 'user.locked', 'user.unlocked', 'password.reset_link', 'password.reset', 'organisation.created', 'organisation.updated', 'organisation.closed', 'policy.changed', 'settings.changed']) {
      expect(actions, a).toContain(a);
    }
    const grant = all.entries.find((e: { action: string }) => e.action === 'role.granted');
    expect(grant).toMatchObject({ targetType: 'user', targetId: String(lid), details: { role: 'trainer' }, ip: '203.0.113.9', actor: { email: 'admin@demo.kg' } });
    const rename = all.entries.find((e: { action: string }) => e.action === 'organisation.updated');
    expect(rename.details).toEqual({ nameRu: { from: 'Тест', to: 'Тест 2' } });
  });

  it('filters by action, area, actor, target and dates, and exports CSV', async () => {
    const admin = await signIn('admin@demo.kg');
    const aid = idOf('admin@demo.kg');
    const roles = await (await call('/api/admin/audit?action=role', { cookie: admin })).json();
    expect(roles.entries.length).toBeGreaterThanOrEqual(2);
    expect(roles.entries.every((e: { action: string }) => e.action.startsWith('role.'))).toBe(true);
    const mine = await (await call(`/api/admin/audit?actorId=${aid}&targetType=organisation`, { cookie: admin })).json();
    expect(mine.entries.length).toBe(3);
    const future = await (await call('/api/admin/audit?from=2999-01-01', { cookie: admin })).json();
    expect(future.total).toBe(0);
    const today = new Date().toISOString().slice(0, 10);
    const todays = await (await call(`/api/admin/audit?from=${today}&to=${today}`, { cookie: admin })).json();
    expect(todays.total).toBeGreaterThan(10);
    expect((await call('/api/admin/audit?from=yesterday', { cookie: admin })).status).toBe(400);

    const csv = await call('/api/admin/audit/export?action=role', { cookie: admin });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    const text = await csv.text();
    const lines = text.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('id,at_utc,actor_id,actor_email,action,target_type,target_id,details,ip');
    expect(lines.length).toBe(roles.total + 1);
    expect(lines[1]).toContain('admin@demo.kg');
    expect((await call('/api/admin/audit/export', { cookie: await signIn('hr@demo.kg') })).status).toBe(403);
  });

  it('offers no route that edits or deletes an entry', () => {
    const auditRoutes = app.routes.filter((r) => r.path.includes('/audit'));
    expect(auditRoutes.length).toBeGreaterThan(0);
    expect(auditRoutes.every((r) => r.method === 'GET')).toBe(true);
  });
});

describe('settings', () => {
  const SMTP_SECRET = 'smtp-s3cret-value-Zq9';
  const HOOK_SECRET = 'webhook-s3cret-value-Xk4';

  it('stores secrets but no page of the API ever returns them', async () => {
    const admin = await signIn('admin@demo.kg');
    const put = await call('/api/admin/settings', {
      method: 'PUT',
      cookie: admin,
      json: { smtpHost: 'smtp.gov.kg', smtpPort: '587', smtpPassword: SMTP_SECRET, hrWebhookUrl: 'https://ekyzmat.gov.kg/hook', hrWebhookSecret: HOOK_SECRET, platformNameKy: 'Билим KG' },
    });
    expect(put.status).toBe(200);
    const body = await put.json();
    expect(body).toMatchObject({ smtpHost: 'smtp.gov.kg', smtpPassword: { set: true }, hrWebhookSecret: { set: true }, platformNameKy: 'Билим KG' });
    expect(readSecret(getDb(), 'smtpPassword')).toBe(SMTP_SECRET);

    // every GET route the app serves, with ids filled in, as an administrator
    const orgId = getDb().select().from(organisations).get()!.id;
    const seen: string[] = [];
    for (const r of app.routes.filter((r) => r.method === 'GET')) {
      const path = r.path.replace(':id', String(idOf('admin@demo.kg'))).replace(':slug', 'x').replace(':orgId', String(orgId));
      const res = await call(path, { cookie: admin });
      const text = await res.text();
      seen.push(path);
      expect(text, path).not.toContain(SMTP_SECRET);
      expect(text, path).not.toContain(HOOK_SECRET);
    }
    expect(seen).toContain('/api/admin/settings');
    expect(seen).toContain('/api/admin/audit/export');
    // and the audit entry names the keys changed, not the secret values
    const audit = await (await call('/api/admin/audit?action=settings.changed', { cookie: admin })).json();
    expect(audit.entries[0].details.keys).toContain('smtpPassword');
    // it calls every GET route the app serves (over a hundred): more than the default 5 s on a busy machine
  }, 60_000);

  it('keeps a secret when the field is left out, and removes it with null', async () => {
    const admin = await signIn('admin@demo.kg');
    const keep = await (await call('/api/admin/settings', { method: 'PUT', cookie: admin, json: { smtpHost: 'smtp2.gov.kg' } })).json();
    expect(keep.smtpPassword).toEqual({ set: true });
    const cleared = await (await call('/api/admin/settings', { method: 'PUT', cookie: admin, json: { smtpPassword: null, platformNameKy: '' } })).json();
    expect(cleared.smtpPassword).toEqual({ set: false });
    expect(cleared.platformNameKy).toBeNull();
    expect(readSecret(getDb(), 'smtpPassword')).toBeNull();
  });

  it('validates addresses and is for administrators only', async () => {
    const admin = await signIn('admin@demo.kg');
    for (const [json, field] of [
      [{ hrWebhookUrl: 'ftp://x' }, 'hrWebhookUrl'],
      [{ smtpPort: '70000' }, 'smtpPort'],
      [{ contactEmail: 'not-an-email' }, 'contactEmail'],
      [{ unknownKey: 'x' }, undefined],
    ] as const) {
      const res = await call('/api/admin/settings', { method: 'PUT', cookie: admin, json });
      expect(res.status).toBe(400);
      if (field) expect((await res.json()).error.field).toBe(field);
    }
    expect((await call('/api/admin/settings', { cookie: await signIn('reviewer@demo.kg') })).status).toBe(403);
  });
});
