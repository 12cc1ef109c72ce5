/**
 * Single sign-on with OpenID Connect against a real provider (oidc-provider) started on loopback by
 * this test: the authorization code flow with PKCE through openid-client, accounts linked only by a
 * verified claim (the personal number claim, or a verified e-mail — never the name), and the attacks:
 * a wrong issuer, a replayed code, a mismatched state, a callback without the browser's pending
 * sign-in. Then password sign-in turned off for an organisation once SSO works there.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import Provider from 'oidc-provider';
import { auditLog, organisations, settings, users } from '@db/schema';
import { call, DEMO_PASSWORD, getDb, signIn, withDemo } from '../helpers';
import { freePort } from '../support/free-port';

const CLIENT = { id: 'bilim', secret: 'bilim-test-client-secret-0123456789' };
const REDIRECT = 'http://localhost/api/auth/sso/callback'; // PUBLIC_URL of the tests
/** The provider's people: claims as the state's identity provider would give them. */
const ACCOUNTS: Record<string, Record<string, unknown>> = {
  // verified personal number of the demo learner, and an e-mail that is someone else's (ignored: the PIN decides)
  pin: { pin: '21203198700777', email: 'trainer@demo.kg', email_verified: false, name: 'Any Name' },
  // verified e-mail of the HR officer
  mail: { email: 'HR@demo.kg', email_verified: true, name: 'Whatever' },
  // an unverified e-mail and the exact full name of the admin: must not sign in
  unverified: { email: 'admin@demo.kg', email_verified: false, name: 'Тимур Жээнбеков' },
  // a verified e-mail nobody has
  stranger: { email: 'stranger@test.kg', email_verified: true },
};

let server: http.Server;
let issuer: string;
const db = () => getDb();
const idOf = (email: string) => db().select().from(users).where(eq(users.email, email)).get()!.id;
const setSetting = (key: string, value: string | null) => {
  db().delete(settings).where(eq(settings.key, key)).run();
  if (value !== null) db().insert(settings).values({ key, value, updatedAt: new Date(), updatedBy: null }).run();
};

beforeAll(async () => {
  await withDemo();
  db().update(users).set({ personalNumber: '21203198700777' }).where(eq(users.email, 'learner@demo.kg')).run();
  const port = await freePort();
  issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: [{ client_id: CLIENT.id, client_secret: CLIENT.secret, redirect_uris: [REDIRECT], grant_types: ['authorization_code'], response_types: ['code'], token_endpoint_auth_method: 'client_secret_post' }],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'pin'] },
    conformIdTokenClaims: false,
    findAccount: (_ctx: unknown, id: string) => (ACCOUNTS[id] ? { accountId: id, claims: () => ({ sub: id, ...ACCOUNTS[id] }) } : undefined),
    pkce: { required: () => true },
    cookies: { keys: ['test-cookie-key-0123456789'] },
    features: { devInteractions: { enabled: true } },
  });
  server = http.createServer(provider.callback());
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  setSetting('ssoIssuer', issuer);
  setSetting('ssoClientId', CLIENT.id);
  setSetting('ssoClientSecret', CLIENT.secret);
  setSetting('ssoPersonalNumberClaim', 'pin');
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

/** A browser's cookies for the provider (name → value). */
type Jar = Map<string, string>;
const keep = (jar: Jar, res: Response) => {
  for (const c of res.headers.getSetCookie()) {
    const [pair] = c.split(';');
    const i = pair!.indexOf('=');
    jar.set(pair!.slice(0, i), pair!.slice(i + 1));
  }
};
const cookieHeader = (jar: Jar) => [...jar].filter(([, v]) => v !== '').map(([k, v]) => `${k}=${v}`).join('; ');

/** Follows the provider's pages as a person signing in as `account` would, until it sends the browser back to us. */
async function atProvider(authUrl: string, account: string): Promise<URL> {
  const jar: Jar = new Map();
  let url = authUrl;
  let body: URLSearchParams | undefined;
  for (let hop = 0; hop < 20; hop++) {
    const res = await fetch(url, { method: body ? 'POST' : 'GET', redirect: 'manual', headers: { cookie: cookieHeader(jar), ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) }, body });
    keep(jar, res);
    body = undefined;
    const location = res.headers.get('location');
    if (location) {
      const next = new URL(location, url);
      if (next.href.startsWith(REDIRECT)) return next;
      url = next.href;
      continue;
    }
    const html = await res.text();
    if (res.status !== 200) throw new Error(`provider ${res.status}: ${html.slice(0, 300)}`);
    const prompt = /name="prompt" value="(\w+)"/.exec(html)?.[1];
    if (!prompt) throw new Error(`no prompt on ${url}: ${html.slice(0, 300)}`);
    body = new URLSearchParams(prompt === 'login' ? { prompt, login: account, password: 'x' } : { prompt });
    url = new URL(/action="([^"]+)"/.exec(html)![1]!, url).href;
  }
  throw new Error('too many hops at the provider');
}

/** Starts a sign-in at Bilim: the provider URL and the browser's pending-sign-in cookie. */
async function start(next = '/ky/my') {
  const res = await call(`/api/auth/sso/start?lang=ky&next=${encodeURIComponent(next)}`);
  expect(res.status).toBe(303);
  const pending = res.headers.getSetCookie().find((c) => c.startsWith('bilim_sso='))!;
  expect(pending).toMatch(/HttpOnly/i);
  return { authUrl: res.headers.get('location')!, cookie: pending.split(';')[0]! };
}
const callback = (back: URL, cookie: string) => call(`${back.pathname}${back.search}`, { cookie });
const sessionOf = (res: Response) => res.headers.getSetCookie().find((c) => c.startsWith('bilim_session='))?.split(';')[0];
const errorOf = (res: Response) => new URL(res.headers.get('location')!, 'http://localhost').searchParams.get('sso');

describe('single sign-on (OpenID Connect)', () => {
  it('sends the browser to the provider with PKCE S256, state and nonce', async () => {
    const { authUrl } = await start();
    const u = new URL(authUrl);
    expect(u.origin).toBe(issuer);
    expect(u.searchParams.get('code_challenge_method')).toBe('S256');
    expect(u.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(u.searchParams.get('state')).toBeTruthy();
    expect(u.searchParams.get('nonce')).toBeTruthy();
    expect(u.searchParams.get('redirect_uri')).toBe(REDIRECT);
  });

  it('links by the verified personal number claim and signs in; later sign-ins find the linked subject', async () => {
    const { authUrl, cookie } = await start('/ky/my');
    const back = await atProvider(authUrl, 'pin');
    const res = await callback(back, cookie);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/ky/my');
    const session = sessionOf(res)!;
    expect(session).toBeTruthy();
    const me = (await (await call('/api/me', { cookie: session })).json()) as { email: string };
    expect(me.email).toBe('learner@demo.kg'); // the PIN's owner, not the e-mail's (trainer@) nor the name's
    expect(db().select().from(users).where(eq(users.email, 'learner@demo.kg')).get()!.ssoSubject).toBe(`${issuer} pin`);
    const entry = db().select().from(auditLog).where(eq(auditLog.action, 'auth.login')).all().at(-1)!;
    expect(entry.details).toMatchObject({ method: 'sso', via: 'personal_number' });
  });

  it('links by a verified e-mail; an unverified e-mail or a matching name never signs anyone in', async () => {
    const ok = await start();
    const res = await callback(await atProvider(ok.authUrl, 'mail'), ok.cookie);
    expect(sessionOf(res)).toBeTruthy();
    expect(((await (await call('/api/me', { cookie: sessionOf(res) })).json()) as { email: string }).email).toBe('hr@demo.kg');

    for (const account of ['unverified', 'stranger']) {
      const s = await start();
      const refused = await callback(await atProvider(s.authUrl, account), s.cookie);
      expect(refused.status).toBe(303);
      expect(sessionOf(refused)).toBeUndefined();
      expect(errorOf(refused)).toBe('sso_no_account');
    }
    expect(db().select().from(users).where(eq(users.email, 'admin@demo.kg')).get()!.ssoSubject).toBeNull();
  });

  it('refuses a replayed code', async () => {
    const { authUrl, cookie } = await start();
    const back = await atProvider(authUrl, 'pin');
    expect(sessionOf(await callback(back, cookie))).toBeTruthy();
    const replay = await callback(back, cookie);
    expect(sessionOf(replay)).toBeUndefined();
    expect(errorOf(replay)).toBe('sso_failed');
  });

  it('refuses a mismatched state, and a callback without the browser’s pending sign-in (login CSRF)', async () => {
    const mine = await start();
    const back = await atProvider(mine.authUrl, 'pin');
    // another sign-in's pending cookie: its state is not the one in the URL
    const other = await start();
    const res = await callback(back, other.cookie);
    expect(sessionOf(res)).toBeUndefined();
    expect(errorOf(res)).toBe('sso_state_mismatch');
    // an attacker's code sent to a victim's browser that started nothing
    const csrf = await callback(back, '');
    expect(sessionOf(csrf)).toBeUndefined();
    expect(errorOf(csrf)).toBe('sso_state_mismatch');
    // the state in the URL changed
    const s = await start();
    const b2 = await atProvider(s.authUrl, 'pin');
    b2.searchParams.set('state', 'forged');
    expect(errorOf(await callback(b2, s.cookie))).toBe('sso_state_mismatch');
    expect(db().select().from(auditLog).where(eq(auditLog.action, 'auth.sso_failed')).all().length).toBeGreaterThanOrEqual(3);
  });

  it('refuses a provider whose issuer is not the configured one', async () => {
    // the same provider reached under another name: its metadata and tokens name 127.0.0.1, not localhost
    setSetting('ssoIssuer', issuer.replace('127.0.0.1', 'localhost'));
    try {
      const res = await call('/api/auth/sso/start?lang=ru');
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe('/ru/login?sso=sso_unavailable');
      expect(res.headers.getSetCookie().some((c) => c.startsWith('bilim_sso='))).toBe(false);
    } finally {
      setSetting('ssoIssuer', issuer);
    }
    // a callback while the configured issuer is another one: the token's issuer does not match
    const { authUrl, cookie } = await start();
    const back = await atProvider(authUrl, 'pin');
    setSetting('ssoIssuer', issuer.replace('127.0.0.1', 'localhost'));
    try {
      const res = await callback(back, cookie);
      expect(sessionOf(res)).toBeUndefined();
      expect(['sso_unavailable', 'sso_failed']).toContain(errorOf(res));
    } finally {
      setSetting('ssoIssuer', issuer);
    }
  });

  it('turns password sign-in off for an organisation only once SSO works there; its people then sign in only through SSO', async () => {
    const admin = await signIn('admin@demo.kg');
    const learner = db().select().from(users).where(eq(users.email, 'learner@demo.kg')).get()!;
    const orgId = learner.organisationId!;
    // a body where nobody has signed in through SSO yet
    const osh = db().select().from(organisations).where(eq(organisations.nameRu, 'Мэрия города Ош')).get()!;
    const notYet = await call(`/api/admin/organisations/${osh.id}/password-login`, { method: 'PUT', cookie: admin, json: { enabled: false } });
    expect(notYet.status).toBe(409);
    expect(await notYet.json()).toEqual({ error: { code: 'sso_not_in_use' } });
    expect((await call(`/api/admin/organisations/${orgId}/password-login`, { method: 'PUT', cookie: await signIn('hr@demo.kg'), json: { enabled: false } })).status).toBe(403);

    const off = await call(`/api/admin/organisations/${orgId}/password-login`, { method: 'PUT', cookie: admin, json: { enabled: false } });
    expect(off.status).toBe(200);
    const pw = await call('/api/auth/login', { method: 'POST', json: { email: 'learner@demo.kg', password: DEMO_PASSWORD } });
    expect(pw.status).toBe(403);
    expect(await pw.json()).toEqual({ error: { code: 'password_login_off' } });
    // SSO still signs them in
    const { authUrl, cookie } = await start();
    expect(sessionOf(await callback(await atProvider(authUrl, 'pin'), cookie))).toBeTruthy();
    // people of other bodies keep their passwords
    expect((await call('/api/auth/login', { method: 'POST', json: { email: 'osh@demo.kg', password: DEMO_PASSWORD } })).status).toBe(200);
    // back on
    expect((await call(`/api/admin/organisations/${orgId}/password-login`, { method: 'PUT', cookie: admin, json: { enabled: true } })).status).toBe(200);
    expect((await call('/api/auth/login', { method: 'POST', json: { email: 'learner@demo.kg', password: DEMO_PASSWORD } })).status).toBe(200);
  });

  it('without a configured provider, start goes back to the sign-in page', async () => {
    setSetting('ssoClientSecret', null);
    try {
      const res = await call('/api/auth/sso/start?lang=ky');
      expect(res.headers.get('location')).toBe('/ky/login?sso=sso_not_configured');
    } finally {
      setSetting('ssoClientSecret', CLIENT.secret);
    }
  });
});
