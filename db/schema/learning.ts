import { sql } from 'drizzle-orm';
import { sqliteTable, text, integer, real, index, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { users } from './accounts';
import { courses, courseVersions, lessons } from './catalog';

export type EnrolmentSource = 'self' | 'hr' | 'plan';
export type EnrolmentStatus = 'active' | 'completed' | 'withdrawn';

/** A learner's enrolment in a course, on the version taken. At most one active per learner and course. */
export const enrolments = sqliteTable(
  'enrolments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    courseId: integer('course_id')
      .notNull()
      .references(() => courses.id, { onDelete: 'cascade' }),
    versionId: integer('version_id')
      .notNull()
      .references(() => courseVersions.id),
    source: text('source').$type<EnrolmentSource>().notNull(),
    /** the HR officer who assigned it (source hr) */
    assignedBy: integer('assigned_by').references(() => users.id),
    /** YYYY-MM-DD, set by HR */
    dueDate: text('due_date'),
    status: text('status').$type<EnrolmentStatus>().notNull(),
    enrolledAt: integer('enrolled_at', { mode: 'timestamp_ms' }).notNull(),
    completedAt: integer('completed_at', { mode: 'timestamp_ms' }),
    withdrawnAt: integer('withdrawn_at', { mode: 'timestamp_ms' }),
    /** academic hours credited on completion (the version's hours) */
    hoursEarned: integer('hours_earned'),
    /** the lesson the learner opened last, to continue from */
    lastLessonId: integer('last_lesson_id').references(() => lessons.id),
  },
  (t) => [
    index('enrolments_user_idx').on(t.userId),
    index('enrolments_course_idx').on(t.courseId),
    uniqueIndex('enrolments_one_active_uq').on(t.userId, t.courseId).where(sql`status = 'active'`),
  ],
);

/**
 * Progress of one enrolment in one lesson, keyed by the lesson's slug and content hash: a new course
 * version with the same lesson unchanged finds the same row, so progress carries over.
 */
export const lessonProgress = sqliteTable(
  'lesson_progress',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    enrolmentId: integer('enrolment_id')
      .notNull()
      .references(() => enrolments.id, { onDelete: 'cascade' }),
    lessonSlug: text('lesson_slug').notNull(),
    contentHash: text('content_hash').notNull(),
    /** merged watched ranges of the video in seconds, [[start, end], …], sorted and disjoint */
    watched: text('watched', { mode: 'json' }).$type<[number, number][]>().notNull(),
    /** where to resume the video */
    positionSeconds: real('position_seconds').notNull(),
    /** the highest save sequence applied; older saves do not move the position back */
    seq: integer('seq').notNull(),
    viewedAt: integer('viewed_at', { mode: 'timestamp_ms' }),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [uniqueIndex('lesson_progress_uq').on(t.enrolmentId, t.lessonSlug, t.contentHash)],
);
