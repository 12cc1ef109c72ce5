/**
 * Helpers of the question kinds' own tests (server/modules/quiz/types/<kind>/<kind>.test.ts): build a
 * kind's stored options from what an author writes, grade a response, answer a plain form.
 */
import { opaqueId } from '@server/modules/quiz/package';
import { questionType, type QuestionKind } from '@server/modules/quiz/types';

/** The same text in both languages (or two). */
export const T = (ky: string, ru = ky) => ({ ky, ru });

/** The stored options of a question as written in questions.json (the authored schema must accept it). */
export function build(kind: QuestionKind, authored: unknown): any {
  const type = questionType(kind);
  return type.build(type.authored.parse(authored), (key) => opaqueId('c', 'q', key));
}

/** The fraction a response earns, or undefined when a trainer grades it. */
export const grade = (kind: QuestionKind, options: unknown, response: unknown) => questionType(kind).grade(options, response)?.fraction;

/** A plain form POST of one question's fields: `read('')` the field itself, `read('.x')` a sub-field. */
export const formOf = (values: Record<string, string[]>) => (suffix: string) => values[suffix] ?? [];

/** What the kind reads from its author form, and whether its authored schema accepts that. */
export function authorForm(kind: QuestionKind, f: Record<string, any>) {
  const type = questionType(kind);
  const read = type.fromAuthorForm(f);
  return { read, ok: type.authored.safeParse(read).success };
}
