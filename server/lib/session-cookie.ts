import type { CookieOptions } from 'hono/utils/cookie';
import { ABSOLUTE_TIMEOUT_MS } from '../modules/auth/service';

export const SESSION_COOKIE = 'bilim_session';

/**
 * httpOnly, SameSite=Lax; Secure when the request came over HTTPS (an https PUBLIC_URL, or a trusted
 * proxy saying so: server/lib/client.ts) and always in production. The same attributes from the API
 * and from pages.
 */
export function sessionCookieOptions(https: boolean): CookieOptions & { maxAge: number } {
  return {
    httpOnly: true,
    sameSite: 'Lax',
    secure: https || process.env.NODE_ENV === 'production',
    path: '/',
    maxAge: Math.floor(ABSOLUTE_TIMEOUT_MS / 1000),
  };
}
