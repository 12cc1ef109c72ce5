import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { and, count, eq, gte, inArray, isNotNull, isNull, like, lt, ne, sql, type SQL } from 'drizzle-orm';
import { connectionOf, type DB } from '@db/client';
import { loginFailures, organisations, passwordResets, sessions, userRoles, users } from '@db/schema';
import type { Gender, Role, Service } from '@db/domain';
import { AppError } from '@server/lib/errors';
import { foldForSearch } from '@server/lib/text';
import { bishkekDay, bishkekDayEnd } from '@server/lib/time';
import { recordAudit } from '../audit/service';
import { hashPassword, setPassword } from '../auth/service';
import { checkNewPassword } from '../auth/password-policy';
import { notify } from '../notifications/service';

export type User = typeof users.$inferSelect;
export type NewPerson = Omit<typeof users.$inferInsert, 'id' | 'createdAt' | 'passwordHash'> & {
  password?: string;
  roles?: { role: Role; organisationId?: number | null }[];
};

// ---- Counted staff: the one definition every head-count uses ----

/**
 * Who counts as staff of an organisation on a day — the staff list, the compliance overview, the
 * assignments' group selection and the yearly report all use this one rule, so their totals agree:
 * a person whose organisation is in scope, appointed on or before that day (or with no appointment
 * date recorded), and whose account was not locked by the end of that day. A dismissal locks the
 * account (and records `dismissed_at`), an administrator's lock does the same without it: both take
 * the person out from that moment on, never before — so a report for a past year still counts someone
 * dismissed since. `day` is a Bishkek calendar day (YYYY-MM-DD).
 *
 * As SQL for the people alias `u`, with two parameters: the day, and the end of that day in
 * milliseconds (`countedStaffParams`).
 */
export const COUNTED_STAFF_SQL = '(u.appointment_date IS NULL OR u.appointment_date <= ?) AND (u.locked_at IS NULL OR u.locked_at >= ?)';

/** The parameters of COUNTED_STAFF_SQL for a Bishkek day: the day and the first millisecond after it. */
export function countedStaffParams(day: string): [string, number] {
  return [day, bishkekDayEnd(day)];
}

/** The same rule as a drizzle condition on `users`. */
export function countedStaffWhere(day: string): SQL {
  const [d, end] = countedStaffParams(day);
  return sql`(${users.appointmentDate} IS NULL OR ${users.appointmentDate} <= ${d}) AND (${users.lockedAt} IS NULL OR ${users.lockedAt} >= ${end})`;
}

/** The day whose staff a report for `year` counts: the last day of a past year, else today (Bishkek). */
export function staffDayOfYear(year: number, now = new Date()): string {
  const today = bishkekDay(now);
  return Number(today.slice(0, 4)) > year ? `${year}-12-31` : today;
}

/** Creates a person with their roles. Everyone who studies holds the learner role. */
export async function createPerson(db: DB, input: NewPerson, now = new Date()): Promise<User> {
  const { password, roles = [{ role: 'learner' }], ...fields } = input;
  if (password !== undefined) checkNewPassword(password, { email: fields.email, fullName: fields.fullName });
  const passwordHash = password ? await hashPassword(password) : null;
  return db.transaction((tx) => {
    const user = tx
      .insert(users)
      .values({ ...fields, email: fields.email.trim().toLowerCase(), passwordHash, createdAt: now })
      .returning()
      .get();
    for (const r of roles) {
      tx.insert(userRoles).values({ userId: user.id, role: r.role, organisationId: r.organisationId ?? null }).run();
    }
    return user;
  });
}

/** The profile a signed-in person sees of themselves, with their organisation's names. */
export function getProfile(db: DB, userId: number) {
  const row = db
    .select({ user: users, organisation: organisations })
    .from(users)
    .leftJoin(organisations, eq(users.organisationId, organisations.id))
    .where(eq(users.id, userId))
    .get();
  if (!row) return null;
  const { passwordHash: _secret, ...user } = row.user;
  return { user, organisation: row.organisation };
}

// ---- Administration: finding people, roles, locking, password-reset links ----

/**
 * People who carry the training obligation: servants (state or municipal service) not locked, with
 * whether they have activated their account (set a password) — only those are ever sent reminders.
 */
export function activeServants(db: DB): { id: number; appointmentDate: string | null; organisationId: number | null; activated: boolean }[] {
  return db
    .select({ id: users.id, appointmentDate: users.appointmentDate, organisationId: users.organisationId, activated: sql<number>`${users.passwordHash} IS NOT NULL` })
    .from(users)
    .where(and(isNotNull(users.service), isNull(users.lockedAt)))
    .all()
    .map((r) => ({ ...r, activated: !!r.activated }));
}

const folded = new WeakSet<object>();
/** SQLite gets our search folding as a function, so a search over 60,000 people stays in SQL. */
function ensureFold(db: DB): void {
  if (folded.has(connectionOf(db))) return;
  connectionOf(db).function('bilim_fold', { deterministic: true }, (v: unknown) => (typeof v === 'string' ? foldForSearch(v) : ''));
  folded.add(connectionOf(db));
}

export type PersonRow = {
  id: number;
  email: string;
  fullName: string;
  organisationId: number | null;
  organisationKy: string | null;
  organisationRu: string | null;
  lockedAt: Date | null;
  roles: Role[];
};

/** Finds people by name or e-mail (case, ё and ң ө ү folded), optionally by role; 50 at a time. */
export function searchPeople(db: DB, q: { text?: string; role?: Role }, limit = 50): PersonRow[] {
  ensureFold(db);
  const conds: SQL[] = [];
  const raw = q.text?.trim().toLowerCase() ?? '';
  if (raw) {
    const esc = (v: string) => `%${v.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
    const text = foldForSearch(raw);
    const byEmail = sql`${users.email} LIKE ${esc(raw)} ESCAPE '\\'`;
    conds.push(text ? sql`(bilim_fold(${users.fullName}) LIKE ${esc(text)} ESCAPE '\\' OR ${byEmail})` : byEmail);
  }
  if (q.role) conds.push(sql`${users.id} IN (SELECT user_id FROM user_roles WHERE role = ${q.role})`);
  const rows = db
    .select({ u: users, oky: organisations.nameKy, oru: organisations.nameRu })
    .from(users)
    .leftJoin(organisations, eq(users.organisationId, organisations.id))
    .where(conds.length ? and(...conds) : undefined)
    .orderBy(users.fullName)
    .limit(limit)
    .all();
  const roleRows = rows.length
    ? db.select().from(userRoles).where(inArray(userRoles.userId, rows.map((r) => r.u.id))).all()
    : [];
  return rows.map(({ u, oky, oru }) => ({
    id: u.id,
    email: u.email,
    fullName: u.fullName,
    organisationId: u.organisationId,
    organisationKy: oky,
    organisationRu: oru,
    lockedAt: u.lockedAt,
    roles: [...new Set(roleRows.filter((r) => r.userId === u.id).map((r) => r.role))],
  }));
}

export type RoleGrant = { id: number; role: Role; organisationId: number | null; organisationKy: string | null; organisationRu: string | null };

/** One person for the administration page: profile without the password hash, and each role grant. */
export function getPersonForAdmin(db: DB, userId: number) {
  const profile = getProfile(db, userId);
  if (!profile) throw new AppError('person_not_found', 404);
  const grants: RoleGrant[] = db
    .select({ id: userRoles.id, role: userRoles.role, organisationId: userRoles.organisationId, organisationKy: organisations.nameKy, organisationRu: organisations.nameRu })
    .from(userRoles)
    .leftJoin(organisations, eq(userRoles.organisationId, organisations.id))
    .where(eq(userRoles.userId, userId))
    .orderBy(userRoles.id)
    .all();
  return { ...profile, grants };
}

type Actor = { id: number; ip?: string | null };

/** Administrators who can still sign in. */
function activeAdminIds(db: DB): number[] {
  return db
    .selectDistinct({ id: users.id })
    .from(userRoles)
    .innerJoin(users, eq(userRoles.userId, users.id))
    .where(and(eq(userRoles.role, 'admin'), isNull(users.lockedAt)))
    .all()
    .map((r) => r.id);
}

/**
 * Grants a role. hr needs the organisation whose subtree it covers; the other roles take none.
 * Takes effect on the user's next request (roles are read per request).
 */
export function grantRole(db: DB, actor: Actor, userId: number, role: Role, organisationId: number | null = null, now = new Date()): RoleGrant {
  if (!db.select({ id: users.id }).from(users).where(eq(users.id, userId)).get()) throw new AppError('person_not_found', 404);
  if (role === 'hr') {
    if (organisationId === null) throw new AppError('organisation_required', 400, 'organisationId');
    const org = db.select().from(organisations).where(eq(organisations.id, organisationId)).get();
    if (!org) throw new AppError('organisation_not_found', 404, 'organisationId');
    if (org.closedAt) throw new AppError('organisation_closed', 409, 'organisationId');
  } else if (organisationId !== null) {
    throw new AppError('organisation_not_allowed', 400, 'organisationId');
  }
  const existing = db
    .select()
    .from(userRoles)
    .where(and(eq(userRoles.userId, userId), eq(userRoles.role, role), organisationId === null ? isNull(userRoles.organisationId) : eq(userRoles.organisationId, organisationId)))
    .get();
  if (existing) throw new AppError('role_already_granted', 409, 'role');
  const grant = db.transaction((tx) => {
    const row = tx.insert(userRoles).values({ userId, role, organisationId }).returning().get();
    recordAudit(tx, { actorId: actor.id, action: 'role.granted', targetType: 'user', targetId: userId, details: { role, organisationId }, ip: actor.ip }, now);
    return row;
  });
  const org = organisationId === null ? undefined : db.select().from(organisations).where(eq(organisations.id, organisationId)).get();
  return { id: grant.id, role, organisationId, organisationKy: org?.nameKy ?? null, organisationRu: org?.nameRu ?? null };
}

/** Revokes one grant. The last administrator who can sign in keeps the admin role. */
export function revokeRole(db: DB, actor: Actor, userId: number, grantId: number, now = new Date()): void {
  db.transaction((tx) => {
    const grant = tx.select().from(userRoles).where(and(eq(userRoles.id, grantId), eq(userRoles.userId, userId))).get();
    if (!grant) throw new AppError('role_not_found', 404);
    if (grant.role === 'admin') {
      const otherAdminGrant = tx
        .select({ id: userRoles.id })
        .from(userRoles)
        .where(and(eq(userRoles.userId, userId), eq(userRoles.role, 'admin'), ne(userRoles.id, grantId)))
        .get();
      const others = activeAdminIds(tx).filter((id) => id !== userId);
      if (!otherAdminGrant && others.length === 0) throw new AppError('last_admin', 409);
    }
    tx.delete(userRoles).where(eq(userRoles.id, grantId)).run();
    recordAudit(tx, { actorId: actor.id, action: 'role.revoked', targetType: 'user', targetId: userId, details: { role: grant.role, organisationId: grant.organisationId }, ip: actor.ip }, now);
  });
}

/** Locks an account: it cannot sign in and its sessions end at once. Never the last administrator. */
export function lockUser(db: DB, actor: Actor, userId: number, now = new Date()): void {
  db.transaction((tx) => {
    const user = tx.select().from(users).where(eq(users.id, userId)).get();
    if (!user) throw new AppError('person_not_found', 404);
    if (user.lockedAt) throw new AppError('already_locked', 409);
    const admins = activeAdminIds(tx);
    if (admins.includes(userId) && admins.length === 1) throw new AppError('last_admin', 409);
    tx.update(users).set({ lockedAt: now }).where(eq(users.id, userId)).run();
    tx.delete(sessions).where(eq(sessions.userId, userId)).run();
    recordAudit(tx, { actorId: actor.id, action: 'user.locked', targetType: 'user', targetId: userId, ip: actor.ip }, now);
  });
}

export function unlockUser(db: DB, actor: Actor, userId: number, now = new Date()): void {
  db.transaction((tx) => {
    const user = tx.select().from(users).where(eq(users.id, userId)).get();
    if (!user) throw new AppError('person_not_found', 404);
    if (!user.lockedAt) throw new AppError('not_locked', 409);
    tx.update(users).set({ lockedAt: null }).where(eq(users.id, userId)).run();
    recordAudit(tx, { actorId: actor.id, action: 'user.unlocked', targetType: 'user', targetId: userId, ip: actor.ip }, now);
  });
}

/** A password-reset link is valid this long after it is made. */
export const RESET_TTL_MS = 72 * 60 * 60 * 1000;
export { MIN_PASSWORD_LENGTH } from '../auth/password-policy';

function sha256Hex(text: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(text)));
}

/**
 * Makes a one-time reset link token for a person; only its hash is stored and earlier unused links of
 * that person stop working. The caller shows the token once to the administrator to pass on; the same
 * link is e-mailed to the person when they have an active account (server/modules/notifications).
 */
export function createPasswordReset(db: DB, actor: Actor, userId: number, now = new Date()): { token: string; expiresAt: Date } {
  return issueOneTimeLink(db, actor, userId, RESET_TTL_MS, 'reset', 'password.reset_link', now, 'password_reset');
}

/** An invitation link (HR, for a new servant) is valid this long after it is made. */
export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * Whether an HR invitation may set this person's password: only an account that has never had a
 * password and holds no role beyond learner. Anything else would let the officer who holds the link
 * take the account over (resetting an active account's password stays with administrators).
 */
export function invitable(db: DB, userId: number): boolean {
  const person = db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, userId)).get();
  if (!person || person.passwordHash !== null) return false;
  return !db.select({ id: userRoles.id }).from(userRoles).where(and(eq(userRoles.userId, userId), ne(userRoles.role, 'learner'))).get();
}

/**
 * An invitation to set a first password: the same one-time link as a password reset (only its hash
 * stored, single use, earlier unused links of the person stop working), valid for a week and
 * recorded in the audit log as `hr.invited`. The link opens /{lang}/invite/<token>. With `mail` the
 * link is also e-mailed to the person, queued in the same transaction.
 * 409 `invitation_not_allowed` for an account that has a password or holds a role beyond learner;
 * the same is checked again when the link is used.
 */
export function createInvitation(db: DB, actor: Actor, userId: number, now = new Date(), opts: { mail?: boolean } = {}): { token: string; expiresAt: Date; mailQueued: boolean } {
  return issueOneTimeLink(db, actor, userId, INVITATION_TTL_MS, 'invitation', 'hr.invited', now, opts.mail ? 'invitation' : null);
}

function issueOneTimeLink(
  db: DB, actor: { id: number | null; ip?: string | null }, userId: number, ttlMs: number, purpose: 'reset' | 'invitation' | 'registration', action: string, now: Date,
  mail: 'invitation' | 'password_reset' | 'email_confirmation' | null,
): { token: string; expiresAt: Date; mailQueued: boolean } {
  const bytes = new Uint8Array(32);
  crypto.getRandomValues(bytes);
  const token = encodeBase32LowerCaseNoPadding(bytes);
  const expiresAt = new Date(now.getTime() + ttlMs);
  const mailQueued = db.transaction((tx) => {
    if (!tx.select({ id: users.id }).from(users).where(eq(users.id, userId)).get()) throw new AppError('person_not_found', 404);
    if (purpose === 'invitation' && !invitable(tx, userId)) throw new AppError('invitation_not_allowed', 409);
    if (purpose === 'registration' && !unconfirmedCandidate(tx, userId)) throw new AppError('invitation_not_allowed', 409);
    tx.delete(passwordResets).where(and(eq(passwordResets.userId, userId), isNull(passwordResets.usedAt))).run();
    tx.insert(passwordResets).values({ tokenHash: sha256Hex(token), userId, createdBy: actor.id, createdAt: now, expiresAt, purpose }).run();
    recordAudit(tx, { actorId: actor.id, action, targetType: 'user', targetId: userId, details: { expiresAt: expiresAt.toISOString(), ...(mail ? { mail: true } : {}) }, ip: actor.ip }, now);
    if (!mail) return false;
    const path = mail === 'invitation' ? 'invite' : mail === 'email_confirmation' ? 'register' : 'reset';
    return notify(tx, { userId, kind: mail, params: { expires: { date: expiresAt.toISOString() } }, link: `${path}/${token}` }, now, { secret: true }).mailQueued;
  });
  return { token, expiresAt, mailQueued };
}

/** Self-service requests per e-mail and per client address within the window ("forgot password"). */
export const FORGOT_LIMIT = { perEmail: 3, perAddress: 20, windowMs: 60 * 60_000 };

/**
 * "Forgot password": when the e-mail belongs to an active account that has a password, a one-time
 * reset link is e-mailed (through the outbox). The caller answers the same whatever happened, so the
 * answer never tells whether an account exists; nothing is sent to an account never activated
 * (it needs its invitation) or locked. Rate-limited per e-mail and per address (counted in the
 * database, like sign-in failures, so every serving process sees the same counts): over the limit
 * nothing is sent and the same answer is given.
 */
export function requestPasswordReset(db: DB, input: { email: string; ip: string }, now = new Date()): { queued: boolean } {
  const email = input.email.trim().toLowerCase().slice(0, 254);
  const allowed = selfServiceAllowed(db, 'forgot', email, input.ip, now);
  if (!allowed) return { queued: false };
  const user = db.select().from(users).where(eq(users.email, email)).get();
  if (!user || !user.passwordHash || user.lockedAt || user.dismissedAt) return { queued: false };
  const made = issueOneTimeLink(db, { id: null, ip: input.ip }, user.id, RESET_TTL_MS, 'reset', 'password.reset_requested', now, 'password_reset');
  return { queued: made.mailQueued };
}

/** A candidate's e-mail confirmation link is valid this long. */
export const REGISTRATION_TTL_MS = 72 * 60 * 60 * 1000;

/**
 * Whether a registration link may still set this account's first password: a self-registered
 * candidate who never set one (the account holds the candidate role and nothing else).
 */
export function unconfirmedCandidate(db: DB, userId: number): boolean {
  const person = db.select({ passwordHash: users.passwordHash, lockedAt: users.lockedAt }).from(users).where(eq(users.id, userId)).get();
  if (!person || person.passwordHash !== null || person.lockedAt !== null) return false;
  const roles = db.select({ role: userRoles.role }).from(userRoles).where(eq(userRoles.userId, userId)).all().map((r) => r.role);
  return roles.length > 0 && roles.every((r) => r === 'candidate');
}

/** Counts a self-service request (forgot password, registration) per e-mail and per address; false when over the limit. */
function selfServiceAllowed(db: DB, kind: 'forgot' | 'register', email: string, ip: string, now: Date): boolean {
  const since = now.getTime() - FORGOT_LIMIT.windowMs;
  const keys = { email: `${kind}:${email}`, ip: `${kind}-ip:${ip}` };
  return db.transaction((tx) => {
    tx.delete(loginFailures).where(and(lt(loginFailures.at, since), like(loginFailures.key, `${kind}%`))).run();
    const counted = (key: string) => tx.select({ n: count() }).from(loginFailures).where(and(eq(loginFailures.key, key), gte(loginFailures.at, since))).get()!.n;
    if (counted(keys.email) >= FORGOT_LIMIT.perEmail || counted(keys.ip) >= FORGOT_LIMIT.perAddress) return false;
    tx.insert(loginFailures).values([{ key: keys.email, at: now.getTime() }, { key: keys.ip, at: now.getTime() }]).run();
    return true;
  });
}

const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * A citizen registers to apply to reserve competitions (docs/attestation.md): an account with the
 * candidate role and no password, and an e-mail with a one-time link (/{lang}/register/<token>) that
 * confirms the address by setting the first password. The caller answers the same whatever happened,
 * so the answer never tells whether an e-mail is known: for an existing unconfirmed candidate the link
 * is sent again, for any other existing account nothing is done. Rate-limited like "forgot password".
 * 400 `invalid_input` for an e-mail or name that cannot be one.
 */
export function registerCandidate(db: DB, input: { email: string; fullName: string; locale: 'ky' | 'ru'; ip: string }, now = new Date()): { queued: boolean } {
  const email = input.email.trim().toLowerCase();
  if (!EMAIL_SHAPE.test(email) || email.length > 254) throw new AppError('invalid_input', 400, 'email');
  const fullName = input.fullName.trim().replace(/\s+/g, ' ');
  if (fullName.length < 3 || fullName.length > 200) throw new AppError('invalid_input', 400, 'fullName');
  if (!selfServiceAllowed(db, 'register', email, input.ip, now)) return { queued: false };
  const existing = db.select({ id: users.id }).from(users).where(eq(users.email, email)).get();
  let userId: number;
  if (existing) {
    if (!unconfirmedCandidate(db, existing.id)) return { queued: false };
    userId = existing.id;
  } else {
    try {
      userId = db.transaction((tx) => {
        const user = tx.insert(users).values({ email, fullName, locale: input.locale, passwordHash: null, createdAt: now }).returning({ id: users.id }).get();
        tx.insert(userRoles).values({ userId: user.id, role: 'candidate', organisationId: null }).run();
        recordAudit(tx, { actorId: null, action: 'candidate.registered', targetType: 'user', targetId: user.id, details: { email }, ip: input.ip }, now);
        return user.id;
      });
    } catch (e) {
      // Two registrations of one e-mail at once: the unique index lets one through; the other says the same.
      if (e instanceof Error && /UNIQUE constraint failed: users\.email/.test(e.message)) return { queued: false };
      throw e;
    }
  }
  const made = issueOneTimeLink(db, { id: null, ip: input.ip }, userId, REGISTRATION_TTL_MS, 'registration', 'candidate.link_sent', now, 'email_confirmation');
  return { queued: made.mailQueued };
}

/** The person a reset token belongs to, when it is known, unused and not expired. */
export function findPasswordReset(db: DB, token: string, now = new Date()): { userId: number; email: string; fullName: string; purpose: 'reset' | 'invitation' | 'registration' } | null {
  if (!/^[a-z2-7]{20,80}$/.test(token)) return null;
  const row = db
    .select({ r: passwordResets, email: users.email, fullName: users.fullName })
    .from(passwordResets)
    .innerJoin(users, eq(passwordResets.userId, users.id))
    .where(eq(passwordResets.tokenHash, sha256Hex(token)))
    .get();
  if (!row || row.r.usedAt || row.r.expiresAt.getTime() <= now.getTime()) return null;
  if (row.r.purpose === 'invitation' && !invitable(db, row.r.userId)) return null;
  if (row.r.purpose === 'registration' && !unconfirmedCandidate(db, row.r.userId)) return null;
  return { userId: row.r.userId, email: row.email, fullName: row.fullName, purpose: row.r.purpose };
}

/**
 * Sets the new password from a one-time link, uses the link up and ends every session of the person.
 * An invitation sets a first password only: if the account got a password or a role beyond learner
 * since the link was made, the link is dead (`reset_link_invalid`).
 */
export async function resetPasswordWithToken(db: DB, token: string, password: string, ip: string | null, now = new Date()): Promise<void> {
  const found = findPasswordReset(db, token, now);
  if (!found) throw new AppError('reset_link_invalid', 404);
  // The one set-password service (auth) checks the password rule, hashes, saves and ends every
  // session; using the link up is part of the same transaction, so a link is used once even by two
  // requests at the same moment.
  await setPassword(db, found.userId, password, (tx) => {
    const used = tx
      .update(passwordResets)
      .set({ usedAt: now })
      .where(and(eq(passwordResets.tokenHash, sha256Hex(token)), isNull(passwordResets.usedAt)))
      .run();
    if (used.changes !== 1) throw new AppError('reset_link_invalid', 404);
    if (found.purpose === 'invitation' && !invitable(tx, found.userId)) throw new AppError('reset_link_invalid', 404);
    if (found.purpose === 'registration' && !unconfirmedCandidate(tx, found.userId)) throw new AppError('reset_link_invalid', 404);
    recordAudit(tx, { actorId: found.userId, action: found.purpose === 'registration' ? 'candidate.confirmed' : 'password.reset', targetType: 'user', targetId: found.userId, ip }, now);
  });
}

/** The id of the account with this e-mail (any case), or null. */
export function userIdByEmail(db: DB, email: string): number | null {
  return db.select({ id: users.id }).from(users).where(eq(users.email, email.trim().toLowerCase())).get()?.id ?? null;
}

/** Full names of the given users, for lists in other modules (grading queue, reports). */
export function fullNames(db: DB, ids: number[]): Map<number, string> {
  if (!ids.length) return new Map();
  const rows = db.select({ id: users.id, fullName: users.fullName }).from(users).where(inArray(users.id, [...new Set(ids)])).all();
  return new Map(rows.map((r) => [r.id, r.fullName]));
}

/** Who to write to about these people: address, language, name, organisation (reminders). */
export function contactsOf(
  db: DB,
  ids: number[],
): Map<number, { id: number; email: string; locale: 'ky' | 'ru'; fullName: string; gender: Gender | null; organisationId: number | null }> {
  if (ids.length === 0) return new Map();
  const rows: { id: number; email: string; locale: 'ky' | 'ru'; fullName: string; gender: Gender | null; organisationId: number | null }[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    rows.push(
      ...db
        .select({ id: users.id, email: users.email, locale: users.locale, fullName: users.fullName, gender: users.gender, organisationId: users.organisationId })
        .from(users)
        .where(inArray(users.id, ids.slice(i, i + 500)))
        .all(),
    );
  }
  return new Map(rows.map((r) => [r.id, r]));
}

/** Every hr grant of a person not locked: who, their address and language, and the organisation it covers. */
export function hrGrants(db: DB): { userId: number; email: string; locale: 'ky' | 'ru'; organisationId: number }[] {
  return db
    .select({ userId: users.id, email: users.email, locale: users.locale, organisationId: userRoles.organisationId })
    .from(userRoles)
    .innerJoin(users, eq(userRoles.userId, users.id))
    .where(and(eq(userRoles.role, 'hr'), isNotNull(userRoles.organisationId), isNull(users.lockedAt)))
    .all()
    .map((r) => ({ ...r, organisationId: r.organisationId! }));
}

/**
 * Everyone whose organisation is one of these (locked accounts included: what they did stays done),
 * with what HR plans and reports group people by. Read in chunks for SQLite's parameter limit.
 */
/** The counted staff (COUNTED_STAFF_SQL) of the given organisations on a Bishkek day. */
export function peopleOfOrganisations(db: DB, organisationIds: number[], day: string): { id: number; fullName: string; organisationId: number; service: Service | null; gender: 'female' | 'male' | null }[] {
  const out: { id: number; fullName: string; organisationId: number; service: Service | null; gender: 'female' | 'male' | null }[] = [];
  for (let i = 0; i < organisationIds.length; i += 5000) {
    const chunk = organisationIds.slice(i, i + 5000);
    for (const p of db
      .select({ id: users.id, fullName: users.fullName, organisationId: users.organisationId, service: users.service, gender: users.gender })
      .from(users)
      .where(and(inArray(users.organisationId, chunk), countedStaffWhere(day)))
      .all())
      out.push({ ...p, organisationId: p.organisationId! });
  }
  return out;
}

/** Everyone holding a role who can sign in (not locked), e.g. the reviewers to tell of a submitted draft. */
export function userIdsWithRole(db: DB, role: Role): number[] {
  return db
    .selectDistinct({ id: users.id })
    .from(userRoles)
    .innerJoin(users, eq(userRoles.userId, users.id))
    .where(and(eq(userRoles.role, role), isNull(users.lockedAt)))
    .all()
    .map((r) => r.id);
}
