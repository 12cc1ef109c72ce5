/** Quizzes and their rules: a course's quizzes, who may start one, grades and outcomes, the statements of the exam-day hot path. */
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type Database from 'better-sqlite3';
import type { DB } from '@db/client';
import { quizAttemptItems, quizAttempts, quizQuestions, quizzes, type GradingMethod } from '@db/schema';
import type { Role } from '@db/domain';
import { AppError } from '@server/lib/errors';
import { hook, type Hooks } from '@server/lib/hooks';
import { prepared } from '@db/statements';

export type Quiz = typeof quizzes.$inferSelect;
export type Attempt = typeof quizAttempts.$inferSelect;
export type Item = typeof quizAttemptItems.$inferSelect;
export type Question = typeof quizQuestions.$inferSelect;
export type Viewer = { id: number; roles: Role[] };

/** Roles that see every attempt: they grade essays and analyse questions. */
export const STAFF_ROLES: Role[] = ['trainer', 'reviewer', 'admin'];
export const isStaff = (v: Viewer) => v.roles.some((r) => STAFF_ROLES.includes(r));


/** The active quizzes of a course: module quizzes by position, then the final test. */
export function listCourseQuizzes(db: DB, courseId: number): Quiz[] {
  return stmts(db)
    .courseQuizzes.all({ courseId })
    .sort((a, b) => (a.modulePosition ?? 1e9) - (b.modulePosition ?? 1e9) || a.id - b.id);
}

/**
 * Statements of the exam-day hot path (start, save, submit, result), prepared once per connection:
 * building and compiling the SQL of each query on every request cost more than running it. A
 * transaction handle finds the same statements (connectionOf), and they run inside its transaction,
 * since better-sqlite3 has one connection.
 */
function prepareHot(db: DB, raw: Database.Database) {
  const p = sql.placeholder;
  return {
    quiz: db.select().from(quizzes).where(eq(quizzes.id, p('id'))).prepare(),
    courseQuizzes: db.select().from(quizzes).where(and(eq(quizzes.courseId, p('courseId')), eq(quizzes.active, true))).prepare(),
    /** the attempts made in one enrolment (for the completion rule and the review guard) */
    enrolmentAttempts: db.select().from(quizAttempts).where(eq(quizAttempts.enrolmentId, p('enrolmentId'))).prepare(),
    attemptsOf: db
      .select()
      .from(quizAttempts)
      .where(and(eq(quizAttempts.userId, p('userId')), eq(quizAttempts.quizId, p('quizId'))))
      .orderBy(desc(quizAttempts.number))
      .prepare(),
    attempt: db.select().from(quizAttempts).where(eq(quizAttempts.id, p('id'))).prepare(),
    item: db
      .select({ item: quizAttemptItems, kind: quizQuestions.kind, options: quizQuestions.options })
      .from(quizAttemptItems)
      .innerJoin(quizQuestions, eq(quizQuestions.id, quizAttemptItems.questionId))
      .where(and(eq(quizAttemptItems.attemptId, p('attemptId')), eq(quizAttemptItems.questionId, p('questionId'))))
      .prepare(),
    itemsWithQuestions: db
      .select({ item: quizAttemptItems, question: quizQuestions })
      .from(quizAttemptItems)
      .innerJoin(quizQuestions, eq(quizQuestions.id, quizAttemptItems.questionId))
      .where(eq(quizAttemptItems.attemptId, p('attemptId')))
      .orderBy(asc(quizAttemptItems.position))
      .prepare(),
    itemMarks: db.select({ fraction: quizAttemptItems.fraction, mark: quizAttemptItems.mark }).from(quizAttemptItems).where(eq(quizAttemptItems.attemptId, p('attemptId'))).prepare(),
    // Writes in plain SQL: drizzle encodes a placeholder's value with the column's encoder even when
    // it is null (a null boolean would be stored as 0, a null JSON as the text 'null').
    insertAttempt: raw.prepare<[quizId: number, userId: number, enrolmentId: number | null, number: number, startedAt: number, deadlineAt: number | null, maxScore: number], { id: number }>(
      "INSERT INTO quiz_attempts (quiz_id, user_id, enrolment_id, number, status, started_at, deadline_at, max_score, needs_grading) VALUES (?, ?, ?, ?, 'in_progress', ?, ?, ?, 0) RETURNING id",
    ),
    insertItem: raw.prepare<[attemptId: number, position: number, questionId: number, optionOrder: string | null, mark: number]>(
      'INSERT INTO quiz_attempt_items (attempt_id, position, question_id, option_order, mark) VALUES (?, ?, ?, ?, ?)',
    ),
    saveResponse: raw.prepare<[response: string | null, seq: number, savedAt: number, id: number]>('UPDATE quiz_attempt_items SET response = ?, seq = ?, saved_at = ? WHERE id = ?'),
    setFraction: raw.prepare<[fraction: number | null, id: number]>('UPDATE quiz_attempt_items SET fraction = ? WHERE id = ?'),
    finish: raw.prepare<[finishedAt: number, closedBy: 'learner' | 'deadline', id: number]>("UPDATE quiz_attempts SET status = 'finished', finished_at = ?, closed_by = ? WHERE id = ?"),
    setScore: raw.prepare<[score: number, percent: number | null, passed: 0 | 1 | null, needsGrading: 0 | 1, id: number]>(
      'UPDATE quiz_attempts SET score = ?, percent = ?, passed = ?, needs_grading = ? WHERE id = ?',
    ),
  };
}
export function stmts(db: DB) {
  return prepared(db, prepareHot);
}

/** An active quiz of a published course, or 404. */
export function getQuiz(db: DB, quizId: number): Quiz & { course: NonNullable<ReturnType<Hooks['courseBrief']>> } {
  const quiz = stmts(db).quiz.get({ id: quizId });
  const course = quiz && hook('courseBrief')(db, quiz.courseId);
  if (!quiz || !quiz.active || !course?.published) throw new AppError('quiz_not_found', 404);
  return { ...quiz, course };
}

export const questionCount = (quiz: Pick<Quiz, 'draw'>) => quiz.draw.reduce((n, r) => n + r.count, 0);

/** Why a new attempt cannot start now, or null when it can. */
export function startBlocker(quiz: Quiz, attempts: Attempt[], now = new Date()): string | null {
  if (quiz.opensAt && now < quiz.opensAt) return 'quiz_not_open';
  if (quiz.closesAt && now >= quiz.closesAt) return 'quiz_closed';
  if (attempts.some((a) => a.status === 'in_progress')) return null; // resumes
  if (quiz.attemptsAllowed !== null && attempts.length >= quiz.attemptsAllowed) return 'no_attempts_left';
  return null;
}

/** The quiz grade by its grading method over finished, fully graded attempts (percent), or null. */
export function quizGrade(method: GradingMethod, attempts: Attempt[]): number | null {
  const graded = attempts.filter((a) => a.status === 'finished' && a.percent !== null).sort((a, b) => a.number - b.number);
  if (!graded.length) return null;
  if (method === 'highest') return Math.max(...graded.map((a) => a.percent!));
  if (method === 'last') return graded[graded.length - 1]!.percent;
  return graded.reduce((n, a) => n + a.percent!, 0) / graded.length;
}

export const meets = (percent: number, pass: number) => percent + 1e-9 >= pass;

/**
 * The attempts that count now for a learner in a course: those of their current enrolment (active,
 * else the latest completed). A new enrolment starts with none, so a retake is passed anew.
 */
export function countedAttempts(db: DB, userId: number, courseId: number): Attempt[] {
  const enrolment = hook('currentEnrolment')(db, userId, courseId);
  return enrolment ? stmts(db).enrolmentAttempts.all({ enrolmentId: enrolment.id }) : [];
}

/**
 * For the course completion rule: each active quiz of the course and whether the learner passed
 * it in the given enrolment (the grade by the quiz's grading method meets its pass mark); without
 * an enrolment, in their current one.
 */
export function quizOutcomes(db: DB, userId: number, courseId: number, enrolmentId?: number): { quizId: number; kind: 'module' | 'final'; modulePosition: number | null; passed: boolean }[] {
  const list = listCourseQuizzes(db, courseId);
  if (!list.length) return [];
  const attempts = enrolmentId === undefined ? countedAttempts(db, userId, courseId) : stmts(db).enrolmentAttempts.all({ enrolmentId });
  return list.map((q) => {
    const grade = quizGrade(q.gradingMethod, attempts.filter((a) => a.quizId === q.id));
    return { quizId: q.id, kind: q.kind, modulePosition: q.modulePosition, passed: grade !== null && meets(grade, q.passPercent) };
  });
}
