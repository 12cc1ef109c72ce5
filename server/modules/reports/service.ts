import type ExcelJS from 'exceljs';
import type { DB } from '@db/client';
import { FUNDING_SOURCES, GENDERS, REGIONS, SERVICES, TRAINING_KINDS, TRAINING_TERMS, type Locale } from '@db/domain';
import { t } from '@server/lib/i18n';
import { foldForSearch } from '@server/lib/text';
import { type SessionUser } from '@server/lib/session';
import { recordAudit } from '../audit/service';
import { addSheet, csvOf, newWorkbook, workbookBytes } from '@server/lib/table-file';
import { getOrganisations } from '../organisations/service';
import { peopleOfOrganisations, staffDayOfYear } from '../people/service';
import { hrScope } from '../plan/service';
import { qualifyingTrainingDetailsIn } from '../records/service';

/** The breakdowns of the report, in the order the page, the CSV and the workbook show them. */
export const BREAKDOWNS = ['service', 'region', 'gender', 'course', 'kind', 'funding', 'term'] as const;
export type Breakdown = (typeof BREAKDOWNS)[number];

export type ReportRow = { key: string; label: { ky: string; ru: string }; people: number; trainings: number; hours: number };
export type Report = {
  year: number;
  organisation: { id: number; nameKy: string; nameRu: string } | null;
  totals: { people: number; trainings: number; hours: number; staff: number };
  breakdowns: Record<Breakdown, ReportRow[]>;
};

const both = (key: string) => ({ ky: t('ky', key), ru: t('ru', key) });

/** Vocabulary values shown even at zero, so a year's tables always have the same rows. */
const FIXED: Partial<Record<Breakdown, readonly string[]>> = {
  service: SERVICES,
  region: REGIONS,
  gender: GENDERS,
  kind: ['platform_course', ...TRAINING_KINDS],
  funding: ['platform', ...FUNDING_SOURCES],
  term: ['platform', ...TRAINING_TERMS],
};

function label(b: Breakdown, key: string): { ky: string; ru: string } {
  if (key === 'unknown') return both('report.value.unknown');
  if (key === 'platform') return both('report.value.platform');
  switch (b) {
    case 'service': return both(`service.${key}`);
    case 'region': return both(`region.${key}`);
    case 'gender': return both(`gender.${key}`);
    case 'kind': return both(`trainingKind.${key}`);
    case 'funding': return both(`funding.${key}`);
    case 'term': return both(`trainingTerm.${key}`);
    default: return { ky: key, ru: key };
  }
}

/**
 * People trained in a year in the HR officer's organisations (or in one of them with its sub-units),
 * by breakdown — the figures the authorised state body collects.
 *
 * - A training counts when it is a platform completion with a valid certificate (completed that year,
 *   Bishkek day) or an outside training verified by HR (ended that year). Revoked certificates and
 *   pending or rejected outside trainings never count.
 * - People are the counted staff (people/service COUNTED_STAFF_SQL) on the last day of the year, or
 *   today for this year: someone dismissed or locked since is still counted for a past year, someone
 *   dismissed before its end is not; their organisation is the one in scope today (a transferred
 *   servant's trainings go with them). `totals.staff` is that head-count.
 * - `people` counts each person once per breakdown value per year: someone with two trainings of
 *   different funding counts once under each source, once in the total. `trainings` and `hours`
 *   add up every counted training.
 * - Service is the person's service (else their organisation's), region the organisation's, gender
 *   the person's (`unknown` when not recorded). Platform completions have funding and term `platform`
 *   (the sources fix neither for a distance course); outside trainings group by their own values.
 *   Courses: platform completions by catalog course, outside trainings by their title.
 */
export function buildReport(db: DB, hr: SessionUser, year: number, orgId?: number, now = new Date()): Report {
  const scope = hrScope(db, hr, orgId);
  const orgs = new Map(getOrganisations(db, scope.ids).map((o) => [o.id, o]));
  const people = new Map(peopleOfOrganisations(db, scope.ids, staffDayOfYear(year, now)).map((p) => [p.id, p]));
  const trainings = qualifyingTrainingDetailsIn(db, scope.ids, { from: `${year}-01-01`, to: `${year}-12-31` }).filter((tr) => people.has(tr.userId));
  const groups = Object.fromEntries(BREAKDOWNS.map((b) => [b, new Map<string, { label: { ky: string; ru: string }; people: Set<number>; trainings: number; hours: number }>()])) as Record<
    Breakdown,
    Map<string, { label: { ky: string; ru: string }; people: Set<number>; trainings: number; hours: number }>
  >;
  for (const b of BREAKDOWNS) for (const key of FIXED[b] ?? []) groups[b].set(key, { label: label(b, key), people: new Set(), trainings: 0, hours: 0 });
  const add = (b: Breakdown, key: string, userId: number, hours: number, lbl?: { ky: string; ru: string }) => {
    let g = groups[b].get(key);
    if (!g) groups[b].set(key, (g = { label: lbl ?? label(b, key), people: new Set(), trainings: 0, hours: 0 }));
    g.people.add(userId);
    g.trainings += 1;
    g.hours += hours;
  };
  const trained = new Set<number>();
  let hours = 0;
  for (const tr of trainings) {
    const p = people.get(tr.userId)!;
    const org = orgs.get(p.organisationId)!;
    trained.add(tr.userId);
    hours += tr.hours;
    add('service', p.service ?? org.service, tr.userId, tr.hours);
    add('region', org.region, tr.userId, tr.hours);
    add('gender', p.gender ?? 'unknown', tr.userId, tr.hours);
    if (tr.source === 'platform') {
      add('course', `course:${tr.courseId}`, tr.userId, tr.hours, { ky: tr.titleKy ?? tr.titleRu ?? '', ru: tr.titleRu ?? tr.titleKy ?? '' });
    } else {
      add('course', `outside:${foldForSearch(tr.titleKy ?? '')}`, tr.userId, tr.hours, { ky: tr.titleKy ?? '', ru: tr.titleRu ?? '' });
    }
    add('kind', tr.kind, tr.userId, tr.hours);
    add('funding', tr.funding ?? 'platform', tr.userId, tr.hours);
    add('term', tr.term ?? 'platform', tr.userId, tr.hours);
  }
  const breakdowns = Object.fromEntries(
    BREAKDOWNS.map((b) => {
      const rows = [...groups[b].entries()].map(([key, g]) => ({ key, label: g.label, people: g.people.size, trainings: g.trainings, hours: g.hours }));
      if (!FIXED[b]) rows.sort((x, y) => y.people - x.people || y.hours - x.hours || x.label.ky.localeCompare(y.label.ky, 'ky'));
      return [b, rows];
    }),
  ) as Record<Breakdown, ReportRow[]>;
  return {
    year,
    organisation: scope.organisation ? { id: scope.organisation.id, nameKy: scope.organisation.nameKy, nameRu: scope.organisation.nameRu } : null,
    totals: { people: trained.size, trainings: trainings.length, hours, staff: people.size },
    breakdowns,
  };
}

export const CSV_COLUMNS = ['breakdown', 'key', 'label', 'people', 'trainings', 'hours'] as const;

/** One CSV (the one download writer, server/lib/table-file.ts): a `total` row, then every breakdown's rows. */
export function reportCsv(report: Report, locale: Locale, sep: ',' | ';' = ','): string {
  const rows: (string | number)[][] = [['total', 'total', t(locale, 'report.total'), report.totals.people, report.totals.trainings, report.totals.hours]];
  for (const b of BREAKDOWNS) for (const r of report.breakdowns[b]) rows.push([b, r.key, r.label[locale], r.people, r.trainings, r.hours]);
  return csvOf([...CSV_COLUMNS], rows, sep);
}

/** A workbook: a `total` sheet, then a sheet per breakdown named after it; typed cells, never formulas. */
export async function reportXlsx(report: Report, locale: Locale): Promise<Uint8Array<ArrayBuffer>> {
  const wb = await newWorkbook();
  wb.creator = 'Bilim';
  // the total sheet is label / value pairs, no header row
  const total = wb.addWorksheet('total');
  total.addRow([t(locale, 'report.year'), report.year]);
  total.addRow([t(locale, 'report.col.people'), report.totals.people]);
  total.addRow([t(locale, 'report.col.trainings'), report.totals.trainings]);
  total.addRow([t(locale, 'report.col.hours'), report.totals.hours]);
  total.addRow([t(locale, 'report.col.staff'), report.totals.staff]);
  total.getColumn(1).width = 30;
  for (const b of BREAKDOWNS) {
    const ws = addSheet(wb, {
      sheet: b,
      columns: [
        { header: t(locale, 'report.col.value'), value: (r: ReportRow) => r.label[locale] },
        { header: t(locale, 'report.col.people'), type: 'number', value: (r: ReportRow) => r.people },
        { header: t(locale, 'report.col.trainings'), type: 'number', value: (r: ReportRow) => r.trainings },
        { header: t(locale, 'report.col.hours'), type: 'number', value: (r: ReportRow) => r.hours },
      ],
      rows: report.breakdowns[b],
    });
    ws.getColumn(1).width = 50;
  }
  return workbookBytes(wb);
}

/** A downloaded report goes into the audit log: figures about people leave the platform. */
export function auditReportExport(db: DB, hr: SessionUser, details: { year: number; org: number | null; format: string }, ip: string | null): void {
  recordAudit(db, { actorId: hr.id, action: 'hr.report_exported', targetType: 'report', details, ip });
}
