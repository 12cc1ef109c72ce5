/**
 * Question-bank editing inside a course draft: categories, questions of every type in the registry
 * (server/modules/quiz/types/) and quizzes, kept in the draft exactly as a package's questions.json
 * and quizzes.json (courses/README.md). Validation reuses the registry: the common fields and the
 * quiz settings with the package schemas, the kind's fields with the type's own `authored` schema,
 * and the result is built with the type's `build` and checked against its stored `options` schema.
 *
 * A draft may hold a text in one language only (a trainer writes Kyrgyz first): for validation the
 * missing side is filled from the other, the text is saved as written, and the missing translation
 * is listed (`missingTranslations`) so the editor marks it and the reviewer sees it. A text missing
 * in both languages is refused.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { AppError, invalidInput } from '@server/lib/errors';
import { checked, hasText, num, rows, text2 } from '../quiz/types/author-form';
import { COMMON_KEYS, opaqueId, QuestionCommon, QuizEntry } from '../quiz/package';
import { QUESTION_KINDS, questionType, type QuestionKind } from '../quiz/types';

export type BilingualText = { ky: string; ru: string };
export type BankCategory = { id: string; title: BilingualText };
export type BankQuestion = { id: string; category: string; kind: QuestionKind; text: BilingualText; [k: string]: unknown };
export type QuestionsJson = { categories: BankCategory[]; questions: BankQuestion[] };
export type QuizJson = { id: string; kind: 'module' | 'final'; title: BilingualText; draw: { category: string; count: number }[]; [k: string]: unknown };
export type QuizzesJson = { quizzes: QuizJson[] };
export type Bank = { questions: QuestionsJson; quizzes: QuizzesJson };

/** Ids the page addresses use for "a new one". */
export const RESERVED_IDS = new Set(['new', 'categories']);

const slug = z.string().trim().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/).max(80);

const isBilingual = (v: unknown): v is Record<'ky' | 'ru', unknown> =>
  !!v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 2 && 'ky' in v && 'ru' in v;
const blank = (v: unknown) => (typeof v === 'string' ? v.trim() === '' : Array.isArray(v) ? v.length === 0 : false);

/** A copy where every bilingual pair with one side empty takes the other side, for the structural check. */
export function fillMissing<T>(value: T): T {
  if (Array.isArray(value)) return value.map(fillMissing) as T;
  if (!value || typeof value !== 'object') return value;
  if (isBilingual(value)) {
    if (blank(value.ky) && !blank(value.ru)) return { ky: value.ru, ru: value.ru } as T;
    if (blank(value.ru) && !blank(value.ky)) return { ky: value.ky, ru: value.ky } as T;
    return value;
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillMissing(v)])) as T;
}

/** Paths (`text.ru`, `choices.1.text.ky`) of the translations missing in a question, category or quiz. */
export function missingTranslations(value: unknown, path: string[] = []): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => missingTranslations(v, [...path, String(i)]));
  if (!value || typeof value !== 'object') return [];
  if (isBilingual(value)) {
    const out: string[] = [];
    if (blank(value.ky) && !blank(value.ru)) out.push([...path, 'ky'].join('.'));
    if (blank(value.ru) && !blank(value.ky)) out.push([...path, 'ru'].join('.'));
    return out;
  }
  return Object.entries(value).flatMap(([k, v]) => missingTranslations(v, [...path, k]));
}

function invalid(error: z.ZodError, prefix = ''): never {
  throw invalidInput(error.issues, prefix);
}

/** Trims every string, so "  " counts as empty and the saved text has no stray spaces. */
function trimAll<T>(value: T): T {
  if (typeof value === 'string') return value.trim() as T;
  if (Array.isArray(value)) return value.map(trimAll) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, trimAll(v)])) as T;
  return value;
}

/**
 * Checks one question against the registry and the bank's categories and returns it as it is kept in
 * questions.json (defaults written out, translations as given). Throws `invalid_input` with the field.
 */
export function checkQuestion(raw: unknown, categories: BankCategory[], courseSlug = 'draft'): BankQuestion {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new AppError('invalid_input', 400);
  const given = trimAll(raw as Record<string, unknown>);
  const filled = fillMissing(given);
  const common = QuestionCommon.safeParse(Object.fromEntries(Object.entries(filled).filter(([k]) => COMMON_KEYS.includes(k))));
  // the kind's own fields are checked even when a common one failed, so a form shows every problem at once
  const kind = typeof filled.kind === 'string' && (QUESTION_KINDS as string[]).includes(filled.kind) ? (filled.kind as QuestionKind) : null;
  const specificFilled = Object.fromEntries(Object.entries(filled).filter(([k]) => !COMMON_KEYS.includes(k)));
  const specific = kind ? questionType(kind).authored.safeParse(specificFilled) : null;
  if (!common.success || !specific?.success) invalid(new z.ZodError([...(common.error?.issues ?? []), ...(specific?.error?.issues ?? [])]));
  const c = common.data;
  if (RESERVED_IDS.has(c.id)) throw new AppError('question_id_reserved', 400, 'id');
  if (!categories.some((x) => x.id === c.category)) throw new AppError('unknown_category', 400, 'category');
  const type = questionType(c.kind);
  // The stored form the quiz module will build at import must satisfy the type's options schema.
  const built = type.build(specific.data, (key) => opaqueId(courseSlug, c.id, key));
  const options = type.options.safeParse(built);
  if (!options.success) invalid(options.error);
  // Keep what was written (with its empty translations), plus the defaults the schemas filled in.
  const specificGiven = Object.fromEntries(Object.entries(given).filter(([k]) => !COMMON_KEYS.includes(k)));
  const specificOut = { ...(specific.data as Record<string, unknown>), ...specificGiven };
  const out: BankQuestion = { id: c.id, category: c.category, kind: c.kind, tags: c.tags, mark: c.mark, text: given.text as BilingualText };
  if (given.feedback) out.feedback = given.feedback;
  return { ...out, ...specificOut } as BankQuestion;
}

const CategoryInput = z.strictObject({ id: slug, title: z.strictObject({ ky: z.string().trim().max(4000), ru: z.string().trim().max(4000) }) });

export function checkCategory(raw: unknown): BankCategory {
  const parsed = CategoryInput.safeParse(raw);
  if (!parsed.success) invalid(parsed.error);
  if (!parsed.data.title.ky && !parsed.data.title.ru) throw new AppError('invalid_input', 400, 'title.ky');
  if (RESERVED_IDS.has(parsed.data.id)) throw new AppError('question_id_reserved', 400, 'id');
  return parsed.data;
}

/** Checks one quiz against the package schema and the bank: categories drawn exist and hold enough questions. */
export function checkQuiz(raw: unknown, bank: Bank, moduleCount: number | null): QuizJson {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new AppError('invalid_input', 400);
  const given = trimAll(raw as Record<string, unknown>);
  const parsed = QuizEntry.safeParse(fillMissing(given));
  if (!parsed.success) invalid(parsed.error);
  const q = parsed.data;
  if (RESERVED_IDS.has(q.id)) throw new AppError('question_id_reserved', 400, 'id');
  if (q.modulePosition !== null && moduleCount !== null && q.modulePosition > moduleCount) throw new AppError('quiz_module_position', 400, 'modulePosition');
  if (q.opensAt && q.closesAt && Date.parse(q.opensAt) >= Date.parse(q.closesAt)) throw new AppError('quiz_closes_before_opens', 400, 'closesAt');
  const drawn = new Set<string>();
  q.draw.forEach((rule, j) => {
    if (!bank.questions.categories.some((c) => c.id === rule.category)) throw new AppError('unknown_category', 400, `draw.${j}.category`);
    if (drawn.has(rule.category)) throw new AppError('quiz_category_twice', 400, `draw.${j}.category`);
    drawn.add(rule.category);
    const available = bank.questions.questions.filter((x) => x.category === rule.category).length;
    if (rule.count > available) throw new AppError('quiz_draw_too_large', 400, `draw.${j}.count`);
  });
  const out = { ...q, title: given.title, ...(given.intro ? { intro: given.intro } : {}) } as QuizJson;
  if (!given.intro) delete out.intro;
  return out;
}

/** Problems that would stop the bank being imported as it stands (shown to trainer and reviewer). */
export type BankProblem = { code: string; target: string };
export function bankProblems(bank: Bank, moduleCount: number | null): BankProblem[] {
  const problems: BankProblem[] = [];
  const { categories, questions } = bank.questions;
  const quizzes = bank.quizzes.quizzes;
  if (questions.length === 0 && quizzes.length === 0) return problems;
  if (questions.length === 0) problems.push({ code: 'bank_no_questions', target: '' });
  if (quizzes.length === 0) problems.push({ code: 'bank_no_quizzes', target: '' });
  if (quizzes.filter((q) => q.kind === 'final').length > 1) problems.push({ code: 'bank_two_finals', target: '' });
  for (const c of categories) if (missingTranslations(c.title).length) problems.push({ code: 'bank_translation_missing', target: `category:${c.id}` });
  for (const q of questions) {
    if (missingTranslations(q).length) problems.push({ code: 'bank_translation_missing', target: `question:${q.id}` });
    if (!categories.some((c) => c.id === q.category)) problems.push({ code: 'unknown_category', target: `question:${q.id}` });
  }
  for (const z1 of quizzes) {
    if (missingTranslations(z1).length) problems.push({ code: 'bank_translation_missing', target: `quiz:${z1.id}` });
    try {
      checkQuiz(z1, bank, moduleCount);
    } catch (e) {
      if (e instanceof AppError) problems.push({ code: e.code, target: `quiz:${z1.id}` });
      else throw e;
    }
  }
  return problems;
}

export const emptyBank = (): Bank => ({ questions: { categories: [], questions: [] }, quizzes: { quizzes: [] } });

// ---- edits: each returns a new bank, the draft's other content untouched ----

const ID_ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';
/**
 * A new entry's id, when the caller gives none (the pages never ask a person for one): the kind and six
 * random characters, never one the bank holds. Random rather than counted, so the id of a deleted
 * question is never given to another — attempts and item analysis follow ids across versions.
 */
export function newId(prefix: 'c' | 'q' | 'quiz', taken: { id: string }[]): string {
  for (;;) {
    const id = `${prefix}-${[...randomBytes(6)].map((b) => ID_ALPHABET[b % ID_ALPHABET.length]).join('')}`;
    if (!taken.some((x) => x.id === id)) return id;
  }
}

/** The raw entry with a generated id when it has none (an id given, as packages and API clients do, is kept and checked). */
function withId(raw: unknown, prefix: 'c' | 'q' | 'quiz', taken: { id: string }[]): unknown {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return raw;
  const id = (raw as { id?: unknown }).id;
  return id === undefined || id === null || (typeof id === 'string' && id.trim() === '') ? { ...raw, id: newId(prefix, taken) } : raw;
}

export function addCategory(bank: Bank, raw: unknown): Bank {
  const c = checkCategory(withId(raw, 'c', bank.questions.categories));
  if (bank.questions.categories.some((x) => x.id === c.id)) throw new AppError('category_id_taken', 409, 'id');
  return { ...bank, questions: { ...bank.questions, categories: [...bank.questions.categories, c] } };
}

export function updateCategory(bank: Bank, id: string, raw: unknown): Bank {
  const c = checkCategory({ ...(raw as object), id });
  if (!bank.questions.categories.some((x) => x.id === id)) throw new AppError('category_not_found', 404);
  return { ...bank, questions: { ...bank.questions, categories: bank.questions.categories.map((x) => (x.id === id ? c : x)) } };
}

export function deleteCategory(bank: Bank, id: string): Bank {
  if (!bank.questions.categories.some((x) => x.id === id)) throw new AppError('category_not_found', 404);
  if (bank.questions.questions.some((q) => q.category === id) || bank.quizzes.quizzes.some((q) => q.draw.some((d) => d.category === id)))
    throw new AppError('category_in_use', 409);
  return { ...bank, questions: { ...bank.questions, categories: bank.questions.categories.filter((x) => x.id !== id) } };
}

export function addQuestion(bank: Bank, raw: unknown, courseSlug?: string): Bank {
  const q = checkQuestion(withId(raw, 'q', bank.questions.questions), bank.questions.categories, courseSlug);
  if (bank.questions.questions.some((x) => x.id === q.id)) throw new AppError('question_id_taken', 409, 'id');
  return { ...bank, questions: { ...bank.questions, questions: [...bank.questions.questions, q] } };
}

/** Replaces a question; its id may not change (attempts and item analysis follow the id). */
export function updateQuestion(bank: Bank, id: string, raw: unknown, courseSlug?: string): Bank {
  if (!bank.questions.questions.some((x) => x.id === id)) throw new AppError('question_not_found', 404);
  const q = checkQuestion({ ...(raw as object), id }, bank.questions.categories, courseSlug);
  return { ...bank, questions: { ...bank.questions, questions: bank.questions.questions.map((x) => (x.id === id ? q : x)) } };
}

export function deleteQuestion(bank: Bank, id: string): Bank {
  if (!bank.questions.questions.some((x) => x.id === id)) throw new AppError('question_not_found', 404);
  return { ...bank, questions: { ...bank.questions, questions: bank.questions.questions.filter((x) => x.id !== id) } };
}

export function addQuiz(bank: Bank, raw: unknown, moduleCount: number | null): Bank {
  const q = checkQuiz(withId(raw, 'quiz', bank.quizzes.quizzes), bank, moduleCount);
  if (bank.quizzes.quizzes.some((x) => x.id === q.id)) throw new AppError('quiz_id_taken', 409, 'id');
  if (q.kind === 'final' && bank.quizzes.quizzes.some((x) => x.kind === 'final')) throw new AppError('quiz_second_final', 409, 'kind');
  return { ...bank, quizzes: { quizzes: [...bank.quizzes.quizzes, q] } };
}

export function updateQuiz(bank: Bank, id: string, raw: unknown, moduleCount: number | null): Bank {
  if (!bank.quizzes.quizzes.some((x) => x.id === id)) throw new AppError('quiz_not_found', 404);
  const q = checkQuiz({ ...(raw as object), id }, bank, moduleCount);
  if (q.kind === 'final' && bank.quizzes.quizzes.some((x) => x.kind === 'final' && x.id !== id)) throw new AppError('quiz_second_final', 409, 'kind');
  return { ...bank, quizzes: { quizzes: bank.quizzes.quizzes.map((x) => (x.id === id ? q : x)) } };
}

export function deleteQuiz(bank: Bank, id: string): Bank {
  if (!bank.quizzes.quizzes.some((x) => x.id === id)) throw new AppError('quiz_not_found', 404);
  return { ...bank, quizzes: { quizzes: bank.quizzes.quizzes.filter((x) => x.id !== id) } };
}

// ---- plain HTML forms: field names are the JSON paths (`choices.0.text.ky`) ----

/** Builds nested objects and arrays from dotted form names; numeric segments make arrays. */
export function unflatten(entries: Iterable<[string, string]>): Record<string, any> {
  const root: Record<string, any> = {};
  for (const [name, value] of entries) {
    const parts = name.split('.');
    if (parts.some((p) => p === '__proto__' || p === 'constructor' || p === 'prototype' || p === '')) continue;
    let node: any = root;
    parts.forEach((p, i) => {
      const last = i === parts.length - 1;
      if (last) {
        node[p] = value;
        return;
      }
      node[p] ??= /^\d+$/.test(parts[i + 1]!) ? [] : {};
      node = node[p];
    });
  }
  return root;
}

const optNum = (v: unknown): number | null => (String(v ?? '').trim() === '' ? null : num(v));

const LATIN: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'e', ж: 'zh', з: 'z', и: 'i', й: 'i', к: 'k', л: 'l', м: 'm', н: 'n', ң: 'ng',
  о: 'o', ө: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ү: 'u', ф: 'f', х: 'h', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'sch', ъ: '', ы: 'y',
  ь: '', э: 'e', ю: 'yu', я: 'ya',
};
/**
 * A tag as a person types it ("Этика", "topic:ethics", "Competency: public law") in the form a
 * package keeps (`topic:etika`, `competency:public-law`): an optional field never blocks a save.
 */
export function tagOf(typed: string): string | null {
  const m = /^\s*(topic|competency)\s*:\s*(.*)$/i.exec(typed);
  const words = (m ? m[2]! : typed).toLowerCase();
  const slug = [...words].map((ch) => LATIN[ch] ?? ch).join('').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60);
  return slug ? `${m ? m[1]!.toLowerCase() : 'topic'}:${slug}` : null;
}

/** A question from its plain form: the common fields here, the kind's own from its type (`fromAuthorForm`; empty rows ignored). */
export function questionFromForm(form: Iterable<[string, string]>): Record<string, unknown> {
  const f = unflatten(form);
  const kind = String(f.kind ?? '') as QuestionKind;
  const q: Record<string, unknown> = {
    id: String(f.id ?? '').trim(),
    category: String(f.category ?? '').trim(),
    kind,
    mark: String(f.mark ?? '').trim() === '' ? 1 : num(f.mark),
    tags: [...new Set(String(f.tags ?? '').split(/[,;\n]+/).map(tagOf).filter((x): x is string => x !== null))],
    text: text2(f.text),
  };
  const feedback = text2(f.feedback);
  if (hasText(feedback)) q.feedback = feedback;
  // the kind's own fields: its author form is its own (quiz/types/<kind>, site/components/question-kinds/<kind>)
  if ((QUESTION_KINDS as string[]).includes(kind)) Object.assign(q, questionType(kind).fromAuthorForm(f));
  // JSON has no NaN: an unreadable number becomes a string so the schema names the field.
  for (const [k, v] of Object.entries(q)) if (typeof v === 'number' && Number.isNaN(v)) q[k] = String((f as any)[k] ?? '');
  return q;
}

/** A quiz from its plain form. */
export function quizFromForm(form: Iterable<[string, string]>): Record<string, unknown> {
  const f = unflatten(form);
  const kind = String(f.kind ?? '');
  const intro = text2(f.intro);
  const when = (v: unknown) => {
    const s = String(v ?? '').trim();
    if (!s) return null;
    // A datetime-local field gives "2026-12-01T09:00": Bishkek time (UTC+6, no daylight saving).
    return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(s) ? `${s}:00+06:00` : s;
  };
  const n = (v: unknown) => {
    const x = optNum(v);
    return x !== null && Number.isNaN(x) ? String(v) : x;
  };
  return {
    id: String(f.id ?? '').trim(),
    kind,
    modulePosition: kind === 'final' ? null : n(f.modulePosition),
    title: text2(f.title),
    ...(hasText(intro) ? { intro } : {}),
    draw: rows(f.draw)
      .filter((d: any) => String(d.category ?? '').trim() && String(d.count ?? '').trim())
      .map((d: any) => ({ category: String(d.category).trim(), count: n(d.count) })),
    timeLimitMinutes: n(f.timeLimitMinutes),
    attempts: n(f.attempts),
    grading: String(f.grading ?? 'highest'),
    passPercent: n(f.passPercent),
    shuffleQuestions: checked(f.shuffleQuestions),
    shuffleOptions: checked(f.shuffleOptions),
    opensAt: when(f.opensAt),
    closesAt: when(f.closesAt),
    review: String(f.review ?? 'after_last_attempt'),
  };
}

export { QUESTION_KINDS };
