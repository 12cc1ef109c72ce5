/**
 * A course with a final test is complete only when the final test is passed (issue 15): the default
 * rule of a package or draft with a final test, the shipped library, essays waiting for a trainer,
 * the words every page shows (made from the rule), and completions recorded under an older rule.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import { call, getDb, signIn, withDemo } from '../helpers';
import { certificates, courses, quizAttemptItems } from '@db/schema';
import { completionRuleOf, courseVersion, importCourseLibrary } from '@server/modules/catalog/service';
import { loadCoursePackage } from '@server/modules/catalog/package';
import { PackageError } from '@server/lib/package-error';
import { completionRuleWords, completionRuleSentence } from '@server/modules/learning/completion';
import { enrolmentInCourse, enrolmentProgress } from '@server/modules/learning/service';
import { reviewFacts } from '@server/modules/review/facts';
import { emptyDraftContent } from '@server/modules/authoring/content';
import { t } from '@server/lib/i18n';
import { courseId, enrol, newServant, quizOf, takeQuiz, viewAllLessons } from '../support/learner-flow';

const dir = mkdtempSync(join(tmpdir(), 'bilim-completion-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(async () => {
  await withDemo();
  for (const slug of ['anti-corruption', 'ethics-conflict-of-interest']) cpSync(join('courses', slug), join(dir, slug), { recursive: true });
  cpSync('courses/providers.json', join(dir, 'providers.json'));
  importCourseLibrary(getDb(), dir);
});

const certificatesOf = (userId: number, slug: string) =>
  getDb().select().from(certificates).where(and(eq(certificates.userId, userId), eq(certificates.courseId, courseId(slug)))).all();
const statusOf = (userId: number, slug: string) => enrolmentInCourse(getDb(), userId, courseId(slug))!.status;

describe('a shipped course with a final test', () => {
  it('is not complete with every lesson viewed, a failed module quiz or a failed final; it is once the final is passed', async () => {
    const me = await newServant();
    expect((await enrol(me.cookie, 'anti-corruption')).status).toBe(201);
    viewAllLessons(me.id, 'anti-corruption');
    expect(statusOf(me.id, 'anti-corruption')).toBe('active');
    expect(certificatesOf(me.id, 'anti-corruption')).toEqual([]);
    const progress = enrolmentProgress(getDb(), enrolmentInCourse(getDb(), me.id, courseId('anti-corruption'))!);
    expect(progress.completion).toMatchObject({ complete: false, lessons: { met: true }, finalTest: { required: true, exists: true, passed: false } });

    expect((await takeQuiz(me.cookie, quizOf('anti-corruption', 'module', 1).id, 'blank')).result.attempt.passed).toBe(false);
    expect((await takeQuiz(me.cookie, quizOf('anti-corruption', 'final').id, 'blank')).result.attempt.passed).toBe(false);
    expect(statusOf(me.id, 'anti-corruption')).toBe('active');
    expect(certificatesOf(me.id, 'anti-corruption')).toEqual([]);
    const record = await (await call('/api/me/record', { cookie: me.cookie })).json();
    expect(JSON.stringify(record)).not.toContain('anti-corruption');

    expect((await takeQuiz(me.cookie, quizOf('anti-corruption', 'final').id, 'right')).result.attempt.passed).toBe(true);
    expect(statusOf(me.id, 'anti-corruption')).toBe('completed');
    expect(certificatesOf(me.id, 'anti-corruption')).toHaveLength(1);
  });

  it('an essay waiting for a trainer is not passed yet; the grade completes the course', async () => {
    const me = await newServant();
    expect((await enrol(me.cookie, 'ethics-conflict-of-interest')).status).toBe(201);
    viewAllLessons(me.id, 'ethics-conflict-of-interest');
    const { result } = await takeQuiz(me.cookie, quizOf('ethics-conflict-of-interest', 'final').id, 'right');
    expect(result.attempt).toMatchObject({ needsGrading: true, passed: null });
    expect(statusOf(me.id, 'ethics-conflict-of-interest')).toBe('active');
    expect(certificatesOf(me.id, 'ethics-conflict-of-interest')).toEqual([]);

    const pending = getDb().select().from(quizAttemptItems).where(eq(quizAttemptItems.attemptId, result.attempt.id)).all().filter((i) => i.fraction === null);
    expect(pending).toHaveLength(1);
    const queue = await (await call('/api/grading/essays', { cookie: await signIn('reviewer@demo.kg') })).json();
    const entry = queue.items.find((i: any) => i.itemId === pending[0]!.id);
    const graded = await call(`/api/grading/essays/${entry.itemId}`, { method: 'POST', cookie: await signIn('reviewer@demo.kg'), json: { points: entry.rubric.map((r: any) => r.points), comment: 'Жакшы' } });
    expect(graded.status).toBe(200);
    expect(statusOf(me.id, 'ethics-conflict-of-interest')).toBe('completed');
    expect(certificatesOf(me.id, 'ethics-conflict-of-interest')).toHaveLength(1);
  });
});

describe('the default rule', () => {
  const final = { quizzes: [{ kind: 'module' }, { kind: 'final' }] };
  it('asks for the final test when the package has one, unless the package says otherwise', () => {
    expect(completionRuleOf({ quiz: final })).toEqual({ lessonsPercent: 100, moduleQuizzes: false, finalTest: true, feedback: false });
    expect(completionRuleOf({ completion: { moduleQuizzes: true }, quiz: final }).finalTest).toBe(true);
    expect(completionRuleOf({ completion: { finalTest: false }, quiz: final }).finalTest).toBe(false);
    expect(completionRuleOf({ quiz: { quizzes: [{ kind: 'module' }] } }).finalTest).toBe(false);
    expect(completionRuleOf({ quiz: null }).finalTest).toBe(false);
  });

  it('refuses a package that asks for a final test it does not have', () => {
    const pkg = join(dir, 'no-final');
    cpSync('tests/fixtures/quiz-courses/quiz-demo', pkg, { recursive: true });
    const manifest = JSON.parse(readFileSync(join(pkg, 'course.json'), 'utf8'));
    writeFileSync(join(pkg, 'course.json'), JSON.stringify({ ...manifest, slug: 'no-final', completion: { finalTest: true } }));
    const quizzesFile = JSON.parse(readFileSync(join(pkg, 'quizzes.json'), 'utf8'));
    writeFileSync(join(pkg, 'quizzes.json'), JSON.stringify({ quizzes: quizzesFile.quizzes.filter((q: any) => q.kind !== 'final') }));
    expect(() => loadCoursePackage(pkg)).toThrow(PackageError);
    expect(() => loadCoursePackage(pkg)).toThrow(/completion\.finalTest/);
    rmSync(pkg, { recursive: true });
  });

  it('applies to drafts made in the editor: a draft with a final test requires it, and the checklist says so in words', () => {
    const content = emptyDraftContent('draft-rule', 'ethics');
    content.quizzes = { quizzes: [{ id: 'final', kind: 'final', title: { ky: 'Жыйынтык', ru: 'Итог' }, draw: [{ category: 'c', count: 1 }], passPercent: 70 }] } as never;
    const facts = reviewFacts(content);
    expect(facts.completion).toMatchObject({ stated: false, finalTestRelaxed: false, rule: { finalTest: true } });
    const relaxed = reviewFacts({ ...content, manifest: { ...content.manifest, completion: { finalTest: false } } });
    expect(relaxed.completion).toMatchObject({ stated: true, finalTestRelaxed: true, rule: { finalTest: false } });
    expect(completionRuleSentence('ky', facts.completion.rule, facts.completion)).toContain(t('ky', 'completion.finalTest.required'));
    expect(completionRuleSentence('ru', relaxed.completion.rule, relaxed.completion)).toContain('Итоговый тест не влияет на завершение курса.');
  });
});

describe('the words about completion are made from the rule', () => {
  const course = { moduleQuizzes: 3, finalTest: true };
  it('say what the rule asks, in Kyrgyz and Russian, and change with it', () => {
    for (const locale of ['ky', 'ru'] as const) {
      const strict = completionRuleWords(locale, { lessonsPercent: 100, moduleQuizzes: false, finalTest: true, feedback: false }, course);
      expect(strict.items.filter((i) => i.required).map((i) => i.part)).toEqual(['lessons', 'finalTest']);
      expect(strict.items.find((i) => i.part === 'finalTest')!.text).toBe(t(locale, 'completion.finalTest.required'));
      expect(strict.items.find((i) => i.part === 'moduleQuizzes')).toMatchObject({ required: false, text: t(locale, 'completion.moduleQuizzes.optional') });
      const loose = completionRuleWords(locale, { lessonsPercent: 80, moduleQuizzes: true, finalTest: false, feedback: true }, course);
      expect(loose.items.map((i) => [i.part, i.required])).toEqual([['lessons', true], ['moduleQuizzes', true], ['finalTest', false], ['feedback', true]]);
      expect(loose.items[0]!.text).toBe(t(locale, 'completion.lessons.share', { percent: 80 }));
    }
  });

  const currentVersionOf = (slug: string) => getDb().select().from(courses).where(eq(courses.slug, slug)).get()!.currentVersionId!;
  it('name the final test as required for the shipped courses (the rule stored at import)', () => {
    for (const slug of ['anti-corruption', 'ethics-conflict-of-interest']) {
      const version = courseVersion(getDb(), currentVersionOf(slug))!;
      expect(completionRuleWords('ky', version.completion, course).items.find((i) => i.part === 'finalTest')).toMatchObject({ required: true });
    }
  });
});

describe('completions recorded before the rule changed', () => {
  it('stay valid; active enrolments move to the new rule', async () => {
    const pkg = join(dir, 'rule-change');
    cpSync('tests/fixtures/quiz-courses/quiz-demo', pkg, { recursive: true });
    const manifest = JSON.parse(readFileSync(join(pkg, 'course.json'), 'utf8'));
    const write = (completion: object | undefined) => writeFileSync(join(pkg, 'course.json'), JSON.stringify({ ...manifest, slug: 'rule-change', ...(completion ? { completion } : {}) }));
    // The old rule: lessons only (what the default was for every package before).
    write({ lessonsPercent: 100, moduleQuizzes: false, finalTest: false, feedback: false });
    const only = mkdtempSync(join(tmpdir(), 'bilim-rule-'));
    cpSync('tests/fixtures/quiz-courses/providers.json', join(only, 'providers.json'));
    cpSync(pkg, join(only, 'rule-change'), { recursive: true });
    importCourseLibrary(getDb(), only);
    const done = await newServant();
    const midway = await newServant();
    for (const s of [done, midway]) expect((await enrol(s.cookie, 'rule-change')).status).toBe(201);
    viewAllLessons(done.id, 'rule-change');
    expect(statusOf(done.id, 'rule-change')).toBe('completed');
    const [cert] = certificatesOf(done.id, 'rule-change');

    // The package now states nothing: the default asks for the final test.
    write(undefined);
    cpSync(pkg, join(only, 'rule-change'), { recursive: true });
    importCourseLibrary(getDb(), only);
    expect(statusOf(done.id, 'rule-change')).toBe('completed');
    const check = await (await call(`/api/certificates/${cert!.code}/verify`)).json();
    expect(check).toMatchObject({ status: 'valid', revokedOn: null });

    viewAllLessons(midway.id, 'rule-change');
    const progress = enrolmentProgress(getDb(), enrolmentInCourse(getDb(), midway.id, courseId('rule-change'))!);
    expect(progress.rule.finalTest).toBe(true);
    expect(statusOf(midway.id, 'rule-change')).toBe('active');
    expect(certificatesOf(midway.id, 'rule-change')).toEqual([]);
    rmSync(only, { recursive: true });
  });
});
