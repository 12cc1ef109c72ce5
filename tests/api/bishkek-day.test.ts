/**
 * One "today": the Bishkek calendar day (server/lib/time.ts bishkekDay). Between 00:00 and 06:00 in
 * Bishkek the UTC day is still yesterday; at 02:00 every rule that reads "today" must already be on
 * the new day — the HR due-date check, a servant's obligation in their record and in the HR lists.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { getDb, withDemo } from '../helpers';
import { users } from '@db/schema';
import { bishkekDay } from '@server/lib/time';
import { loadSessionUser } from '@server/modules/auth/service';
import { importCourseLibrary } from '@server/modules/catalog/service';
import { assignCourse } from '@server/modules/hr/assignments';
import { complianceOverview } from '@server/modules/hr/compliance';
import { listStaff } from '@server/modules/hr/service';
import { createPerson } from '@server/modules/people/service';
import { myObligation } from '@server/modules/records/service';

/** 02:00 on 11 March 2026 in Bishkek (UTC+6) is still 10 March in UTC. */
const AT_TWO = new Date('2026-03-10T20:00:00Z');
const db = () => getDb();
let servantId: number;

beforeAll(async () => {
  await withDemo();
  importCourseLibrary(db(), 'tests/fixtures/courses');
  const hr = db().select().from(users).where(eq(users.email, 'hr@demo.kg')).get()!;
  // Never trained, appointed on 10 March 2023: under the 3-year obligation due on 10 March 2026.
  servantId = (await createPerson(db(), {
    email: 'two-am@demo.kg', fullName: 'Түнкү Кызматчы', organisationId: hr.organisationId!, service: 'state', postKind: 'administrative',
    adminGroup: 'junior', appointmentDate: '2023-03-10', locale: 'ky', roles: [{ role: 'learner' }],
  })).id;
});

describe('at 02:00 in Bishkek, today is the Bishkek day everywhere', () => {
  it('the day itself', () => {
    expect(bishkekDay(AT_TWO)).toBe('2026-03-11');
    expect(AT_TWO.toISOString().slice(0, 10)).toBe('2026-03-10');
  });

  it('an HR due date of the UTC day is already past; the Bishkek day is accepted', () => {
    const hr = loadSessionUser(db(), db().select().from(users).where(eq(users.email, 'hr@demo.kg')).get()!.id)!;
    expect(() => assignCourse(db(), hr, { courseSlug: 'ru-digital', dueDate: '2026-03-10', userIds: [servantId] }, AT_TWO)).toThrow('due_date_past');
    const [result] = assignCourse(db(), hr, { courseSlug: 'ru-digital', dueDate: '2026-03-11', userIds: [servantId] }, AT_TWO);
    expect(result?.result).toBe('assigned');
  });

  it('an obligation due on 10 March is overdue in the record, the staff list and the compliance overview alike', () => {
    const hr = loadSessionUser(db(), db().select().from(users).where(eq(users.email, 'hr@demo.kg')).get()!.id)!;
    expect(myObligation(db(), servantId, AT_TWO)).toMatchObject({ status: 'overdue', dueDate: '2026-03-10' });
    expect(listStaff(db(), hr.hrOrganisationIds, {}, AT_TWO).find((s) => s.id === servantId)).toMatchObject({ status: 'overdue', dueDate: '2026-03-10' });
    const overview = complianceOverview(db(), hr.hrOrganisationIds, { status: 'overdue' }, 'ky', AT_TWO);
    expect(overview.staff.map((s: { id: number }) => s.id)).toContain(servantId);
  });
});
