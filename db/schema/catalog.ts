import { sqliteTable, text, integer, index, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { organisations } from './organisations';
import type { AdminGroup, Category, LessonKind, PostKind, Service, TiptapNode } from '../domain';

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
    /** the training provider: an organisation of the tree of kind `provider` (its names are the course's provider) */
    providerId: integer('provider_id').references(() => organisations.id),
    /** the course is complete in this language (title, summary, every lesson) */
    hasKy: integer('has_ky', { mode: 'boolean' }).notNull(),
    hasRu: integer('has_ru', { mode: 'boolean' }).notNull(),
    /** both languages' titles, summaries and objectives folded for search (see server/lib/text.ts) */
    searchText: text('search_text').notNull(),
    /** SHA-256 of the package, so re-importing an unchanged course does nothing */
    packageHash: text('package_hash').notNull(),
    publishedAt: integer('published_at', { mode: 'timestamp_ms' }),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
    /** the version new enrolments take (course_versions.id); set by every import */
    currentVersionId: integer('current_version_id'),
  },
  (t) => [uniqueIndex('courses_slug_uq').on(t.slug), index('courses_status_idx').on(t.status), index('courses_provider_idx').on(t.providerId)],
);

/** The completion rule of a course version (see courses/README.md, server/modules/learning/completion.ts). */
export type CompletionRule = { lessonsPercent: number; moduleQuizzes: boolean; finalTest: boolean; feedback: boolean };

/**
 * One imported state of a course package. A changed package makes a new version; old versions stay,
 * with their modules and lessons, because enrolments point at the version taken.
 */
export const courseVersions = sqliteTable(
  'course_versions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    courseId: integer('course_id')
      .notNull()
      .references(() => courses.id, { onDelete: 'cascade' }),
    /** 1, 2, 3… per course */
    number: integer('number').notNull(),
    hours: integer('hours').notNull(),
    completion: text('completion', { mode: 'json' }).$type<CompletionRule>().notNull(),
    /** a learner may take the course again within the obligation period */
    repeatable: integer('repeatable', { mode: 'boolean' }).notNull(),
    /** open: learners enrol themselves; assigned: only HR assigns */
    enrolment: text('enrolment').$type<'open' | 'assigned'>().notNull(),
    packageHash: text('package_hash').notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [uniqueIndex('course_versions_course_number_uq').on(t.courseId, t.number)],
);

/** Files of course packages, stored once by SHA-256 under the media folder (server/modules/catalog/media.ts). */
export const media = sqliteTable('media', {
  sha256: text('sha256').primaryKey(),
  contentType: text('content_type').notNull(),
  bytes: integer('bytes').notNull(),
  createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  /**
   * When a published course version first used the file. Until then it belongs to drafts only and is
   * served to its drafts' authors, reviewers and administrators (GET /api/media/{sha256}).
   */
  publishedAt: integer('published_at', { mode: 'timestamp_ms' }),
});

/** A lesson's video: the file, its length, and WebVTT captions per language (media sha256s). */
export type LessonVideo = { sha256: string; contentType: string; seconds: number; captions: { ky?: string; ru?: string } };
/** A lesson that launches one SCO of a SCORM package; `finalTest`: the package's passed status is the course's final test. */
export type LessonScorm = { package: string; sco: string; version: '1.2' | '2004'; href: string; masteryScore: number | null; scaledPassingScore: number | null; finalTest: boolean };
export type LessonAttachment = { sha256: string; contentType: string; bytes: number; fileName: string; title: { ky?: string; ru?: string } };

export const courseModules = sqliteTable(
  'course_modules',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    courseId: integer('course_id')
      .notNull()
      .references(() => courses.id, { onDelete: 'cascade' }),
    /** the course version this module belongs to */
    versionId: integer('version_id').references(() => courseVersions.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    titleKy: text('title_ky'),
    titleRu: text('title_ru'),
  },
  (t) => [index('course_modules_course_idx').on(t.courseId), index('course_modules_version_idx').on(t.versionId)],
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
    /** lesson text as Tiptap JSON per language (converted from Markdown at import), rendered on the server */
    docKy: text('doc_ky', { mode: 'json' }).$type<TiptapNode>(),
    docRu: text('doc_ru', { mode: 'json' }).$type<TiptapNode>(),
    video: text('video', { mode: 'json' }).$type<LessonVideo>(),
    attachments: text('attachments', { mode: 'json' }).$type<LessonAttachment[]>(),
    /** a SCORM lesson: the package and SCO it launches (server/modules/scorm) */
    scorm: text('scorm', { mode: 'json' }).$type<LessonScorm>(),
    /** SHA-256 of the lesson's texts and media: progress carries over to a new version while it is unchanged */
    contentHash: text('content_hash'),
  },
  (t) => [index('lessons_module_idx').on(t.moduleId)],
);
