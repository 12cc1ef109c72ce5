import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { getDb } from '@db/client';
import type { AppEnv } from '@server/lib/http';
import { SESSION_COOKIE } from '@server/lib/session';
import { validateSessionToken } from './service';

/** Reads the session cookie; sets `user` and `session` (null when signed out). */
export const sessionMiddleware: MiddlewareHandler<AppEnv> = async (c, next) => {
  const db = getDb();
  c.set('db', db);
  const token = getCookie(c, SESSION_COOKIE);
  const found = token ? validateSessionToken(db, token) : null;
  c.set('user', found?.user ?? null);
  c.set('session', found?.session ?? null);
  await next();
};
