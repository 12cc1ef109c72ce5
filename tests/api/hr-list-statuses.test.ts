/**
 * The HR lists' fast path (one statement: people and their latest qualifying dates; statuses
 * cached per date; packed sort) must give exactly what the reference obligationStatus gives from
 * every qualifying training of each person — on tricky cases, under both kinds of policy.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { call, getDb, signIn, withDemo } from '../helpers';
import { certificates, courses, organisations, outsideTrainings, policies, users } from '@db/schema';
import { importCourseLibrary } from '@server/modules/catalog/service';
import { activeStaffWithStatus, complianceOverview } from '@server/modules/hr/compliance';
import { listStaff, sortByStatus } from '@server/modules/hr/service';
import { addYears, obligationStatus, obligationStatuses, qualifyingTrainingsOf, statusCalculator, type ObligationPolicy } from '@server/modules/obligation/service';
import { currentPolicy } from '@server/modules/policy/service';

const db = () => getDb();
let orgId: number;
let subId: number;
let courseId: number;
const ids: Record<string, number> = {};
let seq = 0;

function person(key: string, fullName: string, appointmentDate: string | null, extra: Partial<typeof users.$inferInsert> = {}) {
  const row = db()
    .insert(users)
    .values({ email: `${key}@list-statuses.kg`, fullName, organisationId: extra.organisationId ?? orgId, service: 'state', postKind: 'administrative', adminGroup: 'junior', appointmentDate, createdAt: new Date(), ...extra })
    .returning()
    .get();
  ids[key] = row.id;
  return row.id;
}
function certificate(userId: number, completedOn: string, hours = 8, revoked = false) {
  seq++;
  db()
    .insert(certificates)
    .values({
      code: `LS-${seq}`, codeKey: `LS${seq}`, userId, courseId, sourceRef: `list-statuses:${seq}`, holderName: 'x', hours, completedOn,
      issuedAt: new Date(), revokedAt: revoked ? new Date() : null,
    })
    .run();
}
function outside(userId: number, endDate: string, status: 'pending' | 'verified' | 'rejected', hours = 8) {
  db()
    .insert(outsideTrainings)
    .values({ userId, kind: 'seminar', term: 'short', funding: 'other', title: 'Семинар', provider: 'X', hours, startDate: endDate, endDate, status, createdBy: userId, createdAt: new Date() })
    .run();
}
function setPolicy(p: { periodYears: number; minHours: number | null; dueSoonDays: number }) {
  db().insert(policies).values({ ...p, reminderDays: [30], certificateFormat: 'BLM-{YYYY}-{CODE}', createdAt: new Date() }).run();
}

/** The reference: every qualifying training of each person through obligationStatus. */
function reference(today: string) {
  const policy = currentPolicy(db());
  // counted staff on that day: appointed by then (or no date), not locked by its end (Bishkek, UTC+6)
  const dayEnd = Date.parse(`${today}T18:00:00Z`);
  const people = db()
    .select()
    .from(users)
    .all()
    .filter((u) => u.email.endsWith('@list-statuses.kg') && (u.lockedAt === null || u.lockedAt.getTime() >= dayEnd) && (u.appointmentDate === null || u.appointmentDate <= today));
  return new Map(people.map((u) => [u.id, obligationStatus({ appointmentDate: u.appointmentDate }, qualifyingTrainingsOf(db(), [u.id]), policy, today)]));
}

function expectSameAsReference(today: string) {
  const now = new Date(`${today}T12:00:00Z`);
  const ref = reference(today);
  const scope = [orgId, subId];
  const staff = listStaff(db(), scope, {}, now);
  expect(staff.map((s) => s.id).sort()).toEqual([...ref.keys()].sort());
  for (const s of staff) expect({ id: s.id, status: s.status, dueDate: s.dueDate, countedFrom: s.countedFrom, fromAppointment: s.fromAppointment }).toEqual({ id: s.id, ...ref.get(s.id)! });
  const overview = activeStaffWithStatus(db(), scope, now);
  expect(overview.map((s) => [s.id, s.status, s.dueDate, s.countedFrom, s.fromAppointment])).toEqual(staff.map((s) => [s.id, s.status, s.dueDate, s.countedFrom, s.fromAppointment]));
  const many = obligationStatuses(db(), [...ref.keys()].map((id) => ({ id, appointmentDate: db().select().from(users).where(eq(users.id, id)).get()!.appointmentDate })), currentPolicy(db()), today);
  for (const [id, r] of ref) expect(many.get(id)).toEqual(r);
  return new Map(staff.map((s) => [s.id, s]));
}

beforeAll(async () => {
  await withDemo();
  importCourseLibrary(db(), 'tests/fixtures/courses');
  courseId = db().select().from(courses).all()[0]!.id;
  const org = (name: string, parentId: number | null) =>
    db().insert(organisations).values({ parentId, kind: parentId ? 'subunit' : 'state_body', service: 'state', region: 'bishkek', nameKy: name, nameRu: name, createdAt: new Date() }).returning().get().id;
  orgId = org('Тизме текшерүү', null);
  subId = org('Тизме текшерүү: бөлүм', orgId);

  person('feb29', 'Абдраев Алмаз', '2024-02-29'); // never trained: due 2027-02-28
  person('certFeb29', 'Бакиева Айгүл', '2010-05-05');
  certificate(ids.certFeb29!, '2024-02-29'); // trained on 29 February: due 2027-02-28
  person('revoked', 'Жумабаев Нурлан', '2015-01-10');
  certificate(ids.revoked!, '2020-01-05');
  certificate(ids.revoked!, '2025-06-01', 40, true); // revoked: does not count
  person('revokedOnly', 'Осмонова Айпери', '2023-09-01');
  certificate(ids.revokedOnly!, '2025-06-01', 8, true); // counts from the appointment
  person('verifiedLater', 'Токтогулов Эрлан', '2012-01-01');
  certificate(ids.verifiedLater!, '2022-01-01');
  outside(ids.verifiedLater!, '2024-05-05', 'verified'); // the later verified outside training counts
  person('pending', 'Касымова Динара', '2012-01-01');
  certificate(ids.pending!, '2022-01-01');
  outside(ids.pending!, '2025-01-01', 'pending'); // not verified: does not count
  outside(ids.pending!, '2025-02-01', 'rejected');
  person('outsideOnly', 'Сатыбалдиев Марат', null);
  outside(ids.outsideOnly!, '2023-11-30', 'verified');
  person('noDates', 'Эшматова Гүлнара', null); // nothing to count from: unknown
  person('badDate', 'Эргешов Бакыт', '2023-02-29'); // not a calendar date: unknown
  person('dismissed', 'Мамытов Улан', '2019-01-01', { lockedAt: new Date('2025-06-01T06:00:00Z'), dismissedAt: new Date('2025-06-01T06:00:00Z') }); // left out from that day on
  certificate(ids.dismissed!, '2021-01-01');
  person('sameA', 'Алиева Жамиля', '2021-03-15', { organisationId: subId }); // same name and due date: by id
  person('sameB', 'Алиева Жамиля', '2021-03-15', { organisationId: subId });
  person('minHours', 'Усенов Азамат', '2016-04-04', { organisationId: subId });
  certificate(ids.minHours!, '2019-02-01', 30);
  certificate(ids.minHours!, '2021-06-01', 10); // 40 h within 3 years: met on 2021-06-01 under a 36 h minimum
  outside(ids.minHours!, '2024-03-01', 'verified', 20); // 10 + 20 within 3 years: not met
});

describe('the HR lists give the reference statuses', () => {
  it('without a minimum of hours, on several days around the due dates', () => {
    expect(currentPolicy(db()).minHours).toBeNull();
    for (const today of ['2026-11-22', '2026-12-01', '2027-02-28', '2027-03-01', '2023-01-01']) {
      const s = expectSameAsReference(today);
      if (today === '2026-11-22') {
        expect(s.get(ids.feb29!)).toMatchObject({ status: 'compliant', dueDate: '2027-02-28', fromAppointment: true }); // 98 days left
        expect(s.get(ids.certFeb29!)).toMatchObject({ dueDate: '2027-02-28', countedFrom: '2024-02-29', fromAppointment: false });
        expect(s.get(ids.revoked!)).toMatchObject({ status: 'overdue', countedFrom: '2020-01-05' });
        expect(s.get(ids.revokedOnly!)).toMatchObject({ countedFrom: '2023-09-01', fromAppointment: true });
        expect(s.get(ids.verifiedLater!)).toMatchObject({ countedFrom: '2024-05-05', dueDate: '2027-05-05', status: 'compliant' });
        expect(s.get(ids.pending!)).toMatchObject({ countedFrom: '2022-01-01', status: 'overdue' });
        expect(s.get(ids.outsideOnly!)).toMatchObject({ countedFrom: '2023-11-30', dueDate: '2026-11-30', status: 'due_soon' });
        expect(s.get(ids.noDates!)).toEqual(expect.objectContaining({ status: 'unknown', dueDate: null, countedFrom: null, fromAppointment: false }));
        expect(s.get(ids.badDate!)?.status).toBe('unknown');
        expect(s.has(ids.dismissed!)).toBe(false);
        expect(s.get(ids.minHours!)).toMatchObject({ countedFrom: '2024-03-01' });
      }
      if (today === '2027-03-01') expect(s.get(ids.feb29!)?.status).toBe('overdue');
      if (today === '2027-02-28') expect(s.get(ids.feb29!)?.status).toBe('due_soon');
    }
  });

  it('with a minimum of hours, every training is read and the hours rule applies', () => {
    setPolicy({ periodYears: 3, minHours: 36, dueSoonDays: 60 });
    try {
      for (const today of ['2024-05-31', '2026-11-22']) {
        const s = expectSameAsReference(today);
        // 2019-02-01 (30 h) + 2021-06-01 (10 h): met on 2021-06-01; the 2024 training alone is not enough
        expect(s.get(ids.minHours!)).toMatchObject({ countedFrom: '2021-06-01', dueDate: '2024-06-01', fromAppointment: false });
        // one 8-hour certificate never meets 36 hours: counted from the appointment
        expect(s.get(ids.revoked!)).toMatchObject({ countedFrom: '2015-01-10', fromAppointment: true, status: 'overdue' });
      }
    } finally {
      setPolicy({ periodYears: 3, minHours: null, dueSoonDays: 90 });
    }
  });

  it('the status filter and the compliance counts agree with the list', () => {
    const now = new Date('2026-11-22T12:00:00Z');
    const all = listStaff(db(), [orgId, subId], {}, now);
    for (const status of ['overdue', 'due_soon', 'unknown', 'compliant'] as const) {
      expect(listStaff(db(), [orgId, subId], { status }, now)).toEqual(all.filter((s) => s.status === status));
    }
    const o = complianceOverview(db(), [orgId, subId], {}, 'ky', now);
    expect(o.totals.total).toBe(all.length);
    expect(o.totals.unknown).toBe(all.filter((s) => s.status === 'unknown').length);
    expect(o.units.find((u) => u.id === orgId)!.all.total).toBe(all.length);
  });
});

describe('statusCalculator', () => {
  it('answers as obligationStatus for every day of four years and several policies', () => {
    const policies: ObligationPolicy[] = [
      { periodYears: 3, dueSoonDays: 90, minHours: null },
      { periodYears: 1, dueSoonDays: 0, minHours: null },
      { periodYears: 5, dueSoonDays: 365, minHours: null },
    ];
    for (const policy of policies) {
      for (const today of ['2026-11-22', '2027-02-28', '2028-02-29']) {
        const calc = statusCalculator(policy, today);
        for (let d = new Date(Date.UTC(2020, 0, 1)); d < new Date(Date.UTC(2024, 0, 1)); d.setUTCDate(d.getUTCDate() + 1)) {
          const date = d.toISOString().slice(0, 10);
          expect(calc({ appointmentDate: date }, null)).toEqual(obligationStatus({ appointmentDate: date }, [], policy, today));
          expect(calc({ appointmentDate: null }, date)).toEqual(obligationStatus({ appointmentDate: null }, [{ date, hours: 1 }], policy, today));
          // asked twice (from its cache): the same answer
          expect(calc({ appointmentDate: '2019-01-01' }, date)).toEqual(obligationStatus({ appointmentDate: '2019-01-01' }, [{ date, hours: 1 }], policy, today));
        }
        for (const a of [null, '', '2023-02-29', '2023-13-01', 'x', '2024-02-29']) {
          expect(calc({ appointmentDate: a }, null)).toEqual(obligationStatus({ appointmentDate: a }, [], policy, today));
        }
      }
    }
    expect(addYears('2024-02-29', 3)).toBe('2027-02-28');
  });
});

describe('sortByStatus', () => {
  it('orders by status, due date (none first), name in Russian collation, then id', () => {
    const people = [
      { id: 5, fullName: 'Ёлкина Анна', status: 'compliant' as const, dueDate: '2027-01-01' },
      { id: 3, fullName: 'Елкина Анна', status: 'compliant' as const, dueDate: '2027-01-01' },
      { id: 9, fullName: 'Абаев Бек', status: 'unknown' as const, dueDate: null },
      { id: 1, fullName: 'Жоробеков Ай', status: 'overdue' as const, dueDate: '2025-01-02' },
      { id: 2, fullName: 'Айтматова Ай', status: 'overdue' as const, dueDate: '2025-01-02' },
      { id: 7, fullName: 'Айтматова Ай', status: 'overdue' as const, dueDate: '2025-01-02' },
      { id: 4, fullName: 'Яковлев Ян', status: 'overdue' as const, dueDate: '2024-12-31' },
      { id: 6, fullName: 'Бекова Бү', status: 'due_soon' as const, dueDate: '2026-12-01' },
      { id: 8, fullName: 'Үмөтова Үмүт', status: 'compliant' as const, dueDate: '2026-12-31' },
    ];
    const collator = new Intl.Collator('ru');
    const order = { overdue: 0, due_soon: 1, unknown: 2, compliant: 3 };
    const expected = [...people].sort(
      (a, b) => order[a.status] - order[b.status] || (a.dueDate ?? '').localeCompare(b.dueDate ?? '') || collator.compare(a.fullName, b.fullName) || a.id - b.id,
    );
    expect(sortByStatus([...people]).map((p) => p.id)).toEqual(expected.map((p) => p.id));
    expect(sortByStatus([...people]).map((p) => p.id)).toEqual([4, 2, 7, 1, 6, 9, 8, 3, 5]);
    // a due date outside the YYYY-MM-DD form falls back to comparing the strings
    const odd = [...people, { id: 10, fullName: 'Я', status: 'overdue' as const, dueDate: '+10001-01-01' }];
    expect(sortByStatus([...odd]).map((p) => p.id)).toEqual([10, 4, 2, 7, 1, 6, 9, 8, 3, 5]);
  });
});

describe('GET /api/hr/staff paging', () => {
  it('the whole list by default; limit and offset give a slice of the same order with the total in X-Total-Count', async () => {
    const hr = await signIn('hr@demo.kg');
    const all = (await (await call('/api/hr/staff', { cookie: hr })).json()).staff as { id: number }[];
    expect(all.length).toBeGreaterThanOrEqual(2);
    const res = await call('/api/hr/staff?limit=1&offset=1', { cookie: hr });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-total-count')).toBe(String(all.length));
    expect((await res.json()).staff.map((s: { id: number }) => s.id)).toEqual(all.slice(1, 2).map((s) => s.id));
    const tail = await call(`/api/hr/staff?offset=${all.length - 1}`, { cookie: hr });
    expect((await tail.json()).staff.map((s: { id: number }) => s.id)).toEqual([all[all.length - 1]!.id]);
    expect((await call('/api/hr/staff', { cookie: hr })).headers.get('x-total-count')).toBeNull();
    for (const bad of ['limit=0', 'limit=abc', 'offset=-1', 'limit=10001']) {
      const r = await call(`/api/hr/staff?${bad}`, { cookie: hr });
      expect(r.status).toBe(400);
    }
  });
});
