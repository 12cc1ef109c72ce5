/**
 * What a session is, for every layer: the signed-in user as requests see it and the session cookie.
 * The auth module (server/modules/auth) creates, validates and ends sessions.
 */
import type { CookieOptions } from 'hono/utils/cookie';
import type { Locale, Role } from '@db/domain';

/** A session ends this long after sign-in, however much it is used (the idle timeout is the auth module's). */
export const ABSOLUTE_TIMEOUT_MS = 30 * 24 * 60 * 60 * 1000;

export type SessionUser = {
  id: number;
  email: string;
  fullName: string;
  locale: Locale;
  organisationId: number | null;
  roles: Role[];
  /** organisations (whole subtrees, flattened) this user may manage as hr */
  hrOrganisationIds: number[];
};

export type Session = { id: string; userId: number; createdAt: Date; lastVerifiedAt: Date };

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
