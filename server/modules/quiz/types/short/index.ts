import { z } from 'zod';
import { normaliseAnswer } from '@server/lib/text';
import type { QuestionType } from '../common';
import { checked, lines } from '../author-form';

const Answers = z.strictObject({ ky: z.array(z.string().trim().min(1).max(200)).min(1).max(20), ru: z.array(z.string().trim().min(1).max(200)).min(1).max(20) });
const Authored = z.strictObject({
  answers: Answers,
  /** accept н о у typed for ң ө ү (many keyboards lack them) */
  acceptPlainLetters: z.boolean().default(false),
});
const Options = z.strictObject({ answers: Answers, acceptPlainLetters: z.boolean() });
const Response = z.strictObject({ text: z.string().max(500) });
type O = z.infer<typeof Options>;

const matches = (o: O, text: string) => {
  const opts = { foldKyrgyz: o.acceptPlainLetters };
  const given = normaliseAnswer(text, opts);
  if (!given) return false;
  return [...o.answers.ky, ...o.answers.ru].some((a) => normaliseAnswer(a, opts) === given);
};

/**
 * Short answer: the typed text matches one of the accepted answers in either language, ignoring
 * case, spaces, punctuation and ё/е; optionally н о у for ң ө ү.
 */
export const short: QuestionType<z.infer<typeof Authored>, O, z.infer<typeof Response>> = {
  kind: 'short',
  authored: Authored,
  options: Options,
  response: Response,
  build: (a) => ({ answers: a.answers, acceptPlainLetters: a.acceptPlainLetters }),
  shuffleable: () => null,
  forBrowser: () => ({}),
  fits: () => true,
  grade: (o, r) => ({ fraction: matches(o, r.text) ? 1 : 0 }),
  correctResponse: (o) => ({ text: o.answers.ky[0]! }),
  summary: (o, r) => {
    const key = normaliseAnswer(r.text, { foldKyrgyz: o.acceptPlainLetters });
    return key ? [{ key, label: { ky: key, ru: key } }] : [];
  },
  fromForm: (_o, read) => {
    const v = (read('')[0] ?? '').slice(0, 500);
    return v.trim() ? { text: v } : null;
  },
  fromAuthorForm: (f) => ({ answers: { ky: lines(f.answers?.ky), ru: lines(f.answers?.ru) }, acceptPlainLetters: checked(f.acceptPlainLetters) }),
};
export default short;
