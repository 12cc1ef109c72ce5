import { and, asc, desc, eq, lte, sql } from 'drizzle-orm';
import { randomInt } from 'node:crypto';
import type Database from 'better-sqlite3';
import { connectionOf, type DB } from '@db/client';
import { quizAttemptItems, quizAttempts, quizCategories, quizQuestions, quizzes, type GradingMethod } from '@db/schema';
import type { Role } from '@db/domain';
import { AppError } from '@server/lib/errors';
import type { LoadedQuizPackage } from './package';
import { questionType } from './types';
import { questionnaireProfile, type QualityScore } from './types/questionnaire';
import type { Bilingual, FormReader } from './types/common';
import { hook, type Hooks } from '@server/lib/hooks';
import { prepared } from '@db/statements';

export type Quiz = typeof quizzes.$inferSelect;
export type Attempt = typeof quizAttempts.$inferSelect;
type Item = typeof quizAttemptItems.$inferSelect;
type Question = typeof quizQuestions.$inferSelect;
type Viewer = { id: number; roles: Role[] };

/** Roles that see every attempt: they grade essays and analyse questions. */
export const STAFF_ROLES: Role[] = ['trainer', 'reviewer', 'admin'];
const isStaff = (v: Viewer) => v.roles.some((r) => STAFF_ROLES.includes(r));

// ---------------------------------------------------------------------------------------------
// Import

/** Drawing pools cached per course, category and quiz version, per database; an import clears them. */
const newPoolCache = () => new Map<string, Pick<Question, 'id' | 'kind' | 'options' | 'mark'>[]>();

/**
 * Writes a course package's question bank and quizzes. Idempotent: an unchanged question stays as
 * it is; a changed one gets a new version that new attempts draw, while earlier attempts keep the
 * version they saw. Questions and quizzes gone from the package are retired, never deleted, so no
 * attempt loses its questions. Runs inside the course import's transaction.
 */
export function importQuizzes(db: DB, courseId: number, loaded: LoadedQuizPackage | null, now = new Date()): void {
  prepared(db, newPoolCache).clear();
  db.delete(quizCategories).where(eq(quizCategories.courseId, courseId)).run();
  for (const c of loaded?.categories ?? []) {
    db.insert(quizCategories).values({ courseId, slug: c.id, titleKy: c.title.ky, titleRu: c.title.ru }).run();
  }
  const currentRows = db.select().from(quizQuestions).where(and(eq(quizQuestions.courseId, courseId), eq(quizQuestions.current, true))).all();
  const current = new Map(currentRows.map((q) => [q.slug, q]));
  const inFile = new Set<string>();
  for (const q of loaded?.questions ?? []) {
    inFile.add(q.slug);
    const existing = current.get(q.slug);
    if (existing?.hash === q.hash) continue;
    if (existing) db.update(quizQuestions).set({ current: false }).where(eq(quizQuestions.id, existing.id)).run();
    const last = db
      .select({ v: sql<number>`max(${quizQuestions.version})` })
      .from(quizQuestions)
      .where(and(eq(quizQuestions.courseId, courseId), eq(quizQuestions.slug, q.slug)))
      .get();
    db.insert(quizQuestions)
      .values({
        courseId,
        slug: q.slug,
        version: (last?.v ?? 0) + 1,
        current: true,
        category: q.category,
        tags: q.tags,
        kind: q.kind,
        stemKy: q.stem.ky,
        stemRu: q.stem.ru,
        options: q.options,
        feedbackKy: q.feedback?.ky ?? null,
        feedbackRu: q.feedback?.ru ?? null,
        mark: q.mark,
        hash: q.hash,
        createdAt: now,
      })
      .run();
  }
  for (const q of currentRows) if (!inFile.has(q.slug)) db.update(quizQuestions).set({ current: false }).where(eq(quizQuestions.id, q.id)).run();

  const existingQuizzes = db.select({ id: quizzes.id, slug: quizzes.slug }).from(quizzes).where(eq(quizzes.courseId, courseId)).all();
  const quizInFile = new Set<string>();
  for (const z of loaded?.quizzes ?? []) {
    quizInFile.add(z.id);
    const fields = {
      courseId,
      slug: z.id,
      kind: z.kind,
      modulePosition: z.modulePosition,
      titleKy: z.title.ky,
      titleRu: z.title.ru,
      introKy: z.intro?.ky ?? null,
      introRu: z.intro?.ru ?? null,
      draw: z.draw,
      shuffleQuestions: z.shuffleQuestions,
      shuffleOptions: z.shuffleOptions,
      timeLimitSeconds: z.timeLimitMinutes === null ? null : z.timeLimitMinutes * 60,
      attemptsAllowed: z.attempts,
      gradingMethod: z.grading,
      passPercent: z.passPercent,
      opensAt: z.opensAt ? new Date(z.opensAt) : null,
      closesAt: z.closesAt ? new Date(z.closesAt) : null,
      review: z.review,
      active: true,
      updatedAt: now,
    };
    const found = existingQuizzes.find((x) => x.slug === z.id);
    if (found) db.update(quizzes).set(fields).where(eq(quizzes.id, found.id)).run();
    else db.insert(quizzes).values(fields).run();
  }
  for (const q of existingQuizzes) if (!quizInFile.has(q.slug)) db.update(quizzes).set({ active: false, updatedAt: now }).where(eq(quizzes.id, q.id)).run();
}

// ---------------------------------------------------------------------------------------------
// Quizzes

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
function stmts(db: DB) {
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

/**
 * A learner's attempts at a quiz, newest first (finishing one whose deadline has passed). One
 * lookup on the (user, quiz, number) unique index: never a scan of other learners' attempts.
 */
export function learnerAttempts(db: DB, quizId: number, userId: number, now = new Date()): Attempt[] {
  const read = () => stmts(db).attemptsOf.all({ userId, quizId });
  const rows = read();
  return closeIfExpired(db, rows.find((a) => a.status === 'in_progress'), now) ? read() : rows;
}

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

const meets = (percent: number, pass: number) => percent + 1e-9 >= pass;

/**
 * The attempts that count now for a learner in a course: those of their current enrolment (active,
 * else the latest completed). A new enrolment starts with none, so a retake is passed anew.
 */
export function countedAttempts(db: DB, userId: number, courseId: number): Attempt[] {
  const enrolment = hook('currentEnrolment')(db, userId, courseId);
  return enrolment ? stmts(db).enrolmentAttempts.all({ enrolmentId: enrolment.id }) : [];
}

/** A learner's attempts at one quiz in their current enrolment in its course, newest first (for the quiz page). */
export function currentAttempts(db: DB, quiz: Pick<Quiz, 'id' | 'courseId'>, userId: number, now = new Date()): Attempt[] {
  const enrolment = hook('currentEnrolment')(db, userId, quiz.courseId);
  // An attempt still open (whatever enrolment it began in) is the one startAttempt resumes.
  return learnerAttempts(db, quiz.id, userId, now).filter((a) => a.status === 'in_progress' || (enrolment !== undefined && a.enrolmentId === enrolment.id));
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

// ---------------------------------------------------------------------------------------------
// Attempts

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

function loadAttempt(db: DB, attemptId: number, viewer: Viewer, now: Date): Attempt {
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

function itemsWithQuestions(db: DB, attemptId: number): { item: Item; question: Question }[] {
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

// ---------------------------------------------------------------------------------------------
// Results and review

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

export type ReviewItem = {
  id: number;
  position: number;
  kind: string;
  text: Bilingual;
  mark: number;
  options: unknown;
  response: unknown;
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
