/**
 * The author forms of the question kinds, one per kind of the registry (QUESTION_TYPES): a kind
 * without its form fails `tsc` here. Rendered by site/components/bank/QuestionFields.astro (server
 * only); the kind reads the form back with its `fromAuthorForm` (server/modules/quiz/types/<kind>).
 */
import type { QuestionKind } from '@server/modules/quiz/types';
import essay from './essay/AuthorFields.astro';
import matching from './matching/AuthorFields.astro';
import multiple from './multiple/AuthorFields.astro';
import numeric from './numeric/AuthorFields.astro';
import ordering from './ordering/AuthorFields.astro';
import questionnaire from './questionnaire/AuthorFields.astro';
import short from './short/AuthorFields.astro';
import single from './single/AuthorFields.astro';
import truefalse from './truefalse/AuthorFields.astro';

/** What every kind's AuthorFields.astro takes (see ./fields.ts for the helpers they share). */
export type AuthorFieldsProps = {
  tr: import('@server/lib/i18n').Translator;
  /** the question as written so far (questions.json shape, or what the form sent back) */
  value: Record<string, any>;
  /** messages by field path (`choices.0.text`) */
  errors: Map<string, string>;
};

/** an Astro component, as `tsc` sees a .astro file (site/env.d.ts) */
type AstroComponent = (props: AuthorFieldsProps) => unknown;
export const AUTHOR_FIELDS: Record<QuestionKind, AstroComponent> = { single, multiple, truefalse, short, numeric, matching, ordering, essay, questionnaire };
