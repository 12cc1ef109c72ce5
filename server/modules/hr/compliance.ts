/**
 * Compliance at a glance for an HR officer: obligation status counts per sub-unit (a unit's count
 * includes its own sub-units), and the active staff filtered by status, sub-unit, service, post kind,
 * group and name. Dismissed (locked) people are not counted.
 */
import { inArray } from 'drizzle-orm';
import type { DB } from '@db/client';
import { organisations } from '@db/schema';
import type { AdminGroup, Locale, PostKind, Service } from '@db/domain';
import { foldForSearch } from '@server/lib/text';
import { bishkekDay } from '@server/lib/time';
import { type ObligationResult, type ObligationStatus } from '../obligation/service';
import { currentPolicy } from '../policy/service';
import { sortByStatus, staffRows } from './service';

export type StatusCounts = Record<ObligationStatus, number> & { total: number };
export type UnitRow = {
  id: number;
  parentId: number | null;
  nameKy: string;
  nameRu: string;
  depth: number;
  /** people of this unit itself */
  own: StatusCounts;
  /** this unit with all its sub-units */
  all: StatusCounts;
};
export type OverviewMember = {
  id: number;
  fullName: string;
  email: string;
  positionTitle: string | null;
  organisation: { id: number; nameKy: string; nameRu: string };
  service: Service | null;
  postKind: PostKind | null;
  adminGroup: AdminGroup | null;
  appointmentDate: string | null;
} & ObligationResult;

export type OverviewFilter = {
  status?: ObligationStatus;
  unitId?: number;
  service?: Service;
  postKind?: PostKind;
  adminGroup?: AdminGroup;
  q?: string;
};

/** one collator per language (localeCompare with a locale builds one on every comparison) */
const UNIT_COLLATORS: Record<Locale, Intl.Collator> = { ky: new Intl.Collator('ky'), ru: new Intl.Collator('ru') };
const empty = (): StatusCounts => ({ compliant: 0, due_soon: 0, overdue: 0, unknown: 0, total: 0 });

/** Active servants (not locked) of the given organisations with their status today. */
export function activeStaffWithStatus(db: DB, organisationIds: number[], now = new Date()): OverviewMember[] {
  return sortByStatus(staffRows(db, organisationIds, currentPolicy(db), bishkekDay(now), now));
}

/** The officer's organisations as a tree (depth-first, siblings by name) with status counts. */
export function unitCounts(db: DB, organisationIds: number[], staff: OverviewMember[], locale: Locale): UnitRow[] {
  if (organisationIds.length === 0) return [];
  const scope = new Set(organisationIds);
  const orgs = db.select().from(organisations).where(inArray(organisations.id, organisationIds)).all();
  const own = new Map<number, StatusCounts>(orgs.map((o) => [o.id, empty()]));
  for (const s of staff) {
    const c = own.get(s.organisation.id);
    if (!c) continue;
    c[s.status]++;
    c.total++;
  }
  const kids = new Map<number | null, typeof orgs>();
  for (const o of orgs) {
    const parent = o.parentId !== null && scope.has(o.parentId) ? o.parentId : null;
    const list = kids.get(parent);
    if (list) list.push(o);
    else kids.set(parent, [o]);
  }
  const name = (o: (typeof orgs)[number]) => (locale === 'ky' ? o.nameKy : o.nameRu);
  const byName = UNIT_COLLATORS[locale].compare;
  const out: UnitRow[] = [];
  const walk = (parent: number | null, depth: number): StatusCounts => {
    const sum = empty();
    for (const o of (kids.get(parent) ?? []).sort((a, b) => byName(name(a), name(b)))) {
      const row: UnitRow = { id: o.id, parentId: o.parentId, nameKy: o.nameKy, nameRu: o.nameRu, depth, own: own.get(o.id)!, all: empty() };
      out.push(row);
      const below = walk(o.id, depth + 1);
      for (const k of Object.keys(row.all) as (keyof StatusCounts)[]) {
        row.all[k] = row.own[k] + below[k];
        sum[k] += row.all[k];
      }
    }
    return sum;
  };
  walk(null, 0);
  return out;
}

/** The organisations under `unitId` (itself included) that are within scope. */
export function unitSubtree(db: DB, organisationIds: number[], unitId: number): number[] {
  const scope = new Set(organisationIds);
  if (!scope.has(unitId)) return [];
  const orgs = db.select({ id: organisations.id, parentId: organisations.parentId }).from(organisations).where(inArray(organisations.id, organisationIds)).all();
  const out = new Set([unitId]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const o of orgs) if (o.parentId !== null && out.has(o.parentId) && !out.has(o.id)) out.add(o.id), (grew = true);
  }
  return [...out];
}

/** Applies the list filter to the staff (the sub-unit includes its own sub-units). */
export function filterStaff(db: DB, organisationIds: number[], staff: OverviewMember[], f: OverviewFilter): OverviewMember[] {
  const units = f.unitId !== undefined ? new Set(unitSubtree(db, organisationIds, f.unitId)) : null;
  const q = f.q ? foldForSearch(f.q) : '';
  return staff.filter(
    (s) =>
      (!f.status || s.status === f.status) &&
      (!units || units.has(s.organisation.id)) &&
      (!f.service || s.service === f.service) &&
      (!f.postKind || s.postKind === f.postKind) &&
      (!f.adminGroup || s.adminGroup === f.adminGroup) &&
      (!q || foldForSearch(s.fullName).includes(q) || s.email.includes(f.q!.trim().toLowerCase())),
  );
}

/** Counts, the per-unit tree and the filtered list, as the compliance page and API show them. */
export function complianceOverview(db: DB, organisationIds: number[], filter: OverviewFilter, locale: Locale, now = new Date()) {
  const staff = activeStaffWithStatus(db, organisationIds, now);
  const units = unitCounts(db, organisationIds, staff, locale);
  const totals = empty();
  for (const s of staff) {
    totals[s.status]++;
    totals.total++;
  }
  return { totals, units, staff: filterStaff(db, organisationIds, staff, filter) };
}
