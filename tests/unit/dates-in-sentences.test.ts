/**
 * Every locale string that holds a date, rendered with a date in each of the twelve months, in
 * Kyrgyz and Russian (the reminder e-mails too), and checked the way a reader would: the Kyrgyz date
 * takes the case the next word needs («22-ноябрына чейин», «22-ноябрында бүткөн»), the Russian one
 * has no doubled full stop and no «в» before a day. The Kyrgyz forms below are written out by hand,
 * not computed, so a wrong vowel in the formatter fails here.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ky from '@locales/ky.json';
import ru from '@locales/ru.json';
import { day, formatDate, gender, moment, t, type MessageVars } from '@server/lib/i18n';
import type { Locale } from '@db/domain';
import { countedText } from '@server/modules/records/pdf';

// nominative, genitive, dative, accusative, locative, ablative of "22-<month>" (3rd-person possessive)
const KY_FORMS: Record<number, [string, string, string, string, string, string]> = {
  1: ['январы', 'январынын', 'январына', 'январын', 'январында', 'январынан'],
  2: ['февралы', 'февралынын', 'февралына', 'февралын', 'февралында', 'февралынан'],
  3: ['марты', 'мартынын', 'мартына', 'мартын', 'мартында', 'мартынан'],
  4: ['апрели', 'апрелинин', 'апрелине', 'апрелин', 'апрелинде', 'апрелинен'],
  5: ['майы', 'майынын', 'майына', 'майын', 'майында', 'майынан'],
  6: ['июну', 'июнунун', 'июнуна', 'июнун', 'июнунда', 'июнунан'],
  7: ['июлу', 'июлунун', 'июлуна', 'июлун', 'июлунда', 'июлунан'],
  8: ['августу', 'августунун', 'августуна', 'августун', 'августунда', 'августунан'],
  9: ['сентябры', 'сентябрынын', 'сентябрына', 'сентябрын', 'сентябрында', 'сентябрынан'],
  10: ['октябры', 'октябрынын', 'октябрына', 'октябрын', 'октябрында', 'октябрынан'],
  11: ['ноябры', 'ноябрынын', 'ноябрына', 'ноябрын', 'ноябрында', 'ноябрынан'],
  12: ['декабры', 'декабрынын', 'декабрына', 'декабрын', 'декабрында', 'декабрынан'],
};
const CASES = ['nom', 'gen', 'dat', 'acc', 'loc', 'abl'] as const;
const RU_GENITIVE = ['января', 'февраля', 'марта', 'апреля', 'мая', 'июня', 'июля', 'августа', 'сентября', 'октября', 'ноября', 'декабря'];

type DateKind = 'day' | 'moment';
/**
 * The strings that hold a date, with the kind of date the code passes (a calendar day or an
 * instant with its time) and the other values they need. The completeness checks below fail when
 * a string or a call site holds a date and is missing here.
 */
const DATE_STRINGS: Record<string, { dates: Record<string, DateKind>; vars?: MessageVars }> = {
  'verify.revokedOn': { dates: { date: 'day' } },
  'notify.invitation.body': { dates: { expires: 'day' } },
  'notify.email_confirmation.body': { dates: { expires: 'day' } },
  'notify.password_reset.body': { dates: { expires: 'day' } },
  'notify.course_assigned.body': { dates: { dueDate: 'day' }, vars: { course: 'Мамлекеттик тил' } },
  'notify.assignment_due_soon.body': { dates: { dueDate: 'day' }, vars: { course: 'Мамлекеттик тил', left: '5' } },
  'notify.assignment_overdue.body': { dates: { dueDate: 'day' }, vars: { course: 'Мамлекеттик тил', left: '5' } },
  'notify.hr_digest.subject': { dates: { since: 'day' } },
  'record.revokedOn': { dates: { date: 'day' } },
  'certificate.revokedOn': { dates: { date: 'day' } },
  'learning.certificateRevoked': { dates: { date: 'day' } },
  'record.order': { dates: { date: 'day' }, vars: { number: '12-к' } },
  'admin.org.closedOn': { dates: { date: 'day' } },
  'admin.person.lockedOn': { dates: { date: 'moment' } },
  'admin.person.resetLead': { dates: { date: 'moment' } },
  'admin.policy.sinceBy': { dates: { date: 'moment' }, vars: { name: 'Асель Токтогулова' } },
  'learning.completedOn': { dates: { date: 'day' } },
  'learning.dueDate': { dates: { date: 'day' } },
  'my.enrolledOn': { dates: { date: 'day' } },
  'my.periodRange': { dates: { from: 'day', to: 'day' } },
  'quiz.opens': { dates: { date: 'moment' } },
  'quiz.closes': { dates: { date: 'moment' } },
  'attempt.deadline': { dates: { time: 'moment' } },
  'record.dueBy': { dates: { date: 'day' } },
  'record.overdueSince': { dates: { date: 'day' } },
  'feedback.givenOn': { dates: { date: 'day' } },
  'qa.askedOn': { dates: { date: 'day' } },
  'qa.answeredOn': { dates: { date: 'day' } },
  'learning.updated.short': { dates: { date: 'day' } },
  'learning.updated.notice': { dates: { date: 'day' } },
  'review.panel.submittedAt': { dates: { date: 'moment' }, vars: { name: 'Асель Токтогулова' } },
  'review.panel.lastDecision': { dates: { date: 'moment' }, vars: { decision: 'Жактырылды' } },
  'hr.person.dismissedOn': { dates: { date: 'day' } },
  'hr.person.dueBy': { dates: { date: 'day' } },
  'hr.person.invitationLead': { dates: { date: 'moment' } },
  'reminder.subject.servant.before': { dates: { date: 'day' }, vars: { name: 'Асель Токтогулова' } },
  'reminder.subject.servant.overdue': { dates: { date: 'day' }, vars: { name: 'Асель Токтогулова' } },
  'reminder.subject.hr.before': { dates: { date: 'day' }, vars: { name: 'Асель Токтогулова' } },
  'reminder.subject.hr.overdue': { dates: { date: 'day' }, vars: { name: 'Асель Токтогулова' } },
  'reminder.body.servant.before': { dates: { date: 'day' }, vars: { name: 'Асель Токтогулова', organisation: 'Финансы министрлиги', left: '5', gender: gender('female') } },
  'reminder.body.servant.overdue': { dates: { date: 'day' }, vars: { name: 'Асель Токтогулова', organisation: 'Финансы министрлиги', left: '5', gender: gender('female') } },
  'reminder.body.hr.before': { dates: { date: 'day' }, vars: { name: 'Асель Токтогулова', organisation: 'Финансы министрлиги', left: '5', gender: gender('female') } },
  'reminder.body.hr.overdue': { dates: { date: 'day' }, vars: { name: 'Асель Токтогулова', organisation: 'Финансы министрлиги', left: '5', gender: gender('female') } },
};

const messages: Record<Locale, Record<string, string>> = { ky, ru };
const at = (month: number, kind: DateKind) => {
  const iso = `2026-${String(month).padStart(2, '0')}-22`;
  return kind === 'day' ? day(iso) : moment(`${iso}T06:30:00Z`);
};
function render(locale: Locale, key: string, month: number): string {
  const spec = DATE_STRINGS[key]!;
  const dates = Object.fromEntries(Object.entries(spec.dates).map(([name, kind]) => [name, at(month, kind)]));
  return t(locale, key, { ...spec.vars, ...dates });
}

// the words a Kyrgyz date may stand before, by case; a nominative date ends its phrase
const NEXT_WORD: Record<(typeof CASES)[number], RegExp | null> = {
  nom: null,
  gen: /^\S+/,
  dat: /^(чейин|карата)(?!\p{L})/u,
  acc: /^\S+/,
  loc: /^[\p{L}-]+/u,
  abl: /^(тартып|баштап|бери|кийин|\d{4}-жылдын$)/u,
};

/** Checks each Kyrgyz date in a rendered string and returns what is wrong. */
function kyrgyzDateProblems(text: string, month: number): string[] {
  const problems: string[] = [];
  const found = [...text.matchAll(/\d{4}-жылдын (\d{1,2})-(\p{L}+)( \S+)?/gu)];
  if (found.length === 0) problems.push('no date found');
  for (const m of found) {
    const word = m[2]!;
    const index = KY_FORMS[month]!.indexOf(word);
    if (index < 0) {
      problems.push(`«${m[1]}-${word}» is not a form of month ${month}`);
      continue;
    }
    const grammaticalCase = CASES[index]!;
    // the word right after the date, if a word follows (not punctuation, a bracket or a line break)
    const next = m[3]?.trim() ?? '';
    const nextWord = /^[\p{L}\d]/u.test(next) ? next : '';
    if (grammaticalCase === 'nom') {
      if (nextWord && !/^\d{4}-жылдын$/.test(nextWord)) problems.push(`nominative «${m[1]}-${word}» before «${nextWord}»: it needs a case`);
    } else if (!nextWord || !NEXT_WORD[grammaticalCase]!.test(nextWord)) {
      problems.push(`«${m[1]}-${word}» (${grammaticalCase}) before «${next}»`);
    } else if (grammaticalCase === 'loc' && /^(чейин|карата|тартып|баштап|бери)/.test(nextWord)) {
      problems.push(`locative before «${nextWord}»`);
    }
  }
  return problems;
}

describe('dates in sentences', () => {
  it('the formatter gives every case of every month (written out by hand above)', () => {
    for (let month = 1; month <= 12; month++) {
      CASES.forEach((c, i) => {
        expect(formatDate('ky', `2026-${String(month).padStart(2, '0')}-22T06:00:00Z`, false, c)).toBe(`2026-жылдын 22-${KY_FORMS[month]![i]}`);
      });
      expect(formatDate('ru', `2026-${String(month).padStart(2, '0')}-22T06:00:00Z`, false, 'dat')).toBe(`22 ${RU_GENITIVE[month - 1]} 2026 г.`);
    }
  });

  it('a string picks the case: «22-ноябрына чейин», «22-ноябрында бүткөн», «5-мартынан … чейин»', () => {
    expect(t('ky', 'record.dueBy', { date: day('2026-11-22') })).toBe('Кийинки окууну 2026-жылдын 22-ноябрына чейин өтүү керек.');
    expect(t('ky', 'record.overdueSince', { date: day('2026-05-15') })).toBe('Окуунун мөөнөтү 2026-жылдын 15-майында бүткөн.');
    expect(t('ky', 'my.periodRange', { from: day('2023-03-05'), to: day('2026-04-04') })).toBe(
      '2023-жылдын 5-мартынан 2026-жылдын 4-апрелине чейин аяктаган курстардын академиялык сааттары',
    );
  });

  it('Russian: no doubled full stop after «г.», no «в» before a day', () => {
    expect(t('ru', 'record.dueBy', { date: day('2026-11-22') })).toBe('Следующее обучение нужно пройти до 22 ноября 2026 г.');
    expect(t('ru', 'attempt.deadline', { time: moment('2026-11-22T06:30:00Z') })).toBe('Тест закроется 22 ноября 2026 г., 12:30.');
  });

  it('every string that holds a date reads right in both languages in each of the twelve months', () => {
    const problems: string[] = [];
    for (const key of Object.keys(DATE_STRINGS)) {
      for (let month = 1; month <= 12; month++) {
        const kyText = render('ky', key, month);
        for (const p of kyrgyzDateProblems(kyText, month)) problems.push(`ky ${key} (${month}): ${p} — ${kyText}`);
        const ruText = render('ru', key, month);
        if (!ruText.includes(`22 ${RU_GENITIVE[month - 1]} 2026 г.`)) problems.push(`ru ${key} (${month}): no date — ${ruText}`);
        if (/г\.\./.test(ruText)) problems.push(`ru ${key}: doubled full stop — ${ruText}`);
        if (/(^|\s)в \d{1,2} [а-я]+ \d{4}/.test(ruText)) problems.push(`ru ${key}: «в» before a day — ${ruText}`);
        if (/\{\w+(:[^}]*)?\}/.test(kyText + ruText)) problems.push(`${key}: a placeholder is left — ${kyText} / ${ruText}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('the list above holds every string with a date form and every call that passes a date', () => {
    // strings: a case form ({date:dat}) is only for dates
    for (const locale of ['ky', 'ru'] as const) {
      for (const [key, value] of Object.entries(messages[locale])) {
        if (/\{\w+:(nom|gen|dat|acc|loc|abl)\}/.test(value)) expect(Object.keys(DATE_STRINGS), `${locale}:${key}`).toContain(key);
      }
    }
    // code: t('key', { … day(…) / moment(…) … })
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
    let calls = 0;
    for (const file of files) {
      const src = readFileSync(file, 'utf8');
      for (const m of src.matchAll(/\bt\((?:\w+, )?'([a-zA-Z]+\.[\w.]+)',\s*\{/g)) {
        const args = src.slice(m.index! + m[0].length, src.indexOf('})', m.index!));
        if (/\b(day|moment)\(/.test(args)) {
          calls++;
          expect(Object.keys(DATE_STRINGS), `${file}: ${m[1]}`).toContain(m[1]);
        }
        // a date formatted before it reaches the string cannot take the sentence's case
        expect(/\b(tr\.date|formatDate)\(/.test(args), `${file}: ${m[1]} gets a preformatted date: pass day() or moment()`).toBe(false);
      }
    }
    expect(calls).toBeGreaterThan(15);
  });

  it('a date with a time is written in the nominative only, so a case form on it fails loudly', () => {
    expect(() => t('ky', 'record.dueBy', { date: moment('2026-11-22T06:30:00Z') })).toThrow(/nominative only/);
    expect(() => t('ky', 'record.dueBy', { date: '22-ноябры' })).toThrow(/needs a date/);
  });

  it('in production a misused string degrades to plain text (and a log line) instead of failing a page or a reminder run', () => {
    const before = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      expect(t('ky', 'record.dueBy', { date: '22-ноябры' })).toBe('Кийинки окууну 22-ноябры чейин өтүү керек.');
      expect(t('ky', 'record.dueBy', { date: moment('2026-11-22T06:30:00Z') })).toBe('Кийинки окууну 2026-жылдын 22-ноябры, 12:30 чейин өтүү керек.');
    } finally {
      process.env.NODE_ENV = before;
    }
  });
});

describe('numbers and genders inside strings', () => {
  it('Russian periods in years agree with the number', () => {
    expect(t('ru', 'record.fromTraining', { years: 3 })).toMatch(/не реже одного раза в 3 года\.$/);
    expect(t('ru', 'record.fromTraining', { years: 5 })).toMatch(/в 5 лет\.$/);
    expect(t('ru', 'record.fromTraining', { years: 1 })).toMatch(/в 1 год\.$/);
    expect(t('ru', 'my.periodTitle', { years: 3 })).toBe('Текущий период обязательного обучения (3 года)');
    expect(t('ky', 'my.periodTitle', { years: 3 })).toBe('Милдеттүү окуунун учурдагы мезгили (3 жыл)');
  });

  it('reminder mails speak to the person by gender, and neutrally when it is not known', () => {
    const vars = { name: 'Асель Токтогулова', organisation: 'Министерство финансов', left: 'осталось 5 дней', date: day('2026-11-22') };
    expect(t('ru', 'reminder.body.servant.before', { ...vars, gender: gender('female') })).toMatch(/^Уважаемая Асель/);
    expect(t('ru', 'reminder.body.servant.before', { ...vars, gender: gender('male') })).toMatch(/^Уважаемый Асель/);
    expect(t('ru', 'reminder.body.servant.before', { ...vars, gender: gender(null) })).toMatch(/^Здравствуйте, Асель/);
    const hr = t('ru', 'reminder.body.hr.overdue', { ...vars, gender: gender('female') });
    expect(hr).toMatch(/^Служащая Асель Токтогулова должна была пройти повышение квалификации до 22 ноября 2026 г\./);
    expect(hr).toMatch(/\nОрганизация: Министерство финансов$/);
    expect(t('ru', 'reminder.body.hr.before', { ...vars, gender: gender('male') })).toMatch(/^Служащий Асель Токтогулова должен пройти/);
  });

  it('the record PDF counts hours in each language: «8 саат / 8 часов»', () => {
    expect(countedText(3, 8)).toBe('3; 8 саат / 8 часов');
    expect(countedText(1, 21)).toBe('1; 21 саат / 21 час');
    expect(countedText(2, 3)).toBe('2; 3 саат / 3 часа');
  });

  it('no string writes both genders with brackets', () => {
    for (const [key, value] of Object.entries(ru)) expect(value, key).not.toMatch(/\((а|ая|ца|на|ла|ой|ый)\)/);
  });
});
