/**
 * Question-bank files in and out: Moodle XML, GIFT, Aiken and the platform's XLSX template (Kyrgyz and
 * Russian columns side by side). Reading turns a file into `ParsedQuestion`s — a question in the shape
 * of questions.json without its id check, with the problems found and what of the source was left out;
 * bank-import.ts checks each against the registry and the bank. Writing turns a bank into a file that
 * reads back into the same bank.
 *
 * Only kinds of the registry (server/modules/quiz/types) are produced. Moodle texts carry one
 * language, unless they use Moodle's multilang filter (`<span lang="ky" class="multilang">` or
 * `{mlang ky}`): then both languages are read, and the export writes both that way.
 *
 * Bounds: the caller has checked the file size; XML with a document type declaration (entities: the
 * "billion laughs", external entities) is refused, and so is nesting deeper than MAX_XML_DEPTH; an
 * XLSX is bounded with checkZip before it is inflated; at most MAX_IMPORT_QUESTIONS questions.
 */
import type ExcelJS from 'exceljs';
import { DOMParser } from '@xmldom/xmldom';
import { AppError } from '@server/lib/errors';
import { t } from '@server/lib/i18n';
import { addSheet, neutraliseCell, newWorkbook, workbookBytes } from '@server/lib/table-file';
import { checkZip } from '@server/lib/zip';
import { parseNumber } from '../quiz/types/numeric';
import { QUESTION_KINDS, type QuestionKind } from '../quiz/types';
import { tagOf, type Bank, type BankQuestion, type BilingualText } from './questions';

export type Lang = 'ky' | 'ru';
export const IMPORT_FORMATS = ['moodle', 'gift', 'aiken', 'xlsx'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];
export const MAX_IMPORT_BYTES = 5_000_000;
export const MAX_IMPORT_QUESTIONS = 1000;
export const MAX_XML_DEPTH = 40;

export type ParsedQuestion = {
  /** the question's number in the file (XLSX: the row) */
  line: number;
  /** the kind as the source names it (Moodle `multichoice`, GIFT `choice`, …) */
  sourceKind: string;
  /** the id the file gives (Moodle idnumber, the template's id column), if any */
  id?: string;
  category?: { id?: string; title: BilingualText };
  /** kind, text, mark, tags, feedback and the kind's fields, texts possibly in one language */
  question: Record<string, unknown>;
  /** problem codes that stop this question being created */
  problems: string[];
  /** what the file has that the platform does not keep (codes: `answer_feedback`, `partial_answers`, …) */
  dropped: string[];
};

const fail = (code: string, status: 400 | 413 | 422 = 422): never => {
  throw new AppError(code, status, 'file');
};
const one = (lang: Lang, s: string): BilingualText => (lang === 'ky' ? { ky: s, ru: '' } : { ky: '', ru: s });
const other = (lang: Lang): Lang => (lang === 'ky' ? 'ru' : 'ky');

// ------------------------------------------------------------------------------------------------
// Text: HTML to plain text, Moodle multilang
// ------------------------------------------------------------------------------------------------

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === '#') {
      const n = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return n > 0 && n < 0x110000 ? String.fromCodePoint(n) : m;
    }
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

/** HTML as the plain text the platform keeps: line breaks for <br>, paragraphs and list items; tags dropped. */
export function htmlText(html: string): string {
  const s = html
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|li|h[1-6]|tr)>/gi, '\n')
    .replace(/<[^>]*>/g, '');
  return decodeEntities(s)
    .split('\n')
    .map((l) => l.replace(/[ \t\u00a0]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

const MULTILANG = /<span\s+(?:lang="([a-z_-]+)"\s+class="multilang"|class="multilang"\s+lang="([a-z_-]+)")\s*>([\s\S]*?)<\/span>|\{mlang\s+([a-z_-]+)\}([\s\S]*?)\{mlang\}/gi;

/** A Moodle text in both languages when it uses multilang, else in `lang` only. `html`: the text is HTML. */
export function langText(raw: string, lang: Lang, html = true): BilingualText {
  const conv = (s: string) => (html ? htmlText(s) : s.trim());
  const found: Partial<BilingualText> = {};
  let any = false;
  for (const m of raw.matchAll(MULTILANG)) {
    any = true;
    const l = (m[1] ?? m[2] ?? m[4] ?? '').toLowerCase().slice(0, 2);
    if (l === 'ky' || l === 'ru') found[l] = conv(m[3] ?? m[5] ?? '');
  }
  if (any && (found.ky || found.ru)) return { ky: found.ky ?? '', ru: found.ru ?? '' };
  return one(lang, conv(raw));
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const htmlOf = (s: string) => escapeHtml(s).replace(/\n/g, '<br>');
/** Both languages as Moodle multilang spans (a side left empty is left out). */
function multilang(b: BilingualText): string {
  return (['ky', 'ru'] as const)
    .filter((l) => b[l])
    .map((l) => `<span lang="${l}" class="multilang">${htmlOf(b[l])}</span>`)
    .join('');
}

// ------------------------------------------------------------------------------------------------
// Moodle XML
// ------------------------------------------------------------------------------------------------

type El = Element;
function kids(el: El, name: string): El[] {
  const out: El[] = [];
  for (let n = el.firstChild; n; n = n.nextSibling) if (n.nodeType === 1 && (n as El).localName === name) out.push(n as El);
  return out;
}
const kid = (el: El | undefined, name: string): El | undefined => (el ? kids(el, name)[0] : undefined);
const raw = (el: El | undefined): string => el?.textContent ?? '';
/** The <text> of an element (questiontext, answer, …) as written. */
const textIn = (el: El | undefined): string => raw(kid(el, 'text'));

/** Refuses entity declarations and nesting deeper than MAX_XML_DEPTH before the XML parser sees the file. */
export function checkXml(xml: string): void {
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) fail('import_xml_doctype');
  let depth = 0;
  // CDATA and comments are cut out first: a "<" inside them is text, not a tag
  const bare = xml.replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, '').replace(/<!--[\s\S]*?-->/g, '').replace(/<\?[\s\S]*?\?>/g, '');
  for (const m of bare.matchAll(/<(\/?)[^>]*?(\/?)>/g)) {
    if (m[1]) depth--;
    else if (!m[2]) depth++;
    if (depth > MAX_XML_DEPTH) fail('import_xml_too_deep');
  }
}

const slugOf = (s: string | undefined) => (s && /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(s) && s.length <= 80 ? s : undefined);
const fraction = (a: El) => Number(a.getAttribute('fraction') ?? '0');

export function readMoodleXml(xml: string, lang: Lang): ParsedQuestion[] {
  checkXml(xml);
  const problems: string[] = [];
  const doc = new DOMParser({
    locator: {},
    errorHandler: { warning: () => undefined, error: (m: string) => problems.push(m), fatalError: (m: string) => problems.push(m) },
  }).parseFromString(xml, 'text/xml');
  const root = doc?.documentElement as El | null;
  if (problems.length || !root || root.localName !== 'quiz') fail('import_unreadable');
  const out: ParsedQuestion[] = [];
  let category: ParsedQuestion['category'];
  let n = 0;
  for (const q of kids(root!, 'question')) {
    const type = q.getAttribute('type') ?? '';
    if (type === 'category') {
      const path = textIn(kid(q, 'category'));
      // the path's "/" outside tags separate categories (a multilang title has "</span>")
      const last = path.split(/\/(?![^<]*>)/).filter(Boolean).at(-1) ?? '';
      const title = langText(last.replace(/^\$(course|system|module|cat\d*)\$$/, ''), lang, false);
      const id = slugOf(raw(kid(q, 'idnumber')).trim());
      category = { ...(id ? { id } : {}), title };
      continue;
    }
    n++;
    if (n > MAX_IMPORT_QUESTIONS) fail('import_too_many_questions', 413);
    out.push(moodleQuestion(q, type, n, lang, category));
  }
  return out;
}

function moodleQuestion(q: El, type: string, line: number, lang: Lang, category: ParsedQuestion['category']): ParsedQuestion {
  const p: ParsedQuestion = { line, sourceKind: type, question: {}, problems: [], dropped: [] };
  if (category) p.category = category;
  const id = slugOf(raw(kid(q, 'idnumber')).trim());
  if (id) p.id = id;
  const question: Record<string, unknown> = { text: langText(textIn(kid(q, 'questiontext')), lang) };
  const mark = Number(raw(kid(q, 'defaultgrade')).trim() || '1');
  question.mark = Number.isFinite(mark) && mark > 0 ? mark : 1;
  const feedback = langText(textIn(kid(q, 'generalfeedback')), lang);
  if (feedback.ky || feedback.ru) question.feedback = feedback;
  const tags = kids(kid(q, 'tags') ?? q, 'tag').map((t1) => tagOf(textIn(t1))).filter((x): x is string => !!x);
  question.tags = [...new Set(tags)].slice(0, 10);
  const answers = kids(q, 'answer');
  const answerFeedback = () => {
    if (answers.some((a) => htmlText(textIn(kid(a, 'feedback'))))) p.dropped.push('answer_feedback');
  };
  switch (type) {
    case 'multichoice':
    case 'multichoiceset': {
      const single = type === 'multichoice' && /^(true|1)$/i.test(raw(kid(q, 'single')).trim());
      const best = Math.max(...answers.map(fraction));
      const choices = answers.map((a) => ({ text: langText(textIn(a), lang), correct: single ? fraction(a) === best && best > 0 : type === 'multichoiceset' ? fraction(a) > 0 || /^(true|1)$/i.test(raw(kid(a, 'correct'))) : fraction(a) > 0 }));
      if (single) {
        question.kind = 'single';
        if (best < 100 || answers.filter((a) => fraction(a) > 0).length > 1) p.dropped.push('partial_fractions');
      } else {
        question.kind = 'multiple';
        question.partialCredit = type === 'multichoice';
      }
      question.choices = choices;
      answerFeedback();
      break;
    }
    case 'truefalse': {
      const right = answers.find((a) => fraction(a) >= 100);
      const word = right ? htmlText(textIn(right)).toLowerCase() : '';
      question.kind = 'truefalse';
      if (word === 'true' || word === 'false') question.correct = word === 'true';
      else p.problems.push('import_truefalse_unreadable');
      answerFeedback();
      break;
    }
    case 'shortanswer': {
      const accepted: Record<Lang, string[]> = { ky: [], ru: [] };
      for (const a of answers) {
        if (fraction(a) < 100) continue;
        const txt = langText(textIn(a), lang, false);
        for (const l of ['ky', 'ru'] as const) if (txt[l]) accepted[l].push(txt[l]);
      }
      if (answers.some((a) => fraction(a) > 0 && fraction(a) < 100)) p.dropped.push('partial_answers');
      question.kind = 'short';
      question.answers = accepted;
      question.acceptPlainLetters = false;
      answerFeedback();
      break;
    }
    case 'numerical': {
      const right = answers.find((a) => fraction(a) >= 100);
      const value = right ? parseNumber(htmlText(textIn(right))) : null;
      const tolerance = right ? parseNumber(raw(kid(right, 'tolerance')).trim() || '0') : 0;
      question.kind = 'numeric';
      if (value === null || tolerance === null) p.problems.push('import_number_unreadable');
      else Object.assign(question, { value, tolerance: Math.abs(tolerance) });
      if (answers.length > 1) p.dropped.push('partial_answers');
      const unit = kids(kid(q, 'units') ?? q, 'unit').find((u) => Number(raw(kid(u, 'multiplier')).trim() || '1') === 1);
      const unitName = unit ? raw(kid(unit, 'unit_name')).trim() : '';
      if (unitName) question.unit = langText(unitName, lang, false);
      answerFeedback();
      break;
    }
    case 'matching': {
      const pairs: { prompt: BilingualText; answer: BilingualText }[] = [];
      const distractors: BilingualText[] = [];
      for (const s of kids(q, 'subquestion')) {
        const prompt = langText(textIn(s), lang);
        const answer = langText(textIn(kid(s, 'answer')), lang, false);
        if (prompt.ky || prompt.ru) pairs.push({ prompt, answer });
        else distractors.push(answer);
      }
      Object.assign(question, { kind: 'matching', pairs, distractors });
      break;
    }
    case 'ordering': {
      const sorted = answers.every((a) => a.getAttribute('fraction') !== null) ? [...answers].sort((a, b) => fraction(a) - fraction(b)) : answers;
      Object.assign(question, { kind: 'ordering', items: sorted.map((a) => langText(textIn(a), lang)), partialCredit: true });
      break;
    }
    case 'essay': {
      const info = langText(textIn(kid(q, 'graderinfo')), lang);
      const rubric = rubricFrom(info);
      const points = Math.max(1, Math.min(100, Math.round(question.mark as number)));
      question.kind = 'essay';
      question.rubric = rubric.length ? rubric : [{ criterion: { ky: t('ky', 'bankio.essayCriterion'), ru: t('ru', 'bankio.essayCriterion') }, points }];
      question.minWords = Math.max(0, Math.min(5000, Number(raw(kid(q, 'minwordlimit')).trim() || '0') || 0));
      if (!rubric.length && (info.ky || info.ru)) p.dropped.push('grader_info');
      break;
    }
    default:
      p.problems.push('import_kind_unsupported');
  }
  p.question = question;
  return p;
}

/** Rubric lines as the export writes them into graderinfo: "<points> | <criterion>", one a line, per language. */
function rubricFrom(info: BilingualText): { criterion: BilingualText; points: number }[] {
  const rows = (s: string) => s.split('\n').map((l) => /^\s*(\d{1,3})\s*\|\s*(.+)$/.exec(l)).filter((m): m is RegExpExecArray => !!m);
  const ky = rows(info.ky);
  const ru = rows(info.ru);
  const n = Math.max(ky.length, ru.length);
  const out = [];
  for (let i = 0; i < n; i++) out.push({ criterion: { ky: ky[i]?.[2]?.trim() ?? '', ru: ru[i]?.[2]?.trim() ?? '' }, points: Number(ky[i]?.[1] ?? ru[i]?.[1]) });
  return out;
}

const x = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const textEl = (html: string) => `<text>${x(html)}</text>`;
const num = (v: unknown) => String(v);

/** The bank as Moodle XML: a category entry before each category's questions, texts in both languages as multilang. */
export function writeMoodleXml(bank: Bank): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', '<quiz>'];
  for (const c of bank.questions.categories) {
    const qs = bank.questions.questions.filter((q) => q.category === c.id);
    out.push(`<question type="category"><category>${textEl(`$course$/top/${multilangPlain(c.title)}`)}</category><info format="html">${textEl('')}</info><idnumber>${x(c.id)}</idnumber></question>`);
    for (const q of qs) out.push(MOODLE_TYPE[q.kind] === null ? `<!-- ${x(q.id)}: a ${q.kind} question has no Moodle question type and is not exported -->` : moodleOf(q));
  }
  out.push('</quiz>', '');
  return out.join('\n');
}

/** Category titles are plain text in Moodle's path: "/" would split them. */
const multilangPlain = (b: BilingualText) => multilang({ ky: b.ky.replace(/\//g, '-'), ru: b.ru.replace(/\//g, '-') });

/**
 * Each kind's Moodle question type, or null when Moodle has none and the kind is left out of the
 * export (a questionnaire: personal qualities). Typed by the registry: a new kind fails tsc until
 * the bank formats say how they carry it.
 */
const MOODLE_TYPE: Record<QuestionKind, ((a: any) => string) | null> = {
  single: () => 'multichoice',
  multiple: (a) => (a.partialCredit ? 'multichoice' : 'multichoiceset'),
  truefalse: () => 'truefalse',
  short: () => 'shortanswer',
  numeric: () => 'numerical',
  matching: () => 'matching',
  ordering: () => 'ordering',
  essay: () => 'essay',
  questionnaire: null,
};

function moodleOf(q: BankQuestion): string {
  const a = q as any;
  const type = MOODLE_TYPE[q.kind]!(a);
  const parts = [
    `<question type="${type}">`,
    `<name>${textEl(q.id)}</name>`,
    `<questiontext format="html">${textEl(multilang(q.text))}</questiontext>`,
    `<generalfeedback format="html">${textEl(a.feedback ? multilang(a.feedback) : '')}</generalfeedback>`,
    `<defaultgrade>${num(a.mark ?? 1)}</defaultgrade>`,
    `<idnumber>${x(q.id)}</idnumber>`,
  ];
  const answer = (fraction: number, html: string, extra = '') => `<answer fraction="${fraction}" format="html">${textEl(html)}${extra}</answer>`;
  switch (q.kind) {
    case 'single':
    case 'multiple': {
      const choices = a.choices as { text: BilingualText; correct?: boolean }[];
      const right = choices.filter((c) => c.correct).length || 1;
      parts.push(`<single>${q.kind === 'single'}</single><shuffleanswers>1</shuffleanswers>`);
      for (const c of choices) parts.push(answer(c.correct ? (q.kind === 'single' ? 100 : +(100 / right).toFixed(5)) : 0, multilang(c.text)));
      break;
    }
    case 'truefalse':
      parts.push(answer(a.correct ? 100 : 0, 'true'), answer(a.correct ? 0 : 100, 'false'));
      break;
    case 'short':
      parts.push('<usecase>0</usecase>');
      for (const l of ['ky', 'ru'] as const) for (const s of a.answers[l] as string[]) parts.push(`<answer fraction="100" format="moodle_auto_format">${textEl(`<span lang="${l}" class="multilang">${x(s)}</span>`)}</answer>`);
      break;
    case 'numeric':
      parts.push(answer(100, String(a.value), `<tolerance>${num(a.tolerance ?? 0)}</tolerance>`));
      if (a.unit) parts.push(`<units><unit><multiplier>1</multiplier><unit_name>${x(multilang(a.unit))}</unit_name></unit></units>`);
      break;
    case 'matching':
      parts.push('<shuffleanswers>true</shuffleanswers>');
      for (const p of a.pairs) parts.push(`<subquestion format="html">${textEl(multilang(p.prompt))}<answer>${textEl(multilang(p.answer))}</answer></subquestion>`);
      for (const d of a.distractors ?? []) parts.push(`<subquestion format="html">${textEl('')}<answer>${textEl(multilang(d))}</answer></subquestion>`);
      break;
    case 'ordering':
      (a.items as BilingualText[]).forEach((it, i) => parts.push(answer(i + 1, multilang(it))));
      break;
    case 'essay': {
      const rubric = a.rubric as { criterion: BilingualText; points: number }[];
      const info: BilingualText = { ky: rubric.map((r) => `${r.points} | ${r.criterion.ky}`).join('\n'), ru: rubric.map((r) => `${r.points} | ${r.criterion.ru}`).join('\n') };
      parts.push(`<responseformat>editor</responseformat><minwordlimit>${num(a.minWords ?? 0)}</minwordlimit><graderinfo format="html">${textEl(multilang(info))}</graderinfo>`);
      break;
    }
  }
  if (Array.isArray(a.tags) && a.tags.length) parts.push(`<tags>${(a.tags as string[]).map((tg) => `<tag>${textEl(tg)}</tag>`).join('')}</tags>`);
  parts.push('</question>');
  return parts.join('\n');
}

// ------------------------------------------------------------------------------------------------
// GIFT
// ------------------------------------------------------------------------------------------------

const GIFT_ESC = /\\([~=#{}:\\n])/g;
const unescapeGift = (s: string) => s.replace(GIFT_ESC, (_m, c: string) => (c === 'n' ? '\n' : c)).trim();

/** Splits at characters of `set` not escaped with a backslash. */
function splitUnescaped(s: string, set: string): { sep: string; text: string }[] {
  const out: { sep: string; text: string }[] = [];
  let cur = '';
  let sep = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch === '\\' && i + 1 < s.length) {
      cur += ch + s[i + 1];
      i++;
      continue;
    }
    if (set.includes(ch)) {
      if (cur.trim() || sep) out.push({ sep, text: cur });
      cur = '';
      sep = ch;
      continue;
    }
    cur += ch;
  }
  if (cur.trim() || sep) out.push({ sep, text: cur });
  return out;
}
const indexUnescaped = (s: string, ch: string, from = 0) => {
  for (let i = from; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s[i] === ch) return i;
  }
  return -1;
};

export function readGift(text: string, lang: Lang): ParsedQuestion[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => !/^\s*\/\//.test(l));
  const blocks: string[] = [];
  let cur: string[] = [];
  for (const l of lines) {
    if (l.trim() === '') {
      if (cur.length) blocks.push(cur.join('\n'));
      cur = [];
    } else cur.push(l);
  }
  if (cur.length) blocks.push(cur.join('\n'));
  const out: ParsedQuestion[] = [];
  let category: ParsedQuestion['category'];
  for (const block of blocks) {
    const cat = /^\s*\$CATEGORY:\s*(.+)$/m.exec(block);
    if (cat && block.trim().startsWith('$CATEGORY')) {
      const last = cat[1]!.split('/').filter(Boolean).at(-1)!.replace(/^\$(course|system|module|cat\d*)\$$/, '').trim();
      category = { title: one(lang, last) };
      continue;
    }
    if (out.length >= MAX_IMPORT_QUESTIONS) fail('import_too_many_questions', 413);
    out.push(giftQuestion(block, out.length + 1, lang, category));
  }
  return out;
}

function giftQuestion(block: string, line: number, lang: Lang, category: ParsedQuestion['category']): ParsedQuestion {
  const p: ParsedQuestion = { line, sourceKind: 'gift', question: {}, problems: [], dropped: [] };
  if (category) p.category = category;
  let s = block.trim();
  const title = /^::([\s\S]*?)::/.exec(s);
  if (title) s = s.slice(title[0].length);
  s = s.replace(/^\s*\[(html|moodle|plain|markdown)\]/, '');
  const open = indexUnescaped(s, '{');
  const close = open >= 0 ? indexUnescaped(s, '}', open) : -1;
  if (open < 0 || close < 0) {
    p.problems.push('import_unreadable');
    p.question = { text: one(lang, unescapeGift(s)) };
    return p;
  }
  const before = unescapeGift(s.slice(0, open));
  const after = unescapeGift(s.slice(close + 1));
  const body = s.slice(open + 1, close).trim();
  const question: Record<string, unknown> = { text: one(lang, after ? `${before} _____ ${after}` : before), mark: 1, tags: [] };
  const withFeedback = (t1: string) => {
    const i = indexUnescaped(t1, '#');
    if (i >= 0) {
      if (t1.slice(i + 1).trim()) p.dropped.push('answer_feedback');
      return t1.slice(0, i);
    }
    return t1;
  };
  if (body === '') {
    p.sourceKind = 'essay';
    Object.assign(question, { kind: 'essay', rubric: [{ criterion: { ky: t('ky', 'bankio.essayCriterion'), ru: t('ru', 'bankio.essayCriterion') }, points: 1 }], minWords: 0 });
  } else if (/^(T|TRUE|F|FALSE)\s*(#|$)/i.test(body)) {
    p.sourceKind = 'truefalse';
    if (body.includes('#')) p.dropped.push('answer_feedback');
    Object.assign(question, { kind: 'truefalse', correct: /^T/i.test(body) });
  } else if (body.startsWith('#')) {
    p.sourceKind = 'numerical';
    const items = splitUnescaped(body.slice(1), '=');
    const first = unescapeGift(withFeedback((items.find((i) => !/^%(\d+)%/.test(i.text) || /^%100%/.test(i.text)) ?? items[0])?.text ?? '').replace(/^%\d+%/, ''));
    if (items.length > 1) p.dropped.push('partial_answers');
    const range = /^(.+?)\.\.(.+)$/.exec(first);
    const tol = /^(.+?):(.+)$/.exec(first);
    let value: number | null = null;
    let tolerance: number | null = 0;
    if (range) {
      const lo = parseNumber(range[1]!);
      const hi = parseNumber(range[2]!);
      if (lo !== null && hi !== null) {
        value = (lo + hi) / 2;
        tolerance = Math.abs(hi - lo) / 2;
      }
    } else if (tol) {
      value = parseNumber(tol[1]!);
      tolerance = parseNumber(tol[2]!);
    } else value = parseNumber(first);
    question.kind = 'numeric';
    if (value === null || tolerance === null) p.problems.push('import_number_unreadable');
    else Object.assign(question, { value, tolerance: Math.abs(tolerance) });
  } else if (/->/.test(body)) {
    p.sourceKind = 'matching';
    const pairs: { prompt: BilingualText; answer: BilingualText }[] = [];
    const distractors: BilingualText[] = [];
    for (const it of splitUnescaped(body, '=')) {
      const [pr, an] = withFeedback(it.text).split('->');
      const prompt = unescapeGift(pr ?? '');
      const answer = unescapeGift(an ?? '');
      if (prompt) pairs.push({ prompt: one(lang, prompt), answer: one(lang, answer) });
      else if (answer) distractors.push(one(lang, answer));
    }
    Object.assign(question, { kind: 'matching', pairs, distractors });
  } else {
    const items = splitUnescaped(body, '=~').filter((i) => i.sep);
    const weighted = items.some((i) => /^\s*%-?[\d.]+%/.test(i.text));
    const choices = items.map((i) => {
      const w = /^\s*%(-?[\d.]+)%/.exec(i.text);
      const textOnly = unescapeGift(withFeedback(i.text.replace(/^\s*%-?[\d.]+%/, '')));
      const weight = w ? Number(w[1]) : i.sep === '=' ? 100 : 0;
      return { text: one(lang, textOnly), weight };
    });
    if (items.every((i) => i.sep === '=')) {
      p.sourceKind = 'shortanswer';
      if (weighted && choices.some((c) => c.weight < 100)) p.dropped.push('partial_answers');
      const accepted = choices.filter((c) => c.weight >= 100).map((c) => c.text[lang]);
      Object.assign(question, { kind: 'short', answers: lang === 'ky' ? { ky: accepted, ru: [] } : { ky: [], ru: accepted }, acceptPlainLetters: false });
    } else if (!weighted && items.filter((i) => i.sep === '=').length === 1) {
      p.sourceKind = 'multichoice';
      Object.assign(question, { kind: 'single', choices: choices.map((c) => ({ text: c.text, correct: c.weight > 0 })) });
    } else {
      p.sourceKind = 'multichoice';
      Object.assign(question, { kind: 'multiple', partialCredit: true, choices: choices.map((c) => ({ text: c.text, correct: c.weight > 0 })) });
    }
  }
  p.question = question;
  return p;
}

// ------------------------------------------------------------------------------------------------
// Aiken
// ------------------------------------------------------------------------------------------------

export function readAiken(text: string, lang: Lang): ParsedQuestion[] {
  const out: ParsedQuestion[] = [];
  let stem: string[] = [];
  let options: { letter: string; text: string }[] = [];
  const flush = (answer: string | null) => {
    if (!stem.length && !options.length) return;
    if (out.length >= MAX_IMPORT_QUESTIONS) fail('import_too_many_questions', 413);
    const p: ParsedQuestion = { line: out.length + 1, sourceKind: 'aiken', question: {}, problems: [], dropped: [] };
    p.question = { kind: 'single', mark: 1, tags: [], text: one(lang, stem.join('\n').trim()), choices: options.map((o) => ({ text: one(lang, o.text), correct: o.letter === answer })) };
    if (!answer || !options.some((o) => o.letter === answer)) p.problems.push('import_answer_missing');
    out.push(p);
    stem = [];
    options = [];
  };
  for (const l of text.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    const line = l.trim();
    if (!line) continue;
    const ans = /^ANSWER\s*:\s*([A-Z])\s*$/i.exec(line);
    const opt = /^([A-Z])\s*[).]\s+(.*)$/.exec(line);
    if (ans) flush(ans[1]!.toUpperCase());
    else if (opt && stem.length) options.push({ letter: opt[1]!, text: opt[2]!.trim() });
    else if (options.length) {
      // a new stem while options are open: the previous question had no ANSWER line
      flush(null);
      stem.push(line);
    } else stem.push(line);
  }
  flush(null);
  return out;
}

// ------------------------------------------------------------------------------------------------
// The XLSX template
// ------------------------------------------------------------------------------------------------

export const XLSX_OPTIONS = 12;
export const XLSX_COLUMNS = [
  'id', 'category', 'category_ky', 'category_ru', 'kind', 'mark', 'tags', 'text_ky', 'text_ru', 'correct', 'tolerance',
  'partial_credit', 'plain_letters', 'min_words', 'feedback_ky', 'feedback_ru',
  ...Array.from({ length: XLSX_OPTIONS }, (_, i) => [`option${i + 1}_ky`, `option${i + 1}_ru`]).flat(),
] as const;
/** A pair in a matching option cell, a criterion and its points in an essay option cell. */
export const PAIR_SEPARATOR = ' => ';

const yes = (s: string) => /^(yes|true|1|ооба|да|y)$/i.test(s.trim());
const bool = (b: unknown) => (b ? 'yes' : 'no');

/** Undoes table-file's formula guard exactly (an apostrophe it added), and nothing else. */
function unguard(s: string): string {
  const back = s.replace(/^'/, '').replace(/([,;])([\s"]*)'(?=[=+\-@\uFF1D\uFF0B\uFF0D\uFF20\t\r])/g, '$1$2');
  return back !== s && neutraliseCell(back) === s ? back : s;
}

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'string') return v;
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('richText' in v && Array.isArray(v.richText)) return v.richText.map((r) => r.text).join('');
    if ('text' in v && v.text !== undefined) return typeof v.text === 'string' ? v.text : cellText(v.text as ExcelJS.CellValue);
    if ('result' in v) return cellText(v.result as ExcelJS.CellValue);
  }
  return '';
}

export async function readXlsxTemplate(bytes: Uint8Array): Promise<ParsedQuestion[]> {
  checkZip(bytes, { maxEntries: 100, maxTotalBytes: 40_000_000 });
  const wb = await newWorkbook();
  try {
    await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  } catch {
    fail('import_unreadable');
  }
  const sheet = wb.worksheets[0];
  if (!sheet) fail('import_unreadable');
  const rows: { n: number; cells: string[] }[] = [];
  sheet!.eachRow({ includeEmpty: false }, (row, n) => {
    if (rows.length > MAX_IMPORT_QUESTIONS + 1) fail('import_too_many_questions', 413);
    const cells: string[] = [];
    for (let c = 1; c <= Math.min(row.cellCount, 200); c++) cells.push(unguard(cellText(row.getCell(c).value)).trim());
    if (cells.some((v) => v)) rows.push({ n, cells });
  });
  const header = rows.shift()?.cells.map((h) => h.toLowerCase()) ?? [];
  if (!header.includes('kind') || !header.includes('text_ky') || !header.includes('text_ru')) fail('import_xlsx_columns');
  return rows.map(({ n, cells }) => {
    const get = (name: string) => cells[header.indexOf(name)] ?? '';
    return xlsxQuestion(n, get);
  });
}

function xlsxQuestion(line: number, get: (name: string) => string): ParsedQuestion {
  const kind = get('kind').toLowerCase();
  const p: ParsedQuestion = { line, sourceKind: kind, question: {}, problems: [], dropped: [] };
  const id = slugOf(get('id'));
  if (id) p.id = id;
  else if (get('id')) p.problems.push('import_id_invalid');
  const catId = get('category');
  if (catId || get('category_ky') || get('category_ru')) p.category = { ...(slugOf(catId) ? { id: catId } : {}), title: { ky: get('category_ky') || (slugOf(catId) ? '' : catId), ru: get('category_ru') } };
  const bi = (name: string): BilingualText => ({ ky: get(`${name}_ky`), ru: get(`${name}_ru`) });
  const markText = get('mark');
  const q: Record<string, unknown> = {
    kind,
    text: bi('text'),
    mark: markText === '' ? 1 : (parseNumber(markText) ?? markText),
    tags: [...new Set(get('tags').split(/[,;\n]+/).map(tagOf).filter((s): s is string => !!s))],
  };
  const feedback = bi('feedback');
  if (feedback.ky || feedback.ru) q.feedback = feedback;
  const options = Array.from({ length: XLSX_OPTIONS }, (_, i) => bi(`option${i + 1}`)).filter((o) => o.ky || o.ru);
  const numbers = get('correct').split(/[,;\s]+/).filter(Boolean).map(Number);
  switch (kind) {
    case 'single':
    case 'multiple':
      q.choices = options.map((o, i) => ({ text: o, correct: numbers.includes(i + 1) }));
      if (kind === 'multiple') q.partialCredit = yes(get('partial_credit'));
      break;
    case 'truefalse': {
      const c = get('correct').toLowerCase();
      if (/^(true|1|ооба|туура|да|верно)$/.test(c)) q.correct = true;
      else if (/^(false|0|жок|туура эмес|нет|неверно)$/.test(c)) q.correct = false;
      else p.problems.push('import_truefalse_unreadable');
      break;
    }
    case 'short': {
      const split = (s: string) => s.split('\n').map((x1) => x1.trim()).filter(Boolean);
      q.answers = { ky: options.flatMap((o) => split(o.ky)), ru: options.flatMap((o) => split(o.ru)) };
      q.acceptPlainLetters = yes(get('plain_letters'));
      break;
    }
    case 'numeric': {
      const value = parseNumber(get('correct'));
      const tolerance = get('tolerance') === '' ? 0 : parseNumber(get('tolerance'));
      if (value === null || tolerance === null) p.problems.push('import_number_unreadable');
      else Object.assign(q, { value, tolerance });
      if (options[0]) q.unit = options[0];
      break;
    }
    case 'matching': {
      const half = (s: string, i: 0 | 1) => (s.includes(PAIR_SEPARATOR.trim()) ? (s.split(PAIR_SEPARATOR.trim())[i] ?? '').trim() : i === 1 ? s : '');
      const pairs = options.filter((o) => (o.ky || o.ru).includes(PAIR_SEPARATOR.trim()));
      q.pairs = pairs.map((o) => ({ prompt: { ky: half(o.ky, 0), ru: half(o.ru, 0) }, answer: { ky: half(o.ky, 1), ru: half(o.ru, 1) } }));
      q.distractors = options.filter((o) => !(o.ky || o.ru).includes(PAIR_SEPARATOR.trim()));
      break;
    }
    case 'ordering':
      q.items = options;
      q.partialCredit = get('partial_credit') === '' ? true : yes(get('partial_credit'));
      break;
    case 'essay': {
      const sep = PAIR_SEPARATOR.trim();
      q.rubric = options.map((o) => {
        const pts = /=>\s*(\d+)\s*$/.exec(o.ky) ?? /=>\s*(\d+)\s*$/.exec(o.ru);
        const strip = (s: string) => (s.includes(sep) ? s.slice(0, s.lastIndexOf(sep)).trim() : s);
        return { criterion: { ky: strip(o.ky), ru: strip(o.ru) }, points: pts ? Number(pts[1]) : 1 };
      });
      q.minWords = get('min_words') === '' ? 0 : Number(get('min_words'));
      break;
    }
    default:
      p.problems.push('import_kind_unsupported');
  }
  p.question = q;
  return p;
}

/** One row of the template per question (the first row of a category carries its titles). */
function xlsxRow(q: BankQuestion, bank: Bank): Record<string, string | number> {
  const a = q as any;
  const cat = bank.questions.categories.find((c) => c.id === q.category);
  const row: Record<string, string | number> = { id: q.id, category: q.category, category_ky: cat?.title.ky ?? '', category_ru: cat?.title.ru ?? '', kind: q.kind, mark: a.mark ?? 1, tags: (a.tags ?? []).join(', '), text_ky: q.text.ky, text_ru: q.text.ru };
  if (a.feedback) Object.assign(row, { feedback_ky: a.feedback.ky, feedback_ru: a.feedback.ru });
  const opts = (list: BilingualText[]) => list.forEach((o, i) => Object.assign(row, { [`option${i + 1}_ky`]: o.ky, [`option${i + 1}_ru`]: o.ru }));
  switch (q.kind) {
    case 'single':
    case 'multiple':
      opts(a.choices.map((c: any) => c.text));
      row.correct = a.choices.map((c: any, i: number) => (c.correct ? i + 1 : 0)).filter(Boolean).join(',');
      if (q.kind === 'multiple') row.partial_credit = bool(a.partialCredit);
      break;
    case 'truefalse':
      row.correct = a.correct ? 'true' : 'false';
      break;
    case 'short': {
      const fit = (list: string[]) => (list.length <= XLSX_OPTIONS ? list : [...list.slice(0, XLSX_OPTIONS - 1), list.slice(XLSX_OPTIONS - 1).join('\n')]);
      const ky = fit(a.answers.ky);
      const ru = fit(a.answers.ru);
      opts(Array.from({ length: Math.max(ky.length, ru.length) }, (_, i) => ({ ky: ky[i] ?? '', ru: ru[i] ?? '' })));
      row.plain_letters = bool(a.acceptPlainLetters);
      break;
    }
    case 'numeric':
      row.correct = a.value;
      row.tolerance = a.tolerance ?? 0;
      if (a.unit) opts([a.unit]);
      break;
    case 'matching':
      opts([...a.pairs.map((p: any) => ({ ky: `${p.prompt.ky}${PAIR_SEPARATOR}${p.answer.ky}`, ru: `${p.prompt.ru}${PAIR_SEPARATOR}${p.answer.ru}` })), ...(a.distractors ?? [])]);
      break;
    case 'ordering':
      opts(a.items);
      row.partial_credit = bool(a.partialCredit);
      break;
    case 'essay':
      opts(a.rubric.map((r: any) => ({ ky: `${r.criterion.ky}${PAIR_SEPARATOR}${r.points}`, ru: `${r.criterion.ru}${PAIR_SEPARATOR}${r.points}` })));
      row.min_words = a.minWords ?? 0;
      break;
  }
  return row;
}

const NUMBER_COLUMNS = new Set(['mark', 'min_words']);

/**
 * The kinds the template's columns can carry. A questionnaire (scale, qualities, statements) does not
 * fit the option columns: it is left out (the help sheet says so) and written in the browser or in
 * questions.json. Typed by the registry: a new kind fails tsc until it is decided here.
 */
const IN_XLSX_TEMPLATE: Record<QuestionKind, boolean> = { single: true, multiple: true, truefalse: true, short: true, numeric: true, matching: true, ordering: true, essay: true, questionnaire: false };

/** The bank as the XLSX template (an empty bank gives the empty template), with a sheet explaining each kind. */
export async function writeXlsxTemplate(bank: Bank): Promise<Uint8Array<ArrayBuffer>> {
  const wb = await newWorkbook();
  wb.creator = 'Bilim';
  const rows = bank.questions.questions.filter((q) => IN_XLSX_TEMPLATE[q.kind]).map((q) => xlsxRow(q, bank));
  addSheet(wb, { sheet: 'questions', columns: XLSX_COLUMNS.map((c) => ({ header: c, type: NUMBER_COLUMNS.has(c) ? 'number' : 'text', value: (r: Record<string, string | number>) => (r[c] === undefined ? null : typeof r[c] === 'number' && !NUMBER_COLUMNS.has(c) ? String(r[c]) : r[c]) })), rows });
  addSheet(wb, {
    sheet: 'help',
    columns: [
      { header: 'kind', value: (k: string) => k },
      { header: 'ky', value: (k: string) => t('ky', `bankio.help.${k}`) },
      { header: 'ru', value: (k: string) => t('ru', `bankio.help.${k}`) },
    ],
    rows: [...QUESTION_KINDS],
  });
  return workbookBytes(wb);
}

// ------------------------------------------------------------------------------------------------
// Reading any format
// ------------------------------------------------------------------------------------------------

function utf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    return fail('file_encoding_unknown');
  }
}

/** Reads a file of the given format; refuses empty, too large and unreadable files with a code on `file`. */
export async function readBankFile(format: ImportFormat, lang: Lang, bytes: Uint8Array): Promise<ParsedQuestion[]> {
  if (bytes.length === 0) fail('file_empty', 400);
  if (bytes.length > MAX_IMPORT_BYTES) fail('file_too_large', 413);
  let parsed: ParsedQuestion[];
  if (format === 'xlsx') parsed = await readXlsxTemplate(bytes);
  else {
    const text = utf8(bytes);
    parsed = format === 'moodle' ? readMoodleXml(text, lang) : format === 'gift' ? readGift(text, lang) : readAiken(text, lang);
  }
  if (parsed.length === 0) fail('import_no_questions');
  if (parsed.length > MAX_IMPORT_QUESTIONS) fail('import_too_many_questions', 413);
  return parsed;
}

export { other as otherLang };
