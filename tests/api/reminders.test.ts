import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { getDb, withDemo } from '../helpers';
import { startSmtpInbox, type ReceivedMail } from '../support/smtp-inbox';
import { remindersSent, users } from '../../db/schema';
import { formatDate } from '../../server/lib/i18n';
import { updateSettings } from '../../server/modules/settings/service';
import { reminderKind, sendDueReminders } from '../../server/modules/reminders/service';

let inbox: ReceivedMail[] = [];
let port = 0;
let closeSmtp: () => Promise<void>;

const NOW = new Date('2026-11-22T06:00:00Z');

beforeAll(async () => {
  await withDemo();
  ({ port, inbox, close: closeSmtp } = await startSmtpInbox());

  const db = getDb();
  // Everyone compliant (appointed 2025), except: learner@ due in 18 days, osh@ 21 days overdue.
  db.update(users).set({ appointmentDate: '2025-01-01' }).run();
  db.update(users).set({ appointmentDate: '2023-12-10' }).where(eq(users.email, 'learner@demo.kg')).run();
  db.update(users).set({ appointmentDate: '2023-11-01' }).where(eq(users.email, 'osh@demo.kg')).run();
  // The HR officer reads Russian; the learner Kyrgyz: each message is in its recipient's language.
  db.update(users).set({ locale: 'ru' }).where(eq(users.email, 'hr@demo.kg')).run();
  db.update(users).set({ locale: 'ky' }).where(eq(users.email, 'learner@demo.kg')).run();
  db.update(users).set({ locale: 'ru' }).where(eq(users.email, 'osh@demo.kg')).run();
});

afterAll(async () => {
  await closeSmtp();
});

function admin() {
  return { id: getDb().select().from(users).where(eq(users.email, 'admin@demo.kg')).get()!.id };
}

describe('obligation reminders by e-mail', () => {
  it('picks one window: overdue, the smallest reminder day, or none', () => {
    expect(reminderKind('2026-12-10', '2026-11-22', [90, 30, 7])).toBe('before_30');
    expect(reminderKind('2026-11-25', '2026-11-22', [90, 30, 7])).toBe('before_7');
    expect(reminderKind('2027-01-20', '2026-11-22', [90, 30, 7])).toBe('before_90');
    expect(reminderKind('2027-06-01', '2026-11-22', [90, 30, 7])).toBeNull();
    expect(reminderKind('2026-11-22', '2026-11-22', [90, 30, 7])).toBe('before_7');
    expect(reminderKind('2026-11-21', '2026-11-22', [90, 30, 7])).toBe('overdue');
  });

  it('without SMTP settings sends nothing and records nothing', async () => {
    const run = await sendDueReminders(getDb(), NOW);
    expect(run.skipped).toBe('smtp_not_configured');
    expect(run.sent).toBe(0);
    expect(inbox).toHaveLength(0);
    expect(getDb().select().from(remindersSent).all()).toHaveLength(0);
  });

  it('sends each due reminder once, to the servant and their HR officer, in the recipient language', async () => {
    updateSettings(getDb(), admin(), { smtpHost: '127.0.0.1', smtpPort: String(port), smtpFrom: 'Bilim <noreply@bilim.test>' });
    const run = await sendDueReminders(getDb(), NOW);
    expect(run).toEqual({ skipped: null, sent: 3, failed: 0, alreadySent: 0 });
    expect(inbox).toHaveLength(3);

    const toLearner = inbox.find((m) => m.to[0] === 'learner@demo.kg')!;
    expect(toLearner.subject).toBe(`Кесиптик окуунун мөөнөтү жакындап калды: ${formatDate('ky', '2026-12-10T00:00:00Z')}`);
    expect(toLearner.text).toContain('2026-жылдын 10-декабры');
    expect(toLearner.text).toContain('18 күн калды');
    expect(toLearner.text).toContain('Айгүл Асанова');

    const toHr = inbox.find((m) => m.to[0] === 'hr@demo.kg')!;
    expect(toHr.subject).toContain('Айгүл Асанова');
    expect(toHr.subject).toContain('приближается срок');
    expect(toHr.text).toContain(formatDate('ru', '2026-12-10T00:00:00Z'));
    expect(toHr.text).toContain('осталось 18 дней');
    // the servant's gender picks the Russian words; the organisation stands on its own line
    expect(toHr.text).toMatch(/^Служащая Айгүл Асанова должна пройти повышение квалификации до 10 декабря 2026 г\. \(осталось 18 дней\)\.\nОрганизация: \S/);

    const toOsh = inbox.find((m) => m.to[0] === 'osh@demo.kg')!;
    expect(toOsh.subject).toBe(`Срок повышения квалификации истёк: ${formatDate('ru', '2026-11-01T00:00:00Z')}`);
    expect(toOsh.text).toContain('просрочено на 21 день');
    expect(toOsh.text).toMatch(/^Уважаемая Динара Юсупова!/);
    expect(toOsh.text).not.toMatch(/\((а|ая|ца|на)\)/);
    // Osh city hall is outside the HR officer's subtree (Ministry of Finance): no copy for them.
    expect(inbox.filter((m) => m.to[0] === 'hr@demo.kg')).toHaveLength(1);

    const rows = getDb().select().from(remindersSent).all();
    expect(rows.map((r) => `${r.recipient}:${r.recipientEmail}:${r.kind}:${r.dueDate}`).sort()).toEqual([
      'hr:hr@demo.kg:before_30:2026-12-10',
      'servant:learner@demo.kg:before_30:2026-12-10',
      'servant:osh@demo.kg:overdue:2026-11-01',
    ]);
  });

  it('a repeated run sends nothing more', async () => {
    const run = await sendDueReminders(getDb(), new Date(NOW.getTime() + 60 * 60_000));
    expect(run).toEqual({ skipped: null, sent: 0, failed: 0, alreadySent: 3 });
    expect(inbox).toHaveLength(3);
    expect(getDb().select().from(remindersSent).all()).toHaveLength(3);
  });

  it('the next window sends again; the overdue reminder is not repeated', async () => {
    const later = new Date('2026-12-05T06:00:00Z'); // learner: 5 days left
    const run = await sendDueReminders(getDb(), later);
    expect(run.sent).toBe(2);
    expect(inbox.slice(3).map((m) => m.to[0]).sort()).toEqual(['hr@demo.kg', 'learner@demo.kg']);
    expect(inbox.slice(3).find((m) => m.to[0] === 'learner@demo.kg')!.text).toContain('5 күн калды');
  });

  it('a new due date starts the reminders again', async () => {
    // osh@ counted from a later date now (as a new training would): due 2026-11-15, overdue again.
    getDb().update(users).set({ appointmentDate: '2023-11-15' }).where(eq(users.email, 'osh@demo.kg')).run();
    const run = await sendDueReminders(getDb(), new Date('2026-12-05T07:00:00Z'));
    expect(run.sent).toBe(1);
    const last = inbox.at(-1)!;
    expect(last.to).toEqual(['osh@demo.kg']);
    expect(last.text).toContain(formatDate('ru', '2026-11-15T00:00:00Z'));
  });

  it('an unreachable SMTP server records nothing, so the reminder is sent on a later run', async () => {
    getDb().update(users).set({ appointmentDate: '2023-10-01' }).where(eq(users.email, 'osh@demo.kg')).run();
    updateSettings(getDb(), admin(), { smtpPort: '1' });
    const when = new Date('2026-12-05T08:00:00Z');
    const failed = await sendDueReminders(getDb(), when);
    expect(failed.failed).toBe(1);
    expect(failed.sent).toBe(0);
    expect(getDb().select().from(remindersSent).where(eq(remindersSent.dueDate, '2026-10-01')).all()).toHaveLength(0);
    updateSettings(getDb(), admin(), { smtpPort: String(port) });
    const retried = await sendDueReminders(getDb(), when);
    expect(retried.sent).toBe(1);
    expect(inbox.at(-1)!.to).toEqual(['osh@demo.kg']);
  });
});
