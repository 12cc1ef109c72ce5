import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { call, getDb, signIn, withDemo } from '../helpers';
import { users } from '@db/schema';
import { addYears, lastMetDate, obligationStatus, isIsoDate } from '@server/modules/obligation/service';
import { currentPolicy, formatCertificateNumber, previewPolicy } from '@server/modules/policy/service';
import { listStaff } from '@server/modules/hr/service';
import { subtreeIds } from '@server/modules/organisations/service';

beforeAll(withDemo);

describe('obligation dates', () => {
  it('adds years; 29 February ends on 28 February in a common year', () => {
    expect(addYears('2021-03-15', 3)).toBe('2024-03-15');
    expect(addYears('2024-02-29', 3)).toBe('2027-02-28');
    expect(addYears('2024-02-29', 4)).toBe('2028-02-29');
    expect(addYears('2027-02-28', -3)).toBe('2024-02-28');
    expect(addYears('2023-12-31', 1)).toBe('2024-12-31');
  });
  it('validates calendar dates', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2023-02-29')).toBe(false);
    expect(isIsoDate('2023-13-01')).toBe(false);
  });
  const policy = { periodYears: 3, dueSoonDays: 90, minHours: null };
  it('counts from the appointment date for someone never trained', () => {
    const r = obligationStatus({ appointmentDate: '2021-03-15' }, [], policy, '2024-01-01');
    expect(r).toEqual({ status: 'due_soon', dueDate: '2024-03-15', countedFrom: '2021-03-15', fromAppointment: true });
    expect(obligationStatus({ appointmentDate: '2021-03-15' }, [], policy, '2023-12-15').status).toBe('compliant');
    expect(obligationStatus({ appointmentDate: '2021-03-15' }, [], policy, '2023-12-16').status).toBe('due_soon') // 90 days left;
    expect(obligationStatus({ appointmentDate: '2021-03-15' }, [], policy, '2024-03-15').status).toBe('due_soon');
    expect(obligationStatus({ appointmentDate: '2021-03-15' }, [], policy, '2024-03-16').status).toBe('overdue');
  });
  it('counts from the last training, and is unknown with nothing to count from', () => {
    const r = obligationStatus({ appointmentDate: '2010-01-01' }, [{ date: '2023-05-02', hours: 8 }, { date: '2020-01-01', hours: 40 }], policy, '2024-01-01');
    expect(r).toMatchObject({ status: 'compliant', dueDate: '2026-05-02', fromAppointment: false });
    expect(obligationStatus({ appointmentDate: null }, [], policy, '2024-01-01').status).toBe('unknown');
  });
  it('with minimum hours, the obligation is met on the day the trainings within one period add up', () => {
    const p = { ...policy, minHours: 36 };
    const trainings = [
      { date: '2019-02-01', hours: 30 },
      { date: '2021-06-01', hours: 10 }, // 2019-02-01 + this = 40 within 3 years: met on 2021-06-01
      { date: '2024-03-01', hours: 20 }, // 10 + 20 = 30 within 3 years: not met
    ];
    expect(lastMetDate(trainings, p)).toBe('2021-06-01');
    expect(lastMetDate(trainings, { ...p, minHours: null })).toBe('2024-03-01');
    expect(lastMetDate([{ date: '2024-01-01', hours: 8 }], p)).toBeNull();
  });
  it('formats certificate numbers', () => {
    expect(formatCertificateNumber('BLM-{YYYY}-{CODE}', 2026, 'K7QM-2XPA-9RTD')).toBe('BLM-2026-K7QM-2XPA-9RTD');
  });
});

describe('policy changes', () => {
  const valid = { periodYears: 3, minHours: null, dueSoonDays: 90, reminderDays: [30, 90, 7], certificateFormat: 'BLM-{YYYY}-{CODE}' };

  it('starts from the defaults of the law', async () => {
    const admin = await signIn('admin@demo.kg');
    const res = await (await call('/api/admin/policy', { cookie: admin })).json();
    expect(res).toMatchObject({ id: null, periodYears: 3, minHours: null });
  });

  it('validates every field', async () => {
    const admin = await signIn('admin@demo.kg');
    for (const [patch, field] of [
      [{ periodYears: 0 }, 'periodYears'],
      [{ dueSoonDays: -1 }, 'dueSoonDays'],
      [{ reminderDays: [7, 7] }, 'reminderDays'],
      [{ certificateFormat: 'BLM-{YYYY}' }, 'certificateFormat'],
      [{ certificateFormat: 'BLM <{CODE}>' }, 'certificateFormat'],
      [{ certificateFormat: 'BLM-{YYYY}-{SEQ}' }, 'certificateFormat'],
      [{ minHours: 'many' }, 'minHours'],
    ] as const) {
      const res = await call('/api/admin/policy/preview', { method: 'POST', cookie: admin, json: { ...valid, ...patch } });
      expect(res.status, field).toBe(400);
      expect((await res.json()).error.field).toBe(field);
    }
    expect((await call('/api/admin/policy', { method: 'PUT', cookie: await signIn('hr@demo.kg'), json: valid })).status).toBe(403);
  });

  it('recomputes statuses exactly as previewed, from then on, and records who and when', async () => {
    const db = getDb();
    const admin = await signIn('admin@demo.kg');
    // today's statuses depend on the real date: put the demo servants where a shorter window and period move them
    const today = new Date().toISOString().slice(0, 10);
    const set = (email: string, years: number, days: number) => {
      const d = new Date(`${addYears(today, -years)}T00:00:00Z`);
      d.setUTCDate(d.getUTCDate() + days);
      db.update(users).set({ appointmentDate: d.toISOString().slice(0, 10) }).where(eq(users.email, email)).run();
    };
    set('learner@demo.kg', 3, 30); // due in 30 days: due soon now; compliant with a 10-day window
    set('hr@demo.kg', 2, 0); // due in a year: compliant now; overdue with a 1-year period
    set('municipal@demo.kg', 4, 0); // overdue either way
    set('osh@demo.kg', 1, 0); // compliant either way

    const hrOrgs = subtreeIds(db, [1]);
    const before = listStaff(db, hrOrgs);
    expect(Object.fromEntries(before.map((s) => [s.email, s.status]))).toEqual({ 'learner@demo.kg': 'due_soon', 'hr@demo.kg': 'compliant' });

    const proposed = { ...valid, periodYears: 1, dueSoonDays: 10 };
    const res = await call('/api/admin/policy/preview', { method: 'POST', cookie: admin, json: proposed });
    expect(res.status).toBe(200);
    const preview = await res.json();
    expect(preview.servants).toBe(5);
    // learner: 3 years + 30 days ago... with 1 year it was due 2 years ago: overdue; hr overdue too; osh due today: due soon
    expect(preview.changed).toBe(3);
    expect(preview).toEqual(previewPolicy(db, { ...proposed, reminderDays: [90, 30, 7] }));
    expect(currentPolicy(db).id).toBeNull(); // a preview saves nothing

    const saved = await call('/api/admin/policy', { method: 'PUT', cookie: admin, json: proposed });
    expect(saved.status).toBe(200);
    const policy = await saved.json();
    expect(policy).toMatchObject({ periodYears: 1, dueSoonDays: 10, reminderDays: [90, 30, 7] });
    expect(policy.createdBy).toBeGreaterThan(0);

    // the statuses now are the previewed ones: count the changes the same way
    const after = previewPolicy(db, proposed);
    expect(after.changed).toBe(0);
    expect(after.current).toEqual(preview.proposed);
    const staff = listStaff(db, hrOrgs);
    expect(Object.fromEntries(staff.map((s) => [s.email, s.status]))).toEqual({ 'learner@demo.kg': 'overdue', 'hr@demo.kg': 'overdue' });
    expect((await (await call('/api/hr/staff?status=overdue', { cookie: await signIn('hr@demo.kg') })).json()).staff).toHaveLength(2);

    const audit = await (await call('/api/admin/audit?action=policy.changed', { cookie: admin })).json();
    expect(audit.entries).toHaveLength(1);
    expect(audit.entries[0].actor.email).toBe('admin@demo.kg');
    expect(audit.entries[0].details).toMatchObject({ before: { periodYears: 3 }, after: { periodYears: 1 }, statusChanges: 3 });
  });
});
