import { sqliteTable, text, integer, index, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { users } from './accounts';
import { courses } from './catalog';

/**
 * The shape of a draft's content is owned by the authoring module (server/modules/authoring/content.ts),
 * which registers it here by module augmentation — as Lucia's `Register` does — so that db/ imports
 * nothing from server/ and the column is still typed wherever it is read.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface DraftContentRegister {}
type StoredDraftContent = DraftContentRegister extends { content: infer T } ? T : Record<string, unknown>;

export const DRAFT_STATES = ['draft', 'submitted', 'in_review', 'changes_requested', 'approved', 'published'] as const;
export type DraftState = (typeof DRAFT_STATES)[number];

/**
 * A course being written or edited in the browser (issue #6). The content is the shape of a course
 * package (see server/modules/authoring/content.ts); publishing imports it through the same path as
 * packages (catalog importCourse), making a new course version. `revision` guards against lost updates:
 * every save names the revision it was based on and gets 409 when someone saved in between.
 */
export const courseDrafts = sqliteTable(
  'course_drafts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    slug: text('slug').notNull(),
    /** null until the first publish */
    courseId: integer('course_id').references(() => courses.id),
    /** the course version this draft was made from (editing a published course) */
    baseVersionId: integer('base_version_id'),
    state: text('state').$type<DraftState>().notNull().default('draft'),
    content: text('content', { mode: 'json' }).$type<StoredDraftContent>().notNull(),
    revision: integer('revision').notNull().default(1),
    /**
     * The revision at which each part last changed (`lesson:<slug>`, `settings`, `question:<id>`,
     * `quiz:<id>`, `categories`): a save of one part is stale only when that part changed after the
     * revision the author loaded, so two tabs on two different lessons never conflict.
     */
    partRevisions: text('part_revisions', { mode: 'json' }).$type<Record<string, number>>().notNull().default({}),
    createdBy: integer('created_by').references(() => users.id),
    updatedBy: integer('updated_by').references(() => users.id),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
    /** the course version the last publish made */
    publishedVersionId: integer('published_version_id'),
    /**
     * The content as that publish made it (the question bank and tests as written: the stored quiz
     * rows are built forms), so a later draft of the course is compared with what learners have.
     */
    publishedContent: text('published_content', { mode: 'json' }).$type<StoredDraftContent>(),
  },
  (t) => [uniqueIndex('course_drafts_slug_uq').on(t.slug), index('course_drafts_created_by_idx').on(t.createdBy), index('course_drafts_state_idx').on(t.state)],
);

/**
 * Which draft a file was uploaded to: until a published course uses the file (media.published_at),
 * it is served only to that draft's author, reviewers and administrators.
 */
export const draftMedia = sqliteTable(
  'draft_media',
  {
    draftId: integer('draft_id')
      .notNull()
      .references(() => courseDrafts.id, { onDelete: 'cascade' }),
    sha256: text('sha256').notNull(),
  },
  (t) => [uniqueIndex('draft_media_uq').on(t.sha256, t.draftId)],
);
