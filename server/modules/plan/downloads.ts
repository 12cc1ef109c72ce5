import type { Locale } from '@db/domain';
import { t } from '@server/lib/i18n';
import type { Table } from '@server/lib/table-file';
import { pickName, word } from '../hr/downloads';
import type { planFor } from './service';

/** The annual plan as a download (XLSX or CSV): one row per line, with the actual count. */
type PlanLineOut = ReturnType<typeof planFor>['lines'][number];
export function planTable(plan: ReturnType<typeof planFor>, locale: Locale): Table<PlanLineOut> {
  return {
    sheet: `plan ${plan.year}`,
    columns: [
      { header: t(locale, 'account.organisation'), value: () => pickName(locale, plan.organisation) },
      { header: t(locale, 'report.year'), type: 'number', value: (r) => r.year },
      { header: t(locale, 'download.col.quarter'), type: 'number', value: (r) => r.quarter },
      {
        header: t(locale, 'download.col.courseOrTopic'),
        value: (r) => (r.course ? (locale === 'ky' ? (r.course.titleKy ?? r.course.titleRu) : (r.course.titleRu ?? r.course.titleKy)) : locale === 'ky' ? (r.topicKy ?? r.topicRu) : (r.topicRu ?? r.topicKy)),
      },
      { header: t(locale, 'download.col.kind'), value: (r) => (r.course ? t(locale, 'trainingKind.platform_course') : word(locale, 'trainingKind', r.kind)) },
      { header: t(locale, 'download.col.term'), value: (r) => word(locale, 'trainingTerm', r.term) },
      { header: t(locale, 'download.col.planned'), type: 'number', value: (r) => r.people },
      { header: t(locale, 'download.col.actual'), type: 'number', value: (r) => r.actual },
    ],
    rows: plan.lines,
  };
}
