import type { CookieOptions } from 'hono/utils/cookie';
import { ABSOLUTE_TIMEOUT_MS } from '../modules/auth/service';

export const SESSION_COOKIE = 'bilim_session';

/** httpOnly, SameSite=Lax, Secure in production; the same attributes from the API and from pages. */
export function sessionCookieOptions(): CookieOptions & { maxAge: number } {
  return {
    httpOnly: true,
    sameSite: 'Lax',
    secure: process.env.NODE_ENV === 'production',
    path: '/',
    maxAge: Math.floor(ABSOLUTE_TIMEOUT_MS / 1000),
  };
}
