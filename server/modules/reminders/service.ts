/**
 * The reminder run (every REMINDER_INTERVAL_MINUTES): what a date has made due, told through
 * server/modules/notifications, so each is an in-app notification and, by preference, an e-mail
 * queued in the outbox.
 *
 * - Obligation reminders to each servant who has activated their account: `before_N` for the smallest
 *   of the policy's reminderDays within which the due date falls, or `overdue`. Once per servant,
 *   kind and due date (the notification's ref): a new training moves the due date and they start again.
 * - Assignment reminders: an HR assignment due within ASSIGNMENT_SOON_DAYS, and once it is overdue.
 * - One digest per HR officer per period (daily or weekly, their choice; weekly by default): counts
 *   by status for each of their organisations, the people who became overdue since the last digest,
 *   and a link to the compliance page. HR officers never get one mail per servant.
 *
 * People imported and never invited, or invited and never activated, get none of these (they get
 * only their invitation). Writes go in chunks of CHUNK people per transaction and the run yields to
 * the event loop between chunks, so pages and answers are served while it runs.
 */
import type { DB } from '@db/client';
import type { Locale } from '@db/domain';
import { assignmentsDueBy } from '../learning/service';
import { notify, setLastDigest, digestSettings, toldRefs, type Param } from '../notifications/service';
import { addDays, daysBetween, obligationStatuses, type ObligationStatus } from '../obligation/service';
import { getOrganisations, subtreeIds } from '../organisations/service';
import { activeServants, contactsOf, hrGrants } from '../people/service';
import { currentPolicy } from '../policy/service';
import { bishkekDay } from '@server/lib/time';

export type ReminderKind = `before_${number}` | 'overdue';
export type ReminderRun = {
  /** obligation reminders told (new ones; already told ones are not counted) */
  obligation: number;
  /** assignment reminders told */
  assignments: number;
  /** HR digests told */
  digests: number;
  /** e-mails queued in the outbox by this run */
  mailsQueued: number;
};

/** An assignment is "due soon" this many days before its due date. */
export const ASSIGNMENT_SOON_DAYS = 7;
const CHUNK = 100;

/**
 * Which reminder applies today: `overdue` once the due date has passed, otherwise `before_N` for
 * the smallest configured N with the due date within N days (one message per window, not one for
 * every window at once), or null.
 */
export function reminderKind(dueDate: string, today: string, reminderDays: number[]): ReminderKind | null {
  const left = daysBetween(today, dueDate);
  if (left < 0) return 'overdue';
  const windows = [...reminderDays].filter((n) => Number.isInteger(n) && n > 0 && left <= n).sort((a, b) => a - b);
  return windows.length ? `before_${windows[0]!}` : null;
}

const pause = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Runs `write` over `items` in transactions of CHUNK, yielding between them. */
async function inChunks<T>(db: DB, items: T[], write: (tx: DB, item: T) => void): Promise<void> {
  for (let i = 0; i < items.length; i += CHUNK) {
    db.transaction((tx) => {
      for (const item of items.slice(i, i + CHUNK)) write(tx, item);
    });
    await pause();
  }
}

/** Tells everyone what today has made due. Safe to run any number of times a day: nothing is told twice. */
export async function runReminders(db: DB, now = new Date()): Promise<ReminderRun> {
  const run: ReminderRun = { obligation: 0, assignments: 0, digests: 0, mailsQueued: 0 };
  const count = (r: { notificationId: number | null; mailQueued: boolean }) => {
    if (r.mailQueued) run.mailsQueued++;
    return r.notificationId !== null;
  };
  const today = bishkekDay(now);
  const policy = currentPolicy(db);
  const servants = activeServants(db);
  const statuses = obligationStatuses(db, servants, policy, today);

  await pause();

  // 1. Obligation reminders (activated servants only); those told before are skipped up front (one read).
  const told = toldRefs(db, 'obligation_reminder');
  const due: { userId: number; kind: ReminderKind; dueDate: string; daysLeft: number }[] = [];
  for (const s of servants) {
    const st = statuses.get(s.id);
    if (!s.activated || !st?.dueDate) continue;
    const kind = reminderKind(st.dueDate, today, policy.reminderDays);
    if (kind && !told.has(`${s.id}|obligation:${kind}:${st.dueDate}`)) due.push({ userId: s.id, kind, dueDate: st.dueDate, daysLeft: daysBetween(today, st.dueDate) });
  }
  await inChunks(db, due, (tx, d) => {
    const overdue = d.kind === 'overdue';
    const told = notify(tx, {
      userId: d.userId, kind: 'obligation_reminder', link: 'my/record', ref: `obligation:${d.kind}:${d.dueDate}`,
      params: {
        state: { key: overdue ? 'notify.obligation.overdue' : 'notify.obligation.before' },
        dueDate: { date: d.dueDate },
        left: overdue ? { plural: 'reminder.daysOverdue', count: -d.daysLeft } : { plural: 'reminder.daysLeft', count: d.daysLeft },
        period: { plural: 'notify.years', count: policy.periodYears },
      },
    }, now);
    if (count(told)) run.obligation++;
  });

  // 2. Assignment reminders: due soon, then overdue (each once per enrolment and due date).
  const assignments = assignmentsDueBy(db, addDays(today, ASSIGNMENT_SOON_DAYS));
  await inChunks(db, assignments, (tx, a) => {
    const left = daysBetween(today, a.dueDate);
    const overdue = left < 0;
    const told = notify(tx, {
      userId: a.userId, kind: overdue ? 'assignment_overdue' : 'assignment_due_soon', link: `courses/${a.slug}`,
      ref: `assignment:${a.enrolmentId}:${a.dueDate}:${overdue ? 'overdue' : 'soon'}`,
      params: {
        course: { ky: a.titleKy, ru: a.titleRu },
        dueDate: { date: a.dueDate },
        left: overdue ? { plural: 'reminder.daysOverdue', count: -left } : { plural: 'reminder.daysLeft', count: left },
      },
    }, now);
    if (count(told)) run.assignments++;
  });

  // 3. HR digests: one per officer per period.
  const settings = digestSettings(db);
  const byOfficer = new Map<number, { locale: Locale; roots: number[] }>();
  for (const g of hrGrants(db)) {
    const o = byOfficer.get(g.userId) ?? { locale: g.locale, roots: [] };
    o.roots.push(g.organisationId);
    byOfficer.set(g.userId, o);
  }
  const servantsByOrg = new Map<number, number[]>();
  for (const s of servants) if (s.organisationId !== null) servantsByOrg.set(s.organisationId, [...(servantsByOrg.get(s.organisationId) ?? []), s.id]);
  type Digest = { userId: number; since: string; params: Record<string, Param> };
  const digests: Digest[] = [];
  const newlyOverdueIds = new Set<number>();
  let seen = 0;
  for (const [userId, officer] of byOfficer) {
    if (++seen % CHUNK === 0) await pause();
    const pref = settings.get(userId);
    const periodDays = pref?.digestPeriod === 'daily' ? 1 : 7;
    if (pref?.lastDigestOn && daysBetween(pref.lastDigestOn, today) < periodDays) continue;
    const since = pref?.lastDigestOn ?? addDays(today, -periodDays);
    const roots = getOrganisations(db, [...new Set(officer.roots)]);
    const lines: Param[] = [];
    const overdueNow: number[] = [];
    for (const root of roots) {
      const counts: Record<ObligationStatus, number> = { compliant: 0, due_soon: 0, overdue: 0, unknown: 0 };
      for (const orgId of subtreeIds(db, [root.id])) {
        for (const id of servantsByOrg.get(orgId) ?? []) {
          const st = statuses.get(id);
          if (!st) continue;
          counts[st.status]++;
          // Newly overdue: the due date passed since the last digest (today's due date is not yet passed).
          if (st.status === 'overdue' && st.dueDate && st.dueDate >= since && st.dueDate < today) overdueNow.push(id);
        }
      }
      lines.push({
        key: 'notify.hr_digest.line',
        vars: { organisation: { ky: root.nameKy, ru: root.nameRu }, compliant: counts.compliant, dueSoon: counts.due_soon, overdue: counts.overdue, unknown: counts.unknown },
      });
    }
    for (const id of overdueNow) newlyOverdueIds.add(id);
    digests.push({ userId, since, params: { counts: lines, overdueIds: overdueNow.join(','), since: { date: since } } });
  }
  // Names of the newly overdue, read once for every digest.
  const people = contactsOf(db, [...newlyOverdueIds]);
  const LIST_MAX = 50;
  await inChunks(db, digests, (tx, d) => {
    const ids = String(d.params.overdueIds).split(',').filter(Boolean).map(Number);
    const { overdueIds: _ids, ...params } = d.params;
    const names: Param[] = ids.slice(0, LIST_MAX).map((id) => `— ${people.get(id)?.fullName ?? id}`);
    if (ids.length > LIST_MAX) names.push({ key: 'notify.hr_digest.more', vars: { count: ids.length - LIST_MAX } });
    const told = notify(tx, {
      userId: d.userId, kind: 'hr_digest', link: 'hr/compliance', ref: `digest:${today}`,
      params: {
        ...params,
        newlyOverdue: ids.length ? [{ key: 'notify.hr_digest.overdueTitle', vars: { count: ids.length } }, ...names] : { key: 'notify.hr_digest.noneOverdue' },
      },
    }, now);
    setLastDigest(tx, d.userId, today);
    if (count(told)) run.digests++;
  });
  return run;
}

let runner: ReturnType<typeof setInterval> | undefined;
let running = false;

/** Runs runReminders every interval in this process (once; a run never overlaps the previous one). */
export function startReminderRunner(getDb: () => DB, intervalMs = 60 * 60_000): () => void {
  if (!runner) {
    runner = setInterval(() => {
      if (running) return;
      running = true;
      runReminders(getDb())
        .then((r) => {
          if (r.mailsQueued) console.log(`reminders: ${r.obligation} obligation, ${r.assignments} assignment, ${r.digests} digests; ${r.mailsQueued} e-mails queued`);
        })
        .catch((e) => console.error('reminder run failed', e))
        .finally(() => {
          running = false;
        });
    }, intervalMs);
    runner.unref();
  }
  return () => {
    clearInterval(runner);
    runner = undefined;
  };
}
