/**
 * API tokens: how an integration (the national HR information system, a reporting tool) reads from
 * the platform without anyone's password or session cookie. An administrator issues a token with a
 * name, scopes, an optional organisation (its subtree is what the token may read; none: all) and an
 * expiry; the token is shown once and only SHA-256 of its secret is kept. Every use is recorded in the
 * audit log and as `last_used_at`; a revoked or expired token is refused.
 */
import { sha256 } from '@oslojs/crypto/sha2';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { desc, eq, isNull } from 'drizzle-orm';
import type { DB } from '@db/client';
import { apiTokens, organisations, users } from '@db/schema';
import { AppError } from '@server/lib/errors';
import { recordAudit } from '../audit/service';
import { subtreeIds } from '../organisations/service';

/** What a token may do. `export:read`: the completions export (GET /api/hr/export/completions). */
export const TOKEN_SCOPES = ['export:read'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

/** The longest a token may live; issuing one without an expiry is not offered. */
export const MAX_TOKEN_DAYS = 730;

export type ApiToken = typeof apiTokens.$inferSelect;
export type TokenView = {
  id: string;
  name: string;
  scopes: string[];
  organisation: { id: number; nameKy: string; nameRu: string } | null;
  createdBy: { id: number; fullName: string };
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
  state: 'active' | 'expired' | 'revoked';
};
/** The machine client a valid token stands for. */
export type TokenClient = { tokenId: string; name: string; scopes: string[]; organisationIds: number[] | 'all' };

type Actor = { id: number; ip?: string | null };

function random(bytes: number): string {
  const b = new Uint8Array(bytes);
  crypto.getRandomValues(b);
  return encodeBase32LowerCaseNoPadding(b);
}
const hashSecret = (secret: string) => encodeHexLowerCase(sha256(new TextEncoder().encode(secret)));
const TOKEN = /^bilim_([a-z2-7]{16})_([a-z2-7]{52})$/;

function stateOf(t: ApiToken, now: Date): TokenView['state'] {
  if (t.revokedAt) return 'revoked';
  if (t.expiresAt && t.expiresAt.getTime() <= now.getTime()) return 'expired';
  return 'active';
}

/** Issues a token; the answer holds the token itself, which is never shown again. */
export function issueToken(
  db: DB,
  actor: Actor,
  input: { name: string; scopes: TokenScope[]; organisationId?: number | null; expiresInDays: number },
  now = new Date(),
): { token: string; view: TokenView } {
  const name = input.name.trim();
  if (!name) throw new AppError('invalid_input', 400, 'name');
  if (input.expiresInDays < 1 || input.expiresInDays > MAX_TOKEN_DAYS) throw new AppError('invalid_input', 400, 'expiresInDays');
  const scopes = [...new Set(input.scopes)];
  if (scopes.length === 0) throw new AppError('invalid_input', 400, 'scopes');
  const organisationId = input.organisationId ?? null;
  if (organisationId !== null && !db.select({ id: organisations.id }).from(organisations).where(eq(organisations.id, organisationId)).get()) {
    throw new AppError('organisation_not_found', 404, 'organisationId');
  }
  const id = random(10);
  const secret = random(32);
  const expiresAt = new Date(now.getTime() + input.expiresInDays * 86_400_000);
  db.transaction((tx) => {
    tx.insert(apiTokens).values({ id, name, scopes, organisationId, secretHash: hashSecret(secret), createdBy: actor.id, createdAt: now, expiresAt }).run();
    recordAudit(tx, { actorId: actor.id, action: 'token.issued', targetType: 'api_token', targetId: id, details: { name, scopes, organisationId, expiresAt: expiresAt.toISOString() }, ip: actor.ip ?? null }, now);
  });
  return { token: `bilim_${id}_${secret}`, view: listTokens(db, now).find((t) => t.id === id)! };
}

/** Every token, newest first, with its state; never a secret. */
export function listTokens(db: DB, now = new Date()): TokenView[] {
  const orgs = new Map(db.select({ id: organisations.id, nameKy: organisations.nameKy, nameRu: organisations.nameRu }).from(organisations).all().map((o) => [o.id, o]));
  return db
    .select({ token: apiTokens, creatorName: users.fullName })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.createdBy))
    .orderBy(desc(apiTokens.createdAt), desc(apiTokens.id))
    .all()
    .map(({ token: t, creatorName }) => ({
      id: t.id,
      name: t.name,
      scopes: t.scopes,
      organisation: t.organisationId !== null ? (orgs.get(t.organisationId) ?? null) : null,
      createdBy: { id: t.createdBy, fullName: creatorName },
      createdAt: t.createdAt.toISOString(),
      expiresAt: t.expiresAt?.toISOString() ?? null,
      lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
      revokedAt: t.revokedAt?.toISOString() ?? null,
      state: stateOf(t, now),
    }));
}

/** Revokes a token at once; revoking it again is a 409. */
export function revokeToken(db: DB, actor: Actor, id: string, now = new Date()): void {
  db.transaction((tx) => {
    const t = tx.select().from(apiTokens).where(eq(apiTokens.id, id)).get();
    if (!t) throw new AppError('token_not_found', 404);
    if (t.revokedAt) throw new AppError('token_revoked', 409);
    tx.update(apiTokens).set({ revokedAt: now, revokedBy: actor.id }).where(eq(apiTokens.id, id)).run();
    recordAudit(tx, { actorId: actor.id, action: 'token.revoked', targetType: 'api_token', targetId: id, details: { name: t.name }, ip: actor.ip ?? null }, now);
  });
}

/**
 * The client a bearer token stands for, when the token is genuine, not revoked, not expired and holds
 * `scope` — else 401 `invalid_token` (whatever the reason, so a guesser learns nothing) or 403
 * `insufficient_scope`. A successful use sets `last_used_at` and writes `token.used` to the audit log
 * with the path, in one transaction.
 */
export function useToken(db: DB, token: string, scope: TokenScope, use: { path: string; ip: string | null }, now = new Date()): TokenClient {
  const m = TOKEN.exec(token);
  const row = m ? db.select().from(apiTokens).where(eq(apiTokens.id, m[1]!)).get() : undefined;
  const ok = !!row && constantTimeEqual(new TextEncoder().encode(row.secretHash), new TextEncoder().encode(hashSecret(m![2]!)));
  if (!row || !ok || stateOf(row, now) !== 'active') throw new AppError('invalid_token', 401);
  if (!row.scopes.includes(scope)) throw new AppError('insufficient_scope', 403);
  db.transaction((tx) => {
    tx.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, row.id)).run();
    recordAudit(tx, { actorId: null, action: 'token.used', targetType: 'api_token', targetId: row.id, details: { name: row.name, scope, path: use.path }, ip: use.ip }, now);
  });
  return { tokenId: row.id, name: row.name, scopes: row.scopes, organisationIds: row.organisationId === null ? 'all' : subtreeIds(db, [row.organisationId]) };
}

/** Active tokens, for the system page's count. */
export function activeTokenCount(db: DB, now = new Date()): number {
  return db.select().from(apiTokens).where(isNull(apiTokens.revokedAt)).all().filter((t) => stateOf(t, now) === 'active').length;
}
