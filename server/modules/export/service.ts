import { and, eq, gt, inArray, isNotNull, isNull, or } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { csvDocument, xlsxRow } from '../../lib/spreadsheet';
import type { DB } from '../../../db/client';
import { certificates, organisations, outsideTrainings, users } from '../../../db/schema';
import type { SessionUser } from '../auth/service';
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
};

export type ExportFilter = { from?: string; to?: string; since?: Date };

const CHUNK = 500;

/**
 * The completed trainings of the servants of the HR officer's organisations: valid platform
 * certificates and verified outside trainings. `from`/`to` bound the end date (inclusive).
 * With `since`, only rows created or changed strictly after it, and revocations after it as
 * `status: revoked` (a certificate) or `rejected` (an outside training), for incremental sync.
 * Sorted by `updated_at`, then `record_id`.
 */
export function completionRows(db: DB, organisationIds: number[], filter: ExportFilter = {}): ExportRow[] {
  if (organisationIds.length === 0) return [];
  const people = new Map(
    db
      .select({ id: users.id, email: users.email, fullName: users.fullName, service: users.service, organisationId: users.organisationId, orgNameKy: organisations.nameKy })
      .from(users)
      .innerJoin(organisations, eq(organisations.id, users.organisationId))
      .where(inArray(users.organisationId, organisationIds))
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
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    const certWhere = since
      ? and(inArray(certificates.userId, chunk), or(gt(certificates.issuedAt, since), gt(certificates.revokedAt, since)))
      : and(inArray(certificates.userId, chunk), isNull(certificates.revokedAt));
    for (const c of db.select().from(certificates).where(certWhere).all()) {
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
      });
    }
    const outWhere = since
      ? and(inArray(outsideTrainings.userId, chunk), isNotNull(outsideTrainings.reviewedAt), gt(outsideTrainings.reviewedAt, since), inArray(outsideTrainings.status, ['verified', 'rejected']))
      : and(inArray(outsideTrainings.userId, chunk), eq(outsideTrainings.status, 'verified'));
    for (const o of db.select().from(outsideTrainings).where(outWhere).all()) {
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
      });
    }
  }
  return rows.sort((a, b) => a.updated_at.localeCompare(b.updated_at) || a.record_id.localeCompare(b.record_id));
}

/** Where the next incremental call should start: the newest change returned, else the `since` given. */
export function nextSince(rows: ExportRow[], since?: Date): string | null {
  return rows.length ? rows[rows.length - 1]!.updated_at : (since?.toISOString() ?? null);
}

/** RFC 4180 CSV (CRLF, quoted where needed), UTF-8 with a byte-order mark for spreadsheets. */
export function toCsv(rows: ExportRow[]): string {
  return csvDocument([...EXPORT_COLUMNS], rows.map((r) => EXPORT_COLUMNS.map((c) => r[c])));
}

/** One worksheet `completions`: the header row, then one row per completion; typed cells, text guarded against formulas (server/lib/spreadsheet.ts). */
export async function toXlsx(rows: ExportRow[]): Promise<Uint8Array<ArrayBuffer>> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Bilim';
  const ws = wb.addWorksheet('completions');
  ws.addRow(xlsxRow([...EXPORT_COLUMNS]));
  ws.getRow(1).font = { bold: true };
  for (const r of rows) ws.addRow(xlsxRow(EXPORT_COLUMNS.map((c) => r[c] ?? null)));
  return new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer);
}

/** Records who exported what, for the audit log (personal data leaves the platform). */
export function auditExport(db: DB, hr: SessionUser, details: Record<string, unknown>, ip: string | null): void {
  recordAudit(db, { actorId: hr.id, action: 'hr.export', targetType: 'completions', details, ip });
}
