import { and, count, eq, gt, lte } from 'drizzle-orm';
import type { DB } from '../../../db/client';
import { loginFailures } from '../../../db/schema';

/**
 * Failed sign-ins counted per e-mail and per client address over a sliding window, in the database
 * (table login_failures): every serving process sees the same counts, and a restart forgets nothing.
 * The table holds only the failures of the last window: older rows go as new failures come, so a
 * flood of made-up e-mails grows it by no more than the failures one window can take (each costs an
 * argon2 check first).
 */
export const LOGIN_WINDOW_MS = 15 * 60 * 1000;
export const MAX_FAILURES_PER_EMAIL = 5;
export const MAX_FAILURES_PER_IP = 50;

const emailKey = (email: string) => `email:${email}`;
const ipKey = (ip: string) => `ip:${ip}`;

function recentFailures(db: DB, key: string, now: number): number {
  return db
    .select({ n: count() })
    .from(loginFailures)
    .where(and(eq(loginFailures.key, key), gt(loginFailures.at, now - LOGIN_WINDOW_MS)))
    .get()!.n;
}

export const loginLimiter = {
  allowed(db: DB, email: string, ip: string, now: number): boolean {
    return recentFailures(db, emailKey(email), now) < MAX_FAILURES_PER_EMAIL && recentFailures(db, ipKey(ip), now) < MAX_FAILURES_PER_IP;
  },

  fail(db: DB, email: string, ip: string, now: number): void {
    db.transaction((tx) => {
      tx.delete(loginFailures).where(lte(loginFailures.at, now - LOGIN_WINDOW_MS)).run();
      tx.insert(loginFailures).values([{ key: emailKey(email), at: now }, { key: ipKey(ip), at: now }]).run();
    });
  },

  /** A successful sign-in clears the e-mail's count (not the address's: many people share one). */
  succeed(db: DB, email: string): void {
    db.delete(loginFailures).where(eq(loginFailures.key, emailKey(email))).run();
  },

  /** Forgets every failure (tests, and an administrator's recovery by hand). */
  reset(db: DB): void {
    db.delete(loginFailures).run();
  },

  /** Failures held (for tests and monitoring). */
  size(db: DB): number {
    return db.select({ n: count() }).from(loginFailures).get()!.n;
  },
};
