/** Eligibility and enrolment: who may take a course, self-enrolment, HR assignment and withdrawal. */
import { and, desc, eq, inArray } from 'drizzle-orm';
import { publishedCourseWithVersion } from '../catalog/service';
import { revokedSources } from '../certificates/service';
import { notify } from '../notifications/service';
import { recordAudit } from '../audit/service';
import { type DB } from '@db/client';
import { courses, courseVersions, enrolments, users } from '@db/schema';
import type { EnrolmentSource } from '@db/schema/learning';
import { AppError } from '@server/lib/errors';
import { bishkekDay } from '@server/lib/time';
import { enrolmentProgress } from './progress';
import { activeEnrolment, type Enrolment, hot, periodStart, sourceOf } from './reads';

type Version = typeof courseVersions.$inferSelect;

type Person = Pick<typeof users.$inferSelect, 'id' | 'service' | 'postKind' | 'adminGroup' | 'organisationId'>;
export type CourseRow = typeof courses.$inferSelect;

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

export function publishedCourse(db: DB, slug: string): CourseRow & { version: Version } {
  const course = publishedCourseWithVersion(db, slug);
  if (!course) throw new AppError('course_not_found', 404);
  return course;
}

export function person(db: DB, userId: number): Person {
  const p = hot(db).person.get({ userId });
  if (!p) throw new AppError('person_not_found', 404);
  return p;
}


/**
 * A completion of this course inside the current obligation period that still stands, if any. A
 * completion whose certificate was revoked does not count: the servant may enrol again and earn a new
 * one (the revoked enrolment stays, completed, as history).
 */
export function recentCompletion(db: DB, userId: number, courseId: number, now: Date): Enrolment | undefined {
  const rows = hot(db).recentCompletions.all({ userId, courseId, since: periodStart(db, now).getTime() });
  if (rows.length === 0) return undefined;
  const revoked = revokedSources(db, rows.map((e) => sourceOf(e.id)));
  return rows.find((e) => !revoked.has(sourceOf(e.id)));
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
