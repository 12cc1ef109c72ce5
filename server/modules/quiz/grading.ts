/**
 * The trainer's side of the quiz engine: the queue of essays waiting for a mark and their grading,
 * and the item analysis of a quiz with regrading of a question. The learner's side (quizzes,
 * attempts, results) is service.ts.
 */
import { and, asc, eq, inArray, isNull, ne, sql } from 'drizzle-orm';
import { type DB } from '@db/client';
import { quizAttemptItems, quizAttempts, quizQuestions, quizzes } from '@db/schema';
import { AppError } from '@server/lib/errors';
import { notify } from '../notifications/service';
import { fullNames } from '../people/service';
import { questionType } from './types';
import type { Bilingual } from './types/common';
import { rubricFraction } from './types/essay';
import { hook } from '@server/lib/hooks';
import { getQuizAny, recomputeScore, type Attempt, type Quiz } from './service';

// ---------------------------------------------------------------------------------------------
// Essays

export type QueueEntry = {
  itemId: number;
  attemptId: number;
  quizId: number;
  quizTitle: Bilingual;
  courseTitle: Bilingual;
  learnerName: string;
  finishedAt: Date | null;
  question: Bilingual;
  response: string;
  rubric: { criterion: Bilingual; points: number }[];
  minWords: number;
};

/** Essays waiting for a trainer, oldest attempt first; never the grader's own (nobody grades their own attempt). */
export function gradingQueue(db: DB, graderId: number, limit = 100): QueueEntry[] {
  const rows = db
    .select({ item: quizAttemptItems, question: quizQuestions, attempt: quizAttempts, quiz: quizzes })
    .from(quizAttemptItems)
    .innerJoin(quizAttempts, eq(quizAttempts.id, quizAttemptItems.attemptId))
    .innerJoin(quizQuestions, eq(quizQuestions.id, quizAttemptItems.questionId))
    .innerJoin(quizzes, eq(quizzes.id, quizAttempts.quizId))
    .where(and(eq(quizAttempts.needsGrading, true), eq(quizAttempts.status, 'finished'), isNull(quizAttemptItems.fraction), ne(quizAttempts.userId, graderId)))
    .orderBy(asc(quizAttempts.finishedAt))
    .limit(limit)
    .all();
  const names = fullNames(db, rows.map((r) => r.attempt.userId));
  return rows.map(({ item, question, attempt, quiz }) => {
    const o = question.options as { rubric: { criterion: Bilingual; points: number }[]; minWords: number };
    const course = hook('courseBrief')(db, quiz.courseId);
    return {
      itemId: item.id,
      attemptId: attempt.id,
      quizId: quiz.id,
      quizTitle: { ky: quiz.titleKy, ru: quiz.titleRu },
      courseTitle: { ky: course?.titleKy ?? '', ru: course?.titleRu ?? '' },
      learnerName: names.get(attempt.userId) ?? '',
      finishedAt: attempt.finishedAt,
      question: { ky: question.stemKy, ru: question.stemRu },
      response: (item.response as { text: string }).text,
      rubric: o.rubric,
      minWords: o.minWords,
    };
  });
}

/** A trainer's grade for an essay: points per rubric criterion and a comment; the attempt's result follows. */
export function gradeEssay(db: DB, itemId: number, graderId: number, input: { points: number[]; comment: string }, now = new Date()): Attempt {
  return db.transaction(
    (tx) => {
      const row = tx
        .select({ item: quizAttemptItems, question: quizQuestions, attempt: quizAttempts })
        .from(quizAttemptItems)
        .innerJoin(quizQuestions, eq(quizQuestions.id, quizAttemptItems.questionId))
        .innerJoin(quizAttempts, eq(quizAttempts.id, quizAttemptItems.attemptId))
        .where(eq(quizAttemptItems.id, itemId))
        .get();
      if (!row || !questionType(row.question.kind).manual || row.attempt.status !== 'finished') throw new AppError('essay_not_found', 404);
      // Nobody grades their own attempt, whatever roles they hold.
      if (row.attempt.userId === graderId) throw new AppError('grade_own_attempt', 403);
      const o = row.question.options as { rubric: { points: number }[]; minWords: number };
      if (input.points.length !== o.rubric.length || input.points.some((p, i) => p < 0 || p > o.rubric[i]!.points)) throw new AppError('invalid_input', 400, 'points');
      const fraction = rubricFraction(row.question.options as Parameters<typeof rubricFraction>[0], input.points);
      tx.update(quizAttemptItems).set({ fraction, rubricPoints: input.points, comment: input.comment.trim() || null, gradedBy: graderId, gradedAt: now }).where(eq(quizAttemptItems.id, itemId)).run();
      recomputeScore(db, row.attempt.id);
      const graded = tx.select().from(quizAttempts).where(eq(quizAttempts.id, row.attempt.id)).get()!;
      // The last essay graded: the result is there to read (told once per attempt).
      if (!graded.needsGrading && graded.percent !== null) {
        const quiz = tx.select().from(quizzes).where(eq(quizzes.id, graded.quizId)).get()!;
        const course = hook('courseBrief')(db, quiz.courseId);
        notify(tx, {
          userId: graded.userId, kind: 'result_available', link: `attempts/${graded.id}/result`, ref: `attempt:${graded.id}`,
          params: {
            quiz: { ky: quiz.titleKy, ru: quiz.titleRu }, course: { ky: course?.titleKy ?? null, ru: course?.titleRu ?? null },
            percent: Math.round(graded.percent), outcome: { key: graded.passed ? 'notify.outcome.passed' : 'notify.outcome.failed' },
          },
        }, now);
      }
      return graded;
    },
  );
}

// ---------------------------------------------------------------------------------------------
// Item analysis and regrading

export type ItemStats = {
  slug: string;
  questionId: number;
  kind: string;
  text: Bilingual;
  versions: number;
  attempts: number;
  /** mean score on the item as percent of its mark */
  facility: number | null;
  /** correlation (×100) between the item's score and the rest of the test */
  discrimination: number | null;
  options: { key: string; label: Bilingual; count: number; correct: boolean }[];
  unanswered: number;
};

function pearson(xs: number[], ys: number[]): number | null {
  const n = xs.length;
  if (n < 2) return null;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
    syy += (ys[i]! - my) ** 2;
  }
  if (sxx === 0 || syy === 0) return null;
  return sxy / Math.sqrt(sxx * syy);
}

/**
 * Per question of a quiz, over its finished and fully graded attempts: facility index (mean score
 * in percent), discrimination index (Pearson correlation ×100 between the item's score and the
 * score on the rest of the attempt, as Moodle computes it) and how often each answer was given.
 */
export function itemAnalysis(db: DB, quizId: number): { quiz: ReturnType<typeof getQuizAny>; attempts: number; meanPercent: number | null; items: ItemStats[] } {
  const quiz = db.select().from(quizzes).where(eq(quizzes.id, quizId)).get();
  if (!quiz) throw new AppError('quiz_not_found', 404);
  const attempts = db
    .select({ id: quizAttempts.id, score: quizAttempts.score, maxScore: quizAttempts.maxScore, percent: quizAttempts.percent })
    .from(quizAttempts)
    .where(and(eq(quizAttempts.quizId, quizId), eq(quizAttempts.status, 'finished'), eq(quizAttempts.needsGrading, false)))
    .all();
  const byAttempt = new Map(attempts.map((a) => [a.id, a]));
  const rows = attempts.length
    ? db
        .select({ attemptId: quizAttemptItems.attemptId, fraction: quizAttemptItems.fraction, mark: quizAttemptItems.mark, response: quizAttemptItems.response, question: quizQuestions })
        .from(quizAttemptItems)
        .innerJoin(quizQuestions, eq(quizQuestions.id, quizAttemptItems.questionId))
        .innerJoin(quizAttempts, eq(quizAttempts.id, quizAttemptItems.attemptId))
        .where(and(eq(quizAttempts.quizId, quizId), eq(quizAttempts.status, 'finished'), eq(quizAttempts.needsGrading, false)))
        .all()
    : [];
  const bySlug = new Map<string, typeof rows>();
  // A question without a right answer (questionnaire) has no facility or discrimination to analyse.
  for (const r of rows) if (!questionType(r.question.kind).ungraded) bySlug.set(r.question.slug, [...(bySlug.get(r.question.slug) ?? []), r]);
  const currentBySlug = new Map(
    db.select().from(quizQuestions).where(and(eq(quizQuestions.courseId, quiz.courseId), eq(quizQuestions.current, true))).all().map((q) => [q.slug, q]),
  );
  const items: ItemStats[] = [...bySlug.entries()].map(([slug, list]) => {
    const latest = currentBySlug.get(slug) ?? list.map((r) => r.question).sort((a, b) => b.version - a.version)[0]!;
    const type = questionType(latest.kind);
    const xs = list.map((r) => r.fraction ?? 0);
    const ys = list.map((r) => {
      const a = byAttempt.get(r.attemptId)!;
      const restMax = a.maxScore - r.mark;
      return restMax > 0 ? (((a.score ?? 0) - (r.fraction ?? 0) * r.mark) / restMax) * 100 : 0;
    });
    const counts = new Map<string, { label: Bilingual; count: number }>();
    let unanswered = 0;
    for (const r of list) {
      if (r.response === null) {
        unanswered++;
        continue;
      }
      for (const e of questionType(r.question.kind).summary(r.question.options, r.response)) {
        const c = counts.get(e.key) ?? { label: e.label, count: 0 };
        c.count++;
        counts.set(e.key, c);
      }
    }
    // Choices nobody picked still show, with zero.
    const latestOptions = latest.options as { choices?: { id: string; text: Bilingual; correct: boolean }[] };
    const correctKeys = new Set((type.correctResponse(latest.options) !== null ? type.summary(latest.options, type.correctResponse(latest.options)) : null)?.map((e) => e.key) ?? []);
    for (const c of latestOptions.choices ?? []) if (!counts.has(c.id)) counts.set(c.id, { label: c.text, count: 0 });
    const r = pearson(xs, ys);
    return {
      slug,
      questionId: latest.id,
      kind: latest.kind,
      text: { ky: latest.stemKy, ru: latest.stemRu },
      versions: new Set(list.map((x) => x.question.version)).size,
      attempts: list.length,
      facility: list.length ? (xs.reduce((a, b) => a + b, 0) / list.length) * 100 : null,
      discrimination: r === null ? null : r * 100,
      options: [...counts.entries()].map(([key, v]) => ({ key, label: v.label, count: v.count, correct: correctKeys.has(key) })).sort((a, b) => b.count - a.count),
      unanswered,
    };
  });
  items.sort((a, b) => a.slug.localeCompare(b.slug));
  const graded = attempts.filter((a) => a.percent !== null);
  return {
    quiz: getQuizAny(db, quizId),
    attempts: attempts.length,
    meanPercent: graded.length ? graded.reduce((n, a) => n + a.percent!, 0) / graded.length : null,
    items,
  };
}

/**
 * After a question's key is corrected (a new version imported), regrades every finished attempt
 * that saw an earlier version of it with the current key — when the saved response still fits the
 * current question — and recomputes those attempts' results. Returns how many attempts changed.
 */
/** Regrading changes learners' results: trainers and administrators only. */
export const mayRegrade = (actor: { roles: readonly string[] }) => actor.roles.includes('trainer') || actor.roles.includes('admin');

/** Regrades a question's finished answers (the API route and the analysis page both call this). */
export function regradeQuestion(db: DB, questionId: number, actor: { roles: readonly string[] }): { items: number; attempts: number } {
  if (!mayRegrade(actor)) throw new AppError('forbidden', 403);
  return db.transaction(
    (tx) => {
      const q = tx.select().from(quizQuestions).where(eq(quizQuestions.id, questionId)).get();
      if (!q) throw new AppError('question_not_found', 404);
      const current = tx.select().from(quizQuestions).where(and(eq(quizQuestions.courseId, q.courseId), eq(quizQuestions.slug, q.slug), eq(quizQuestions.current, true))).get() ?? q;
      const type = questionType(current.kind);
      if (type.manual || type.ungraded) throw new AppError('question_not_autograded', 409);
      const versions = tx.select({ id: quizQuestions.id, kind: quizQuestions.kind }).from(quizQuestions).where(and(eq(quizQuestions.courseId, q.courseId), eq(quizQuestions.slug, q.slug))).all();
      const items = tx
        .select({ item: quizAttemptItems, status: quizAttempts.status })
        .from(quizAttemptItems)
        .innerJoin(quizAttempts, eq(quizAttempts.id, quizAttemptItems.attemptId))
        .where(inArray(quizAttemptItems.questionId, versions.filter((v) => v.kind === current.kind).map((v) => v.id)))
        .all();
      const touched = new Set<number>();
      let changed = 0;
      for (const { item, status } of items) {
        if (status !== 'finished') continue;
        let fraction = 0;
        if (item.response !== null) {
          const parsed = type.response.safeParse(item.response);
          if (!parsed.success || !type.fits(current.options, parsed.data)) continue;
          fraction = type.grade(current.options, parsed.data)?.fraction ?? 0;
        }
        tx.update(quizAttemptItems).set({ fraction, questionId: current.id }).where(eq(quizAttemptItems.id, item.id)).run();
        touched.add(item.attemptId);
        changed++;
      }
      for (const id of touched) recomputeScore(db, id);
      return { items: changed, attempts: touched.size };
    },
  );
}

/** Quizzes across the library for the trainers' and academy's analysis index. */
export function allQuizzes(db: DB): (Quiz & { attempts: number })[] {
  const list = db.select().from(quizzes).where(eq(quizzes.active, true)).all();
  const counts = db
    .select({ quizId: quizAttempts.quizId, n: sql<number>`count(*)` })
    .from(quizAttempts)
    .where(eq(quizAttempts.status, 'finished'))
    .groupBy(quizAttempts.quizId)
    .all();
  return list.map((q) => ({ ...q, attempts: counts.find((c) => c.quizId === q.id)?.n ?? 0 })).sort((a, b) => a.courseId - b.courseId || (a.modulePosition ?? 1e9) - (b.modulePosition ?? 1e9));
}
