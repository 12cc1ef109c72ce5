import { sqliteTable, text, integer, index } from 'drizzle-orm/sqlite-core';
import { users } from './accounts';

/**
 * The training obligation policy, versioned: every change is a new row with who and when; the newest
 * row is in force. No row at all means the defaults of server/modules/policy/service.ts.
 */
export const policies = sqliteTable('policies', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  periodYears: integer('period_years').notNull(),
  /** optional minimum hours of qualifying training within one period */
  minHours: integer('min_hours'),
  dueSoonDays: integer('due_soon_days').notNull(),
  /** days before the due date on which a reminder goes out, descending */
  reminderDays: text('reminder_days', { mode: 'json' }).$type<number[]>().notNull(),
  certificateFormat: text('certificate_format').notNull(),
  createdBy: integer('created_by').references(() => users.id),
  createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
});

/** Settings changed from the browser without a restart. Secret values are stored but never returned. */
export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedBy: integer('updated_by').references(() => users.id),
  updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
});

/**
 * One-time links to set a password: an administrator's reset link or an HR officer's invitation.
 * Only SHA-256 of the token is kept.
 */
export const passwordResets = sqliteTable(
  'password_resets',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
    usedAt: integer('used_at', { mode: 'timestamp_ms' }),
    /**
     * 'reset' (an administrator's) or 'invitation' (HR's): an invitation may only set a first password,
     * so using it checks again that the account still has none and holds no role beyond learner.
     * 'registration': a self-registered candidate's e-mail confirmation, which sets the first password
     * of an account holding only the candidate role.
     */
    purpose: text('purpose', { enum: ['reset', 'invitation', 'registration'] }).notNull().default('reset'),
  },
  (t) => [index('password_resets_user_idx').on(t.userId)],
);
