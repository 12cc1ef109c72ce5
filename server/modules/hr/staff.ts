/**
 * HR staff management: invitations, moving a servant between the officer's organisations, dismissal and reactivation.
 * Every action is scoped to `hrOrganisationIds` (whole subtrees) and written to the audit log in the
 * same transaction as the change. Importing from a file: staff-import.ts.
 */
import { and, eq, inArray, isNotNull, or } from 'drizzle-orm';
import type { DB } from '@db/client';
import { organisations, sessions, userRoles, users } from '@db/schema';
import { AppError } from '@server/lib/errors';
import { recordAudit } from '../audit/service';
import { createInvitation } from '../people/service';

export type HrActor = { id: number; hrOrganisationIds: number[]; ip?: string | null };

// ------------------------------------------------------------------------------------------------
// One servant: find, invite, move, dismiss, reactivate
// ------------------------------------------------------------------------------------------------

export type Servant = typeof users.$inferSelect;

/** A person in the officer's organisations, active or dismissed; anyone else is "not found". */
export function servantInScope(db: DB, actor: HrActor, userId: number): Servant {
  const person = db.select().from(users).where(eq(users.id, userId)).get();
  if (!person || person.organisationId === null || !actor.hrOrganisationIds.includes(person.organisationId)) throw new AppError('person_not_found', 404);
  return person;
}

/**
 * A one-time link for the servant to set a first password (and so sign in for the first time), shown
 * to the officer; with `mail` (the default) also e-mailed to the servant through the outbox. Only for
 * an account that has never had a password and holds no role beyond learner (409
 * `invitation_not_allowed`, checked by createInvitation): otherwise the officer could take it over.
 */
export function inviteServant(db: DB, actor: HrActor, userId: number, now = new Date(), opts: { mail?: boolean } = {}): { token: string; expiresAt: Date; mailQueued: boolean } {
  const person = servantInScope(db, actor, userId);
  if (person.lockedAt) throw new AppError('person_inactive', 409);
  return createInvitation(db, { id: actor.id, ip: actor.ip }, userId, now, { mail: opts.mail ?? true });
}


/** Moves a servant to another organisation of the officer's scope; their record goes with them. */
export function moveServant(db: DB, actor: HrActor, userId: number, organisationId: number, now = new Date()): Servant {
  return db.transaction((tx) => {
    const person = servantInScope(tx, actor, userId);
    if (!actor.hrOrganisationIds.includes(organisationId)) throw new AppError('organisation_not_found', 404, 'organisationId');
    const org = tx.select().from(organisations).where(eq(organisations.id, organisationId)).get();
    if (!org) throw new AppError('organisation_not_found', 404, 'organisationId');
    if (org.closedAt) throw new AppError('organisation_closed', 409, 'organisationId');
    if (person.organisationId === organisationId) throw new AppError('same_organisation', 409, 'organisationId');
    const moved = tx.update(users).set({ organisationId, service: person.service ? org.service : person.service }).where(eq(users.id, userId)).returning().get();
    recordAudit(tx, { actorId: actor.id, action: 'hr.moved', targetType: 'user', targetId: userId, details: { from: person.organisationId, to: organisationId }, ip: actor.ip }, now);
    return moved;
  });
}

/**
 * Dismissal: the account can no longer sign in (its sessions end), the person leaves the active
 * staff and compliance counts; the record and certificates stay and stay verifiable.
 */
export function dismissServant(db: DB, actor: HrActor, userId: number, now = new Date()): Servant {
  return db.transaction((tx) => {
    const person = servantInScope(tx, actor, userId);
    if (userId === actor.id) throw new AppError('cannot_dismiss_self', 409);
    if (person.lockedAt) throw new AppError('person_inactive', 409);
    const privileged = tx.select({ role: userRoles.role }).from(userRoles).where(and(eq(userRoles.userId, userId), inArray(userRoles.role, ['admin']))).get();
    if (privileged) throw new AppError('cannot_dismiss_admin', 409);
    const updated = tx.update(users).set({ lockedAt: now, dismissedAt: now }).where(eq(users.id, userId)).returning().get();
    tx.delete(sessions).where(eq(sessions.userId, userId)).run();
    recordAudit(tx, { actorId: actor.id, action: 'hr.dismissed', targetType: 'user', targetId: userId, details: { organisationId: person.organisationId }, ip: actor.ip }, now);
    return updated;
  });
}

/** Undoes a dismissal made by HR (an account an administrator locked stays locked). */
export function reactivateServant(db: DB, actor: HrActor, userId: number, now = new Date()): Servant {
  return db.transaction((tx) => {
    const person = servantInScope(tx, actor, userId);
    if (!person.dismissedAt || !person.lockedAt) throw new AppError('not_dismissed', 409);
    const updated = tx.update(users).set({ lockedAt: null, dismissedAt: null }).where(eq(users.id, userId)).returning().get();
    recordAudit(tx, { actorId: actor.id, action: 'hr.reactivated', targetType: 'user', targetId: userId, details: { organisationId: person.organisationId }, ip: actor.ip }, now);
    return updated;
  });
}

/** Dismissed servants of the officer's organisations, most recent first. */
export function dismissedStaff(db: DB, actor: HrActor) {
  if (!actor.hrOrganisationIds.length) return [];
  return db
    .select({ id: users.id, fullName: users.fullName, email: users.email, organisationId: users.organisationId, dismissedAt: users.dismissedAt })
    .from(users)
    .where(and(inArray(users.organisationId, actor.hrOrganisationIds), isNotNull(users.dismissedAt), isNotNull(users.lockedAt)))
    .all()
    .sort((a, b) => b.dismissedAt!.getTime() - a.dismissedAt!.getTime());
}

// ------------------------------------------------------------------------------------------------
// Views for the pages and the API
// ------------------------------------------------------------------------------------------------

/** A servant as the HR pages and API show them (never the password hash). */
export function servantView(db: DB, s: Servant) {
  const org = s.organisationId === null ? undefined : db.select().from(organisations).where(eq(organisations.id, s.organisationId)).get();
  return {
    id: s.id,
    fullName: s.fullName,
    email: s.email,
    personalNumber: s.personalNumber,
    organisation: org ? { id: org.id, nameKy: org.nameKy, nameRu: org.nameRu } : null,
    positionTitle: s.positionTitle,
    service: s.service,
    postKind: s.postKind,
    adminGroup: s.adminGroup,
    appointmentDate: s.appointmentDate,
    locale: s.locale,
    active: s.lockedAt === null,
    dismissedAt: s.dismissedAt && s.lockedAt ? s.dismissedAt.toISOString() : null,
    hasPassword: s.passwordHash !== null,
  };
}

/** Full names of people in the officer's organisations (active and dismissed), by id. */
export function namesInScope(db: DB, actor: HrActor): Map<number, string> {
  if (!actor.hrOrganisationIds.length) return new Map();
  return new Map(
    db.select({ id: users.id, fullName: users.fullName }).from(users).where(inArray(users.organisationId, actor.hrOrganisationIds)).all().map((r) => [r.id, r.fullName]),
  );
}
