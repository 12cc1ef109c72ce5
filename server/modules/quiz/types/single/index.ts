import { z } from 'zod';
import { arrange, AuthoredChoice, ChoiceId, StoredChoice, type QuestionType } from '../common';
import { hasText, keyOf, rows, text2 } from '../author-form';

const Authored = z.strictObject({ choices: z.array(AuthoredChoice).min(2).max(12) }).refine((a) => a.choices.filter((c) => c.correct).length === 1, { message: 'exactly one choice must be correct', path: ['choices'] });
const Options = z.strictObject({ choices: z.array(StoredChoice).min(2) });
const Response = z.strictObject({ choice: ChoiceId });
type O = z.infer<typeof Options>;

/** Single choice: radio buttons, one correct choice. */
export const single: QuestionType<z.infer<typeof Authored>, O, z.infer<typeof Response>> = {
  kind: 'single',
  authored: Authored,
  options: Options,
  response: Response,
  build: (a, id) => ({ choices: a.choices.map((c, i) => ({ id: id(c.key ?? String(i)), text: c.text, correct: !!c.correct })) }),
  shuffleable: (o) => o.choices.map((c) => c.id),
  forBrowser: (o, order) => ({ choices: arrange(o.choices, order).map(({ id, text }) => ({ id, text })) }),
  fits: (o, r) => o.choices.some((c) => c.id === r.choice),
  grade: (o, r) => ({ fraction: o.choices.find((c) => c.id === r.choice)?.correct ? 1 : 0 }),
  correctResponse: (o) => ({ choice: o.choices.find((c) => c.correct)!.id }),
  summary: (o, r) => o.choices.filter((c) => c.id === r.choice).map((c) => ({ key: c.id, label: c.text })),
  fromForm: (_o, read) => {
    const v = read('')[0];
    return v ? { choice: v } : null;
  },
  fromAuthorForm: (f) => ({
    // one radio `correct` holds the index of the right choice
    choices: rows(f.choices)
      .map((c: any, i: number) => ({ c, i }))
      .filter(({ c }) => hasText(text2(c.text)))
      .map(({ c, i }) => ({ ...keyOf(c.key), text: text2(c.text), correct: String(f.correct ?? '') === String(i) })),
  }),
};
export default single;
