import { and, eq, gt, inArray, isNotNull, isNull, lte, or } from 'drizzle-orm';
import type { DB } from '@db/client';
import { certificates, changeCounter, organisations, outsideTrainings, users } from '@db/schema';
import type { Table } from '@server/lib/table-file';
import { recordAudit } from '../audit/service';

/**
 * The stable column set of the completions export for the HR information system (e-Kyzmat), in
 * order. New columns are only ever added at the end; none is renamed or removed.
 */
export const EXPORT_COLUMNS = [
  'servant_id',
  'email',
  'full_name',
  'organisation_id',
  'organisation_name_ky',
  'service',
  'title_ky',
  'title_ru',
  'source',
  'kind',
  'term',
  'funding',
  'hours',
  'start_date',
  'end_date',
  'certificate_number',
  'order_number',
  'order_date',
  'record_id',
  'status',
  'updated_at',
  'personal_number',
  'organisation_code',
  'change_seq',
] as const;

export type ExportColumn = (typeof EXPORT_COLUMNS)[number];

export type ExportRow = {
  servant_id: number;
  email: string;
  full_name: string;
  organisation_id: number;
  organisation_name_ky: string;
  service: string | null;
  title_ky: string | null;
  title_ru: string | null;
  source: 'platform' | 'outside';
  kind: string;
  term: string | null;
  funding: string | null;
  hours: number;
  start_date: string | null;
  end_date: string;
  certificate_number: string | null;
  order_number: string | null;
  order_date: string | null;
  /** `certificate:<id>` or `outside:<id>`: the key a receiving system upserts or deletes by */
  record_id: string;
  /**
   * `active`; or, only with `since`, a record to remove: `revoked` (the certificate was revoked) or
   * `rejected` (HR rejected the outside training after it had been verified)
   */
  status: 'active' | 'revoked' | 'rejected';
  /** ISO timestamp of the last change: issue or revocation, verification or later decision */
  updated_at: string;
  /** the servant's personal identification number (ПИН, 14 digits) as HR recorded it; null when not recorded */
  personal_number: string | null;
  /** the code of the servant's organisation in the national HR information system; null when not set */
  organisation_code: string | null;
  /** the change sequence number of this row's last change: increasing in commit order */
  change_seq: number;
};

/**
 * `since`: a change sequence number (the previous answer's `next_since`), or — as earlier versions
 * gave — an instant; rows changed strictly after it, revocations included.
 */
export type ExportFilter = { from?: string; to?: string; since?: { seq: number } | { at: Date } };

const CHUNK = 500;

/** Whose completions: these organisations' servants, or every servant (an integration token without an organisation). */
export type ExportScope = number[] | 'all';

/**
 * The completed trainings of the servants of the given organisations: valid platform certificates
 * and verified outside trainings. `from`/`to` bound the end date (inclusive). With `since`, only rows
 * created or changed after it, and removals after it as `status: revoked` (a certificate) or
 * `rejected` (an outside training HR rejected after verifying it), for incremental sync. Sorted by `change_seq`.
 *
 * The change sequence is stamped by triggers inside the writing transaction (migration 0019) and
 * read here in one read transaction together with the counter: `next` is the counter as this
 * snapshot saw it, so a change committed later always gets a larger number — whatever the clocks of
 * the serving processes say — and is never missed nor returned twice.
 */
export function completionRows(db: DB, scope: ExportScope, filter: ExportFilter = {}): { rows: ExportRow[]; next: number } {
  return db.transaction((tx) => {
    const next = tx.select({ value: changeCounter.value }).from(changeCounter).where(eq(changeCounter.id, 1)).get()?.value ?? 0;
    if (scope !== 'all' && scope.length === 0) return { rows: [], next };
    const people = new Map(
      tx
        .select({ id: users.id, email: users.email, fullName: users.fullName, personalNumber: users.personalNumber, service: users.service, organisationId: users.organisationId, orgNameKy: organisations.nameKy, orgCode: organisations.code })
        .from(users)
        .innerJoin(organisations, eq(organisations.id, users.organisationId))
        .where(scope === 'all' ? undefined : inArray(users.organisationId, scope))
        .all()
        .map((p) => [p.id, p]),
    );
    const ids = [...people.keys()];
    const since = filter.since;
    const rows: ExportRow[] = [];
    const inRange = (end: string) => (!filter.from || end >= filter.from) && (!filter.to || end <= filter.to);
    const person = (userId: number) => {
      const p = people.get(userId)!;
      return { servant_id: p.id, email: p.email, full_name: p.fullName, organisation_id: p.organisationId!, organisation_name_ky: p.orgNameKy, service: p.service ?? null };
    };
    const ident = (userId: number) => {
      const p = people.get(userId)!;
      return { personal_number: p.personalNumber ?? null, organisation_code: p.orgCode ?? null };
    };
    for (let i = 0; i < ids.length; i += CHUNK) {
      const chunk = ids.slice(i, i + CHUNK);
      const certWhere = !since
        ? and(inArray(certificates.userId, chunk), isNull(certificates.revokedAt))
        : 'seq' in since
          ? and(inArray(certificates.userId, chunk), gt(certificates.changeSeq, since.seq), lte(certificates.changeSeq, next))
          : and(inArray(certificates.userId, chunk), or(gt(certificates.issuedAt, since.at), gt(certificates.revokedAt, since.at)), lte(certificates.changeSeq, next));
      for (const c of tx.select().from(certificates).where(certWhere).all()) {
        if (!inRange(c.completedOn)) continue;
        const updated = c.revokedAt && c.revokedAt > c.issuedAt ? c.revokedAt : c.issuedAt;
        rows.push({
          ...person(c.userId),
          title_ky: c.courseTitleKy,
          title_ru: c.courseTitleRu,
          source: 'platform',
          kind: 'platform_course',
          term: null,
          funding: null,
          hours: c.hours,
          start_date: null,
          end_date: c.completedOn,
          certificate_number: c.code,
          order_number: null,
          order_date: null,
          record_id: `certificate:${c.id}`,
          status: c.revokedAt ? 'revoked' : 'active',
          updated_at: updated.toISOString(),
          ...ident(c.userId),
          change_seq: c.changeSeq ?? 0,
        });
      }
      const decided = inArray(outsideTrainings.status, ['verified', 'rejected']);
      const outWhere = !since
        ? and(inArray(outsideTrainings.userId, chunk), eq(outsideTrainings.status, 'verified'))
        : 'seq' in since
          ? and(inArray(outsideTrainings.userId, chunk), isNotNull(outsideTrainings.reviewedAt), decided, gt(outsideTrainings.changeSeq, since.seq), lte(outsideTrainings.changeSeq, next))
          : and(inArray(outsideTrainings.userId, chunk), isNotNull(outsideTrainings.reviewedAt), gt(outsideTrainings.reviewedAt, since.at), decided, lte(outsideTrainings.changeSeq, next));
      for (const o of tx.select().from(outsideTrainings).where(outWhere).all()) {
        if (!inRange(o.endDate)) continue;
        rows.push({
          ...person(o.userId),
          title_ky: o.title,
          title_ru: o.title,
          source: 'outside',
          kind: o.kind,
          term: o.term,
          funding: o.funding,
          hours: o.hours,
          start_date: o.startDate,
          end_date: o.endDate,
          certificate_number: null,
          order_number: o.orderNumber,
          order_date: o.orderDate,
          record_id: `outside:${o.id}`,
          // A rejected training keeps its own word: it was never a revoked certificate.
          status: o.status === 'verified' ? 'active' : 'rejected',
          updated_at: (o.reviewedAt ?? o.createdAt).toISOString(),
          ...ident(o.userId),
          change_seq: o.changeSeq ?? 0,
        });
      }
    }
    rows.sort((a, b) => a.change_seq - b.change_seq || a.record_id.localeCompare(b.record_id));
    return { rows, next };
  }, { behavior: 'deferred' });
}

/** Where the next incremental call starts: the change sequence this answer's snapshot had reached. */
export function nextSince(next: number): string {
  return String(next);
}

const DAY_COLUMNS = new Set<ExportColumn>(['start_date', 'end_date', 'order_date']);
const NUMBER_COLUMNS = new Set<ExportColumn>(['servant_id', 'organisation_id', 'hours', 'change_seq']);

/** The export as a table for the one download writer (server/lib/table-file.ts): XLSX dates are date cells. */
export function completionsTable(rows: ExportRow[]): Table<ExportRow> {
  return {
    sheet: 'completions',
    columns: EXPORT_COLUMNS.map((c) => ({ header: c, type: DAY_COLUMNS.has(c) ? 'day' : c === 'updated_at' ? 'instant' : NUMBER_COLUMNS.has(c) ? 'number' : 'text', value: (r: ExportRow) => r[c] })),
    rows,
  };
}

/** Records who exported what, for the audit log (personal data leaves the platform). */
export function auditExport(db: DB, actorId: number | null, details: Record<string, unknown>, ip: string | null): void {
  recordAudit(db, { actorId, action: 'hr.export', targetType: 'completions', details, ip });
}
