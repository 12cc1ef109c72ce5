import { sqliteTable, text, integer, index, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { users } from './accounts';

/**
 * The kinds of event that concern a person (server/modules/notifications). Texts are
 * `notify.<kind>.*` in locales/. Invitation, password reset and a candidate's e-mail confirmation are mail only (they carry a one-time
 * link and go to people who may not be able to sign in); every other kind is also shown in the app.
 */
export const NOTIFICATION_KINDS = [
  'invitation',
  'password_reset',
  'email_confirmation',
  'course_assigned',
  'assignment_due_soon',
  'assignment_overdue',
  'result_available',
  'outside_training_verified',
  'outside_training_rejected',
  'draft_submitted',
  'review_decision',
  'certificate_issued',
  'certificate_revoked',
  'obligation_reminder',
  'hr_digest',
  'question_asked',
  'question_answered',
  'attestation_admitted',
  'attestation_refused',
  'attestation_session',
  'attestation_decision',
  'reserve_entered',
  'reserve_removed',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** One in-app notification: rendered in the reader's language when shown, from its kind and params. */
export const notifications = sqliteTable(
  'notifications',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: text('kind').$type<NotificationKind>().notNull(),
    /** values for the texts; `{ky, ru}` objects are picked by language, `*Date` keys are YYYY-MM-DD */
    params: text('params', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    /** the page concerned, after the language segment (`my`, `attempts/12/result`) */
    link: text('link').notNull(),
    /** what it is about (`review:12`, `reminder:before_30:2027-02-28`): one notification per person and ref */
    ref: text('ref'),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    readAt: integer('read_at', { mode: 'timestamp_ms' }),
  },
  (t) => [
    index('notifications_user_idx').on(t.userId, t.createdAt),
    index('notifications_unread_idx').on(t.userId, t.readAt),
    uniqueIndex('notifications_ref_uq').on(t.userId, t.ref),
  ],
);

export const DIGEST_PERIODS = ['daily', 'weekly'] as const;
export type DigestPeriod = (typeof DIGEST_PERIODS)[number];

/**
 * A person's choices about being told things: e-mail switched off per kind (the required kinds
 * ignore it), the HR digest's period and the day it was last queued, and the hash of their calendar
 * feed's secret. No row means the defaults (every e-mail on, weekly digest, no feed).
 */
export const notificationSettings = sqliteTable(
  'notification_settings',
  {
    userId: integer('user_id')
      .primaryKey()
      .references(() => users.id, { onDelete: 'cascade' }),
    emailOff: text('email_off', { mode: 'json' }).$type<NotificationKind[]>().notNull().default([]),
    digestPeriod: text('digest_period').$type<DigestPeriod>().notNull().default('weekly'),
    /** YYYY-MM-DD of the last digest queued (the next one covers what happened since) */
    lastDigestOn: text('last_digest_on'),
    /** SHA-256 of the calendar feed's secret; a renewal replaces it */
    calendarTokenHash: text('calendar_token_hash'),
  },
  (t) => [uniqueIndex('notification_settings_calendar_uq').on(t.calendarTokenHash)],
);
