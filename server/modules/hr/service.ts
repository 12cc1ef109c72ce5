import type Database from 'better-sqlite3';
import type { DB } from '@db/client';
import type { AdminGroup, PostKind, Service } from '@db/domain';
import { laterDate, lastMetDates, lastQualifyingDatesSql, statusCalculator, type ObligationPolicy, type ObligationResult, type ObligationStatus } from '../obligation/service';
import { currentPolicy } from '../policy/service';
import { COUNTED_STAFF_SQL, countedStaffParams } from '../people/service';
import { bishkekDay } from '@server/lib/time';
import { prepared } from '@db/statements';

export type StaffMember = {
  id: number;
  fullName: string;
  email: string;
  positionTitle: string | null;
  organisation: { id: number; nameKy: string; nameRu: string };
  service: 'state' | 'municipal' | null;
  appointmentDate: string | null;
} & ObligationResult;

/** One person as read for the HR lists (see staffRows). */
export type StaffRow = {
  id: number;
  fullName: string;
  email: string;
  positionTitle: string | null;
  service: Service | null;
  postKind: PostKind | null;
  adminGroup: AdminGroup | null;
  appointmentDate: string | null;
  organisation: { id: number; nameKy: string; nameRu: string };
} & ObligationResult;

type PersonTuple = [
  id: number,
  fullName: string,
  email: string,
  positionTitle: string | null,
  service: Service | null,
  postKind: PostKind | null,
  adminGroup: AdminGroup | null,
  appointmentDate: string | null,
  organisationId: number,
  lastCertificate: string | null,
  lastOutside: string | null,
];

const PEOPLE_COLUMNS = 'u.id, u.full_name, u.email, u.position_title, u.service, u.post_kind, u.admin_group, u.appointment_date, u.organisation_id';
const IN_SCOPE = `u.organisation_id IN (SELECT value FROM json_each(?)) AND ${COUNTED_STAFF_SQL}`;

/**
 * The HR lists' reads, prepared once per database handle. The people come back as ONE JSON array
 * of arrays (json_group_array) parsed at once: for a 5,000-person organisation handing SQLite's
 * rows to JavaScript one by one (and mapping them in the ORM) cost more than SQLite's own work.
 * `withLastTraining` also reads each person's latest valid certificate date and latest verified
 * outside training date in the same statement (the policy without a minimum of hours needs nothing
 * more).
 */
function prepare(_db: DB, client: Database.Database) {
  const people = (last: string) =>
    client.prepare<[string, string, number], string>(`SELECT json_group_array(json_array(${PEOPLE_COLUMNS}, ${last})) FROM users u WHERE ${IN_SCOPE}`).pluck();
  return {
    withLastTraining: people(lastQualifyingDatesSql('u.id')),
    people: people('NULL, NULL'),
    organisations: client.prepare<[string], [number, string, string]>('SELECT id, name_ky, name_ru FROM organisations WHERE id IN (SELECT value FROM json_each(?))').raw(true),
  };
}
function stmts(db: DB) {
  return prepared(db, prepare);
}

/**
 * The counted staff (people/service COUNTED_STAFF_SQL: not dismissed or locked) of the given organisations with their training-obligation status
 * under `policy` on `today` — the same answer obligationStatuses gives, read in one statement:
 * without a minimum of hours only each person's latest qualifying training date is read; with a
 * minimum every training is read (lastMetDates) so the hours rule applies exactly. Unsorted.
 */
export function staffRows(db: DB, organisationIds: number[], policy: ObligationPolicy, today: string, now = new Date()): StaffRow[] {
  if (organisationIds.length === 0) return [];
  const s = stmts(db);
  const scope = JSON.stringify(organisationIds);
  const orgs = new Map(s.organisations.all(scope).map(([id, nameKy, nameRu]) => [id, { id, nameKy, nameRu }]));
  const people = JSON.parse((policy.minHours ? s.people : s.withLastTraining).get(scope, ...countedStaffParams(bishkekDay(now)))!) as PersonTuple[];
  const met = policy.minHours ? lastMetDates(db, people.map((p) => p[0]), policy) : null;
  const status = statusCalculator(policy, today);
  const out: StaffRow[] = new Array(people.length);
  for (let i = 0; i < people.length; i++) {
    const [id, fullName, email, positionTitle, service, postKind, adminGroup, appointmentDate, organisationId, certificate, outside] = people[i]!;
    const st = status({ appointmentDate }, met ? (met.get(id) ?? null) : laterDate(certificate, outside));
    out[i] = {
      id,
      fullName,
      email,
      positionTitle,
      service,
      postKind,
      adminGroup,
      appointmentDate,
      organisation: orgs.get(organisationId)!,
      status: st.status,
      dueDate: st.dueDate,
      countedFrom: st.countedFrom,
      fromAppointment: st.fromAppointment,
    };
  }
  return out;
}

const STATUS_ORDER: Record<ObligationStatus, number> = { overdue: 0, due_soon: 1, unknown: 2, compliant: 3 };
const byName = new Intl.Collator('ru').compare;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
/** Lists up to this long sort by one number per person: (status, due date) and the position. */
const PACKED_MAX = 1 << 17;

type Sortable = { id: number; fullName: string; status: ObligationStatus; dueDate: string | null };

/**
 * Sorts in place: overdue first, then due soon, unknown, compliant; then by due date (none first),
 * name (Russian collation) and id. Status and due date become one number per person, sorted
 * natively; the name collation, the costly comparison, runs only within runs of the same status
 * and due date.
 */
export function sortByStatus<T extends Sortable>(list: T[]): T[] {
  const n = list.length;
  if (n < 2) return list;
  const days = new Map<string, number>();
  const keys = new Float64Array(n);
  let packed = n <= PACKED_MAX;
  for (let i = 0; i < n && packed; i++) {
    const d = list[i]!.dueDate;
    let day = 0;
    if (d !== null) {
      let v = days.get(d);
      if (v === undefined) {
        v = ISO_DAY.test(d) ? Number(d.slice(0, 4) + d.slice(5, 7) + d.slice(8, 10)) : -1;
        days.set(d, v);
      }
      if (v < 0) packed = false;
      day = v;
    }
    keys[i] = (STATUS_ORDER[list[i]!.status] * 1e8 + day) * PACKED_MAX + i;
  }
  if (packed) {
    keys.sort();
    const copy = list.slice();
    for (let i = 0; i < n; i++) list[i] = copy[keys[i]! % PACKED_MAX]!;
  } else {
    list.sort((a, b) => {
      const s = STATUS_ORDER[a.status] - STATUS_ORDER[b.status];
      if (s !== 0) return s;
      const x = a.dueDate ?? '';
      const y = b.dueDate ?? '';
      return x < y ? -1 : x > y ? 1 : 0;
    });
  }
  const byNameThenId = (a: T, b: T) => byName(a.fullName, b.fullName) || a.id - b.id;
  for (let i = 0; i < n; ) {
    let j = i + 1;
    while (j < n && list[j]!.status === list[i]!.status && list[j]!.dueDate === list[i]!.dueDate) j++;
    if (j - i > 1) {
      const run = list.slice(i, j).sort(byNameThenId);
      for (let k = 0; k < run.length; k++) list[i + k] = run[k]!;
    }
    i = j;
  }
  return list;
}

/**
 * The servants of the given organisations (an HR officer's `hrOrganisationIds`, already the whole
 * subtrees) with their training-obligation status under the policy in force, today.
 * Locked accounts are left out. Sorted: overdue first, then due soon, then by due date and name.
 */
export function listStaff(db: DB, organisationIds: number[], filter: { status?: ObligationStatus } = {}, now = new Date()): StaffMember[] {
  const rows = staffRows(db, organisationIds, currentPolicy(db), bishkekDay(now), now);
  const out: StaffMember[] = [];
  for (const r of rows) {
    if (filter.status && r.status !== filter.status) continue;
    out.push({
      id: r.id,
      fullName: r.fullName,
      email: r.email,
      positionTitle: r.positionTitle,
      service: r.service,
      appointmentDate: r.appointmentDate,
      organisation: r.organisation,
      status: r.status,
      dueDate: r.dueDate,
      countedFrom: r.countedFrom,
      fromAppointment: r.fromAppointment,
    });
  }
  return sortByStatus(out);
}
