import { z } from 'zod';

/** Every text of a question exists in Kyrgyz and in Russian. */
export const Bilingual = z.strictObject({ ky: z.string().trim().min(1).max(4000), ru: z.string().trim().min(1).max(4000) });
export type Bilingual = z.infer<typeof Bilingual>;

/** An id of a choice, a prompt or an item: opaque to the learner (see quiz/package.ts). */
export const ChoiceId = z.string().min(1).max(40);

/** One entry of an answer as counted in item analysis: a stable key and what it says. */
export type SummaryEntry = { key: string; label: Bilingual };

/** Reads the values a plain HTML form sent for this question: `get('')` the field itself, `get('.x')` a sub-field. */
export type FormReader = (suffix: string) => string[];

/**
 * One question type (the shape of Moodle's question/type/*): how it is written in a course package,
 * how it is stored, what the learner may see, how a response looks and how it is graded.
 */
export interface QuestionType<Authored = any, Options = any, Response = any, Public = any> {
  kind: string;
  /** the question as written in questions.json */
  authored: z.ZodType<Authored>;
  /** the question as stored, keys included */
  options: z.ZodType<Options>;
  /** what the learner sends */
  response: z.ZodType<Response>;
  /** turns the authored form into stored options; `id(key)` gives an opaque, stable id */
  build(authored: Authored, id: (key: string) => string): Options;
  /** ids whose order is shuffled per attempt (choices, answers, items), or null */
  shuffleable(options: Options): string[] | null;
  /** the options without any key, in the attempt's order: safe to send to the browser */
  forBrowser(options: Options, order: string[] | null): Public;
  /** the response refers only to things that exist in this question */
  fits(options: Options, response: Response): boolean;
  /** fraction 0..1 of the question's mark, or null when a trainer must grade it */
  grade(options: Options, response: Response): { fraction: number } | null;
  /** a response with full marks, shown when review is allowed (null for essays) */
  correctResponse(options: Options): Response | null;
  /** the response as countable entries for reports (option distribution) */
  summary(options: Options, response: Response): SummaryEntry[];
  /** the response from a plain form POST, or null when nothing was given */
  fromForm(options: Options, read: FormReader): Response | null;
  /**
   * the kind's own fields of questions.json from its author form (AuthorFields.astro), the form
   * unflattened (`f.choices[0].text.ky`); empty rows are dropped, unreadable numbers are NaN
   * (helpers: ./author-form.ts). The `authored` schema judges the result.
   */
  fromAuthorForm(f: Record<string, any>): Record<string, unknown>;
  /** graded by a trainer (essay): the grading queue takes only these */
  manual?: boolean;
  /** shown shuffled whatever the quiz says (ordering: the right order is the key) */
  alwaysShuffled?: boolean;
  /** no right answer (questionnaire): the item carries no mark, so it never counts toward the score, the pass or item analysis */
  ungraded?: boolean;
}

/** Orders items by a list of ids; ids not in the list keep their place at the end. */
export function arrange<T extends { id: string }>(items: T[], order: string[] | null): T[] {
  if (!order) return items;
  const byId = new Map(items.map((i) => [i.id, i]));
  const out = order.map((id) => byId.get(id)).filter((x): x is T => !!x);
  for (const i of items) if (!order.includes(i.id)) out.push(i);
  return out;
}

/** Answer choices as written: a text, optionally an author's key that keeps its id stable across edits. */
export const AuthoredChoice = z.strictObject({ key: z.string().regex(/^[a-z0-9-]{1,20}$/).optional(), text: Bilingual, correct: z.boolean().optional() });
export const StoredChoice = z.strictObject({ id: ChoiceId, text: Bilingual, correct: z.boolean() });

/** Reads "1 234,5" or "1234.5" as a number. */
export function parseNumber(text: string): number | null {
  const s = text.replace(/[\s\u00a0]/g, '').replace(',', '.');
  if (!/^[-+]?\d+(\.\d+)?$/.test(s)) return null;
  return Number(s);
}
