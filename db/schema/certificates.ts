import { sql } from 'drizzle-orm';
import { sqliteTable, text, integer, index, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { users } from './accounts';
import { courses } from './catalog';

/**
 * A certificate of completion. What it certifies (holder, course, hours, issuer) is copied at issue,
 * so a later rename of the person or a new course version never changes an issued certificate.
 */
export const certificates = sqliteTable(
  'certificates',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** the public number (policy format around a random part), so one number says nothing about another */
    code: text('code').notNull(),
    /** the number in upper case without separators: what a typed or scanned number is looked up by */
    codeKey: text('code_key').notNull(),
    userId: integer('user_id').notNull().references(() => users.id),
    courseId: integer('course_id').notNull().references(() => courses.id),
    /** what the certificate was issued for (e.g. `enrolment:12`); issuing twice for it gives the same certificate */
    sourceRef: text('source_ref').notNull(),
    holderName: text('holder_name').notNull(),
    courseTitleKy: text('course_title_ky'),
    courseTitleRu: text('course_title_ru'),
    issuerKy: text('issuer_ky'),
    issuerRu: text('issuer_ru'),
    hours: integer('hours').notNull(),
    /** YYYY-MM-DD, the day the course was completed (Bishkek time) */
    completedOn: text('completed_on').notNull(),
    issuedAt: integer('issued_at', { mode: 'timestamp_ms' }).notNull(),
    revokedAt: integer('revoked_at', { mode: 'timestamp_ms' }),
    revokedBy: integer('revoked_by').references(() => users.id),
    revokeReason: text('revoke_reason'),
    /** the export's change sequence: set by a trigger on issue and on revocation (migration 0019) */
    changeSeq: integer('change_seq'),
  },
  (t) => [
    uniqueIndex('certificates_code_uq').on(t.code),
    uniqueIndex('certificates_code_key_uq').on(t.codeKey),
    uniqueIndex('certificates_source_uq').on(t.sourceRef),
    index('certificates_user_idx').on(t.userId),
    index('certificates_change_seq_idx').on(t.changeSeq),
    /** a person's latest valid certificate in one seek (the HR lists of thousands of people) */
    index('certificates_valid_user_date_idx').on(t.userId, t.completedOn).where(sql`revoked_at IS NULL`),
  ],
);
