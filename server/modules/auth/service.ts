import { hash, verify } from '@node-rs/argon2';
import { passwordLoginOff } from './sso';
import { sha256 } from '@oslojs/crypto/sha2';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { and, eq, isNull, lt, ne, or, sql } from 'drizzle-orm';
import type { DB } from '@db/client';
import { sessions, userRoles, users } from '@db/schema';
import { checkNewPassword, MAX_PASSWORD_LENGTH } from './password-policy';
import { AppError } from '@server/lib/errors';
import type { Locale, Role } from '@db/domain';
import { ABSOLUTE_TIMEOUT_MS, type Session, type SessionUser } from '@server/lib/session';
import { recordAudit } from '../audit/service';
import { subtreeIds } from '../organisations/service';
import { loginLimiter } from './rate-limit';
import { prepared } from '@db/statements';

/** A session expires after this long without use (and ABSOLUTE_TIMEOUT_MS after sign-in in any case). */
export const IDLE_TIMEOUT_MS = 3 * 24 * 60 * 60 * 1000;
/** Refresh last-use at most this often, so reading pages does not write on every request. */
const ACTIVITY_CHECK_INTERVAL_MS = 60 * 60 * 1000;

// OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane. Under test (NODE_ENV=test, never in
// production) the same real argon2id with 1 MiB and 1 pass, so the suites' thousands of sign-ins stay
// cheap; a hash records its parameters, so either kind verifies anywhere.
const ARGON2 = process.env.NODE_ENV === 'test'
  ? { memoryCost: 1024, timeCost: 1, parallelism: 1, outputLen: 32 }
  : { memoryCost: 19456, timeCost: 2, parallelism: 1, outputLen: 32 };

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2);
}

// Verifying against this when the e-mail is unknown keeps the answer time the same either way.
let dummyHash: Promise<string> | undefined;

function randomToken(): string {
  const bytes = new Uint8Array(20);
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes);
}

function hashSecret(secret: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(secret)));
}

/** Creates a session and returns the token for the cookie: `<id>.<secret>`. */
export function createSession(db: DB, userId: number, now = new Date()): { token: string; session: Session } {
  const id = randomToken();
  const secret = randomToken();
  const session = { id, userId, createdAt: now, lastVerifiedAt: now };
  db.insert(sessions).values({ ...session, secretHash: hashSecret(secret) }).run();
  return { token: `${id}.${secret}`, session };
}

/**
 * The three reads every signed-in request makes, prepared once per connection (db/statements.ts): building and
 * preparing them anew on each request was a tenth of the server's CPU under exam-day load
 * (npm run bench, profile).
 */
function prepareHot(db: DB) {
  return {
    session: db.select().from(sessions).where(eq(sessions.id, sql.placeholder('id'))).prepare(),
    user: db.select().from(users).where(and(eq(users.id, sql.placeholder('id')), isNull(users.lockedAt))).prepare(),
    roles: db.select().from(userRoles).where(eq(userRoles.userId, sql.placeholder('id'))).prepare(),
  };
}
function stmts(db: DB) {
  return prepared(db, prepareHot);
}

/** The session and its user for a cookie token, or null when unknown, expired, tampered or locked. */
export function validateSessionToken(
  db: DB,
  token: string,
  now = new Date(),
): { session: Session; user: SessionUser } | null {
  const [id, secret, extra] = token.split('.');
  if (!id || !secret || extra !== undefined) return null;
  const row = stmts(db).session.get({ id });
  if (!row) return null;
  const given = new TextEncoder().encode(hashSecret(secret));
  if (!constantTimeEqual(given, new TextEncoder().encode(row.secretHash))) return null;
  const t = now.getTime();
  if (t - row.lastVerifiedAt.getTime() >= IDLE_TIMEOUT_MS || t - row.createdAt.getTime() >= ABSOLUTE_TIMEOUT_MS) {
    invalidateSession(db, id);
    return null;
  }
  const user = loadSessionUser(db, row.userId);
  if (!user) {
    invalidateSession(db, id);
    return null;
  }
  if (t - row.lastVerifiedAt.getTime() >= ACTIVITY_CHECK_INTERVAL_MS) {
    db.update(sessions).set({ lastVerifiedAt: now }).where(eq(sessions.id, id)).run();
    row.lastVerifiedAt = now;
  }
  return { session: { id: row.id, userId: row.userId, createdAt: row.createdAt, lastVerifiedAt: row.lastVerifiedAt }, user };
}

/** Roles are read on every request, so a role change takes effect on the user's next request. */
export function loadSessionUser(db: DB, userId: number): SessionUser | null {
  const user = stmts(db).user.get({ id: userId });
  if (!user) return null;
  const roleRows = stmts(db).roles.all({ id: userId });
  const roles = [...new Set(roleRows.map((r) => r.role))];
  const hrRoots = roleRows.filter((r) => r.role === 'hr' && r.organisationId !== null).map((r) => r.organisationId!);
  return {
    id: user.id,
    email: user.email,
    fullName: user.fullName,
    locale: user.locale,
    organisationId: user.organisationId,
    roles,
    hrOrganisationIds: hrRoots.length ? subtreeIds(db, hrRoots) : [],
  };
}

export function invalidateSession(db: DB, sessionId: string): void {
  db.delete(sessions).where(eq(sessions.id, sessionId)).run();
}

export function invalidateUserSessions(db: DB, userId: number): void {
  db.delete(sessions).where(eq(sessions.userId, userId)).run();
}

/** Deletes sessions past either limit (a refused cookie deletes its own; this catches the abandoned ones). */
export function deleteExpiredSessions(db: DB, now = new Date()): number {
  const t = now.getTime();
  return db
    .delete(sessions)
    .where(or(lt(sessions.lastVerifiedAt, new Date(t - IDLE_TIMEOUT_MS)), lt(sessions.createdAt, new Date(t - ABSOLUTE_TIMEOUT_MS))))
    .run().changes;
}

let sessionSweeper: ReturnType<typeof setInterval> | undefined;
/** Runs deleteExpiredSessions every interval in this process (once; unref'd, never keeps it alive). */
export function startSessionSweeper(getDb: () => DB, intervalMs = 60 * 60_000): void {
  sessionSweeper ??= setInterval(() => {
    try {
      deleteExpiredSessions(getDb());
    } catch (e) {
      console.error('session sweep failed', e);
    }
  }, intervalMs);
  sessionSweeper.unref?.();
}

/**
 * Checks e-mail and password. Every failure gives the same `invalid_credentials`, so the answer never
 * tells whether an account exists; too many attempts per e-mail or per address give
 * `too_many_attempts`. The attempt is reserved in the database before the password is checked
 * (rate-limit.ts), so simultaneous guesses cannot slip past the count.
 */
export async function login(
  db: DB,
  input: { email: string; password: string; ip: string },
  now = new Date(),
): Promise<{ token: string; session: Session; userId: number }> {
  const email = input.email.trim().toLowerCase();
  const reservation = loginLimiter.reserve(db, email, input.ip, now.getTime());
  if (!reservation) throw new AppError('too_many_attempts', 429);
  const user = db.select().from(users).where(eq(users.email, email)).get();
  const ok = user?.passwordHash
    ? await verify(user.passwordHash, input.password)
    : await verify(await (dummyHash ??= hashPassword('not-a-password')), input.password).then(() => false);
  if (!ok || !user || user.lockedAt) {
    // The reservation stays as the failure. Attempts the limit turned away before checking are not
    // recorded: that keeps a flood from filling the append-only log. Never the password; the e-mail
    // as typed (cut short), to see attacks.
    const reason = !user ? 'unknown_email' : user.lockedAt && ok ? 'locked' : 'wrong_password';
    recordAudit(db, { actorId: user?.id ?? null, action: 'auth.login_failed', targetType: 'user', targetId: user?.id ?? null, details: { email: email.slice(0, 254), reason }, ip: input.ip }, now);
    throw new AppError('invalid_credentials', 401);
  }
  loginLimiter.succeed(db, reservation);
  // an organisation that signs in through single sign-on only (server/modules/auth/sso.ts)
  if (passwordLoginOff(db, user.organisationId)) {
    recordAudit(db, { actorId: user.id, action: 'auth.login_failed', targetType: 'user', targetId: user.id, details: { email: email.slice(0, 254), reason: 'password_login_off' }, ip: input.ip }, now);
    throw new AppError('password_login_off', 403);
  }
  const { token, session } = db.transaction((tx) => {
    const created = createSession(tx, user.id, now);
    recordAudit(tx, { actorId: user.id, action: 'auth.login', targetType: 'user', targetId: user.id, ip: input.ip }, now);
    return created;
  });
  return { token, session, userId: user.id };
}

/** A session for a person single sign-on identified (server/modules/auth/sso.ts ssoCallback), recorded as auth.login. */
export function openSsoSession(db: DB, userId: number, via: string, ip: string | null, now = new Date()): { token: string; session: Session } {
  return db.transaction((tx) => {
    const created = createSession(tx, userId, now);
    recordAudit(tx, { actorId: userId, action: 'auth.login', targetType: 'user', targetId: userId, details: { method: 'sso', via }, ip }, now);
    return created;
  });
}

export { MIN_PASSWORD_LENGTH, MAX_PASSWORD_LENGTH } from './password-policy';

/**
 * The one way a password is set (reset link, invitation, the profile's change): checks it, hashes it,
 * saves it and ends the person's sessions — all of them, or all but `keepSessionId` (the session of
 * the person changing it on their profile). `within` runs in the same transaction first (using up a
 * one-time link, the audit entry), so either everything happens or nothing.
 */
export async function setPassword(
  db: DB,
  userId: number,
  password: string,
  within?: (tx: Parameters<Parameters<DB['transaction']>[0]>[0]) => void,
  opts: { keepSessionId?: string } = {},
): Promise<void> {
  // the one password rule (length, patterns, common and personal words) for every password set
  const person = db.select({ email: users.email, fullName: users.fullName }).from(users).where(eq(users.id, userId)).get();
  checkNewPassword(password, person);
  const passwordHash = await hashPassword(password);
  db.transaction((tx) => {
    within?.(tx);
    tx.update(users).set({ passwordHash }).where(eq(users.id, userId)).run();
    tx.delete(sessions)
      .where(opts.keepSessionId ? and(eq(sessions.userId, userId), ne(sessions.id, opts.keepSessionId)) : eq(sessions.userId, userId))
      .run();
  });
}

/**
 * A signed-in person changes their own password: the current one is required (`wrong_password`,
 * 400 on field currentPassword); every other session ends, this one stays.
 */
export async function changeOwnPassword(
  db: DB,
  actor: { id: number; sessionId: string; ip?: string | null },
  input: { currentPassword: string; newPassword: string },
  now = new Date(),
): Promise<void> {
  const user = db.select().from(users).where(eq(users.id, actor.id)).get();
  if (!user?.passwordHash || !(await verify(user.passwordHash, input.currentPassword.slice(0, MAX_PASSWORD_LENGTH)))) {
    throw new AppError('wrong_password', 400, 'currentPassword');
  }
  await setPassword(db, actor.id, input.newPassword, (tx) => {
    recordAudit(tx, { actorId: actor.id, action: 'password.changed', targetType: 'user', targetId: actor.id, ip: actor.ip ?? null }, now);
  }, { keepSessionId: actor.sessionId });
}

/** The interface language a person reads pages and e-mails in. */
export function setLocale(db: DB, userId: number, locale: Locale): void {
  db.update(users).set({ locale }).where(eq(users.id, userId)).run();
}
