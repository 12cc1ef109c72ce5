import type { QuestionType } from './common';
import { essay } from './essay';
import { matching } from './matching';
import { multiple } from './multiple';
import { numeric } from './numeric';
import { ordering } from './ordering';
import { questionnaire } from './questionnaire';
import { short } from './short';
import { single } from './single';
import { truefalse } from './truefalse';

/** The question type registry: one file per kind in this folder. */
export const QUESTION_TYPES = { single, multiple, truefalse, short, numeric, matching, ordering, essay, questionnaire } as const satisfies Record<string, QuestionType>;
export type QuestionKind = keyof typeof QUESTION_TYPES;
export const QUESTION_KINDS = Object.keys(QUESTION_TYPES) as QuestionKind[];

export function questionType(kind: string): QuestionType {
  const t = (QUESTION_TYPES as Record<string, QuestionType>)[kind];
  if (!t) throw new Error(`unknown question kind ${kind}`);
  return t;
}
export type { QuestionType } from './common';
