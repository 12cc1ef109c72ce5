import { sqliteTable, text, integer, index, uniqueIndex } from 'drizzle-orm/sqlite-core';
import type { AdminGroup, Category, LessonKind, PostKind, Service } from '../../server/lib/domain';

/** A course as imported from its package in courses/<slug>/. Bilingual fields come in _ky/_ru pairs. */
export const courses = sqliteTable(
  'courses',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    slug: text('slug').notNull(),
    status: text('status').$type<'draft' | 'published'>().notNull(),
    category: text('category').$type<Category>().notNull(),
    hours: integer('hours').notNull(),
    /** JSON arrays: which servants the course is meant for */
    audienceServices: text('audience_services', { mode: 'json' }).$type<Service[]>().notNull(),
    audiencePostKinds: text('audience_post_kinds', { mode: 'json' }).$type<PostKind[]>().notNull(),
    audienceGroups: text('audience_groups', { mode: 'json' }).$type<AdminGroup[]>().notNull(),
    titleKy: text('title_ky'),
    titleRu: text('title_ru'),
    summaryKy: text('summary_ky'),
    summaryRu: text('summary_ru'),
    descriptionKy: text('description_ky'),
    descriptionRu: text('description_ru'),
    objectivesKy: text('objectives_ky', { mode: 'json' }).$type<string[]>().notNull(),
    objectivesRu: text('objectives_ru', { mode: 'json' }).$type<string[]>().notNull(),
    providerKy: text('provider_ky'),
    providerRu: text('provider_ru'),
    /** the course is complete in this language (title, summary, every lesson) */
    hasKy: integer('has_ky', { mode: 'boolean' }).notNull(),
    hasRu: integer('has_ru', { mode: 'boolean' }).notNull(),
    /** both languages' titles, summaries and objectives folded for search (see server/lib/text.ts) */
    searchText: text('search_text').notNull(),
    /** SHA-256 of the package, so re-importing an unchanged course does nothing */
    packageHash: text('package_hash').notNull(),
    publishedAt: integer('published_at', { mode: 'timestamp_ms' }),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [uniqueIndex('courses_slug_uq').on(t.slug), index('courses_status_idx').on(t.status)],
);

export const courseModules = sqliteTable(
  'course_modules',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    courseId: integer('course_id')
      .notNull()
      .references(() => courses.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    titleKy: text('title_ky'),
    titleRu: text('title_ru'),
  },
  (t) => [index('course_modules_course_idx').on(t.courseId)],
);

export const lessons = sqliteTable(
  'lessons',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    moduleId: integer('module_id')
      .notNull()
      .references(() => courseModules.id, { onDelete: 'cascade' }),
    slug: text('slug').notNull(),
    position: integer('position').notNull(),
    kind: text('kind').$type<LessonKind>().notNull(),
    minutes: integer('minutes').notNull(),
    titleKy: text('title_ky'),
    titleRu: text('title_ru'),
    /** lesson text as Markdown per language, as written in the package */
    bodyKy: text('body_ky'),
    bodyRu: text('body_ru'),
  },
  (t) => [index('lessons_module_idx').on(t.moduleId)],
);
