import { and, asc, eq } from 'drizzle-orm';
import type { DB } from '@db/client';
import { planLines } from '@db/schema';
import { AppError } from '@server/lib/errors';
import { type SessionUser } from '@server/lib/session';
import { recordAudit } from '../audit/service';
import { courseBrief } from '../catalog/service';
import { getOrganisations, subtreeIds, type Organisation } from '../organisations/service';
import { qualifyingTrainingDetailsIn, type QualifyingTrainingDetail } from '../records/service';
import type { PlanLineInputT } from './schemas';

export type PlanLine = typeof planLines.$inferSelect;

/**
 * The organisations an HR officer works on: with `orgId`, that organisation and its sub-units (it must
 * be one of the officer's, else `organisation_not_found` — nothing is said about others' bodies);
 * without, all of the officer's organisations.
 */
export function hrScope(db: DB, hr: SessionUser, orgId?: number): { organisation: Organisation | null; ids: number[] } {
  if (!hr.roles.includes('hr')) throw new AppError('forbidden', 403);
  if (orgId === undefined) return { organisation: null, ids: [...hr.hrOrganisationIds] };
  if (!hr.hrOrganisationIds.includes(orgId)) throw new AppError('organisation_not_found', 404, 'org');
  const allowed = new Set(hr.hrOrganisationIds);
  return { organisation: getOrganisations(db, [orgId])[0]!, ids: subtreeIds(db, [orgId]).filter((id) => allowed.has(id)) };
}

/** The organisations an officer may choose from (their whole subtrees), as the officer's list. */
export function hrOrganisations(db: DB, hr: SessionUser): Organisation[] {
  const order = new Map(hr.hrOrganisationIds.map((id, i) => [id, i]));
  return getOrganisations(db, hr.hrOrganisationIds).sort((a, b) => order.get(a.id)! - order.get(b.id)!);
}

/** 1–4 for a YYYY-MM-DD day. */
export function quarterOf(day: string): number {
  return Math.floor((Number(day.slice(5, 7)) - 1) / 3) + 1;
}

function lineMatches(line: PlanLine, t: QualifyingTrainingDetail): boolean {
  if (quarterOf(t.date) !== line.quarter) return false;
  if (line.courseId !== null) return t.source === 'platform' && t.courseId === line.courseId;
  return t.source === 'outside' && t.kind === line.kind && t.term === line.term;
}

/**
 * The plan of one organisation for a year with plan versus actual. Actual for a line: how many
 * different people of the organisation (and its sub-units) completed, in that quarter of that year,
 * the line's course with a valid certificate — or, for a topic line, an HR-verified outside training
 * of the line's kind and term. Revoked certificates, pending and rejected entries never count.
 */
export function planFor(db: DB, hr: SessionUser, orgId: number, year: number) {
  const { organisation, ids } = hrScope(db, hr, orgId);
  const lines = db
    .select()
    .from(planLines)
    .where(and(eq(planLines.organisationId, orgId), eq(planLines.year, year)))
    .orderBy(asc(planLines.quarter), asc(planLines.id))
    .all();
  const trainings = lines.length ? qualifyingTrainingDetailsIn(db, ids, { from: `${year}-01-01`, to: `${year}-12-31` }) : [];
  const out = lines.map((line) => {
    const course = line.courseId !== null ? courseBrief(db, line.courseId) ?? null : null;
    const actual = new Set(trainings.filter((t) => lineMatches(line, t)).map((t) => t.userId)).size;
    return {
      id: line.id,
      organisationId: line.organisationId,
      year: line.year,
      quarter: line.quarter,
      type: line.courseId !== null ? ('course' as const) : ('topic' as const),
      course: course ? { id: course.id, slug: course.slug, titleKy: course.titleKy, titleRu: course.titleRu } : null,
      topicKy: line.topicKy,
      topicRu: line.topicRu,
      kind: line.kind,
      term: line.term,
      people: line.people,
      actual,
    };
  });
  const quarters = [1, 2, 3, 4].map((q) => {
    const inQ = out.filter((l) => l.quarter === q);
    return { quarter: q, planned: inQ.reduce((n, l) => n + l.people, 0), actual: inQ.reduce((n, l) => n + l.actual, 0) };
  });
  return { organisation: { id: organisation!.id, nameKy: organisation!.nameKy, nameRu: organisation!.nameRu }, year, lines: out, quarters };
}

/** The stored fields of a line from validated input: one of course or topic, never both. */
function lineFields(db: DB, input: PlanLineInputT) {
  if (input.type === 'course') {
    if (!input.courseId) throw new AppError('course_required', 400, 'courseId');
    const course = courseBrief(db, input.courseId);
    if (!course || !course.published) throw new AppError('course_not_found', 400, 'courseId');
    return { courseId: course.id, topicKy: null, topicRu: null, kind: null, term: null };
  }
  if (!input.topicKy && !input.topicRu) throw new AppError('topic_required', 400, 'topicKy');
  if (!input.kind) throw new AppError('kind_required', 400, 'kind');
  if (!input.term) throw new AppError('term_required', 400, 'term');
  return { courseId: null, topicKy: input.topicKy ?? null, topicRu: input.topicRu ?? null, kind: input.kind, term: input.term };
}

function ownLine(db: DB, hr: SessionUser, id: number): PlanLine {
  const line = db.select().from(planLines).where(eq(planLines.id, id)).get();
  if (!line || !hr.roles.includes('hr') || !hr.hrOrganisationIds.includes(line.organisationId)) throw new AppError('plan_line_not_found', 404);
  return line;
}

/** A plan line of the officer's organisations, or `plan_line_not_found`. */
export function getPlanLine(db: DB, hr: SessionUser, id: number): PlanLine {
  return ownLine(db, hr, id);
}

export function addPlanLine(db: DB, hr: SessionUser, input: PlanLineInputT, ip: string | null = null, now = new Date()): PlanLine {
  hrScope(db, hr, input.organisationId);
  const fields = lineFields(db, input);
  return db.transaction((tx) => {
    const line = tx
      .insert(planLines)
      .values({ organisationId: input.organisationId, year: input.year, quarter: input.quarter, people: input.people, ...fields, createdBy: hr.id, createdAt: now, updatedBy: hr.id, updatedAt: now })
      .returning()
      .get();
    recordAudit(tx, { actorId: hr.id, action: 'plan.line_added', targetType: 'plan_line', targetId: line.id, details: { ...input }, ip }, now);
    return line;
  });
}

/** Changes a line; it may move to another of the officer's organisations or years. */
export function updatePlanLine(db: DB, hr: SessionUser, id: number, input: PlanLineInputT, ip: string | null = null, now = new Date()): PlanLine {
  const before = ownLine(db, hr, id);
  hrScope(db, hr, input.organisationId);
  const fields = lineFields(db, input);
  return db.transaction((tx) => {
    const line = tx
      .update(planLines)
      .set({ organisationId: input.organisationId, year: input.year, quarter: input.quarter, people: input.people, ...fields, updatedBy: hr.id, updatedAt: now })
      .where(eq(planLines.id, id))
      .returning()
      .get();
    const { createdAt: _c, updatedAt: _u, ...was } = before;
    recordAudit(tx, { actorId: hr.id, action: 'plan.line_changed', targetType: 'plan_line', targetId: id, details: { before: was, after: { ...input } }, ip }, now);
    return line;
  });
}

export function deletePlanLine(db: DB, hr: SessionUser, id: number, ip: string | null = null, now = new Date()): void {
  const before = ownLine(db, hr, id);
  db.transaction((tx) => {
    tx.delete(planLines).where(eq(planLines.id, id)).run();
    const { createdAt: _c, updatedAt: _u, ...was } = before;
    recordAudit(tx, { actorId: hr.id, action: 'plan.line_deleted', targetType: 'plan_line', targetId: id, details: { before: was }, ip }, now);
  });
}
