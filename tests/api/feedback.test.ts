import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { and, eq } from 'drizzle-orm';
import { call, getDb, signIn, withDemo } from '../helpers';
import { certificates, courseFeedback, courseModules, courses, enrolments, lessons, organisations } from '@db/schema';
import { importCourseLibrary } from '@server/modules/catalog/service';
import { createPerson } from '@server/modules/people/service';

let root: string;
const people: Record<string, { id: number; cookie: string }> = {};

/** A text-only course package with two lessons. */
function writeCourse(slug: string, extra: Record<string, unknown> = {}): void {
  const dir = join(root, slug);
  mkdirSync(join(dir, 'lessons'), { recursive: true });
  const lesson = (s: string) => ({ slug: s, title: { ky: `Сабак ${s}`, ru: `Урок ${s}` }, minutes: 10, kind: 'theory' });
  writeFileSync(
    join(dir, 'course.json'),
    JSON.stringify({
      slug,
      category: 'ethics',
      hours: 4,
      audience: { services: ['state'], postKinds: ['administrative'], groups: ['junior'] },
      provider: 'TEST-ACADEMY',
      title: { ky: `Курс ${slug}`, ru: `Курс ${slug}` },
      summary: { ky: 'Кыскача.', ru: 'Кратко.' },
      description: { ky: 'Сүрөттөмө.', ru: 'Описание.' },
      objectives: { ky: ['Билүү'], ru: ['Знать'] },
      modules: [{ title: { ky: 'Биринчи', ru: 'Первый' }, lessons: [lesson('a'), lesson('b')] }],
      ...extra,
    }),
  );
  for (const s of ['a', 'b']) {
    writeFileSync(join(dir, 'lessons', `${s}.ky.md`), `## ${s}\n\nСабактын тексти.\n`);
    writeFileSync(join(dir, 'lessons', `${s}.ru.md`), `## ${s}\n\nТекст урока.\n`);
  }
}

async function person(key: string): Promise<void> {
  const budget = getDb().select().from(organisations).where(eq(organisations.nameRu, 'Управление бюджетной политики')).get()!;
  const email = `${key}@feedback.test`;
  const p = await createPerson(getDb(), { email, password: 'test-password-1', fullName: `Угуучу ${key}`, organisationId: budget.id, locale: 'ky', service: 'state', postKind: 'administrative', adminGroup: 'junior' });
  people[key] = { id: p.id, cookie: await signIn(email, 'test-password-1') };
}

beforeAll(async () => {
  await withDemo();
  root = mkdtempSync(join(tmpdir(), 'bilim-feedback-'));
  cpSync('tests/fixtures/courses/providers.json', join(root, 'providers.json'));
  writeCourse('fb-plain');
  writeCourse('fb-required', { completion: { feedback: true } });
  importCourseLibrary(getDb(), root);
  for (const key of ['alice', 'bob', 'carol', 'dan']) await person(key);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const GOOD = { relevance: 5, clarity: 4, usefulness: 3, trainer: 5, comment: 'Кейстер пайдалуу болду.' };
const enrol = async (who: string, slug: string) => (await (await call(`/api/courses/${slug}/enrolments`, { method: 'POST', cookie: people[who]!.cookie })).json()).enrolment as { id: number };
const submit = (who: string, enrolmentId: number, json: unknown, cookie = people[who]?.cookie) => call(`/api/enrolments/${enrolmentId}/feedback`, { method: 'POST', cookie, json });
const rows = (enrolmentId: number) => getDb().select().from(courseFeedback).where(eq(courseFeedback.enrolmentId, enrolmentId)).all();

async function readAll(who: string, slug: string) {
  const course = getDb().select().from(courses).where(eq(courses.slug, slug)).get()!;
  const ids = getDb().select({ id: lessons.id }).from(lessons).innerJoin(courseModules, eq(courseModules.id, lessons.moduleId)).where(eq(courseModules.versionId, course.currentVersionId!)).all();
  let last: any;
  for (const { id } of ids) last = await (await call(`/api/lessons/${id}/progress`, { method: 'POST', cookie: people[who]!.cookie, json: { seq: 1, read: true } })).json();
  return last;
}

describe('the end-of-course survey', () => {
  it('validates every answer: each of the four questions 1–5, the comment at most 2,000 characters', async () => {
    const e = await enrol('alice', 'fb-plain');
    await readAll('alice', 'fb-plain');
    const cases: [unknown, string][] = [
      [{ clarity: 4, usefulness: 3, trainer: 5 }, 'relevance'],
      [{ ...GOOD, clarity: 0 }, 'clarity'],
      [{ ...GOOD, usefulness: 6 }, 'usefulness'],
      [{ ...GOOD, trainer: 2.5 }, 'trainer'],
      [{ ...GOOD, relevance: 'five' }, 'relevance'],
      [{ ...GOOD, comment: 'ы'.repeat(2001) }, 'comment'],
    ];
    for (const [body, field] of cases) {
      const res = await submit('alice', e.id, body);
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ error: { code: 'invalid_input', field } });
    }
    expect(rows(e.id)).toEqual([]);
  });

  it('records one survey per enrolment; a second submission is 409 and changes nothing', async () => {
    const e = getDb().select().from(enrolments).where(eq(enrolments.userId, people.alice!.id)).get()!;
    expect(e.status).toBe('completed');
    const res = await submit('alice', e.id, GOOD);
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body.feedback).toMatchObject({ enrolmentId: e.id, relevance: 5, clarity: 4, usefulness: 3, trainer: 5, legacyRating: null, comment: 'Кейстер пайдалуу болду.' });
    expect(body.enrolment.progress.completion.feedback.given).toBe(true);
    expect(rows(e.id)).toHaveLength(1);
    const again = await submit('alice', e.id, { ...GOOD, relevance: 1 });
    expect(again.status).toBe(409);
    expect(await again.json()).toEqual({ error: { code: 'feedback_already_given' } });
    expect(rows(e.id)).toMatchObject([{ relevance: 5, courseId: e.courseId, versionId: e.versionId }]);
    const mine = await call(`/api/enrolments/${e.id}/feedback`, { cookie: people.alice!.cookie });
    expect(mine.status).toBe(200);
    expect(await mine.json()).toMatchObject({ relevance: 5, trainer: 5 });
  });

  it('is only for the learner’s own enrolment, and only at the course’s end', async () => {
    const alices = getDb().select().from(enrolments).where(eq(enrolments.userId, people.alice!.id)).get()!;
    const other = await submit('bob', alices.id, GOOD);
    expect(other.status).toBe(404);
    expect(await other.json()).toEqual({ error: { code: 'enrolment_not_found' } });
    expect((await call(`/api/enrolments/${alices.id}/feedback`, { cookie: people.bob!.cookie })).status).toBe(404);
    expect((await submit('bob', 999_999, GOOD)).status).toBe(404);
    expect((await submit('x', alices.id, GOOD, undefined)).status).toBe(401);
    // a reviewer (no learner role) may not give feedback
    expect((await submit('x', alices.id, GOOD, await signIn('reviewer@demo.kg'))).status).toBe(403);

    const early = await enrol('bob', 'fb-plain');
    const res = await submit('bob', early.id, GOOD);
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({ error: { code: 'feedback_too_early' } });
    expect(rows(early.id)).toEqual([]);
    expect((await call(`/api/enrolments/${early.id}/feedback`, { cookie: people.bob!.cookie })).status).toBe(404);

    // withdrawn: not any more
    expect((await call(`/api/enrolments/${early.id}/withdrawal`, { method: 'POST', cookie: people.bob!.cookie })).status).toBe(200);
    const withdrawn = await submit('bob', early.id, GOOD);
    expect(withdrawn.status).toBe(409);
    expect(await withdrawn.json()).toEqual({ error: { code: 'enrolment_not_active' } });
  });

  it('completes a course whose rule asks for feedback, with its certificate, in the same step', async () => {
    const e = await enrol('carol', 'fb-required');
    const last = await readAll('carol', 'fb-required');
    expect(last.course.status).toBe('active');
    const before = await (await call('/api/me/enrolments', { cookie: people.carol!.cookie })).json();
    expect(before.enrolments[0].progress.completion.feedback).toEqual({ required: true, given: false, met: false });
    expect(getDb().select().from(certificates).where(eq(certificates.userId, people.carol!.id)).all()).toEqual([]);

    const res = await submit('carol', e.id, { relevance: 4, clarity: 4, usefulness: 4, trainer: 4 });
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body.feedback.comment).toBeNull();
    expect(body.enrolment).toMatchObject({ status: 'completed', progress: { completion: { complete: true, feedback: { required: true, given: true, met: true } } } });
    const row = getDb().select().from(enrolments).where(eq(enrolments.id, e.id)).get()!;
    expect(row.status).toBe('completed');
    expect(getDb().select().from(certificates).where(and(eq(certificates.userId, people.carol!.id), eq(certificates.sourceRef, `enrolment:${e.id}`))).all()).toHaveLength(1);
  });

  it('waits at a course that asks for feedback until its lessons are done (the survey is not open before)', async () => {
    const e = await enrol('dan', 'fb-required');
    const res = await submit('dan', e.id, GOOD);
    expect(res.status).toBe(409);
    expect((await res.json()).error.code).toBe('feedback_too_early');
    expect(getDb().select().from(enrolments).where(eq(enrolments.id, e.id)).get()!.status).toBe('active');
  });

  it('is documented in the OpenAPI document', async () => {
    const doc = await (await call('/api/openapi.json')).json();
    const post = doc.paths['/api/enrolments/{id}/feedback'].post;
    expect(Object.keys(post.responses)).toEqual(expect.arrayContaining(['201', '400', '401', '403', '404', '409']));
    expect(Object.keys(doc.components.schemas.FeedbackBody.properties)).toEqual(['relevance', 'clarity', 'usefulness', 'trainer', 'comment']);
  });
});

describe('the migration from the single-rating feedback', () => {
  it('moves each enrolment’s rating and comment into course_feedback and keeps it counting as given', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bilim-fbmig-'));
    try {
      // The migrations up to the one before this feature, as a database made then would have them.
      const all = join(process.cwd(), 'db/migrations');
      const journal = JSON.parse(readFileSync(join(all, 'meta/_journal.json'), 'utf8'));
      const mine = journal.entries.findIndex((e: { tag: string }) => e.tag.endsWith('_course_feedback'));
      expect(mine).toBeGreaterThan(0);
      const before = join(dir, 'before');
      mkdirSync(join(before, 'meta'), { recursive: true });
      for (const entry of journal.entries.slice(0, mine)) copyFileSync(join(all, `${entry.tag}.sql`), join(before, `${entry.tag}.sql`));
      writeFileSync(join(before, 'meta/_journal.json'), JSON.stringify({ ...journal, entries: journal.entries.slice(0, mine) }));
      const sqlite = new Database(':memory:');
      sqlite.pragma('foreign_keys = OFF');
      migrate(drizzle(sqlite), { migrationsFolder: before });
      // One enrolment with the old rating, one without, filling every required column.
      const insert = (table: string, values: Record<string, unknown>) => {
        const cols = (sqlite.prepare(`pragma table_info(${table})`).all() as { name: string; type: string; notnull: number; dflt_value: unknown; pk: number }[]).filter((c) => !c.pk);
        const row: Record<string, unknown> = {};
        for (const c of cols) if (c.notnull && c.dflt_value === null) row[c.name] = c.type.includes('int') || c.type.includes('real') ? 1 : '[]';
        Object.assign(row, values);
        const names = Object.keys(row);
        return Number(sqlite.prepare(`insert into ${table} (${names.map((n) => `"${n}"`).join(',')}) values (${names.map(() => '?').join(',')})`).run(...names.map((n) => row[n])).lastInsertRowid);
      };
      insert('enrolments', { id: 1, user_id: 1, course_id: 7, version_id: 9, status: 'completed', feedback_rating: 4, feedback_comment: 'Жакшы курс', feedback_at: 1_700_000_000_000 });
      insert('enrolments', { id: 2, user_id: 2, course_id: 7, version_id: 9, status: 'active' });
      migrate(drizzle(sqlite), { migrationsFolder: all });
      expect(sqlite.prepare('select enrolment_id, course_id, version_id, relevance, clarity, usefulness, trainer, legacy_rating, comment, created_at from course_feedback').all()).toEqual([
        { enrolment_id: 1, course_id: 7, version_id: 9, relevance: null, clarity: null, usefulness: null, trainer: null, legacy_rating: 4, comment: 'Жакшы курс', created_at: 1_700_000_000_000 },
      ]);
      const cols = (sqlite.prepare('pragma table_info(enrolments)').all() as { name: string }[]).map((c) => c.name);
      expect(cols.filter((c) => c.startsWith('feedback'))).toEqual([]);
      expect(readdirSync(before).length).toBeGreaterThan(1);
      sqlite.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
