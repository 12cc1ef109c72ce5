/**
 * One page of a long list, from the page's `?page=` (a missing, bad or too large number shows the
 * nearest real page). Lists in pages keep pages small on slow connections and every link works
 * without JavaScript.
 */
export function pageOf<T>(items: T[], params: URLSearchParams, size: number): { page: number; pages: number; shown: T[]; from: number; to: number } {
  const pages = Math.max(1, Math.ceil(items.length / size));
  const asked = Number(params.get('page') ?? '1');
  const page = Number.isInteger(asked) ? Math.min(Math.max(asked, 1), pages) : 1;
  const shown = items.slice((page - 1) * size, page * size);
  return { page, pages, shown, from: (page - 1) * size + 1, to: (page - 1) * size + shown.length };
}

/** The same URL on another page: the other query parameters (filters) kept, page 1 without `page`. */
export function pageHref(url: URL, page: number): string {
  const q = new URLSearchParams(url.searchParams);
  q.delete('page');
  if (page > 1) q.set('page', String(page));
  const search = q.toString();
  return search ? `${url.pathname}?${search}` : url.pathname;
}
