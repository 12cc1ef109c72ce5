/** What the learner sees: their enrolments, where to resume, hours in the period, a lesson's page. */
import { and, desc, eq, ne, sql } from 'drizzle-orm';
import { revokedSources } from '../certificates/service';
import { type DB } from '@db/client';
import { courseModules, courses, courseVersions, enrolments, lessonProgress, lessons } from '@db/schema';
import type { Locale } from '@db/domain';
import { AppError } from '@server/lib/errors';
import { renderTiptap } from '@server/lib/tiptap';
import { type CourseRow, eligibilityProblem, person, publishedCourse, recentCompletion } from './enrolment';
import { type EnrolmentProgress, enrolmentProgress, type LessonOutline, type LessonState, type ModuleProgress } from './progress';
import { activeEnrolment, type Enrolment, enrolmentInCourse, obligationPeriodYears, periodStart, sourceOf } from './reads';

type Lesson = typeof lessons.$inferSelect;

export type MyEnrolment = {
  enrolment: Enrolment;
  /** when the certificate of this completion was revoked (the completion then no longer counts) */
  certificateRevokedAt: Date | null;
  course: Pick<CourseRow, 'id' | 'slug' | 'titleKy' | 'titleRu' | 'hours'>;
  versionNumber: number;
  progress: EnrolmentProgress;
};

/** The learner's enrolments (not withdrawn), active first by due date, then completed, newest first. */
export function myEnrolments(db: DB, userId: number): MyEnrolment[] {
  const rows = db
    .select({ enrolment: enrolments, course: { id: courses.id, slug: courses.slug, titleKy: courses.titleKy, titleRu: courses.titleRu, hours: courses.hours }, versionNumber: courseVersions.number })
    .from(enrolments)
    .innerJoin(courses, eq(courses.id, enrolments.courseId))
    .innerJoin(courseVersions, eq(courseVersions.id, enrolments.versionId))
    .where(and(eq(enrolments.userId, userId), ne(enrolments.status, 'withdrawn')))
    .all();
  const revoked = revokedSources(db, rows.filter((r) => r.enrolment.status === 'completed').map((r) => sourceOf(r.enrolment.id)));
  const list = rows.map((r) => ({ ...r, certificateRevokedAt: revoked.get(sourceOf(r.enrolment.id)) ?? null, progress: enrolmentProgress(db, r.enrolment) }));
  const active = list
    .filter((r) => r.enrolment.status === 'active')
    .sort((a, b) => (a.enrolment.dueDate ?? '9999').localeCompare(b.enrolment.dueDate ?? '9999') || b.enrolment.enrolledAt.getTime() - a.enrolment.enrolledAt.getTime());
  const done = list.filter((r) => r.enrolment.status === 'completed').sort((a, b) => (b.enrolment.completedAt?.getTime() ?? 0) - (a.enrolment.completedAt?.getTime() ?? 0));
  return [...active, ...done];
}

export type ResumePoint = { course: MyEnrolment['course']; progress: EnrolmentProgress; lesson: LessonOutline & LessonState; module: ModuleProgress };

/**
 * "Continue where you left off" (the home page): the active course the learner touched last (the
 * latest lesson opened or saved, else the latest enrolment) and its lesson to continue with.
 */
export function resumePoint(db: DB, userId: number): ResumePoint | null {
  const row = db
    .select({ id: enrolments.id })
    .from(enrolments)
    .leftJoin(lessonProgress, eq(lessonProgress.enrolmentId, enrolments.id))
    .where(and(eq(enrolments.userId, userId), eq(enrolments.status, 'active')))
    .groupBy(enrolments.id)
    .orderBy(desc(sql`coalesce(max(${lessonProgress.updatedAt}), ${enrolments.enrolledAt})`), desc(enrolments.id))
    .limit(1)
    .get();
  if (!row) return null;
  const found = myEnrolments(db, userId).find((m) => m.enrolment.id === row.id);
  if (!found?.progress.nextLessonId) return null;
  const module = found.progress.modules.find((m) => m.lessons.some((l) => l.id === found.progress.nextLessonId))!;
  return { course: found.course, progress: found.progress, module, lesson: module.lessons.find((l) => l.id === found.progress.nextLessonId)! };
}

/** Academic hours of courses completed in the current obligation period (a completion whose certificate was revoked does not count). */
export function hoursInPeriod(db: DB, userId: number, now = new Date()): { from: Date; to: Date; years: number; hours: number; courses: number } {
  const from = periodStart(db, now);
  const rows = db
    .select({ id: enrolments.id, hours: enrolments.hoursEarned })
    .from(enrolments)
    .where(and(eq(enrolments.userId, userId), eq(enrolments.status, 'completed'), sql`${enrolments.completedAt} >= ${from.getTime()}`, sql`${enrolments.completedAt} <= ${now.getTime()}`))
    .all();
  const revoked = revokedSources(db, rows.map((r) => sourceOf(r.id)));
  const counted = rows.filter((r) => !revoked.has(sourceOf(r.id)));
  return { from, to: now, years: obligationPeriodYears(db), hours: counted.reduce((n, r) => n + (r.hours ?? 0), 0), courses: counted.length };
}

/** When the certificate of a completed enrolment was revoked, or null (for the course page). */
export function completionRevokedAt(db: DB, enrolment: Pick<Enrolment, 'id' | 'status'>): Date | null {
  return enrolment.status === 'completed' ? revokedSources(db, [sourceOf(enrolment.id)]).get(sourceOf(enrolment.id)) ?? null : null;
}


/** Whether self-enrolment is possible, and if not, why (for the course page). */
export function selfEnrolmentProblem(db: DB, userId: number, slug: string, now = new Date()): string | null {
  const course = publishedCourse(db, slug);
  const problem = eligibilityProblem(person(db, userId), course);
  if (problem) return problem;
  if (course.version.enrolment === 'assigned') return 'enrolment_by_assignment_only';
  if (!activeEnrolment(db, userId, course.id) && !course.version.repeatable && recentCompletion(db, userId, course.id, now)) return 'already_completed';
  return null;
}

export type LessonView = {
  course: Pick<CourseRow, 'id' | 'slug' | 'titleKy' | 'titleRu'>;
  enrolment: Enrolment;
  lesson: Lesson;
  module: { position: number; titleKy: string | null; titleRu: string | null };
  /** sanitised HTML per language (null when the lesson has no text in that language) */
  html: { ky: string | null; ru: string | null };
  state: LessonState;
  previous: LessonOutline | null;
  next: LessonOutline | null;
  progress: EnrolmentProgress;
};

/** A lesson of the learner's enrolment, by course and lesson slug, rendered to sanitised HTML. */
export function lessonForLearner(db: DB, userId: number, courseSlug: string, lessonSlug: string): LessonView {
  const course = db.select({ id: courses.id, slug: courses.slug, titleKy: courses.titleKy, titleRu: courses.titleRu }).from(courses).where(eq(courses.slug, courseSlug)).get();
  if (!course) throw new AppError('course_not_found', 404);
  const enrolment = enrolmentInCourse(db, userId, course.id);
  if (!enrolment) throw new AppError('not_enrolled', 403);
  const found = db
    .select({ lesson: lessons, module: courseModules })
    .from(lessons)
    .innerJoin(courseModules, eq(courseModules.id, lessons.moduleId))
    .where(and(eq(courseModules.versionId, enrolment.versionId), eq(lessons.slug, lessonSlug)))
    .get();
  if (!found) throw new AppError('lesson_not_found', 404);
  const progress = enrolmentProgress(db, enrolment);
  const flat = progress.modules.flatMap((m) => m.lessons);
  const i = flat.findIndex((l) => l.id === found.lesson.id);
  const me = flat[i]!;
  return {
    course,
    enrolment,
    lesson: found.lesson,
    module: { position: found.module.position, titleKy: found.module.titleKy, titleRu: found.module.titleRu },
    html: { ky: found.lesson.docKy ? renderTiptap(found.lesson.docKy) : null, ru: found.lesson.docRu ? renderTiptap(found.lesson.docRu) : null },
    state: { lessonId: me.lessonId, slug: me.slug, viewed: me.viewed, watchedFraction: me.watchedFraction, positionSeconds: me.positionSeconds, seq: me.seq, ...(me.updatedAt ? { updatedAt: me.updatedAt } : {}) },
    previous: flat[i - 1] ?? null,
    next: flat[i + 1] ?? null,
    progress,
  };
}

/** Titles for display, in the reader's language with the other as fallback. */
export function titleIn(locale: Locale, v: { titleKy: string | null; titleRu: string | null }): string {
  return (locale === 'ky' ? v.titleKy ?? v.titleRu : v.titleRu ?? v.titleKy) ?? '';
}
