/**
 * Module-quiz reviews must not leak the final test (issue 15). The final test draws from the module
 * quizzes' pools; a learner who harvests every review they can get — every module quiz taken blank
 * until no attempt is left, every result read — must not learn the key of any question that can still
 * be drawn in their unfinished final test. Once the final is finished, the keys are shown.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq, inArray } from 'drizzle-orm';
import { call, getDb, signIn, withDemo } from '../helpers';
import { quizAttempts, quizQuestions } from '@db/schema';
import { importCourseLibrary } from '@server/modules/catalog/service';
import { courseId, enrol, newServant, quizOf, takeQuiz } from '../support/learner-flow';

const COURSES = ['anti-corruption', 'ethics-conflict-of-interest'];
const dir = mkdtempSync(join(tmpdir(), 'bilim-leak-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(async () => {
  await withDemo();
  for (const slug of COURSES) cpSync(join('courses', slug), join(dir, slug), { recursive: true });
  cpSync('courses/providers.json', join(dir, 'providers.json'));
  importCourseLibrary(getDb(), dir);
});

/** What a result shows of each question: ids whose key (or mark or explanation, which tell it) is visible. */
function keyed(result: any): number[] {
  return result.items.filter((i: any) => i.correctResponse !== undefined || i.rightAnswer !== undefined || i.fraction !== undefined || i.feedback !== undefined).map((i: any) => i.id);
}

/** Slugs of the questions (any version) of these ids. */
const slugsOf = (ids: number[]) => new Set(ids.length ? getDb().select({ slug: quizQuestions.slug }).from(quizQuestions).where(inArray(quizQuestions.id, ids)).all().map((q) => q.slug) : []);

/** Every question the final test of a course can draw (its categories' current questions). */
function drawableInFinal(slug: string): Set<string> {
  const final = quizOf(slug, 'final');
  const categories = final.draw.map((r) => r.category);
  return new Set(
    getDb()
      .select({ slug: quizQuestions.slug })
      .from(quizQuestions)
      .where(and(eq(quizQuestions.courseId, courseId(slug)), eq(quizQuestions.current, true), inArray(quizQuestions.category, categories)))
      .all()
      .map((q) => q.slug),
  );
}

describe.each(COURSES)('%s: harvesting every module-quiz review', (slug) => {
  let me: { id: number; cookie: string };
  const harvest = async () => {
    const ids = getDb().select({ id: quizAttempts.id }).from(quizAttempts).where(eq(quizAttempts.userId, me.id)).all();
    const seen: number[] = [];
    for (const { id } of ids) {
      const res = await call(`/api/attempts/${id}/result`, { cookie: me.cookie });
      expect(res.status).toBe(200);
      seen.push(...keyed(await res.json()));
    }
    return slugsOf(seen);
  };

  it('shows no key of a question the unfinished final test can draw', async () => {
    me = await newServant();
    expect((await enrol(me.cookie, slug)).status).toBe(201);
    const drawable = drawableInFinal(slug);
    expect(drawable.size).toBeGreaterThan(15);
    const submitted: number[] = [];
    for (const position of [1, 2, 3]) {
      const quiz = quizOf(slug, 'module', position);
      for (let i = 0; i < (quiz.attemptsAllowed ?? 10); i++) {
        const { status, result } = await takeQuiz(me.cookie, quiz.id, 'blank');
        expect(status).toBe(200);
        submitted.push(...keyed(result));
      }
      expect((await takeQuiz(me.cookie, quiz.id, 'blank')).status).toBe(409); // no attempt left: the review is open
    }
    const leaked = [...(await harvest()), ...slugsOf(submitted)].filter((s) => drawable.has(s));
    expect(leaked).toEqual([]);
    // The reviews are open, with the learner's own answers, and say why the keys are not there.
    const one = getDb().select({ id: quizAttempts.id }).from(quizAttempts).where(eq(quizAttempts.userId, me.id)).get()!;
    const result = await (await call(`/api/attempts/${one.id}/result`, { cookie: me.cookie })).json();
    expect(result.review).toBe(true);
    expect(result.items.every((i: any) => i.keyWithheld === true)).toBe(true);
  });

  it('shows the keys once the final test is finished (no attempt left), and staff always see them', async () => {
    const final = quizOf(slug, 'final');
    for (let i = 0; i < (final.attemptsAllowed ?? 1); i++) expect((await takeQuiz(me.cookie, final.id, 'blank')).status).toBe(200);
    const seen = await harvest();
    expect([...drawableInFinal(slug)].some((s) => seen.has(s))).toBe(true);
    const one = getDb().select({ id: quizAttempts.id }).from(quizAttempts).where(eq(quizAttempts.userId, me.id)).get()!;
    const other = await newServant();
    await enrol(other.cookie, slug);
    const { result } = await takeQuiz(other.cookie, quizOf(slug, 'module', 1).id, 'blank');
    const asTrainer = await (await call(`/api/attempts/${result.attempt.id}/result`, { cookie: await signIn('trainer@demo.kg') })).json();
    expect(asTrainer.items.every((i: any) => i.correctResponse !== undefined)).toBe(true);
    void one;
  });
});
