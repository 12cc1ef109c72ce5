import { CatalogQuery } from '@server/modules/catalog/schemas';
import { HOURS_BANDS, type CatalogFilter, type HoursBand } from '@server/modules/catalog/service';

export type CatalogPageQuery = CatalogFilter & { hours?: HoursBand };

/**
 * The catalog page's query string as a filter. A value that is not one of the offered choices is
 * dropped rather than refused: the page then simply shows it as "all".
 */
export function parseCatalogPageQuery(params: URLSearchParams): CatalogPageQuery {
  const shape = CatalogQuery.shape;
  const out: CatalogPageQuery = {};
  for (const key of ['q', 'lang', 'category', 'service', 'group'] as const) {
    const parsed = shape[key].safeParse(params.get(key) ?? undefined);
    if (parsed.success && parsed.data !== undefined) (out as Record<string, unknown>)[key] = parsed.data;
  }
  const hours = params.get('hours');
  if (hours && hours in HOURS_BANDS) {
    out.hours = hours as HoursBand;
    Object.assign(out, HOURS_BANDS[out.hours]);
  }
  return out;
}
