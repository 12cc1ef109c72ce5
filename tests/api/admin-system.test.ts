/**
 * The system page's data (GET /api/admin/system): administrators only; version and uptime; database
 * and write-ahead log sizes of the real file; the newest backup; outbox queue lengths per channel
 * and state that follow retry and cancel. /api/health stays a trivial liveness answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { connectionOf, openDatabase } from '@db/client';
import { backupDatabase } from '@db/backup';
import { users, webhookOutbox } from '@db/schema';
import { enqueue, enqueueMail } from '@server/modules/outbox/service';
import { systemStatus } from '@server/modules/system/service';
import { call, getDb, signIn, withDemo } from '../helpers';

const dir = mkdtempSync(join(tmpdir(), 'bilim-system-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(async () => {
  await withDemo();
});

describe('GET /api/admin/system', () => {
  it('is for administrators only', async () => {
    expect((await call('/api/admin/system')).status).toBe(401);
    for (const email of ['learner@demo.kg', 'hr@demo.kg', 'reviewer@demo.kg', 'trainer@demo.kg']) {
      const res = await call('/api/admin/system', { cookie: await signIn(email) });
      expect(res.status, email).toBe(403);
      expect(await res.json()).toEqual({ error: { code: 'forbidden' } });
    }
  });

  it('gives version, uptime and queue lengths that follow the outbox', async () => {
    const admin = await signIn('admin@demo.kg');
    const get = async () => {
      const res = await call('/api/admin/system', { cookie: admin });
      expect(res.status).toBe(200);
      return (await res.json()) as any;
    };
    const before = await get();
    expect(before.version).toBe('0.1.0');
    expect(before.node).toBe(process.version);
    expect(before.uptimeSeconds).toBeGreaterThanOrEqual(0);
    expect(Date.parse(before.startedAt)).toBeLessThanOrEqual(Date.now());
    expect(before.database.file).toBeNull(); // the tests' in-memory database
    expect(before.database.bytes).toBe(before.database.pageCount * before.database.pageSize);

    const db = getDb();
    const event = enqueue(db, 'completion.created', { certificate: 'x' });
    const failing = enqueue(db, 'completion.created', { certificate: 'y' });
    db.update(webhookOutbox).set({ attempts: 2, lastError: 'HTTP 503' }).where(eq(webhookOutbox.id, failing.id)).run();
    const learner = db.select().from(users).where(eq(users.email, 'learner@demo.kg')).get()!;
    enqueueMail(db, { to: 'learner@demo.kg', subject: 'Эскертүү', text: 'Курс', userId: learner.id, kind: 'reminder' }, null);
    const mail = db.select().from(webhookOutbox).where(eq(webhookOutbox.channel, 'email')).all().at(-1)!;
    db.update(webhookOutbox).set({ deliveredAt: new Date() }).where(eq(webhookOutbox.id, mail.id)).run();

    const after = await get();
    const delta = (ch: string, st: string) => after.queues[ch][st] - before.queues[ch][st];
    expect(delta('webhook', 'pending')).toBe(1);
    expect(delta('webhook', 'failed')).toBe(1);
    expect(delta('email', 'delivered')).toBe(1);

    // cancel through the API: one fewer pending, one more cancelled; retry brings it back
    expect((await call(`/api/admin/outbox/${event.id}/cancel`, { method: 'POST', cookie: admin })).status).toBe(200);
    const cancelled = await get();
    expect(cancelled.queues.webhook.pending).toBe(after.queues.webhook.pending - 1);
    expect(cancelled.queues.webhook.cancelled).toBe(after.queues.webhook.cancelled + 1);
    expect((await call(`/api/admin/outbox/${event.id}/retry`, { method: 'POST', cookie: admin })).status).toBe(200);
    expect((await get()).queues.webhook).toEqual(after.queues.webhook);
  });

  it('reports the file database, its write-ahead log and the newest backup', async () => {
    const file = join(dir, 'sys.sqlite');
    const db = openDatabase(file);
    const backups = join(dir, 'backups');
    try {
      expect(systemStatus(db, { backupDir: backups }).lastBackup).toBeNull();
      // writes that stay in the WAL while this connection holds it open
      connectionOf(db).pragma('wal_autocheckpoint = 0');
      for (let i = 0; i < 50; i++) enqueue(db, 'completion.created', { certificate: `c${i}`, pad: 'x'.repeat(2000) });
      const s = systemStatus(db, { backupDir: backups });
      expect(s.database.file).toBe(file);
      expect(s.database.bytes).toBeGreaterThan(0);
      expect(s.database.walBytes).toBeGreaterThan(50 * 2000);
      expect(s.queues.webhook.pending).toBe(50);

      const first = backupDatabase(file, { dir: backups, now: new Date('2026-03-01T02:00:00.000Z') });
      const second = backupDatabase(file, { dir: backups, now: new Date('2026-03-02T02:00:00.000Z') });
      const withBackup = systemStatus(db, { backupDir: backups });
      expect(withBackup.lastBackup).toEqual({ file: second.file.split('/').pop(), at: new Date('2026-03-02T02:00:00.000Z'), bytes: second.bytes });
      expect(first.file).not.toBe(second.file);
      // a checkpoint empties the log, and the page shows it
      connectionOf(db).pragma('wal_checkpoint(TRUNCATE)');
      expect(systemStatus(db, { backupDir: backups }).database.walBytes).toBe(0);
    } finally {
      connectionOf(db).close();
    }
  });

  it('leaves /api/health trivial: ok, nothing else, for anyone', async () => {
    const res = await call('/api/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });
});
