import { sqliteTable, text, integer, index } from 'drizzle-orm/sqlite-core';
import { users } from './accounts';
import { courseDrafts } from './authoring';

/** The academy's review of course drafts (server/modules/review). Decisions are told through server/modules/notifications. */

export const CHECKLIST_ITEMS = ['objectives', 'languages', 'practice', 'assessment', 'accessibility'] as const;
export type ChecklistItem = (typeof CHECKLIST_ITEMS)[number];
export type ChecklistEntry = { item: ChecklistItem; result: 'pass' | 'fail' | null; comment: string };

export const REVIEW_ACTIONS = ['submitted', 'taken', 'checklist_saved', 'changes_requested', 'approved', 'published'] as const;
export type ReviewAction = (typeof REVIEW_ACTIONS)[number];

/**
 * One review round: created when a reviewer takes a submitted draft into review, closed by the
 * decision. The checklist holds a pass/fail and a comment per item.
 */
export const reviews = sqliteTable(
  'reviews',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    draftId: integer('draft_id')
      .notNull()
      .references(() => courseDrafts.id, { onDelete: 'cascade' }),
    /** the draft's revision that was reviewed */
    revision: integer('revision').notNull(),
    reviewerId: integer('reviewer_id')
      .notNull()
      .references(() => users.id),
    checklist: text('checklist', { mode: 'json' }).$type<ChecklistEntry[]>().notNull(),
    /** a general comment sent with the decision */
    summary: text('summary').notNull().default(''),
    decision: text('decision').$type<'changes_requested' | 'approved'>(),
    startedAt: integer('started_at', { mode: 'timestamp_ms' }).notNull(),
    decidedAt: integer('decided_at', { mode: 'timestamp_ms' }),
  },
  (t) => [index('reviews_draft_idx').on(t.draftId)],
);

/** Every step of the workflow: who, when, from which state to which. Append-only by convention. */
export const reviewEvents = sqliteTable(
  'review_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    draftId: integer('draft_id')
      .notNull()
      .references(() => courseDrafts.id, { onDelete: 'cascade' }),
    reviewId: integer('review_id').references(() => reviews.id),
    action: text('action').$type<ReviewAction>().notNull(),
    fromState: text('from_state').notNull(),
    toState: text('to_state').notNull(),
    revision: integer('revision').notNull(),
    actorId: integer('actor_id').references(() => users.id),
    comment: text('comment').notNull().default(''),
    at: integer('at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('review_events_draft_idx').on(t.draftId, t.at)],
);
