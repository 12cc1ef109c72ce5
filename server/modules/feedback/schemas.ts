import { z } from '@hono/zod-openapi';

/** The four survey questions, in the order the form asks them. */
export const FEEDBACK_QUESTIONS = ['relevance', 'clarity', 'usefulness', 'trainer'] as const;
export type FeedbackQuestion = (typeof FEEDBACK_QUESTIONS)[number];

const Rating = z.coerce.number().int().min(1).max(5);

export const FeedbackBody = z
  .object({
    relevance: Rating.openapi({ description: 'The course was relevant to my work, 1 (not at all) – 5 (fully)', example: 5 }),
    clarity: Rating.openapi({ description: 'The material was clear, 1–5', example: 4 }),
    usefulness: Rating.openapi({ description: 'I can use what I learned in my job, 1–5', example: 4 }),
    trainer: Rating.openapi({ description: 'The trainer: how the course was taught and its materials, 1–5', example: 5 }),
    comment: z.string().max(2000).optional().openapi({ description: 'Optional, at most 2,000 characters; shown to the academy without the author’s name' }),
  })
  .openapi('FeedbackBody');
export type FeedbackInput = z.infer<typeof FeedbackBody>;

export const FeedbackSchema = z
  .object({
    enrolmentId: z.number().int(),
    relevance: z.number().int().nullable(),
    clarity: z.number().int().nullable(),
    usefulness: z.number().int().nullable(),
    trainer: z.number().int().nullable(),
    legacyRating: z.number().int().nullable().openapi({ description: 'Only on feedback moved from the earlier single-rating form (the four questions are then null)' }),
    comment: z.string().nullable(),
    createdAt: z.string().openapi({ description: 'ISO 8601, UTC' }),
  })
  .openapi('CourseFeedback');
