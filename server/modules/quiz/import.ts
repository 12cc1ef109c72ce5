/** A course package's question bank and quizzes written into the database (run inside the course import). */
import { and, eq, sql } from 'drizzle-orm';
import type { DB } from '@db/client';
import { quizCategories, quizQuestions, quizzes } from '@db/schema';
import type { LoadedQuizPackage } from './package';
import { prepared } from '@db/statements';
import { newPoolCache } from './attempts';

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
