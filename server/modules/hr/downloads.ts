/**
 * The HR lists as downloadable tables (XLSX, CSV with commas or semicolons), each with exactly the rows
 * its page and API show for the same filters. Column headers are in the officer's language; codes
 * (statuses, kinds) are translated words, dates are date cells in XLSX. The one writer is
 * server/lib/table-file.ts; every download is recorded in the audit log (`hr.list_exported`).
 */
import type { Locale } from '@db/domain';
import { t } from '@server/lib/i18n';
import type { Table, TableColumn } from '@server/lib/table-file';
import type { AssignmentListRow } from './assignments';
import type { OverviewMember } from './compliance';
import type { StaffMember } from './service';

export const pickName = (locale: Locale, o: { nameKy: string; nameRu: string }) => (locale === 'ky' ? o.nameKy || o.nameRu : o.nameRu || o.nameKy);
export const word = (locale: Locale, prefix: string, v: string | null | undefined) => (v ? t(locale, `${prefix}.${v}`) : null);

function personColumns<R extends { fullName: string; email: string; organisation: { nameKy: string; nameRu: string }; status: string; dueDate: string | null }>(locale: Locale): TableColumn<R>[] {
  return [
    { header: t(locale, 'account.fullName'), value: (r) => r.fullName },
    { header: t(locale, 'account.email'), value: (r) => r.email },
    { header: t(locale, 'account.organisation'), value: (r) => pickName(locale, r.organisation) },
    { header: t(locale, 'hr.status'), value: (r) => word(locale, 'obligation', r.status) },
    { header: t(locale, 'hr.dueDate'), type: 'day', value: (r) => r.dueDate },
  ];
}

export function staffTable(rows: StaffMember[], locale: Locale): Table<StaffMember> {
  return {
    sheet: 'staff',
    columns: [
      ...personColumns<StaffMember>(locale),
      { header: t(locale, 'account.position'), value: (r) => r.positionTitle },
      { header: t(locale, 'download.col.service'), value: (r) => word(locale, 'service', r.service) },
      { header: t(locale, 'download.col.appointmentDate'), type: 'day', value: (r) => r.appointmentDate },
      { header: t(locale, 'download.col.countedFrom'), type: 'day', value: (r) => r.countedFrom },
    ],
    rows,
  };
}

export function complianceTable(rows: OverviewMember[], locale: Locale): Table<OverviewMember> {
  return {
    sheet: 'compliance',
    columns: [
      ...personColumns<OverviewMember>(locale),
      { header: t(locale, 'account.position'), value: (r) => r.positionTitle },
      { header: t(locale, 'download.col.service'), value: (r) => word(locale, 'service', r.service) },
      { header: t(locale, 'download.col.postKind'), value: (r) => word(locale, 'postKind', r.postKind) },
      { header: t(locale, 'download.col.adminGroup'), value: (r) => word(locale, 'group', r.adminGroup) },
      { header: t(locale, 'download.col.appointmentDate'), type: 'day', value: (r) => r.appointmentDate },
      { header: t(locale, 'download.col.countedFrom'), type: 'day', value: (r) => r.countedFrom },
    ],
    rows,
  };
}

export function assignmentsTable(rows: AssignmentListRow[], locale: Locale): Table<AssignmentListRow> {
  return {
    sheet: 'assignments',
    columns: [
      { header: t(locale, 'account.fullName'), value: (r) => r.fullName },
      { header: t(locale, 'download.col.course'), value: (r) => (locale === 'ky' ? (r.course.titleKy ?? r.course.titleRu) : (r.course.titleRu ?? r.course.titleKy)) },
      { header: t(locale, 'download.col.assignedDue'), type: 'day', value: (r) => r.dueDate },
      { header: t(locale, 'download.col.state'), value: (r) => (r.overdue ? t(locale, 'obligation.overdue') : word(locale, 'hr.assign.state', r.status)) },
      { header: t(locale, 'download.col.percent'), type: 'number', value: (r) => r.percent },
      { header: t(locale, 'download.col.assignedAt'), type: 'instant', value: (r) => r.enrolledAt },
      { header: t(locale, 'download.col.completedAt'), type: 'instant', value: (r) => r.completedAt },
    ],
    rows,
  };
}
