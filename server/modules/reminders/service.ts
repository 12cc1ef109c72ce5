/**
 * E-mail reminders of the training obligation. For each active servant whose due date is near
 * (within one of the policy's reminderDays) or passed, the servant and every HR officer whose scope
 * covers the servant's organisation get one message per kind and due date, in their own language.
 * A row in reminders_sent is written after a successful send, so a repeated run sends nothing new;
 * a crash between sending and recording may send one message twice (at-least-once), never more.
 */
import { and, eq } from 'drizzle-orm';
import type { DB } from '../../../db/client';
import { remindersSent } from '../../../db/schema';
import type { Locale } from '../../lib/domain';
import type { Gender } from '../../lib/domain';
import { day, gender, plural, t } from '../../lib/i18n';
import { sendMail, smtpConfig } from '../../lib/mail';
import { daysBetween, obligationStatuses, todayUtc } from '../obligation/service';
import { getOrganisations, subtreeIds } from '../organisations/service';
import { activeServants, contactsOf, hrGrants } from '../people/service';
import { currentPolicy } from '../policy/service';

export type ReminderKind = `before_${number}` | 'overdue';
export type ReminderRun = {
  /** 'smtp_not_configured' when nothing was attempted because mail is not set up */
  skipped: 'smtp_not_configured' | null;
  sent: number;
  failed: number;
  /** messages due but already sent on an earlier run */
  alreadySent: number;
};

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

function message(
  locale: Locale,
  to: 'servant' | 'hr',
  kind: ReminderKind,
  vars: { name: string; gender: Gender | null; organisation: string; dueDate: string; daysLeft: number },
): { subject: string; text: string } {
  const state = kind === 'overdue' ? 'overdue' : 'before';
  // the strings choose the date's case ({date:dat} before «чейин») and the Russian gendered words
  const due = day(vars.dueDate);
  const left = kind === 'overdue' ? plural(locale, 'reminder.daysOverdue', -vars.daysLeft) : plural(locale, 'reminder.daysLeft', vars.daysLeft);
  const subject = t(locale, `reminder.subject.${to}.${state}`, { name: vars.name, date: due });
  const text = [
    t(locale, `reminder.body.${to}.${state}`, { name: vars.name, gender: gender(vars.gender), organisation: vars.organisation, date: due, left }),
    '',
    t(locale, `reminder.howTo.${to}`),
    '',
    t(locale, 'reminder.footer'),
  ].join('\n');
  return { subject, text };
}

/** Sends the reminders due on `now`'s date (UTC) that were not sent before. */
export async function sendDueReminders(db: DB, now = new Date()): Promise<ReminderRun> {
  const run: ReminderRun = { skipped: null, sent: 0, failed: 0, alreadySent: 0 };
  if (!smtpConfig(db)) return { ...run, skipped: 'smtp_not_configured' };

  const today = todayUtc(now);
  const policy = currentPolicy(db);
  const servants = activeServants(db);
  const statuses = obligationStatuses(db, servants, policy, today);

  type Due = { userId: number; organisationId: number | null; kind: ReminderKind; dueDate: string; daysLeft: number };
  const due: Due[] = [];
  for (const s of servants) {
    const st = statuses.get(s.id);
    if (!st?.dueDate) continue;
    const kind = reminderKind(st.dueDate, today, policy.reminderDays);
    if (kind) due.push({ userId: s.id, organisationId: s.organisationId, kind, dueDate: st.dueDate, daysLeft: daysBetween(today, st.dueDate) });
  }
  if (due.length === 0) return run;

  // HR officers by the organisations their scope covers.
  const hrByOrg = new Map<number, { userId: number; email: string; locale: Locale }[]>();
  for (const g of hrGrants(db)) {
    for (const orgId of subtreeIds(db, [g.organisationId])) {
      const list = hrByOrg.get(orgId) ?? [];
      if (!list.some((x) => x.userId === g.userId)) list.push({ userId: g.userId, email: g.email, locale: g.locale });
      hrByOrg.set(orgId, list);
    }
  }
  const people = contactsOf(db, due.map((d) => d.userId));
  const orgIds = [...new Set(due.map((d) => d.organisationId).filter((x): x is number => x !== null))];
  const orgs = new Map(getOrganisations(db, orgIds).map((o) => [o.id, o]));

  for (const d of due) {
    const person = people.get(d.userId);
    if (!person) continue;
    const org = d.organisationId !== null ? orgs.get(d.organisationId) : undefined;
    const recipients: { recipient: 'servant' | 'hr'; email: string; locale: Locale }[] = [
      { recipient: 'servant', email: person.email, locale: person.locale },
    ];
    for (const hr of d.organisationId !== null ? hrByOrg.get(d.organisationId) ?? [] : []) {
      if (hr.userId === d.userId || recipients.some((r) => r.email === hr.email)) continue;
      recipients.push({ recipient: 'hr', email: hr.email, locale: hr.locale });
    }
    for (const r of recipients) {
      const done = db
        .select({ id: remindersSent.id })
        .from(remindersSent)
        .where(
          and(
            eq(remindersSent.userId, d.userId),
            eq(remindersSent.recipientEmail, r.email),
            eq(remindersSent.kind, d.kind),
            eq(remindersSent.dueDate, d.dueDate),
          ),
        )
        .get();
      if (done) {
        run.alreadySent++;
        continue;
      }
      const organisation = org ? (r.locale === 'ky' ? org.nameKy : org.nameRu) || org.nameKy : '';
      const { subject, text } = message(r.locale, r.recipient, d.kind, { name: person.fullName, gender: person.gender, organisation, dueDate: d.dueDate, daysLeft: d.daysLeft });
      try {
        const result = await sendMail(db, { to: r.email, subject, text });
        if (result.status !== 'sent') return { ...run, skipped: 'smtp_not_configured' };
      } catch (e) {
        run.failed++;
        console.error(`reminder to ${r.email} failed`, e);
        continue;
      }
      db.transaction((tx) => {
        tx.insert(remindersSent)
          .values({ userId: d.userId, recipient: r.recipient, recipientEmail: r.email, kind: d.kind, dueDate: d.dueDate, sentAt: now })
          .onConflictDoNothing()
          .run();
      });
      run.sent++;
    }
  }
  return run;
}

let runner: ReturnType<typeof setInterval> | undefined;
let running = false;

/** Runs sendDueReminders every interval in this process (once; a run never overlaps the previous one). */
export function startReminderRunner(getDb: () => DB, intervalMs = 60 * 60_000): () => void {
  if (!runner) {
    runner = setInterval(() => {
      if (running) return;
      running = true;
      sendDueReminders(getDb())
        .then((r) => {
          if (r.sent || r.failed) console.log(`reminders: ${r.sent} sent, ${r.failed} failed`);
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
