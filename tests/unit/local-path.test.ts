import { describe, expect, it } from 'vitest';
import { isSameSitePath } from '@server/lib/local-path';
import { safeUrl } from '@server/lib/tiptap';
import { safeNext } from '@site/lib/session';

// What browsers read as another site, or what breaks a Location header.
const OFF_SITE = ['//evil.example/', '/\\evil.example/', '/\t/evil.example/', '/\n/evil.example', '/\r\n/evil.example', '\t//evil.example', '/%09/'.replace('%09', '\t'), '/ok\\..\\x', '/a\u0000b', 'https://evil.example/', 'evil.example', ''];

describe('one same-site path check (server/lib/local-path.ts)', () => {
  it('refuses other sites, control characters and backslashes anywhere', () => {
    for (const p of OFF_SITE) expect([p, isSameSitePath(p)]).toEqual([p, false]);
    for (const p of ['/', '/ky/courses', '/ky/courses/x?tab=1#top', '/ru/login?next=%2Fru%2F']) expect([p, isSameSitePath(p)]).toEqual([p, true]);
  });

  it('the sign-in redirect (?next=) falls back for each of them', () => {
    // ?next=/%09/evil.example/ arrives decoded as "/\t/evil.example/"
    expect(safeNext(new URLSearchParams('next=/%09/evil.example/').get('next'), '/ky/')).toBe('/ky/');
    expect(safeNext(new URLSearchParams('next=/%0D%0ALocation:%20https://evil.example').get('next'), '/ky/')).toBe('/ky/');
    for (const p of OFF_SITE) expect(safeNext(p, '/ky/')).toBe('/ky/');
    expect(safeNext('/ky/my', '/ky/')).toBe('/ky/my');
  });

  it('lesson links: a same-site path passes, "/\\t/host" and friends are dropped', () => {
    expect(safeUrl('/\t/evil.example')).toBeNull();
    expect(safeUrl('/ok/\t/x')).toBeNull();
    expect(safeUrl('/\\evil.example')).toBeNull();
    expect(safeUrl('//evil.example')).toBeNull();
    expect(safeUrl('/ky/courses')).toBe('/ky/courses');
    expect(safeUrl('#part-2')).toBe('#part-2');
  });
});
