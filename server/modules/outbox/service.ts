import { and, asc, eq, isNull, lte } from 'drizzle-orm';
import { createHmac, randomUUID } from 'node:crypto';
import type { DB } from '../../../db/client';
import { webhookOutbox, type OutboxEventType } from '../../../db/schema';
import type { Tx } from '../../lib/tx';
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
export function enqueue(db: Tx | DB, type: OutboxEventType, payload: Record<string, unknown>, now = new Date()): OutboxEvent {
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
    .where(and(isNull(webhookOutbox.deliveredAt), lte(webhookOutbox.nextAttemptAt, now)))
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
