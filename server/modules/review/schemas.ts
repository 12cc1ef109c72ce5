import { z } from '@hono/zod-openapi';
import { CHECKLIST_ITEMS } from '@db/schema/review';

export const DraftIdParam = z.object({ id: z.coerce.number().int().positive().max(2 ** 31).openapi({ param: { name: 'id', in: 'path' }, example: 1 }) });

export const ChecklistEntrySchema = z
  .object({
    item: z.enum(CHECKLIST_ITEMS),
    result: z.enum(['pass', 'fail']).nullable(),
    comment: z.string().max(4000).default(''),
  })
  .openapi('ChecklistEntry');

export const ChecklistBody = z
  .object({
    checklist: z.array(ChecklistEntrySchema).max(CHECKLIST_ITEMS.length).default([]),
    summary: z.string().max(8000).optional().openapi({ description: 'A general comment sent to the trainer with the decision' }),
  })
  .openapi('ChecklistInput');

export const DecisionBody = ChecklistBody.extend({ decision: z.enum(['changes_requested', 'approved']) }).openapi('ReviewDecision');

export const ReviewSchema = z
  .object({
    id: z.number().int(),
    draftId: z.number().int(),
    revision: z.number().int(),
    reviewerId: z.number().int(),
    checklist: z.array(z.object({ item: z.enum(CHECKLIST_ITEMS), result: z.enum(['pass', 'fail']).nullable(), comment: z.string() })),
    summary: z.string(),
    decision: z.enum(['changes_requested', 'approved']).nullable(),
    startedAt: z.string(),
    decidedAt: z.string().nullable(),
  })
  .openapi('Review');

export const DraftStateSchema = z
  .object({ id: z.number().int(), slug: z.string(), state: z.string(), revision: z.number().int() })
  .openapi('DraftState');

export const EventSchema = z
  .object({
    id: z.number().int(),
    action: z.string(),
    fromState: z.string(),
    toState: z.string(),
    revision: z.number().int(),
    actorId: z.number().int().nullable(),
    actorName: z.string().nullable(),
    comment: z.string(),
    at: z.string(),
  })
  .openapi('ReviewEvent');

export const FactsSchema = z.record(z.string(), z.unknown()).openapi('ReviewFacts', {
  description: 'Computed facts for the checklist: objectives per language, missing translations, practice share, captions, alt text, assessment',
});

export const ReviewDetail = z
  .object({ draft: DraftStateSchema, review: ReviewSchema.nullable(), facts: FactsSchema, history: z.array(EventSchema) })
  .openapi('ReviewDetail');

export const QueueSchema = z
  .object({
    drafts: z.array(
      z.object({
        id: z.number().int(),
        slug: z.string(),
        state: z.string(),
        revision: z.number().int(),
        title: z.object({ ky: z.string(), ru: z.string() }),
        authorName: z.string().nullable(),
        reviewerName: z.string().nullable(),
        submittedAt: z.string().nullable(),
      }),
    ),
  })
  .openapi('ReviewQueue');

export const NotificationsSchema = z
  .object({
    decisions: z.array(
      z.object({
        id: z.number().int().openapi({ description: 'the review round' }),
        draftId: z.number().int(),
        slug: z.string(),
        decision: z.enum(['changes_requested', 'approved']),
        at: z.string(),
        reviewerName: z.string().nullable(),
        summary: z.string(),
        failed: z.array(z.object({ item: z.string(), comment: z.string() })),
        read: z.boolean().openapi({ description: 'whether the trainer has read the notification of this decision' }),
      }),
    ),
  })
  .openapi('ReviewDecisions');
