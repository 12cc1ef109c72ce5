import { z } from 'zod';
import { arrange, AuthoredChoice, ChoiceId, StoredChoice, type QuestionType } from '../common';
import { checked, hasText, keyOf, rows, text2 } from '../author-form';

const Authored = z
  .strictObject({ choices: z.array(AuthoredChoice).min(2).max(12), partialCredit: z.boolean().default(false) })
  .refine((a) => a.choices.some((c) => c.correct), { message: 'at least one choice must be correct', path: ['choices'] });
const Options = z.strictObject({ choices: z.array(StoredChoice).min(2), partialCredit: z.boolean() });
const Response = z.strictObject({ choices: z.array(ChoiceId).max(12) });
type O = z.infer<typeof Options>;

/**
 * Multiple choice: check boxes, one or more correct. Without partial credit only the exact set
 * scores; with it, each correct choice earns 1/k of the mark and each wrong one takes 1/k away
 * (k = number of correct choices), never below zero — so ticking everything earns nothing.
 */
export const multiple: QuestionType<z.infer<typeof Authored>, O, z.infer<typeof Response>> = {
  kind: 'multiple',
  authored: Authored,
  options: Options,
  response: Response,
  build: (a, id) => ({ choices: a.choices.map((c, i) => ({ id: id(c.key ?? String(i)), text: c.text, correct: !!c.correct })), partialCredit: a.partialCredit }),
  shuffleable: (o) => o.choices.map((c) => c.id),
  forBrowser: (o, order) => ({ choices: arrange(o.choices, order).map(({ id, text }) => ({ id, text })) }),
  fits: (o, r) => new Set(r.choices).size === r.choices.length && r.choices.every((id) => o.choices.some((c) => c.id === id)),
  grade: (o, r) => {
    const picked = new Set(r.choices);
    const correct = o.choices.filter((c) => c.correct);
    const hits = correct.filter((c) => picked.has(c.id)).length;
    const wrong = o.choices.filter((c) => !c.correct && picked.has(c.id)).length;
    if (!o.partialCredit) return { fraction: hits === correct.length && wrong === 0 ? 1 : 0 };
    return { fraction: Math.max(0, (hits - wrong) / correct.length) };
  },
  correctResponse: (o) => ({ choices: o.choices.filter((c) => c.correct).map((c) => c.id) }),
  summary: (o, r) => o.choices.filter((c) => r.choices.includes(c.id)).map((c) => ({ key: c.id, label: c.text })),
  fromForm: (_o, read) => {
    const v = read('');
    return v.length ? { choices: [...new Set(v)] } : null;
  },
  fromAuthorForm: (f) => ({
    choices: rows(f.choices)
      .filter((c: any) => hasText(text2(c.text)))
      .map((c: any) => ({ ...keyOf(c.key), text: text2(c.text), correct: checked(c.correct) })),
    partialCredit: checked(f.partialCredit),
  }),
};
export default multiple;
