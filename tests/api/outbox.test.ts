import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asc, eq } from 'drizzle-orm';
import { call, getDb, signIn, withDemo } from '../helpers';
import { courses, users, webhookOutbox } from '@db/schema';
import { importCourseLibrary } from '@server/modules/catalog/service';
import { issueCertificate } from '@server/modules/certificates/service';
import { BACKOFF_CAP_MS, backoffMs, deliverDue } from '@server/modules/outbox/service';

const uploads = mkdtempSync(join(tmpdir(), 'bilim-outbox-uploads-'));
process.env.UPLOADS_DIR = uploads;

const SECRET = 'hr-webhook-secret-Ъ-7f3a9c';

/** A real HTTP receiver on 127.0.0.1 that records each request and answers with the next queued status (200 when none). */
type Received = { headers: IncomingHttpHeaders; body: string; status: number };
const received: Received[] = [];
const statuses: number[] = [];
let server: Server;
let receiverUrl: string;

const idOf = (email: string) => getDb().select().from(users).where(eq(users.email, email)).get()!.id;
// The outbox also holds e-mails (channel email, tests/api/notifications.test.ts): these tests read the webhook's rows.
const events = () => getDb().select().from(webhookOutbox).where(eq(webhookOutbox.channel, 'webhook')).orderBy(asc(webhookOutbox.id)).all();

/** The check a receiver does: HMAC-SHA256 over "<timestamp>.<body>" with the shared secret, compared in constant time. */
function signatureValid(r: Received, secret: string): boolean {
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(`${r.headers['x-bilim-timestamp']}.${r.body}`).digest('hex')}`);
  const got = Buffer.from(String(r.headers['x-bilim-signature'] ?? ''));
  return got.length === expected.length && timingSafeEqual(got, expected);
}

async function setSettings(json: Record<string, unknown>) {
  const admin = await signIn('admin@demo.kg');
  const res = await call('/api/admin/settings', { method: 'PUT', cookie: admin, json });
  expect(res.status).toBe(200);
  const body = await res.text();
  expect(body).not.toContain(SECRET);
}

beforeAll(async () => {
  await withDemo();
  importCourseLibrary(getDb(), 'tests/fixtures/courses');
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const status = statuses.shift() ?? 200;
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), status });
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : 'busy');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/bilim-events`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(uploads, { recursive: true, force: true });
});

describe('webhook outbox', () => {
  let certCode: string;

  it('issuing a certificate writes a completion.created event with the completion in it', () => {
    const course = getDb().select().from(courses).orderBy(asc(courses.id)).get()!;
    const learner = getDb().select().from(users).where(eq(users.email, 'learner@demo.kg')).get()!;
    const cert = issueCertificate(getDb(), { userId: learner.id, courseId: course.id, sourceRef: 'test:outbox:1', completedAt: new Date('2026-03-02T08:00:00Z') });
    certCode = cert.code;
    const [e, ...rest] = events();
    expect(rest).toHaveLength(0);
    expect(e!.type).toBe('completion.created');
    expect(e!.eventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(e!.attempts).toBe(0);
    expect(e!.deliveredAt).toBeNull();
    expect(e!.payload).toEqual({
      certificateNumber: cert.code,
      servant: { id: learner.id, email: 'learner@demo.kg', name: learner.fullName },
      organisationId: learner.organisationId,
      course: { slug: course.slug, titleKy: course.titleKy, titleRu: course.titleRu },
      hours: cert.hours,
      completedOn: '2026-03-02',
    });
    // The same completion again gives the same certificate and no second event.
    issueCertificate(getDb(), { userId: learner.id, courseId: course.id, sourceRef: 'test:outbox:1', completedAt: new Date() });
    expect(events()).toHaveLength(1);
  });

  it('revoking writes completion.revoked; a refused revoke writes nothing', async () => {
    const reviewer = await signIn('reviewer@demo.kg');
    expect((await call(`/api/certificates/${certCode}/revoke`, { method: 'POST', cookie: reviewer, json: { reason: 'Выдан по ошибке' } })).status).toBe(200);
    expect((await call(`/api/certificates/${certCode}/revoke`, { method: 'POST', cookie: reviewer, json: { reason: 'Ещё раз' } })).status).toBe(409);
    const all = events();
    expect(all.map((e) => e.type)).toEqual(['completion.created', 'completion.revoked']);
    expect(all[1]!.payload).toMatchObject({ certificateNumber: certCode, reason: 'Выдан по ошибке', servant: { email: 'learner@demo.kg' } });
  });

  it('an HR review writes outside_training.verified or .rejected', async () => {
    const learner = await signIn('learner@demo.kg');
    const hr = await signIn('hr@demo.kg');
    const ids: number[] = [];
    for (const title of ['Семинар А', 'Семинар Б']) {
      const f = new FormData();
      for (const [k, v] of Object.entries({ kind: 'seminar', term: 'short', funding: 'donor', title, provider: 'ПРООН', hours: '16', startDate: '2025-04-14', endDate: '2025-04-15' })) f.set(k, v);
      const res = await call('/api/records/outside', { method: 'POST', cookie: learner, body: f });
      expect(res.status).toBe(201);
      ids.push((await res.json()).id);
    }
    expect(events()).toHaveLength(2); // adding a record is not an event
    expect((await call(`/api/hr/records/${ids[0]}/review`, { method: 'POST', cookie: hr, json: { status: 'verified' } })).status).toBe(200);
    expect((await call(`/api/hr/records/${ids[1]}/review`, { method: 'POST', cookie: hr, json: { status: 'rejected', reason: 'Нет приказа' } })).status).toBe(200);
    const [, , verified, rejected] = events();
    expect(verified).toMatchObject({ type: 'outside_training.verified', payload: { outsideTrainingId: ids[0], status: 'verified', hours: 16, servant: { id: idOf('learner@demo.kg') } } });
    expect(rejected).toMatchObject({ type: 'outside_training.rejected', payload: { outsideTrainingId: ids[1], reason: 'Нет приказа' } });
  });

  it('delivers nothing while no webhook address is configured; the events wait', async () => {
    const report = await deliverDue(getDb(), { now: new Date() });
    expect(report.skipped).toBe('not_configured');
    expect(received).toHaveLength(0);
    expect(events().every((e) => e.deliveredAt === null && e.attempts === 0)).toBe(true);
  });

  it('once configured, delivers every waiting event, signed, with its id and type, and marks them delivered', async () => {
    await setSettings({ hrWebhookUrl: receiverUrl, hrWebhookSecret: SECRET });
    const now = new Date();
    const report = await deliverDue(getDb(), { now });
    expect(report).toEqual({ delivered: 4, failed: 0, skipped: null });
    expect(received).toHaveLength(4);
    const stored = events();
    received.forEach((r, i) => {
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.headers['x-bilim-event-id']).toBe(stored[i]!.eventId);
      expect(r.headers['x-bilim-event-type']).toBe(stored[i]!.type);
      expect(r.headers['x-bilim-timestamp']).toBe(String(Math.floor(now.getTime() / 1000)));
      expect(signatureValid(r, SECRET)).toBe(true);
      expect(signatureValid(r, 'another-secret')).toBe(false);
      const body = JSON.parse(r.body);
      expect(body).toEqual({ id: stored[i]!.eventId, type: stored[i]!.type, createdAt: stored[i]!.createdAt.toISOString(), data: stored[i]!.payload });
      // The secret signs the body; it is never in it (nor in the headers other than through the HMAC).
      expect(r.body).not.toContain(SECRET);
      expect(JSON.stringify(r.headers)).not.toContain(SECRET);
    });
    expect(stored.every((e) => e.deliveredAt?.getTime() === now.getTime() && e.attempts === 0 && e.lastError === null)).toBe(true);
    expect(JSON.stringify(stored)).not.toContain(SECRET);
    // Delivered events are not sent again.
    expect(await deliverDue(getDb(), { now: new Date(now.getTime() + 60_000) })).toEqual({ delivered: 0, failed: 0, skipped: null });
    expect(received).toHaveLength(4);
  });

  it('a 500 is retried after the back-off with the same event id, and delivered exactly once', async () => {
    received.length = 0;
    statuses.push(500, 200);
    const course = getDb().select().from(courses).orderBy(asc(courses.id)).all()[1]!;
    const t0 = new Date();
    issueCertificate(getDb(), { userId: idOf('learner@demo.kg'), courseId: course.id, sourceRef: 'test:outbox:2', completedAt: t0 }, t0);
    const e = events().at(-1)!;

    expect(await deliverDue(getDb(), { now: t0, random: () => 1 })).toEqual({ delivered: 0, failed: 1, skipped: null });
    let row = events().at(-1)!;
    expect(row.attempts).toBe(1);
    expect(row.lastError).toBe('HTTP 500');
    expect(row.deliveredAt).toBeNull();
    // First retry: 30 s plus (here, the full) 10 % jitter.
    expect(row.nextAttemptAt.getTime()).toBe(t0.getTime() + 33_000);

    // Before the back-off has passed, nothing is sent.
    expect(await deliverDue(getDb(), { now: new Date(t0.getTime() + 20_000) })).toEqual({ delivered: 0, failed: 0, skipped: null });
    expect(received).toHaveLength(1);

    const later = new Date(t0.getTime() + 33_000);
    expect(await deliverDue(getDb(), { now: later })).toEqual({ delivered: 1, failed: 0, skipped: null });
    expect(received.map((r) => r.status)).toEqual([500, 200]);
    expect(received.map((r) => r.headers['x-bilim-event-id'])).toEqual([e.eventId, e.eventId]);
    expect(JSON.parse(received[1]!.body).id).toBe(e.eventId);
    expect(signatureValid(received[1]!, SECRET)).toBe(true);
    row = events().at(-1)!;
    expect(row.deliveredAt?.getTime()).toBe(later.getTime());
    expect(row.attempts).toBe(1);

    await deliverDue(getDb(), { now: new Date(later.getTime() + 24 * 3600_000) });
    expect(received.filter((r) => r.status === 200 && r.headers['x-bilim-event-id'] === e.eventId)).toHaveLength(1);
    expect(received).toHaveLength(2);
  });

  it('a refused connection counts as a failed attempt with the error kept; back-off doubles and is capped at 6 h', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/`;
    await new Promise((resolve) => closed.close(resolve));
    await setSettings({ hrWebhookUrl: deadUrl });

    const course = getDb().select().from(courses).orderBy(asc(courses.id)).all()[2] ?? getDb().select().from(courses).get()!;
    const t0 = new Date();
    issueCertificate(getDb(), { userId: idOf('hr@demo.kg'), courseId: course.id, sourceRef: 'test:outbox:3', completedAt: t0 }, t0);
    expect(await deliverDue(getDb(), { now: t0, random: () => 0 })).toEqual({ delivered: 0, failed: 1, skipped: null });
    let row = events().at(-1)!;
    expect(row.attempts).toBe(1);
    expect(row.lastError).toMatch(/fetch failed|ECONNREFUSED/i);
    expect(row.nextAttemptAt.getTime()).toBe(t0.getTime() + 30_000);
    const t1 = new Date(t0.getTime() + 30_000);
    await deliverDue(getDb(), { now: t1, random: () => 0 });
    row = events().at(-1)!;
    expect(row.attempts).toBe(2);
    expect(row.nextAttemptAt.getTime()).toBe(t1.getTime() + 60_000);

    expect(backoffMs(1, () => 0)).toBe(30_000);
    expect(backoffMs(3, () => 0)).toBe(120_000);
    expect(backoffMs(20, () => 0)).toBe(BACKOFF_CAP_MS);
    expect(backoffMs(20, () => 1)).toBe(6 * 3600_000 + 36 * 60_000);
    expect(backoffMs(1, () => 0.5)).toBeGreaterThan(30_000);
  });
});
