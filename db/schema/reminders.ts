import { sqliteTable, text, integer, index, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { users } from './accounts';

/**
 * Obligation reminders already sent by e-mail. One row per (servant, recipient address, kind, due
 * date): a reminder is sent once per due date; a new training moves the due date and they start again.
 * kind is `before_<n>` (n from the policy's reminderDays) or `overdue`.
 */
export const remindersSent = sqliteTable(
  'reminders_sent',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** the servant the reminder is about */
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    recipient: text('recipient').$type<'servant' | 'hr'>().notNull(),
    recipientEmail: text('recipient_email').notNull(),
    kind: text('kind').notNull(),
    /** YYYY-MM-DD */
    dueDate: text('due_date').notNull(),
    sentAt: integer('sent_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    uniqueIndex('reminders_sent_once_uq').on(t.userId, t.recipientEmail, t.kind, t.dueDate),
    index('reminders_sent_user_idx').on(t.userId),
  ],
);
