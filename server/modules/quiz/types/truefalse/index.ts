import { z } from 'zod';
import type { QuestionType } from '../common';

const Authored = z.strictObject({ correct: z.boolean() });
const Options = Authored;
const Response = z.strictObject({ value: z.boolean() });

const TRUE = { ky: 'Туура', ru: 'Верно' };
const FALSE = { ky: 'Туура эмес', ru: 'Неверно' };

/** True or false: a statement the learner judges. */
export const truefalse: QuestionType<z.infer<typeof Authored>, z.infer<typeof Options>, z.infer<typeof Response>> = {
  kind: 'truefalse',
  authored: Authored,
  options: Options,
  response: Response,
  build: (a) => ({ correct: a.correct }),
  shuffleable: () => null,
  forBrowser: () => ({}),
  fits: () => true,
  grade: (o, r) => ({ fraction: o.correct === r.value ? 1 : 0 }),
  correctResponse: (o) => ({ value: o.correct }),
  summary: (_o, r) => [{ key: String(r.value), label: r.value ? TRUE : FALSE }],
  fromForm: (_o, read) => {
    const v = read('')[0];
    return v === 'true' ? { value: true } : v === 'false' ? { value: false } : null;
  },
  fromAuthorForm: (f) => ({ correct: f.correct === 'true' ? true : f.correct === 'false' ? false : undefined }),
};
export default truefalse;
