import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ky from '@locales/ky.json';
import ru from '@locales/ru.json';
import { formatDate, pick, plural, t } from '@server/lib/i18n';
import { foldForSearch } from '@server/lib/text';
import { NOTIFICATION_KINDS } from '@db/schema';

describe('locales', () => {
  it('ky.json and ru.json have the same keys', () => {
    expect(Object.keys(ky).sort()).toEqual(Object.keys(ru).sort());
  });

  it('has no empty strings and keeps the same placeholders in both languages', () => {
    for (const key of Object.keys(ky) as (keyof typeof ky)[]) {
      expect(ky[key].trim(), key).not.toBe('');
      // `{date:dat}` and `{years:год|года|лет}` name the same value; a gender only chooses Russian words
      const names = (s: string) => [...new Set([...s.matchAll(/\{(\w+)(?::[^{}]+)?\}/g)].map((m) => m[1]).filter((n) => n !== 'gender'))].sort();
      expect(names(ky[key]), key).toEqual(names(ru[key as keyof typeof ru]));
    }
  });

  it('every notification kind has its name in both languages (the profile page lists them by it)', () => {
    for (const kind of NOTIFICATION_KINDS) {
      expect(ky, kind).toHaveProperty([`notify.kind.${kind}`]);
      expect(ru, kind).toHaveProperty([`notify.kind.${kind}`]);
    }
  });

  it('every t()/plural() key used in the code exists', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (/\.(astro|ts|tsx)$/.test(e.name)) files.push(p);
      }
    };
    walk('site');
    walk('server');
    let checked = 0;
    for (const file of files) {
      const src = readFileSync(file, 'utf8');
      for (const m of src.matchAll(/\b(t|plural)\('([a-zA-Z]+\.[\w.]+)'/g)) {
        const key = m[1] === 'plural' ? `${m[2]}.other` : m[2]!;
        expect(Object.keys(ky), `${file}: ${key}`).toContain(key);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(50);
  });
});

describe('plurals, numbers and dates through Intl', () => {
  it('Russian picks one/few/many', () => {
    expect(plural('ru', 'course.hours', 1)).toBe('1 час');
    expect(plural('ru', 'course.hours', 3)).toBe('3 часа');
    expect(plural('ru', 'course.hours', 12)).toBe('12 часов');
    expect(plural('ru', 'course.hours', 21)).toBe('21 час');
  });
  it('Kyrgyz nouns do not agree with numerals', () => {
    expect(plural('ky', 'course.hours', 1)).toBe('1 саат');
    expect(plural('ky', 'course.hours', 12)).toBe('12 саат');
  });
  it('formats numbers in the locale', () => {
    expect(plural('ru', 'catalog.results', 60000)).toBe('Найдено 60\u00a0000 курсов');
  });
  it('formats dates in Bishkek time', () => {
    // 20:00 UTC on 31 December is already 1 January in Bishkek (UTC+6)
    expect(formatDate('ru', '2025-12-31T20:00:00Z')).toBe('1 января 2026 г.');
    expect(formatDate('ky', '2025-12-31T20:00:00Z')).toBe('2026-жылдын 1-январы');
    expect(formatDate('ky', '2026-03-22T06:30:00Z', true)).toBe('2026-жылдын 22-марты, 12:30');
  });
  it('fills placeholders', () => {
    expect(t('ru', 'nav.signedInAs', { name: 'Айгүл' })).toBe('Вы вошли как Айгүл');
  });
  it('falls back to the other language and says so', () => {
    expect(pick('ru', { ky: 'Кыргызча', ru: null })).toEqual({ text: 'Кыргызча', fallback: true, lang: 'ky' });
    expect(pick('ky', { ky: 'Кыргызча', ru: 'Русский' })).toEqual({ text: 'Кыргызча', fallback: false, lang: 'ky' });
  });
});

describe('search folding', () => {
  it('folds case, ё and the Kyrgyz letters, and drops punctuation', () => {
    expect(foldForSearch('Кызматчылар ҮЧҮН: Ёлка, Өнүгүү; Ң!')).toBe('кызматчылар учун елка онугуу н');
  });
});
