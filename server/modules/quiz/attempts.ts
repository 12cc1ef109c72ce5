/** Attempts: drawn from the bank, started, answered, submitted and closed at their deadline. */
import { and, asc, eq, lte } from 'drizzle-orm';
import { randomInt } from 'node:crypto';
import type { DB } from '@db/client';
import { quizAttemptItems, quizAttempts, quizQuestions } from '@db/schema';
import { AppError } from '@server/lib/errors';
import { questionType } from './types';
import type { Bilingual, FormReader } from './types/common';
import { hook } from '@server/lib/hooks';
import { prepared } from '@db/statements';
import { getQuiz, isStaff, meets, startBlocker, stmts, type Attempt, type Item, type Question, type Quiz, type Viewer } from './quizzes';

/** Drawing pools cached per course, category and quiz version, per database; an import clears them. */
export const newPoolCache = () => new Map<string, Pick<Question, 'id' | 'kind' | 'options' | 'mark'>[]>();

/**
 * A learner's attempts at a quiz, newest first (finishing one whose deadline has passed). One
 * lookup on the (user, quiz, number) unique index: never a scan of other learners' attempts.
 */
export function learnerAttempts(db: DB, quizId: number, userId: number, now = new Date()): Attempt[] {
  const read = () => stmts(db).attemptsOf.all({ userId, quizId });
  const rows = read();
  return closeIfExpired(db, rows.find((a) => a.status === 'in_progress'), now) ? read() : rows;
}

/** A learner's attempts at one quiz in their current enrolment in its course, newest first (for the quiz page). */
export function currentAttempts(db: DB, quiz: Pick<Quiz, 'id' | 'courseId'>, userId: number, now = new Date()): Attempt[] {
  const enrolment = hook('currentEnrolment')(db, userId, quiz.courseId);
  // An attempt still open (whatever enrolment it began in) is the one startAttempt resumes.
  return learnerAttempts(db, quiz.id, userId, now).filter((a) => a.status === 'in_progress' || (enrolment !== undefined && a.enrolmentId === enrolment.id));
}

function shuffle<T>(items: T[]): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

/**
 * The current questions of a category. Cached per quiz version: every import that changes a course
 * touches its quizzes' updatedAt, so a server keeps drawing correctly even when another process
 * (npm run courses:import) imported the bank.
 */
function pool(db: DB, quiz: Pick<Quiz, 'courseId' | 'updatedAt'>, category: string) {
  const courseId = quiz.courseId;
  const key = `${courseId}/${category}/${quiz.updatedAt.getTime()}`;
  const poolCache = prepared(db, newPoolCache);
  let rows = poolCache.get(key);
  if (!rows) {
    if (poolCache.size > 2000) poolCache.clear();
    rows = db
      .select({ id: quizQuestions.id, kind: quizQuestions.kind, options: quizQuestions.options, mark: quizQuestions.mark })
      .from(quizQuestions)
      .where(and(eq(quizQuestions.courseId, courseId), eq(quizQuestions.category, category), eq(quizQuestions.current, true)))
      .all();
    poolCache.set(key, rows);
  }
  return rows;
}

/**
 * Starts an attempt, or returns the learner's attempt in progress. One short write transaction:
 * the learner's own attempts (unique index), the drawing pools (cached), and the inserts — no scan
 * of other learners' attempts, so thousands can start at the same minute.
 */
export function startAttempt(db: DB, quizId: number, userId: number, now = new Date()): { attemptId: number; resumed: boolean } {
  const quiz = getQuiz(db, quizId);
  return db.transaction(
    () => {
      const mine = learnerAttempts(db, quizId, userId, now); // same connection, inside this transaction
      const open = mine.find((a) => a.status === 'in_progress');
      if (open) return { attemptId: open.id, resumed: true };
      // A course's tests are for the learners enrolled in it (assigned or self-enrolled; a completed
      // course's tests may be retaken), as its lessons are.
      const enrolment = hook('currentEnrolment')(db, userId, quiz.courseId);
      if (!enrolment) throw new AppError('not_enrolled', 403);
      // The attempt limit counts the attempts of this enrolment (a new enrolment is a new taking).
      const blocker = startBlocker(quiz, mine.filter((a) => a.enrolmentId === enrolment.id), now);
      if (blocker) throw new AppError(blocker, 409);
      let deadline = quiz.timeLimitSeconds ? new Date(now.getTime() + quiz.timeLimitSeconds * 1000) : null;
      if (quiz.closesAt && (!deadline || quiz.closesAt < deadline)) deadline = quiz.closesAt;
      return { attemptId: drawAttempt(db, quiz, userId, enrolment.id, (mine[0]?.number ?? 0) + 1, deadline, now), resumed: false };
    },
  );
}

/**
 * Starts an attempt outside any course enrolment — a testing session of an attestation (the caller,
 * the attestation module, has decided the person may take it): drawn, saved, graded and closed exactly
 * as a course attempt, with the deadline the caller fixes (the session's end, or the quiz's time limit
 * if that comes first). Its enrolment is null, so it counts toward no course and no attempt limit.
 * Runs inside the caller's transaction.
 */
export function startStandaloneAttempt(db: DB, quizId: number, userId: number, endsAt: Date, now = new Date()): number {
  const quiz = getQuiz(db, quizId);
  let deadline = endsAt;
  if (quiz.timeLimitSeconds && now.getTime() + quiz.timeLimitSeconds * 1000 < deadline.getTime()) deadline = new Date(now.getTime() + quiz.timeLimitSeconds * 1000);
  const last = stmts(db).attemptsOf.all({ userId, quizId })[0];
  return drawAttempt(db, quiz, userId, null, (last?.number ?? 0) + 1, deadline, now);
}

/** Draws the questions by the quiz's rules and writes the attempt and its items; returns its id. */
function drawAttempt(db: DB, quiz: Quiz, userId: number, enrolmentId: number | null, number: number, deadline: Date | null, now: Date): number {
  const drawn: ReturnType<typeof pool> = [];
  for (const rule of quiz.draw) {
    const candidates = pool(db, quiz, rule.category);
    if (candidates.length < rule.count) throw new AppError('quiz_pool_too_small', 409);
    drawn.push(...shuffle(candidates).slice(0, rule.count));
  }
  const ordered = quiz.shuffleQuestions ? shuffle(drawn) : drawn.sort((a, b) => a.id - b.id);
  // A question without a right answer (questionnaire) carries no mark: 0 of 0, never in the score.
  const markOf = (q: (typeof ordered)[number]) => (questionType(q.kind).ungraded ? 0 : q.mark);
  const maxScore = ordered.reduce((n, q) => n + markOf(q), 0);
  const attemptId = stmts(db).insertAttempt.get(quiz.id, userId, enrolmentId, number, now.getTime(), deadline?.getTime() ?? null, maxScore)!.id;
  ordered.forEach((q, i) => {
    const type = questionType(q.kind);
    const ids = type.shuffleable(q.options);
    // Some kinds are always shown shuffled (ordering: the right order is the key).
    const order = ids && (quiz.shuffleOptions || type.alwaysShuffled) ? shuffle(ids) : null;
    stmts(db).insertItem.run(attemptId, i + 1, q.id, order && JSON.stringify(order), markOf(q));
  });
  return attemptId;
}

/**
 * Whether this browser may use the attempt: an attempt of an attestation testing session belongs to
 * one device at a time (the attestation module answers; any other attempt passes). `device` is the
 * browser's device cookie. Throws `session_other_device` (409).
 */
export function checkAttemptDevice(db: DB, attemptId: number, device: string | null | undefined): void {
  hook('attemptDevice')(db, attemptId, device ?? null);
}

export function loadAttempt(db: DB, attemptId: number, viewer: Viewer, now: Date): Attempt {
  let attempt = stmts(db).attempt.get({ id: attemptId });
  if (!attempt || (attempt.userId !== viewer.id && !isStaff(viewer))) throw new AppError('attempt_not_found', 404);
  if (closeIfExpired(db, attempt, now)) attempt = stmts(db).attempt.get({ id: attemptId })!;
  return attempt;
}

/** Finishes an attempt whose deadline has passed. Returns true when it did. */
function closeIfExpired(db: DB, attempt: Attempt | undefined, now: Date): boolean {
  if (!attempt || attempt.status !== 'in_progress' || !attempt.deadlineAt || now < attempt.deadlineAt) return false;
  return db.transaction(() => finalise(db, attempt.id, 'deadline', now));
}

/** Grades every saved answer and closes the attempt. Returns false if it was already finished. */
function finalise(db: DB, attemptId: number, closedBy: 'learner' | 'deadline', now: Date): boolean {
  const attempt = stmts(db).attempt.get({ id: attemptId });
  if (!attempt || attempt.status !== 'in_progress') return false;
  const rows = itemsWithQuestions(db, attemptId);
  for (const { item, question } of rows) {
    const type = questionType(question.kind);
    let fraction: number | null = 0;
    if (type.ungraded) fraction = 0; // its mark is 0: nothing to grade, nothing waits
    else if (type.manual) fraction = item.response === null ? 0 : null;
    else if (item.response !== null) fraction = type.grade(question.options, item.response)?.fraction ?? 0;
    stmts(db).setFraction.run(fraction, item.id);
  }
  stmts(db).finish.run((closedBy === 'deadline' && attempt.deadlineAt ? attempt.deadlineAt : now).getTime(), closedBy, attemptId);
  recomputeScore(db, attemptId);
  // An attestation session's attempt: its result goes to the person's campaign row (same transaction).
  if (attempt.enrolmentId === null) hook('attemptFinished')(db, attemptId, now);
  return true;
}

/** Sums the graded items; the attempt passes or fails only when nothing waits for a trainer. */
export function recomputeScore(db: DB, attemptId: number): void {
  const attempt = stmts(db).attempt.get({ id: attemptId })!;
  const quiz = stmts(db).quiz.get({ id: attempt.quizId })!;
  const items = stmts(db).itemMarks.all({ attemptId });
  const pending = items.some((i) => i.fraction === null);
  const score = items.reduce((n, i) => n + (i.fraction ?? 0) * i.mark, 0);
  const percent = pending ? null : attempt.maxScore ? (score / attempt.maxScore) * 100 : 0;
  const passed = percent === null ? null : meets(percent, quiz.passPercent) ? 1 : 0;
  stmts(db).setScore.run(Math.round(score * 1e6) / 1e6, percent === null ? null : Math.round(percent * 1e4) / 1e4, passed, pending ? 1 : 0, attemptId);
  // A passed quiz may complete the course (the learning module owns the completion rule); an attempt
  // outside any enrolment (attestation testing) counts toward no course.
  if (!pending && attempt.enrolmentId !== null) hook('settleCourseCompletion')(db, attempt.userId, quiz.courseId);
}

export function itemsWithQuestions(db: DB, attemptId: number): { item: Item; question: Question }[] {
  return stmts(db).itemsWithQuestions.all({ attemptId });
}

export type PublicQuestion = {
  id: number;
  position: number;
  kind: string;
  text: Bilingual;
  mark: number;
  options: unknown;
  response: unknown;
  seq: number;
  savedAt: Date | null;
};

export type AttemptView = {
  attempt: Attempt;
  quiz: ReturnType<typeof getQuiz>;
  questions: PublicQuestion[];
};

/** An attempt with its questions as the learner may see them: no key, no grade. */
export function getAttempt(db: DB, attemptId: number, viewer: Viewer, now = new Date()): AttemptView {
  const attempt = loadAttempt(db, attemptId, viewer, now);
  const quiz = getQuizAny(db, attempt.quizId);
  const questions = itemsWithQuestions(db, attemptId).map(({ item, question }) => ({
    id: question.id,
    position: item.position,
    kind: question.kind,
    text: { ky: question.stemKy, ru: question.stemRu },
    mark: item.mark,
    options: questionType(question.kind).forBrowser(question.options, item.optionOrder),
    response: item.response,
    seq: item.seq,
    savedAt: item.savedAt,
  }));
  return { attempt, quiz, questions };
}

/** A quiz even when retired, for attempts made while it was active. */
export function getQuizAny(db: DB, quizId: number): ReturnType<typeof getQuiz> {
  const quiz = stmts(db).quiz.get({ id: quizId })!;
  return { ...quiz, course: hook('courseBrief')(db, quiz.courseId)! };
}

function openAttemptFor(db: DB, attemptId: number, userId: number, now: Date): Attempt {
  const attempt = loadAttempt(db, attemptId, { id: userId, roles: [] }, now);
  if (attempt.status !== 'in_progress') {
    throw new AppError(attempt.closedBy === 'deadline' ? 'attempt_deadline_passed' : 'attempt_finished', 409);
  }
  return attempt;
}

/** Re-checked inside the write transaction, so no other process can have closed the attempt meanwhile. */
function stillOpen(db: DB, attemptId: number, now: Date): void {
  const a = stmts(db).attempt.get({ id: attemptId });
  if (!a || a.status !== 'in_progress') throw new AppError(a?.closedBy === 'deadline' ? 'attempt_deadline_passed' : 'attempt_finished', 409);
  if (a.deadlineAt && now >= a.deadlineAt) throw new AppError('attempt_deadline_passed', 409);
}

/**
 * Saves one answer. Idempotent by the client's sequence number: a repeated or older save changes
 * nothing and answers with what is stored, so retries after a lost reply are safe. `null` clears.
 */
export function saveAnswer(db: DB, attemptId: number, questionId: number, userId: number, input: { response: unknown; seq: number }, now = new Date()): { seq: number; savedAt: Date | null; applied: boolean } {
  openAttemptFor(db, attemptId, userId, now);
  return db.transaction(
    (tx) => {
      stillOpen(db, attemptId, now);
      const row = stmts(db).item.get({ attemptId, questionId });
      if (!row) throw new AppError('question_not_in_attempt', 404);
      if (input.seq <= row.item.seq) return { seq: row.item.seq, savedAt: row.item.savedAt, applied: false };
      let response: unknown = null;
      if (input.response !== null) {
        const type = questionType(row.kind);
        const parsed = type.response.safeParse(input.response);
        if (!parsed.success || !type.fits(row.options, parsed.data)) throw new AppError('invalid_input', 400, 'response');
        response = parsed.data;
      }
      stmts(db).saveResponse.run(response === null ? null : JSON.stringify(response), input.seq, now.getTime(), row.item.id);
      return { seq: input.seq, savedAt: now, applied: true };
    },
  );
}

/**
 * Saves the answers of a plain form POST (JavaScript off): each question whose answer differs from
 * the stored one gets the next sequence number. Answers the form could not read are left alone.
 */
export function saveAnswersFromForm(db: DB, attemptId: number, userId: number, read: (name: string) => string[], now = new Date()): number {
  openAttemptFor(db, attemptId, userId, now);
  return db.transaction(
    (tx) => {
      stillOpen(db, attemptId, now);
      let saved = 0;
      for (const { item, question } of itemsWithQuestions(tx, attemptId)) {
        const type = questionType(question.kind);
        const reader: FormReader = (suffix) => read(`q${question.id}${suffix}`);
        let response = type.fromForm(question.options, reader);
        if (response !== null) {
          const parsed = type.response.safeParse(response);
          response = parsed.success && type.fits(question.options, parsed.data) ? parsed.data : undefined;
          if (response === undefined) continue;
        }
        if (JSON.stringify(response) === JSON.stringify(item.response)) continue;
        tx.update(quizAttemptItems).set({ response, seq: item.seq + 1, savedAt: now }).where(eq(quizAttemptItems.id, item.id)).run();
        saved++;
      }
      return saved;
    },
  );
}

/** Finishes and grades the learner's attempt. Submitting a finished attempt again is harmless. */
export function submitAttempt(db: DB, attemptId: number, userId: number, now = new Date()): Attempt {
  const attempt = loadAttempt(db, attemptId, { id: userId, roles: [] }, now);
  if (attempt.userId !== userId) throw new AppError('attempt_not_found', 404);
  if (attempt.status === 'in_progress') db.transaction(() => finalise(db, attemptId, 'learner', now));
  return stmts(db).attempt.get({ id: attemptId })!;
}

/** Finishes every attempt whose deadline has passed, oldest first, at most `limit` per call. */
export function closeExpiredAttempts(db: DB, now = new Date(), limit = 500): number {
  const due = db
    .select({ id: quizAttempts.id })
    .from(quizAttempts)
    .where(and(eq(quizAttempts.status, 'in_progress'), lte(quizAttempts.deadlineAt, now)))
    .orderBy(asc(quizAttempts.deadlineAt))
    .limit(limit)
    .all();
  let closed = 0;
  for (const { id } of due) if (db.transaction(() => finalise(db, id, 'deadline', now))) closed++;
  return closed;
}

let sweeper: ReturnType<typeof setInterval> | undefined;
/**
 * Closes expired attempts every `intervalMs` even when nobody looks at them (the browser may be
 * gone). Started once by the server process; the timer is unref'd so it never keeps a process alive.
 */
export function startDeadlineSweeper(getDb: () => DB, intervalMs = 15_000): () => void {
  if (!sweeper) {
    sweeper = setInterval(() => {
      try {
        closeExpiredAttempts(getDb());
      } catch (e) {
        console.error('quiz deadline sweep failed', e);
      }
    }, intervalMs);
    sweeper.unref();
  }
  return () => {
    clearInterval(sweeper);
    sweeper = undefined;
  };
}
