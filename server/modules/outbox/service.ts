import { and, asc, count, desc, eq, isNotNull, isNull, lte, sql, type SQL } from 'drizzle-orm';
import { createHmac, randomUUID } from 'node:crypto';
import type { DB } from '@db/client';
import { webhookOutbox, type MailPayload, type OutboxChannel, type OutboxEventType } from '@db/schema';
import { AppError } from '@server/lib/errors';
import { openMailer } from './mail';
import { recordAudit } from '../audit/service';
import { getSettings, readSecret } from '../settings/service';

export type OutboxEvent = typeof webhookOutbox.$inferSelect;

/** The first retry waits 30 s, each next one twice as long, never more than 6 h (plus up to 10 % jitter). */
export const BACKOFF_BASE_MS = 30_000;
export const BACKOFF_CAP_MS = 6 * 60 * 60 * 1000;
export const DELIVERY_TIMEOUT_MS = 10_000;
const BATCH = 100;

/**
 * Writes an event for the HR information system. Call it inside the transaction that makes the
 * change, so the change and its event are saved together or not at all. Always written, even while
 * no webhook address is configured: the events wait and are delivered once one is set.
 */
export function enqueue(db: DB | DB, type: OutboxEventType, payload: Record<string, unknown>, now = new Date()): OutboxEvent {
  return db
    .insert(webhookOutbox)
    .values({ eventId: randomUUID(), type, payload, createdAt: now, attempts: 0, nextAttemptAt: now })
    .returning()
    .get();
}

/** The wait before the next try after `failures` failed deliveries (1 = the first failure). */
export function backoffMs(failures: number, random: () => number = Math.random): number {
  const base = Math.min(BACKOFF_BASE_MS * 2 ** Math.max(0, failures - 1), BACKOFF_CAP_MS);
  return Math.round(base * (1 + 0.1 * random()));
}

/** `sha256=<hex>` of HMAC-SHA256 over `<timestamp>.<body>` — what the receiver recomputes to check a delivery. */
export function signature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** The JSON body sent for an event. */
export function eventBody(e: OutboxEvent): string {
  return JSON.stringify({ id: e.eventId, type: e.type, createdAt: e.createdAt.toISOString(), data: e.payload });
}

export type DeliveryReport = { delivered: number; failed: number; skipped: 'not_configured' | null };

/**
 * Sends every due, undelivered event (oldest first) to the configured webhook address, signed with
 * the configured secret. A 2xx answer marks the event delivered; anything else — another status, a
 * network error, no answer within 10 s — counts a failed attempt and schedules the next one with
 * exponential back-off. Delivery is at-least-once: an event is marked only after a 2xx, so the
 * receiver must de-duplicate by X-Bilim-Event-Id (the same on every retry).
 */
export async function deliverDue(
  db: DB,
  opts: { now?: Date; fetchImpl?: typeof fetch; random?: () => number; timeoutMs?: number } = {},
): Promise<DeliveryReport> {
  const now = opts.now ?? new Date();
  const fetchImpl = opts.fetchImpl ?? globalThis.fetch;
  const url = getSettings(db).hrWebhookUrl;
  if (!url) return { delivered: 0, failed: 0, skipped: 'not_configured' };
  const secret = readSecret(db, 'hrWebhookSecret');
  const due = db
    .select()
    .from(webhookOutbox)
    .where(and(eq(webhookOutbox.channel, 'webhook'), isNull(webhookOutbox.deliveredAt), isNull(webhookOutbox.cancelledAt), lte(webhookOutbox.nextAttemptAt, now)))
    .orderBy(asc(webhookOutbox.nextAttemptAt), asc(webhookOutbox.id))
    .limit(BATCH)
    .all();
  const report: DeliveryReport = { delivered: 0, failed: 0, skipped: null };
  for (const e of due) {
    const body = eventBody(e);
    const timestamp = String(Math.floor(now.getTime() / 1000));
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'x-bilim-event-id': e.eventId,
      'x-bilim-event-type': e.type,
      'x-bilim-timestamp': timestamp,
    };
    if (secret) headers['x-bilim-signature'] = signature(secret, timestamp, body);
    let error: string | null = null;
    try {
      const res = await fetchImpl(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(opts.timeoutMs ?? DELIVERY_TIMEOUT_MS), redirect: 'manual' });
      // The answer's body is not needed; drain it so the connection is released.
      await res.arrayBuffer().catch(() => undefined);
      if (res.status < 200 || res.status > 299) error = `HTTP ${res.status}`;
    } catch (err) {
      error = err instanceof Error ? `${err.name}: ${err.message}`.slice(0, 500) : 'network error';
    }
    if (error === null) {
      db.update(webhookOutbox).set({ deliveredAt: now, lastError: null }).where(eq(webhookOutbox.id, e.id)).run();
      report.delivered++;
    } else {
      const attempts = e.attempts + 1;
      db.update(webhookOutbox)
        .set({ attempts, lastError: error, nextAttemptAt: new Date(now.getTime() + backoffMs(attempts, opts.random)) })
        .where(eq(webhookOutbox.id, e.id))
        .run();
      report.failed++;
    }
  }
  return report;
}

// ---- e-mail (channel `email`): one row per message, written by server/modules/notifications ----

/** While one round sends a row, no other round may take it: the row's next try is moved this far ahead. */
export const MAIL_LEASE_MS = 10 * 60_000;
const MAIL_BATCH = 200;

/**
 * Queues one e-mail in the caller's transaction. With a `dedupeKey`, a second row with the same key is
 * never written (returns false): a reminder is queued once per person, kind and due date.
 */
export function enqueueMail(db: DB | DB, payload: MailPayload, dedupeKey: string | null, now = new Date()): boolean {
  const res = db
    .insert(webhookOutbox)
    .values({ eventId: randomUUID(), channel: 'email', type: `email.${payload.kind}`, payload, createdAt: now, attempts: 0, nextAttemptAt: now, dedupeKey })
    .onConflictDoNothing()
    .run();
  return res.changes === 1;
}

export type MailReport = { sent: number; failed: number; skipped: 'smtp_not_configured' | null };

/**
 * Sends due e-mails over one SMTP connection. Each row is first reserved (its next try moved
 * MAIL_LEASE_MS ahead, only if nobody moved it since it was read), so two rounds — two processes, or a
 * round still running when the next starts — never send the same row. Accepted by the SMTP server →
 * delivered (and a row carrying a one-time link loses its text); refused → attempts + 1 and the next
 * try after the same back-off as webhooks. Without SMTP settings nothing is tried: the rows wait.
 * Outcomes are saved every 50 mails: a process killed in between leaves at most those rows reserved,
 * and they go out again when the lease ends (the one case where a mail can arrive twice).
 */
export async function deliverMail(db: DB, opts: { now?: Date; random?: () => number; limit?: number } = {}): Promise<MailReport> {
  const now = opts.now ?? new Date();
  const mailer = openMailer(db);
  if (!mailer) return { sent: 0, failed: 0, skipped: 'smtp_not_configured' };
  const report: MailReport = { sent: 0, failed: 0, skipped: null };
  try {
    const due = db
      .select()
      .from(webhookOutbox)
      .where(and(eq(webhookOutbox.channel, 'email'), isNull(webhookOutbox.deliveredAt), isNull(webhookOutbox.cancelledAt), lte(webhookOutbox.nextAttemptAt, now)))
      .orderBy(asc(webhookOutbox.nextAttemptAt), asc(webhookOutbox.id))
      .limit(opts.limit ?? MAIL_BATCH)
      .all();
    // Reserve the whole batch in one transaction: a row someone else moved since it was read is left to them.
    const mine = db.transaction((tx) =>
      due.filter((row) =>
        tx.update(webhookOutbox)
          .set({ nextAttemptAt: new Date(now.getTime() + MAIL_LEASE_MS) })
          .where(and(eq(webhookOutbox.id, row.id), eq(webhookOutbox.nextAttemptAt, row.nextAttemptAt), isNull(webhookOutbox.deliveredAt), isNull(webhookOutbox.cancelledAt)))
          .run().changes === 1,
      ),
    );
    // Results are written in groups (one transaction, one fsync, per group rather than per mail).
    type Outcome = { row: OutboxEvent; error: string | null; at: Date };
    let pending: Outcome[] = [];
    const flush = () => {
      const group = pending;
      pending = [];
      db.transaction((tx) => {
        for (const { row, error, at } of group) {
          if (error === null) {
            const mail = row.payload as MailPayload;
            // A one-time link is not kept in the database once it has left (only its hash stays, in password_resets).
            const payload = mail.secret ? { ...mail, text: '' } : mail;
            tx.update(webhookOutbox).set({ deliveredAt: at, lastError: null, payload }).where(eq(webhookOutbox.id, row.id)).run();
          } else {
            const attempts = row.attempts + 1;
            tx.update(webhookOutbox)
              .set({ attempts, lastError: error, nextAttemptAt: new Date(now.getTime() + backoffMs(attempts, opts.random)) })
              .where(eq(webhookOutbox.id, row.id))
              .run();
          }
        }
      });
    };
    try {
      for (const row of mine) {
        const mail = row.payload as MailPayload;
        let error: string | null = null;
        try {
          await mailer.send({ to: mail.to, subject: mail.subject, text: mail.text });
          report.sent++;
        } catch (err) {
          error = err instanceof Error ? `${err.name}: ${err.message}`.slice(0, 500) : 'smtp error';
          report.failed++;
        }
        pending.push({ row, error, at: new Date() });
        if (pending.length >= 50) flush();
      }
    } finally {
      if (pending.length) flush();
    }
  } finally {
    mailer.close();
  }
  return report;
}

// ---- the administrators' view: every row, with retry and cancel ----

export const OUTBOX_STATES = ['pending', 'failed', 'delivered', 'cancelled'] as const;
export type OutboxState = (typeof OUTBOX_STATES)[number];

export function outboxState(r: Pick<OutboxEvent, 'deliveredAt' | 'cancelledAt' | 'attempts'>): OutboxState {
  if (r.deliveredAt) return 'delivered';
  if (r.cancelledAt) return 'cancelled';
  return r.attempts > 0 ? 'failed' : 'pending';
}

function stateCondition(state: OutboxState): SQL {
  switch (state) {
    case 'delivered':
      return isNotNull(webhookOutbox.deliveredAt);
    case 'cancelled':
      return and(isNull(webhookOutbox.deliveredAt), isNotNull(webhookOutbox.cancelledAt))!;
    case 'failed':
      return and(isNull(webhookOutbox.deliveredAt), isNull(webhookOutbox.cancelledAt), sql`${webhookOutbox.attempts} > 0`)!;
    case 'pending':
      return and(isNull(webhookOutbox.deliveredAt), isNull(webhookOutbox.cancelledAt), eq(webhookOutbox.attempts, 0))!;
  }
}

export type OutboxItem = {
  id: number; channel: OutboxChannel; type: string; state: OutboxState; recipient: string | null; subject: string | null;
  createdAt: Date; attempts: number; nextAttemptAt: Date; deliveredAt: Date | null; cancelledAt: Date | null; lastError: string | null;
};

/** Rows newest first, filtered by channel and state, with the total for paging. Never a mail's text (it may hold a link). */
export function listOutbox(db: DB, q: { channel?: OutboxChannel; state?: OutboxState; limit?: number; offset?: number } = {}): { items: OutboxItem[]; total: number } {
  const conds = [q.channel ? eq(webhookOutbox.channel, q.channel) : undefined, q.state ? stateCondition(q.state) : undefined].filter((c): c is SQL => !!c);
  const where = conds.length ? and(...conds) : undefined;
  const total = db.select({ n: count() }).from(webhookOutbox).where(where).get()!.n;
  const rows = db.select().from(webhookOutbox).where(where).orderBy(desc(webhookOutbox.id)).limit(q.limit ?? 50).offset(q.offset ?? 0).all();
  return {
    total,
    items: rows.map((r) => {
      const mail = r.channel === 'email' ? (r.payload as MailPayload) : null;
      return {
        id: r.id, channel: r.channel, type: r.type, state: outboxState(r), recipient: mail?.to ?? null, subject: mail?.subject ?? null,
        createdAt: r.createdAt, attempts: r.attempts, nextAttemptAt: r.nextAttemptAt, deliveredAt: r.deliveredAt, cancelledAt: r.cancelledAt, lastError: r.lastError,
      };
    }),
  };
}

type Actor = { id: number; ip?: string | null };

/** Sends a waiting or cancelled row on the next round. A delivered row is never sent again (409 outbox_delivered). */
export function retryOutbox(db: DB, actor: Actor, id: number, now = new Date()): void {
  db.transaction((tx) => {
    const row = tx.select().from(webhookOutbox).where(eq(webhookOutbox.id, id)).get();
    if (!row) throw new AppError('outbox_not_found', 404);
    const res = tx.update(webhookOutbox).set({ cancelledAt: null, nextAttemptAt: now }).where(and(eq(webhookOutbox.id, id), isNull(webhookOutbox.deliveredAt))).run();
    if (res.changes !== 1) throw new AppError('outbox_delivered', 409);
    recordAudit(tx, { actorId: actor.id, action: 'outbox.retried', targetType: 'outbox', targetId: id, details: { type: row.type }, ip: actor.ip ?? null }, now);
  });
}

/** Gives up on a row: it is never sent unless retried. A delivered row cannot be cancelled (409 outbox_delivered). */
export function cancelOutbox(db: DB, actor: Actor, id: number, now = new Date()): void {
  db.transaction((tx) => {
    const row = tx.select().from(webhookOutbox).where(eq(webhookOutbox.id, id)).get();
    if (!row) throw new AppError('outbox_not_found', 404);
    const res = tx.update(webhookOutbox).set({ cancelledAt: now }).where(and(eq(webhookOutbox.id, id), isNull(webhookOutbox.deliveredAt))).run();
    if (res.changes !== 1) throw new AppError('outbox_delivered', 409);
    recordAudit(tx, { actorId: actor.id, action: 'outbox.cancelled', targetType: 'outbox', targetId: id, details: { type: row.type }, ip: actor.ip ?? null }, now);
  });
}

/**
 * The administrator's "send a test mail": one message now, not through the outbox, so the settings
 * page shows at once whether the SMTP server accepts it (and the server's error when not).
 */
export async function sendTestMail(db: DB, to: string, message: { subject: string; text: string }): Promise<{ status: 'sent' } | { status: 'failed'; error: string } | { status: 'not_configured' }> {
  const mailer = openMailer(db);
  if (!mailer) return { status: 'not_configured' };
  try {
    await mailer.send({ to, ...message });
    return { status: 'sent' };
  } catch (err) {
    return { status: 'failed', error: err instanceof Error ? err.message.slice(0, 300) : 'smtp error' };
  } finally {
    mailer.close();
  }
}

let mailTimer: ReturnType<typeof setInterval> | undefined;
let mailRunning = false;

/** Sends due e-mails every `intervalMs` (one round at a time; unref'd). */
export function startMailDeliverer(getDb: () => DB, intervalMs = 30_000): () => void {
  if (!mailTimer) {
    mailTimer = setInterval(() => {
      if (mailRunning) return;
      mailRunning = true;
      deliverMail(getDb())
        .catch((e) => console.error('mail delivery failed', e))
        .finally(() => {
          mailRunning = false;
        });
    }, intervalMs);
    mailTimer.unref();
  }
  return () => {
    clearInterval(mailTimer);
    mailTimer = undefined;
  };
}

let timer: ReturnType<typeof setInterval> | undefined;
let running = false;

/**
 * Delivers due events every `intervalMs`. Started once by the server process (site/middleware.ts);
 * one round at a time, and the timer is unref'd so it never keeps a process alive.
 */
export function startWebhookDeliverer(getDb: () => DB, intervalMs = 30_000): () => void {
  if (!timer) {
    timer = setInterval(() => {
      if (running) return;
      running = true;
      deliverDue(getDb())
        .catch((e) => console.error('webhook delivery failed', e))
        .finally(() => {
          running = false;
        });
    }, intervalMs);
    timer.unref();
  }
  return () => {
    clearInterval(timer);
    timer = undefined;
  };
}
