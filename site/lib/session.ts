import type { AstroCookies } from 'astro';
import { isSameSitePath } from '@server/lib/local-path';
import { servedOverHttps } from '@server/lib/client';
import { SESSION_COOKIE, sessionCookieOptions } from '@server/lib/session';

/** Pages set and clear the same cookie the API does, with the same attributes. */
export function setSessionCookie(cookies: AstroCookies, token: string, request: Request): void {
  const o = sessionCookieOptions(servedOverHttps(request.headers));
  cookies.set(SESSION_COOKIE, token, { httpOnly: o.httpOnly, sameSite: 'lax', secure: o.secure, path: o.path, maxAge: o.maxAge });
}

export function clearSessionCookie(cookies: AstroCookies): void {
  cookies.delete(SESSION_COOKIE, { path: '/' });
}

/** Only a path on this site may be a redirect target after sign-in (server/lib/local-path.ts). */
export function safeNext(next: string | null | undefined, fallback: string): string {
  return next && isSameSitePath(next) ? next : fallback;
}
