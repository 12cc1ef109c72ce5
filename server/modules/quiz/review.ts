/** Results and review: what a finished attempt shows, and when its keys may be seen. */
import type { DB } from '@db/client';
import { AppError } from '@server/lib/errors';
import { questionType } from './types';
import { questionnaireProfile, type QualityScore } from './types/questionnaire';
import type { Bilingual } from './types/common';
import { countedAttempts, isStaff, listCourseQuizzes, meets, quizGrade, stmts, type Attempt, type Quiz, type Viewer } from './quizzes';
import { getQuizAny, itemsWithQuestions, loadAttempt, type PublicQuestion } from './attempts';

/** Whether correct answers may be shown for this finished attempt. */
export function reviewAllowed(quiz: Quiz, attempt: Attempt, attempts: Attempt[], now = new Date()): boolean {
  if (attempt.status !== 'finished') return false;
  switch (quiz.review) {
    case 'immediately':
      return true;
    case 'after_last_attempt': {
      if (quiz.closesAt && now >= quiz.closesAt) return true;
      const grade = quizGrade(quiz.gradingMethod, attempts);
      const open = attempts.some((a) => a.status === 'in_progress');
      const used = quiz.attemptsAllowed !== null && attempts.length >= quiz.attemptsAllowed;
      return !open && (used || (grade !== null && meets(grade, quiz.passPercent)));
    }
    case 'after_close':
      return !!quiz.closesAt && now >= quiz.closesAt;
    default:
      return false;
  }
}

/**
 * The question categories whose keys a learner may not see yet: those drawn by a quiz of the course
 * they have not finished in their current enrolment — not passed, attempts left, not closed. A
 * review never shows the key of a question the learner can still be given in a graded test (the
 * final test draws from the module quizzes' pools). Three prepared reads: the course's quizzes, the
 * enrolment, its attempts.
 */
export function keysWithheld(db: DB, userId: number, courseId: number, now = new Date()): Set<string> {
  const attempts = countedAttempts(db, userId, courseId);
  const withheld = new Set<string>();
  for (const q of listCourseQuizzes(db, courseId)) {
    const mine = attempts.filter((a) => a.quizId === q.id);
    const grade = quizGrade(q.gradingMethod, mine);
    const passed = grade !== null && meets(grade, q.passPercent);
    const open = mine.some((a) => a.status === 'in_progress');
    const used = q.attemptsAllowed !== null && mine.length >= q.attemptsAllowed && !open;
    const closed = q.closesAt !== null && now >= q.closesAt;
    if (!passed && !used && !closed) for (const rule of q.draw) withheld.add(rule.category);
  }
  return withheld;
}

/** A question of a finished attempt as the result page shows it: as in the attempt, and what review allows. */
export type ReviewItem = Omit<PublicQuestion, 'seq' | 'savedAt'> & {
  /** true when the review is allowed but this question's key is withheld (it can still be drawn in a test the learner has not finished) */
  keyWithheld?: boolean;
  /** only when review is allowed */
  fraction?: number | null;
  correctResponse?: unknown;
  feedback?: Bilingual | null;
  comment?: string | null;
  yourAnswer: { key: string; label: Bilingual }[];
  rightAnswer?: { key: string; label: Bilingual }[];
};

/** A finished attempt's score, pass or fail, and — when the quiz allows review — the correct answers. */
export function attemptResult(db: DB, attemptId: number, viewer: Viewer, now = new Date()) {
  const attempt = loadAttempt(db, attemptId, viewer, now);
  const quiz = getQuizAny(db, attempt.quizId);
  if (attempt.status !== 'finished') throw new AppError('attempt_in_progress', 409);
  // The grade, the attempts used and the review setting count the attempts of the same enrolment.
  const all = stmts(db).attemptsOf.all({ userId: attempt.userId, quizId: quiz.id }).filter((a) => a.enrolmentId === attempt.enrolmentId);
  const staffView = isStaff(viewer) && viewer.id !== attempt.userId;
  const review = reviewAllowed(quiz, attempt, all, now) || staffView;
  // The learner's own review: no key of a question they can still be given in an unfinished test.
  const withheld = review && !staffView ? keysWithheld(db, attempt.userId, quiz.courseId, now) : new Set<string>();
  const items: ReviewItem[] = itemsWithQuestions(db, attemptId).map(({ item, question }) => {
    const type = questionType(question.kind);
    const base: ReviewItem = {
      id: question.id,
      position: item.position,
      kind: question.kind,
      text: { ky: question.stemKy, ru: question.stemRu },
      mark: item.mark,
      options: type.forBrowser(question.options, item.optionOrder),
      response: item.response,
      yourAnswer: item.response === null ? [] : type.summary(question.options, item.response),
    };
    // No right answer, no mark (questionnaire): only what was answered, never a profile.
    if (!review || type.ungraded) return base;
    // Withheld: neither the key, nor the mark per question, nor the explanation (each tells the key).
    if (withheld.has(question.category)) return { ...base, keyWithheld: true, comment: item.comment };
    const correct = type.correctResponse(question.options);
    return {
      ...base,
      fraction: item.fraction,
      correctResponse: correct,
      rightAnswer: correct === null ? undefined : type.summary(question.options, correct),
      feedback: question.feedbackKy && question.feedbackRu ? { ky: question.feedbackKy, ru: question.feedbackRu } : null,
      comment: item.comment,
    };
  });
  const grade = quizGrade(quiz.gradingMethod, all);
  return {
    attempt,
    quiz,
    review,
    items,
    quizGrade: grade,
    quizPassed: grade !== null && meets(grade, quiz.passPercent),
    attemptsUsed: all.length,
  };
}

/**
 * The qualities profile of an attempt's questionnaire answers (types/questionnaire.ts explains the
 * scoring). No quiz route and no page of the person who took the test returns it: only a caller that
 * has decided who may read it (the attestation commission and the personnel officer) calls this.
 */
export function attemptProfile(db: DB, attemptId: number): QualityScore[] {
  const rows = itemsWithQuestions(db, attemptId).filter(({ question }) => questionType(question.kind).ungraded);
  return questionnaireProfile(rows.map(({ item, question }) => ({ options: question.options, response: item.response })));
}
