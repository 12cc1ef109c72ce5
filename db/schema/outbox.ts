import { sqliteTable, text, integer, index, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const OUTBOX_EVENT_TYPES = ['completion.created', 'completion.revoked', 'outside_training.verified', 'outside_training.rejected'] as const;
export type OutboxEventType = (typeof OUTBOX_EVENT_TYPES)[number];

/**
 * Events for the national HR information system, written in the same transaction as the change they
 * describe (so none is lost) and delivered later by server/modules/outbox/service.ts `deliverDue`.
 * Delivery is at-least-once: `event_id` is the receiver's idempotency key and never changes on retry.
 */
export const webhookOutbox = sqliteTable(
  'webhook_outbox',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** random UUID sent as X-Bilim-Event-Id */
    eventId: text('event_id').notNull(),
    type: text('type').$type<OutboxEventType>().notNull(),
    payload: text('payload', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    /** failed deliveries so far */
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at', { mode: 'timestamp_ms' }).notNull(),
    /** null until the receiver answered 2xx */
    deliveredAt: integer('delivered_at', { mode: 'timestamp_ms' }),
    lastError: text('last_error'),
  },
  (t) => [uniqueIndex('webhook_outbox_event_id_uq').on(t.eventId), index('webhook_outbox_due_idx').on(t.deliveredAt, t.nextAttemptAt)],
);
