import { sqliteTable, text, integer, index, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { courses, courseVersions } from './catalog';
import { enrolments } from './learning';

/**
 * A learner's end-of-course survey: four questions rated 1–5 and an optional comment, one row per
 * enrolment (the unique index makes a second submission a conflict). Course and version are copied
 * from the enrolment so the academy's figures group without a join. Rows moved from the earlier
 * single-rating form keep that rating in `legacy_rating` and leave the four questions empty.
 */
export const courseFeedback = sqliteTable(
  'course_feedback',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    enrolmentId: integer('enrolment_id')
      .notNull()
      .references(() => enrolments.id, { onDelete: 'cascade' }),
    courseId: integer('course_id')
      .notNull()
      .references(() => courses.id, { onDelete: 'cascade' }),
    versionId: integer('version_id')
      .notNull()
      .references(() => courseVersions.id),
    /** the course was relevant to my work */
    relevance: integer('relevance'),
    /** the material was clear */
    clarity: integer('clarity'),
    /** I can use it in my job */
    usefulness: integer('usefulness'),
    /** the trainer (the course's author and materials) */
    trainer: integer('trainer'),
    /** the single 1–5 rating of the earlier form (migrated rows only) */
    legacyRating: integer('legacy_rating'),
    comment: text('comment'),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [uniqueIndex('course_feedback_enrolment_uq').on(t.enrolmentId), index('course_feedback_course_idx').on(t.courseId, t.versionId)],
);
