/**
 * The national-scale database of `npm run bench`: 60,000 servants in 1,500 organisations, 300 courses
 * (variations of the packages in courses/, imported through importCourse like any package), and
 * their history — enrolments, lesson progress, finished quiz attempts with graded answers and the
 * certificates of completed courses — written with prepared statements in large transactions.
 *
 * The result is cached as data/bench/bilim-bench-v<GENERATOR_VERSION>.sqlite with a manifest
 * (.json) beside it; a run copies the cached file and never regenerates while the version is the
 * same. Change GENERATOR_VERSION whenever this file's output changes.
 *
 * Sign-in: learners' sessions are created here through the auth service (`createSession`), and the
 * manifest keeps their cookie tokens (argon2 for 12,000 logins would take minutes of CPU before the
 * load starts). The HR officer has a password and signs in for real with POST /api/auth/login.
 */
import '@server/modules/providers';
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createHash, randomInt } from 'node:crypto';
import { join, resolve } from 'node:path';
import { connectionOf, openDatabase, type DB } from '@db/client';
import { importCourse } from '@server/modules/catalog/service';
import { listPackageDirs, loadCoursePackage, loadLibraryProviders, type LoadedCourse } from '@server/modules/catalog/package';
import { ensureDeclaredProviders } from '@server/modules/organisations/training-providers';
import { createSession, hashPassword } from '@server/modules/auth/service';
import { questionType } from '@server/modules/quiz/types';
import { REGIONS } from '@db/domain';

export const GENERATOR_VERSION = 1;
export const BENCH_DIR = resolve('data/bench');
export const SERVANTS = 60_000;
export const ORGANISATIONS = 1_500;
export const COURSES = 300;
/** sessions made up front: the exam-day learners of full mode, then the lesson-progress learners */
export const EXAM_LEARNERS_MAX = 10_000;
export const PROGRESS_LEARNERS = 2_000;
export const BIG_ORG_PEOPLE = 5_000;
export const HR_EMAIL = 'hr-bench@bench.kg';
export const HR_PASSWORD = 'bench-password-2026';
export const EXAM_COURSE = 'bench-exam-day';
/** the exam's final test: 8 questions (3 + 3 + 2 from the anti-corruption bank), 30 minutes */
export const EXAM_QUESTIONS = 8;

export type Manifest = {
  version: number;
  examQuizId: number;
  examCourseSlug: string;
  courseSlugs: string[];
  /** [userId, token] of the exam learners (enrolled in the exam course) */
  examLearners: [number, string][];
  /** lesson-progress learners: token and the lesson ids of a course they are enrolled in (active) */
  progressLearners: { userId: number; token: string; lessonIds: number[] }[];
  hr: { email: string; password: string; organisationId: number; people: number };
  counts: Record<string, number>;
};

export const cacheFile = () => join(BENCH_DIR, `bilim-bench-v${GENERATOR_VERSION}.sqlite`);
export const manifestFile = () => join(BENCH_DIR, `bilim-bench-v${GENERATOR_VERSION}.json`);

const pick = <T>(a: readonly T[]): T => a[randomInt(a.length)]!;
function shuffled<T>(items: readonly T[]): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}
const isoDay = (t: number) => new Date(t).toISOString().slice(0, 10);
const DAY = 86_400_000;

const FIRST = ['Айгүл', 'Бакыт', 'Нургүл', 'Азамат', 'Жылдыз', 'Эрлан', 'Гүлнара', 'Талант', 'Айпери', 'Нурлан', 'Чолпон', 'Улан', 'Динара', 'Бектур', 'Асель', 'Мирлан'];
const LAST = ['Асанов', 'Осмонов', 'Токтогулов', 'Жумабеков', 'Абдыкадыров', 'Сыдыков', 'Мамытов', 'Исаков', 'Бейшеев', 'Касымов', 'Садыков', 'Омурбеков'];
const POSITIONS = ['Башкы адис', 'Жетектөөчү адис', 'Адис', 'Бөлүм башчысы', 'Башкармалык башчысынын орун басары'];

/** The 300 course packages: each library package again and again under its own slug and title. */
function coursePackages(): LoadedCourse[] {
  const base = listPackageDirs('courses').map(loadCoursePackage);
  const out: LoadedCourse[] = [];
  for (let i = 0; out.length < COURSES - 1; i++) {
    const b = base[i % base.length]!;
    const n = Math.floor(i / base.length) + 1;
    const region = REGIONS[i % REGIONS.length]!;
    out.push({
      ...b,
      slug: `${b.slug}-${n}`,
      title: { ky: `${b.title.ky} (${n}-агым, ${region})`, ru: `${b.title.ru} (поток ${n}, ${region})` },
      hash: createHash('sha256').update(`${b.hash}/${n}`).digest('hex'),
    });
  }
  // The exam-day course: the anti-corruption package with an 8-question final test.
  const ac = base.find((b) => b.slug === 'anti-corruption')!;
  out.push({
    ...ac,
    slug: EXAM_COURSE,
    title: { ky: `${ac.title.ky} (сынак күнү)`, ru: `${ac.title.ru} (день экзамена)` },
    hash: createHash('sha256').update(`${ac.hash}/exam`).digest('hex'),
    quiz: {
      ...ac.quiz!,
      quizzes: ac.quiz!.quizzes.map((z) =>
        z.kind === 'final' ? { ...z, draw: [{ category: 'ac1', count: 3 }, { category: 'ac2', count: 3 }, { category: 'ac3', count: 2 }], timeLimitMinutes: 30, attempts: 2 } : z,
      ),
    },
  });
  return out;
}

type LessonRow = { id: number; slug: string; contentHash: string; video: number };
type QuestionRow = { id: number; kind: string; options: unknown; mark: number; category: string };
type QuizRow = { id: number; kind: string; draw: { category: string; count: number }[]; shuffleOptions: boolean };

export async function generate(file: string, log = console.log): Promise<Manifest> {
  const t0 = Date.now();
  rmSync(file, { force: true });
  rmSync(`${file}-wal`, { force: true });
  rmSync(`${file}-shm`, { force: true });
  const db: DB = openDatabase(file);
  const sql = connectionOf(db);
  // Generation only: a crash here just means generating again.
  sql.pragma('synchronous = OFF');
  sql.pragma('cache_size = -262144');
  const now = Date.now();

  // Courses through the importer.
  const packages = coursePackages();
  db.transaction(() => {
    // the providers the packages name (courses/providers.json), as importCourseLibrary does
    ensureDeclaredProviders(db, loadLibraryProviders('courses'));
    for (const p of packages) importCourse(db, p);
  });
  log(`  ${packages.length} courses imported (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  const courseRows = sql.prepare('SELECT c.id, c.slug, c.hours, c.current_version_id AS versionId, c.title_ky AS titleKy, c.title_ru AS titleRu, o.name_ky AS pky, o.name_ru AS pru FROM courses c LEFT JOIN organisations o ON o.id = c.provider_id').all() as {
    id: number; slug: string; hours: number; versionId: number; titleKy: string; titleRu: string; pky: string; pru: string;
  }[];
  const lessonsOf = new Map<number, LessonRow[]>();
  for (const c of courseRows) {
    lessonsOf.set(
      c.id,
      (sql.prepare("SELECT l.id, l.slug, l.content_hash AS contentHash, coalesce(json_extract(l.video, '$.seconds'), 0) AS video FROM lessons l JOIN course_modules m ON m.id = l.module_id WHERE m.version_id = ? ORDER BY l.position").all(c.versionId) as LessonRow[]),
    );
  }
  const questionsOf = new Map<string, QuestionRow[]>();
  for (const q of sql.prepare('SELECT id, course_id AS courseId, kind, options, mark, category FROM quiz_questions WHERE current = 1').all() as (QuestionRow & { courseId: number; options: string })[]) {
    const key = `${q.courseId}/${q.category}`;
    const list = questionsOf.get(key) ?? [];
    list.push({ ...q, options: JSON.parse(q.options) });
    questionsOf.set(key, list);
  }
  const quizzesOf = new Map<number, QuizRow[]>();
  for (const z of sql.prepare('SELECT id, course_id AS courseId, kind, draw, shuffle_options AS shuffleOptions FROM quizzes WHERE active = 1').all() as (QuizRow & { courseId: number; draw: string })[]) {
    const list = quizzesOf.get(z.courseId) ?? [];
    list.push({ ...z, draw: JSON.parse(z.draw), shuffleOptions: !!z.shuffleOptions });
    quizzesOf.set(z.courseId, list);
  }
  const exam = courseRows.find((c) => c.slug === EXAM_COURSE)!;
  const examQuizId = quizzesOf.get(exam.id)!.find((z) => z.kind === 'final')!.id;
  const libraryCourses = courseRows.filter((c) => c.id !== exam.id);

  // Organisations: 60 state bodies with 9 sub-units each (600), 900 local self-government bodies.
  // The first state body and its sub-units hold 5,000 people: the HR officer's organisation.
  const insOrg = sql.prepare('INSERT INTO organisations (parent_id, kind, service, region, name_ky, name_ru, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id');
  const orgs: { id: number; service: 'state' | 'municipal'; root: number }[] = [];
  sql.transaction(() => {
    for (let i = 0; i < 60; i++) {
      const region = i < 30 ? 'bishkek' : pick(REGIONS);
      const id = (insOrg.get(null, 'state_body', 'state', region, `Мамлекеттик орган №${i + 1}`, `Государственный орган №${i + 1}`, now) as { id: number }).id;
      orgs.push({ id, service: 'state', root: id });
      for (let j = 0; j < 9; j++) {
        const sub = (insOrg.get(id, 'subunit', 'state', region, `№${i + 1} органдын ${j + 1}-бөлүмү`, `Отдел ${j + 1} органа №${i + 1}`, now) as { id: number }).id;
        orgs.push({ id: sub, service: 'state', root: id });
      }
    }
    for (let i = 0; orgs.length < ORGANISATIONS; i++) {
      const region = pick(REGIONS);
      const id = (insOrg.get(null, 'local_government', 'municipal', region, `Айыл өкмөтү №${i + 1}`, `Айыл окмоту №${i + 1}`, now) as { id: number }).id;
      orgs.push({ id, service: 'municipal', root: id });
    }
  })();
  const bigOrg = orgs[0]!.id;
  const bigUnits = orgs.slice(0, 10);
  const others = orgs.slice(10);

  // Servants.
  const insUser = sql.prepare(
    'INSERT INTO users (email, password_hash, full_name, organisation_id, position_title, post_kind, admin_group, service, gender, appointment_date, locale, created_at) VALUES (?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id',
  );
  const insRole = sql.prepare('INSERT INTO user_roles (user_id, role, organisation_id) VALUES (?, ?, ?)');
  const userIds: number[] = [];
  sql.transaction(() => {
    for (let i = 0; i < SERVANTS; i++) {
      const org = i < BIG_ORG_PEOPLE ? bigUnits[i % bigUnits.length]! : others[i % others.length]!;
      const female = randomInt(2) === 0;
      const name = `${pick(LAST)}${female ? 'а' : ''} ${pick(FIRST)}`;
      const appointed = isoDay(now - randomInt(200, 365 * 12) * DAY);
      const id = (insUser.get(`servant${i}@bench.kg`, name, org.id, pick(POSITIONS), 'administrative', pick(['main', 'senior', 'junior']), org.service, female ? 'female' : 'male', appointed, randomInt(4) === 0 ? 'ru' : 'ky', now) as { id: number }).id;
      insRole.run(id, 'learner', null);
      userIds.push(id);
    }
  })();
  const hrId = (insUser.get(HR_EMAIL, 'Кадр кызматы (бенчмарк)', bigOrg, 'Кадр кызматынын башчысы', 'administrative', 'main', 'state', 'female', '2015-01-10', 'ky', now) as { id: number }).id;
  sql.prepare('UPDATE users SET password_hash = ? WHERE id = ?').run(await hashPassword(HR_PASSWORD), hrId);
  insRole.run(hrId, 'learner', null);
  insRole.run(hrId, 'hr', bigOrg);
  const trainerId = (insUser.get('trainer-bench@bench.kg', 'Окутуучу (бенчмарк)', null, null, null, null, null, null, null, 'ky', now) as { id: number }).id;
  insRole.run(trainerId, 'trainer', null);
  log(`  ${ORGANISATIONS} organisations, ${SERVANTS} servants (${((Date.now() - t0) / 1000).toFixed(1)} s)`);

  // History: 8 enrolments per servant, 30 % completed (every lesson viewed, every quiz passed, a
  // certificate), the rest active with some lessons viewed.
  const insEnrol = sql.prepare(
    "INSERT INTO enrolments (user_id, course_id, version_id, source, status, enrolled_at, completed_at, hours_earned, last_lesson_id) VALUES (?, ?, ?, 'self', ?, ?, ?, ?, ?) RETURNING id",
  );
  const insProgress = sql.prepare(
    'INSERT INTO lesson_progress (enrolment_id, lesson_slug, content_hash, watched, position_seconds, seq, viewed_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insAttempt = sql.prepare(
    "INSERT INTO quiz_attempts (quiz_id, user_id, number, status, started_at, deadline_at, finished_at, closed_by, score, max_score, percent, passed, needs_grading) VALUES (?, ?, 1, 'finished', ?, ?, ?, 'learner', ?, ?, 100, 1, 0) RETURNING id",
  );
  const insItem = sql.prepare(
    'INSERT INTO quiz_attempt_items (attempt_id, position, question_id, option_order, response, seq, saved_at, mark, fraction, graded_by, graded_at) VALUES (?, ?, ?, ?, ?, 1, ?, ?, 1, ?, ?)',
  );
  const insCert = sql.prepare(
    'INSERT INTO certificates (code, code_key, user_id, course_id, source_ref, holder_name, course_title_ky, course_title_ru, issuer_ky, issuer_ru, hours, completed_on, issued_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const names = new Map((sql.prepare('SELECT id, full_name AS n FROM users').all() as { id: number; n: string }[]).map((r) => [r.id, r.n]));
  const counts = { enrolments: 0, lessonProgress: 0, quizAttempts: 0, quizAnswers: 0, certificates: 0 };
  const progressLearners: Manifest['progressLearners'] = [];
  const progressCandidates = new Set(userIds.slice(EXAM_LEARNERS_MAX, EXAM_LEARNERS_MAX + PROGRESS_LEARNERS));
  const CHUNK = 2_000;
  for (let from = 0; from < userIds.length; from += CHUNK) {
    sql.transaction(() => {
      for (const userId of userIds.slice(from, from + CHUNK)) {
        const chosen = shuffled(libraryCourses).slice(0, 8);
        let progressCourse: number[] | undefined;
        chosen.forEach((c, k) => {
          const list = lessonsOf.get(c.id)!;
          const completed = k < 3 && randomInt(10) < 8; // about 30 % of all enrolments
          const start = now - randomInt(30, 900) * DAY;
          const end = start + randomInt(5, 60) * DAY;
          const viewedCount = completed ? list.length : randomInt(list.length);
          const eid = (insEnrol.get(userId, c.id, c.versionId, completed ? 'completed' : 'active', start, completed ? end : null, completed ? c.hours : null, viewedCount ? list[viewedCount - 1]!.id : null) as { id: number }).id;
          counts.enrolments++;
          for (let l = 0; l < viewedCount; l++) {
            const lesson = list[l]!;
            const t = start + (l + 1) * 3_600_000;
            insProgress.run(eid, lesson.slug, lesson.contentHash, JSON.stringify(lesson.video ? [[0, lesson.video]] : []), lesson.video, 1 + randomInt(30), t, t, t);
            counts.lessonProgress++;
          }
          if (!completed && !progressCourse && progressCandidates.has(userId)) progressCourse = list.map((l) => l.id);
          if (!completed) return;
          for (const z of quizzesOf.get(c.id) ?? []) {
            const drawn: QuestionRow[] = [];
            for (const rule of z.draw) drawn.push(...shuffled(questionsOf.get(`${c.id}/${rule.category}`) ?? []).slice(0, rule.count));
            const max = drawn.reduce((n, q) => n + q.mark, 0);
            const aid = (insAttempt.get(z.id, userId, end - DAY, end - DAY + 40 * 60_000, end - DAY + 20 * 60_000, max, max) as { id: number }).id;
            counts.quizAttempts++;
            drawn.forEach((q, p) => {
              const type = questionType(q.kind);
              const ids = type.shuffleable(q.options as never);
              const order = ids && (z.shuffleOptions || type.alwaysShuffled) ? JSON.stringify(shuffled(ids)) : null;
              const response = type.correctResponse(q.options as never) ?? { text: 'Жетекчиге жазуу жүзүндө билдирип, чечимге катышпайм.' };
              insItem.run(aid, p + 1, q.id, order, JSON.stringify(response), end - DAY + (p + 1) * 60_000, q.mark, type.manual ? trainerId : null, type.manual ? end : null);
              counts.quizAnswers++;
            });
          }
          const code = `BLM-${createHash('sha256').update(`${userId}/${eid}`).digest('hex').slice(0, 10).toUpperCase()}`;
          insCert.run(code, code.replace(/-/g, ''), userId, c.id, `enrolment:${eid}`, names.get(userId)!, c.titleKy, c.titleRu, c.pky, c.pru, c.hours, isoDay(end), end);
          counts.certificates++;
        });
        if (progressCourse) progressLearners.push({ userId, token: '', lessonIds: progressCourse });
      }
    })();
    if ((from / CHUNK) % 5 === 4) log(`  history: ${from + CHUNK} servants, ${counts.lessonProgress} progress rows, ${counts.quizAnswers} answers (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  }

  // The exam-day learners are enrolled in the exam course; sessions for them and the progress learners.
  const examLearners: [number, string][] = [];
  db.transaction((tx) => {
    for (const userId of userIds.slice(0, EXAM_LEARNERS_MAX)) {
      insEnrol.run(userId, exam.id, exam.versionId, 'active', now, null, null, null);
      examLearners.push([userId, createSession(tx, userId).token]);
    }
    for (const p of progressLearners) p.token = createSession(tx, p.userId).token;
  });
  sql.pragma('optimize');
  sql.exec('ANALYZE');
  sql.pragma('wal_checkpoint(TRUNCATE)');
  sql.close();
  const manifest: Manifest = {
    version: GENERATOR_VERSION,
    examQuizId,
    examCourseSlug: EXAM_COURSE,
    courseSlugs: libraryCourses.map((c) => c.slug),
    examLearners,
    progressLearners,
    hr: { email: HR_EMAIL, password: HR_PASSWORD, organisationId: bigOrg, people: BIG_ORG_PEOPLE },
    counts: { organisations: ORGANISATIONS, servants: SERVANTS, courses: courseRows.length, ...counts },
  };
  log(`  generated in ${((Date.now() - t0) / 1000).toFixed(0)} s: ${JSON.stringify(manifest.counts)}`);
  return manifest;
}

/** The cached database (generating it when this generator version has none) and its manifest. */
export async function ensureBenchDb(log = console.log): Promise<{ file: string; manifest: Manifest }> {
  mkdirSync(BENCH_DIR, { recursive: true });
  if (existsSync(cacheFile()) && existsSync(manifestFile())) {
    log(`bench database: cached ${cacheFile()}`);
    const { readFileSync } = await import('node:fs');
    return { file: cacheFile(), manifest: JSON.parse(readFileSync(manifestFile(), 'utf8')) };
  }
  log(`bench database: generating ${cacheFile()} (generator v${GENERATOR_VERSION})`);
  const tmp = `${cacheFile()}.tmp`;
  // Media files of the packages are stored beside the database (server/modules/catalog/media.ts).
  process.env.MEDIA_DIR = join(BENCH_DIR, 'media');
  const manifest = await generate(tmp, log);
  renameSync(tmp, cacheFile());
  rmSync(`${tmp}-wal`, { force: true });
  rmSync(`${tmp}-shm`, { force: true });
  writeFileSync(manifestFile(), JSON.stringify(manifest));
  return { file: cacheFile(), manifest };
}

/** A fresh working copy of the cached database for one run. */
export function workingCopy(cached: string, to: string): void {
  for (const ext of ['', '-wal', '-shm']) rmSync(`${to}${ext}`, { force: true });
  copyFileSync(cached, to);
}

if (import.meta.url === `file://${process.argv[1]}`) await ensureBenchDb();
