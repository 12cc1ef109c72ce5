import { sqliteTable, text, integer, index, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const OUTBOX_EVENT_TYPES = ['completion.created', 'completion.revoked', 'outside_training.verified', 'outside_training.rejected'] as const;
export type OutboxEventType = (typeof OUTBOX_EVENT_TYPES)[number];

/** Where an outbox row goes: the HR webhook, or one e-mail to a person (server/modules/notifications). */
export const OUTBOX_CHANNELS = ['webhook', 'email'] as const;
export type OutboxChannel = (typeof OUTBOX_CHANNELS)[number];
/** An e-mail row's payload: rendered in the recipient's language when it is queued. */
export type MailPayload = { to: string; subject: string; text: string; userId: number | null; kind: string; secret?: boolean };

/**
 * The one outbox: events for the national HR information system (channel `webhook`) and e-mails to
 * people (channel `email`). Events for the national HR information system, written in the same transaction as the change they
 * describe (so none is lost) and delivered later by server/modules/outbox/service.ts `deliverDue`.
 * Delivery is at-least-once: `event_id` is the receiver's idempotency key and never changes on retry.
 */
export const webhookOutbox = sqliteTable(
  'webhook_outbox',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** random UUID sent as X-Bilim-Event-Id */
    eventId: text('event_id').notNull(),
    channel: text('channel').$type<OutboxChannel>().notNull().default('webhook'),
    /** a webhook event type, or `email.<notification kind>` */
    type: text('type').$type<OutboxEventType | `email.${string}`>().notNull(),
    payload: text('payload', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    /** failed deliveries so far */
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at', { mode: 'timestamp_ms' }).notNull(),
    /** null until the receiver answered 2xx */
    deliveredAt: integer('delivered_at', { mode: 'timestamp_ms' }),
    lastError: text('last_error'),
    /** set by an administrator who gave up on it: never sent (retry clears it) */
    cancelledAt: integer('cancelled_at', { mode: 'timestamp_ms' }),
    /** a row with the same key is never queued twice (a reminder per person, kind and due date) */
    dedupeKey: text('dedupe_key'),
  },
  (t) => [
    uniqueIndex('webhook_outbox_event_id_uq').on(t.eventId),
    index('webhook_outbox_due_idx').on(t.deliveredAt, t.nextAttemptAt),
    index('webhook_outbox_channel_due_idx').on(t.channel, t.deliveredAt, t.nextAttemptAt),
    uniqueIndex('webhook_outbox_dedupe_uq').on(t.dedupeKey),
  ],
);
