/**
 * The in-process catalog cache (course rows, version outlines) and the lighter completion check of
 * lesson progress saves: what is cached is never served after it changed, and completion still
 * settles exactly when the rule is met.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import { call, getDb, signIn, withDemo } from '../helpers';
import { connectionOf, openDatabase, type DB } from '@db/client';
import { certificates, courseModules, courses, enrolments, lessons, organisations } from '@db/schema';
import { loadCoursePackage } from '@server/modules/catalog/package';
import { getPublishedCourse, importCourse, importCourseLibrary, listCourses } from '@server/modules/catalog/service';
import { createPerson } from '@server/modules/people/service';

let root: string;

/** Writes a text-only course package with one module of the given lessons. */
function writeCourse(slug: string, opts: { title?: string; lessons?: string[]; texts?: Record<string, string>; completion?: Record<string, unknown> } = {}): void {
  const dir = join(root, slug);
  const lessonSlugs = opts.lessons ?? ['a', 'b', 'c'];
  mkdirSync(join(dir, 'lessons'), { recursive: true });
  writeFileSync(
    join(dir, 'course.json'),
    JSON.stringify({
      slug,
      category: 'ethics',
      hours: 4,
      audience: { services: ['state'], postKinds: ['administrative'], groups: [] },
      provider: 'TEST-ACADEMY',
      title: { ky: opts.title ?? `Курс ${slug}`, ru: `Курс ${slug}` },
      summary: { ky: 'Кыскача.', ru: 'Кратко.' },
      description: { ky: 'Сүрөттөмө.', ru: 'Описание.' },
      objectives: { ky: ['Билүү'], ru: ['Знать'] },
      ...(opts.completion ? { completion: opts.completion } : {}),
      modules: [{ title: { ky: 'Модуль', ru: 'Модуль' }, lessons: lessonSlugs.map((l) => ({ slug: l, title: { ky: `Сабак ${l}`, ru: `Урок ${l}` }, minutes: 5, kind: 'theory' })) }],
    }),
  );
  for (const l of lessonSlugs) {
    writeFileSync(join(dir, 'lessons', `${l}.ky.md`), opts.texts?.[l] ?? `Сабак ${l}.\n`);
    writeFileSync(join(dir, 'lessons', `${l}.ru.md`), `Урок ${l}.\n`);
  }
}

const people: Record<string, { id: number; cookie: string }> = {};
async function person(key: string): Promise<void> {
  const budget = getDb().select().from(organisations).where(eq(organisations.nameRu, 'Управление бюджетной политики')).get()!;
  const email = `${key}@fast.test.kg`;
  const p = await createPerson(getDb(), { email, password: 'test-password-1', fullName: key, organisationId: budget.id, locale: 'ky', service: 'state', postKind: 'administrative', adminGroup: 'junior' });
  people[key] = { id: p.id, cookie: await signIn(email, 'test-password-1') };
}

const enrol = (who: string, slug: string) => call(`/api/courses/${slug}/enrolments`, { method: 'POST', cookie: people[who]!.cookie });
const progress = async (who: string, lessonId: number, json: unknown) => {
  const r = await call(`/api/lessons/${lessonId}/progress`, { method: 'POST', cookie: people[who]!.cookie, json });
  expect(r.status).toBe(200);
  return r.json();
};
const detail = async (slug: string) => (await call(`/api/courses/${slug}`)).json();
const lessonSlugsOf = (d: { modules: { lessons: { slug: string }[] }[] }) => d.modules.flatMap((m) => m.lessons.map((l) => l.slug));

/** Lesson ids of a course's current version, by slug. */
function lessonIds(db: DB, slug: string): Record<string, number> {
  const course = db.select().from(courses).where(eq(courses.slug, slug)).get()!;
  const rows = db
    .select({ id: lessons.id, slug: lessons.slug })
    .from(lessons)
    .innerJoin(courseModules, eq(courseModules.id, lessons.moduleId))
    .where(eq(courseModules.versionId, course.currentVersionId!))
    .all();
  return Object.fromEntries(rows.map((r) => [r.slug, r.id]));
}

beforeAll(async () => {
  await withDemo();
  root = mkdtempSync(join(tmpdir(), 'bilim-learn-fast-'));
  cpSync('tests/fixtures/courses/providers.json', join(root, 'providers.json'));
  writeCourse('cache-course');
  writeCourse('half-course', { completion: { lessonsPercent: 50 } });
  writeCourse('feedback-rule-course', { lessons: ['a', 'b'], completion: { feedback: true } });
  importCourseLibrary(getDb(), root);
  for (const key of ['mover', 'halver', 'reviewer']) await person(key);
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('catalog cache: an import in this process is shown at once', () => {
  it('a new version changes the list and the course outline immediately', async () => {
    const before = await (await call('/api/courses?q=кеш')).json();
    expect(before.courses).toEqual([]);
    expect(lessonSlugsOf(await detail('cache-course'))).toEqual(['a', 'b', 'c']);

    writeCourse('cache-course', { title: 'Кеш курсу', lessons: ['a', 'b', 'c', 'd'] });
    importCourseLibrary(getDb(), root);

    const after = await (await call('/api/courses?q=кеш')).json();
    expect(after.courses.map((c: { slug: string; title: { ky: string } }) => [c.slug, c.title.ky])).toEqual([['cache-course', 'Кеш курсу']]);
    const d = await detail('cache-course');
    expect(d.title.ky).toBe('Кеш курсу');
    expect(lessonSlugsOf(d)).toEqual(['a', 'b', 'c', 'd']);
    expect(d.modules[0].lessons.map((l: { id: number }) => l.id)).toEqual(Object.values(lessonIds(getDb(), 'cache-course')));
  });

  it('the list answer is the same JSON as the course summaries, whatever the filter', async () => {
    const all = await call('/api/courses');
    expect(all.headers.get('content-type')).toMatch(/^application\/json/);
    const { courses: list } = await all.json();
    const half = list.find((c: { slug: string }) => c.slug === 'half-course');
    expect(half).toEqual({
      slug: 'half-course',
      category: 'ethics',
      hours: 4,
      languages: ['ky', 'ru'],
      title: { ky: 'Курс half-course', ru: 'Курс half-course' },
      summary: { ky: 'Кыскача.', ru: 'Кратко.' },
      provider: { ky: 'Академия', ru: 'Академия' },
      audience: { services: ['state'], postKinds: ['administrative'], groups: [] },
    });
    const filtered = await (await call('/api/courses?q=half&lang=ru&category=ethics&service=state')).json();
    expect(filtered.courses).toEqual([half]);
    expect((await (await call('/api/courses?service=municipal&q=half')).json()).courses).toEqual([]);
  });

  it('an import that fails after it moved learners leaves nothing behind, and the next import is shown', async () => {
    await enrol('mover', 'cache-course');
    const ids = lessonIds(getDb(), 'cache-course');
    await progress('mover', ids.a!, { seq: 1, read: true });
    expect(lessonSlugsOf(await detail('cache-course'))).toEqual(['a', 'b', 'c', 'd']);

    // A changed package whose last step (the quiz bank) fails: its version, read while the active
    // enrolment moved to it, is rolled back, and its id is given to the next import.
    writeCourse('cache-course', { title: 'Кеш курсу', lessons: ['a', 'b', 'x'] });
    const broken = loadCoursePackage(join(root, 'cache-course'));
    const category = { id: 'same', title: { ky: 'Бир', ru: 'Одна' } };
    broken.quiz = { categories: [category, category], questions: [], quizzes: [], raw: '' } as unknown as typeof broken.quiz;
    expect(() => importCourse(getDb(), broken)).toThrow();
    expect(lessonSlugsOf(await detail('cache-course'))).toEqual(['a', 'b', 'c', 'd']);
    const mine = await (await call('/api/me/enrolments', { cookie: people.mover!.cookie })).json();
    expect(mine.enrolments[0].progress.modules[0].lessons.map((l: { slug: string }) => l.slug)).toEqual(['a', 'b', 'c', 'd']);

    writeCourse('cache-course', { title: 'Кеш курсу', lessons: ['a', 'b', 'y', 'z'] });
    importCourseLibrary(getDb(), root);
    expect(lessonSlugsOf(await detail('cache-course'))).toEqual(['a', 'b', 'y', 'z']);
    const moved = await (await call('/api/me/enrolments', { cookie: people.mover!.cookie })).json();
    expect(moved.enrolments[0].progress).toMatchObject({ lessonsViewed: 1, lessonsTotal: 4 });
    // the save answers with the new version's counts
    const saved = await progress('mover', lessonIds(getDb(), 'cache-course').y!, { seq: 1, read: true });
    expect(saved.course).toMatchObject({ status: 'active', viewed: 2, total: 4, percent: 50 });
  });
});

describe('catalog generation', () => {
  it('changes with writes to the catalog only, not with learners\' saves', async () => {
    const generation = () => getDb().$client.prepare('SELECT value FROM catalog_generation').safeIntegers().pluck().get();
    const before = generation();
    await enrol('halver', 'cache-course');
    await progress('halver', lessonIds(getDb(), 'cache-course').a!, { seq: 1, read: true });
    expect(generation()).toBe(before);
    writeCourse('cache-course', { title: 'Кеш курсу', lessons: ['a', 'b', 'y', 'z', 'w'] });
    importCourseLibrary(getDb(), root);
    expect(generation()).not.toBe(before);
  });
});

describe('catalog cache: a change committed by another connection is shown at once', () => {
  let dir: string;
  let db: DB;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'bilim-learn-fast-db-'));
    db = openDatabase(join(dir, 'bilim.sqlite'));
    importCourseLibrary(db, root);
  });
  afterAll(() => {
    connectionOf(db).close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('an import by another process (a new version) and an unpublished course', () => {
    expect(listCourses(db, {}, 'ky').map((c) => c.slug)).toContain('half-course');
    expect(getPublishedCourse(db, 'half-course').modules[0]!.lessons.map((l) => l.slug)).toEqual(['a', 'b', 'c']);

    // `npm run courses:import` in another process
    writeCourse('half-course', { completion: { lessonsPercent: 50 }, lessons: ['a', 'b', 'c', 'e'] });
    const other = openDatabase(join(dir, 'bilim.sqlite'));
    importCourseLibrary(other, root);
    other.$client.close();
    expect(getPublishedCourse(db, 'half-course').modules[0]!.lessons.map((l) => l.slug)).toEqual(['a', 'b', 'c', 'e']);

    const raw = new Database(join(dir, 'bilim.sqlite'));
    raw.prepare("UPDATE courses SET status = 'draft' WHERE slug = 'half-course'").run();
    raw.close();
    expect(listCourses(db, {}, 'ky').map((c) => c.slug)).not.toContain('half-course');
    expect(() => getPublishedCourse(db, 'half-course')).toThrow(expect.objectContaining({ code: 'course_not_found' }));
    writeCourse('half-course', { completion: { lessonsPercent: 50 } });
  });
});

describe('completion still settles exactly when the rule is met', () => {
  it('a 50 % rule completes at the second of three lessons, once, and later saves keep the counts', async () => {
    await enrol('halver', 'half-course');
    const ids = lessonIds(getDb(), 'half-course');
    const first = await progress('halver', ids.a!, { seq: 1, read: true });
    expect(first.course).toMatchObject({ status: 'active', viewed: 1, total: 3, percent: 33, completedAt: null });
    // a position-only save changes no counts
    expect((await progress('halver', ids.b!, { seq: 1, positionSeconds: 12 })).course).toMatchObject({ status: 'active', viewed: 1, total: 3 });
    const second = await progress('halver', ids.b!, { seq: 2, read: true });
    expect(second.course).toMatchObject({ status: 'completed', viewed: 2, total: 3, percent: 66 });
    expect(second.course.completedAt).not.toBeNull();
    const later = await progress('halver', ids.c!, { seq: 1, read: true });
    expect(later.course).toMatchObject({ status: 'completed', viewed: 3, total: 3, percent: 100, completedAt: second.course.completedAt });
    const enrolment = getDb()
      .select()
      .from(enrolments)
      .where(and(eq(enrolments.userId, people.halver!.id), eq(enrolments.status, 'completed')))
      .get()!;
    expect(enrolment.hoursEarned).toBe(4);
    expect(getDb().select().from(certificates).where(eq(certificates.sourceRef, `enrolment:${enrolment.id}`)).all()).toHaveLength(1);
  });

  it('with every lesson viewed, a rule that also asks for feedback waits for it across saves', async () => {
    const { enrolment } = await (await enrol('reviewer', 'feedback-rule-course')).json();
    const ids = lessonIds(getDb(), 'feedback-rule-course');
    await progress('reviewer', ids.a!, { seq: 1, read: true });
    expect((await progress('reviewer', ids.b!, { seq: 1, read: true })).course).toMatchObject({ status: 'active', viewed: 2, total: 2, percent: 100 });
    expect((await progress('reviewer', ids.b!, { seq: 2, positionSeconds: 3 })).course).toMatchObject({ status: 'active', viewed: 2, total: 2 });
    const fb = await call(`/api/enrolments/${enrolment.id}/feedback`, { method: 'POST', cookie: people.reviewer!.cookie, json: { relevance: 5, clarity: 5, usefulness: 5, trainer: 5 } });
    expect(fb.status).toBe(201);
    expect((await fb.json()).enrolment.status).toBe('completed');
    expect((await progress('reviewer', ids.a!, { seq: 2, positionSeconds: 1 })).course).toMatchObject({ status: 'completed', viewed: 2, total: 2, percent: 100 });
  });
});
