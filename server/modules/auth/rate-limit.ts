import { and, count, eq, gt, lte } from 'drizzle-orm';
import type { DB } from '@db/client';
import { loginFailures } from '@db/schema';

/**
 * Sign-in attempts counted per e-mail and per client address over a sliding window, in the database
 * (table login_failures): every serving process sees the same counts, and a restart forgets nothing.
 *
 * Reserve, then verify: an attempt is written down (`reserve`, one transaction, IMMEDIATE as all are, so two
 * processes cannot both read "4 of 5" and both go on) before its password is checked, and only a
 * success takes its rows back. However many guesses arrive at once, at most MAX_FAILURES_PER_EMAIL
 * passwords are checked per e-mail per window.
 *
 * Per address (MAX_FAILURES_PER_IP): an office NAT or a proxy puts many people behind one address,
 * so an address over its limit is not shut: an e-mail with no attempt in the window still gets one
 * check from it (its first try), and an e-mail that has failed must wait. A correct password of an
 * account without recent failures is therefore never refused for its address's sake; an attacker
 * behind that address gets one guess per account per window instead of five (docs/SECURITY.md).
 *
 * The table holds only the attempts of the last window: each reservation deletes the older rows, so
 * a flood of made-up e-mails grows it by no more than the attempts one window can take.
 */
export const LOGIN_WINDOW_MS = 15 * 60 * 1000;
export const MAX_FAILURES_PER_EMAIL = 5;
export const MAX_FAILURES_PER_IP = 50;

const emailKey = (email: string) => `email:${email}`;
const ipKey = (ip: string) => `ip:${ip}`;

function recent(db: DB, key: string, now: number): number {
  return db
    .select({ n: count() })
    .from(loginFailures)
    .where(and(eq(loginFailures.key, key), gt(loginFailures.at, now - LOGIN_WINDOW_MS)))
    .get()!.n;
}

/** A reserved attempt: its rows stay as a failure unless `succeed` takes them back. */
export type Reservation = { email: string; addressRowId: number };

export const loginLimiter = {
  /**
   * Writes the attempt down if the e-mail and the address may have one more, else null (429). Called
   * before the password is checked; the written attempt counts for everyone at once.
   */
  reserve(db: DB, email: string, ip: string, now: number): Reservation | null {
    return db.transaction(
      (t) => {
        t.delete(loginFailures).where(lte(loginFailures.at, now - LOGIN_WINDOW_MS)).run();
        const byEmail = recent(t, emailKey(email), now);
        if (byEmail >= MAX_FAILURES_PER_EMAIL) return null;
        if (byEmail > 0 && recent(t, ipKey(ip), now) >= MAX_FAILURES_PER_IP) return null;
        t.insert(loginFailures).values({ key: emailKey(email), at: now }).run();
        const row = t.insert(loginFailures).values({ key: ipKey(ip), at: now }).returning({ id: loginFailures.id }).get();
        return { email, addressRowId: row.id };
      },
    );
  },

  /**
   * A successful sign-in clears the e-mail's count, and takes back its own attempt from the address
   * (not the address's other failures: many people share one).
   */
  succeed(db: DB, reservation: Reservation): void {
    db.transaction((tx) => {
      tx.delete(loginFailures).where(eq(loginFailures.key, emailKey(reservation.email))).run();
      tx.delete(loginFailures).where(eq(loginFailures.id, reservation.addressRowId)).run();
    });
  },

  /** Forgets every attempt (tests, and an administrator's recovery by hand). */
  reset(db: DB): void {
    db.delete(loginFailures).run();
  },

  /** Attempts held (for tests and monitoring). */
  size(db: DB): number {
    return db.select({ n: count() }).from(loginFailures).get()!.n;
  },
};
