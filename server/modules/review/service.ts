/**
 * The academy's review of course drafts: draft → submitted → in_review → changes_requested | approved
 * → published. Trainers (the draft's author, or an administrator) submit; reviewers take a draft into
 * review, fill the checklist (pass/fail and a comment per item) and decide. Approval publishes at once
 * through authoring's publishDraft, in the same transaction: both steps are recorded. Every step is a
 * review event (who, when, from, to) and an audit entry; submissions are told to the reviewers and
 * decisions to the author through server/modules/notifications (in the app and by e-mail).
 *
 * This module owns the draft's `state` column; authoring owns the content and the rule of who may read
 * or change it and when (`assertCanEdit`, `mayRead` in server/modules/authoring/service.ts).
 */
import { and, desc, eq, inArray, isNull } from 'drizzle-orm';
import type { DB } from '@db/client';
import {
  CHECKLIST_ITEMS, courseDrafts, reviewEvents, reviews, users,
  type ChecklistEntry, type ChecklistItem, type DraftState, type ReviewAction,
} from '@db/schema';
import { AppError } from '@server/lib/errors';
import type { Locale } from '@db/domain';
import { type SessionUser } from '@server/lib/session';
import { recordAudit } from '../audit/service';
import { markReadByRef, notify, readState } from '../notifications/service';
import { userIdsWithRole } from '../people/service';
import { draftProblem, EDITABLE_STATES, isDraftAuthor, isReviewer, mayEdit, mayRead, publishDraft, publishedContent } from '../authoring/service';
import { publishedDiff } from './diff';

const isAdmin = (u: Pick<SessionUser, 'roles'>) => u.roles.includes('admin');

export type Draft = typeof courseDrafts.$inferSelect;
export type Review = typeof reviews.$inferSelect;
export type Actor = Pick<SessionUser, 'id' | 'roles'> & { ip?: string | null };

export { EDITABLE_STATES };

function loadDraft(db: DB, id: number): Draft {
  const d = db.select().from(courseDrafts).where(eq(courseDrafts.id, id)).get();
  if (!d) throw new AppError('draft_not_found', 404);
  return d;
}

function setState(db: DB, draft: Draft, from: DraftState[], to: DraftState, now: Date): void {
  const res = db
    .update(courseDrafts)
    .set({ state: to, updatedAt: now })
    .where(and(eq(courseDrafts.id, draft.id), inArray(courseDrafts.state, from)))
    .run();
  // Someone else moved it between our read and this write (two reviewers at once).
  if (res.changes !== 1) throw new AppError('draft_state_changed', 409);
}

function event(db: DB, draft: Draft, action: ReviewAction, from: DraftState, to: DraftState, actor: Actor, now: Date, reviewId: number | null, comment = '', revision = draft.revision) {
  db.insert(reviewEvents).values({ draftId: draft.id, reviewId, action, fromState: from, toState: to, revision, actorId: actor.id, comment, at: now }).run();
  recordAudit(db, { actorId: actor.id, action: `review.${action}`, targetType: 'course_draft', targetId: draft.id, details: { slug: draft.slug, from, to, revision, ...(reviewId ? { reviewId } : {}) }, ip: actor.ip ?? null }, now);
}

/** The author (or an administrator) hands the draft to the academy. */
export function submitDraft(db: DB, draftId: number, actor: Actor, now = new Date()): Draft {
  return db.transaction((tx) => {
    const draft = loadDraft(tx, draftId);
    if (!mayEdit(draft, actor)) throw new AppError('draft_not_yours', 403);
    if (!EDITABLE_STATES.includes(draft.state)) throw new AppError('draft_state_invalid', 409);
    // A draft that could not be published (a rule of the course package) is not handed to a reviewer.
    const problem = draftProblem(tx, draft);
    if (problem) throw new AppError('draft_invalid', 422, problem);
    setState(tx, draft, [...EDITABLE_STATES], 'submitted', now);
    event(tx, draft, 'submitted', draft.state, 'submitted', actor, now, null);
    // Every reviewer is told (in the app, and by e-mail unless they switched it off); not the author.
    for (const reviewerId of userIdsWithRole(tx, 'reviewer')) {
      if (reviewerId === draft.createdBy) continue;
      notify(tx, {
        userId: reviewerId, kind: 'draft_submitted', link: `academy/reviews/${draft.id}`, ref: `draft:${draft.id}:${draft.revision}:submitted`,
        params: { course: courseTitles(draft) },
      }, now);
    }
    return loadDraft(tx, draftId);
  });
}

const emptyChecklist = (): ChecklistEntry[] => CHECKLIST_ITEMS.map((item) => ({ item, result: null, comment: '' }));

/**
 * The checklist a new round starts with. For a new version of a published course, an item the
 * approval of the published version passed stays passed (with its comment) when everything it covers
 * is exactly as published (review/diff.ts); every other item starts empty.
 */
function carriedChecklist(db: DB, draft: Draft): ChecklistEntry[] {
  const fresh = emptyChecklist();
  // the approval must be the one that published the version this draft starts from
  if (!draft.baseVersionId || draft.publishedVersionId !== draft.baseVersionId) return fresh;
  const diff = publishedDiff(publishedContent(db, draft), draft.content);
  if (!diff) return fresh;
  const approved = db.select().from(reviews).where(and(eq(reviews.draftId, draft.id), eq(reviews.decision, 'approved'))).orderBy(desc(reviews.id)).get();
  if (!approved) return fresh;
  return fresh.map((e) => {
    const old = approved.checklist.find((x) => x.item === e.item);
    return old?.result === 'pass' && diff.unchangedItems.includes(e.item) ? { item: e.item, result: 'pass', comment: old.comment } : e;
  });
}

/** A reviewer takes a submitted draft into review; a new review round (see carriedChecklist). */
export function takeIntoReview(db: DB, draftId: number, actor: Actor, now = new Date()): Review {
  if (!isReviewer(actor)) throw new AppError('forbidden', 403);
  return db.transaction((tx) => {
    const draft = loadDraft(tx, draftId);
    if (isDraftAuthor(draft, actor)) throw new AppError('review_own_draft', 403);
    if (draft.state !== 'submitted') throw new AppError('draft_state_invalid', 409);
    setState(tx, draft, ['submitted'], 'in_review', now);
    const review = tx.insert(reviews).values({ draftId, revision: draft.revision, reviewerId: actor.id, checklist: carriedChecklist(tx, draft), startedAt: now }).returning().get();
    event(tx, draft, 'taken', 'submitted', 'in_review', actor, now, review.id);
    return review;
  });
}

/** The open review round of a draft, if any. */
export function openReview(db: DB, draftId: number): Review | null {
  return db.select().from(reviews).where(and(eq(reviews.draftId, draftId), isNull(reviews.decidedAt))).orderBy(desc(reviews.id)).get() ?? null;
}

export function latestReview(db: DB, draftId: number): Review | null {
  return db.select().from(reviews).where(eq(reviews.draftId, draftId)).orderBy(desc(reviews.id)).get() ?? null;
}

export type ChecklistInput = { item: ChecklistItem; result: 'pass' | 'fail' | null; comment: string }[];

function mergeChecklist(current: ChecklistEntry[], input: ChecklistInput): ChecklistEntry[] {
  return CHECKLIST_ITEMS.map((item) => {
    const given = input.find((e) => e.item === item);
    const old = current.find((e) => e.item === item) ?? { item, result: null, comment: '' };
    return given ? { item, result: given.result, comment: given.comment.trim() } : old;
  });
}

/**
 * The open round the actor may work on. Four eyes: the draft's author never saves its checklist or
 * decides on it — not even as an administrator finishing another reviewer's round.
 */
function currentRound(tx: DB, draft: Draft, actor: Actor): Review {
  if (!isReviewer(actor)) throw new AppError('forbidden', 403);
  if (isDraftAuthor(draft, actor)) throw new AppError('review_own_draft', 403);
  if (draft.state !== 'in_review') throw new AppError('draft_state_invalid', 409);
  const review = openReview(tx, draft.id);
  if (!review) throw new AppError('draft_state_invalid', 409);
  if (review.reviewerId !== actor.id && !isAdmin(actor)) throw new AppError('review_taken_by_other', 409);
  return review;
}

/** Saves the checklist without deciding (the reviewer may come back to it). */
export function saveChecklist(db: DB, draftId: number, actor: Actor, input: { checklist: ChecklistInput; summary?: string }, now = new Date()): Review {
  return db.transaction((tx) => {
    const draft = loadDraft(tx, draftId);
    const review = currentRound(tx, draft, actor);
    const checklist = mergeChecklist(review.checklist, input.checklist);
    tx.update(reviews).set({ checklist, summary: input.summary?.trim() ?? review.summary }).where(eq(reviews.id, review.id)).run();
    return tx.select().from(reviews).where(eq(reviews.id, review.id)).get()!;
  });
}

export type Decision = 'changes_requested' | 'approved';

/**
 * Decides a review round. Every item must have a result; a failed item needs a comment (the trainer
 * must know what to fix). Changes can be requested only with at least one failed item or a summary;
 * approval needs every item passed, and publishes the draft at once (approved, then published).
 * The author is told in the same transaction (in the app, and an e-mail queued in the outbox).
 */
export function decide(
  db: DB,
  draftId: number,
  actor: Actor,
  decision: Decision,
  input: { checklist: ChecklistInput; summary?: string },
  now = new Date(),
): { draft: Draft; review: Review; email: 'queued' | 'none' } {
  const { draft, review, told } = db.transaction((tx) => {
    const draft = loadDraft(tx, draftId);
    const review = currentRound(tx, draft, actor);
    const checklist = mergeChecklist(review.checklist, input.checklist);
    const summary = input.summary?.trim() ?? review.summary;
    const unanswered = checklist.find((e) => e.result === null);
    if (unanswered) throw new AppError('checklist_incomplete', 400, `checklist.${unanswered.item}.result`);
    const uncommented = checklist.find((e) => e.result === 'fail' && !e.comment);
    if (uncommented) throw new AppError('checklist_comment_required', 400, `checklist.${uncommented.item}.comment`);
    const failed = checklist.some((e) => e.result === 'fail');
    if (decision === 'approved' && failed) throw new AppError('checklist_failed', 409);
    if (decision === 'changes_requested' && !failed && !summary) throw new AppError('changes_need_reason', 400, 'summary');

    tx.update(reviews).set({ checklist, summary, decision, decidedAt: now }).where(eq(reviews.id, review.id)).run();
    if (decision === 'changes_requested') {
      setState(tx, draft, ['in_review'], 'changes_requested', now);
      event(tx, draft, 'changes_requested', 'in_review', 'changes_requested', actor, now, review.id, summary);
    } else {
      setState(tx, draft, ['in_review'], 'approved', now);
      event(tx, draft, 'approved', 'in_review', 'approved', actor, now, review.id, summary);
      // Publishing refuses a draft that would not import (a rule of the course package): then nothing of this is kept.
      publishDraft(tx, draftId, now);
      const published = loadDraft(tx, draftId);
      if (published.state !== 'published') setState(tx, published, ['approved'], 'published', now);
      event(tx, published, 'published', 'approved', 'published', actor, now, review.id, '', published.revision);
    }
    let told = false;
    if (draft.createdBy !== null) {
      const failedItems = checklist.filter((e) => e.result === 'fail');
      told = notify(tx, {
        userId: draft.createdBy, kind: 'review_decision', link: 'author/decisions', ref: `review:${review.id}`,
        params: {
          course: courseTitles(draft),
          decision: { key: `review.decision.${decision}` },
          details: [
            ...(failedItems.length ? [{ key: 'review.mail.failedItems' }, ...failedItems.map((e) => ({ key: 'notify.review_decision.item', vars: { item: { key: `review.item.${e.item}` }, comment: e.comment } }))] : []),
            ...(summary ? [{ key: 'review.mail.summary' }, summary] : []),
          ],
        },
      }, now).mailQueued;
    }
    return { draft: loadDraft(tx, draftId), review: tx.select().from(reviews).where(eq(reviews.id, review.id)).get()!, told };
  });
  return { draft, review, email: told ? 'queued' : 'none' };
}

export function courseTitle(draft: Pick<Draft, 'content' | 'slug'>, locale: Locale): string {
  const title = draft.content.manifest.title as { ky?: string; ru?: string };
  return title[locale] || title[locale === 'ky' ? 'ru' : 'ky'] || draft.slug;
}

/** The course's title in both languages (the notification picks the reader's). */
function courseTitles(draft: Pick<Draft, 'content' | 'slug'>): { ky: string; ru: string } {
  return { ky: courseTitle(draft, 'ky'), ru: courseTitle(draft, 'ru') };
}

// ---- reading ----

export type QueueEntry = { draft: Pick<Draft, 'id' | 'slug' | 'state' | 'revision' | 'updatedAt' | 'content'>; authorName: string | null; reviewerName: string | null; submittedAt: Date | null };

/** The reviewers' queue: drafts waiting (submitted) and in review, oldest submission first. */
export function reviewQueue(db: DB): QueueEntry[] {
  const drafts = db
    .select({ draft: courseDrafts, authorName: users.fullName })
    .from(courseDrafts)
    .leftJoin(users, eq(users.id, courseDrafts.createdBy))
    .where(inArray(courseDrafts.state, ['submitted', 'in_review']))
    .all();
  const out = drafts.map(({ draft, authorName }) => {
    const submitted = db.select({ at: reviewEvents.at }).from(reviewEvents).where(and(eq(reviewEvents.draftId, draft.id), eq(reviewEvents.action, 'submitted'))).orderBy(desc(reviewEvents.id)).get();
    const open = openReview(db, draft.id);
    const reviewer = open ? db.select({ name: users.fullName }).from(users).where(eq(users.id, open.reviewerId)).get() : undefined;
    return { draft, authorName, reviewerName: reviewer?.name ?? null, submittedAt: submitted?.at ?? null };
  });
  return out.sort((a, b) => (a.submittedAt?.getTime() ?? 0) - (b.submittedAt?.getTime() ?? 0));
}

/** Recent decisions, newest first, for the queue page. */
export function recentDecisions(db: DB, limit = 20) {
  return db
    .select({ review: reviews, slug: courseDrafts.slug, content: courseDrafts.content, reviewerName: users.fullName })
    .from(reviews)
    .innerJoin(courseDrafts, eq(courseDrafts.id, reviews.draftId))
    .leftJoin(users, eq(users.id, reviews.reviewerId))
    .where(inArray(reviews.decision, ['changes_requested', 'approved']))
    .orderBy(desc(reviews.decidedAt), desc(reviews.id))
    .limit(limit)
    .all();
}

export type HistoryEntry = typeof reviewEvents.$inferSelect & { actorName: string | null };

/** Every step of a draft's review, oldest first. */
export function draftHistory(db: DB, draftId: number): HistoryEntry[] {
  return db
    .select({ e: reviewEvents, actorName: users.fullName })
    .from(reviewEvents)
    .leftJoin(users, eq(users.id, reviewEvents.actorId))
    .where(eq(reviewEvents.draftId, draftId))
    .orderBy(reviewEvents.at, reviewEvents.id)
    .all()
    .map((r) => ({ ...r.e, actorName: r.actorName }));
}

/** The decided review rounds of a draft, newest first (with the checklist comments). */
export function draftReviews(db: DB, draftId: number) {
  return db
    .select({ review: reviews, reviewerName: users.fullName })
    .from(reviews)
    .leftJoin(users, eq(users.id, reviews.reviewerId))
    .where(eq(reviews.draftId, draftId))
    .orderBy(desc(reviews.id))
    .all();
}

/** The decisions on a trainer's drafts, newest first, with whether the trainer has read the notification of each. */
export function notificationsFor(db: DB, userId: number, limit = 50) {
  return db
    .select({ review: reviews, slug: courseDrafts.slug, content: courseDrafts.content, state: courseDrafts.state, reviewerName: users.fullName })
    .from(reviews)
    .innerJoin(courseDrafts, eq(courseDrafts.id, reviews.draftId))
    .leftJoin(users, eq(users.id, reviews.reviewerId))
    .where(and(eq(courseDrafts.createdBy, userId), inArray(reviews.decision, ['changes_requested', 'approved'])))
    .orderBy(desc(reviews.decidedAt), desc(reviews.id))
    .limit(limit)
    .all()
    .map((r) => ({ ...r, decision: r.review.decision!, at: r.review.decidedAt!, draftId: r.review.draftId, read: readState(db, userId, `review:${r.review.id}`) ?? true }));
}

/** Marks a trainer's decision notifications read (when the list was shown). */
export function markNotificationsRead(db: DB, userId: number, now = new Date()): void {
  markReadByRef(db, userId, 'review:', now);
}

export function getDraftForReview(db: DB, draftId: number, actor: Actor): Draft {
  const draft = loadDraft(db, draftId);
  if (!mayRead(draft, actor)) throw new AppError('forbidden', 403);
  return draft;
}
