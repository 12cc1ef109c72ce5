/**
 * Learning: enrolment (self, HR, plan) with eligibility, lessons, viewing progress and completion.
 * Every write runs in one transaction on a WAL database with synchronous=FULL, so an acknowledged
 * save survives a killed process.
 */
import { and, asc, desc, eq, inArray, ne, sql } from 'drizzle-orm';
import { courseVersion, publishedCourseWithVersion, versionOutline, type OutlineLesson } from '../catalog/service';
import { issueCertificate, revokedSources } from '../certificates/service';
import { currentPolicy } from '../policy/service';
import { quizOutcomes as quizModuleOutcomes } from '../quiz/service';
import { notify } from '../notifications/service';
import { recordAudit } from '../audit/service';
import { connectionOf, type DB } from '@db/client';
import { courseModules, courses, courseVersions, enrolments, lessonProgress, lessons, scormRuntime, users, type CompletionRule } from '@db/schema';
import { createLaunch } from '../scorm/launch';
import { scormRestore, scormStatus, SCORM_CMI_MAX_CHARS, type ScormStatus } from './scorm-runtime';
import type { EnrolmentSource } from '@db/schema/learning';
import type { Locale } from '@db/domain';
import { AppError } from '@server/lib/errors';
import { hook, provide } from '@server/lib/hooks';
import { bishkekDay } from '@server/lib/time';
import { renderTiptap } from '@server/lib/tiptap';
import { completionState, lessonsRequired, type CompletionState, type QuizOutcome } from './completion';
import { limitNewCoverage, mergeRanges, VIEWED_FRACTION, watchedFraction, type Range } from './ranges';
import { prepared } from '@db/statements';

export type Enrolment = typeof enrolments.$inferSelect;
type Lesson = typeof lessons.$inferSelect;
type Version = typeof courseVersions.$inferSelect;

// ---------------------------------------------------------------------------------------------
// Inputs owned by other modules. Each is read through exactly one function here, so the lead can
// switch it to the owning module at merge.
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// Eligibility and enrolment
// ---------------------------------------------------------------------------------------------

type Person = Pick<typeof users.$inferSelect, 'id' | 'service' | 'postKind' | 'adminGroup' | 'organisationId'>;
type CourseRow = typeof courses.$inferSelect;

/** Why a person may not take a course (an error code with a translation), or null when they may. */
export function eligibilityProblem(person: Person, course: CourseRow): string | null {
  if (!person.service || !person.postKind) return 'eligibility_profile_incomplete';
  if (!course.audienceServices.includes(person.service)) return 'not_eligible_service';
  if (!course.audiencePostKinds.includes(person.postKind)) return 'not_eligible_post_kind';
  if (person.postKind === 'administrative' && course.audienceGroups.length > 0) {
    if (!person.adminGroup) return 'eligibility_profile_incomplete';
    if (!course.audienceGroups.includes(person.adminGroup)) return 'not_eligible_group';
  }
  return null;
}

function publishedCourse(db: DB, slug: string): CourseRow & { version: Version } {
  const course = publishedCourseWithVersion(db, slug);
  if (!course) throw new AppError('course_not_found', 404);
  return course;
}

function person(db: DB, userId: number): Person {
  const p = hot(db).person.get({ userId });
  if (!p) throw new AppError('person_not_found', 404);
  return p;
}

/** The enrolment a certificate of a completion names (its source). */
const sourceOf = (enrolmentId: number) => `enrolment:${enrolmentId}`;

/**
 * A completion of this course inside the current obligation period that still stands, if any. A
 * completion whose certificate was revoked does not count: the servant may enrol again and earn a new
 * one (the revoked enrolment stays, completed, as history).
 */
function recentCompletion(db: DB, userId: number, courseId: number, now: Date): Enrolment | undefined {
  const rows = hot(db).recentCompletions.all({ userId, courseId, since: periodStart(db, now).getTime() });
  if (rows.length === 0) return undefined;
  const revoked = revokedSources(db, rows.map((e) => sourceOf(e.id)));
  return rows.find((e) => !revoked.has(sourceOf(e.id)));
}

function activeEnrolment(db: DB, userId: number, courseId: number): Enrolment | undefined {
  return hot(db).activeEnrolment.get({ userId, courseId });
}

type EnrolOptions = { source: EnrolmentSource; assignedBy?: number | null; dueDate?: string | null };

/**
 * Enrols a person on the course's current version, checking eligibility and repetition. An existing
 * active enrolment is returned as it is (`created: false`); a withdrawn one is taken up again with its
 * progress. Runs inside the caller's transaction when given one.
 */
function enrolPerson(db: DB, p: Person, course: CourseRow & { version: Version }, opts: EnrolOptions, now: Date): { enrolment: Enrolment; created: boolean } {
  const problem = eligibilityProblem(p, course);
  if (problem) throw new AppError(problem, 403);
  if (opts.source === 'self' && course.version.enrolment === 'assigned') throw new AppError('enrolment_by_assignment_only', 403);
  const active = activeEnrolment(db, p.id, course.id);
  if (active) return { enrolment: active, created: false };
  if (!course.version.repeatable && recentCompletion(db, p.id, course.id, now)) throw new AppError('already_completed', 409);
  const fields = {
    versionId: course.version.id,
    source: opts.source,
    assignedBy: opts.assignedBy ?? null,
    dueDate: opts.dueDate ?? null,
    status: 'active' as const,
    enrolledAt: now,
    withdrawnAt: null,
  };
  const withdrawn = db
    .select()
    .from(enrolments)
    .where(and(eq(enrolments.userId, p.id), eq(enrolments.courseId, course.id), eq(enrolments.status, 'withdrawn')))
    .orderBy(desc(enrolments.id))
    .get();
  if (withdrawn) {
    const enrolment = db.update(enrolments).set(fields).where(eq(enrolments.id, withdrawn.id)).returning().get();
    return { enrolment, created: true };
  }
  const enrolment = db.insert(enrolments).values({ ...fields, userId: p.id, courseId: course.id }).returning().get();
  return { enrolment, created: true };
}

/** A learner enrols themselves in an open course. */
export function enrolSelf(db: DB, userId: number, slug: string, now = new Date()): { enrolment: Enrolment; created: boolean } {
  return db.transaction((tx) => enrolPerson(tx, person(tx, userId), publishedCourse(tx, slug), { source: 'self' }, now));
}

export type AssignmentResult = { userId: number; result: 'assigned' | 'updated' | 'refused'; enrolmentId?: number; reason?: string };

/**
 * The rule of an HR due date: a real calendar day (YYYY-MM-DD), not before today in Bishkek.
 * 400 `due_date_invalid` or `due_date_past` on the field `dueDate`.
 */
export function checkDueDate(dueDate: string, now = new Date()): void {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(dueDate) || Number.isNaN(Date.parse(`${dueDate}T00:00:00Z`))) throw new AppError('due_date_invalid', 400, 'dueDate');
  if (dueDate < bishkekDay(now)) throw new AppError('due_date_past', 400, 'dueDate');
}

/**
 * HR assigns a course to servants of its organisations, with a due date. People outside the HR
 * officer's organisations are "not found" (nothing is assigned then). Each person gets a result:
 * assigned, updated (already enrolled: the due date is set) or refused with the eligibility reason.
 */
export function assignByHr(
  db: DB,
  hr: { id: number; hrOrganisationIds: number[]; ip?: string | null },
  input: { courseSlug: string; userIds: number[]; dueDate: string },
  now = new Date(),
): AssignmentResult[] {
  checkDueDate(input.dueDate, now);
  return db.transaction((tx) => {
    const course = publishedCourse(tx, input.courseSlug);
    const ids = [...new Set(input.userIds)];
    const people = tx
      .select({ id: users.id, service: users.service, postKind: users.postKind, adminGroup: users.adminGroup, organisationId: users.organisationId, lockedAt: users.lockedAt })
      .from(users)
      .where(inArray(users.id, ids))
      .all();
    const inScope = new Map(people.filter((p) => p.organisationId !== null && hr.hrOrganisationIds.includes(p.organisationId)).map((p) => [p.id, p]));
    const missing = ids.find((id) => !inScope.has(id));
    if (missing !== undefined) throw new AppError('person_not_found', 404, 'userIds');
    const results = ids.map((id): AssignmentResult => {
      const p = inScope.get(id)!;
      // a dismissed (or locked) person is not sent to training
      if (p.lockedAt) return { userId: id, result: 'refused', reason: 'person_inactive' };
      try {
        const { enrolment, created } = enrolPerson(tx, p, course, { source: 'hr', assignedBy: hr.id, dueDate: input.dueDate }, now);
        if (!created) tx.update(enrolments).set({ dueDate: input.dueDate, assignedBy: hr.id }).where(eq(enrolments.id, enrolment.id)).run();
        // Told once per enrolment and due date (a new due date is a new assignment to know about).
        notify(tx, {
          userId: id, kind: 'course_assigned', link: `courses/${course.slug}`, ref: `assigned:${enrolment.id}:${input.dueDate}`,
          params: { course: { ky: course.titleKy, ru: course.titleRu }, dueDate: { date: input.dueDate } },
        }, now);
        return { userId: id, result: created ? 'assigned' : 'updated', enrolmentId: enrolment.id };
      } catch (e) {
        if (e instanceof AppError) return { userId: id, result: 'refused', reason: e.code };
        throw e;
      }
    });
    const ofKind = (k: AssignmentResult['result']) => results.filter((r) => r.result === k).map((r) => r.userId);
    recordAudit(
      tx,
      {
        actorId: hr.id,
        action: 'hr.assigned',
        targetType: 'course',
        targetId: course.slug,
        details: { dueDate: input.dueDate, assigned: ofKind('assigned'), updated: ofKind('updated'), refused: ofKind('refused') },
        ip: hr.ip ?? null,
      },
      now,
    );
    return results;
  });
}

export type HrAssignment = {
  enrolmentId: number;
  userId: number;
  course: { slug: string; titleKy: string | null; titleRu: string | null };
  dueDate: string | null;
  status: Enrolment['status'];
  enrolledAt: Date;
  completedAt: Date | null;
  percent: number;
  /** active and past its due date */
  overdue: boolean;
};

/**
 * Courses HR assigned to these people (enrolments with source hr), with each one's progress:
 * overdue first, then by due date. `today` is YYYY-MM-DD.
 */
export function hrAssignments(db: DB, userIds: number[], today: string, filter: { courseSlug?: string } = {}): HrAssignment[] {
  if (userIds.length === 0) return [];
  const rows: { e: Enrolment; slug: string; titleKy: string | null; titleRu: string | null }[] = [];
  for (let i = 0; i < userIds.length; i += 5000) {
    rows.push(
      ...db
        .select({ e: enrolments, slug: courses.slug, titleKy: courses.titleKy, titleRu: courses.titleRu })
        .from(enrolments)
        .innerJoin(courses, eq(courses.id, enrolments.courseId))
        .where(and(inArray(enrolments.userId, userIds.slice(i, i + 5000)), eq(enrolments.source, 'hr'), filter.courseSlug ? eq(courses.slug, filter.courseSlug) : undefined))
        .all(),
    );
  }
  return rows
    .map(({ e, slug, titleKy, titleRu }): HrAssignment => ({
      enrolmentId: e.id,
      userId: e.userId,
      course: { slug, titleKy, titleRu },
      dueDate: e.dueDate,
      status: e.status,
      enrolledAt: e.enrolledAt,
      completedAt: e.completedAt,
      percent: e.status === 'completed' ? 100 : e.status === 'active' ? enrolmentProgress(db, e).percent : 0,
      overdue: e.status === 'active' && e.dueDate !== null && e.dueDate < today,
    }))
    .sort((a, b) => Number(b.overdue) - Number(a.overdue) || (a.dueDate ?? '9').localeCompare(b.dueDate ?? '9') || a.enrolmentId - b.enrolmentId);
}

/**
 * Withdraws an active enrolment. Learners withdraw what they enrolled in themselves; an assignment
 * by HR is withdrawn by HR of the person's organisation. Progress is kept for a later return.
 */
export function withdraw(db: DB, actor: { id: number; roles: string[]; hrOrganisationIds: number[] }, enrolmentId: number, now = new Date()): Enrolment {
  return db.transaction((tx) => {
    const row = tx
      .select({ enrolment: enrolments, organisationId: users.organisationId })
      .from(enrolments)
      .innerJoin(users, eq(users.id, enrolments.userId))
      .where(eq(enrolments.id, enrolmentId))
      .get();
    const isOwner = row?.enrolment.userId === actor.id;
    const isHr = row !== undefined && actor.roles.includes('hr') && row.organisationId !== null && actor.hrOrganisationIds.includes(row.organisationId);
    if (!row || (!isOwner && !isHr)) throw new AppError('enrolment_not_found', 404);
    if (row.enrolment.status !== 'active') throw new AppError('enrolment_not_active', 409);
    if (!isHr && row.enrolment.source !== 'self') throw new AppError('withdrawal_by_hr_only', 403);
    return tx.update(enrolments).set({ status: 'withdrawn', withdrawnAt: now }).where(eq(enrolments.id, enrolmentId)).returning().get();
  });
}

// ---------------------------------------------------------------------------------------------
// Progress
// ---------------------------------------------------------------------------------------------

export type LessonState = {
  lessonId: number;
  slug: string;
  viewed: boolean;
  watchedFraction: number | null;
  positionSeconds: number;
  seq: number;
  /**
   * The learner had finished this lesson, but its content changed in a newer version: when the
   * current content was published (the learner is told "updated on …, read it again"; nothing of
   * their earlier progress is deleted). Absent otherwise.
   */
  updatedAt?: Date;
};
export type ModuleProgress = { position: number; titleKy: string | null; titleRu: string | null; lessons: (LessonOutline & LessonState)[]; viewed: number; total: number };
export type LessonOutline = Pick<Lesson, 'id' | 'slug' | 'position' | 'kind' | 'minutes' | 'titleKy' | 'titleRu' | 'contentHash'> & { hasVideo: boolean };
export type EnrolmentProgress = {
  modules: ModuleProgress[];
  viewed: number;
  total: number;
  percent: number;
  completion: CompletionState;
  rule: CompletionRule;
  /** the lesson to continue with: the last opened unless viewed, else the first not viewed */
  nextLessonId: number | null;
};

/** Progress rows are keyed by lesson slug and content hash, so unchanged lessons keep theirs in a new version. */
const progressKey = (slug: string, contentHash: string | null) => `${slug}\u0000${contentHash}`;

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
function hot(db: DB): ReturnType<typeof prepareHot> {
  return prepared(db, prepareHot);
}

/** Every requirement of the version's rule for this enrolment, given its viewed lessons. */
function completionOf(db: DB, enrolment: Enrolment, rule: CompletionRule, viewed: number, total: number): CompletionState {
  return completionState(rule, {
    lessonsViewed: viewed,
    lessonsTotal: total,
    quizzes: quizOutcomes(db, enrolment),
    feedbackGiven: hook('feedbackGiven')(db, enrolment.id),
  });
}

const percentOf = (viewed: number, total: number) => (total ? Math.floor((viewed * 100) / total) : 0);

/** Progress of an enrolment in its version: per lesson, per module, per course, and the completion state. */
export function enrolmentProgress(db: DB, enrolment: Enrolment): EnrolmentProgress {
  const version = courseVersion(db, enrolment.versionId)!;
  const outline = versionOutline(db, enrolment.versionId);
  const rows = db.select().from(lessonProgress).where(eq(lessonProgress.enrolmentId, enrolment.id)).all();
  const byKey = new Map(rows.map((r) => [progressKey(r.lessonSlug, r.contentHash), r]));
  const updated = changedSinceViewed(db, enrolment, outline, rows);
  let viewed = 0;
  let total = 0;
  let firstUnviewed: number | null = null;
  let lastOpened: { id: number; viewed: boolean } | null = null;
  const modules = outline.map((m) => {
    const ls = m.lessons.map((l) => {
      const p = byKey.get(progressKey(l.slug, l.contentHash));
      const state: LessonState = {
        lessonId: l.id,
        slug: l.slug,
        viewed: Boolean(p?.viewedAt),
        watchedFraction: l.video ? watchedFraction(p?.watched ?? [], l.video.seconds) : null,
        positionSeconds: p?.positionSeconds ?? 0,
        seq: p?.seq ?? 0,
        ...(!p?.viewedAt && updated.has(l.slug) ? { updatedAt: updated.get(l.slug)! } : {}),
      };
      total++;
      if (state.viewed) viewed++;
      else firstUnviewed ??= l.id;
      if (l.id === enrolment.lastLessonId) lastOpened = { id: l.id, viewed: state.viewed };
      const { video, moduleId: _m, ...rest } = l;
      return { ...rest, hasVideo: Boolean(video), ...state };
    });
    return { position: m.position, titleKy: m.titleKy, titleRu: m.titleRu, lessons: ls, viewed: ls.filter((l) => l.viewed).length, total: ls.length };
  });
  const completion = completionOf(db, enrolment, version.completion, viewed, total);
  const opened = lastOpened as { id: number; viewed: boolean } | null;
  const nextLessonId = opened && !opened.viewed ? opened.id : firstUnviewed ?? outline[0]?.lessons[0]?.id ?? null;
  return { modules, viewed, total, percent: percentOf(viewed, total), completion, rule: version.completion, nextLessonId };
}

/**
 * Lessons of the enrolment's version the learner had viewed in an earlier content (same slug, other
 * content hash) but not in the current one, each with the day its current content was first
 * published in this course. Empty (and no query) when nothing the learner viewed has changed.
 */
function changedSinceViewed(db: DB, enrolment: Enrolment, outline: ReturnType<typeof versionOutline>, rows: (typeof lessonProgress.$inferSelect)[]): Map<string, Date> {
  const current = new Map(outline.flatMap((m) => m.lessons.map((l) => [l.slug, l.contentHash] as const)));
  const viewedNow = new Set(rows.filter((r) => r.viewedAt && current.get(r.lessonSlug) === r.contentHash).map((r) => r.lessonSlug));
  const changed = [...new Set(rows.filter((r) => r.viewedAt && current.has(r.lessonSlug) && current.get(r.lessonSlug) !== r.contentHash && !viewedNow.has(r.lessonSlug)).map((r) => r.lessonSlug))];
  const out = new Map<string, Date>();
  if (!changed.length) return out;
  const since = db
    .select({ slug: lessons.slug, contentHash: lessons.contentHash, at: sql<number>`min(${courseVersions.createdAt})` })
    .from(lessons)
    .innerJoin(courseModules, eq(courseModules.id, lessons.moduleId))
    .innerJoin(courseVersions, eq(courseVersions.id, courseModules.versionId))
    .where(and(eq(courseVersions.courseId, enrolment.courseId), inArray(lessons.slug, changed)))
    .groupBy(lessons.slug, lessons.contentHash)
    .all();
  for (const r of since) if (r.contentHash === current.get(r.slug)) out.set(r.slug, new Date(r.at));
  return out;
}

/** How many of its version's lessons an enrolment has viewed: the course totals of enrolmentProgress, from the viewed rows' keys only. */
function lessonsViewed(db: DB, enrolment: Enrolment): { viewed: number; total: number } {
  const keys = new Set((hot(db).viewedKeys.all(enrolment.id) as [string, string][]).map(([slug, hash]) => progressKey(slug, hash)));
  let viewed = 0;
  let total = 0;
  for (const m of versionOutline(db, enrolment.versionId)) {
    for (const l of m.lessons) {
      total++;
      if (keys.has(progressKey(l.slug, l.contentHash))) viewed++;
    }
  }
  return { viewed, total };
}

/** Marks an active enrolment completed when its rule is met; returns the enrolment as it now is, with its lesson counts. */
function settleCompletion(db: DB, enrolment: Enrolment, now: Date): { enrolment: Enrolment; viewed: number; total: number } {
  const { viewed, total } = lessonsViewed(db, enrolment);
  if (enrolment.status !== 'active') return { enrolment, viewed, total };
  const version = courseVersion(db, enrolment.versionId)!;
  // The lessons are the cheap part of the rule: while they are not met, the quizzes and feedback
  // cannot complete the course, so they are only read once the lessons are met.
  if (viewed >= lessonsRequired(version.completion, total) && completionOf(db, enrolment, version.completion, viewed, total).complete) {
    const updated = db
      .update(enrolments)
      .set({ status: 'completed', completedAt: now, hoursEarned: version.hours })
      .where(eq(enrolments.id, enrolment.id))
      .returning()
      .get();
    // The certificate is issued in the same transaction as the completion it certifies.
    issueCertificate(db, { userId: enrolment.userId, courseId: enrolment.courseId, sourceRef: sourceOf(enrolment.id), completedAt: now, hours: version.hours }, now);
    return { enrolment: updated, viewed, total };
  }
  return { enrolment, viewed, total };
}

/**
 * Re-checks the completion rule of the learner's active enrolment in a course, for events outside
 * this module that can complete it (a quiz passed, an essay graded, a question regraded).
 */
export function settleCourseCompletion(db: DB, userId: number, courseId: number, now = new Date()): void {
  const enrolment = activeEnrolment(db, userId, courseId);
  if (enrolment) settleCompletion(db, enrolment, now);
}

/** The learner's enrolment a lesson belongs to (active, else the latest completed), with the lesson in that enrolment's version. */
function enrolmentForLesson(db: DB, userId: number, lessonId: number): { enrolment: Enrolment; lesson: OutlineLesson } {
  const place = hot(db).lessonPlace.get({ lessonId });
  // every module importCourse writes belongs to a version
  if (!place?.versionId) throw new AppError('lesson_not_found', 404);
  const enrolment = enrolmentInCourse(db, userId, place.courseId);
  if (!enrolment) throw new AppError('not_enrolled', 403);
  const inVersion = (versionId: number, found: (l: OutlineLesson) => boolean) => versionOutline(db, versionId).flatMap((m) => m.lessons).find(found);
  const lesson = inVersion(place.versionId, (l) => l.id === lessonId)!;
  if (place.versionId === enrolment.versionId) return { enrolment, lesson };
  // The page was opened on an older version: the same lesson, unchanged, in the enrolment's version.
  const same = inVersion(enrolment.versionId, (l) => l.slug === lesson.slug);
  if (!same || same.contentHash !== lesson.contentHash) throw new AppError('lesson_changed', 409);
  return { enrolment, lesson: same };
}

export type ProgressInput = {
  /** increases with every save from a page; a save with a lower seq than the stored one does not move the position back */
  seq: number;
  positionSeconds?: number;
  /** stretches of the video actually played, in seconds */
  ranges?: Range[];
  /** a text lesson read to its end */
  read?: boolean;
  /**
   * The learner says they watched the whole video: the page without the player (JavaScript off)
   * cannot report stretches. It counts as the whole video played, but no more than could have been
   * played since the lesson was first opened, by the same bound as reported stretches.
   */
  watchedToEnd?: boolean;
};

export type ProgressResult = { lesson: LessonState; course: { enrolmentId: number; status: Enrolment['status']; viewed: number; total: number; percent: number; completedAt: Date | null } };

/**
 * Records viewing progress of a lesson. Idempotent and ordered: ranges merge (order and repeats do
 * not matter), the resume position only moves with a higher `seq`, and "viewed" never goes back.
 */
export function saveProgress(db: DB, userId: number, lessonId: number, input: ProgressInput, now = new Date()): ProgressResult {
  return db.transaction((tx) => {
    const { enrolment, lesson } = enrolmentForLesson(tx, userId, lessonId);
    const contentHash = lesson.contentHash ?? '';
    const statements = hot(tx);
    const existing = statements.progressRow.get({ enrolmentId: enrolment.id, slug: lesson.slug, contentHash });
    const duration = lesson.video?.seconds ?? 0;
    let watched: Range[] = existing?.watched ?? [];
    if (lesson.video && input.ranges?.length) {
      const elapsed = existing ? (now.getTime() - existing.updatedAt.getTime()) / 1000 : 0;
      watched = limitNewCoverage(watched, input.ranges, duration, elapsed);
    }
    if (lesson.video && input.watchedToEnd) {
      const sinceOpened = existing ? (now.getTime() - existing.createdAt.getTime()) / 1000 : 0;
      watched = limitNewCoverage(watched, [[0, duration]], duration, sinceOpened);
    }
    const newer = !existing || input.seq > existing.seq;
    const position =
      newer && input.positionSeconds !== undefined
        ? Math.max(0, lesson.video ? Math.min(input.positionSeconds, duration) : input.positionSeconds)
        : existing?.positionSeconds ?? 0;
    // A SCORM lesson is viewed when its package says completed (saveScormRuntime), never by a progress save.
    const viewedNow = lesson.scorm ? false : lesson.video ? watchedFraction(watched, duration) >= VIEWED_FRACTION : input.read === true;
    const viewedAt = existing?.viewedAt ?? (viewedNow ? now : null);
    const seq = Math.max(existing?.seq ?? 0, input.seq);
    if (existing) {
      statements.updateProgress.run(JSON.stringify(watched), position, seq, viewedAt?.getTime() ?? null, now.getTime(), existing.id);
    } else {
      const at = now.getTime();
      statements.insertProgress.run(enrolment.id, lesson.slug, contentHash, JSON.stringify(mergeRanges(watched, duration)), position, seq, viewedAt?.getTime() ?? null, at, at);
    }
    if (enrolment.status === 'active' && enrolment.lastLessonId !== lesson.id) statements.setLastLesson.run(lesson.id, enrolment.id);
    const settled = settleCompletion(tx, { ...enrolment, lastLessonId: lesson.id }, now);
    return {
      lesson: {
        lessonId: lesson.id,
        slug: lesson.slug,
        viewed: viewedAt !== null,
        watchedFraction: lesson.video ? watchedFraction(watched, duration) : null,
        positionSeconds: position,
        seq,
      },
      course: {
        enrolmentId: settled.enrolment.id,
        status: settled.enrolment.status,
        viewed: settled.viewed,
        total: settled.total,
        percent: percentOf(settled.viewed, settled.total),
        completedAt: settled.enrolment.completedAt,
      },
    };
  });
}

/**
 * Opening a lesson page: remembers it as the place to continue from and starts its progress row
 * (whose time bounds how much video the next save can claim).
 */
export function openLesson(db: DB, enrolment: Enrolment, lesson: Pick<Lesson, 'id' | 'slug' | 'contentHash'>, now = new Date()): void {
  db.transaction((tx) => {
    if (enrolment.status === 'active') tx.update(enrolments).set({ lastLessonId: lesson.id }).where(eq(enrolments.id, enrolment.id)).run();
    tx.insert(lessonProgress)
      .values({ enrolmentId: enrolment.id, lessonSlug: lesson.slug, contentHash: lesson.contentHash ?? '', watched: [], positionSeconds: 0, seq: 0, viewedAt: null, createdAt: now, updatedAt: now })
      .onConflictDoNothing()
      .run();
  });
}

// ---------------------------------------------------------------------------------------------
// SCORM lessons: runtime data committed by the package, acknowledged and idempotent like quiz answers
// ---------------------------------------------------------------------------------------------

export type ScormRuntimeInput = {
  /** increases with every commit from the runtime; a commit with a seq not above the stored one changes nothing */
  seq: number;
  /** the CMI data model as the runtime rendered it (scorm-again JSON) */
  cmi: Record<string, unknown>;
};
export type ScormRuntimeResult = ScormStatus & { seq: number; viewed: boolean; passed: boolean; course: { status: Enrolment['status']; completedAt: Date | null } };

/**
 * Saves a SCORM lesson's runtime data for the learner's enrolment. Ordered and idempotent: only a
 * higher `seq` replaces the stored data, so a repeated or late commit (a retry, the offline queue)
 * never overwrites newer data. Completion and passing are never taken back: the first commit saying
 * completed marks the lesson viewed, the first saying passed counts as the final test when the author
 * made it one. Then the course's completion rule is applied. The answer says what is stored.
 */
export function saveScormRuntime(db: DB, userId: number, lessonId: number, input: ScormRuntimeInput, now = new Date()): ScormRuntimeResult {
  if (JSON.stringify(input.cmi).length > SCORM_CMI_MAX_CHARS) throw new AppError('scorm_data_too_large', 413, 'cmi');
  return db.transaction((tx) => {
    const { enrolment, lesson } = enrolmentForLesson(tx, userId, lessonId);
    if (!lesson.scorm) throw new AppError('scorm_not_scorm_lesson', 422, 'id');
    const contentHash = lesson.contentHash ?? '';
    const key = and(eq(scormRuntime.enrolmentId, enrolment.id), eq(scormRuntime.lessonSlug, lesson.slug), eq(scormRuntime.contentHash, contentHash));
    let row = tx.select().from(scormRuntime).where(key).get();
    if (!row || input.seq > row.seq) {
      const status = scormStatus(lesson.scorm, input.cmi);
      const values = {
        seq: input.seq,
        cmi: input.cmi,
        completion: status.completion,
        success: status.success,
        score: status.score,
        completedAt: row?.completedAt ?? (status.completion === 'completed' ? now : null),
        passedAt: row?.passedAt ?? (status.success === 'passed' ? now : null),
        updatedAt: now,
      };
      row = row
        ? tx.update(scormRuntime).set(values).where(eq(scormRuntime.id, row.id)).returning().get()
        : tx.insert(scormRuntime).values({ ...values, enrolmentId: enrolment.id, userId, lessonSlug: lesson.slug, contentHash, createdAt: now }).returning().get();
    }
    if (enrolment.status === 'active' && enrolment.lastLessonId !== lesson.id) tx.update(enrolments).set({ lastLessonId: lesson.id }).where(eq(enrolments.id, enrolment.id)).run();
    if (row!.completedAt) {
      const progressKeyOf = and(eq(lessonProgress.enrolmentId, enrolment.id), eq(lessonProgress.lessonSlug, lesson.slug), eq(lessonProgress.contentHash, contentHash));
      const progress = tx.select().from(lessonProgress).where(progressKeyOf).get();
      if (!progress) tx.insert(lessonProgress).values({ enrolmentId: enrolment.id, lessonSlug: lesson.slug, contentHash, watched: [], positionSeconds: 0, seq: 0, viewedAt: now, createdAt: now, updatedAt: now }).run();
      else if (!progress.viewedAt) tx.update(lessonProgress).set({ viewedAt: now, updatedAt: now }).where(eq(lessonProgress.id, progress.id)).run();
    }
    const settled = settleCompletion(tx, { ...enrolment, lastLessonId: lesson.id }, now);
    const r = row!;
    return {
      seq: r.seq,
      completion: r.completion as ScormStatus['completion'],
      success: r.success as ScormStatus['success'],
      score: r.score,
      viewed: r.completedAt !== null,
      passed: r.passedAt !== null,
      course: { status: settled.enrolment.status, completedAt: settled.enrolment.completedAt },
    };
  });
}

/** The learner's stored runtime data of a SCORM lesson (their enrolment only), or null before the first commit. */
export function scormRuntimeFor(db: DB, userId: number, lessonId: number): { lesson: OutlineLesson; row: typeof scormRuntime.$inferSelect | null } {
  const { enrolment, lesson } = enrolmentForLesson(db, userId, lessonId);
  if (!lesson.scorm) throw new AppError('scorm_not_scorm_lesson', 422, 'id');
  const row = db
    .select()
    .from(scormRuntime)
    .where(and(eq(scormRuntime.enrolmentId, enrolment.id), eq(scormRuntime.lessonSlug, lesson.slug), eq(scormRuntime.contentHash, lesson.contentHash ?? '')))
    .get();
  return { lesson, row: row ?? null };
}

/** What the runtime of a SCORM lesson starts from for this learner (the scormStartState hook), or null when they may not launch it. */
export function scormStartState(db: DB, userId: number, lessonId: number): { seq: number; cmi: Record<string, unknown>; learner: { id: string; name: string } } | null {
  let found: ReturnType<typeof scormRuntimeFor>;
  try {
    found = scormRuntimeFor(db, userId, lessonId);
  } catch (e) {
    if (e instanceof AppError) return null;
    throw e;
  }
  const person = db.select({ fullName: users.fullName }).from(users).where(eq(users.id, userId)).get();
  return { seq: found.row?.seq ?? 0, cmi: scormRestore(found.lesson.scorm!.version, found.row?.cmi ?? null), learner: { id: String(userId), name: person?.fullName ?? '' } };
}

/** Launches a SCORM lesson for the enrolled learner: a token for the package's files (server/modules/scorm/launch.ts). */
export function launchScormLesson(db: DB, userId: number, lessonId: number, parentOrigin: string, now = new Date()): { token: string; url: string; sandboxed: boolean } {
  const { lesson } = enrolmentForLesson(db, userId, lessonId);
  if (!lesson.scorm) throw new AppError('scorm_not_scorm_lesson', 422, 'id');
  return createLaunch(db, { packageSha256: lesson.scorm.package, href: lesson.scorm.href, userId, lessonId: lesson.id, parentOrigin }, now);
}

// ---------------------------------------------------------------------------------------------
// What the learner sees
// ---------------------------------------------------------------------------------------------

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

/** The learner's current (or latest completed) enrolment in a course, for the course page. */
export function enrolmentInCourse(db: DB, userId: number, courseId: number): Enrolment | undefined {
  return hot(db).enrolmentInCourse.get({ userId, courseId });
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

// ---------------------------------------------------------------------------------------------
// New course versions
// ---------------------------------------------------------------------------------------------

/**
 * When a changed package is imported, active enrolments move to the new version. Progress rows are
 * keyed by lesson slug and content hash, so unchanged lessons keep their progress and changed ones
 * start again. Completed enrolments stay on the version they completed.
 */
export function moveActiveEnrolments(db: DB, courseId: number, versionId: number, now = new Date()): void {
  const active = db.select().from(enrolments).where(and(eq(enrolments.courseId, courseId), eq(enrolments.status, 'active'))).all();
  if (active.length === 0) return;
  const newLessons = db
    .select({ id: lessons.id, slug: lessons.slug })
    .from(lessons)
    .innerJoin(courseModules, eq(courseModules.id, lessons.moduleId))
    .where(eq(courseModules.versionId, versionId))
    .all();
  const bySlug = new Map(newLessons.map((l) => [l.slug, l.id]));
  for (const e of active) {
    const lastSlug = e.lastLessonId ? db.select({ slug: lessons.slug }).from(lessons).where(eq(lessons.id, e.lastLessonId)).get()?.slug : undefined;
    const moved = db
      .update(enrolments)
      .set({ versionId, lastLessonId: lastSlug ? bySlug.get(lastSlug) ?? null : null })
      .where(eq(enrolments.id, e.id))
      .returning()
      .get();
    settleCompletion(db, moved, now);
  }
}

/**
 * Active HR assignments with a due date on or before `until` (YYYY-MM-DD), not completed, of people
 * who can sign in: what the reminder run tells servants about (due soon, overdue).
 */
export function assignmentsDueBy(db: DB, until: string): { enrolmentId: number; userId: number; dueDate: string; slug: string; titleKy: string | null; titleRu: string | null }[] {
  return db
    .select({ enrolmentId: enrolments.id, userId: enrolments.userId, dueDate: enrolments.dueDate, slug: courses.slug, titleKy: courses.titleKy, titleRu: courses.titleRu })
    .from(enrolments)
    .innerJoin(courses, eq(courses.id, enrolments.courseId))
    .innerJoin(users, eq(users.id, enrolments.userId))
    .where(and(eq(enrolments.status, 'active'), sql`${enrolments.dueDate} IS NOT NULL AND ${enrolments.dueDate} <= ${until}`, sql`${users.passwordHash} IS NOT NULL AND ${users.lockedAt} IS NULL`))
    .all()
    .map((r) => ({ ...r, dueDate: r.dueDate! }));
}

// What the modules below ask of learning (server/lib/hooks.ts).
provide('currentEnrolment', enrolmentInCourse);
provide('scormStartState', scormStartState);
provide('settleCourseCompletion', settleCourseCompletion);
provide('courseVersionCreated', moveActiveEnrolments);
