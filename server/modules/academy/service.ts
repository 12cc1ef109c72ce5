/**
 * The academy's quality figures: per course, per provider and in total — enrolments, how far learners
 * got (started, completed), the final test (pass rate, average score), median time to complete, the
 * end-of-course survey (each question's average, count and distribution) and Kyrgyz coverage of the
 * lessons and questions. Everything is computed from the rows as they are; nothing is stored.
 *
 * The period filters enrolments by the day they were made (Bishkek time): the figures describe the
 * cohort of learners who enrolled in the period and what became of them.
 */
import { and, eq, gte, inArray, isNotNull, lt, sql } from 'drizzle-orm';
import type { DB } from '@db/client';
import { courseFeedback, courseModules, courses, courseVersions, enrolments, lessonProgress, lessons, quizAttempts, quizQuestions, quizzes } from '@db/schema';
import type { Category } from '@db/domain';
import { AppError } from '@server/lib/errors';
import { csvOf } from '@server/lib/table-file';
import { lessonHasText } from '@server/lib/tiptap';
import { FEEDBACK_QUESTIONS, type FeedbackQuestion } from '../feedback/schemas';
import { quizGrade } from '../quiz/service';
import { trainingProviders } from '../organisations/training-providers';

export type QualityFilter = { from?: string; to?: string; category?: Category; provider?: string };

export type RatingStats = { average: number | null; count: number; /** answers 1…5 */ distribution: [number, number, number, number, number] };

export type Figures = {
  enrolments: number;
  /** at least one lesson viewed */
  started: number;
  completed: number;
  /** percent of enrolments completed; null without enrolments */
  completionRate: number | null;
  /** learners (per final test) with a graded final-test attempt */
  finalTakers: number;
  finalPassed: number;
  passRate: number | null;
  /** mean final-test grade in percent (by the test's grading method) */
  averageScore: number | null;
  /** median days from enrolment to completion */
  medianDays: number | null;
  feedback: { count: number; legacy: number; questions: Record<FeedbackQuestion, RatingStats> };
};

export type Coverage = { lessons: number; lessonsKy: number; questions: number; questionsKy: number; lessonsPercent: number | null; questionsPercent: number | null };

export type Bilingual = { ky: string | null; ru: string | null };

export type CourseQuality = {
  id: number;
  slug: string;
  title: Bilingual;
  category: Category;
  published: boolean;
  provider: ProviderRef;
  figures: Figures;
  coverage: Coverage;
  finalQuizzes: { id: number; title: Bilingual }[];
};

/**
 * A training provider as the dashboard groups by it: the organisation's id as a string (`key`, what the
 * filter takes; '' for a course without one), its e-Kyzmat code and its names.
 */
export type ProviderRef = { key: string; code: string | null; name: Bilingual };
export type ProviderQuality = ProviderRef & { courses: number; figures: Figures; coverage: Coverage };

export type QualityReport = {
  filter: QualityFilter;
  total: Figures;
  courses: CourseQuality[];
  providers: ProviderQuality[];
  /** every provider and category there is, for the filter's choices */
  options: { providers: ProviderRef[]; categories: Category[] };
};

const DAY = 86_400_000;
const pct = (n: number, d: number) => (d > 0 ? (n * 100) / d : null);

/** A course's provider: the organisation of the tree it names (grouped by the organisation, whatever its names). */
function providerLookup(db: DB): (c: { providerId: number | null }) => ProviderRef {
  const byId = new Map(trainingProviders(db, { includeClosed: true }).map((p) => [p.id, p]));
  return (c) => {
    const p = c.providerId === null ? undefined : byId.get(c.providerId);
    return p ? { key: String(p.id), code: p.code, name: { ky: p.nameKy, ru: p.nameRu } } : { key: '', code: null, name: { ky: null, ru: null } };
  };
}
const providerName = (p: ProviderRef) => p.name.ky ?? p.name.ru ?? '';

/** Start (inclusive) and end (exclusive) of the period in ms, days in Bishkek time (UTC+6). */
function periodBounds(filter: QualityFilter): { from?: number; to?: number } {
  if (filter.from && filter.to && filter.from > filter.to) throw new AppError('invalid_date_range', 400, 'to');
  return {
    from: filter.from ? Date.parse(`${filter.from}T00:00:00+06:00`) : undefined,
    to: filter.to ? Date.parse(`${filter.to}T00:00:00+06:00`) + DAY : undefined,
  };
}

function median(values: number[]): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

type EnrolmentRow = { id: number; userId: number; courseId: number; versionId: number; status: string; enrolledAt: Date; completedAt: Date | null };
type FeedbackRow = { enrolmentId: number; comment: string | null; createdAt: Date; legacyRating: number | null } & Record<FeedbackQuestion, number | null>;
/** final-test grades: `${courseId}:${userId}` → one entry per final test the learner has a graded attempt of */
type FinalGrades = Map<string, { quizId: number; grade: number; passed: boolean }[]>;

type Data = { enrolments: EnrolmentRow[]; started: Set<number>; feedback: Map<number, FeedbackRow>; finals: FinalGrades };

function ratingStats(rows: FeedbackRow[], q: FeedbackQuestion): RatingStats {
  const distribution: RatingStats['distribution'] = [0, 0, 0, 0, 0];
  let sum = 0;
  let count = 0;
  for (const r of rows) {
    const v = r[q];
    if (v === null || v < 1 || v > 5) continue;
    distribution[v - 1]!++;
    sum += v;
    count++;
  }
  return { average: count ? sum / count : null, count, distribution };
}

/** The figures of a group of enrolments. */
function figuresOf(rows: EnrolmentRow[], data: Data): Figures {
  const completed = rows.filter((e) => e.status === 'completed');
  const feedback = rows.map((e) => data.feedback.get(e.id)).filter((f): f is FeedbackRow => f !== undefined);
  // Each learner counts once per final test, whatever number of enrolments they have in the course.
  const takers = new Map<string, { grade: number; passed: boolean }>();
  for (const e of rows) {
    for (const g of data.finals.get(`${e.courseId}:${e.userId}`) ?? []) takers.set(`${e.courseId}:${e.userId}:${g.quizId}`, g);
  }
  const grades = [...takers.values()];
  const passed = grades.filter((g) => g.passed).length;
  return {
    enrolments: rows.length,
    started: rows.filter((e) => data.started.has(e.id)).length,
    completed: completed.length,
    completionRate: pct(completed.length, rows.length),
    finalTakers: grades.length,
    finalPassed: passed,
    passRate: pct(passed, grades.length),
    averageScore: grades.length ? grades.reduce((n, g) => n + g.grade, 0) / grades.length : null,
    medianDays: median(completed.filter((e) => e.completedAt).map((e) => (e.completedAt!.getTime() - e.enrolledAt.getTime()) / DAY)),
    feedback: {
      count: feedback.length,
      legacy: feedback.filter((f) => f.legacyRating !== null).length,
      questions: Object.fromEntries(FEEDBACK_QUESTIONS.map((q) => [q, ratingStats(feedback, q)])) as Record<FeedbackQuestion, RatingStats>,
    },
  };
}

function loadData(db: DB, courseIds: number[], filter: QualityFilter): Data {
  const { from, to } = periodBounds(filter);
  if (!courseIds.length) return { enrolments: [], started: new Set(), feedback: new Map(), finals: new Map() };
  const cohort = and(
    inArray(enrolments.courseId, courseIds),
    from !== undefined ? gte(enrolments.enrolledAt, new Date(from)) : undefined,
    to !== undefined ? lt(enrolments.enrolledAt, new Date(to)) : undefined,
  );
  const rows = db
    .select({ id: enrolments.id, userId: enrolments.userId, courseId: enrolments.courseId, versionId: enrolments.versionId, status: enrolments.status, enrolledAt: enrolments.enrolledAt, completedAt: enrolments.completedAt })
    .from(enrolments)
    .where(cohort)
    .all();
  const started = new Set(
    db
      .selectDistinct({ id: lessonProgress.enrolmentId })
      .from(lessonProgress)
      .innerJoin(enrolments, eq(enrolments.id, lessonProgress.enrolmentId))
      .where(and(cohort, isNotNull(lessonProgress.viewedAt)))
      .all()
      .map((r) => r.id),
  );
  const feedback = new Map(
    db
      .select({
        enrolmentId: courseFeedback.enrolmentId,
        relevance: courseFeedback.relevance,
        clarity: courseFeedback.clarity,
        usefulness: courseFeedback.usefulness,
        trainer: courseFeedback.trainer,
        legacyRating: courseFeedback.legacyRating,
        comment: courseFeedback.comment,
        createdAt: courseFeedback.createdAt,
      })
      .from(courseFeedback)
      .innerJoin(enrolments, eq(enrolments.id, courseFeedback.enrolmentId))
      .where(cohort)
      .all()
      .map((f) => [f.enrolmentId, f]),
  );
  const finals: FinalGrades = new Map();
  const finalQuizzes = db.select().from(quizzes).where(and(inArray(quizzes.courseId, courseIds), eq(quizzes.kind, 'final'))).all();
  if (finalQuizzes.length) {
    const attempts = db
      .select()
      .from(quizAttempts)
      .where(and(inArray(quizAttempts.quizId, finalQuizzes.map((q) => q.id)), eq(quizAttempts.status, 'finished'), isNotNull(quizAttempts.percent)))
      .all();
    const byKey = new Map<string, typeof attempts>();
    for (const a of attempts) byKey.set(`${a.quizId}:${a.userId}`, [...(byKey.get(`${a.quizId}:${a.userId}`) ?? []), a]);
    const quizById = new Map(finalQuizzes.map((q) => [q.id, q]));
    for (const list of byKey.values()) {
      const quiz = quizById.get(list[0]!.quizId)!;
      const grade = quizGrade(quiz.gradingMethod, list);
      if (grade === null) continue;
      const k = `${quiz.courseId}:${list[0]!.userId}`;
      finals.set(k, [...(finals.get(k) ?? []), { quizId: quiz.id, grade, passed: grade + 1e-9 >= quiz.passPercent }]);
    }
  }
  return { enrolments: rows, started, feedback, finals };
}

const hasText = (s: string | null) => s !== null && s.trim() !== '';

/**
 * Kyrgyz coverage of each course's current version: lessons with Kyrgyz text (lessonHasText: written in
 * the editor or imported from a package alike), current questions with a Kyrgyz stem.
 */
function coverageByCourse(db: DB, courseRows: { id: number; currentVersionId: number | null }[]): Map<number, Omit<Coverage, 'lessonsPercent' | 'questionsPercent'>> {
  const out = new Map(courseRows.map((c) => [c.id, { lessons: 0, lessonsKy: 0, questions: 0, questionsKy: 0 }]));
  const versionIds = courseRows.map((c) => c.currentVersionId).filter((v): v is number => v !== null);
  if (versionIds.length) {
    for (const l of db
      .select({ courseId: courseModules.courseId, bodyKy: lessons.bodyKy, docKy: lessons.docKy })
      .from(lessons)
      .innerJoin(courseModules, eq(courseModules.id, lessons.moduleId))
      .where(inArray(courseModules.versionId, versionIds))
      .all()) {
      const c = out.get(l.courseId)!;
      c.lessons++;
      if (lessonHasText({ body: l.bodyKy, doc: l.docKy })) c.lessonsKy++;
    }
  }
  if (courseRows.length) {
    for (const q of db
      .select({ courseId: quizQuestions.courseId, stemKy: quizQuestions.stemKy })
      .from(quizQuestions)
      .where(and(inArray(quizQuestions.courseId, courseRows.map((c) => c.id)), eq(quizQuestions.current, true)))
      .all()) {
      const c = out.get(q.courseId)!;
      c.questions++;
      if (hasText(q.stemKy)) c.questionsKy++;
    }
  }
  return out;
}

const withPercents = (c: Omit<Coverage, 'lessonsPercent' | 'questionsPercent'>): Coverage => ({ ...c, lessonsPercent: pct(c.lessonsKy, c.lessons), questionsPercent: pct(c.questionsKy, c.questions) });

function sumCoverage(list: Omit<Coverage, 'lessonsPercent' | 'questionsPercent'>[]): Coverage {
  return withPercents(list.reduce((a, c) => ({ lessons: a.lessons + c.lessons, lessonsKy: a.lessonsKy + c.lessonsKy, questions: a.questions + c.questions, questionsKy: a.questionsKy + c.questionsKy }), { lessons: 0, lessonsKy: 0, questions: 0, questionsKy: 0 }));
}

/** Courses the report covers: published ones, and any other that has enrolments. */
function reportCourses(db: DB) {
  return db
    .select()
    .from(courses)
    .where(sql`${courses.status} = 'published' or exists (select 1 from ${enrolments} where ${enrolments.courseId} = ${courses.id})`)
    .all();
}

/** The quality report over the filter: total, per course (sorted by enrolments), per provider. */
export function qualityReport(db: DB, filter: QualityFilter = {}): QualityReport {
  const all = reportCourses(db);
  const providerOf = providerLookup(db);
  const options = {
    providers: [...new Map(all.map((c) => providerOf(c)).filter((p) => p.key !== '').map((p) => [p.key, p])).values()].sort((a, b) => providerName(a).localeCompare(providerName(b), 'ky')),
    categories: [...new Set(all.map((c) => c.category))].sort(),
  };
  const list = all.filter((c) => (!filter.category || c.category === filter.category) && (!filter.provider || providerOf(c).key === filter.provider));
  const data = loadData(db, list.map((c) => c.id), filter);
  const coverage = coverageByCourse(db, list);
  const finalsByCourse = new Map<number, { id: number; title: Bilingual }[]>();
  if (list.length) {
    for (const q of db.select().from(quizzes).where(and(inArray(quizzes.courseId, list.map((c) => c.id)), eq(quizzes.kind, 'final'))).all()) {
      finalsByCourse.set(q.courseId, [...(finalsByCourse.get(q.courseId) ?? []), { id: q.id, title: { ky: q.titleKy, ru: q.titleRu } }]);
    }
  }
  const byCourse = new Map<number, EnrolmentRow[]>(list.map((c) => [c.id, []]));
  for (const e of data.enrolments) byCourse.get(e.courseId)?.push(e);
  const courseList: CourseQuality[] = list
    .map((c) => ({
      id: c.id,
      slug: c.slug,
      title: { ky: c.titleKy, ru: c.titleRu },
      category: c.category,
      published: c.status === 'published',
      provider: providerOf(c),
      figures: figuresOf(byCourse.get(c.id)!, data),
      coverage: withPercents(coverage.get(c.id)!),
      finalQuizzes: finalsByCourse.get(c.id) ?? [],
    }))
    .sort((a, b) => b.figures.enrolments - a.figures.enrolments || a.slug.localeCompare(b.slug));
  const providerKeys = [...new Set(courseList.map((c) => c.provider.key))];
  const providers = providerKeys
    .map((key): ProviderQuality => {
      const own = courseList.filter((c) => c.provider.key === key);
      return {
        ...own[0]!.provider,
        courses: own.length,
        figures: figuresOf(own.flatMap((c) => byCourse.get(c.id)!), data),
        coverage: sumCoverage(own.map((c) => coverage.get(c.id)!)),
      };
    })
    .sort((a, b) => b.figures.enrolments - a.figures.enrolments || providerName(a).localeCompare(providerName(b), 'ky'));
  return { filter, total: figuresOf(data.enrolments, data), courses: courseList, providers, options };
}

export type VersionQuality = { number: number; createdAt: Date; current: boolean; figures: Figures };
export type FeedbackComment = { text: string; date: Date; version: number } & Record<FeedbackQuestion, number | null>;

export type CourseDetail = { course: CourseQuality; versions: VersionQuality[]; comments: FeedbackComment[] };

/**
 * One course's figures, per version, and the survey comments — without names or anything else that
 * would tell who wrote them (newest first).
 */
export function courseQuality(db: DB, slug: string, filter: Pick<QualityFilter, 'from' | 'to'> = {}): CourseDetail {
  const c = reportCourses(db).find((x) => x.slug === slug);
  if (!c) throw new AppError('course_not_found', 404);
  const report = qualityReport(db, { from: filter.from, to: filter.to, category: c.category, provider: c.providerId === null ? undefined : String(c.providerId) });
  const course = report.courses.find((x) => x.id === c.id)!;
  const data = loadData(db, [c.id], filter);
  const versions = db.select().from(courseVersions).where(eq(courseVersions.courseId, c.id)).all();
  const numberOf = new Map(versions.map((v) => [v.id, v.number]));
  const versionFigures = versions
    .map((v) => ({ number: v.number, createdAt: v.createdAt, current: v.id === c.currentVersionId, figures: figuresOf(data.enrolments.filter((e) => e.versionId === v.id), data) }))
    .sort((a, b) => b.number - a.number);
  const byId = new Map(data.enrolments.map((e) => [e.id, e]));
  const comments = [...data.feedback.values()]
    .filter((f) => hasText(f.comment))
    .map((f) => ({ text: f.comment!, date: f.createdAt, version: numberOf.get(byId.get(f.enrolmentId)!.versionId) ?? 0, relevance: f.relevance, clarity: f.clarity, usefulness: f.usefulness, trainer: f.trainer }))
    .sort((a, b) => b.date.getTime() - a.date.getTime());
  return { course, versions: versionFigures, comments };
}

// ---------------------------------------------------------------------------------------------
// CSV

/** Columns of the quality CSV, in order; one row per course, then one per provider, then the total. */
export const QUALITY_COLUMNS = [
  'scope',
  'course_slug',
  'title_ky',
  'title_ru',
  'category',
  'provider',
  'provider_code',
  'enrolments',
  'started',
  'completed',
  'completion_rate',
  'final_takers',
  'final_passed',
  'pass_rate',
  'average_score',
  'median_days',
  'feedback_count',
  ...FEEDBACK_QUESTIONS.flatMap((q) => [`${q}_average`, `${q}_count`]),
  'lessons',
  'lessons_ky',
  'questions',
  'questions_ky',
] as const;

const round1 = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);
const round2 = (v: number | null) => (v === null ? null : Math.round(v * 100) / 100);

function figureCells(f: Figures): Record<string, string | number | null> {
  return {
    enrolments: f.enrolments,
    started: f.started,
    completed: f.completed,
    completion_rate: round1(f.completionRate),
    final_takers: f.finalTakers,
    final_passed: f.finalPassed,
    pass_rate: round1(f.passRate),
    average_score: round1(f.averageScore),
    median_days: round1(f.medianDays),
    feedback_count: f.feedback.count,
    ...Object.fromEntries(FEEDBACK_QUESTIONS.flatMap((q) => [[`${q}_average`, round2(f.feedback.questions[q].average)], [`${q}_count`, f.feedback.questions[q].count]])),
  };
}

/** RFC 4180 CSV (CRLF, quoted where needed), UTF-8 with a byte-order mark, rates in percent with one decimal. */
export function qualityCsv(report: QualityReport): string {
  const rows: Record<string, string | number | null>[] = [
    ...report.courses.map((c) => ({
      scope: 'course',
      course_slug: c.slug,
      title_ky: c.title.ky,
      title_ru: c.title.ru,
      category: c.category,
      provider: providerName(c.provider) || null,
      provider_code: c.provider.code,
      ...figureCells(c.figures),
      lessons: c.coverage.lessons,
      lessons_ky: c.coverage.lessonsKy,
      questions: c.coverage.questions,
      questions_ky: c.coverage.questionsKy,
    })),
    ...report.providers.map((p) => ({
      scope: 'provider',
      course_slug: null,
      title_ky: null,
      title_ru: null,
      category: null,
      provider: providerName(p) || null,
      provider_code: p.code,
      ...figureCells(p.figures),
      lessons: p.coverage.lessons,
      lessons_ky: p.coverage.lessonsKy,
      questions: p.coverage.questions,
      questions_ky: p.coverage.questionsKy,
    })),
    { scope: 'total', course_slug: null, title_ky: null, title_ru: null, category: null, provider: null, provider_code: null, ...figureCells(report.total) },
  ];
  return csvOf([...QUALITY_COLUMNS], rows.map((r) => QUALITY_COLUMNS.map((c) => r[c])));
}
