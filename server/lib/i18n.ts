import ky from '@locales/ky.json';
import ru from '@locales/ru.json';
import type { Gender, Locale } from '@db/domain';

const messages: Record<Locale, Record<string, string>> = { ky, ru };

export const TIME_ZONE = 'Asia/Bishkek';

/**
 * A value for a `{name}` placeholder. Numbers are written in the locale's digits; dates (made with
 * `day()` or `moment()`) in the form the placeholder asks for (`{date:dat}`, see formatDate); a
 * gender (made with `gender()`) only chooses between alternatives (`{g:Уважаемый|Уважаемая}`).
 */
export type MessageVar = string | number | DateArg | GenderArg;
export type MessageVars = Record<string, MessageVar>;

/**
 * A UI string from locales/<locale>.json with its placeholders filled in:
 * - `{name}`: the value as it is (a number in the locale's format, a date in the nominative);
 * - `{date:dat}`: a date in a grammatical case (nom, gen, dat, acc, loc, abl: see formatDate);
 * - `{count:год|года|лет}`: the word for a number, picked by Intl.PluralRules (one|few|many);
 * - `{g:Уважаемый|Уважаемая|Здравствуйте,}`: picked by a gender (male|female|not known; the
 *   first when the third is missing).
 * A value that ends in a full stop before the template's own full stop is not doubled
 * («до 22 ноября 2026 г.» then «.»).
 */
export function t(locale: Locale, key: string, vars?: MessageVars): string {
  const template = messages[locale][key];
  if (template === undefined) throw new Error(`missing locale key ${locale}:${key}`);
  if (!vars) return template;
  return template.replace(/\{(\w+)(?::([^{}]+))?\}(\.?)/g, (m, name: string, form: string | undefined, dot: string) => {
    if (!(name in vars)) return m;
    const text = fillPlaceholder(locale, vars[name]!, form, `${locale}:${key} {${name}}`);
    return dot && text.endsWith('.') ? text : text + dot;
  });
}

function fillPlaceholder(locale: Locale, value: MessageVar, form: string | undefined, where: string): string {
  if (form?.includes('|')) {
    const choices = form.split('|');
    if (typeof value === 'number') {
      const category = once(pluralRules, locale, () => new Intl.PluralRules(locale)).select(value);
      // one|few|many as Russian needs; fractions ("other") take the few form: 1,5 года
      const index = category === 'one' ? 0 : category === 'many' ? 2 : 1;
      return choices[Math.min(index, choices.length - 1)]!;
    }
    if (isGender(value)) {
      if (value.gender === 'male') return choices[0]!;
      if (value.gender === 'female') return choices[1] ?? choices[0]!;
      return choices[2] ?? choices[0]!;
    }
    return misuse(`${where}: choices need a number or a gender`, choices[0]!);
  }
  if (isDate(value)) {
    const grammaticalCase = form ?? 'nom';
    if (!isCase(grammaticalCase)) return misuse(`${where}: unknown case "${grammaticalCase}"`, formatDate(locale, value.at, value.withTime));
    if (value.withTime && grammaticalCase !== 'nom') {
      // "саат 12:30да": the suffix would follow the spoken numeral; write «Мөөнөтү: {date}» instead
      return misuse(`${where}: a date with a time is written in the nominative only`, formatDate(locale, value.at, true));
    }
    return formatDate(locale, value.at, value.withTime, grammaticalCase);
  }
  if (isGender(value)) return misuse(`${where}: a gender only chooses between alternatives`, '');
  if (form !== undefined) return misuse(`${where}: the form "${form}" needs a date, a number or a gender`, formatValue(locale, value));
  return formatValue(locale, value);
}

/**
 * A string used with the wrong kind of value is a programming error: tests and development fail on
 * it at once; in production the reader gets the nearest plain text (a page or a reminder run must
 * not fail over a case ending) and the log says what to fix.
 */
function misuse(message: string, fallback: string): string {
  if (process.env.NODE_ENV !== 'production') throw new Error(message);
  console.error(`i18n: ${message}`);
  return fallback;
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

/** Grammatical cases a date can take in a Kyrgyz sentence; Russian dates read the same in all. */
export const DATE_CASES = ['nom', 'gen', 'dat', 'acc', 'loc', 'abl'] as const;
export type DateCase = (typeof DATE_CASES)[number];
const isCase = (s: string): s is DateCase => (DATE_CASES as readonly string[]).includes(s);

/** A date handed to t(): the string's placeholder chooses its case. */
export type DateArg = { readonly kind: 'date'; readonly at: Date; readonly withTime: boolean };
const isDate = (v: MessageVar): v is DateArg => typeof v === 'object' && v.kind === 'date';

/** A calendar day: a 'YYYY-MM-DD' day as it is, or the Bishkek day of an instant. */
export function day(date: Date | string): DateArg {
  const at = typeof date === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(date) ? new Date(`${date}T12:00:00Z`) : new Date(date);
  return { kind: 'date', at, withTime: false };
}

/** An instant with its time of day (Bishkek time). */
export function moment(date: Date | string): DateArg {
  return { kind: 'date', at: new Date(date), withTime: true };
}

/** A person's gender handed to t(), for `{g:male form|female form|unknown}` choices (Russian). */
export type GenderArg = { readonly kind: 'gender'; readonly gender: Gender | null };
const isGender = (v: MessageVar): v is GenderArg => typeof v === 'object' && v.kind === 'gender';
export function gender(value: Gender | null | undefined): GenderArg {
  return { kind: 'gender', gender: value ?? null };
}

// Kyrgyz official style writes "2026-жылдын 22-ноябры" (CLDR gives "2026-ж., 22-ноябрь"): the
// month takes the 3rd-person possessive, and the case ending follows it after the pronominal -н-
// with the vowel of the possessive (ы → а/ы, и → е/и, у → а/у): 22-ноябрына чейин,
// 22-апрелинде, 22-июнунан тартып.
const KY_MONTHS = ['январы', 'февралы', 'марты', 'апрели', 'майы', 'июну', 'июлу', 'августу', 'сентябры', 'октябры', 'ноябры', 'декабры'];
const KY_CASE_ENDINGS: Record<'ы' | 'и' | 'у', Record<DateCase, string>> = {
  ы: { nom: '', gen: 'нын', dat: 'на', acc: 'н', loc: 'нда', abl: 'нан' },
  и: { nom: '', gen: 'нин', dat: 'не', acc: 'н', loc: 'нде', abl: 'нен' },
  у: { nom: '', gen: 'нун', dat: 'на', acc: 'н', loc: 'нда', abl: 'нан' },
};

/** The Kyrgyz month name "22-ноябры" in a case: kyMonth(10, 'dat') → "ноябрына". */
export function kyMonth(monthIndex: number, grammaticalCase: DateCase = 'nom'): string {
  const month = KY_MONTHS[monthIndex]!;
  return month + KY_CASE_ENDINGS[month.at(-1) as 'ы' | 'и' | 'у'][grammaticalCase];
}

/**
 * A date (and optionally time) in the reader's language, in Bishkek time. Kyrgyz takes the case the
 * sentence needs ("2026-жылдын 22-ноябрына чейин"); Russian writes "22 ноября 2026 г." in every
 * case (the day-month is always genitive, the preposition does the rest). With a time only the
 * nominative exists: "2026-жылдын 22-ноябры, 12:30".
 */
export function formatDate(locale: Locale, date: Date | string, withTime = false, grammaticalCase: DateCase = 'nom'): string {
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
    const text = `${parts.year}-жылдын ${Number(parts.day)}-${kyMonth(Number(parts.month) - 1, withTime ? 'nom' : grammaticalCase)}`;
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
    t: (key: string, vars?: MessageVars) => t(locale, key, vars),
    plural: (key: string, count: number) => plural(locale, key, count),
    /** a date on its own (a table cell); inside a sentence pass day()/moment() to t() instead */
    date: (date: Date | string, withTime = false) => formatDate(locale, date, withTime),
    day,
    moment,
    gender,
    pick: (values: { ky: string | null | undefined; ru: string | null | undefined }) => pick(locale, values),
    /** The translated message for an API error code, or the generic one for an unknown code. */
    error: (code: string) => t(locale, has(locale, `errors.${code}`) ? `errors.${code}` : 'errors.internal_error'),
  };
}
export type Translator = ReturnType<typeof translator>;
