/**
 * Reading an author's plain question form (site/components/question-kinds/<kind>/AuthorFields.astro):
 * field names are the JSON paths of questions.json (`choices.0.text.ky`), unflattened by
 * authoring/questions.ts `questionFromForm`, which reads the common fields and asks the kind
 * (`QuestionType.fromAuthorForm`) for its own.
 */
import { parseNumber } from './common';

export type BilingualText = { ky: string; ru: string };

/** Both languages of a bilingual field, trimmed. */
export const text2 = (v: any): BilingualText => ({ ky: String(v?.ky ?? '').trim(), ru: String(v?.ru ?? '').trim() });
/** Some text in at least one language. */
export const hasText = (b: BilingualText) => !!(b.ky || b.ru);
/** The rows of a repeated field set (gaps of unsent rows removed). */
export const rows = (v: any): any[] => (Array.isArray(v) ? v.filter((x) => x !== undefined) : []);
/** A typed number ("1,5", "1 000"), NaN when empty or unreadable (questionFromForm turns NaN back into the text so the schema names the field). */
export const num = (v: unknown): number => {
  const s = String(v ?? '').trim();
  if (!s) return Number.NaN;
  return parseNumber(s) ?? Number.NaN;
};
/** A check box or a "true" radio. */
export const checked = (v: unknown) => v === 'on' || v === 'true' || v === '1';
/** The non-empty lines of a text area. */
export const lines = (v: unknown) => String(v ?? '').split(/\r?\n/).map((s) => s.trim()).filter(Boolean);
/** An author's stable key of a row (hidden field), kept only when well formed. */
export const keyOf = (v: unknown): { key?: string } => (v && /^[a-z0-9-]{1,20}$/.test(String(v)) ? { key: String(v) } : {});
