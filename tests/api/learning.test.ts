import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import { call, getDb, signIn, withDemo } from '../helpers';
import { courseModules, courses, courseVersions, enrolments, lessonProgress, lessons, organisations, users } from '@db/schema';
import { importCourseLibrary } from '@server/modules/catalog/service';
import { PackageError } from '@server/lib/package-error';
import { createPerson } from '@server/modules/people/service';
import { openLesson, saveProgress } from '@server/modules/learning/service';

const MEDIA = 'courses/ethics-conflict-of-interest/media';
const VIDEO_SECONDS = 25.088;
let root: string;

type CourseSpec = {
  slug: string;
  audience?: { services: string[]; postKinds: string[]; groups: string[] };
  extra?: Record<string, unknown>;
  /** lesson slug → Kyrgyz text */
  texts?: Record<string, string>;
};

/** Writes a course package: two modules, lessons "a", "v" (with the real captioned video) and "c". */
function writeCourse(spec: CourseSpec): void {
  const dir = join(root, spec.slug);
  mkdirSync(join(dir, 'lessons'), { recursive: true });
  mkdirSync(join(dir, 'media'), { recursive: true });
  for (const f of ['conflict-of-interest.mp4', 'conflict-of-interest.ky.vtt', 'conflict-of-interest.ru.vtt']) copyFileSync(join(MEDIA, f), join(dir, 'media', f));
  writeFileSync(join(dir, 'media', 'rules.pdf'), '%PDF-1.4\n% test attachment\n');
  const lesson = (slug: string, more: Record<string, unknown> = {}) => ({ slug, title: { ky: `Сабак ${slug}`, ru: `Урок ${slug}` }, minutes: 10, kind: 'theory', ...more });
  writeFileSync(
    join(dir, 'course.json'),
    JSON.stringify({
      slug: spec.slug,
      category: 'ethics',
      hours: 6,
      audience: spec.audience ?? { services: ['state'], postKinds: ['administrative'], groups: ['senior', 'junior'] },
      provider: 'TEST-ACADEMY',
      title: { ky: `Курс ${spec.slug}`, ru: `Курс ${spec.slug}` },
      summary: { ky: 'Кыскача.', ru: 'Кратко.' },
      description: { ky: 'Сүрөттөмө.', ru: 'Описание.' },
      objectives: { ky: ['Билүү'], ru: ['Знать'] },
      modules: [
        { title: { ky: 'Биринчи', ru: 'Первый' }, lessons: [lesson('a'), lesson('v', { video: { file: 'media/conflict-of-interest.mp4', captions: { ky: 'media/conflict-of-interest.ky.vtt', ru: 'media/conflict-of-interest.ru.vtt' } } })] },
        { title: { ky: 'Экинчи', ru: 'Второй' }, lessons: [lesson('c', { attachments: [{ file: 'media/rules.pdf', title: { ky: 'Эрежелер', ru: 'Правила' } }] })] },
      ],
      ...spec.extra,
    }),
  );
  for (const slug of ['a', 'v', 'c']) {
    writeFileSync(join(dir, 'lessons', `${slug}.ky.md`), spec.texts?.[slug] ?? `## ${slug}\n\nСабактын **тексти** ${slug}.\n`);
    writeFileSync(join(dir, 'lessons', `${slug}.ru.md`), `## ${slug}\n\nТекст урока ${slug}.\n`);
  }
}

const people: Record<string, { id: number; cookie: string }> = {};

async function person(key: string, fields: Partial<typeof users.$inferInsert>): Promise<void> {
  const budget = getDb().select().from(organisations).where(eq(organisations.nameRu, 'Управление бюджетной политики')).get()!;
  const email = `${key}@test.kg`;
  const p = await createPerson(getDb(), { email, password: 'test-password-1', fullName: key, organisationId: budget.id, locale: 'ky', ...fields });
  people[key] = { id: p.id, cookie: await signIn(email, 'test-password-1') };
}

beforeAll(async () => {
  await withDemo();
  root = mkdtempSync(join(tmpdir(), 'bilim-learning-'));
  cpSync('tests/fixtures/courses/providers.json', join(root, 'providers.json'));
  writeCourse({ slug: 'open-course' });
  writeCourse({ slug: 'assigned-course', audience: { services: ['state', 'municipal'], postKinds: ['administrative', 'special'], groups: [] }, extra: { enrolment: 'assigned' } });
  writeCourse({ slug: 'repeat-course', extra: { repeatable: true } });
  writeCourse({ slug: 'feedback-course', extra: { completion: { feedback: true } } });
  importCourseLibrary(getDb(), root);
  await person('senior', { service: 'state', postKind: 'administrative', adminGroup: 'senior' });
  await person('main', { service: 'state', postKind: 'administrative', adminGroup: 'main' });
  await person('special', { service: 'state', postKind: 'special' });
  await person('incomplete', {});
  await person('municipal', { service: 'municipal', postKind: 'administrative', adminGroup: 'junior' });
  for (const key of ['reader', 'watcher', 'versioned', 'finisher', 'withdrawer', 'noscript']) await person(key, { service: 'state', postKind: 'administrative', adminGroup: 'junior' });
  people.hr = { id: 0, cookie: await signIn('hr@demo.kg') };
  people.demoMunicipal = { id: getDb().select().from(users).where(eq(users.email, 'municipal@demo.kg')).get()!.id, cookie: '' };
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

const enrol = (who: string, slug = 'open-course') => call(`/api/courses/${slug}/enrolments`, { method: 'POST', cookie: people[who]!.cookie });
const progress = (who: string, lessonId: number, json: unknown) => call(`/api/lessons/${lessonId}/progress`, { method: 'POST', cookie: people[who]!.cookie, json });
const mine = async (who: string) => (await call('/api/me/enrolments', { cookie: people[who]!.cookie })).json();

/** The id of a lesson in the course's current version. */
function lessonId(courseSlug: string, lessonSlug: string): number {
  const course = getDb().select().from(courses).where(eq(courses.slug, courseSlug)).get()!;
  return getDb()
    .select({ id: lessons.id })
    .from(lessons)
    .innerJoin(courseModules, eq(lessons.moduleId, courseModules.id))
    .where(and(eq(courseModules.versionId, course.currentVersionId!), eq(lessons.slug, lessonSlug)))
    .get()!.id;
}

/** The learner plays the whole video in real time (two saves, two minutes apart). */
function watchVideo(who: string, courseSlug: string) {
  const id = lessonId(courseSlug, 'v');
  const start = new Date();
  saveProgress(getDb(), people[who]!.id, id, { seq: 1, ranges: [[0, 1]] }, start);
  return saveProgress(getDb(), people[who]!.id, id, { seq: 2, ranges: [[0, VIDEO_SECONDS]] }, new Date(start.getTime() + 120_000));
}

/** Pretends the learner's last save of a lesson was `seconds` ago (the server bounds new coverage by elapsed time). */
function ageProgress(who: string, courseSlug: string, lessonSlug: string, seconds: number): void {
  const course = getDb().select().from(courses).where(eq(courses.slug, courseSlug)).get()!;
  const e = getDb().select().from(enrolments).where(and(eq(enrolments.userId, people[who]!.id), eq(enrolments.courseId, course.id))).get()!;
  getDb()
    .update(lessonProgress)
    .set({ updatedAt: new Date(Date.now() - seconds * 1000) })
    .where(and(eq(lessonProgress.enrolmentId, e.id), eq(lessonProgress.lessonSlug, lessonSlug)))
    .run();
}

describe('self-enrolment and eligibility', () => {
  it('enrols an eligible learner, records the source, and is idempotent', async () => {
    const res = await enrol('senior');
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body).toMatchObject({ created: true, enrolment: { source: 'self', status: 'active', version: 1, course: { slug: 'open-course' }, progress: { lessonsTotal: 3, lessonsViewed: 0 } } });
    const again = await enrol('senior');
    expect(again.status).toBe(200);
    expect((await again.json()).enrolment.id).toBe(body.enrolment.id);
    expect(getDb().select().from(enrolments).where(eq(enrolments.userId, people.senior!.id)).all()).toHaveLength(1);
  });

  it.each([
    ['municipal', 'not_eligible_service'],
    ['special', 'not_eligible_post_kind'],
    ['main', 'not_eligible_group'],
    ['incomplete', 'eligibility_profile_incomplete'],
  ])('refuses %s with %s, translated in both languages', async (who, code) => {
    const res = await enrol(who);
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: { code } });
    const { t } = await import('@server/lib/i18n');
    expect(t('ky', `errors.${code}`)).not.toBe(t('ru', `errors.${code}`));
  });

  it('refuses self-enrolment in a course only HR assigns', async () => {
    const res = await enrol('senior', 'assigned-course');
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: { code: 'enrolment_by_assignment_only' } });
  });

  it('needs sign-in, and a course that exists', async () => {
    expect((await call('/api/courses/open-course/enrolments', { method: 'POST' })).status).toBe(401);
    expect((await enrol('senior', 'no-such-course')).status).toBe(404);
  });
});

describe('HR assignment', () => {
  const assign = (json: unknown, cookie = people.hr!.cookie) => call('/api/hr/assignments', { method: 'POST', cookie, json });

  it('assigns many servants of its organisation with a due date; refusals carry the reason', async () => {
    const res = await assign({ courseSlug: 'assigned-course', userIds: [people.senior!.id, people.special!.id, people.incomplete!.id], dueDate: '2099-06-30' });
    expect(res.status).toBe(200);
    const { results } = await res.json();
    expect(results.map((r: { result: string }) => r.result)).toEqual(['assigned', 'assigned', 'refused']);
    expect(results[2].reason).toBe('eligibility_profile_incomplete');
    const e = getDb().select().from(enrolments).where(eq(enrolments.id, results[0].enrolmentId)).get()!;
    expect(e).toMatchObject({ source: 'hr', dueDate: '2099-06-30', status: 'active' });
    // already enrolled: the due date is updated, no second enrolment
    const again = await (await assign({ courseSlug: 'assigned-course', userIds: [people.senior!.id], dueDate: '2099-12-31' })).json();
    expect(again.results[0]).toMatchObject({ result: 'updated', enrolmentId: results[0].enrolmentId });
    expect(getDb().select().from(enrolments).where(eq(enrolments.id, results[0].enrolmentId)).get()!.dueDate).toBe('2099-12-31');
  });

  it('applies eligibility rules to assignments too', async () => {
    const { results } = await (await assign({ courseSlug: 'open-course', userIds: [people.main!.id], dueDate: '2099-01-01' })).json();
    expect(results[0]).toEqual({ userId: people.main!.id, result: 'refused', reason: 'not_eligible_group' });
  });

  it('answers 404 for people outside its organisations and assigns nobody then', async () => {
    const before = getDb().select().from(enrolments).all().length;
    const res = await assign({ courseSlug: 'assigned-course', userIds: [people.main!.id, people.demoMunicipal!.id], dueDate: '2099-01-01' });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'person_not_found', field: 'userIds' } });
    expect(getDb().select().from(enrolments).all().length).toBe(before);
  });

  it('is for HR only, and validates the date', async () => {
    expect((await assign({ courseSlug: 'assigned-course', userIds: [people.main!.id], dueDate: '2099-01-01' }, people.senior!.cookie)).status).toBe(403);
    const past = await assign({ courseSlug: 'assigned-course', userIds: [people.main!.id], dueDate: '2020-01-01' });
    expect(await past.json()).toEqual({ error: { code: 'due_date_past', field: 'dueDate' } });
    const bad = await assign({ courseSlug: 'assigned-course', userIds: [people.main!.id], dueDate: '2099-02-30' });
    expect(await bad.json()).toEqual({ error: { code: 'invalid_input', field: 'dueDate' } });
    const empty = await assign({ courseSlug: 'assigned-course', userIds: [], dueDate: '2099-01-01' });
    expect(await empty.json()).toEqual({ error: { code: 'invalid_input', field: 'userIds' } });
  });
});

describe('progress of a text lesson: idempotent and ordered', () => {
  it('counts a text lesson read; repeating the save changes nothing', async () => {
    await enrol('reader');
    const id = lessonId('open-course', 'a');
    const first = await progress('reader', id, { seq: 1, read: true });
    expect(first.status).toBe(200);
    const a = await first.json();
    expect(a.lesson).toMatchObject({ viewed: true, seq: 1 });
    expect(a.course).toMatchObject({ viewed: 1, total: 3, percent: 33, status: 'active' });
    const b = await (await progress('reader', id, { seq: 1, read: true })).json();
    expect(b).toEqual(a);
  });

  it('a stale save never moves the position back, and "viewed" never goes back', async () => {
    const id = lessonId('open-course', 'a');
    await progress('reader', id, { seq: 10, positionSeconds: 120 });
    const stale = await (await progress('reader', id, { seq: 5, positionSeconds: 3, read: false })).json();
    expect(stale.lesson).toMatchObject({ positionSeconds: 120, seq: 10, viewed: true });
    const newer = await (await progress('reader', id, { seq: 11, positionSeconds: 150 })).json();
    expect(newer.lesson).toMatchObject({ positionSeconds: 150, seq: 11 });
  });

  it('refuses saves for a lesson of a course the learner is not enrolled in, and bad input', async () => {
    expect((await progress('main', lessonId('open-course', 'a'), { seq: 1, read: true })).status).toBe(403);
    expect((await progress('reader', 999999, { seq: 1, read: true })).status).toBe(404);
    const bad = await progress('reader', lessonId('open-course', 'a'), { seq: 0 });
    expect(await bad.json()).toEqual({ error: { code: 'invalid_input', field: 'seq' } });
    const badRange = await progress('reader', lessonId('open-course', 'v'), { seq: 2, ranges: [[1, 'x']] });
    expect(badRange.status).toBe(400);
  });
});

describe('progress of a video lesson: watched ranges merged on the server', () => {
  it('skipping ahead does not count, merged ranges do, and the lesson is viewed at 90%', async () => {
    await enrol('watcher');
    const id = lessonId('open-course', 'v');
    ageProgress('watcher', 'open-course', 'v', 600); // no row yet: the first save may claim only a few seconds
    let r = await (await progress('watcher', id, { seq: 1, positionSeconds: 4, ranges: [[0, 4]] })).json();
    expect(r.lesson.viewed).toBe(false);
    expect(r.lesson.watchedFraction).toBeCloseTo(4 / VIDEO_SECONDS, 2);
    ageProgress('watcher', 'open-course', 'v', 60);
    // jumped from 4 s to 20 s: only what was played counts
    r = await (await progress('watcher', id, { seq: 2, positionSeconds: 25, ranges: [[20, 25]] })).json();
    expect(r.lesson.watchedFraction).toBeCloseTo(9 / VIDEO_SECONDS, 2);
    expect(r.lesson.viewed).toBe(false);
    // the same report again, and an older one arriving late, change nothing
    const again = await (await progress('watcher', id, { seq: 2, positionSeconds: 25, ranges: [[20, 25]] })).json();
    expect(again.lesson.watchedFraction).toBe(r.lesson.watchedFraction);
    const late = await (await progress('watcher', id, { seq: 1, positionSeconds: 4, ranges: [[0, 4]] })).json();
    expect(late.lesson).toMatchObject({ watchedFraction: r.lesson.watchedFraction, positionSeconds: 25, seq: 2 });
    ageProgress('watcher', 'open-course', 'v', 60);
    // overlapping stretches that fill the gap up to 18 s: 0–18 and 20–25 is 23 s of 25.1 s, over 90 %
    r = await (await progress('watcher', id, { seq: 3, positionSeconds: 18, ranges: [[3, 10], [9.8, 18]] })).json();
    expect(r.lesson.watchedFraction).toBeGreaterThan(0.9);
    expect(r.lesson.viewed).toBe(true);
    expect(r.lesson.positionSeconds).toBe(18);
  });

  it('a forged "watched everything" right after opening is cut to what could have been played', async () => {
    await enrol('finisher');
    const id = lessonId('open-course', 'v');
    const r = await (await progress('finisher', id, { seq: 1, positionSeconds: VIDEO_SECONDS, ranges: [[0, VIDEO_SECONDS]] })).json();
    expect(r.lesson.viewed).toBe(false);
    expect(r.lesson.watchedFraction).toBeLessThan(0.3);
  });

  it('"I watched the video" (the page without JavaScript) counts only once the video could have been played since opening', async () => {
    await enrol('noscript');
    const id = lessonId('open-course', 'v');
    const course = getDb().select().from(courses).where(eq(courses.slug, 'open-course')).get()!;
    const e = getDb().select().from(enrolments).where(and(eq(enrolments.userId, people.noscript!.id), eq(enrolments.courseId, course.id))).get()!;
    const opened = new Date();
    openLesson(getDb(), e, getDb().select().from(lessons).where(eq(lessons.id, id)).get()!, opened);
    // right after opening: a few seconds at most
    let r = saveProgress(getDb(), people.noscript!.id, id, { seq: 1, watchedToEnd: true }, new Date(opened.getTime() + 2_000));
    expect(r.lesson.viewed).toBe(false);
    expect(r.lesson.watchedFraction).toBeLessThan(0.5);
    // the same claim once the video's length has passed since opening: viewed
    r = saveProgress(getDb(), people.noscript!.id, id, { seq: 2, watchedToEnd: true }, new Date(opened.getTime() + VIDEO_SECONDS * 1000));
    expect(r.lesson).toMatchObject({ viewed: true, watchedFraction: 1 });
  });

  it('clamps ranges and positions to the video', () => {
    const id = lessonId('open-course', 'v');
    const course = getDb().select().from(courses).where(eq(courses.slug, 'open-course')).get()!;
    const e = getDb().select().from(enrolments).where(and(eq(enrolments.userId, people.finisher!.id), eq(enrolments.courseId, course.id))).get()!;
    const later = new Date(getDb().select().from(lessonProgress).where(eq(lessonProgress.enrolmentId, e.id)).get()!.updatedAt.getTime() + 120_000);
    const r = saveProgress(getDb(), people.finisher!.id, id, { seq: 2, positionSeconds: 9999, ranges: [[-5, 9999]] }, later);
    expect(r.lesson).toMatchObject({ viewed: true, positionSeconds: VIDEO_SECONDS, watchedFraction: 1 });
  });
});

describe('completion, hours and repetition', () => {
  it('completes the course when every lesson is viewed, credits the hours, and refuses a second enrolment', async () => {
    const { results } = await (
      await call('/api/hr/assignments', { method: 'POST', cookie: people.hr!.cookie, json: { courseSlug: 'open-course', userIds: [people.finisher!.id], dueDate: '2099-01-01' } })
    ).json();
    expect(results[0].result).toBe('updated');
    await progress('finisher', lessonId('open-course', 'a'), { seq: 1, read: true });
    const last = await (await progress('finisher', lessonId('open-course', 'c'), { seq: 1, read: true })).json();
    expect(last.course).toMatchObject({ status: 'completed', viewed: 3, total: 3, percent: 100 });
    const me = await mine('finisher');
    expect(me.enrolments[0]).toMatchObject({ status: 'completed', hoursEarned: 6, source: 'self', dueDate: '2099-01-01' });
    expect(me.period).toMatchObject({ years: 3, hours: 6, courses: 1 });
    const again = await enrol('finisher');
    expect(again.status).toBe(409);
    expect(await again.json()).toEqual({ error: { code: 'already_completed' } });
  });

  it('allows a second enrolment in a repeatable course', async () => {
    await enrol('finisher', 'repeat-course');
    for (const l of ['a', 'c']) await progress('finisher', lessonId('repeat-course', l), { seq: 1, read: true });
    watchVideo('finisher', 'repeat-course');
    expect((await mine('finisher')).enrolments.find((e: { course: { slug: string } }) => e.course.slug === 'repeat-course').status).toBe('completed');
    const again = await enrol('finisher', 'repeat-course');
    expect(again.status).toBe(201);
    expect((await again.json()).enrolment).toMatchObject({ status: 'active', progress: { lessonsViewed: 0 } });
  });

  it('waits for feedback when the course asks for it', async () => {
    const { enrolment } = await (await enrol('finisher', 'feedback-course')).json();
    for (const l of ['a', 'c']) await progress('finisher', lessonId('feedback-course', l), { seq: 1, read: true });
    const r = watchVideo('finisher', 'feedback-course');
    expect(r.lesson.viewed).toBe(true);
    expect(r.course.status).toBe('active');
    const fb = await call(`/api/enrolments/${enrolment.id}/feedback`, { method: 'POST', cookie: people.finisher!.cookie, json: { relevance: 5, clarity: 4, usefulness: 5, trainer: 5, comment: 'Пайдалуу' } });
    expect(fb.status).toBe(201);
    expect((await fb.json()).enrolment).toMatchObject({ status: 'completed', progress: { completion: { complete: true, feedback: { required: true, given: true } } } });
    const bad = await call(`/api/enrolments/${enrolment.id}/feedback`, { method: 'POST', cookie: people.finisher!.cookie, json: { relevance: 9, clarity: 4, usefulness: 5, trainer: 5 } });
    expect(await bad.json()).toEqual({ error: { code: 'invalid_input', field: 'relevance' } });
  });
});

describe('withdrawal', () => {
  it('withdraws a self-enrolment, keeps progress, and takes it up again', async () => {
    const { enrolment } = await (await enrol('withdrawer')).json();
    await progress('withdrawer', lessonId('open-course', 'a'), { seq: 1, read: true });
    const res = await call(`/api/enrolments/${enrolment.id}/withdrawal`, { method: 'POST', cookie: people.withdrawer!.cookie });
    expect(res.status).toBe(200);
    expect((await res.json()).status).toBe('withdrawn');
    expect((await mine('withdrawer')).enrolments).toEqual([]);
    expect((await call(`/api/enrolments/${enrolment.id}/withdrawal`, { method: 'POST', cookie: people.withdrawer!.cookie })).status).toBe(409);
    const back = await (await enrol('withdrawer')).json();
    expect(back.enrolment).toMatchObject({ id: enrolment.id, status: 'active', progress: { lessonsViewed: 1 } });
  });

  it('an HR assignment is withdrawn by HR, not by the learner; others see 404', async () => {
    const e = getDb()
      .select()
      .from(enrolments)
      .where(and(eq(enrolments.userId, people.special!.id), eq(enrolments.source, 'hr')))
      .get()!;
    const byLearner = await call(`/api/enrolments/${e.id}/withdrawal`, { method: 'POST', cookie: people.special!.cookie });
    expect(byLearner.status).toBe(403);
    expect(await byLearner.json()).toEqual({ error: { code: 'withdrawal_by_hr_only' } });
    expect((await call(`/api/enrolments/${e.id}/withdrawal`, { method: 'POST', cookie: people.senior!.cookie })).status).toBe(404);
    const byHr = await call(`/api/enrolments/${e.id}/withdrawal`, { method: 'POST', cookie: people.hr!.cookie });
    expect(byHr.status).toBe(200);
  });
});

describe('course versions', () => {
  it('a changed package makes a new version; active learners keep progress on unchanged lessons only', async () => {
    await enrol('versioned');
    const oldA = lessonId('open-course', 'a');
    const oldC = lessonId('open-course', 'c');
    await progress('versioned', oldA, { seq: 1, read: true });
    await progress('versioned', oldC, { seq: 1, read: true });
    const completedBefore = getDb().select().from(enrolments).where(and(eq(enrolments.userId, people.finisher!.id), eq(enrolments.status, 'completed'))).all();

    writeCourse({ slug: 'open-course', texts: { a: '## a\n\nСабактын **жаңы** тексти.\n' } });
    expect(importCourseLibrary(getDb(), root).find((r) => r.slug === 'open-course')?.result).toBe('updated');
    expect(importCourseLibrary(getDb(), root).find((r) => r.slug === 'open-course')?.result).toBe('unchanged');

    const course = getDb().select().from(courses).where(eq(courses.slug, 'open-course')).get()!;
    expect(getDb().select().from(courseVersions).where(eq(courseVersions.courseId, course.id)).all()).toHaveLength(2);
    const me = (await mine('versioned')).enrolments[0];
    expect(me.version).toBe(2);
    const states = Object.fromEntries(me.progress.modules.flatMap((m: { lessons: { slug: string; viewed: boolean }[] }) => m.lessons).map((l: { slug: string; viewed: boolean }) => [l.slug, l.viewed]));
    expect(states).toEqual({ a: false, v: false, c: true });
    // completed enrolments stay on the version they completed
    for (const e of completedBefore) expect(getDb().select().from(enrolments).where(eq(enrolments.id, e.id)).get()!.versionId).toBe(e.versionId);
    // a page still open on the old version: an unchanged lesson saves into the new one, a changed one asks to reload
    expect((await progress('versioned', oldC, { seq: 2, positionSeconds: 1 })).status).toBe(200);
    const changed = await progress('versioned', oldA, { seq: 2, read: true });
    expect(changed.status).toBe(409);
    expect(await changed.json()).toEqual({ error: { code: 'lesson_changed' } });
    // the catalog shows the new version's outline
    const detail = await (await call('/api/courses/open-course')).json();
    expect(detail.modules[0].lessons[0].id).toBe(lessonId('open-course', 'a'));
    expect(detail.modules[0].lessons[0].id).not.toBe(oldA);
  });

  it('rejects a package with a broken video or captions, naming the file, and changes nothing', () => {
    const before = getDb().select().from(courseVersions).all().length;
    writeFileSync(join(root, 'repeat-course', 'media', 'conflict-of-interest.ky.vtt'), 'not captions');
    writeFileSync(join(root, 'open-course', 'lessons', 'c.ky.md'), 'Өзгөрдү.\n');
    let error: unknown;
    try {
      importCourseLibrary(getDb(), root);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PackageError);
    expect((error as PackageError).file).toBe(join(root, 'repeat-course', 'media', 'conflict-of-interest.ky.vtt'));
    expect((error as PackageError).reason).toBe('not a valid WebVTT file');
    expect(getDb().select().from(courseVersions).all().length).toBe(before);
    copyFileSync(join(MEDIA, 'conflict-of-interest.ky.vtt'), join(root, 'repeat-course', 'media', 'conflict-of-interest.ky.vtt'));
    writeFileSync(join(root, 'repeat-course', 'media', 'conflict-of-interest.mp4'), 'not a video');
    expect(() => importCourseLibrary(getDb(), root)).toThrow(/conflict-of-interest\.mp4: not a valid MP4 video file/);
    copyFileSync(join(MEDIA, 'conflict-of-interest.mp4'), join(root, 'repeat-course', 'media', 'conflict-of-interest.mp4'));
    writeFileSync(join(root, 'open-course', 'lessons', 'c.ky.md'), '## c\n\nСабактын **тексти** c.\n');
  });
});

describe('media', () => {
  const videoHash = () => getDb().select().from(lessons).where(eq(lessons.slug, 'v')).get()!.video!.sha256;

  it('serves byte ranges with the content type, for signed-in users only', async () => {
    const hash = videoHash();
    expect((await call(`/api/media/${hash}`)).status).toBe(401);
    const res = await call(`/api/media/${hash}`, { cookie: people.senior!.cookie, headers: { range: 'bytes=0-99' } });
    expect(res.status).toBe(206);
    expect(res.headers.get('content-type')).toBe('video/mp4');
    expect(res.headers.get('content-range')).toMatch(/^bytes 0-99\/\d+$/);
    expect((await res.arrayBuffer()).byteLength).toBe(100);
    const whole = await call(`/api/media/${hash}`, { cookie: people.senior!.cookie });
    expect(whole.status).toBe(200);
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    expect(whole.headers.get('cache-control')).toContain('immutable');
    const size = (await whole.arrayBuffer()).byteLength;
    const tail = await call(`/api/media/${hash}`, { cookie: people.senior!.cookie, headers: { range: 'bytes=-10' } });
    expect(tail.headers.get('content-range')).toBe(`bytes ${size - 10}-${size - 1}/${size}`);
    const beyond = await call(`/api/media/${hash}`, { cookie: people.senior!.cookie, headers: { range: `bytes=${size}-` } });
    expect(beyond.status).toBe(416);
    expect((await call(`/api/media/${'0'.repeat(64)}`, { cookie: people.senior!.cookie })).status).toBe(404);
    const captions = getDb().select().from(lessons).where(eq(lessons.slug, 'v')).get()!.video!.captions.ru!;
    const vtt = await call(`/api/media/${captions}`, { cookie: people.senior!.cookie });
    expect(vtt.headers.get('content-type')).toBe('text/vtt; charset=utf-8');
    expect(await vtt.text()).toMatch(/^WEBVTT/);
  });
});
