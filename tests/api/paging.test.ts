import { describe, expect, it } from 'vitest';
import { pageHref, pageOf } from '@site/lib/paging';

const items = Array.from({ length: 45 }, (_, i) => i + 1);
const page = (query: string) => pageOf(items, new URLSearchParams(query), 20);

describe('lists in pages (catalog, HR staff, compliance)', () => {
  it('shows the asked page, and the nearest real page for a bad or too large number', () => {
    expect(page('')).toMatchObject({ page: 1, pages: 3, from: 1, to: 20 });
    expect(page('page=3')).toMatchObject({ page: 3, from: 41, to: 45, shown: [41, 42, 43, 44, 45] });
    expect(page('page=99').page).toBe(3);
    for (const bad of ['page=0', 'page=-2', 'page=1.5', 'page=abc', 'page=']) expect(page(bad).page).toBe(1);
    expect(pageOf([], new URLSearchParams('page=4'), 20)).toMatchObject({ page: 1, pages: 1, shown: [] });
  });

  it('links to another page keeping the filters, and page 1 without a page parameter', () => {
    const url = new URL('http://x/ky/courses?q=%D1%8D%D1%82%D0%B8%D0%BA%D0%B0&category=ethics&page=2');
    expect(pageHref(url, 3)).toBe('/ky/courses?q=%D1%8D%D1%82%D0%B8%D0%BA%D0%B0&category=ethics&page=3');
    expect(pageHref(url, 1)).toBe('/ky/courses?q=%D1%8D%D1%82%D0%B8%D0%BA%D0%B0&category=ethics');
    expect(pageHref(new URL('http://x/ky/hr?page=5'), 1)).toBe('/ky/hr');
  });
});
