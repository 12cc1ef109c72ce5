/**
 * One definition of "counted staff" (people/service COUNTED_STAFF_SQL): the staff list, the compliance
 * overview and the yearly report agree on who is counted after a dismissal and an administrator's
 * lock, and a report for a past year counts the staff as they were then.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { call, getDb, signIn, withDemo } from '../helpers';
import { users } from '@db/schema';
import { seedHrReportsDemo } from '@scripts/seed';
import { importCourseLibrary } from '@server/modules/catalog/service';
import { loadSessionUser } from '@server/modules/auth/service';
import { lockUser } from '@server/modules/people/service';
import { dismissServant } from '@server/modules/hr/staff';

const db = () => getDb();
const person = (email: string) => db().select().from(users).where(eq(users.email, email)).get()!;
const year = new Date().getUTCFullYear();

async function counts(cookie: string, reportYear = year) {
  const staff = (await (await call('/api/hr/staff', { cookie })).json()) as { staff: { id: number }[] };
  const compliance = (await (await call('/api/hr/compliance', { cookie })).json()) as { totals: { total: number }; staff: { id: number }[] };
  const report = (await (await call(`/api/hr/reports?year=${reportYear}`, { cookie })).json()) as { totals: { staff: number } };
  return { staffList: staff.staff.length, compliance: compliance.totals.total, complianceList: compliance.staff.length, report: report.totals.staff, ids: staff.staff.map((s) => s.id) };
}

beforeAll(async () => {
  await withDemo();
  importCourseLibrary(db(), 'tests/fixtures/courses');
  await seedHrReportsDemo(db());
});

describe('counted staff', () => {
  it('staff list, compliance and report agree before and after a dismissal and an administrator lock', async () => {
    const hr = await signIn('hr@demo.kg');
    const before = await counts(hr);
    expect(before.staffList).toBeGreaterThan(4);
    expect([before.compliance, before.complianceList, before.report]).toEqual([before.staffList, before.staffList, before.staffList]);

    const dismissed = person('audit2@demo.kg');
    const res = await call(`/api/hr/staff/${dismissed.id}/dismiss`, { method: 'POST', cookie: hr });
    expect(res.status).toBe(200);
    const admin = loadSessionUser(db(), person('admin@demo.kg').id)!;
    const locked = person('oshfin2@demo.kg');
    lockUser(db(), { id: admin.id, ip: null }, locked.id);

    const after = await counts(hr);
    expect(after.staffList).toBe(before.staffList - 2);
    expect([after.compliance, after.complianceList, after.report]).toEqual([after.staffList, after.staffList, after.staffList]);
    expect(after.ids).not.toContain(dismissed.id);
    expect(after.ids).not.toContain(locked.id);
  });

  it('a report for a past year counts the staff as they were then', async () => {
    const hr = await signIn('hr@demo.kg');
    const now = await counts(hr);
    const past = await counts(hr, year - 1);
    // the two people dismissed and locked this year were staff last year
    expect(past.report).toBe(now.report + 2);
    // someone dismissed last year was not staff at its end, nor now; someone appointed this year was not staff last year
    const hrUser = loadSessionUser(db(), person('hr@demo.kg').id)!;
    dismissServant(db(), { id: hrUser.id, hrOrganisationIds: hrUser.hrOrganisationIds, ip: null }, person('audit3@demo.kg').id, new Date(`${year - 1}-06-30T08:00:00Z`));
    db().update(users).set({ appointmentDate: `${year}-01-15` }).where(eq(users.email, 'oshfin1@demo.kg')).run();
    const past2 = await counts(hr, year - 1);
    const now2 = await counts(hr);
    expect(past2.report).toBe(past.report - 2);
    expect(now2.report).toBe(now.report - 1);
    expect([now2.staffList, now2.compliance]).toEqual([now2.report, now2.report]);
    // a lock at the very end of the last day of the year still counts for that year; one a moment later in the next does not
    const edge = person('audit1@demo.kg');
    db().update(users).set({ lockedAt: new Date(`${year - 1}-12-31T17:59:59.999Z`) }).where(eq(users.id, edge.id)).run();
    expect((await counts(hr, year - 1)).report).toBe(past2.report - 1);
    db().update(users).set({ lockedAt: new Date(`${year - 1}-12-31T18:00:00.000Z`) }).where(eq(users.id, edge.id)).run();
    expect((await counts(hr, year - 1)).report).toBe(past2.report);
  });
});
