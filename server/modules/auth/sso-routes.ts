import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { servedOverHttps } from '@server/lib/client';
import { AppError } from '@server/lib/errors';
import { newRouter, type AppEnv } from '@server/lib/http';
import { isSameSitePath } from '@server/lib/local-path';
import { publicOrigin } from '@server/lib/origin';
import { SESSION_COOKIE, sessionCookieOptions } from '@server/lib/session';
import { ssoCallback, ssoStart, type SsoPending } from './sso';
import { openSsoSession } from './service';

/** The pending sign-in (state, PKCE verifier, nonce, where to go after), kept by the browser for ten minutes. */
const PENDING_COOKIE = 'bilim_sso';
const PENDING_PATH = '/api/auth/sso';

const redirectUri = (c: Context<AppEnv>) => `${publicOrigin(c.req.raw.headers)}/api/auth/sso/callback`;
const loginWithError = (c: Context<AppEnv>, lang: string, code: string) => c.redirect(`/${lang === 'ru' ? 'ru' : 'ky'}/login?sso=${encodeURIComponent(code)}`, 303);

function readPending(c: Context<AppEnv>): SsoPending | null {
  const raw = getCookie(c, PENDING_COOKIE);
  if (!raw || raw.length > 2000) return null;
  try {
    const p = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as SsoPending;
    return typeof p.state === 'string' && typeof p.verifier === 'string' && typeof p.nonce === 'string' && isSameSitePath(p.next) && (p.lang === 'ky' || p.lang === 'ru') ? p : null;
  } catch {
    return null;
  }
}

const Redirect = { 303: { description: 'To the provider (start), to `next` signed in, or to /{lang}/login?sso=<error code>' } };

/** Single sign-on with OpenID Connect (server/modules/auth/sso.ts). Browser navigations: every answer is a redirect. */
export const ssoRoutes = newRouter()
  .openapi(
    createRoute({
      method: 'get', path: '/auth/sso/start', security: [], tags: ['Accounts'],
      summary: 'Sign in through the configured OpenID Connect provider (authorization code flow with PKCE)',
      description: 'Redirects to the provider with state, nonce and an S256 code challenge; the verifier stays in an httpOnly cookie. Errors go back to the sign-in page: `sso_not_configured`, `sso_unavailable`.',
      request: { query: z.object({ lang: z.enum(['ky', 'ru']).default('ky'), next: z.string().max(500).optional() }) },
      responses: Redirect,
    }),
    async (c) => {
      const { lang, next } = c.req.valid('query');
      try {
        const { url, pending } = await ssoStart(c.get('db'), redirectUri(c), isSameSitePath(next) ? next! : `/${lang}`, lang);
        setCookie(c, PENDING_COOKIE, Buffer.from(JSON.stringify(pending)).toString('base64url'), {
          httpOnly: true, sameSite: 'Lax', secure: sessionCookieOptions(servedOverHttps(c.req.raw.headers)).secure, path: PENDING_PATH, maxAge: 600,
        });
        return c.redirect(url, 303);
      } catch (e) {
        if (e instanceof AppError) return loginWithError(c, lang, e.code);
        throw e;
      }
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/auth/sso/callback', security: [], tags: ['Accounts'],
      summary: 'Where the provider sends the browser back: checks state, exchanges the code, links the account by a verified claim, signs in',
      description: 'Errors go back to the sign-in page: `sso_state_mismatch`, `sso_failed` (a refused code — replayed or expired —, a wrong issuer, audience, signature or nonce), `sso_no_account` (no account with the verified personal number or e-mail), `sso_linked_elsewhere`, `sso_account_locked`, `sso_not_configured`, `sso_unavailable`.',
      request: { query: z.object({ code: z.string().max(2000).optional(), state: z.string().max(500).optional(), error: z.string().max(200).optional(), iss: z.string().max(500).optional() }) },
      responses: Redirect,
    }),
    async (c) => {
      const pending = readPending(c);
      deleteCookie(c, PENDING_COOKIE, { path: PENDING_PATH });
      const lang = pending?.lang ?? 'ky';
      const current = new URL(`${redirectUri(c)}${new URL(c.req.url).search}`);
      try {
        const { userId, via, next } = await ssoCallback(c.get('db'), current, pending, c.env?.ip ?? null);
        const { token } = openSsoSession(c.get('db'), userId, via, c.env?.ip ?? null);
        setCookie(c, SESSION_COOKIE, token, sessionCookieOptions(servedOverHttps(c.req.raw.headers)));
        return c.redirect(next, 303);
      } catch (e) {
        if (e instanceof AppError) return loginWithError(c, lang, e.code);
        throw e;
      }
    },
  );
