/**
 * The learner's end-of-course survey: four questions rated 1–5 and a comment, one per enrolment.
 * Giving it may complete the course when the course's rule asks for feedback (the learning module
 * owns that rule; it asks `feedbackGiven` here).
 */
import { and, eq } from 'drizzle-orm';
import type { DB } from '@db/client';
import { courseFeedback, enrolments } from '@db/schema';
import { AppError } from '@server/lib/errors';
import { provide } from '@server/lib/hooks';
import { enrolmentProgress, settleCourseCompletion, type Enrolment } from '../learning/service';
import type { FeedbackInput } from './schemas';

export type Feedback = typeof courseFeedback.$inferSelect;

/** Whether the enrolment's survey was given (for the completion rule). */
export function feedbackGiven(db: DB, enrolmentId: number): boolean {
  return db.select({ id: courseFeedback.id }).from(courseFeedback).where(eq(courseFeedback.enrolmentId, enrolmentId)).get() !== undefined;
}

/** The survey given for an enrolment, if any. */
export function feedbackFor(db: DB, enrolmentId: number): Feedback | undefined {
  return db.select().from(courseFeedback).where(eq(courseFeedback.enrolmentId, enrolmentId)).get();
}

/**
 * The survey is open at the course's end: once the enrolment is completed, or — when the rule asks
 * for feedback — once everything else the rule asks is met.
 */
export function feedbackOpen(db: DB, enrolment: Enrolment): boolean {
  if (enrolment.status === 'completed') return true;
  if (enrolment.status !== 'active') return false;
  const c = enrolmentProgress(db, enrolment).completion;
  return c.lessons.met && c.moduleQuizzes.met && c.finalTest.met;
}

function ownEnrolment(db: DB, userId: number, enrolmentId: number): Enrolment {
  const e = db.select().from(enrolments).where(and(eq(enrolments.id, enrolmentId), eq(enrolments.userId, userId))).get();
  // Someone else's enrolment is "not found": its existence is not told.
  if (!e) throw new AppError('enrolment_not_found', 404);
  return e;
}

/** The learner's own survey of an enrolment (404 for another person's enrolment or when none was given). */
export function myFeedback(db: DB, userId: number, enrolmentId: number): Feedback {
  ownEnrolment(db, userId, enrolmentId);
  const f = feedbackFor(db, enrolmentId);
  if (!f) throw new AppError('feedback_not_found', 404);
  return f;
}

/**
 * Records the survey of the learner's own enrolment, once: a second submission is 409
 * `feedback_already_given` (answers are not edited). Completes the course in the same transaction
 * when its rule was waiting only for feedback. Returns the feedback and the enrolment as it now is.
 */
export function submitFeedback(db: DB, userId: number, enrolmentId: number, input: FeedbackInput, now = new Date()): { feedback: Feedback; enrolment: Enrolment } {
  return db.transaction(
    (tx) => {
      const e = ownEnrolment(tx, userId, enrolmentId);
      if (e.status === 'withdrawn') throw new AppError('enrolment_not_active', 409);
      if (feedbackFor(tx, e.id)) throw new AppError('feedback_already_given', 409);
      if (!feedbackOpen(tx, e)) throw new AppError('feedback_too_early', 409);
      const feedback = tx
        .insert(courseFeedback)
        .values({
          enrolmentId: e.id,
          courseId: e.courseId,
          versionId: e.versionId,
          relevance: input.relevance,
          clarity: input.clarity,
          usefulness: input.usefulness,
          trainer: input.trainer,
          comment: input.comment?.trim() || null,
          createdAt: now,
        })
        .returning()
        .get();
      if (e.status === 'active') settleCourseCompletion(tx, userId, e.courseId, now);
      const enrolment = tx.select().from(enrolments).where(eq(enrolments.id, e.id)).get()!;
      return { feedback, enrolment };
    },
  );
}

export function toFeedback(f: Feedback) {
  return {
    enrolmentId: f.enrolmentId,
    relevance: f.relevance,
    clarity: f.clarity,
    usefulness: f.usefulness,
    trainer: f.trainer,
    legacyRating: f.legacyRating,
    comment: f.comment,
    createdAt: f.createdAt.toISOString(),
  };
}

// What the modules below ask of feedback (server/lib/hooks.ts).
provide('feedbackGiven', feedbackGiven);
