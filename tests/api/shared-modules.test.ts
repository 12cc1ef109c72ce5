/**
 * The API test files share their worker's modules (vitest.config.ts, `isolate: false`), and a server
 * process could be handed a second database too: what a module keeps must belong to one database
 * (db/statements.ts `prepared`), never to the process.
 */
import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { openDatabase } from '@db/client';
import { quizAttemptItems, quizQuestions, quizzes, users } from '@db/schema';
import { seedDemo } from '@scripts/seed';
import { importCourseLibrary } from '@server/modules/catalog/service';
import { startStandaloneAttempt } from '@server/modules/quiz/service';

describe('two databases in one process', () => {
  it('a test is never drawn from the questions another database cached', async () => {
    const version = new Date(1_700_000_000_000);
    const [a, b] = [openDatabase(':memory:'), openDatabase(':memory:')];
    for (const db of [a, b]) {
      await seedDemo(db);
      importCourseLibrary(db, 'tests/fixtures/quiz-courses');
      db.update(quizzes).set({ updatedAt: version }).run(); // the same quiz version in both
    }
    // b's bank: every current question replaced by a new row (a new id) under that same version
    const replaced = b.select().from(quizQuestions).where(eq(quizQuestions.current, true)).all();
    b.update(quizQuestions).set({ current: false }).run();
    for (const { id: _, ...q } of replaced) b.insert(quizQuestions).values({ ...q, version: q.version + 1 }).run();
    const current = new Set(b.select({ id: quizQuestions.id }).from(quizQuestions).where(eq(quizQuestions.current, true)).all().map((q) => q.id));

    const quizId = a.select().from(quizzes).all()[0]!.id;
    const learnerOf = (db: typeof a) => db.select().from(users).where(eq(users.email, 'learner@demo.kg')).get()!.id;
    const endsAt = new Date(Date.now() + 3600_000);
    startStandaloneAttempt(a, quizId, learnerOf(a), endsAt); // a's pool is drawn first
    const attempt = b.transaction(() => startStandaloneAttempt(b, quizId, learnerOf(b), endsAt));
    const drawn = b.select().from(quizAttemptItems).where(eq(quizAttemptItems.attemptId, attempt)).all();
    expect(drawn.length).toBeGreaterThan(0);
    for (const item of drawn) expect(current.has(item.questionId)).toBe(true);
    a.$client.close();
    b.$client.close();
  });
});
