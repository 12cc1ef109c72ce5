import ky from '../../locales/ky.json';
import ru from '../../locales/ru.json';
import type { Locale } from './domain';

const messages: Record<Locale, Record<string, string>> = { ky, ru };

export const TIME_ZONE = 'Asia/Bishkek';

/** A UI string from locales/<locale>.json with `{name}` placeholders filled in. */
export function t(locale: Locale, key: string, vars?: Record<string, string | number>): string {
  const template = messages[locale][key];
  if (template === undefined) throw new Error(`missing locale key ${locale}:${key}`);
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (m, name) =>
    name in vars ? formatValue(locale, vars[name]) : m,
  );
}

/** True when the key exists, for codes that come from outside (error codes). */
export function has(locale: Locale, key: string): boolean {
  return key in messages[locale];
}

// Intl objects are costly to build (a catalog page with 300 courses formats thousands of numbers):
// one per language, made on first use.
const pluralRules = new Map<Locale, Intl.PluralRules>();
const numberFormats = new Map<Locale, Intl.NumberFormat>();
const once = <T>(cache: Map<Locale, T>, locale: Locale, make: () => T): T => cache.get(locale) ?? cache.set(locale, make()).get(locale)!;

/** A counted phrase: picks `<key>.<one|few|many|other>` by Intl.PluralRules and fills `{count}`. */
export function plural(locale: Locale, key: string, count: number): string {
  const category = once(pluralRules, locale, () => new Intl.PluralRules(locale)).select(count);
  const form = messages[locale][`${key}.${category}`] !== undefined ? category : 'other';
  return t(locale, `${key}.${form}`, { count });
}

function formatValue(locale: Locale, value: string | number): string {
  return typeof value === 'number' ? once(numberFormats, locale, () => new Intl.NumberFormat(locale)).format(value) : value;
}

// Kyrgyz official style writes "2026-жылдын 22-ноябры" (CLDR gives "2026-ж., 22-ноябрь").
const KY_MONTHS = ['январы', 'февралы', 'марты', 'апрели', 'майы', 'июну', 'июлу', 'августу', 'сентябры', 'октябры', 'ноябры', 'декабры'];

/** A date (and optionally time) in the reader's language, in Bishkek time. */
export function formatDate(locale: Locale, date: Date | string, withTime = false): string {
  const d = typeof date === 'string' ? new Date(date) : date;
  const time = withTime
    ? new Intl.DateTimeFormat(locale, { timeZone: TIME_ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(d)
    : '';
  if (locale === 'ky') {
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: 'numeric', day: 'numeric' })
        .formatToParts(d)
        .map((p) => [p.type, p.value]),
    );
    const text = `${parts.year}-жылдын ${Number(parts.day)}-${KY_MONTHS[Number(parts.month) - 1]}`;
    return withTime ? `${text}, ${time}` : text;
  }
  const text = new Intl.DateTimeFormat(locale, { timeZone: TIME_ZONE, day: 'numeric', month: 'long', year: 'numeric' }).format(d);
  return withTime ? `${text}, ${time}` : text;
}

/** Picks a bilingual field in the wanted language, falling back to the other with a flag to say so. */
export function pick(
  locale: Locale,
  values: { ky: string | null | undefined; ru: string | null | undefined },
): { text: string; fallback: boolean; lang: Locale } {
  const wanted = values[locale];
  if (wanted) return { text: wanted, fallback: false, lang: locale };
  const other: Locale = locale === 'ky' ? 'ru' : 'ky';
  return { text: values[other] ?? '', fallback: true, lang: other };
}

/** The helpers a page needs, bound to its locale. */
export function translator(locale: Locale) {
  return {
    locale,
    t: (key: string, vars?: Record<string, string | number>) => t(locale, key, vars),
    plural: (key: string, count: number) => plural(locale, key, count),
    date: (date: Date | string, withTime = false) => formatDate(locale, date, withTime),
    pick: (values: { ky: string | null | undefined; ru: string | null | undefined }) => pick(locale, values),
    /** The translated message for an API error code, or the generic one for an unknown code. */
    error: (code: string) => t(locale, has(locale, `errors.${code}`) ? `errors.${code}` : 'errors.internal_error'),
  };
}
export type Translator = ReturnType<typeof translator>;
