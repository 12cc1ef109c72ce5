/**
 * The wording rules of docs/STYLE.md that a machine can check: one term per concept (the rejected
 * variants fail), passing vs submitting a test, the grammar slips found in review, no Latin or code
 * in Kyrgyz text, language names in the reader's language, and course objectives that fit the
 * heading above them. Locales hold every interface, e-mail and PDF text (server code has no
 * Cyrillic literals), so checking them checks the server-made texts too.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ky from '@locales/ky.json';
import ru from '@locales/ru.json';
import { t, translator } from '@server/lib/i18n';
import { emptyDraftContent } from '@server/modules/authoring/content';
import { reviewFacts } from '@server/modules/review/facts';
import { draftParts, partNamer } from '@site/lib/review-parts';

/** Rejected word → the chosen one (docs/STYLE.md, "Glossary"). Matched as a word stem, any case. */
const REJECTED_KY: [RegExp, string][] = [
  [/кызматкер/i, 'кызматчы (a person in the service)'],
  [/тренер/i, 'окутуучу (the trainer role)'],
  [/эксперт/i, 'текшерүүчү (the reviewer role)'],
  [/тилке/i, 'мамыча (a table or file column)'],
  [/мекеме/i, 'уюм (organisation)'],
  [/отчет/i, 'отчёт'],
  [/версия/i, 'нуска (a version of a course)'],
  [/котормолог/i, 'которгон (not a word)'],
];
const REJECTED_RU: [RegExp, string][] = [
  [/сотрудник/i, 'служащий'],
  [/тренер/i, 'преподаватель'],
  [/эксперт/i, 'проверяющий'],
  [/столбик|колонк/i, 'столбец'],
  [/учреждени/i, 'организация'],
  [/отчет/i, 'отчёт'],
  [/редакци/i, 'версия'],
];

const coursesDir = 'courses';
function courseFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(json|md)$/.test(e.name)) out.push(p);
    }
  };
  walk(coursesDir);
  return out;
}

describe('one term per concept', () => {
  it('locales (interface, e-mails, PDFs) use the chosen terms only', () => {
    const found: string[] = [];
    for (const [key, value] of Object.entries(ky)) for (const [re, use] of REJECTED_KY) if (re.test(value)) found.push(`ky ${key}: «${value.match(re)![0]}» → ${use}`);
    for (const [key, value] of Object.entries(ru)) for (const [re, use] of REJECTED_RU) if (re.test(value)) found.push(`ru ${key}: «${value.match(re)![0]}» → ${use}`);
    expect(found).toEqual([]);
  });

  it('course packages use «отчёт» and no non-words', () => {
    // course texts may say кызматкер for every employee of an office (technical staff included),
    // so only the spelling and the non-words are checked there
    const found: string[] = [];
    for (const file of courseFiles()) {
      const text = readFileSync(file, 'utf8');
      for (const re of [/отчет/i, /котормолог/i]) if (re.test(text)) found.push(`${file}: «${text.match(re)![0]}»`);
    }
    expect(found).toEqual([]);
  });
});

describe('passing is not submitting', () => {
  it('results say «тесттен өттүңүз / өткөн жоксуз»; «тапшыр-» is kept for handing in', () => {
    expect(t('ky', 'result.passed')).toBe('Сиз тесттен өттүңүз.');
    expect(t('ky', 'result.failed')).toBe('Сиз тесттен өткөн жоксуз.');
    for (const key of ['result.passed', 'result.failed', 'academy.passRate', 'academy.lead', 'author.completion.finalTest', 'author.completion.moduleQuizzes', 'quiz.review.after_last_attempt', 'home.step3']) {
      expect(t('ky', key), key).not.toMatch(/тапшыр/);
      expect(t('ky', key), key).toMatch(/өт[түкөү]/);
    }
    // handing in keeps its verb
    expect(t('ky', 'attempt.submit')).toBe('Тестти тапшыруу');
  });
});

describe('grammar slips found in review', () => {
  it('stay fixed', () => {
    const all = Object.entries(ky);
    const slips: [RegExp, string][] = [
      [/кызмат орундун/i, 'кызмат ордунун'],
      [/кызмат орундардын/i, 'кызмат орундарынын'],
      [/кызмат орун үчүн/i, 'кызмат орду үчүн'],
      [/кызмат орундар үчүн/i, 'кызмат орундары үчүн'],
      [/(^|\s)0дон/, '0дөн (нөл → -дөн)'],
      [/окутуңуз/, 'скандаңыз (QR-код)'],
      [/суроо(нун)? (форматы|башка сайттан|денеси)|кийинки суроосунан/i, 'сурам (an HTTP request)'],
    ];
    const found = all.flatMap(([key, value]) => slips.filter(([re]) => re.test(value)).map(([, fix]) => `${key} → ${fix}`));
    // «чейин» governs the dative: «5 МБга», «{date:dat}», «мөөнөткө» — never a bare word or number before it
    for (const [key, value] of all) {
      for (const m of value.matchAll(/(\S+) чейин/g)) {
        if (!/([гкн]?[аеоө]|:dat\})$/.test(m[1]!)) found.push(`${key}: «${m[0]}» needs the dative`);
      }
    }
    expect(found).toEqual([]);
    expect(t('ky', 'hr.postKind')).toBe('Кызмат ордунун түрү');
    expect(t('ky', 'hr.adminGroup')).toBe('Кызмат орундарынын тобу');
    expect(t('ky', 'errors.malformed_json')).toMatch(/^Сурам/);
    expect(t('ky', 'apiDocs.request')).toBe('Сурам');
    expect(t('ky', 'verify.lead')).toMatch(/скандаңыз\.$/);
  });
});

describe('no English or code in Kyrgyz text', () => {
  // names of formats and standards, written as everyone writes them
  const ALLOWED = /^(API|OpenAPI|CSV|XLSX?|Excel|UTF-(8|16)|BOM|Windows-1251|PDF|JPEG|PNG|WebP|MP4|WebVTT|Markdown|JavaScript|JSON|SMTP|IP|QR|I|II|III|IV|H\.264|Esc|Alt|F10|SCORM|SCO|ZIP|XML|iSpring|Articulate|Word|DOCX|DOC|SmartArt|Title)$/;
  // where the text explains a file's columns and codes, or shows an example to type, the code is the content
  const CODE_KEYS = /^(admin\.import\.|bankio\.|errors\.import_(xml|xlsx|kind|truefalse|answer)|errors\.scorm_|hr\.import\.|errors\.(csv_|staff_|settings_|certificate_code_invalid|policy_certificate_format)|verify\.codeHint|verification\.codeHint|bank\.(q\.idHint|q\.tagsHint|col\.id|q\.id)|errors\.(question|category|quiz)_id_|author\.slugHint|admin\.policy\.certificateHint|admin\.bulk\.(lead|textHint)|errors\.role_unknown|admin\.settings\.sso)/;

  it('locale strings', () => {
    const found: string[] = [];
    for (const [key, value] of Object.entries(ky)) {
      if (CODE_KEYS.test(key)) continue;
      const text = value.replace(/\{[^{}]*\}/g, '');
      for (const word of text.match(/[A-Za-z][A-Za-z0-9_.:/-]*[A-Za-z0-9]|[A-Za-z]/g) ?? []) {
        if (!ALLOWED.test(word)) found.push(`${key}: ${word}`);
      }
    }
    expect(found).toEqual([]);
  });

  it('the review facts name parts of a course in words, not codes', () => {
    const content = emptyDraftContent('ethics');
    content.manifest.title = { ky: 'Этика' };
    content.manifest.modules = [
      { title: { ky: 'Киришүү', ru: 'Введение' }, lessons: [{ slug: 'lesson-1', title: { ky: 'Биринчи', ru: 'Первый' }, minutes: 10, kind: 'theory', doc: { ky: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Текст' }] }] } } }] },
      { title: { ky: 'Негиздер' }, lessons: [
        { slug: 'lesson-7', title: { ky: 'Экинчи', ru: 'Второй' }, minutes: 10, kind: 'theory', doc: {} },
        { slug: 'lesson-3', title: { ky: 'Үчүнчү', ru: 'Третий' }, minutes: 10, kind: 'theory', doc: { ru: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Текст' }] }] } } },
      ] },
    ] as typeof content.manifest.modules;
    content.questions = {
      categories: [{ id: 'm1', title: { ky: 'Негиздер', ru: 'Основы' } }],
      questions: [
        { id: 'm1-tf-1', category: 'm1', kind: 'truefalse', text: { ky: 'Туурабы?', ru: 'Верно?' }, correct: true },
        { id: 'm1-single-1', category: 'm1', kind: 'single', text: { ky: '', ru: 'Что?' }, choices: [{ key: 'a', text: { ky: 'Бир', ru: 'Один' }, correct: true }, { key: 'b', text: { ky: '', ru: 'Два' } }] },
      ],
    } as typeof content.questions;
    const facts = reviewFacts(content);
    for (const locale of ['ky', 'ru'] as const) {
      const name = partNamer(translator(locale), draftParts(content));
      const names = [...facts.languages.missingKy, ...facts.languages.missingRu].map(name);
      for (const n of names) expect(n, `${locale}: ${n}`).not.toMatch(/[A-Za-z]/);
      if (locale === 'ky') {
        expect(names).toContain('2-модулдун 2-сабагынын тексти'); // lesson-3, second in module 2
        expect(names).toContain('2-суроонун тексти');
        expect(names).toContain('2-суроонун 2-варианты');
        expect(names).toContain('курстун аталышы');
        expect(names).toContain('2-модулдун аталышы');
        // the bank page names a problem's target the same way
        expect(name('question:m1-single-1')).toBe('2-суроо');
      }
    }
  });
});

describe('language names', () => {
  it('labels name the language in the reader’s language: (кыргызча) / (орусча), (на кыргызском) / (на русском)', () => {
    expect(t('ky', 'author.titleIn', { lang: t('ky', 'lang.in.ru') })).toBe('Аталышы (орусча)');
    expect(t('ru', 'author.titleIn', { lang: t('ru', 'lang.in.ky') })).toBe('Название (на кыргызском)');
    const found: string[] = [];
    for (const [key, value] of Object.entries(ky)) if (/Русск|русск/.test(value)) found.push(`ky ${key}`);
    for (const [key, value] of Object.entries(ru)) if (/[Кк]ыргызча|[Оо]русча/.test(value) && !key.startsWith('hr.import.')) found.push(`ru ${key}`);
    expect(found).toEqual([]);
  });

  it('no page puts an endonym inside a label: lang.* is a name, lang.in.* goes in brackets', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name.endsWith('.astro')) files.push(p);
      }
    };
    walk('site');
    for (const file of files) {
      const src = readFileSync(file, 'utf8');
      expect(src, file).not.toMatch(/\{\s*lang:\s*tr\.t\(['`](bank\.)?lang\.(ky|ru|\$\{)/);
      expect(src, file).not.toMatch(/\(\{tr\.t\(['`]lang\.(ky|ru|\$\{)/);
    }
  });
});

describe('course objectives fit the heading above them', () => {
  it('«Курсту аяктаган угуучу:» is followed by objectives that end in «…алат.»', () => {
    expect(t('ky', 'course.objectives')).toBe('Курсту аяктаган угуучу:');
    for (const dir of readdirSync(coursesDir, { withFileTypes: true }).filter((e) => e.isDirectory())) {
      const course = JSON.parse(readFileSync(join(coursesDir, dir.name, 'course.json'), 'utf8')) as { objectives?: { ky?: string[] } };
      for (const objective of course.objectives?.ky ?? []) expect(objective, dir.name).toMatch(/ алат\.$/);
    }
  });
});
