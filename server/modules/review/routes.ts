import { createRoute, z } from '@hono/zod-openapi';
import { authErrors, commonErrors, errorResponse, newRouter, requireUser } from '@server/lib/http';
import { reviewFacts } from './facts';
import { ChecklistBody, DecisionBody, DraftIdParam, NotificationsSchema, QueueSchema, ReviewDetail, ReviewSchema, DraftStateSchema } from './schemas';
import {
  decide, draftHistory, getDraftForReview, latestReview, notificationsFor, reviewQueue, saveChecklist, submitDraft, takeIntoReview,
  type Draft, type Review,
} from './service';

const json = <T extends z.ZodTypeAny>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });
const body = <T extends z.ZodTypeAny>(schema: T) => ({ body: { content: { 'application/json': { schema } }, required: true } });

const draftState = (d: Draft) => ({ id: d.id, slug: d.slug, state: d.state, revision: d.revision });
const reviewOut = (r: Review) => ({ ...r, startedAt: r.startedAt.toISOString(), decidedAt: r.decidedAt ? r.decidedAt.toISOString() : null });
const title = (d: Pick<Draft, 'content'>) => {
  const t = d.content.manifest.title as { ky?: string; ru?: string };
  return { ky: t.ky ?? '', ru: t.ru ?? '' };
};
const stepErrors = (codes409: string) => ({ ...authErrors, 404: errorResponse('`draft_not_found`'), 409: errorResponse(codes409) });

export const reviewRoutes = newRouter()
  .openapi(
    createRoute({
      method: 'get', path: '/review/queue', tags: ['Review'], summary: 'Drafts submitted to the academy and in review, oldest submission first',
      responses: { 200: json(QueueSchema, 'The queue'), ...authErrors },
    }),
    (c) => {
      requireUser(c, 'reviewer', 'admin');
      const drafts = reviewQueue(c.get('db')).map((q) => ({
        id: q.draft.id, slug: q.draft.slug, state: q.draft.state, revision: q.draft.revision, title: title(q.draft),
        authorName: q.authorName, reviewerName: q.reviewerName, submittedAt: q.submittedAt ? q.submittedAt.toISOString() : null,
      }));
      return c.json({ drafts }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/review/drafts/{id}', tags: ['Review'], summary: 'A draft’s review: state, the current or last checklist, computed facts and the history',
      request: { params: DraftIdParam },
      responses: { 200: json(ReviewDetail, 'The review'), ...authErrors, 404: errorResponse('`draft_not_found`') },
    }),
    (c) => {
      const user = requireUser(c);
      const db = c.get('db');
      const draft = getDraftForReview(db, c.req.valid('param').id, user);
      const review = latestReview(db, draft.id);
      const history = draftHistory(db, draft.id).map((e) => ({ ...e, at: e.at.toISOString() }));
      return c.json({ draft: draftState(draft), review: review ? reviewOut(review) : null, facts: reviewFacts(draft.content) as Record<string, unknown>, history }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/review/drafts/{id}/submit', tags: ['Review'], summary: 'Submit a draft for review (its author or an administrator)',
      request: { params: DraftIdParam },
      responses: {
        200: json(DraftStateSchema, 'Submitted; the draft is locked for editing'),
        ...stepErrors('`draft_state_invalid`: not a draft or changes requested'),
        422: errorResponse('`draft_invalid` with the part of the draft that would stop its publication'),
      },
    }),
    (c) => {
      const user = requireUser(c, 'trainer', 'admin');
      return c.json(draftState(submitDraft(c.get('db'), c.req.valid('param').id, { ...user, ip: c.env?.ip ?? null })), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/review/drafts/{id}/take', tags: ['Review'], summary: 'Take a submitted draft into review (reviewers; not one’s own draft)',
      request: { params: DraftIdParam },
      responses: { 201: json(ReviewSchema, 'The new review round with an empty checklist'), ...stepErrors('`draft_state_invalid`, `draft_state_changed`') },
    }),
    (c) => {
      const user = requireUser(c, 'reviewer', 'admin');
      return c.json(reviewOut(takeIntoReview(c.get('db'), c.req.valid('param').id, { ...user, ip: c.env?.ip ?? null })), 201);
    },
  )
  .openapi(
    createRoute({
      method: 'put', path: '/review/drafts/{id}/checklist', tags: ['Review'], summary: 'Save the checklist (pass/fail and a comment per item) without deciding',
      request: { params: DraftIdParam, ...body(ChecklistBody) },
      responses: { 200: json(ReviewSchema, 'Saved'), ...commonErrors, ...stepErrors('`draft_state_invalid`, `review_taken_by_other`') },
    }),
    (c) => {
      const user = requireUser(c, 'reviewer', 'admin');
      const b = c.req.valid('json');
      return c.json(reviewOut(saveChecklist(c.get('db'), c.req.valid('param').id, user, { checklist: b.checklist, summary: b.summary })), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/review/drafts/{id}/decision', tags: ['Review'], summary: 'Request changes or approve; approval publishes the course at once',
      description: 'Every checklist item needs a result and every failed item a comment. Approval needs every item passed. The author is told in the app and by e-mail through the outbox (`email`: queued, or none when the author has no active account or switched these e-mails off).',
      request: { params: DraftIdParam, ...body(DecisionBody) },
      responses: {
        200: json(z.object({ draft: DraftStateSchema, review: ReviewSchema, email: z.enum(['queued', 'none']) }).openapi('ReviewDecided'), 'Decided'),
        ...commonErrors,
        ...stepErrors('`draft_state_invalid`, `review_taken_by_other`, `checklist_failed` (approval with a failed item), `publish_failed`'),
      },
    }),
    (c) => {
      const user = requireUser(c, 'reviewer', 'admin');
      const b = c.req.valid('json');
      const out = decide(c.get('db'), c.req.valid('param').id, { ...user, ip: c.env?.ip ?? null }, b.decision, { checklist: b.checklist, summary: b.summary });
      return c.json({ draft: draftState(out.draft), review: reviewOut(out.review), email: out.email }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/review/decisions', tags: ['Review'], summary: 'The review decisions on the signed-in trainer’s drafts, newest first',
      responses: { 200: json(NotificationsSchema, 'Decisions'), ...authErrors },
    }),
    (c) => {
      const user = requireUser(c);
      const decisions = notificationsFor(c.get('db'), user.id).map((r) => ({
        id: r.review.id, draftId: r.draftId, slug: r.slug, decision: r.decision, at: r.at.toISOString(), reviewerName: r.reviewerName,
        summary: r.review.summary, failed: r.review.checklist.filter((e) => e.result === 'fail').map((e) => ({ item: e.item, comment: e.comment })),
        read: r.read,
      }));
      return c.json({ decisions }, 200);
    },
  );
