import { and, eq, inArray, ne } from 'drizzle-orm';
import type { DB } from '@db/client';
import { organisations, userRoles, users } from '@db/schema';
import { ROLES, type Locale, type Role, type Service } from '@db/domain';
import { AppError } from '@server/lib/errors';
import { recordAudit } from '../audit/service';
import { grantRole, type User } from './service';
import { assertOpenProvider } from '../organisations/training-providers';

type Actor = { id: number; ip?: string | null };

/** What an administrator sets of an account (the person sets the password through a one-time link). */
export type AccountFields = {
  email: string;
  fullName: string;
  organisationId: number | null;
  positionTitle: string | null;
  service: Service | null;
  personalNumber: string | null;
  locale: Locale;
};

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PIN = /^\d{14}$/;

function normalise(f: AccountFields): AccountFields {
  const email = f.email.trim().toLowerCase();
  if (!EMAIL.test(email) || email.length > 254) throw new AppError('invalid_input', 400, 'email');
  const fullName = f.fullName.trim();
  if (!fullName) throw new AppError('invalid_input', 400, 'fullName');
  const personalNumber = f.personalNumber?.replace(/\s/g, '') || null;
  if (personalNumber !== null && !PIN.test(personalNumber)) throw new AppError('invalid_personal_number', 400, 'personalNumber');
  return { ...f, email, fullName, personalNumber, positionTitle: f.positionTitle?.trim() || null };
}

/** The checks a row must pass against others: e-mail and personal number unique, organisation open. */
function checkAgainstOthers(tx: DB, f: AccountFields, userId: number | null): void {
  const sameEmail = tx.select({ id: users.id }).from(users).where(userId === null ? eq(users.email, f.email) : and(eq(users.email, f.email), ne(users.id, userId))).get();
  if (sameEmail) throw new AppError('email_taken', 409, 'email');
  if (f.personalNumber !== null) {
    const samePin = tx.select({ id: users.id }).from(users).where(userId === null ? eq(users.personalNumber, f.personalNumber) : and(eq(users.personalNumber, f.personalNumber), ne(users.id, userId))).get();
    if (samePin) throw new AppError('personal_number_taken', 409, 'personalNumber');
  }
  if (f.organisationId !== null) {
    const org = tx.select({ closedAt: organisations.closedAt }).from(organisations).where(eq(organisations.id, f.organisationId)).get();
    if (!org) throw new AppError('organisation_not_found', 404, 'organisationId');
    if (org.closedAt) throw new AppError('organisation_closed', 409, 'organisationId');
  }
}

/**
 * An administrator creates an account: no password (the administrator gives the person a one-time
 * link from the person's page), the learner role, recorded in the audit log as `user.created`.
 * 409 `email_taken` / `personal_number_taken`; the unique indexes settle a race between two admins.
 */
export function createAccount(db: DB, actor: Actor, input: AccountFields, now = new Date()): User {
  const f = normalise(input);
  try {
    return db.transaction((tx) => {
      checkAgainstOthers(tx, f, null);
      const user = tx.insert(users).values({ ...f, passwordHash: null, createdAt: now }).returning().get();
      tx.insert(userRoles).values({ userId: user.id, role: 'learner', organisationId: null }).run();
      recordAudit(tx, { actorId: actor.id, action: 'user.created', targetType: 'user', targetId: user.id, details: { email: f.email, organisationId: f.organisationId }, ip: actor.ip }, now);
      return user;
    });
  } catch (e) {
    throw uniqueConflict(e);
  }
}

/** An administrator changes an account's details; the audit entry keeps the old and new values of what changed. */
export function updateAccount(db: DB, actor: Actor, userId: number, input: AccountFields, now = new Date()): User {
  const f = normalise(input);
  try {
    return db.transaction((tx) => {
      const before = tx.select().from(users).where(eq(users.id, userId)).get();
      if (!before) throw new AppError('person_not_found', 404);
      checkAgainstOthers(tx, f, userId);
      const changed: Record<string, { from: unknown; to: unknown }> = {};
      for (const k of Object.keys(f) as (keyof AccountFields)[]) if (before[k] !== f[k]) changed[k] = { from: before[k], to: f[k] };
      if (Object.keys(changed).length === 0) return before;
      const user = tx.update(users).set(f).where(eq(users.id, userId)).returning().get();
      recordAudit(tx, { actorId: actor.id, action: 'user.updated', targetType: 'user', targetId: userId, details: { changed }, ip: actor.ip }, now);
      return user;
    });
  } catch (e) {
    throw uniqueConflict(e);
  }
}

/**
 * An administrator sets the training provider a person writes courses for (an open organisation of
 * kind `provider`), or clears it with null: their new drafts name it. 404 `person_not_found`,
 * 404 `provider_not_found` / 409 `provider_closed` (field `providerId`). Recorded as `user.provider_set`.
 */
export function setAccountProvider(db: DB, actor: Actor, userId: number, providerId: number | null, now = new Date()): User {
  return db.transaction((tx) => {
    const before = tx.select().from(users).where(eq(users.id, userId)).get();
    if (!before) throw new AppError('person_not_found', 404);
    if (providerId !== null && providerId !== before.providerId) assertOpenProvider(tx, providerId, 'providerId');
    if (before.providerId === providerId) return before;
    const user = tx.update(users).set({ providerId }).where(eq(users.id, userId)).returning().get();
    recordAudit(tx, { actorId: actor.id, action: 'user.provider_set', targetType: 'user', targetId: userId, details: { from: before.providerId, to: providerId }, ip: actor.ip }, now);
    return user;
  });
}

function uniqueConflict(e: unknown): unknown {
  const msg = e instanceof Error ? e.message : '';
  if (/UNIQUE constraint failed: users\.email/.test(msg)) return new AppError('email_taken', 409, 'email');
  if (/UNIQUE constraint failed: users\.personal_number/.test(msg)) return new AppError('personal_number_taken', 409, 'personalNumber');
  return e;
}

// ---- roles for many people at once ----

/** Lines of a bulk grant at most (a list pasted or a CSV file). */
export const BULK_MAX_LINES = 5000;
export const BULK_MAX_BYTES = 1024 * 1024;

export type BulkLine = {
  /** 1-based line of the text (a header line counts) */
  line: number;
  email: string;
  role: Role | null;
  organisationId: number | null;
  userId: number | null;
  fullName: string | null;
  /** `grant`: will be / was granted; `already`: the person holds it (skipped); `error`: see `code` */
  result: 'grant' | 'already' | 'error';
  code: string | null;
};
export type BulkReport = { lines: BulkLine[]; grant: number; already: number; errors: number; applied: boolean };

/** A CSV/list line: comma or semicolon separated, cells trimmed and unquoted (no quoted separators needed here). */
const cellsOf = (line: string): string[] => line.split(/[;,\t]/).map((c) => c.trim().replace(/^"(.*)"$/, '$1').trim());

/**
 * Roles for many people at once. `text` is a list of e-mails, one a line, or a CSV with the columns
 * `email[,role[,organisation]]` (a header line starting with `email` is skipped; comma, semicolon or
 * tab). A line without a role takes `defaults.role`; an organisation (its number or its e-Kyzmat
 * code) is needed for hr and refused for the other roles. Every line is checked and reported
 * (unknown person, unknown role, organisation missing/unknown/closed, the same grant twice in the
 * file, already held); nothing is saved unless `apply` — then the `grant` lines are granted in one
 * transaction (each recorded as role.granted), and only if the file has no error line, so an
 * administrator applies exactly what the preview showed.
 */
export function bulkGrant(db: DB, actor: Actor, input: { text: string; role?: Role | null; organisationId?: number | null; apply: boolean }, now = new Date()): BulkReport {
  if (Buffer.byteLength(input.text, 'utf8') > BULK_MAX_BYTES) throw new AppError('bulk_too_large', 413);
  const raw = input.text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const numbered = raw.map((text, i) => ({ line: i + 1, cells: cellsOf(text) })).filter((l) => l.cells.some(Boolean));
  if (numbered.length && /^e-?mail$/i.test(numbered[0]!.cells[0]!)) numbered.shift();
  if (numbered.length === 0) throw new AppError('bulk_empty', 422);
  if (numbered.length > BULK_MAX_LINES) throw new AppError('bulk_too_many_lines', 422);

  const emails = [...new Set(numbered.map((l) => l.cells[0]!.toLowerCase()))];
  const people = new Map<string, { id: number; fullName: string }>();
  for (let i = 0; i < emails.length; i += 500) {
    for (const p of db.select({ id: users.id, email: users.email, fullName: users.fullName }).from(users).where(inArray(users.email, emails.slice(i, i + 500))).all()) people.set(p.email, p);
  }
  const orgs = db.select({ id: organisations.id, code: organisations.code, closedAt: organisations.closedAt }).from(organisations).all();
  const orgById = new Map(orgs.map((o) => [o.id, o]));
  const orgByCode = new Map(orgs.filter((o) => o.code).map((o) => [o.code!.toLowerCase(), o]));
  const held = new Set(
    db.select({ userId: userRoles.userId, role: userRoles.role, organisationId: userRoles.organisationId }).from(userRoles)
      .where(inArray(userRoles.userId, [...people.values()].map((p) => p.id).slice(0, BULK_MAX_LINES)))
      .all()
      .map((g) => `${g.userId}/${g.role}/${g.organisationId ?? ''}`),
  );

  const seen = new Set<string>();
  const lines: BulkLine[] = numbered.map(({ line, cells }) => {
    const email = cells[0]!.toLowerCase();
    const roleCell = cells[1] || input.role || '';
    const orgCell = cells[2] ?? '';
    const person = people.get(email);
    const out: BulkLine = { line, email, role: null, organisationId: null, userId: person?.id ?? null, fullName: person?.fullName ?? null, result: 'error', code: null };
    if (!person) return { ...out, code: 'person_not_found' };
    if (!(ROLES as readonly string[]).includes(roleCell)) return { ...out, code: 'role_unknown' };
    const role = roleCell as Role;
    out.role = role;
    let orgId: number | null = null;
    if (orgCell) {
      const org = /^\d{1,9}$/.test(orgCell) ? orgById.get(Number(orgCell)) ?? orgByCode.get(orgCell.toLowerCase()) : orgByCode.get(orgCell.toLowerCase());
      if (!org) return { ...out, code: 'organisation_not_found' };
      orgId = org.id;
    } else if (role === 'hr') orgId = input.organisationId ?? null;
    if (role === 'hr') {
      if (orgId === null) return { ...out, code: 'organisation_required' };
      if (orgById.get(orgId)?.closedAt) return { ...out, organisationId: orgId, code: 'organisation_closed' };
      if (!orgById.has(orgId)) return { ...out, code: 'organisation_not_found' };
    } else if (orgCell) return { ...out, code: 'organisation_not_allowed' };
    out.organisationId = role === 'hr' ? orgId : null;
    const key = `${person.id}/${role}/${out.organisationId ?? ''}`;
    if (seen.has(key)) return { ...out, code: 'duplicate_in_file' };
    seen.add(key);
    if (held.has(key)) return { ...out, result: 'already' };
    return { ...out, result: 'grant' };
  });

  const count = (r: BulkLine['result']) => lines.filter((l) => l.result === r).length;
  const report = { lines, grant: count('grant'), already: count('already'), errors: count('error'), applied: false };
  if (!input.apply) return report;
  if (report.errors > 0) throw new AppError('bulk_has_errors', 422);
  db.transaction((tx) => {
    for (const l of lines) if (l.result === 'grant') grantRole(tx, actor, l.userId!, l.role!, l.organisationId, now);
  });
  return { ...report, applied: true };
}
