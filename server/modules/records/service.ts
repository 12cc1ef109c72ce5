import { and, asc, desc, eq, gte, inArray, isNull, lte, sql } from 'drizzle-orm';
import type { DB } from '@db/client';
import { certificates, courses, outsideTrainings, users } from '@db/schema';
import { AppError } from '@server/lib/errors';
import { removeScan } from '@server/lib/uploads';
import { bishkekDay } from '@server/lib/time';
import { type SessionUser } from '@server/lib/session';
import { recordAudit } from '../audit/service';
import { obligationStatus, qualifyingTrainingsOf } from '../obligation/service';
import { currentPolicy } from '../policy/service';
import { enqueue } from '../outbox/service';
import { notify } from '../notifications/service';

export type OutsideTraining = typeof outsideTrainings.$inferSelect;
export type OutsideTrainingInput = Pick<
  OutsideTraining,
  'kind' | 'term' | 'funding' | 'title' | 'provider' | 'hours' | 'startDate' | 'endDate' | 'orderNumber' | 'orderDate'
> & { scan?: { file: string; type: string; name: string } | null };

/** One line of a servant's training record, from the platform or from outside. */
export type RecordEntry = {
  source: 'platform' | 'outside';
  id: number;
  title: { ky: string | null; ru: string | null };
  provider: { ky: string | null; ru: string | null };
  hours: number;
  /** the day the training ended (YYYY-MM-DD) */
  completedOn: string;
  startedOn: string | null;
  kind: OutsideTraining['kind'] | 'platform_course';
  term: OutsideTraining['term'] | null;
  funding: OutsideTraining['funding'] | null;
  orderNumber: string | null;
  orderDate: string | null;
  status: 'verified' | 'pending' | 'rejected' | 'revoked';
  rejectReason: string | null;
  /** the day (Bishkek, YYYY-MM-DD) a platform certificate was revoked */
  revokedOn: string | null;
  /** only verified outside trainings and valid platform certificates count toward the obligation */
  counts: boolean;
  certificateCode: string | null;
  hasScan: boolean;
};

/** Whether this user is an HR officer over the person's organisation. */
function hrCovers(db: DB, hr: SessionUser, userId: number): boolean {
  if (!hr.roles.includes('hr')) return false;
  const person = db.select({ organisationId: users.organisationId }).from(users).where(eq(users.id, userId)).get();
  return !!person?.organisationId && hr.hrOrganisationIds.includes(person.organisationId);
}

function checkDates(input: Pick<OutsideTraining, 'startDate' | 'endDate' | 'orderDate'>, today: string): void {
  if (input.endDate < input.startDate) throw new AppError('end_before_start', 400, 'endDate');
  if (input.endDate > today) throw new AppError('date_in_future', 400, 'endDate');
  if (input.orderDate && input.orderDate > today) throw new AppError('date_in_future', 400, 'orderDate');
}

/**
 * Adds an outside training for oneself or, as HR, for a servant of one's organisations. It waits for
 * an HR officer's verification before it counts; an HR officer cannot verify their own entry.
 */
/**
 * Adds an outside training. The scan, already saved by the caller, is removed again when the training
 * is refused, so a refused form never leaves a file behind.
 */
export function addOutsideTraining(db: DB, actor: SessionUser, userId: number, input: OutsideTrainingInput, now = new Date()): OutsideTraining {
  const { scan, ...fields } = input;
  try {
    // "not found" rather than "forbidden": an officer learns nothing about people outside their bodies.
    if (actor.id !== userId && !hrCovers(db, actor, userId)) throw new AppError('person_not_found', 404);
    checkDates(input, bishkekDay(now));
    return db
      .insert(outsideTrainings)
      .values({
        ...fields,
        userId,
        scanFile: scan?.file ?? null,
        scanType: scan?.type ?? null,
        scanName: scan?.name ?? null,
        status: 'pending',
        createdBy: actor.id,
        createdAt: now,
      })
      .returning()
      .get();
  } catch (err) {
    if (scan) removeScan(scan.file);
    throw err;
  }
}

/** HR's decision on an outside training of one of its servants: verified, or rejected with a reason. */
export function reviewOutsideTraining(
  db: DB,
  hr: SessionUser,
  id: number,
  decision: { status: 'verified' | 'rejected'; reason?: string },
  ip: string | null = null,
  now = new Date(),
): OutsideTraining {
  const entry = db.select().from(outsideTrainings).where(eq(outsideTrainings.id, id)).get();
  if (!entry || !hrCovers(db, hr, entry.userId)) throw new AppError('record_not_found', 404);
  if (entry.userId === hr.id) throw new AppError('cannot_review_own_record', 403);
  if (decision.status === 'rejected' && !decision.reason?.trim()) throw new AppError('reason_required', 400, 'reason');
  return db.transaction((tx) => {
    const updated = tx
      .update(outsideTrainings)
      .set({
        status: decision.status,
        rejectReason: decision.status === 'rejected' ? decision.reason!.trim() : null,
        reviewedBy: hr.id,
        reviewedAt: now,
      })
      .where(eq(outsideTrainings.id, id))
      .returning()
      .get();
    const decided = recordAudit(tx, { actorId: hr.id, action: `record.${decision.status}`, targetType: 'outside_training', targetId: id, details: { userId: entry.userId, reason: updated.rejectReason }, ip }, now);
    const servant = tx.select({ email: users.email, fullName: users.fullName, organisationId: users.organisationId }).from(users).where(eq(users.id, entry.userId)).get();
    enqueue(
      tx,
      decision.status === 'verified' ? 'outside_training.verified' : 'outside_training.rejected',
      {
        outsideTrainingId: updated.id,
        servant: { id: updated.userId, email: servant?.email ?? null, name: servant?.fullName ?? null },
        organisationId: servant?.organisationId ?? null,
        kind: updated.kind,
        term: updated.term,
        funding: updated.funding,
        title: updated.title,
        provider: updated.provider,
        hours: updated.hours,
        startDate: updated.startDate,
        endDate: updated.endDate,
        orderNumber: updated.orderNumber,
        orderDate: updated.orderDate,
        status: updated.status,
        reason: updated.rejectReason,
        reviewedBy: hr.id,
        reviewedOn: now.toISOString(),
      },
      now,
    );
    notify(tx, {
      userId: updated.userId, kind: decision.status === 'verified' ? 'outside_training_verified' : 'outside_training_rejected', link: 'my/record',
      ref: `outside:${updated.id}:${decision.status}:${decided}`, // each decision its own notice (its audit entry)
      params: { title: updated.title, hours: updated.hours, reason: updated.rejectReason ?? '' },
    }, now);
    return updated;
  });
}

/** An outside training the viewer may see (its servant, or HR over the servant), e.g. to open its scan. */
export function outsideTrainingFor(db: DB, viewer: SessionUser, id: number): OutsideTraining {
  const entry = db.select().from(outsideTrainings).where(eq(outsideTrainings.id, id)).get();
  if (!entry || (entry.userId !== viewer.id && !hrCovers(db, viewer, entry.userId))) throw new AppError('record_not_found', 404);
  return entry;
}

/** Outside trainings waiting for (or given) a decision in the HR officer's organisations. */
export function listForReview(db: DB, hr: SessionUser, status: OutsideTraining['status'] = 'pending') {
  if (!hr.hrOrganisationIds.length) return [];
  return db
    .select({ entry: outsideTrainings, person: { id: users.id, fullName: users.fullName, organisationId: users.organisationId } })
    .from(outsideTrainings)
    .innerJoin(users, eq(users.id, outsideTrainings.userId))
    .where(and(eq(outsideTrainings.status, status), inArray(users.organisationId, hr.hrOrganisationIds)))
    .orderBy(asc(outsideTrainings.createdAt))
    .all();
}

/**
 * The whole training record of a person, newest first: every platform completion (through its
 * certificate) and every outside training, with whether it counts toward the obligation.
 */
export function trainingRecord(db: DB, userId: number): RecordEntry[] {
  const platform = db
    .select({ cert: certificates, courseSlug: courses.slug })
    .from(certificates)
    .innerJoin(courses, eq(courses.id, certificates.courseId))
    .where(eq(certificates.userId, userId))
    .all()
    .map(({ cert }): RecordEntry => ({
      source: 'platform',
      id: cert.id,
      title: { ky: cert.courseTitleKy, ru: cert.courseTitleRu },
      provider: { ky: cert.issuerKy, ru: cert.issuerRu },
      hours: cert.hours,
      completedOn: cert.completedOn,
      startedOn: null,
      kind: 'platform_course',
      term: null,
      funding: null,
      orderNumber: null,
      orderDate: null,
      status: cert.revokedAt ? 'revoked' : 'verified',
      rejectReason: null,
      revokedOn: cert.revokedAt ? bishkekDay(cert.revokedAt) : null,
      counts: !cert.revokedAt,
      certificateCode: cert.code,
      hasScan: false,
    }));
  const outside = db
    .select()
    .from(outsideTrainings)
    .where(eq(outsideTrainings.userId, userId))
    .orderBy(desc(outsideTrainings.endDate))
    .all()
    .map((o): RecordEntry => ({
      source: 'outside',
      id: o.id,
      title: { ky: o.title, ru: o.title },
      provider: { ky: o.provider, ru: o.provider },
      hours: o.hours,
      completedOn: o.endDate,
      startedOn: o.startDate,
      kind: o.kind,
      term: o.term,
      funding: o.funding,
      orderNumber: o.orderNumber,
      orderDate: o.orderDate,
      status: o.status,
      rejectReason: o.rejectReason,
      revokedOn: null,
      counts: o.status === 'verified',
      certificateCode: null,
      hasScan: !!o.scanFile,
    }));
  return [...platform, ...outside].sort((a, b) => b.completedOn.localeCompare(a.completedOn));
}

/** The trainings that count toward the obligation, for the obligation's status: day and hours. */
export function qualifyingTrainings(db: DB, userId: number): { completedOn: string; hours: number }[] {
  return qualifyingTrainingsOf(db, [userId]).map(({ date, hours }) => ({ completedOn: date, hours }));
}

/**
 * A servant's standing under the policy in force: compliant until a date, due soon, overdue, or
 * unknown (no appointment date and no training), counted from the last qualifying training or,
 * for those never trained, from the appointment date.
 */
export function myObligation(db: DB, userId: number, now = new Date()) {
  const person = db.select({ appointmentDate: users.appointmentDate, service: users.service }).from(users).where(eq(users.id, userId)).get();
  const policy = currentPolicy(db);
  const trainings = qualifyingTrainingsOf(db, [userId]);
  return {
    applies: !!person?.service,
    periodYears: policy.periodYears,
    minHours: policy.minHours,
    ...obligationStatus({ appointmentDate: person?.appointmentDate ?? null }, trainings, policy, bishkekDay(now)),
  };
}

/** One training that counts, with what reports group it by (see qualifyingTrainingDetailsIn). */
export type QualifyingTrainingDetail = {
  userId: number;
  source: 'platform' | 'outside';
  /** certificate id or outside-training id */
  id: number;
  /** the catalog course of a platform completion; null for outside trainings */
  courseId: number | null;
  titleKy: string | null;
  titleRu: string | null;
  kind: OutsideTraining['kind'] | 'platform_course';
  term: OutsideTraining['term'] | null;
  funding: OutsideTraining['funding'] | null;
  hours: number;
  /** the day it was completed: the certificate's day, or the outside training's end date (YYYY-MM-DD) */
  date: string;
};

/**
 * The trainings that count (valid certificates, verified outside trainings — as qualifyingTrainingsOf)
 * of everyone whose organisation is one of these, with course, kind, term and funding: what the HR
 * plan and reports group by. `from`/`to` bound the date (inclusive, YYYY-MM-DD). Selected by
 * organisation with a join, so 60,000 people cost one query per table, not one per chunk of ids.
 */
export function qualifyingTrainingDetailsIn(db: DB, organisationIds: number[], range: { from: string; to: string }): QualifyingTrainingDetail[] {
  const out: QualifyingTrainingDetail[] = [];
  for (let i = 0; i < organisationIds.length; i += 5000) {
    const chunk = organisationIds.slice(i, i + 5000);
    for (const c of db
      .select({ userId: certificates.userId, id: certificates.id, courseId: certificates.courseId, titleKy: certificates.courseTitleKy, titleRu: certificates.courseTitleRu, hours: certificates.hours, date: certificates.completedOn })
      .from(certificates)
      .innerJoin(users, eq(users.id, certificates.userId))
      .where(and(inArray(users.organisationId, chunk), isNull(certificates.revokedAt), gte(certificates.completedOn, range.from), lte(certificates.completedOn, range.to)))
      .all())
      out.push({ ...c, source: 'platform', kind: 'platform_course', term: null, funding: null });
    for (const o of db
      .select({ userId: outsideTrainings.userId, id: outsideTrainings.id, title: outsideTrainings.title, kind: outsideTrainings.kind, term: outsideTrainings.term, funding: outsideTrainings.funding, hours: outsideTrainings.hours, date: outsideTrainings.endDate })
      .from(outsideTrainings)
      .innerJoin(users, eq(users.id, outsideTrainings.userId))
      .where(and(inArray(users.organisationId, chunk), eq(outsideTrainings.status, 'verified'), gte(outsideTrainings.endDate, range.from), lte(outsideTrainings.endDate, range.to)))
      .all())
      out.push({ userId: o.userId, source: 'outside', id: o.id, courseId: null, titleKy: o.title, titleRu: o.title, kind: o.kind, term: o.term, funding: o.funding, hours: o.hours, date: o.date });
  }
  return out;
}

/** A servant's whole training record as their HR officer sees it; `person_not_found` outside the officer's organisations. */
export function recordForHr(db: DB, hr: SessionUser, userId: number): { person: { id: number; fullName: string; positionTitle: string | null }; entries: RecordEntry[] } {
  if (!hrCovers(db, hr, userId)) throw new AppError('person_not_found', 404);
  const person = db.select({ id: users.id, fullName: users.fullName, positionTitle: users.positionTitle }).from(users).where(eq(users.id, userId)).get()!;
  return { person, entries: trainingRecord(db, userId) };
}
