/**
 * One way to tell a person something. `notify` runs inside the transaction of the change it tells
 * about: it writes the in-app notification and — by the person's preferences — one e-mail row in the
 * outbox (server/modules/outbox), rendered in the recipient's language with an absolute link
 * (PUBLIC_URL) to the page concerned. The outbox sends it later, with retries.
 *
 * Who gets e-mail: only people who can sign in (a password set, not locked or dismissed). Someone
 * imported and never invited, or invited and never activated, gets nothing but the invitation.
 * Invitation and password reset are e-mail only: they carry a one-time link, so they are never stored
 * in the app, and the outbox drops their text once sent.
 */
import { and, count, desc, eq, gte, isNull, lt } from 'drizzle-orm';
import type { DB } from '@db/client';
import type Database from 'better-sqlite3';
import { prepared } from '@db/statements';
import {
  NOTIFICATION_KINDS, notifications, notificationSettings, users,
  type DigestPeriod, type NotificationKind,
} from '@db/schema';
import type { Locale } from '@db/domain';
import { AppError } from '@server/lib/errors';
import { publicOrigin } from '@server/lib/origin';
import { day, formatDate, moment, pick, plural, t, TIME_ZONE, type MessageVars } from '@server/lib/i18n';
import { enqueueMail } from '../outbox/service';

export { NOTIFICATION_KINDS, type NotificationKind };

/**
 * E-mail that cannot be switched off: access to the account, orders from HR, the legal training duty
 * and the steps of an attestation or competition the person is in (admitted or refused, the testing
 * session, the commission's decision, being taken out of the reserve: a procedure with dates the person must not miss).
 */
export const REQUIRED_EMAIL: readonly NotificationKind[] = [
  'invitation', 'password_reset', 'email_confirmation', 'course_assigned', 'obligation_reminder',
  'attestation_admitted', 'attestation_refused', 'attestation_session', 'attestation_decision', 'reserve_removed',
];
/** Told by e-mail only (a one-time link inside; the person may not be able to sign in). */
export const MAIL_ONLY: readonly NotificationKind[] = ['invitation', 'password_reset', 'email_confirmation'];
/** Kinds a person may switch e-mail off for, on the profile. */
export const OPTIONAL_EMAIL: readonly NotificationKind[] = NOTIFICATION_KINDS.filter((k) => !REQUIRED_EMAIL.includes(k) && !MAIL_ONLY.includes(k));

/**
 * A value for the texts: plain text or number; `{ky, ru}` picked by language; `{plural, count}` a
 * counted phrase; `{key}` another UI string; `{date}` (YYYY-MM-DD or ISO) in the reader's language;
 * `{moment}` (ISO) a date with its time of day, `{time}` (ISO) only the time (HH:MM, Bishkek);
 * a list joins its items one per line.
 */
export type Param =
  | string | number | { ky: string | null; ru: string | null } | { plural: string; count: number } | { key: string; vars?: Record<string, Param> }
  | { date: string } | { moment: string } | { time: string } | Param[];

export type Notice = {
  userId: number;
  kind: NotificationKind;
  params: Record<string, Param>;
  /** the page concerned after the language segment (`my`, `attempts/12/result`) */
  link: string;
  /** what it is about: a second notice with the same ref for the same person is dropped */
  ref?: string;
};

function resolve(locale: Locale, v: Param): string {
  if (Array.isArray(v)) return v.map((x) => resolve(locale, x)).join('\n');
  if (typeof v === 'number') return t(locale, 'notify.number', { n: v });
  if (typeof v === 'string') return v;
  if ('plural' in v) return plural(locale, v.plural, v.count);
  if ('key' in v) return t(locale, v.key, v.vars ? resolveAll(locale, v.vars) : undefined);
  if ('date' in v) return formatDate(locale, day(v.date).at);
  if ('moment' in v) return formatDate(locale, v.moment, true);
  if ('time' in v) return timeOfDay(v.time);
  return pick(locale, v).text;
}

/** HH:MM in Bishkek time (the same in both languages). */
function timeOfDay(iso: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: TIME_ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));
}

/** The values for a text: dates stay dates (the text picks their case: «{dueDate:dat} чейин»), numbers numbers. */
function resolveAll(locale: Locale, params: Record<string, Param>): MessageVars {
  return Object.fromEntries(
    Object.entries(params).map(([k, v]) => [k, typeof v === 'number' ? v : typeof v === 'object' && !Array.isArray(v) && 'date' in v ? day(v.date) : typeof v === 'object' && !Array.isArray(v) && 'moment' in v ? moment(v.moment) : resolve(locale, v)]),
  );
}

/** The one-line title of a notice (the e-mail's subject and the line in the app). */
export function noticeTitle(locale: Locale, kind: NotificationKind, params: Record<string, Param>): string {
  return t(locale, `notify.${kind}.subject`, resolveAll(locale, params));
}

/** The text of a notice (the e-mail's body without greeting and link, the detail in the app). */
export function noticeText(locale: Locale, kind: NotificationKind, params: Record<string, Param>): string {
  return t(locale, `notify.${kind}.body`, resolveAll(locale, params));
}

/** The whole e-mail in the recipient's language: greeting, text, the absolute link, why they got it. */
export function renderMail(locale: Locale, n: Pick<Notice, 'kind' | 'params' | 'link'>, name: string): { subject: string; text: string } {
  const link = `${publicOrigin()}/${locale}/${n.link}`;
  const lines = [
    t(locale, 'notify.mail.greeting', { name }),
    '',
    noticeText(locale, n.kind, n.params),
    '',
    t(locale, 'notify.mail.link', { link }),
    '',
    REQUIRED_EMAIL.includes(n.kind) || MAIL_ONLY.includes(n.kind)
      ? t(locale, 'notify.mail.footerRequired')
      : t(locale, 'notify.mail.footer', { link: `${publicOrigin()}/${locale}/account#notifications` }),
  ];
  return { subject: noticeTitle(locale, n.kind, n.params), text: lines.join('\n') };
}

type Recipient = { id: number; email: string; fullName: string; locale: Locale; activated: boolean; active: boolean };

function recipient(db: DB, userId: number): Recipient | null {
  const u = db
    .select({ id: users.id, email: users.email, fullName: users.fullName, locale: users.locale, passwordHash: users.passwordHash, lockedAt: users.lockedAt, dismissedAt: users.dismissedAt })
    .from(users)
    .where(eq(users.id, userId))
    .get();
  if (!u) return null;
  return { id: u.id, email: u.email, fullName: u.fullName, locale: u.locale, activated: u.passwordHash !== null, active: u.lockedAt === null && u.dismissedAt === null };
}

/** The person's choices, or the defaults. */
export function preferences(db: DB | DB, userId: number): { emailOff: NotificationKind[]; digestPeriod: DigestPeriod; lastDigestOn: string | null; hasCalendar: boolean } {
  const row = db.select().from(notificationSettings).where(eq(notificationSettings.userId, userId)).get();
  return { emailOff: row?.emailOff ?? [], digestPeriod: row?.digestPeriod ?? 'weekly', lastDigestOn: row?.lastDigestOn ?? null, hasCalendar: !!row?.calendarTokenHash };
}

export type NotifyResult = { notificationId: number | null; mailQueued: boolean };

/**
 * Tells one person about one event, inside the caller's transaction: the in-app notification (not
 * for MAIL_ONLY kinds) and, when the person may and wants to get it, the e-mail in the outbox.
 * `secret` marks a mail that carries a one-time link (its text is dropped once sent).
 */
export function notify(db: DB, n: Notice, now = new Date(), opts: { secret?: boolean } = {}): NotifyResult {
  const person = recipient(db, n.userId);
  if (!person) return { notificationId: null, mailQueued: false };
  let notificationId: number | null = null;
  if (!MAIL_ONLY.includes(n.kind)) {
    const inserted = db
      .insert(notifications)
      .values({ userId: n.userId, kind: n.kind, params: n.params, link: n.link, ref: n.ref ?? null, createdAt: now })
      .onConflictDoNothing()
      .returning({ id: notifications.id })
      .get();
    // Told already (the same ref): neither a second line nor a second mail.
    if (!inserted) return { notificationId: null, mailQueued: false };
    notificationId = inserted.id;
  }
  // Never invited or never activated: nothing but the invitation (or a candidate's confirmation link). Locked or dismissed: nothing.
  const mayMail = n.kind === 'invitation' || n.kind === 'email_confirmation' ? person.active : person.activated && person.active;
  const wants = REQUIRED_EMAIL.includes(n.kind) || MAIL_ONLY.includes(n.kind) || !preferences(db, n.userId).emailOff.includes(n.kind);
  let mailQueued = false;
  if (mayMail && wants) {
    const { subject, text } = renderMail(person.locale, n, person.fullName);
    mailQueued = enqueueMail(db, { to: person.email, subject, text, userId: person.id, kind: n.kind, ...(opts.secret ? { secret: true } : {}) }, n.ref ? `${n.userId}:${n.ref}` : null, now);
  }
  return { notificationId, mailQueued };
}

// ---- reading and marking ----

export type NotificationView = { id: number; kind: NotificationKind; title: string; text: string; link: string; createdAt: Date; read: boolean };

/** A person's notifications, newest first, rendered in `locale`; the total and unread count for the page. */
export function listNotifications(db: DB, userId: number, locale: Locale, q: { limit?: number; offset?: number } = {}): { items: NotificationView[]; total: number; unread: number } {
  const rows = db
    .select()
    .from(notifications)
    .where(eq(notifications.userId, userId))
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(q.limit ?? 50)
    .offset(q.offset ?? 0)
    .all();
  const total = db.select({ n: count() }).from(notifications).where(eq(notifications.userId, userId)).get()!.n;
  return {
    total,
    unread: unreadCount(db, userId),
    items: rows.map((r) => {
      const params = r.params as Record<string, Param>;
      return { id: r.id, kind: r.kind, title: noticeTitle(locale, r.kind, params), text: noticeText(locale, r.kind, params), link: `/${locale}/${r.link}`, createdAt: r.createdAt, read: r.readAt !== null };
    }),
  };
}

/** The number on the bell (one indexed count per page view). */
export function unreadCount(db: DB, userId: number): number {
  return db.select({ n: count() }).from(notifications).where(and(eq(notifications.userId, userId), isNull(notifications.readAt))).get()!.n;
}

/** Marks one of the person's notifications read; someone else's is 404 (its existence not told). */
export function markRead(db: DB, userId: number, id: number, now = new Date()): void {
  const row = db.select({ id: notifications.id, readAt: notifications.readAt }).from(notifications).where(and(eq(notifications.id, id), eq(notifications.userId, userId))).get();
  if (!row) throw new AppError('notification_not_found', 404);
  if (!row.readAt) db.update(notifications).set({ readAt: now }).where(eq(notifications.id, id)).run();
}

/** Marks every notification of the person read; returns how many changed. */
export function markAllRead(db: DB, userId: number, now = new Date()): number {
  return db.update(notifications).set({ readAt: now }).where(and(eq(notifications.userId, userId), isNull(notifications.readAt))).run().changes;
}

/** Marks read the person's notifications whose ref starts with `refPrefix` (the decisions page, when shown). */
export function markReadByRef(db: DB, userId: number, refPrefix: string, now = new Date()): void {
  db.update(notifications)
    .set({ readAt: now })
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt), gte(notifications.ref, refPrefix), lt(notifications.ref, `${refPrefix}\uffff`)))
    .run();
}

const prepareToldRefs = (_db: DB, connection: Database.Database) =>
  connection.prepare<[string], [number, string]>('SELECT user_id, ref FROM notifications WHERE kind = ? AND ref IS NOT NULL').raw(true);

/** `userId|ref` of every notification of a kind: what a run has told already (one read instead of one per person). */
export function toldRefs(db: DB, kind: NotificationKind): Set<string> {
  const rows = prepared(db, prepareToldRefs).all(kind);
  return new Set(rows.map(([u, r]) => `${u}|${r}`));
}

/** Whether the person has read the notification with this ref (null: no such notification). */
export function readState(db: DB, userId: number, ref: string): boolean | null {
  const row = db.select({ readAt: notifications.readAt }).from(notifications).where(and(eq(notifications.userId, userId), eq(notifications.ref, ref))).get();
  return row ? row.readAt !== null : null;
}

// ---- preferences ----

/**
 * Saves which optional e-mails the person wants and (HR) the digest period. Required kinds cannot be
 * switched off: naming one is 400 `notification_required`.
 */
export function savePreferences(db: DB, userId: number, input: { emailOff: NotificationKind[]; digestPeriod?: DigestPeriod }): void {
  const bad = input.emailOff.find((k) => !OPTIONAL_EMAIL.includes(k));
  if (bad) throw new AppError(REQUIRED_EMAIL.includes(bad) || MAIL_ONLY.includes(bad) ? 'notification_required' : 'invalid_input', 400, 'emailOff');
  const emailOff = [...new Set(input.emailOff)];
  const set = { emailOff, ...(input.digestPeriod ? { digestPeriod: input.digestPeriod } : {}) };
  db.insert(notificationSettings).values({ userId, ...set }).onConflictDoUpdate({ target: notificationSettings.userId, set }).run();
}

/** Records that a digest was queued for the person on `day` (YYYY-MM-DD). */
export function setLastDigest(db: DB, userId: number, day: string): void {
  db.insert(notificationSettings).values({ userId, lastDigestOn: day }).onConflictDoUpdate({ target: notificationSettings.userId, set: { lastDigestOn: day } }).run();
}

/** Every person's digest period and last digest day, for the digest run. */
export function digestSettings(db: DB): Map<number, { digestPeriod: DigestPeriod; lastDigestOn: string | null; emailOff: NotificationKind[] }> {
  return new Map(db.select().from(notificationSettings).all().map((r) => [r.userId, r]));
}
