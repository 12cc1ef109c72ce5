import type { Translator } from '@server/lib/i18n';
import { QualityQuery } from '@server/modules/academy/schemas';
import type { QualityFilter } from '@server/modules/academy/service';
import type { FormError } from './admin-page';

/** The dashboard's filter from the query string; a bad value is reported and left out. */
export function readFilter(tr: Translator, params: URLSearchParams): { filter: QualityFilter; errors: FormError[]; raw: Record<string, string> } {
  const raw = Object.fromEntries(['from', 'to', 'category', 'provider'].map((k) => [k, (params.get(k) ?? '').trim().slice(0, 300)]));
  const errors: FormError[] = [];
  const filter: QualityFilter = {};
  for (const key of ['from', 'to', 'category', 'provider'] as const) {
    if (!raw[key]) continue;
    const one = QualityQuery.safeParse({ [key]: raw[key] });
    if (one.success) Object.assign(filter, one.data);
    else errors.push({ field: key, message: tr.error('invalid_input') });
  }
  if (filter.from && filter.to && filter.from > filter.to) {
    errors.push({ field: 'to', message: tr.error('invalid_date_range') });
    delete filter.to;
  }
  return { filter, errors, raw };
}

export const queryOf = (filter: QualityFilter) => {
  const q = new URLSearchParams(Object.entries(filter).filter(([, v]) => v) as [string, string][]).toString();
  return q ? `?${q}` : '';
};

const num = (tr: Translator, v: number, digits = 1) => new Intl.NumberFormat(tr.locale, { maximumFractionDigits: digits }).format(v);
/** "72,5 %" or "—" for no data. */
export const pctText = (tr: Translator, v: number | null) => (v === null ? '—' : `${num(tr, v)} %`);
/** An average rating "4,25" or "—". */
export const avgText = (tr: Translator, v: number | null) => (v === null ? '—' : num(tr, v, 2));
/** Days, counted with the locale's plural forms (academy.days), or "—". */
export const daysText = (tr: Translator, v: number | null) => (v === null ? '—' : tr.plural('academy.days', Math.round(v * 10) / 10));
