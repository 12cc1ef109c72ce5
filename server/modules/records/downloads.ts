/** The verification queue as a downloadable table (server/lib/table-file.ts writes it). */
import type { Locale } from '@db/domain';
import { t } from '@server/lib/i18n';
import type { Table } from '@server/lib/table-file';
import type { listForReview } from './service';

const word = (locale: Locale, prefix: string, v: string | null | undefined) => (v ? t(locale, `${prefix}.${v}`) : null);

export type QueueRow = ReturnType<typeof listForReview>[number];
export function verificationTable(rows: QueueRow[], locale: Locale): Table<QueueRow> {
  return {
    sheet: 'verification',
    columns: [
      { header: t(locale, 'account.fullName'), value: (r) => r.person.fullName },
      { header: t(locale, 'download.col.title'), value: (r) => r.entry.title },
      { header: t(locale, 'download.col.provider'), value: (r) => r.entry.provider },
      { header: t(locale, 'download.col.kind'), value: (r) => word(locale, 'trainingKind', r.entry.kind) },
      { header: t(locale, 'download.col.term'), value: (r) => word(locale, 'trainingTerm', r.entry.term) },
      { header: t(locale, 'download.col.funding'), value: (r) => word(locale, 'funding', r.entry.funding) },
      { header: t(locale, 'download.col.hours'), type: 'number', value: (r) => r.entry.hours },
      { header: t(locale, 'download.col.startDate'), type: 'day', value: (r) => r.entry.startDate },
      { header: t(locale, 'download.col.endDate'), type: 'day', value: (r) => r.entry.endDate },
      { header: t(locale, 'download.col.orderNumber'), value: (r) => r.entry.orderNumber },
      { header: t(locale, 'download.col.orderDate'), type: 'day', value: (r) => r.entry.orderDate },
      { header: t(locale, 'download.col.submittedAt'), type: 'instant', value: (r) => r.entry.createdAt },
      { header: t(locale, 'download.col.state'), value: (r) => t(locale, `download.recordStatus.${r.entry.status}`) },
    ],
    rows,
  };
}

