/**
 * The training obligation: every servant is trained at least once per period (3 years by law,
 * configurable in the policy), optionally with a minimum number of hours within the period.
 *
 * Dates are calendar dates in UTC written YYYY-MM-DD. Adding years keeps the day of the month; when
 * that day does not exist in the target month (29 February in a non-leap year) the period ends on
 * the last day of that month — 29 Feb 2024 + 3 years = 28 Feb 2027 — as periods counted in years
 * end under the civil codes of the Kyrgyz Republic and of its neighbours.
 */
import { and, eq, isNull, sql } from 'drizzle-orm';
import type Database from 'better-sqlite3';
import type { DB } from '@db/client';
import { certificates, outsideTrainings } from '@db/schema';
import { prepared } from '@db/statements';

export const OBLIGATION_STATUSES = ['compliant', 'due_soon', 'overdue', 'unknown'] as const;
export type ObligationStatus = (typeof OBLIGATION_STATUSES)[number];

export type ObligationPolicy = { periodYears: number; dueSoonDays: number; minHours: number | null };
export type QualifyingTraining = { userId: number; date: string; hours: number };
export type ObligationResult = {
  status: ObligationStatus;
  /** the date the next training is due by; null when there is nothing to count from */
  dueDate: string | null;
  /** the date the obligation was last met (or the appointment date when never trained) */
  countedFrom: string | null;
  /** true when countedFrom is the appointment date */
  fromAppointment: boolean;
};

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isIsoDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!));
  return d.toISOString().slice(0, 10) === value;
}

/** Adds whole years (negative too); a day missing in the target month becomes its last day. */
export function addYears(date: string, years: number): string {
  const m = DATE.exec(date);
  if (!m) throw new Error(`not a date: ${date}`);
  const y = +m[1]! + years;
  const month = +m[2]! - 1;
  const lastDay = new Date(Date.UTC(y, month + 1, 0)).getUTCDate();
  const day = Math.min(+m[3]!, lastDay);
  return new Date(Date.UTC(y, month, day)).toISOString().slice(0, 10);
}

/** The date `days` days after (or before, when negative) a YYYY-MM-DD date. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Whole days from a to b (b − a). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/**
 * Each completed training of these people that counts towards the obligation, with its date
 * (YYYY-MM-DD) and hours: valid platform certificates and outside trainings verified by HR (the
 * training-record module writes both; what counts is this module's rule). The ids go to SQLite as one JSON array parameter
 * (json_each), not as thousands of bound parameters: any number of people, and no query text
 * thousands of placeholders long to build (the HR list of a 5,000-person organisation spent most
 * of its time there).
 */
export function qualifyingTrainingsOf(db: DB, userIds: number[]): { userId: number; date: string; hours: number }[] {
  if (userIds.length === 0) return [];
  const ids = JSON.stringify(userIds);
  const out: { userId: number; date: string; hours: number }[] = db
    .select({ userId: certificates.userId, date: certificates.completedOn, hours: certificates.hours })
    .from(certificates)
    .where(and(sql`${certificates.userId} IN (SELECT value FROM json_each(${ids}))`, isNull(certificates.revokedAt)))
    .all();
  for (const o of db
    .select({ userId: outsideTrainings.userId, date: outsideTrainings.endDate, hours: outsideTrainings.hours })
    .from(outsideTrainings)
    .where(and(sql`${outsideTrainings.userId} IN (SELECT value FROM json_each(${ids}))`, eq(outsideTrainings.status, 'verified')))
    .all())
    out.push(o);
  return out;
}


/**
 * SQL for two columns: the date (YYYY-MM-DD, NULL when none) of a person's latest valid certificate
 * and of their latest verified outside training — what qualifyingTrainingsOf counts, reduced to
 * the latest date of each kind in SQLite; `laterDate` of the two is the latest qualifying training.
 * `userId` is the SQL expression of the person's id (e.g. `u.id`). With the partial indexes on
 * (user_id, date) each column is one index seek, so a list of thousands of people reads two dates
 * per person instead of every training row.
 */
export function lastQualifyingDatesSql(userId: string): string {
  return `(SELECT max(completed_on) FROM certificates WHERE user_id = ${userId} AND revoked_at IS NULL),
    (SELECT max(end_date) FROM outside_trainings WHERE user_id = ${userId} AND status = 'verified')`;
}

/** The later of two dates (YYYY-MM-DD), either of which may be missing. */
export function laterDate(a: string | null, b: string | null): string | null {
  return a === null ? b : b === null || a >= b ? a : b;
}

const prepareLastDates = (_db: DB, connection: Database.Database) =>
  connection.prepare<[string], [number, string | null, string | null]>(`SELECT j.value, ${lastQualifyingDatesSql('j.value')} FROM json_each(?) j`).raw(true);

/** The date of each person's latest qualifying training (people with none are left out). */
export function lastQualifyingDatesOf(db: DB, userIds: number[]): Map<number, string> {
  const out = new Map<number, string>();
  if (userIds.length === 0) return out;
  for (const [id, certificate, outside] of prepared(db, prepareLastDates).all(JSON.stringify(userIds))) {
    const date = laterDate(certificate, outside);
    if (date !== null) out.set(id, date);
  }
  return out;
}

/**
 * The date the obligation was last met: with no minimum hours, the latest training; with a minimum,
 * the latest training date by which the trainings in the period ending that day add up to it.
 */
export function lastMetDate(trainings: { date: string; hours: number }[], policy: ObligationPolicy): string | null {
  const sorted = [...trainings].sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0));
  if (!policy.minHours) return sorted[0]?.date ?? null;
  for (const t of sorted) {
    const windowStart = addYears(t.date, -policy.periodYears);
    const hours = sorted.filter((x) => x.date > windowStart && x.date <= t.date).reduce((s, x) => s + x.hours, 0);
    if (hours >= policy.minHours) return t.date;
  }
  return null;
}

/** One person's status on a given day. */
export function obligationStatus(
  person: { appointmentDate: string | null },
  trainings: { date: string; hours: number }[],
  policy: ObligationPolicy,
  today: string,
): ObligationResult {
  const met = lastMetDate(trainings, policy);
  const countedFrom = met ?? (person.appointmentDate && isIsoDate(person.appointmentDate) ? person.appointmentDate : null);
  if (!countedFrom) return { status: 'unknown', dueDate: null, countedFrom: null, fromAppointment: false };
  const dueDate = addYears(countedFrom, policy.periodYears);
  const left = daysBetween(today, dueDate);
  const status: ObligationStatus = left < 0 ? 'overdue' : left <= policy.dueSoonDays ? 'due_soon' : 'compliant';
  return { status, dueDate, countedFrom, fromAppointment: met === null };
}

/**
 * The same answer as obligationStatus for many people under one policy on one day, given the date
 * each one last met the obligation (lastMetDate). The due date and status depend only on the date
 * counted from, and thousands of people share a few hundred such dates, so each date's answer is
 * worked out once (the same addYears and daysBetween) and reused.
 */
export function statusCalculator(policy: ObligationPolicy, today: string): (person: { appointmentDate: string | null }, met: string | null) => ObligationResult {
  const byDate = new Map<string, { dueDate: string; status: ObligationStatus }>();
  const validDate = new Map<string, boolean>();
  return (person, met) => {
    let countedFrom = met;
    if (countedFrom === null && person.appointmentDate) {
      const a = person.appointmentDate;
      let ok = validDate.get(a);
      if (ok === undefined) validDate.set(a, (ok = isIsoDate(a)));
      if (ok) countedFrom = a;
    }
    if (!countedFrom) return { status: 'unknown', dueDate: null, countedFrom: null, fromAppointment: false };
    let due = byDate.get(countedFrom);
    if (!due) {
      const dueDate = addYears(countedFrom, policy.periodYears);
      const left = daysBetween(today, dueDate);
      due = { dueDate, status: left < 0 ? 'overdue' : left <= policy.dueSoonDays ? 'due_soon' : 'compliant' };
      byDate.set(countedFrom, due);
    }
    return { status: due.status, dueDate: due.dueDate, countedFrom, fromAppointment: met === null };
  };
}

/**
 * The date each person last met the obligation (people who never did are left out). Without a
 * minimum of hours that is the latest qualifying training, read as one date per person in SQLite;
 * with a minimum every training is read and lastMetDate applied.
 */
export function lastMetDates(db: DB, userIds: number[], policy: ObligationPolicy): Map<number, string> {
  if (!policy.minHours) return lastQualifyingDatesOf(db, userIds);
  const byUser = new Map<number, QualifyingTraining[]>();
  for (const t of qualifyingTrainingsOf(db, userIds)) {
    const list = byUser.get(t.userId);
    if (list) list.push(t);
    else byUser.set(t.userId, [t]);
  }
  const out = new Map<number, string>();
  for (const [id, list] of byUser) {
    const met = lastMetDate(list, policy);
    if (met !== null) out.set(id, met);
  }
  return out;
}

/** Statuses of many people at once, reading their trainings in one call. */
export function obligationStatuses(
  db: DB,
  people: { id: number; appointmentDate: string | null }[],
  policy: ObligationPolicy,
  today: string,
): Map<number, ObligationResult> {
  const met = lastMetDates(db, people.map((p) => p.id), policy);
  const status = statusCalculator(policy, today);
  return new Map(people.map((p) => [p.id, status(p, met.get(p.id) ?? null)]));
}
