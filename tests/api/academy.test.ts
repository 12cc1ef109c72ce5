import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { call, getDb, rightResponse, signIn, withDemo } from '../helpers';
import { courseModules, courses, enrolments, lessons, organisations } from '@db/schema';
import { importCourseLibrary } from '@server/modules/catalog/service';
import { createPerson } from '@server/modules/people/service';
import { parseCsv } from '@server/modules/organisations/service';
import { QUALITY_COLUMNS } from '@server/modules/academy/service';

const QUESTIONS = ['relevance', 'clarity', 'usefulness', 'trainer'] as const;
let root: string;
const people: Record<string, { id: number; cookie: string; name: string; email: string }> = {};
let reviewer: string;

/** A text-only course of another provider and direction; its second lesson has no Kyrgyz text. */
function writeOtherCourse(): void {
  const dir = join(root, 'quality-b');
  mkdirSync(join(dir, 'lessons'), { recursive: true });
  const lesson = (s: string) => ({ slug: s, title: { ky: `Сабак ${s}`, ru: `Урок ${s}` }, minutes: 10, kind: 'theory' });
  writeFileSync(
    join(dir, 'course.json'),
    JSON.stringify({
      slug: 'quality-b',
      category: 'digital',
      hours: 2,
      audience: { services: ['state'], postKinds: ['administrative'], groups: ['junior'] },
      provider: 'TEST-DIGITAL',
      title: { ky: 'Сапат Б', ru: 'Качество Б' },
      summary: { ky: 'Кыскача.', ru: 'Кратко.' },
      description: { ky: 'Сүрөттөмө.', ru: 'Описание.' },
      objectives: { ky: ['Билүү'], ru: ['Знать'] },
      modules: [{ title: { ky: 'Биринчи', ru: 'Первый' }, lessons: [lesson('a'), lesson('b')] }],
    }),
  );
  writeFileSync(join(dir, 'lessons', 'a.ky.md'), '## a\n\nСабактын тексти.\n');
  writeFileSync(join(dir, 'lessons', 'a.ru.md'), '## a\n\nТекст урока.\n');
  writeFileSync(join(dir, 'lessons', 'b.ru.md'), '## b\n\nТолько по-русски.\n');
}

async function person(key: string): Promise<void> {
  const budget = getDb().select().from(organisations).where(eq(organisations.nameRu, 'Управление бюджетной политики')).get()!;
  const email = `${key}@academy.test`;
  const name = `Сапат Угуучу ${key}`;
  const p = await createPerson(getDb(), { email, password: 'test-password-1', fullName: name, organisationId: budget.id, locale: 'ky', service: 'state', postKind: 'administrative', adminGroup: 'junior' });
  people[key] = { id: p.id, cookie: await signIn(email, 'test-password-1'), name, email };
}

const enrol = async (who: string, slug: string) => (await (await call(`/api/courses/${slug}/enrolments`, { method: 'POST', cookie: people[who]!.cookie })).json()).enrolment as { id: number };
async function read(who: string, slug: string, count = Infinity) {
  const course = getDb().select().from(courses).where(eq(courses.slug, slug)).get()!;
  const ids = getDb().select({ id: lessons.id }).from(lessons).innerJoin(courseModules, eq(courseModules.id, lessons.moduleId)).where(eq(courseModules.versionId, course.currentVersionId!)).all();
  for (const { id } of ids.slice(0, count)) expect((await call(`/api/lessons/${id}/progress`, { method: 'POST', cookie: people[who]!.cookie, json: { seq: 1, read: true } })).status).toBe(200);
}
async function finalTest(who: string, right: boolean) {
  const { quizzes } = await (await call('/api/courses/quiz-demo/quizzes')).json();
  const final = quizzes.find((q: { kind: string }) => q.kind === 'final');
  const started = await (await call(`/api/quizzes/${final.id}/attempts`, { method: 'POST', cookie: people[who]!.cookie })).json();
  if (right) {
    for (const q of started.questions) {
      const res = await call(`/api/attempts/${started.attempt.id}/answers/${q.id}`, { method: 'PUT', cookie: people[who]!.cookie, json: { response: rightResponse(q.id), seq: 1 } });
      expect(res.status).toBe(200);
    }
  }
  expect((await call(`/api/attempts/${started.attempt.id}/submit`, { method: 'POST', cookie: people[who]!.cookie })).status).toBe(200);
}
const survey = async (who: string, enrolmentId: number, answers: number[], comment?: string) => {
  const json = { ...Object.fromEntries(QUESTIONS.map((q, i) => [q, answers[i]])), ...(comment ? { comment } : {}) };
  expect((await call(`/api/enrolments/${enrolmentId}/feedback`, { method: 'POST', cookie: people[who]!.cookie, json })).status).toBe(201);
};

beforeAll(async () => {
  await withDemo();
  root = mkdtempSync(join(tmpdir(), 'bilim-academy-'));
  // The quiz fixture course, with a final test drawn from questions graded automatically (no essay).
  cpSync('tests/fixtures/quiz-courses/quiz-demo', join(root, 'quiz-demo'), { recursive: true });
  // the two providers: the fixture's, and a digital centre (organisations of the tree, made by the import)
  const declared = JSON.parse(readFileSync('tests/fixtures/quiz-courses/providers.json', 'utf8'));
  declared.providers.push({ code: 'TEST-DIGITAL', name: { ky: 'Санарип борбору', ru: 'Цифровой центр' }, service: 'state', region: 'bishkek' });
  writeFileSync(join(root, 'providers.json'), JSON.stringify(declared));
  const quizFile = join(root, 'quiz-demo', 'quizzes.json');
  const q = JSON.parse(readFileSync(quizFile, 'utf8'));
  q.quizzes.find((x: { kind: string }) => x.kind === 'final').draw = [{ category: 'basics', count: 3 }];
  writeFileSync(quizFile, JSON.stringify(q));
  // Lessons alone complete it here (stated explicitly: with a final test the default asks for it), so
  // the cohort has completers who failed or skipped the test.
  const manifestFile = join(root, 'quiz-demo', 'course.json');
  writeFileSync(manifestFile, JSON.stringify({ ...JSON.parse(readFileSync(manifestFile, 'utf8')), completion: { finalTest: false } }));
  writeOtherCourse();
  importCourseLibrary(getDb(), root);
  for (const key of ['l1', 'l2', 'l3', 'l4', 'l5']) await person(key);
  reviewer = await signIn('reviewer@demo.kg');

  // l1: completes, passes the final test, rates high with a comment; l2: completes, fails, rates low;
  // l3: completes, no test, no survey; l4: one lesson; l5: only enrolled.
  const e1 = await enrol('l1', 'quiz-demo');
  const e2 = await enrol('l2', 'quiz-demo');
  await enrol('l3', 'quiz-demo');
  await enrol('l4', 'quiz-demo');
  await enrol('l5', 'quiz-demo');
  for (const who of ['l1', 'l2', 'l3']) await read(who, 'quiz-demo');
  await read('l4', 'quiz-demo', 1);
  await finalTest('l1', true);
  await finalTest('l2', false);
  await survey('l1', e1.id, [5, 4, 5, 4], 'Пайдалуу курс, мисалдар жакшы');
  await survey('l2', e2.id, [3, 2, 2, 4]);
  const b1 = await enrol('l1', 'quality-b');
  await enrol('l2', 'quality-b');
  await read('l1', 'quality-b');
  await survey('l1', b1.id, [4, 4, 3, 5], 'Орусча гана сабак бар');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const report = async (query = '') => {
  const res = await call(`/api/academy/quality${query}`, { cookie: reviewer });
  expect(res.status).toBe(200);
  return res.json();
};

/** The figures of one course computed here straight from the tables, in SQL. */
function expected(slug: string, where = '1 = 1') {
  const db = getDb().$client;
  const id = (db.prepare('select id from courses where slug = ?').get(slug) as { id: number }).id;
  const cohort = `e.course_id = ${id} and ${where}`;
  const one = (sql: string) => db.prepare(sql).get() as Record<string, number | null>;
  const base = one(`select count(*) enrolments, sum(e.status = 'completed') completed from enrolments e where ${cohort}`);
  const started = one(`select count(distinct e.id) n from enrolments e join lesson_progress p on p.enrolment_id = e.id where ${cohort} and p.viewed_at is not null`).n;
  // the final test graded by its method (highest, last or average of the finished, graded attempts), per learner
  const graded = db
    .prepare(
      `select q.grading_method method, q.pass_percent pass, max(a.percent) highest, avg(a.percent) average,
              (select b.percent from quiz_attempts b where b.quiz_id = a.quiz_id and b.user_id = a.user_id and b.status = 'finished' and b.percent is not null order by b.number desc limit 1) last
       from quiz_attempts a join quizzes q on q.id = a.quiz_id
       where q.course_id = ${id} and q.kind = 'final' and a.status = 'finished' and a.percent is not null
         and a.user_id in (select e.user_id from enrolments e where ${cohort})
       group by a.quiz_id, a.user_id`,
    )
    .all() as { method: 'highest' | 'last' | 'average'; pass: number; highest: number; average: number; last: number }[];
  const finals = graded.map((g) => ({ percent: g[g.method], passed: g[g.method] + 1e-9 >= g.pass }));
  const feedback = Object.fromEntries(
    QUESTIONS.map((q) => {
      const r = one(`select avg(f.${q}) average, count(f.${q}) count from course_feedback f join enrolments e on e.id = f.enrolment_id where ${cohort}`);
      const dist = [1, 2, 3, 4, 5].map((v) => one(`select count(*) n from course_feedback f join enrolments e on e.id = f.enrolment_id where ${cohort} and f.${q} = ${v}`).n);
      return [q, { average: r.average, count: r.count, distribution: dist }];
    }),
  );
  const fbCount = one(`select count(*) n from course_feedback f join enrolments e on e.id = f.enrolment_id where ${cohort}`).n;
  const days = (db.prepare(`select (e.completed_at - e.enrolled_at) / 86400000.0 d from enrolments e where ${cohort} and e.status = 'completed' order by d`).all() as { d: number }[]).map((r) => r.d);
  const median = days.length ? (days.length % 2 ? days[(days.length - 1) / 2]! : (days[days.length / 2 - 1]! + days[days.length / 2]!) / 2) : null;
  const coverage = one(
    `select count(*) lessons, sum(l.body_ky is not null and trim(l.body_ky) <> '') lessonsKy from lessons l join course_modules m on m.id = l.module_id
     where m.version_id = (select current_version_id from courses where id = ${id})`,
  );
  const qs = one(`select count(*) questions, sum(trim(stem_ky) <> '') questionsKy from quiz_questions where course_id = ${id} and current = 1`);
  const n = Number(base.enrolments);
  const passed = finals.filter((f) => f.passed).length;
  return {
    figures: {
      enrolments: n,
      started,
      completed: Number(base.completed ?? 0),
      completionRate: n ? (Number(base.completed ?? 0) * 100) / n : null,
      finalTakers: finals.length,
      finalPassed: passed,
      passRate: finals.length ? (passed * 100) / finals.length : null,
      averageScore: finals.length ? finals.reduce((s, f) => s + f.percent, 0) / finals.length : null,
      medianDays: median,
      feedback: { count: fbCount, legacy: 0, questions: feedback },
    },
    coverage: { lessons: coverage.lessons, lessonsKy: Number(coverage.lessonsKy ?? 0), questions: qs.questions, questionsKy: Number(qs.questionsKy ?? 0) },
  };
}

const close = (actual: unknown, want: unknown) => {
  // averages: equal to 9 decimals (floating point summation order)
  const round = (v: unknown): unknown =>
    typeof v === 'number' ? Math.round(v * 1e9) / 1e9 : Array.isArray(v) ? v.map(round) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, round(x)])) : v;
  expect(round(actual)).toEqual(round(want));
};

describe('the quality figures', () => {
  it('equal, for every course, the counts computed directly from the database', async () => {
    const r = await report();
    for (const slug of ['quiz-demo', 'quality-b']) {
      const c = r.courses.find((x: { slug: string }) => x.slug === slug);
      const want = expected(slug);
      close(c.figures, want.figures);
      expect(c.coverage).toMatchObject(want.coverage);
    }
    // and the story the fixture tells, so the SQL above is not trusted blindly
    const quiz = r.courses.find((x: { slug: string }) => x.slug === 'quiz-demo');
    expect(quiz.figures).toMatchObject({ enrolments: 5, started: 4, completed: 3, finalTakers: 2, finalPassed: 1, passRate: 50 });
    expect(quiz.figures.feedback.questions.relevance).toEqual({ average: 4, count: 2, distribution: [0, 0, 1, 0, 1] });
    const other = r.courses.find((x: { slug: string }) => x.slug === 'quality-b');
    expect(other.coverage).toMatchObject({ lessons: 2, lessonsKy: 1, lessonsPercent: 50, questions: 0, questionsPercent: null });
    expect(other.figures).toMatchObject({ enrolments: 2, completed: 1, completionRate: 50, finalTakers: 0, passRate: null });
  });

  it('adds up per provider and in total', async () => {
    const r = await report();
    const db = getDb().$client;
    // grouped by the provider organisation (the courses' provider_id), whatever its names
    const byProvider = db.prepare(`select c.provider_id key, count(e.id) n, sum(e.status = 'completed') done from courses c left join enrolments e on e.course_id = c.id where c.status = 'published' group by c.provider_id`).all() as { key: number; n: number; done: number }[];
    expect(byProvider.length).toBeGreaterThan(1);
    for (const p of byProvider) {
      const got = r.providers.find((x: { key: string }) => x.key === String(p.key));
      expect(got.figures.enrolments).toBe(p.n);
      expect(got.figures.completed).toBe(Number(p.done ?? 0));
    }
    const total = db.prepare(`select count(*) n, sum(status = 'completed') done from enrolments`).get() as { n: number; done: number };
    expect(r.total.enrolments).toBe(total.n);
    expect(r.total.completed).toBe(total.done);
    expect(r.total.feedback.count).toBe((db.prepare('select count(*) n from course_feedback').get() as { n: number }).n);
    expect(r.options.providers.map((p: { name: { ky: string } }) => p.name.ky)).toEqual(expect.arrayContaining(['Санарип борбору', 'Сыноо провайдери']));
    expect(r.options.providers.find((p: { code: string }) => p.code === 'TEST-DIGITAL').name).toEqual({ ky: 'Санарип борбору', ru: 'Цифровой центр' });
  });

  it('filters by period (Bishkek days), direction and provider', async () => {
    const db = getDb().$client;
    const l5 = db.prepare(`select e.id from enrolments e where e.user_id = ?`).get(people.l5!.id) as { id: number };
    const l4 = db.prepare(`select e.id from enrolments e where e.user_id = ?`).get(people.l4!.id) as { id: number };
    // 10 January 2025 at noon, and 31 January 2025 20:00 UTC — which is already 1 February in Bishkek
    db.prepare('update enrolments set enrolled_at = ? where id = ?').run(Date.parse('2025-01-10T12:00:00Z'), l5.id);
    db.prepare('update enrolments set enrolled_at = ? where id = ?').run(Date.parse('2025-01-31T20:00:00Z'), l4.id);
    const jan = await report('?from=2025-01-01&to=2025-01-31');
    const quiz = jan.courses.find((x: { slug: string }) => x.slug === 'quiz-demo');
    close(quiz.figures, expected('quiz-demo', `e.enrolled_at >= ${Date.parse('2025-01-01T00:00:00+06:00')} and e.enrolled_at < ${Date.parse('2025-02-01T00:00:00+06:00')}`).figures);
    expect(quiz.figures).toMatchObject({ enrolments: 1, started: 0, completed: 0 });
    expect((await report('?from=2025-02-01&to=2025-02-01')).courses.find((x: { slug: string }) => x.slug === 'quiz-demo').figures.enrolments).toBe(1);
    const digital = await report('?category=digital');
    expect(digital.courses.map((c: { slug: string }) => c.slug)).toEqual(['quality-b']);
    close(digital.total, expected('quality-b').figures);
    const key = (await report()).options.providers.find((p: { code: string }) => p.code === 'TEST-PROVIDER').key;
    const provider = await report(`?provider=${key}`);
    expect(provider.courses.map((c: { slug: string }) => c.slug)).toEqual(['quiz-demo']);
    expect(provider.providers).toHaveLength(1);
  });

  it('refuses bad filters with 400, never 500', async () => {
    for (const [q, field] of [['?from=2025-13-01', 'from'], ['?to=2025-02-30', 'to'], ['?category=cooking', 'category'], [`?provider=${'x'.repeat(301)}`, 'provider']]) {
      const res = await call(`/api/academy/quality${q}`, { cookie: reviewer });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ error: { code: 'invalid_input', field } });
    }
    const range = await call('/api/academy/quality?from=2026-02-01&to=2026-01-01', { cookie: reviewer });
    expect(range.status).toBe(400);
    expect(await range.json()).toEqual({ error: { code: 'invalid_date_range', field: 'to' } });
    expect((await call('/api/academy/quality.csv?from=2026-02-01&to=2026-01-01', { cookie: reviewer })).status).toBe(400);
  });
});

describe('a course in detail', () => {
  it('gives per-version figures and the comments without names', async () => {
    const res = await call('/api/academy/courses/quiz-demo', { cookie: reviewer });
    expect(res.status).toBe(200);
    const d = await res.json();
    expect(d.versions).toHaveLength(1);
    expect(d.versions[0]).toMatchObject({ number: 1, current: true });
    expect(d.versions[0].figures).toEqual(d.course.figures);
    close(d.course.figures, expected('quiz-demo').figures);
    expect(d.comments).toEqual([expect.objectContaining({ text: 'Пайдалуу курс, мисалдар жакшы', version: 1, relevance: 5, clarity: 4, usefulness: 5, trainer: 4 })]);
    const text = JSON.stringify(d);
    for (const p of Object.values(people)) {
      expect(text).not.toContain(p.name);
      expect(text).not.toContain(p.email);
      expect(text).not.toContain(`"userId"`);
    }
    expect((await call('/api/academy/courses/no-such-course', { cookie: reviewer })).status).toBe(404);
  });
});

describe('who may see it', () => {
  it('reviewers and administrators; learners, trainers and HR get 403; signed out 401', async () => {
    const paths = ['/api/academy/quality', '/api/academy/quality.csv', '/api/academy/courses/quiz-demo'];
    for (const email of ['learner@demo.kg', 'trainer@demo.kg', 'hr@demo.kg']) {
      const cookie = await signIn(email);
      for (const p of paths) {
        const res = await call(p, { cookie });
        expect(res.status, `${email} ${p}`).toBe(403);
        expect(await res.json()).toEqual({ error: { code: 'forbidden' } });
      }
    }
    for (const p of paths) expect((await call(p)).status).toBe(401);
    const admin = await signIn('admin@demo.kg');
    for (const p of paths) expect((await call(p, { cookie: admin })).status).toBe(200);
  });
});

describe('the CSV export', () => {
  it('is UTF-8 with a BOM, RFC 4180, and parses back to the same figures', async () => {
    const json = await report();
    const res = await call('/api/academy/quality.csv', { cookie: reviewer });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="bilim-quality-\d{4}-\d{2}-\d{2}\.csv"$/);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes.slice(3));
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toContain('\n');
    const rows = parseCsv(text);
    expect(rows[0]).toEqual([...QUALITY_COLUMNS]);
    const records = rows.slice(1).filter((r) => r.length > 1).map((r) => Object.fromEntries(QUALITY_COLUMNS.map((c, i) => [c, r[i]!])));
    expect(records.filter((r) => r.scope === 'course')).toHaveLength(json.courses.length);
    expect(records.filter((r) => r.scope === 'provider')).toHaveLength(json.providers.length);
    for (const c of json.courses) {
      const r = records.find((x) => x.scope === 'course' && x.course_slug === c.slug)!;
      expect(r.title_ky).toBe(c.title.ky);
      expect(Number(r.enrolments)).toBe(c.figures.enrolments);
      expect(Number(r.completed)).toBe(c.figures.completed);
      expect(Number(r.final_passed)).toBe(c.figures.finalPassed);
      expect(r.completion_rate === '' ? null : Number(r.completion_rate)).toBe(c.figures.completionRate === null ? null : Math.round(c.figures.completionRate * 10) / 10);
      for (const q of QUESTIONS) {
        expect(Number(r[`${q}_count`])).toBe(c.figures.feedback.questions[q].count);
        const avg = c.figures.feedback.questions[q].average;
        expect(r[`${q}_average`] === '' ? null : Number(r[`${q}_average`])).toBe(avg === null ? null : Math.round(avg * 100) / 100);
      }
      expect(Number(r.lessons_ky)).toBe(c.coverage.lessonsKy);
    }
    const total = records.find((r) => r.scope === 'total')!;
    expect(Number(total.enrolments)).toBe(json.total.enrolments);
    // the comments stay out of the export
    expect(text).not.toContain('Пайдалуу курс');
  });

  it('is documented, as are the other academy routes', async () => {
    const doc = await (await call('/api/openapi.json')).json();
    expect(doc.paths['/api/academy/quality.csv'].get.description).toContain('byte-order mark');
    expect(doc.paths['/api/academy/quality'].get).toBeDefined();
    expect(doc.paths['/api/academy/courses/{slug}'].get).toBeDefined();
  });
});

describe('the academy demo data', () => {
  it('is made through the services from the real courses, and the dashboard computes its figures from it', { timeout: 120_000 }, async () => {
    const { ACADEMY_DEMO_COURSES, seedAcademyDemo } = await import('@scripts/seed');
    const lib = mkdtempSync(join(tmpdir(), 'bilim-academy-lib-'));
    try {
      for (const slug of ACADEMY_DEMO_COURSES) cpSync(join('courses', slug), join(lib, slug), { recursive: true });
      cpSync('courses/providers.json', join(lib, 'providers.json'));
      importCourseLibrary(getDb(), lib);
      const made = await seedAcademyDemo(getDb());
      expect(made.people).toBe(12);
      expect(made.enrolments).toBeGreaterThan(10);
      const r = await report();
      for (const slug of ACADEMY_DEMO_COURSES) {
        const c = r.courses.find((x: { slug: string }) => x.slug === slug);
        close(c.figures, expected(slug).figures);
        expect(c.figures.enrolments).toBeGreaterThan(0);
      }
      // learners completed, took the final test and answered the survey: none of it is zero
      const demo = r.courses.filter((c: { slug: string }) => ACADEMY_DEMO_COURSES.includes(c.slug));
      const sum = (f: (c: any) => number) => demo.reduce((n: number, c: any) => n + f(c), 0);
      expect(sum((c) => c.figures.completed)).toBeGreaterThan(0);
      expect(sum((c) => c.figures.finalTakers)).toBeGreaterThan(0);
      expect(sum((c) => c.figures.feedback.count)).toBeGreaterThan(0);
      // every demo completion has its certificate, as a real completion would
      const db = getDb().$client;
      const missing = db.prepare(`select count(*) n from enrolments e join users u on u.id = e.user_id where u.email like 'academy-demo-%' and e.status = 'completed' and not exists (select 1 from certificates c where c.source_ref = 'enrolment:' || e.id)`).get() as { n: number };
      expect(missing.n).toBe(0);
    } finally {
      rmSync(lib, { recursive: true, force: true });
    }
  });
});
