/**
 * What the other parts of learning read: inputs owned by other modules (each through exactly one
 * function here), the learner's enrolment rows and the statements prepared once per connection.
 */
import { and, desc, eq, ne, sql } from 'drizzle-orm';
import { versionOutline } from '../catalog/service';
import { currentPolicy } from '../policy/service';
import { quizOutcomes as quizModuleOutcomes } from '../quiz/service';
import { connectionOf, type DB } from '@db/client';
import { courseModules, enrolments, lessonProgress, lessons, scormRuntime, users } from '@db/schema';
import { type QuizOutcome } from './completion';
import { prepared } from '@db/statements';

export type Enrolment = typeof enrolments.$inferSelect;

/**
 * How often a servant must be trained, in years. The law says at least once every 3 years
 * (shared/DOMAIN.md); administrators set it in the policy.
 */
export function obligationPeriodYears(db: DB): number {
  return currentPolicy(db).periodYears;
}

/**
 * The learner's quiz outcomes in an enrolment: one entry per quiz of the course (module quizzes by module
 * position, the final test with modulePosition null), `passed` once the attempts of this enrolment pass it.
 */
export function quizOutcomes(db: DB, enrolment: Pick<Enrolment, 'id' | 'userId' | 'courseId'> & Partial<Pick<Enrolment, 'versionId'>>): QuizOutcome[] {
  const quizzes = quizModuleOutcomes(db, enrolment.userId, enrolment.courseId, enrolment.id);
  return enrolment.versionId === undefined ? quizzes : [...quizzes, ...scormFinalOutcomes(db, { id: enrolment.id, versionId: enrolment.versionId })];
}

/** A SCORM lesson whose passed status is the course's final test counts as a final test, passed once the package said passed. */
function scormFinalOutcomes(db: DB, enrolment: Pick<Enrolment, 'id' | 'versionId'>): QuizOutcome[] {
  const finals = versionOutline(db, enrolment.versionId)
    .flatMap((m) => m.lessons)
    .filter((l) => l.scorm?.finalTest);
  if (!finals.length) return [];
  const rows = db.select({ slug: scormRuntime.lessonSlug, hash: scormRuntime.contentHash, passedAt: scormRuntime.passedAt }).from(scormRuntime).where(eq(scormRuntime.enrolmentId, enrolment.id)).all();
  return finals.map((l) => ({ kind: 'final' as const, modulePosition: null, passed: rows.some((r) => r.slug === l.slug && r.hash === (l.contentHash ?? '') && r.passedAt !== null) }));
}

/** The start of the current obligation period: the same date `years` ago (a rolling window). */
export function periodStart(db: DB, now = new Date()): Date {
  const d = new Date(now);
  d.setUTCFullYear(d.getUTCFullYear() - obligationPeriodYears(db));
  return d;
}

/** The enrolment a certificate of a completion names (its source). */
export const sourceOf = (enrolmentId: number) => `enrolment:${enrolmentId}`;

/**
 * Statements of the lesson progress save and the course page, prepared once per connection: building
 * drizzle's SQL on every call was a large part of both.
 */
function prepareHot(db: DB) {
  const connection = connectionOf(db);
  const ph = sql.placeholder;
  return {
    lessonPlace: db
      .select({ courseId: courseModules.courseId, versionId: courseModules.versionId })
      .from(lessons)
      .innerJoin(courseModules, eq(courseModules.id, lessons.moduleId))
      .where(eq(lessons.id, ph('lessonId')))
      .prepare(),
    person: db
      .select({ id: users.id, service: users.service, postKind: users.postKind, adminGroup: users.adminGroup, organisationId: users.organisationId })
      .from(users)
      .where(eq(users.id, ph('userId')))
      .prepare(),
    activeEnrolment: db
      .select()
      .from(enrolments)
      .where(and(eq(enrolments.userId, ph('userId')), eq(enrolments.courseId, ph('courseId')), eq(enrolments.status, 'active')))
      .prepare(),
    recentCompletions: db
      .select()
      .from(enrolments)
      .where(and(eq(enrolments.userId, ph('userId')), eq(enrolments.courseId, ph('courseId')), eq(enrolments.status, 'completed'), sql`${enrolments.completedAt} >= ${ph('since')}`))
      .orderBy(desc(enrolments.completedAt))
      .prepare(),
    enrolmentInCourse: db
      .select()
      .from(enrolments)
      .where(and(eq(enrolments.userId, ph('userId')), eq(enrolments.courseId, ph('courseId')), ne(enrolments.status, 'withdrawn')))
      .orderBy(sql`case ${enrolments.status} when 'active' then 0 else 1 end`, desc(enrolments.id))
      .limit(1)
      .prepare(),
    progressRow: db
      .select()
      .from(lessonProgress)
      .where(and(eq(lessonProgress.enrolmentId, ph('enrolmentId')), eq(lessonProgress.lessonSlug, ph('slug')), eq(lessonProgress.contentHash, ph('contentHash'))))
      .prepare(),
    // Plain SQL for the writes: the values are converted here as drizzle stores them (JSON, milliseconds).
    updateProgress: connection.prepare('UPDATE lesson_progress SET watched = ?, position_seconds = ?, seq = ?, viewed_at = ?, updated_at = ? WHERE id = ?'),
    insertProgress: connection.prepare(
      'INSERT INTO lesson_progress (enrolment_id, lesson_slug, content_hash, watched, position_seconds, seq, viewed_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    setLastLesson: connection.prepare('UPDATE enrolments SET last_lesson_id = ? WHERE id = ?'),
    viewedKeys: connection.prepare('SELECT lesson_slug, content_hash FROM lesson_progress WHERE enrolment_id = ? AND viewed_at IS NOT NULL').raw(),
  };
}
export function hot(db: DB): ReturnType<typeof prepareHot> {
  return prepared(db, prepareHot);
}

export function activeEnrolment(db: DB, userId: number, courseId: number): Enrolment | undefined {
  return hot(db).activeEnrolment.get({ userId, courseId });
}

/** The learner's current (or latest completed) enrolment in a course, for the course page. */
export function enrolmentInCourse(db: DB, userId: number, courseId: number): Enrolment | undefined {
  return hot(db).enrolmentInCourse.get({ userId, courseId });
}
