import { sql } from 'drizzle-orm';
import { sqliteTable, text, integer, index } from 'drizzle-orm/sqlite-core';
import { users } from './accounts';

/**
 * Training taken outside the platform (retraining, advanced training, seminars, internships), added
 * by the servant or HR and counted only once HR has verified it.
 */
export const outsideTrainings = sqliteTable(
  'outside_trainings',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: integer('user_id').notNull().references(() => users.id),
    kind: text('kind').$type<'retraining' | 'advanced' | 'seminar' | 'internship'>().notNull(),
    term: text('term').$type<'short' | 'medium' | 'long'>().notNull(),
    funding: text('funding').$type<'state_order' | 'departmental' | 'donor' | 'other'>().notNull(),
    title: text('title').notNull(),
    provider: text('provider').notNull(),
    hours: integer('hours').notNull(),
    /** YYYY-MM-DD */
    startDate: text('start_date').notNull(),
    endDate: text('end_date').notNull(),
    orderNumber: text('order_number'),
    orderDate: text('order_date'),
    /** the scanned document: a file name under UPLOADS_DIR, the name it was sent with, its type */
    scanFile: text('scan_file'),
    scanName: text('scan_name'),
    scanType: text('scan_type'),
    status: text('status').$type<'pending' | 'verified' | 'rejected'>().notNull(),
    rejectReason: text('reject_reason'),
    reviewedBy: integer('reviewed_by').references(() => users.id),
    reviewedAt: integer('reviewed_at', { mode: 'timestamp_ms' }),
    createdBy: integer('created_by').notNull().references(() => users.id),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    /** the export's change sequence: set by a trigger on every decision (migration 0019) */
    changeSeq: integer('change_seq'),
  },
  (t) => [
    index('outside_trainings_user_idx').on(t.userId),
    index('outside_trainings_change_seq_idx').on(t.changeSeq),
    index('outside_trainings_status_idx').on(t.status),
    /** a person's latest verified outside training in one seek (the HR lists) */
    index('outside_trainings_verified_user_date_idx').on(t.userId, t.endDate).where(sql`status = 'verified'`),
  ],
);
