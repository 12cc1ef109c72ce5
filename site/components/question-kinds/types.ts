/**
 * What a question kind's learner control (site/components/question-kinds/<kind>/Control.tsx) gets
 * from the attempt form (site/components/AttemptForm.tsx), and what it gives back.
 */
import type { JSX } from 'solid-js';
import type { QuestionKind } from '@server/modules/quiz/types';

export type Text = { ky: string; ru: string };
export type Choice = { id: string; text: Text };

/** One question of an attempt as the form shows it: `options` is the kind's browser view (forBrowser). */
export type FormQuestion = {
  id: number;
  position: number;
  kind: QuestionKind;
  text: Text;
  markLabel: string;
  options: any;
  response: any;
  seq: number;
};

export type ControlProps = {
  q: FormQuestion;
  /** the form field name of the question (`q<id>`); sub-fields are `q<id>.<sub id>` (read by the kind's fromForm) */
  name: string;
  /** the answer now (a signal), in the kind's response shape, or null */
  response: () => any;
  /** gives an answer (null: none): saved at once */
  answer: (value: unknown) => void;
  /** gives an answer while typing: saved after a short pause */
  answerLater: (value: unknown) => void;
  /** marks the answer as not readable (a number that is not one); nothing is saved */
  invalid: () => void;
  /** a UI string by key (the page passes the labels) */
  L: (key: string) => string;
  /** a bilingual text in the page's language */
  tx: (t: Text) => string;
};

export type KindControl = {
  /** the learner's control; rendered on the server as plain fields, so the form works without JavaScript */
  Control: (props: ControlProps) => JSX.Element;
  /**
   * the answer the fields show when the page becomes interactive (given before hydration), or null;
   * left out where the fields always show an answer or are read on change only (numeric, ordering)
   */
  read?: (fieldset: HTMLElement, q: FormQuestion) => unknown;
};
