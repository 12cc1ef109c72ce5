/** Which servants an HR assignment goes to, and the assignments of the officer's staff with progress. */
import type { DB } from '@db/client';
import type { AdminGroup, PostKind, Service } from '@db/domain';
import { AppError } from '@server/lib/errors';
import { bishkekDay } from '@server/lib/time';
import { assignByHr, checkDueDate, hrAssignments, type AssignmentResult, type HrAssignment } from '../learning/service';
import type { ObligationStatus } from '../obligation/service';
import { activeStaffWithStatus, filterStaff } from './compliance';
import { namesInScope, type HrActor } from './staff';

export type AssignmentSelection = { organisationId?: number; postKind?: PostKind; adminGroup?: AdminGroup; service?: Service; status?: ObligationStatus };
export const MAX_ASSIGNMENT_PEOPLE = 5000;

/**
 * The active servants a group assignment reaches: everyone of the officer's organisations, narrowed
 * by sub-unit (with its sub-units), post kind, group, service or obligation status.
 */
export function selectForAssignment(db: DB, actor: HrActor, sel: AssignmentSelection, now = new Date()): number[] {
  if (sel.organisationId !== undefined && !actor.hrOrganisationIds.includes(sel.organisationId)) throw new AppError('organisation_not_found', 404, 'select.organisationId');
  const staff = activeStaffWithStatus(db, actor.hrOrganisationIds, now);
  const chosen = filterStaff(db, actor.hrOrganisationIds, staff, { unitId: sel.organisationId, postKind: sel.postKind, adminGroup: sel.adminGroup, service: sel.service, status: sel.status });
  if (chosen.length === 0) throw new AppError('assignment_nobody', 409, 'select');
  if (chosen.length > MAX_ASSIGNMENT_PEOPLE) throw new AppError('assignment_too_many', 409, 'select');
  return chosen.map((s) => s.id);
}

/**
 * The one command behind the API and the pages: assign a course with a due date to named people
 * (`userIds`) or to a group (`select`), exactly one of the two.
 */
export function assignCourse(
  db: DB,
  actor: HrActor & { ip?: string | null },
  input: { courseSlug: string; dueDate: string; userIds?: number[]; select?: AssignmentSelection },
  now = new Date(),
): AssignmentResult[] {
  checkDueDate(input.dueDate, now);
  if ((input.userIds === undefined) === (input.select === undefined)) throw new AppError('invalid_input', 400, 'userIds');
  const userIds = input.userIds ?? selectForAssignment(db, actor, input.select!, now);
  return assignByHr(db, actor, { courseSlug: input.courseSlug, dueDate: input.dueDate, userIds }, now);
}

export type AssignmentListRow = HrAssignment & { fullName: string };

/** Assignments HR made to the officer's staff, with each person's progress; overdue first. */
export function assignmentsInScope(db: DB, actor: HrActor, filter: { courseSlug?: string; state?: 'overdue' | 'active' | 'completed' } = {}, now = new Date()): AssignmentListRow[] {
  const names = namesInScope(db, actor);
  return hrAssignments(db, [...names.keys()], bishkekDay(now), { courseSlug: filter.courseSlug })
    .filter((a) => (filter.state === 'overdue' ? a.overdue : filter.state ? a.status === filter.state : a.status !== 'withdrawn'))
    .map((a) => ({ ...a, fullName: names.get(a.userId) ?? '' }));
}
