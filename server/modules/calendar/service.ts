/**
 * The iCalendar feed of a person's due dates (RFC 5545): each active HR assignment with a due date
 * and the training obligation's due date, as all-day events Outlook and Google Calendar can
 * subscribe to. The address carries a per-person secret; only its SHA-256 is stored, and renewing
 * it replaces the old one (which then answers 404).
 */
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { and, eq, isNotNull, isNull } from 'drizzle-orm';
import type { DB } from '@db/client';
import { notificationSettings, users } from '@db/schema';
import { t } from '@server/lib/i18n';
import { myEnrolments, titleIn } from '../learning/service';
import { myObligation } from '../records/service';
import { publicOrigin } from '@server/lib/origin';

const hashToken = (token: string) => encodeHexLowerCase(sha256(new TextEncoder().encode(token)));

/** Makes (or replaces) the person's feed secret; returns the feed's absolute address, shown once. */
export function renewCalendarToken(db: DB, userId: number): string {
  const bytes = new Uint8Array(20);
  crypto.getRandomValues(bytes);
  const token = encodeBase32LowerCaseNoPadding(bytes);
  const calendarTokenHash = hashToken(token);
  db.insert(notificationSettings).values({ userId, calendarTokenHash }).onConflictDoUpdate({ target: notificationSettings.userId, set: { calendarTokenHash } }).run();
  return `${publicOrigin()}/api/calendar/${token}.ics`;
}

/** Escapes a TEXT value (RFC 5545 3.3.11) and folds lines longer than 75 octets. */
function text(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
}
function fold(line: string): string {
  const out: string[] = [];
  let cur = '';
  let limit = 75; // continuation lines start with a space
  for (const ch of line) {
    if (Buffer.byteLength(cur + ch, 'utf8') > limit) {
      out.push(cur);
      cur = '';
      limit = 74;
    }
    cur += ch;
  }
  out.push(cur);
  return out.join('\r\n ');
}

/** The feed for a secret, or null when no active person has it (the route answers 404). */
export function calendarFeed(db: DB, token: string, now = new Date()): string | null {
  if (!/^[a-z2-7]{20,64}$/.test(token)) return null;
  const row = db
    .select({ userId: users.id, locale: users.locale })
    .from(notificationSettings)
    .innerJoin(users, eq(users.id, notificationSettings.userId))
    .where(and(eq(notificationSettings.calendarTokenHash, hashToken(token)), isNotNull(users.passwordHash), isNull(users.lockedAt)))
    .get();
  if (!row) return null;
  const locale = row.locale;
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
  const host = new URL(publicOrigin()).host;
  const day = (d: string) => d.replace(/-/g, '');
  const next = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10).replace(/-/g, '');
  const events: string[][] = [];
  for (const e of myEnrolments(db, row.userId)) {
    if (e.enrolment.status !== 'active' || !e.enrolment.dueDate) continue;
    events.push([
      'BEGIN:VEVENT',
      `UID:enrolment-${e.enrolment.id}-${e.enrolment.dueDate}@${host}`,
      `DTSTAMP:${stamp}`,
      `DTSTART;VALUE=DATE:${day(e.enrolment.dueDate)}`,
      `DTEND;VALUE=DATE:${next(e.enrolment.dueDate)}`,
      `SUMMARY:${text(t(locale, 'calendar.assignment', { course: titleIn(locale, e.course) }))}`,
      `URL:${publicOrigin()}/${locale}/courses/${e.course.slug}`,
      'TRANSP:TRANSPARENT',
      'END:VEVENT',
    ]);
  }
  const obligation = myObligation(db, row.userId, now);
  if (obligation.applies && obligation.dueDate) {
    events.push([
      'BEGIN:VEVENT',
      `UID:obligation-${row.userId}-${obligation.dueDate}@${host}`,
      `DTSTAMP:${stamp}`,
      `DTSTART;VALUE=DATE:${day(obligation.dueDate)}`,
      `DTEND;VALUE=DATE:${next(obligation.dueDate)}`,
      `SUMMARY:${text(t(locale, 'calendar.obligation'))}`,
      `URL:${publicOrigin()}/${locale}/my/record`,
      'TRANSP:TRANSPARENT',
      'END:VEVENT',
    ]);
  }
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Bilim//Due dates//KY',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${text(t(locale, 'calendar.name'))}`,
    'X-PUBLISHED-TTL:PT12H',
    ...events.flat(),
    'END:VCALENDAR',
  ];
  return lines.map(fold).join('\r\n') + '\r\n';
}
