import { sqliteTable, text, integer, index } from 'drizzle-orm/sqlite-core';
import { users } from './accounts';
import { organisations } from './organisations';
import { courses } from './catalog';

/**
 * One line of an organisation's annual training plan (окуу планы / план обучения): how many people
 * are to be trained in a quarter, either on a catalog course or on a topic (free bilingual text with
 * the kind and term of training, for training outside the platform).
 */
export const planLines = sqliteTable(
  'plan_lines',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    organisationId: integer('organisation_id').notNull().references(() => organisations.id),
    year: integer('year').notNull(),
    /** 1–4 */
    quarter: integer('quarter').notNull(),
    /** a course line; null for a topic line */
    courseId: integer('course_id').references(() => courses.id),
    /** a topic line: the topic in either or both languages */
    topicKy: text('topic_ky'),
    topicRu: text('topic_ru'),
    kind: text('kind').$type<'retraining' | 'advanced' | 'seminar' | 'internship'>(),
    term: text('term').$type<'short' | 'medium' | 'long'>(),
    /** how many people are planned */
    people: integer('people').notNull(),
    createdBy: integer('created_by').notNull().references(() => users.id),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    updatedBy: integer('updated_by').notNull().references(() => users.id),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('plan_lines_org_year_idx').on(t.organisationId, t.year)],
);
