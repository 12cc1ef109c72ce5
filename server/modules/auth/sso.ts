import * as oidc from 'openid-client';
import { and, eq, inArray, isNotNull } from 'drizzle-orm';
import type { DB } from '@db/client';
import { organisations, settings, users } from '@db/schema';
import { AppError } from '@server/lib/errors';
import { prepared } from '@db/statements';
import { recordAudit } from '../audit/service';

/**
 * Single sign-on with OpenID Connect: the authorization code flow with PKCE (S256), state and nonce,
 * through openid-client. The provider is set in the settings (issuer, client id, client secret, and
 * the claim that carries the personal number). A person is linked only through a verified claim:
 * the personal number (ПИН) claim, or an e-mail the provider marks `email_verified: true` — never by
 * name. The first link stores `<issuer> <sub>` on the account; later sign-ins find it by that.
 */
export type SsoConfig = { issuer: string; clientId: string; clientSecret: string; personalNumberClaim: string | null };

const read = (db: DB, key: string) => db.select().from(settings).where(eq(settings.key, key)).get()?.value ?? null;

/** The provider set in the settings, or null while issuer, client id or client secret is missing. */
export function ssoConfig(db: DB): SsoConfig | null {
  const issuer = read(db, 'ssoIssuer');
  const clientId = read(db, 'ssoClientId');
  const clientSecret = read(db, 'ssoClientSecret');
  if (!issuer || !clientId || !clientSecret) return null;
  return { issuer, clientId, clientSecret, personalNumberClaim: read(db, 'ssoPersonalNumberClaim') };
}

/** http only on loopback (a provider started by the tests, or a local one); https everywhere else. */
function loopback(url: string): boolean {
  const u = new URL(url);
  return u.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);
}

const newDiscoveryCache = () => new Map<string, Promise<oidc.Configuration>>();
/** The provider's metadata (cached per database, issuer and client); its `issuer` must be exactly the one configured. */
async function providerConfig(db: DB, c: SsoConfig): Promise<oidc.Configuration> {
  const discovered = prepared(db, newDiscoveryCache);
  const key = JSON.stringify([c.issuer, c.clientId, c.clientSecret]);
  let p = discovered.get(key);
  if (!p) {
    const insecure = loopback(c.issuer);
    if (!insecure && !c.issuer.startsWith('https://')) throw new AppError('sso_unavailable', 409);
    p = oidc.discovery(new URL(c.issuer), c.clientId, { client_secret: c.clientSecret }, oidc.ClientSecretPost(c.clientSecret), insecure ? { execute: [oidc.allowInsecureRequests], timeout: 10 } : { timeout: 10 });
    discovered.set(key, p);
    p.catch(() => discovered.delete(key));
  }
  return p;
}

/** What the browser keeps between the start and the callback (in an httpOnly cookie): never sent to the provider. */
export type SsoPending = { state: string; verifier: string; nonce: string; next: string; lang: 'ky' | 'ru' };

/** Where to send the browser to sign in, and what to keep for the callback. */
export async function ssoStart(db: DB, redirectUri: string, next: string, lang: 'ky' | 'ru'): Promise<{ url: string; pending: SsoPending }> {
  const c = ssoConfig(db);
  if (!c) throw new AppError('sso_not_configured', 404);
  let config: oidc.Configuration;
  try {
    config = await providerConfig(db, c);
  } catch {
    throw new AppError('sso_unavailable', 409);
  }
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: 'openid email profile',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  });
  return { url: url.href, pending: { state, verifier, nonce, next, lang } };
}

type Claims = Record<string, unknown> & { sub: string };

/**
 * The account for the provider's verified claims: the one already linked to this subject; else the
 * one with the personal number of the configured claim (14 digits); else the one with the e-mail the
 * provider verified. A found account is linked to the subject. Never by name.
 */
export function linkAccount(db: DB, c: SsoConfig, claims: Claims): { userId: number; via: 'subject' | 'personal_number' | 'email' } {
  const subject = `${c.issuer} ${claims.sub}`;
  const linked = db.select().from(users).where(eq(users.ssoSubject, subject)).get();
  if (linked) return { userId: linked.id, via: 'subject' };
  let found: typeof users.$inferSelect | undefined;
  let via: 'personal_number' | 'email' = 'personal_number';
  const pin = c.personalNumberClaim ? claims[c.personalNumberClaim] : undefined;
  if (typeof pin === 'string' && /^\d{14}$/.test(pin)) found = db.select().from(users).where(eq(users.personalNumber, pin)).get();
  if (!found && claims.email_verified === true && typeof claims.email === 'string') {
    found = db.select().from(users).where(eq(users.email, claims.email.trim().toLowerCase())).get();
    via = 'email';
  }
  if (!found) throw new AppError('sso_no_account', 403);
  if (found.ssoSubject && found.ssoSubject !== subject) throw new AppError('sso_linked_elsewhere', 409);
  db.update(users).set({ ssoSubject: subject }).where(eq(users.id, found.id)).run();
  return { userId: found.id, via };
}

/**
 * The callback: checks state (against the browser's cookie), exchanges the code with the PKCE
 * verifier, checks the ID token (issuer, audience, signature, nonce) and links the account; the route
 * then opens the session (auth/service.ts openSsoSession). Any failure is an AppError with a code for the sign-in page; recorded in the audit log.
 */
export async function ssoCallback(db: DB, currentUrl: URL, pending: SsoPending | null, ip: string | null, now = new Date()): Promise<{ userId: number; via: string; next: string }> {
  const c = ssoConfig(db);
  if (!c) throw new AppError('sso_not_configured', 404);
  const fail = (reason: string, code: string, status: 400 | 403 | 409 = 400, userId: number | null = null): never => {
    recordAudit(db, { actorId: userId, action: 'auth.sso_failed', targetType: 'user', targetId: userId, details: { reason }, ip }, now);
    throw new AppError(code, status);
  };
  if (!pending) return fail('no_pending_sign_in', 'sso_state_mismatch');
  if (currentUrl.searchParams.get('state') !== pending.state) return fail('state_mismatch', 'sso_state_mismatch');
  let config: oidc.Configuration;
  try {
    config = await providerConfig(db, c);
  } catch {
    return fail('provider_unavailable', 'sso_unavailable', 409);
  }
  let claims: Claims;
  try {
    const tokens = await oidc.authorizationCodeGrant(config, currentUrl, { pkceCodeVerifier: pending.verifier, expectedState: pending.state, expectedNonce: pending.nonce, idTokenExpected: true });
    claims = tokens.claims() as Claims;
  } catch (e) {
    const reason = e instanceof Error ? `${(e as { code?: string }).code ?? e.name}: ${e.message}`.slice(0, 200) : 'error';
    return fail(reason, 'sso_failed');
  }
  let link: { userId: number; via: string };
  try {
    link = linkAccount(db, c, claims);
  } catch (e) {
    if (e instanceof AppError) return fail(e.code, e.code, e.status as 403 | 409);
    throw e;
  }
  const user = db.select({ lockedAt: users.lockedAt }).from(users).where(eq(users.id, link.userId)).get()!;
  if (user.lockedAt) return fail('locked', 'sso_account_locked', 403, link.userId);
  return { userId: link.userId, via: link.via, next: pending.next };
}

/** The organisation and its ancestors. */
function withAncestors(db: DB, organisationId: number): (typeof organisations.$inferSelect)[] {
  const chain: (typeof organisations.$inferSelect)[] = [];
  let id: number | null = organisationId;
  while (id !== null && chain.length < 50) {
    const org: typeof organisations.$inferSelect | undefined = db.select().from(organisations).where(eq(organisations.id, id)).get();
    if (!org) break;
    chain.push(org);
    id = org.parentId;
  }
  return chain;
}

/** True when password sign-in is off for this person: their organisation or one above it turned it off, and SSO is configured. */
export function passwordLoginOff(db: DB, organisationId: number | null): boolean {
  if (organisationId === null || !ssoConfig(db)) return false;
  return withAncestors(db, organisationId).some((o) => o.passwordLoginOffAt !== null);
}

/**
 * Turns password sign-in off or on for an organisation and its sub-units. Off only once single
 * sign-on works there: configured, and someone of the organisation (or its sub-units) has signed in
 * through it (409 `sso_not_in_use`) — so nobody is locked out by a provider that was never tried.
 */
export function setPasswordLogin(db: DB, actor: { id: number; ip?: string | null }, organisationId: number, enabled: boolean, now = new Date()): { passwordLogin: boolean } {
  const org = db.select().from(organisations).where(eq(organisations.id, organisationId)).get();
  if (!org) throw new AppError('organisation_not_found', 404);
  if (!enabled) {
    if (!ssoConfig(db)) throw new AppError('sso_not_configured', 409);
    const subtree = [organisationId];
    for (let i = 0; i < subtree.length && subtree.length < 100_000; i++) {
      for (const child of db.select({ id: organisations.id }).from(organisations).where(eq(organisations.parentId, subtree[i]!)).all()) subtree.push(child.id);
    }
    const someoneLinked = db.select({ id: users.id }).from(users).where(and(inArray(users.organisationId, subtree), isNotNull(users.ssoSubject))).get();
    if (!someoneLinked) throw new AppError('sso_not_in_use', 409);
  }
  db.transaction((tx) => {
    tx.update(organisations).set({ passwordLoginOffAt: enabled ? null : now }).where(eq(organisations.id, organisationId)).run();
    recordAudit(tx, { actorId: actor.id, action: enabled ? 'organisation.password_login_on' : 'organisation.password_login_off', targetType: 'organisation', targetId: organisationId, ip: actor.ip }, now);
  });
  return { passwordLogin: enabled };
}
