/**
 * Attestation of servants and competitions for the personnel reserve (docs/attestation.md). Every
 * rule of campaigns, their people and stage 1 lives here; routes and pages only call it.
 *
 * Who may do what: a personnel officer (or an administrator) runs every campaign; a commission member
 * sees only the campaigns they sit on (another is `campaign_not_found`); a person sees their own
 * progress; a candidate (or any signed-in person) applies to an open competition.
 */
import { and, asc, count, desc, eq, gt, inArray, isNotNull, isNull } from 'drizzle-orm';
import type { DB } from '@db/client';
import {
  attestationCampaigns, attestationCommission, attestationDocuments, attestationPeople, attestationScores, attestationSeats, attestationSessions, courses, organisations, reserveEntries, userRoles, users,
  type Decision, type Stage2Status,
} from '@db/schema';
import type { Category, Region, Role } from '@db/domain';
import { AppError, invalidInput } from '@server/lib/errors';
import { bishkekDay } from '@server/lib/time';
import { removeScan } from '@server/lib/uploads';
import { recordAudit } from '../audit/service';
import { notify } from '../notifications/service';
import { subtreeIds } from '../organisations/service';
import { CampaignInput, CRITERION_MAX_SCORE, type CampaignInputT } from './schemas';

export type Viewer = { id: number; roles: readonly Role[] };
type Actor = Viewer & { ip?: string | null };
export type Campaign = typeof attestationCampaigns.$inferSelect;
export type Participant = typeof attestationPeople.$inferSelect;

/** Personnel officers run campaigns; administrators may too. */
export const isOfficer = (v: Viewer) => v.roles.includes('personnel_officer') || v.roles.includes('admin');

function requireOfficer(v: Viewer): void {
  if (!isOfficer(v)) throw new AppError('forbidden', 403);
}

function parseCampaign(input: CampaignInputT) {
  const r = CampaignInput.safeParse(input);
  if (!r.success) throw invalidInput(r.error.issues);
  return r.data;
}

// ---- notices to the person (docs/attestation.md "Notices"): in the transaction of the write ----

/** The person's own page, where every stage of every campaign they are in is shown. */
const MINE = 'attestation/mine';
const titleOf = (c: Campaign) => ({ ky: c.titleKy, ru: c.titleRu });

type SessionRow = typeof attestationSessions.$inferSelect;

/**
 * Tells a person a testing session of their campaign is scheduled: the day, the time window and the
 * place — never the code (the officer hands it out in the room). Once per person and session.
 */
export function notifySession(tx: DB, userId: number, campaign: Campaign, session: SessionRow, now = new Date()): void {
  const sameDay = bishkekDay(session.startsAt) === bishkekDay(session.endsAt);
  notify(tx, {
    userId, kind: 'attestation_session', link: MINE, ref: `attestation_session:${session.id}`,
    params: {
      campaign: titleOf(campaign),
      startsAt: { moment: session.startsAt.toISOString() },
      endsAt: sameDay ? { time: session.endsAt.toISOString() } : { moment: session.endsAt.toISOString() },
      place: session.place ?? { key: 'notify.attestation_session.placeLater' },
    },
  }, now);
}

// ---- campaigns ----

export function createCampaign(db: DB, actor: Actor, input: CampaignInputT, now = new Date()): Campaign {
  requireOfficer(actor);
  const c = parseCampaign(input);
  return db.transaction((tx) => {
    const row = tx.insert(attestationCampaigns).values({ ...c, createdBy: actor.id, createdAt: now, updatedAt: now }).returning().get();
    recordAudit(tx, { actorId: actor.id, action: 'attestation.campaign_created', targetType: 'attestation_campaign', targetId: row.id, details: { kind: c.kind, titleRu: c.titleRu }, ip: actor.ip }, now);
    return row;
  });
}

/**
 * Replaces a campaign's settings. The kind never changes once people are in it (their stage 1 means
 * something else); a post that a person is in the campaign for stays among the posts.
 */
export function updateCampaign(db: DB, actor: Actor, id: number, input: CampaignInputT, now = new Date()): Campaign {
  requireOfficer(actor);
  const c = parseCampaign(input);
  return db.transaction((tx) => {
    const before = tx.select().from(attestationCampaigns).where(eq(attestationCampaigns.id, id)).get();
    if (!before) throw new AppError('campaign_not_found', 404);
    const people = tx.select({ post: attestationPeople.post }).from(attestationPeople).where(eq(attestationPeople.campaignId, id)).all();
    if (people.length && c.kind !== before.kind) throw new AppError('campaign_has_people', 409, 'kind');
    const missing = people.find((p) => !c.posts.includes(p.post));
    if (missing) throw new AppError('post_in_use', 409, 'posts');
    const scored = tx
      .select({ scores: attestationScores.scores })
      .from(attestationScores)
      .innerJoin(attestationPeople, eq(attestationScores.personId, attestationPeople.id))
      .where(eq(attestationPeople.campaignId, id))
      .all();
    const keys = new Set(c.criteria.map((k) => k.key));
    if (scored.some((s) => Object.keys(s.scores).some((k) => !keys.has(k)))) throw new AppError('criteria_in_use', 409, 'criteria');
    const row = tx.update(attestationCampaigns).set({ ...c, updatedAt: now }).where(eq(attestationCampaigns.id, id)).returning().get();
    const changed = Object.keys(c).filter((k) => JSON.stringify((before as Record<string, unknown>)[k]) !== JSON.stringify((c as Record<string, unknown>)[k]));
    recordAudit(tx, { actorId: actor.id, action: 'attestation.campaign_updated', targetType: 'attestation_campaign', targetId: id, details: { changed }, ip: actor.ip }, now);
    return row;
  });
}

const sitsOn = (db: DB, campaignId: number, userId: number) =>
  !!db.select({ id: attestationCommission.id }).from(attestationCommission).where(and(eq(attestationCommission.campaignId, campaignId), eq(attestationCommission.userId, userId))).get();

/** A campaign its viewer may see: an officer any, a commission member those they sit on (else 404). */
export function campaignFor(db: DB, viewer: Viewer, id: number): Campaign {
  const row = db.select().from(attestationCampaigns).where(eq(attestationCampaigns.id, id)).get();
  if (!row) throw new AppError('campaign_not_found', 404);
  if (isOfficer(viewer)) return row;
  if (viewer.roles.includes('commission_member') && sitsOn(db, id, viewer.id)) return row;
  if (!viewer.roles.includes('commission_member')) throw new AppError('forbidden', 403);
  throw new AppError('campaign_not_found', 404);
}

/** Campaigns newest first: every one for an officer, those a commission member sits on; 403 for anyone else. */
export function listCampaigns(db: DB, viewer: Viewer): Campaign[] {
  if (isOfficer(viewer)) return db.select().from(attestationCampaigns).orderBy(desc(attestationCampaigns.id)).all();
  if (!viewer.roles.includes('commission_member')) throw new AppError('forbidden', 403);
  return db
    .select({ c: attestationCampaigns })
    .from(attestationCampaigns)
    .innerJoin(attestationCommission, eq(attestationCommission.campaignId, attestationCampaigns.id))
    .where(eq(attestationCommission.userId, viewer.id))
    .orderBy(desc(attestationCampaigns.id))
    .all()
    .map((r) => r.c);
}

export function commissionOf(db: DB, campaignId: number): { id: number; fullName: string }[] {
  return db
    .select({ id: users.id, fullName: users.fullName })
    .from(attestationCommission)
    .innerJoin(users, eq(attestationCommission.userId, users.id))
    .where(eq(attestationCommission.campaignId, campaignId))
    .orderBy(asc(users.fullName))
    .all();
}

export function peopleCount(db: DB, campaignId: number): number {
  return db.select({ n: count() }).from(attestationPeople).where(eq(attestationPeople.campaignId, campaignId)).get()!.n;
}

/** People who hold the commission-member role, to choose a commission from. */
export function commissionCandidates(db: DB): { id: number; fullName: string; email: string }[] {
  return db
    .selectDistinct({ id: users.id, fullName: users.fullName, email: users.email })
    .from(userRoles)
    .innerJoin(users, eq(userRoles.userId, users.id))
    .where(eq(userRoles.role, 'commission_member'))
    .orderBy(asc(users.fullName))
    .all();
}

/**
 * Sets who sits on the commission (each must hold the commission-member role). A member who has
 * already scored someone stays (409 `member_has_scores`), so no submitted score loses its author.
 */
export function setCommission(db: DB, actor: Actor, campaignId: number, userIds: number[], now = new Date()): { id: number; fullName: string }[] {
  requireOfficer(actor);
  const ids = [...new Set(userIds)];
  return db.transaction((tx) => {
    if (!tx.select({ id: attestationCampaigns.id }).from(attestationCampaigns).where(eq(attestationCampaigns.id, campaignId)).get()) throw new AppError('campaign_not_found', 404);
    if (ids.length) {
      const holders = new Set(tx.select({ userId: userRoles.userId }).from(userRoles).where(and(inArray(userRoles.userId, ids), eq(userRoles.role, 'commission_member'))).all().map((r) => r.userId));
      const bad = ids.find((id) => !holders.has(id));
      if (bad !== undefined) throw new AppError('not_commission_member', 422, 'userIds');
    }
    const current = tx.select({ userId: attestationCommission.userId }).from(attestationCommission).where(eq(attestationCommission.campaignId, campaignId)).all().map((r) => r.userId);
    const removed = current.filter((id) => !ids.includes(id));
    const added = ids.filter((id) => !current.includes(id));
    for (const memberId of removed) {
      const scored = tx
        .select({ id: attestationScores.id })
        .from(attestationScores)
        .innerJoin(attestationPeople, eq(attestationScores.personId, attestationPeople.id))
        .where(and(eq(attestationPeople.campaignId, campaignId), eq(attestationScores.memberId, memberId)))
        .get();
      if (scored) throw new AppError('member_has_scores', 409, 'userIds');
      tx.delete(attestationCommission).where(and(eq(attestationCommission.campaignId, campaignId), eq(attestationCommission.userId, memberId))).run();
    }
    for (const memberId of added) tx.insert(attestationCommission).values({ campaignId, userId: memberId }).run();
    if (added.length || removed.length) {
      recordAudit(tx, { actorId: actor.id, action: 'attestation.commission_set', targetType: 'attestation_campaign', targetId: campaignId, details: { added, removed }, ip: actor.ip }, now);
    }
    return commissionOf(tx, campaignId);
  });
}

// ---- people ----

export type ParticipantView = Participant & {
  fullName: string;
  positionTitle: string | null;
  organisation: { nameKy: string; nameRu: string } | null;
  scoresSubmitted: number;
  documents: number;
};

/** A campaign's people with their progress, by name (the viewer must be able to see the campaign). */
export function campaignPeople(db: DB, campaignId: number): ParticipantView[] {
  const rows = db
    .select({ p: attestationPeople, fullName: users.fullName, positionTitle: users.positionTitle, orgKy: organisations.nameKy, orgRu: organisations.nameRu })
    .from(attestationPeople)
    .innerJoin(users, eq(attestationPeople.userId, users.id))
    .leftJoin(organisations, eq(users.organisationId, organisations.id))
    .where(eq(attestationPeople.campaignId, campaignId))
    .orderBy(asc(users.fullName))
    .all();
  const ids = rows.map((r) => r.p.id);
  const scores = new Map<number, number>();
  const docs = new Map<number, number>();
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    for (const s of db.select({ personId: attestationScores.personId, n: count() }).from(attestationScores).where(inArray(attestationScores.personId, chunk)).groupBy(attestationScores.personId).all()) scores.set(s.personId, s.n);
    for (const d of db.select({ personId: attestationDocuments.personId, n: count() }).from(attestationDocuments).where(inArray(attestationDocuments.personId, chunk)).groupBy(attestationDocuments.personId).all()) docs.set(d.personId, d.n);
  }
  return rows.map((r) => ({
    ...r.p,
    fullName: r.fullName,
    positionTitle: r.positionTitle,
    organisation: r.orgKy !== null && r.orgRu !== null ? { nameKy: r.orgKy, nameRu: r.orgRu } : null,
    scoresSubmitted: scores.get(r.p.id) ?? 0,
    documents: docs.get(r.p.id) ?? 0,
  }));
}

/**
 * A person in a campaign as its viewer may see it: the officer, a commission member of that campaign,
 * or the person themself (`own`). Anyone else: `person_not_found`.
 */
export function participantFor(db: DB, viewer: Viewer, personId: number): { person: Participant; campaign: Campaign; own: boolean; member: boolean } {
  const person = db.select().from(attestationPeople).where(eq(attestationPeople.id, personId)).get();
  if (!person) throw new AppError('person_not_found', 404);
  const campaign = db.select().from(attestationCampaigns).where(eq(attestationCampaigns.id, person.campaignId)).get()!;
  const member = viewer.roles.includes('commission_member') && sitsOn(db, campaign.id, viewer.id);
  const own = person.userId === viewer.id;
  if (!isOfficer(viewer) && !member && !own) throw new AppError('person_not_found', 404);
  return { person, campaign, own, member };
}

export function participantView(db: DB, personId: number): ParticipantView {
  const p = db.select({ campaignId: attestationPeople.campaignId }).from(attestationPeople).where(eq(attestationPeople.id, personId)).get();
  if (!p) throw new AppError('person_not_found', 404);
  return campaignPeople(db, p.campaignId).find((x) => x.id === personId)!;
}

/**
 * The officer adds servants chosen from the organisation tree to an attestation (not a competition:
 * people come to those by applying), for one of its posts. Only servants (an organisation, not
 * dismissed) — 422 `not_a_servant` names the first that is not; someone already in is left as is.
 */
export function addPeople(db: DB, actor: Actor, campaignId: number, input: { userIds: number[]; post: string }, now = new Date()): { added: number } {
  requireOfficer(actor);
  const ids = [...new Set(input.userIds)];
  return db.transaction((tx) => {
    const campaign = tx.select().from(attestationCampaigns).where(eq(attestationCampaigns.id, campaignId)).get();
    if (!campaign) throw new AppError('campaign_not_found', 404);
    if (campaign.kind !== 'attestation') throw new AppError('campaign_is_competition', 409);
    if (campaign.status === 'closed') throw new AppError('campaign_closed', 409);
    const post = input.post.trim();
    if (!campaign.posts.includes(post)) throw new AppError('post_not_in_campaign', 422, 'post');
    const servants = new Map(
      tx.select({ id: users.id, organisationId: users.organisationId, dismissedAt: users.dismissedAt }).from(users).where(inArray(users.id, ids)).all().map((u) => [u.id, u]),
    );
    const bad = ids.find((id) => { const u = servants.get(id); return !u || u.organisationId === null || u.dismissedAt !== null; });
    if (bad !== undefined) throw new AppError('not_a_servant', 422, 'userIds');
    const inserted = tx
      .insert(attestationPeople)
      .values(ids.map((userId) => ({ campaignId, userId, post, addedAt: now })))
      .onConflictDoNothing()
      .returning({ id: attestationPeople.id, userId: attestationPeople.userId })
      .all();
    if (inserted.length) {
      recordAudit(tx, { actorId: actor.id, action: 'attestation.people_added', targetType: 'attestation_campaign', targetId: campaignId, details: { userIds: inserted.map((r) => r.userId), post }, ip: actor.ip }, now);
    }
    return { added: inserted.length };
  });
}

/** Takes a person out of a campaign before anything was decided for them (409 `person_has_results` after). */
export function removePerson(db: DB, actor: Actor, personId: number, now = new Date()): void {
  requireOfficer(actor);
  const files = db.transaction((tx) => {
    const p = tx.select().from(attestationPeople).where(eq(attestationPeople.id, personId)).get();
    if (!p) throw new AppError('person_not_found', 404);
    const scored = tx.select({ id: attestationScores.id }).from(attestationScores).where(eq(attestationScores.personId, personId)).get();
    if (p.stage2Status !== 'pending' || p.decision !== null || scored) throw new AppError('person_has_results', 409);
    const files = tx.select({ file: attestationDocuments.file }).from(attestationDocuments).where(eq(attestationDocuments.personId, personId)).all();
    tx.delete(attestationPeople).where(eq(attestationPeople.id, personId)).run();
    recordAudit(tx, { actorId: actor.id, action: 'attestation.person_removed', targetType: 'attestation_campaign', targetId: p.campaignId, details: { userId: p.userId }, ip: actor.ip }, now);
    return files;
  });
  for (const f of files) if (f.file) removeScan(f.file);
}

// ---- competitions: applying ----

/** Competitions taking applications on `day` (Bishkek): open, and stage 1 not over. */
export function openCompetitions(db: DB, now = new Date()): Campaign[] {
  const day = bishkekDay(now);
  return db
    .select()
    .from(attestationCampaigns)
    .where(and(eq(attestationCampaigns.kind, 'competition'), eq(attestationCampaigns.status, 'open')))
    .orderBy(asc(attestationCampaigns.stage1To))
    .all()
    .filter((c) => c.stage1To >= day);
}

/** An open competition as anyone may read it (404 when it is not one, or not open). */
export function openCompetition(db: DB, id: number, now = new Date()): Campaign {
  const c = openCompetitions(db, now).find((x) => x.id === id);
  if (!c) throw new AppError('campaign_not_found', 404);
  return c;
}

/**
 * A citizen (a confirmed candidate, or a servant) applies to an open competition for one of its posts,
 * once (409 `already_applied`). Stage 1 then waits for their documents and the officer's check.
 */
export function applyToCompetition(db: DB, actor: Actor, campaignId: number, input: { post: string }, now = new Date()): Participant {
  if (isOfficer(actor)) throw new AppError('forbidden', 403);
  return db.transaction((tx) => {
    const campaign = tx.select().from(attestationCampaigns).where(eq(attestationCampaigns.id, campaignId)).get();
    if (!campaign || campaign.kind !== 'competition' || campaign.status !== 'open') throw new AppError('campaign_not_found', 404);
    if (campaign.stage1To < bishkekDay(now)) throw new AppError('applications_closed', 409);
    if (sitsOn(tx, campaignId, actor.id)) throw new AppError('forbidden', 403);
    const post = input.post.trim();
    if (!campaign.posts.includes(post)) throw new AppError('post_not_in_campaign', 422, 'post');
    const row = tx.insert(attestationPeople).values({ campaignId, userId: actor.id, post, addedAt: now }).onConflictDoNothing().returning().get();
    if (!row) throw new AppError('already_applied', 409);
    recordAudit(tx, { actorId: actor.id, action: 'attestation.applied', targetType: 'attestation_campaign', targetId: campaignId, details: { personId: row.id, post }, ip: actor.ip }, now);
    return row;
  });
}

// ---- stage 1: documents and the officer's check ----

export type DocumentView = { id: number; authorId: number; authorName: string; note: string | null; fileName: string | null; hasFile: boolean; createdAt: Date };

export function documentsOf(db: DB, personId: number): DocumentView[] {
  return db
    .select({ d: attestationDocuments, authorName: users.fullName })
    .from(attestationDocuments)
    .innerJoin(users, eq(attestationDocuments.authorId, users.id))
    .where(eq(attestationDocuments.personId, personId))
    .orderBy(asc(attestationDocuments.id))
    .all()
    .map(({ d, authorName }) => ({ id: d.id, authorId: d.authorId, authorName, note: d.note, fileName: d.fileName, hasFile: !!d.file, createdAt: d.createdAt }));
}

/** Documents of one person at most (a note or a file each). */
export const MAX_DOCUMENTS = 30;

/**
 * Adds a note and/or an attached file (already stored by the caller with saveScan; removed again
 * when refused) to a person's stage 1: the officer for anyone (notes on a servant's work); the
 * candidate for their own competition application while it waits for the check
 * (409 `stage1_decided` after). A note or a file is needed.
 */
export function addDocument(
  db: DB, actor: Actor, personId: number, input: { note?: string | null; file?: { file: string; type: string; name: string } | null }, now = new Date(),
): DocumentView {
  try {
    return db.transaction((tx) => {
      const { person, campaign, own } = participantFor(tx, actor, personId);
      const officer = isOfficer(actor);
      if (!officer) {
        if (!own || campaign.kind !== 'competition') throw new AppError('forbidden', 403);
        if (person.stage1Status !== 'pending') throw new AppError('stage1_decided', 409);
      }
      const note = input.note?.trim() || null;
      if (note && note.length > 4000) throw new AppError('invalid_input', 400, 'note');
      if (!note && !input.file) throw new AppError('document_empty', 400, 'note');
      const n = tx.select({ n: count() }).from(attestationDocuments).where(eq(attestationDocuments.personId, personId)).get()!.n;
      if (n >= MAX_DOCUMENTS) throw new AppError('too_many_documents', 409);
      const row = tx
        .insert(attestationDocuments)
        .values({ personId, authorId: actor.id, note, file: input.file?.file ?? null, fileName: input.file?.name ?? null, fileType: input.file?.type ?? null, createdAt: now })
        .returning()
        .get();
      recordAudit(tx, { actorId: actor.id, action: 'attestation.document_added', targetType: 'attestation_person', targetId: personId, details: { documentId: row.id, file: !!input.file }, ip: actor.ip }, now);
      const author = tx.select({ fullName: users.fullName }).from(users).where(eq(users.id, actor.id)).get()!;
      return { id: row.id, authorId: actor.id, authorName: author.fullName, note, fileName: row.fileName, hasFile: !!row.file, createdAt: now };
    });
  } catch (e) {
    if (input.file) removeScan(input.file.file);
    throw e;
  }
}

/** A document's file for a viewer of its person (officer, the campaign's commission, the person). */
export function documentFileFor(db: DB, viewer: Viewer, documentId: number): { file: string; type: string; name: string } {
  const d = db.select().from(attestationDocuments).where(eq(attestationDocuments.id, documentId)).get();
  if (!d) throw new AppError('document_not_found', 404);
  try {
    participantFor(db, viewer, d.personId);
  } catch (e) {
    if (e instanceof AppError && e.status === 404) throw new AppError('document_not_found', 404);
    throw e;
  }
  if (!d.file || !d.fileType) throw new AppError('document_not_found', 404);
  return { file: d.file, type: d.fileType, name: d.fileName ?? 'document' };
}

/**
 * The officer's stage-1 decision: admitted to testing, or refused with a reason the person sees
 * (400 `reason_required`). It may be changed until stage 2 has a result (409 `stage2_done`).
 */
export function decideStage1(db: DB, actor: Actor, personId: number, input: { status: 'admitted' | 'refused'; reason?: string | null }, now = new Date()): Participant {
  requireOfficer(actor);
  const reason = input.reason?.trim() || null;
  if (input.status === 'refused' && !reason) throw new AppError('reason_required', 400, 'reason');
  if (reason && reason.length > 1000) throw new AppError('invalid_input', 400, 'reason');
  return db.transaction((tx) => {
    const p = tx.select().from(attestationPeople).where(eq(attestationPeople.id, personId)).get();
    if (!p) throw new AppError('person_not_found', 404);
    if (p.stage2Status !== 'pending' || p.decision !== null) throw new AppError('stage2_done', 409);
    const newReason = input.status === 'refused' ? reason : null;
    // The same decision again (a form sent twice): nothing changes, nobody is told twice.
    if (p.stage1Status === input.status && p.stage1Reason === newReason) return p;
    const row = tx
      .update(attestationPeople)
      .set({ stage1Status: input.status, stage1Reason: newReason, stage1At: now, stage1By: actor.id })
      .where(eq(attestationPeople.id, personId))
      .returning()
      .get();
    const decided = recordAudit(tx, { actorId: actor.id, action: 'attestation.review_decided', targetType: 'attestation_person', targetId: personId, details: { status: input.status, reason }, ip: actor.ip }, now);
    const campaign = tx.select().from(attestationCampaigns).where(eq(attestationCampaigns.id, p.campaignId)).get()!;
    notify(tx, {
      userId: p.userId, kind: input.status === 'admitted' ? 'attestation_admitted' : 'attestation_refused', link: MINE,
      // each decision its own notice: named by its audit entry, not its time (refused and admitted
      // again within one millisecond were one ref, and the second notice was lost)
      ref: `attestation:${personId}:stage1:${decided}`,
      params: { campaign: titleOf(campaign), ...(newReason ? { reason: newReason } : {}) },
    }, now);
    if (input.status === 'admitted' && !tx.select({ id: attestationSeats.id }).from(attestationSeats).where(eq(attestationSeats.personId, personId)).get()) {
      // sessions already scheduled that have not ended: the person is told of each, as those admitted earlier were
      const upcoming = tx.select().from(attestationSessions).where(and(eq(attestationSessions.campaignId, campaign.id), gt(attestationSessions.endsAt, now))).orderBy(asc(attestationSessions.startsAt)).all();
      for (const session of upcoming) notifySession(tx, p.userId, campaign, session, now);
    }
    return row;
  });
}

// ---- stage 2: the testing module records its result here ----

/**
 * Records a person's computer-testing result (called by the testing module, or by the officer's
 * service in tests and imports). Only for someone admitted at stage 1 (409 `not_admitted`) and
 * before the decision (409 `decision_recorded`). `absent` clears the scores.
 */
export function setStage2Result(
  db: DB,
  actor: { id: number | null; ip?: string | null },
  personId: number,
  input: { status: Exclude<Stage2Status, 'pending'>; lawScorePercent?: number | null; lawPassed?: boolean | null; qualitiesProfile?: Record<string, number> | null; weakTopics?: string[] | null },
  now = new Date(),
): Participant {
  const pct = input.lawScorePercent ?? null;
  if (pct !== null && !(pct >= 0 && pct <= 100)) throw new AppError('invalid_input', 400, 'lawScorePercent');
  for (const v of Object.values(input.qualitiesProfile ?? {})) if (!(v >= 0 && v <= 100)) throw new AppError('invalid_input', 400, 'qualitiesProfile');
  return db.transaction((tx) => {
    const p = tx.select().from(attestationPeople).where(eq(attestationPeople.id, personId)).get();
    if (!p) throw new AppError('person_not_found', 404);
    if (p.stage1Status !== 'admitted') throw new AppError('not_admitted', 409);
    if (p.decision !== null) throw new AppError('decision_recorded', 409);
    const absent = input.status === 'absent';
    const row = tx
      .update(attestationPeople)
      .set({
        stage2Status: input.status,
        stage2At: now,
        lawScorePercent: absent ? null : pct,
        lawPassed: absent ? null : input.lawPassed ?? (input.status === 'passed'),
        qualitiesProfile: absent ? null : input.qualitiesProfile ?? null,
        weakTopics: absent ? null : input.weakTopics ?? null,
      })
      .where(eq(attestationPeople.id, personId))
      .returning()
      .get();
    recordAudit(tx, { actorId: actor.id, action: 'attestation.testing_recorded', targetType: 'attestation_person', targetId: personId, details: { status: input.status, lawScorePercent: pct }, ip: actor.ip }, now);
    return row;
  });
}

// ---- the person's own view ----

export type MyParticipation = { person: Participant; campaign: Campaign };

/** Every campaign the person is in (newest first), for their own page: no scores of others, no qualities profile. */
export function myParticipations(db: DB, userId: number): MyParticipation[] {
  return db
    .select({ person: attestationPeople, campaign: attestationCampaigns })
    .from(attestationPeople)
    .innerJoin(attestationCampaigns, eq(attestationPeople.campaignId, attestationCampaigns.id))
    .where(eq(attestationPeople.userId, userId))
    .orderBy(desc(attestationPeople.id))
    .all();
}

// ---- stage 3: the interview ----

/** Whether the person may be interviewed: admitted at stage 1 and tested (any stage-2 result but absence). */
function readyForInterview(p: Participant): boolean {
  return p.stage1Status === 'admitted' && p.stage2Status !== 'pending' && p.stage2Status !== 'absent';
}

export type ScoreView = { memberId: number; memberName: string; scores: Record<string, number>; comment: string | null; submittedAt: Date };

function scoresOf(db: DB, personId: number): ScoreView[] {
  return db
    .select({ s: attestationScores, memberName: users.fullName })
    .from(attestationScores)
    .innerJoin(users, eq(attestationScores.memberId, users.id))
    .where(eq(attestationScores.personId, personId))
    .orderBy(asc(attestationScores.id))
    .all()
    .map(({ s, memberName }) => ({ memberId: s.memberId, memberName, scores: s.scores, comment: s.comment, submittedAt: s.submittedAt }));
}

/**
 * A commission member's scores for one person: every criterion of the campaign, whole numbers 1–5,
 * and an optional comment; once (409 `already_scored` — the unique index settles two submissions at
 * the same moment). Only a member of this campaign's commission (the officer is not one: 403), for
 * someone admitted and tested (409 `not_ready_for_interview`) and not yet decided (409 `decision_recorded`).
 */
export function submitScores(db: DB, actor: Actor, personId: number, input: { scores: Record<string, number>; comment?: string | null }, now = new Date()): ScoreView {
  return db.transaction((tx) => {
    const { person, campaign, member } = participantFor(tx, actor, personId);
    if (!member) throw new AppError('not_on_commission', 403);
    if (!readyForInterview(person)) throw new AppError('not_ready_for_interview', 409);
    if (person.decision !== null) throw new AppError('decision_recorded', 409);
    const keys = campaign.criteria.map((c) => c.key);
    const given = Object.keys(input.scores);
    const bad = given.find((k) => !keys.includes(k)) ?? keys.find((k) => { const v = input.scores[k]; return !Number.isInteger(v) || v! < 1 || v! > CRITERION_MAX_SCORE; });
    if (bad !== undefined) throw new AppError('invalid_input', 400, `scores.${bad}`);
    const comment = input.comment?.trim() || null;
    if (comment && comment.length > 2000) throw new AppError('invalid_input', 400, 'comment');
    const scores = Object.fromEntries(keys.map((k) => [k, input.scores[k]!]));
    const row = tx.insert(attestationScores).values({ personId, memberId: actor.id, scores, comment, submittedAt: now }).onConflictDoNothing().returning().get();
    if (!row) throw new AppError('already_scored', 409);
    recordAudit(tx, { actorId: actor.id, action: 'attestation.scored', targetType: 'attestation_person', targetId: personId, details: { scores }, ip: actor.ip }, now);
    const me = tx.select({ fullName: users.fullName }).from(users).where(eq(users.id, actor.id)).get()!;
    return { memberId: actor.id, memberName: me.fullName, scores, comment, submittedAt: now };
  });
}

/**
 * The interview scores a viewer may see: the officer sees every member's; a member sees their own,
 * and the others' only once their own are submitted (`othersHidden` until then); nobody else (404).
 * `submitted` is how many members have scored, `commission` how many sit.
 */
export function scoresFor(db: DB, viewer: Viewer, personId: number): { mine: ScoreView | null; others: ScoreView[]; othersHidden: boolean; submitted: number; commission: number } {
  const { campaign, member } = participantFor(db, viewer, personId);
  const officer = isOfficer(viewer);
  if (!officer && !member) throw new AppError('person_not_found', 404);
  const all = scoresOf(db, personId);
  const commission = db.select({ n: count() }).from(attestationCommission).where(eq(attestationCommission.campaignId, campaign.id)).get()!.n;
  const mine = member ? all.find((s) => s.memberId === viewer.id) ?? null : null;
  const othersHidden = !officer && !mine;
  return { mine, others: othersHidden ? [] : all.filter((s) => s.memberId !== viewer.id), othersHidden, submitted: all.length, commission };
}

/** Average of every member's score per criterion (for the protocol and the officer's page). */
export function averageScores(db: DB, personId: number): Record<string, number> {
  const all = scoresOf(db, personId);
  const sums: Record<string, { s: number; n: number }> = {};
  for (const r of all) for (const [k, v] of Object.entries(r.scores)) { sums[k] ??= { s: 0, n: 0 }; sums[k].s += v; sums[k].n++; }
  return Object.fromEntries(Object.entries(sums).map(([k, { s, n }]) => [k, Math.round((s / n) * 100) / 100]));
}

/**
 * The officer records the commission's decision with the vote: for an attestation fits / does_not_fit
 * (and, when it fits, whether the commission recommends the person to the reserve), for a competition
 * reserve / not_reserve. Votes: for + against between 1 and the commission's size (400
 * `votes_invalid`). Once (409 `decision_recorded`). A person put in the reserve gets a reserve entry
 * (post and region of the campaign, today's date), unpublished until the officer publishes.
 */
export function recordDecision(
  db: DB, actor: Actor, personId: number,
  input: { decision: Decision; votesFor: number; votesAgainst: number; recommendedToReserve?: boolean },
  now = new Date(),
): Participant {
  requireOfficer(actor);
  return db.transaction((tx) => {
    const p = tx.select().from(attestationPeople).where(eq(attestationPeople.id, personId)).get();
    if (!p) throw new AppError('person_not_found', 404);
    const campaign = tx.select().from(attestationCampaigns).where(eq(attestationCampaigns.id, p.campaignId)).get()!;
    const allowed: Decision[] = campaign.kind === 'attestation' ? ['fits', 'does_not_fit'] : ['reserve', 'not_reserve'];
    if (!allowed.includes(input.decision)) throw new AppError('decision_not_for_kind', 400, 'decision');
    const recommended = campaign.kind === 'attestation' && input.decision === 'fits' && !!input.recommendedToReserve;
    if (input.recommendedToReserve && !recommended) throw new AppError('decision_not_for_kind', 400, 'recommendedToReserve');
    const size = tx.select({ n: count() }).from(attestationCommission).where(eq(attestationCommission.campaignId, campaign.id)).get()!.n;
    const votes = input.votesFor + input.votesAgainst;
    if (!Number.isInteger(input.votesFor) || !Number.isInteger(input.votesAgainst) || input.votesFor < 0 || input.votesAgainst < 0 || votes < 1 || votes > size) {
      throw new AppError('votes_invalid', 400, 'votesFor');
    }
    if (!readyForInterview(p)) throw new AppError('not_ready_for_interview', 409);
    const row = tx
      .update(attestationPeople)
      .set({ decision: input.decision, recommendedToReserve: recommended, votesFor: input.votesFor, votesAgainst: input.votesAgainst, decisionAt: now, decisionBy: actor.id })
      .where(and(eq(attestationPeople.id, personId), isNull(attestationPeople.decision)))
      .returning()
      .get();
    if (!row) throw new AppError('decision_recorded', 409);
    if (input.decision === 'reserve' || recommended) {
      tx.insert(reserveEntries).values({ userId: p.userId, personId, campaignId: campaign.id, post: p.post, region: campaign.region, enteredOn: bishkekDay(now) }).run();
    }
    // The outcome only: never the votes, the members' scores or the qualities profile.
    notify(tx, {
      userId: p.userId, kind: 'attestation_decision', link: MINE, ref: `attestation:${personId}:decision`,
      params: { campaign: titleOf(campaign), outcome: { key: `notify.attestation_decision.${recommended ? 'fits_recommended' : input.decision}` } },
    }, now);
    recordAudit(tx, { actorId: actor.id, action: 'attestation.decided', targetType: 'attestation_person', targetId: personId, details: { decision: input.decision, votesFor: input.votesFor, votesAgainst: input.votesAgainst, recommendedToReserve: recommended }, ip: actor.ip }, now);
    return row;
  });
}

// ---- the personnel reserve ----

export type ReserveEntryView = {
  id: number; userId: number; fullName: string; post: string; region: Region; enteredOn: string;
  campaignId: number; campaignKy: string; campaignRu: string; published: boolean;
};

/**
 * The reserve: every entry not taken out (the officer's view), or only the published ones; by region,
 * post and name. Filters: region, post (exact), campaign.
 */
export function listReserve(db: DB, opts: { publishedOnly: boolean; region?: Region | null; post?: string | null; campaignId?: number | null }): ReserveEntryView[] {
  const where = [isNull(reserveEntries.removedAt)];
  if (opts.publishedOnly) where.push(isNotNull(reserveEntries.publishedAt));
  if (opts.region) where.push(eq(reserveEntries.region, opts.region));
  if (opts.post) where.push(eq(reserveEntries.post, opts.post));
  if (opts.campaignId) where.push(eq(reserveEntries.campaignId, opts.campaignId));
  return db
    .select({ r: reserveEntries, fullName: users.fullName, campaignKy: attestationCampaigns.titleKy, campaignRu: attestationCampaigns.titleRu })
    .from(reserveEntries)
    .innerJoin(users, eq(reserveEntries.userId, users.id))
    .innerJoin(attestationCampaigns, eq(reserveEntries.campaignId, attestationCampaigns.id))
    .where(and(...where))
    .orderBy(asc(reserveEntries.region), asc(reserveEntries.post), asc(users.fullName))
    .all()
    .map(({ r, fullName, campaignKy, campaignRu }) => ({
      id: r.id, userId: r.userId, fullName, post: r.post, region: r.region, enteredOn: r.enteredOn, campaignId: r.campaignId, campaignKy, campaignRu, published: r.publishedAt !== null,
    }));
}

/** The officer publishes the reserve entries not yet published (of one campaign, or all); returns how many. */
export function publishReserve(db: DB, actor: Actor, campaignId: number | null, now = new Date()): { published: number } {
  requireOfficer(actor);
  return db.transaction((tx) => {
    if (campaignId !== null && !tx.select({ id: attestationCampaigns.id }).from(attestationCampaigns).where(eq(attestationCampaigns.id, campaignId)).get()) {
      throw new AppError('campaign_not_found', 404);
    }
    const where = [isNull(reserveEntries.publishedAt), isNull(reserveEntries.removedAt)];
    if (campaignId !== null) where.push(eq(reserveEntries.campaignId, campaignId));
    const rows = tx.update(reserveEntries).set({ publishedAt: now }).where(and(...where)).returning({ id: reserveEntries.id, userId: reserveEntries.userId, post: reserveEntries.post, region: reserveEntries.region }).all();
    // Each person is told their entry is now on the public list (once per entry).
    for (const r of rows) notify(tx, { userId: r.userId, kind: 'reserve_entered', link: MINE, ref: `reserve:${r.id}`, params: { post: r.post, region: { key: `region.${r.region}` } } }, now);
    if (rows.length) recordAudit(tx, { actorId: actor.id, action: 'reserve.published', targetType: 'attestation_campaign', targetId: campaignId, details: { entries: rows.map((r) => r.id) }, ip: actor.ip }, now);
    return { published: rows.length };
  });
}

/**
 * The officer takes an entry out of the reserve (it leaves the public list at once), with the reason
 * (400 `reason_required` without one), which the audit log keeps and the person is told, as a refusal
 * at stage 1 is.
 */
export function removeFromReserve(db: DB, actor: Actor, entryId: number, reason: string, now = new Date()): void {
  requireOfficer(actor);
  const why = reason.trim();
  if (!why) throw new AppError('reason_required', 400, 'reason');
  if (why.length > 1000) throw new AppError('reason_too_long', 400, 'reason');
  db.transaction((tx) => {
    const row = tx.update(reserveEntries).set({ removedAt: now }).where(and(eq(reserveEntries.id, entryId), isNull(reserveEntries.removedAt))).returning().get();
    if (!row) throw new AppError('reserve_entry_not_found', 404);
    notify(tx, { userId: row.userId, kind: 'reserve_removed', link: MINE, ref: `reserve:${row.id}:removed`, params: { post: row.post, region: { key: `region.${row.region}` }, reason: why } }, now);
    recordAudit(tx, { actorId: actor.id, action: 'reserve.removed', targetType: 'user', targetId: row.userId, details: { entryId, campaignId: row.campaignId, reason: why }, ip: actor.ip }, now);
  });
}

/** Servants of an organisation and its sub-units (not dismissed), by name, to choose for an attestation; at most `limit`. */
export function servantsUnder(db: DB, organisationId: number, limit = 500): { id: number; fullName: string; positionTitle: string | null; organisationId: number }[] {
  const ids = subtreeIds(db, [organisationId]);
  if (!ids.length) return [];
  return db
    .select({ id: users.id, fullName: users.fullName, positionTitle: users.positionTitle, organisationId: users.organisationId })
    .from(users)
    .where(and(inArray(users.organisationId, ids), isNull(users.dismissedAt), isNull(users.lockedAt)))
    .orderBy(asc(users.fullName))
    .limit(limit)
    .all()
    .map((u) => ({ ...u, organisationId: u.organisationId! }));
}

export type RecommendedCourse = { slug: string; titleKy: string | null; titleRu: string | null; category: string; campaignKy: string; campaignRu: string };

/**
 * Courses an attestation recommends for a person: the published courses of the catalog whose topic
 * (category) is one the person's law test showed weak (`weak_topics`, recorded with stage 2), for each
 * decided or tested attestation. HR assigns them with the usual assignment (server/modules/hr/assignments.ts).
 */
export function recommendedCourses(db: DB, userId: number): RecommendedCourse[] {
  const rows = db
    .select({ weak: attestationPeople.weakTopics, ky: attestationCampaigns.titleKy, ru: attestationCampaigns.titleRu })
    .from(attestationPeople)
    .innerJoin(attestationCampaigns, eq(attestationPeople.campaignId, attestationCampaigns.id))
    .where(and(eq(attestationPeople.userId, userId), eq(attestationCampaigns.kind, 'attestation')))
    .all()
    .filter((r) => r.weak && r.weak.length > 0);
  const out = new Map<string, RecommendedCourse>();
  for (const r of rows) {
    const found = db
      .select({ slug: courses.slug, titleKy: courses.titleKy, titleRu: courses.titleRu, category: courses.category })
      .from(courses)
      .where(and(eq(courses.status, 'published'), inArray(courses.category, r.weak as Category[])))
      .orderBy(asc(courses.slug))
      .all();
    for (const c of found) if (!out.has(c.slug)) out.set(c.slug, { ...c, campaignKy: r.ky, campaignRu: r.ru });
  }
  return [...out.values()];
}
