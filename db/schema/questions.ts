import { sqliteTable, text, integer, index } from 'drizzle-orm/sqlite-core';
import { users } from './accounts';
import { courses, lessons } from './catalog';

/**
 * A learner's question to a course's trainers, asked from a lesson (server/modules/questions).
 * Plain text only (never HTML). One answer per question; the academy may hide a question, which then
 * shows to nobody but the trainers, reviewers and administrators (marked hidden). The lesson link is
 * kept while the lesson exists (a new version of the course replaces its lessons); the lesson's slug
 * stays so the question still names where it was asked.
 */
export const courseQuestions = sqliteTable(
  'course_questions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    courseId: integer('course_id')
      .notNull()
      .references(() => courses.id, { onDelete: 'cascade' }),
    lessonId: integer('lesson_id').references(() => lessons.id, { onDelete: 'set null' }),
    lessonSlug: text('lesson_slug').notNull(),
    askerId: integer('asker_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    body: text('body').notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    answer: text('answer'),
    answeredBy: integer('answered_by').references(() => users.id, { onDelete: 'set null' }),
    answeredAt: integer('answered_at', { mode: 'timestamp_ms' }),
    hiddenAt: integer('hidden_at', { mode: 'timestamp_ms' }),
    hiddenBy: integer('hidden_by').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [index('course_questions_course_idx').on(t.courseId, t.createdAt), index('course_questions_asker_idx').on(t.askerId, t.createdAt)],
);
