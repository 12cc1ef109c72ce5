/**
 * The learner controls of the question kinds, one per kind of the registry (QUESTION_TYPES): a kind
 * without its control fails `tsc` here. Loaded by the attempt form island (site/components/AttemptForm.tsx),
 * so only Solid controls belong here — the author forms are in ./author-fields.ts.
 */
import type { QuestionKind } from '@server/modules/quiz/types';
import type { KindControl } from './types';
import essay from './essay/Control';
import matching from './matching/Control';
import multiple from './multiple/Control';
import numeric from './numeric/Control';
import ordering from './ordering/Control';
import questionnaire from './questionnaire/Control';
import short from './short/Control';
import single from './single/Control';
import truefalse from './truefalse/Control';

export const KIND_CONTROLS: Record<QuestionKind, KindControl> = { single, multiple, truefalse, short, numeric, matching, ordering, essay, questionnaire };
