import { beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import { call, getDb, rightResponse, signIn, withDemo } from '../helpers';
import { quizAttemptItems, quizAttempts, quizQuestions, quizzes, userRoles, users } from '@db/schema';
import { importCourseLibrary } from '@server/modules/catalog/service';
import { PackageError } from '@server/lib/package-error';
import { closeExpiredAttempts, quizGrade, quizOutcomes, startDeadlineSweeper } from '@server/modules/quiz/service';
import { gradeEssay, gradingQueue } from '@server/modules/quiz/grading';

const FIXTURES = 'tests/fixtures/quiz-courses';
let learner: string;
let trainer: string;
let other: string;
let moduleQuizId: number;
let finalQuizId: number;

type Q = { id: number; kind: string; options: any; response: unknown; seq: number };

beforeAll(async () => {
  await withDemo();
  importCourseLibrary(getDb(), FIXTURES);
  learner = await signIn('learner@demo.kg');
  trainer = await signIn('trainer@demo.kg');
  other = await signIn('hr@demo.kg');
  // A course's tests are for its enrolled learners: the people these tests start attempts for enrol
  // first (municipal@ enrols in a test of its own).
  for (const cookie of [learner, other, await signIn('osh@demo.kg'), await signIn('ayil@demo.kg')])
    expect((await call('/api/courses/quiz-demo/enrolments', { method: 'POST', cookie })).status).toBe(201);
  const res = await call('/api/courses/quiz-demo/quizzes');
  const list = (await res.json()).quizzes as { id: number; kind: string }[];
  moduleQuizId = list.find((q) => q.kind === 'module')!.id;
  finalQuizId = list.find((q) => q.kind === 'final')!.id;
});

async function start(quizId: number, cookie = learner) {
  const res = await call(`/api/quizzes/${quizId}/attempts`, { method: 'POST', cookie });
  return { status: res.status, body: await res.json() };
}
const put = (attemptId: number, questionId: number, json: unknown, cookie = learner) =>
  call(`/api/attempts/${attemptId}/answers/${questionId}`, { method: 'PUT', json, cookie });

describe('quiz listing and starting', () => {
  it('lists a course’s quizzes with module positions', async () => {
    const res = await call('/api/courses/quiz-demo/quizzes');
    const { quizzes: list } = await res.json();
    expect(list.map((q: any) => [q.kind, q.modulePosition, q.questionCount])).toEqual([['module', 1, 3], ['final', null, 8]]);
    expect((await call('/api/courses/nope/quizzes')).status).toBe(404);
  });

  it('needs a signed-in learner to start', async () => {
    expect((await call(`/api/quizzes/${moduleQuizId}/attempts`, { method: 'POST' })).status).toBe(401);
    const reviewer = await signIn('reviewer@demo.kg');
    expect((await call(`/api/quizzes/${moduleQuizId}/attempts`, { method: 'POST', cookie: reviewer })).status).toBe(403);
    expect((await start(999999)).status).toBe(404);
  });

  it('is for learners enrolled in the course: others are refused until they enrol', async () => {
    const newcomer = await signIn('municipal@demo.kg');
    const refused = await start(moduleQuizId, newcomer);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('not_enrolled');
    const newcomerId = getDb().select().from(users).where(eq(users.email, 'municipal@demo.kg')).get()!.id;
    expect(getDb().select().from(quizAttempts).where(eq(quizAttempts.userId, newcomerId)).all()).toEqual([]); // nothing started
    expect((await call('/api/courses/quiz-demo/enrolments', { method: 'POST', cookie: newcomer })).status).toBe(201);
    expect((await start(moduleQuizId, newcomer)).status).toBe(201);
  });

  it('fixes the selection and the deadline at start, and never sends a key', async () => {
    const before = Date.now();
    const { status, body } = await start(finalQuizId);
    expect(status).toBe(201);
    expect(body.questions).toHaveLength(8);
    expect(body.attempt.deadlineAt).toBeNull(); // no time limit on the final of the fixture
    const text = JSON.stringify(body);
    expect(text).not.toMatch(/"correct"|"answer":|"tolerance"|"rubric"|"value":3\.14|өнүгүү үчүн|для развития/);
    const mod = await start(moduleQuizId);
    const deadline = Date.parse(mod.body.attempt.deadlineAt);
    expect(deadline).toBeGreaterThanOrEqual(before + 10 * 60_000 - 1000);
    expect(deadline).toBeLessThanOrEqual(Date.now() + 10 * 60_000 + 1000);
    // Starting again resumes the same attempt with the same questions.
    const again = await start(moduleQuizId);
    expect(again.status).toBe(200);
    expect(again.body.attempt.id).toBe(mod.body.attempt.id);
    expect(again.body.questions.map((q: Q) => q.id)).toEqual(mod.body.questions.map((q: Q) => q.id));
  });
});

describe('saving answers', () => {
  it('saves idempotently by sequence number, and another device resumes with the answers', async () => {
    const { body } = await start(finalQuizId);
    const attemptId = body.attempt.id;
    const tf = body.questions.find((q: Q) => q.kind === 'truefalse') as Q;
    let res = await put(attemptId, tf.id, { response: { value: true }, seq: 5 });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ seq: 5, applied: true });
    // The same save again (a retry after a lost reply) changes nothing.
    res = await put(attemptId, tf.id, { response: { value: true }, seq: 5 });
    expect(await res.json()).toMatchObject({ seq: 5, applied: false });
    // An older save arriving late is ignored.
    res = await put(attemptId, tf.id, { response: { value: false }, seq: 3 });
    expect(await res.json()).toMatchObject({ seq: 5, applied: false });
    res = await put(attemptId, tf.id, { response: { value: false }, seq: 6 });
    expect(await res.json()).toMatchObject({ seq: 6, applied: true });
    const view = await (await call(`/api/attempts/${attemptId}`, { cookie: learner })).json();
    expect(view.questions.find((q: Q) => q.id === tf.id)).toMatchObject({ response: { value: false }, seq: 6 });
  });

  it('refuses answers that do not fit the question, and questions outside the attempt', async () => {
    const { body } = await start(finalQuizId);
    const single = body.questions.find((q: Q) => q.kind === 'single') as Q;
    let res = await put(body.attempt.id, single.id, { response: { choice: 'made-up' }, seq: 1 });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: { code: 'invalid_input', field: 'response' } });
    res = await put(body.attempt.id, single.id, { response: { value: 1 }, seq: 1 });
    expect(res.status).toBe(400);
    res = await put(body.attempt.id, single.id, { response: null, seq: 'x' });
    expect(res.status).toBe(400);
    expect((await put(body.attempt.id, 999999, { response: null, seq: 1 })).status).toBe(404);
  });

  it('keeps other people out of an attempt', async () => {
    const { body } = await start(finalQuizId);
    const q = body.questions[0] as Q;
    expect((await call(`/api/attempts/${body.attempt.id}`, { cookie: other })).status).toBe(404);
    expect((await put(body.attempt.id, q.id, { response: null, seq: 99 }, other)).status).toBe(404);
    expect((await call(`/api/attempts/${body.attempt.id}/submit`, { method: 'POST', cookie: other })).status).toBe(404);
  });
});

describe('deadlines', () => {
  it('refuses answers after the deadline and closes the attempt itself, counting what was saved', async () => {
    const { body } = await start(moduleQuizId);
    const attemptId = body.attempt.id;
    const [q1, q2] = body.questions as Q[];
    expect((await put(attemptId, q1!.id, { response: rightResponse(q1!.id), seq: 1 })).status).toBe(200);
    // The clock runs out (the deadline moved into the past, as if ten minutes went by).
    getDb().update(quizAttempts).set({ deadlineAt: new Date(Date.now() - 1000) }).where(eq(quizAttempts.id, attemptId)).run();
    const late = await put(attemptId, q2!.id, { response: rightResponse(q2!.id), seq: 1 });
    expect(late.status).toBe(409);
    expect(await late.json()).toEqual({ error: { code: 'attempt_deadline_passed' } });
    const result = await (await call(`/api/attempts/${attemptId}/result`, { cookie: learner })).json();
    expect(result.attempt).toMatchObject({ status: 'finished', closedBy: 'deadline' });
    expect(result.attempt.score).toBe(1);
  });

  it('starting again after the deadline closes the expired attempt first and starts a new one', async () => {
    const t = await signIn('ayil@demo.kg');
    const first = await start(finalQuizId, t);
    getDb().update(quizAttempts).set({ deadlineAt: new Date(Date.now() - 1000) }).where(eq(quizAttempts.id, first.body.attempt.id)).run();
    const second = await start(finalQuizId, t);
    expect(second.status).toBe(201);
    expect(second.body.attempt.id).not.toBe(first.body.attempt.id);
    expect(getDb().select().from(quizAttempts).where(eq(quizAttempts.id, first.body.attempt.id)).get()).toMatchObject({ status: 'finished', closedBy: 'deadline' });
    await call(`/api/attempts/${second.body.attempt.id}/submit`, { method: 'POST', cookie: t });
  });

  it('the sweep closes expired attempts with nobody looking', async () => {
    const { body } = await start(moduleQuizId);
    const attemptId = body.attempt.id;
    getDb().update(quizAttempts).set({ deadlineAt: new Date(Date.now() - 1000) }).where(eq(quizAttempts.id, attemptId)).run();
    expect(closeExpiredAttempts(getDb())).toBe(1);
    const row = getDb().select().from(quizAttempts).where(eq(quizAttempts.id, attemptId)).get()!;
    expect(row).toMatchObject({ status: 'finished', closedBy: 'deadline', score: 0, passed: false });
    expect(closeExpiredAttempts(getDb())).toBe(0);
  });

  it('limits attempts (two on the module quiz, both used now)', async () => {
    const { status, body } = await start(moduleQuizId);
    expect(status).toBe(409);
    expect(body).toEqual({ error: { code: 'no_attempts_left' } });
    const detail = await (await call(`/api/quizzes/${moduleQuizId}`, { cookie: learner })).json();
    expect(detail).toMatchObject({ canStart: false, blocker: 'no_attempts_left' });
    expect(detail.attempts).toHaveLength(2);
  });

  it('the sweeper closes an expired attempt on its own timer', async () => {
    const t = await signIn('hr@demo.kg');
    const { body } = await start(moduleQuizId, t);
    getDb().update(quizAttempts).set({ deadlineAt: new Date(Date.now() - 1000) }).where(eq(quizAttempts.id, body.attempt.id)).run();
    const stop = startDeadlineSweeper(getDb, 20);
    try {
      await expect
        .poll(() => getDb().select().from(quizAttempts).where(eq(quizAttempts.id, body.attempt.id)).get()!.status, { timeout: 2000 })
        .toBe('finished');
    } finally {
      stop();
    }
  });

  it('refuses to start outside the availability window', async () => {
    const db = getDb();
    db.update(quizzes).set({ opensAt: new Date(Date.now() + 3_600_000) }).where(eq(quizzes.id, finalQuizId)).run();
    const t = await signIn('municipal@demo.kg');
    expect((await start(finalQuizId, t)).body).toEqual({ error: { code: 'quiz_not_open' } });
    db.update(quizzes).set({ opensAt: null, closesAt: new Date(Date.now() - 1000) }).where(eq(quizzes.id, finalQuizId)).run();
    expect((await start(finalQuizId, t)).body).toEqual({ error: { code: 'quiz_closed' } });
    db.update(quizzes).set({ closesAt: null }).where(eq(quizzes.id, finalQuizId)).run();
  });
});

describe('grading methods', () => {
  const a = (number: number, percent: number | null, status: 'finished' | 'in_progress' = 'finished') => ({ number, percent, status }) as never;
  it('counts the highest, the last or the average of finished, graded attempts', () => {
    const list = [a(1, 40), a(2, 90), a(3, 60), a(4, null), a(5, null, 'in_progress')];
    expect(quizGrade('highest', list)).toBe(90);
    expect(quizGrade('last', list)).toBe(60);
    expect(quizGrade('average', list)).toBeCloseTo(63.333, 3);
    expect(quizGrade('highest', [])).toBeNull();
  });
});

describe('submitting, review, essays and analysis', () => {
  let attemptId: number;
  let essayQuestion: number;

  it('grades on the server and shows review only as the quiz allows', async () => {
    const t = await signIn('osh@demo.kg');
    const { body } = await start(finalQuizId, t);
    attemptId = body.attempt.id;
    for (const q of body.questions as Q[]) {
      const res = await put(attemptId, q.id, { response: rightResponse(q.id), seq: 1 }, t);
      expect(res.status, q.kind).toBe(200);
      if (q.kind === 'essay') essayQuestion = q.id;
    }
    const res = await call(`/api/attempts/${attemptId}/submit`, { method: 'POST', cookie: t });
    expect(res.status).toBe(200);
    const result = await res.json();
    // The essay waits for a trainer: no percent, no pass or fail yet.
    expect(result.attempt).toMatchObject({ status: 'finished', closedBy: 'learner', needsGrading: true, percent: null, passed: null, score: 7 });
    expect(result.review).toBe(true); // this quiz reviews immediately…
    // …but its questions can be drawn again in this final (unlimited attempts, not passed yet): no key until it is passed.
    expect(result.items.find((i: any) => i.kind === 'single')).toMatchObject({ keyWithheld: true });
    expect(JSON.stringify(result)).not.toMatch(/rightAnswer|correctResponse|"fraction"/);
    // Submitting again is harmless; answering after submit is refused.
    expect((await call(`/api/attempts/${attemptId}/submit`, { method: 'POST', cookie: t })).status).toBe(200);
    const after = await put(attemptId, body.questions[0].id, { response: null, seq: 50 }, t);
    expect(after.status).toBe(409);
    expect(await after.json()).toEqual({ error: { code: 'attempt_finished' } });
  });

  it('hides correct answers while further attempts remain (module quiz review after the last attempt)', async () => {
    const t = await signIn('admin@demo.kg').catch(() => null);
    expect(t).not.toBeNull(); // admin has no learner role
    expect((await start(moduleQuizId, t!)).status).toBe(403);
    const u = await signIn('ayil@demo.kg');
    const { body } = await start(moduleQuizId, u);
    await put(body.attempt.id, body.questions[0].id, { response: rightResponse(body.questions[0].id), seq: 1 }, u);
    const result = await (await call(`/api/attempts/${body.attempt.id}/submit`, { method: 'POST', cookie: u })).json();
    expect(result.review).toBe(false);
    expect(JSON.stringify(result)).not.toMatch(/rightAnswer|correctResponse|fraction/);
    expect(result.attempt.percent).toBeCloseTo(33.3333, 3);
    expect(result.attempt.passed).toBe(false);
  });

  it('nobody grades their own attempt: a learner who is also a trainer neither sees nor grades their essay', async () => {
    const db = getDb();
    const osh = db.select().from(users).where(eq(users.email, 'osh@demo.kg')).get()!;
    const role = db.insert(userRoles).values({ userId: osh.id, role: 'trainer' }).returning().get();
    try {
      const cookie = await signIn('osh@demo.kg');
      const queue = await (await call('/api/grading/essays', { cookie })).json();
      expect(queue.items.some((i: any) => i.attemptId === attemptId)).toBe(false);
      const itemId = db.select().from(quizAttemptItems).where(and(eq(quizAttemptItems.attemptId, attemptId), eq(quizAttemptItems.questionId, essayQuestion))).get()!.id;
      const res = await call(`/api/grading/essays/${itemId}`, { method: 'POST', cookie, json: { points: [3, 1], comment: 'Өзүмө' } });
      expect(res.status).toBe(403);
      expect((await res.json()).error.code).toBe('grade_own_attempt');
      // The grading page calls the same service functions (gradingQueue with the grader, gradeEssay).
      expect(gradingQueue(db, osh.id).some((e) => e.attemptId === attemptId)).toBe(false);
      expect(() => gradeEssay(db, itemId, osh.id, { points: [3, 1], comment: '' })).toThrowError(expect.objectContaining({ code: 'grade_own_attempt' }));
      expect(db.select().from(quizAttemptItems).where(eq(quizAttemptItems.id, itemId)).get()!.fraction).toBeNull();
    } finally {
      db.delete(userRoles).where(eq(userRoles.id, role.id)).run();
    }
  });

  it('puts essays in the trainer’s queue; grading updates the result', async () => {
    expect((await call('/api/grading/essays', { cookie: learner })).status).toBe(403);
    const queue = await (await call('/api/grading/essays', { cookie: trainer })).json();
    const entry = queue.items.find((i: any) => i.attemptId === attemptId);
    expect(entry).toMatchObject({ learnerName: 'Динара Юсупова', rubric: [{ points: 3 }, { points: 1 }] });
    const bad = await call(`/api/grading/essays/${entry.itemId}`, { method: 'POST', cookie: trainer, json: { points: [5, 1] } });
    expect(bad.status).toBe(400);
    const res = await call(`/api/grading/essays/${entry.itemId}`, { method: 'POST', cookie: trainer, json: { points: [2, 1], comment: 'Жакшы' } });
    expect(res.status).toBe(200);
    // 7 of 7 automatic points + 3 of 4 essay points = 10 of 11
    expect(await res.json()).toMatchObject({ needsGrading: false, score: 10, maxScore: 11, passed: true });
    await expect((await call('/api/grading/essays', { cookie: trainer })).json()).resolves.toMatchObject({ items: expect.not.arrayContaining([expect.objectContaining({ attemptId })]) });
    // Passed: the final is finished for the learner, so the review shows the keys now.
    const review = await (await call(`/api/attempts/${attemptId}/result`, { cookie: await signIn('osh@demo.kg') })).json();
    expect(review.items.find((i: any) => i.kind === 'single').rightAnswer).toBeTruthy();
    void essayQuestion;
  });

  it('feeds the course completion rule', async () => {
    const db = getDb();
    const osh = db.all<{ id: number }>(`select id from users where email = 'osh@demo.kg'`)[0]!;
    const courseId = db.select().from(quizzes).where(eq(quizzes.id, finalQuizId)).get()!.courseId;
    expect(quizOutcomes(db, osh.id, courseId)).toEqual([
      { quizId: moduleQuizId, kind: 'module', modulePosition: 1, passed: false },
      { quizId: finalQuizId, kind: 'final', modulePosition: null, passed: true },
    ]);
  });

  it('item analysis gives facility, discrimination and the answer distribution', async () => {
    expect((await call(`/api/quizzes/${finalQuizId}/analysis`, { cookie: learner })).status).toBe(403);
    const res = await call(`/api/quizzes/${finalQuizId}/analysis`, { cookie: trainer });
    expect(res.status).toBe(200);
    const a = await res.json();
    expect(a.attempts).toBeGreaterThanOrEqual(1);
    const single = a.items.find((i: any) => i.kind === 'single');
    // For a single choice the facility is the share of attempts that picked the correct choice.
    const right = single.options.find((o: any) => o.correct).count;
    expect(right).toBeGreaterThanOrEqual(1);
    expect(single.facility).toBeCloseTo((100 * right) / single.attempts, 6);
    expect(single.attempts).toBe(single.unanswered + single.options.reduce((n: number, o: any) => n + o.count, 0));
    expect(single.options).toHaveLength(3);
  });
});

describe('course package import', () => {
  function copyFixture(): string {
    const root = mkdtempSync(join(tmpdir(), 'bilim-quiz-'));
    cpSync(FIXTURES, root, { recursive: true });
    return root;
  }

  it('is idempotent and versions a changed question, keeping earlier attempts on their version; regrade applies the corrected key', async () => {
    const db = getDb();
    const count = () => db.select().from(quizQuestions).all().length;
    const before = count();
    importCourseLibrary(db, FIXTURES);
    expect(count()).toBe(before);

    // A learner answers the true/false question "Бул туура." with true on the module quiz — then the key is "corrected" to false.
    const t = await signIn('municipal@demo.kg');
    const { body } = await start(moduleQuizId, t);
    const tfQ = (body.questions as Q[]).find((q) => q.kind === 'truefalse');
    const root = copyFixture();
    try {
      const file = join(root, 'quiz-demo', 'questions.json');
      const json = JSON.parse(readFileSync(file, 'utf8'));
      json.questions.find((q: any) => q.id === 'b-tf').correct = false;
      writeFileSync(file, JSON.stringify(json));
      if (tfQ) await put(body.attempt.id, tfQ.id, { response: { value: true }, seq: 1 }, t);
      await call(`/api/attempts/${body.attempt.id}/submit`, { method: 'POST', cookie: t });
      const scoreBefore = db.select().from(quizAttempts).where(eq(quizAttempts.id, body.attempt.id)).get()!.score;
      importCourseLibrary(db, root);
      const versions = db.select().from(quizQuestions).where(eq(quizQuestions.slug, 'b-tf')).all();
      expect(versions.map((v) => [v.version, v.current])).toEqual([[1, false], [2, true]]);
      expect(count()).toBe(before + 1);
      // The finished attempt still shows the version it saw.
      const after = db.select().from(quizAttempts).where(eq(quizAttempts.id, body.attempt.id)).get()!;
      expect(after.score).toBe(scoreBefore);
      // Regrade with the corrected key: the "true" answer now scores 0.
      const res = await call(`/api/questions/${versions[0]!.id}/regrade`, { method: 'POST', cookie: trainer });
      expect(res.status).toBe(200);
      const regraded = db.select().from(quizAttempts).where(eq(quizAttempts.id, body.attempt.id)).get()!;
      if (tfQ) expect(regraded.score).toBe(scoreBefore! - 1);
      expect((await res.json()).items).toBeGreaterThanOrEqual(1);
      // New attempts draw only current versions.
      const fresh = await start(moduleQuizId, await signIn('ayil@demo.kg'));
      expect(fresh.status).toBe(201);
      const current = new Set(db.select().from(quizQuestions).where(eq(quizQuestions.current, true)).all().map((q) => q.id));
      for (const q of fresh.body.questions as Q[]) expect(current.has(q.id)).toBe(true);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('rejects a broken quiz file with the file and reason, and imports nothing', () => {
    const db = getDb();
    const root = copyFixture();
    try {
      const quizFile = join(root, 'quiz-demo', 'quizzes.json');
      const json = JSON.parse(readFileSync(quizFile, 'utf8'));
      json.quizzes[0].draw[0].count = 50;
      writeFileSync(quizFile, JSON.stringify(json));
      const qFile = join(root, 'quiz-demo', 'questions.json');
      const q = JSON.parse(readFileSync(qFile, 'utf8'));
      q.questions[0].text.ky = 'Өзгөртүлгөн';
      writeFileSync(qFile, JSON.stringify(q));
      const before = db.select().from(quizQuestions).all().length;
      expect(() => importCourseLibrary(db, root)).toThrow(PackageError);
      try {
        importCourseLibrary(db, root);
      } catch (e) {
        expect((e as PackageError).file).toBe(quizFile);
        expect((e as PackageError).reason).toMatch(/draw\.0: 50 questions wanted/);
      }
      expect(db.select().from(quizQuestions).all().length).toBe(before);
      writeFileSync(quizFile, '{"quizzes": [{"id": "x", "kind": "module", "title": {"ky": "a", "ru": "b"}, "draw": [{"category": "basics", "count": 1}], "passPercent": 50}]}');
      expect(() => importCourseLibrary(db, root)).toThrow(/modulePosition/);
      writeFileSync(qFile, '{"categories": [{"id": "c", "title": {"ky": "a", "ru": "b"}}], "questions": [{"id": "q", "category": "c", "kind": "single", "text": {"ky": "a", "ru": "b"}, "choices": []}]}');
      expect(() => importCourseLibrary(db, root)).toThrow(/questions\.0\.choices/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('the real course library imports with its question banks', () => {
    const db = getDb();
    expect(() => importCourseLibrary(db, 'courses')).not.toThrow();
  });
});

describe('exam-day query plans', () => {
  const plan = (q: { toSQL(): { sql: string; params: unknown[] } }) => {
    const { sql: text, params } = q.toSQL();
    return (getDb().$client.prepare(`explain query plan ${text}`).all(...params) as { detail: string }[]).map((r) => r.detail).join('; ');
  };
  it('start, save and sweep use indexes, never a scan of all attempts', async () => {
    const { and, asc, desc, eq: eqOp, lte } = await import('drizzle-orm');
    const { quizAttemptItems } = await import('@db/schema');
    const db = getDb();
    expect(plan(db.select().from(quizAttempts).where(and(eqOp(quizAttempts.userId, 1), eqOp(quizAttempts.quizId, 1))).orderBy(desc(quizAttempts.number)))).toMatch(/USING INDEX quiz_attempts_number_uq/);
    expect(plan(db.select().from(quizQuestions).where(and(eqOp(quizQuestions.courseId, 1), eqOp(quizQuestions.category, 'm1'), eqOp(quizQuestions.current, true))))).toMatch(/USING INDEX quiz_questions_pool_idx/);
    expect(plan(db.select().from(quizAttemptItems).where(and(eqOp(quizAttemptItems.attemptId, 1), eqOp(quizAttemptItems.questionId, 1))))).toMatch(/USING INDEX quiz_attempt_items_uq/);
    expect(plan(db.select().from(quizAttempts).where(and(eqOp(quizAttempts.status, 'in_progress'), lte(quizAttempts.deadlineAt, new Date()))).orderBy(asc(quizAttempts.deadlineAt)))).toMatch(/USING INDEX quiz_attempts_open_idx/);
  });
});
