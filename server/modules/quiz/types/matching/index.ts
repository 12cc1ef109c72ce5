import { z } from 'zod';
import { arrange, Bilingual, ChoiceId, type QuestionType } from '../common';
import { hasText, rows, text2 } from '../author-form';

const Authored = z.strictObject({
  pairs: z.array(z.strictObject({ prompt: Bilingual, answer: Bilingual })).min(2).max(10),
  /** extra answers that match no prompt */
  distractors: z.array(Bilingual).max(5).default([]),
});
const Options = z.strictObject({
  prompts: z.array(z.strictObject({ id: ChoiceId, text: Bilingual, answer: ChoiceId })),
  answers: z.array(z.strictObject({ id: ChoiceId, text: Bilingual })),
});
const Response = z.strictObject({ matches: z.record(ChoiceId, ChoiceId) });
type O = z.infer<typeof Options>;

/** Matching: each prompt gets one answer from a shuffled list; each right match earns its share. */
export const matching: QuestionType<z.infer<typeof Authored>, O, z.infer<typeof Response>> = {
  kind: 'matching',
  authored: Authored,
  options: Options,
  response: Response,
  build: (a, id) => ({
    prompts: a.pairs.map((p, i) => ({ id: id(`p${i}`), text: p.prompt, answer: id(`a${i}`) })),
    answers: [...a.pairs.map((p, i) => ({ id: id(`a${i}`), text: p.answer })), ...a.distractors.map((d, i) => ({ id: id(`d${i}`), text: d }))],
  }),
  shuffleable: (o) => o.answers.map((a) => a.id),
  forBrowser: (o, order) => ({ prompts: o.prompts.map(({ id, text }) => ({ id, text })), answers: arrange(o.answers, order) }),
  fits: (o, r) => Object.entries(r.matches).every(([p, a]) => o.prompts.some((x) => x.id === p) && o.answers.some((x) => x.id === a)),
  grade: (o, r) => ({ fraction: o.prompts.filter((p) => r.matches[p.id] === p.answer).length / o.prompts.length }),
  correctResponse: (o) => ({ matches: Object.fromEntries(o.prompts.map((p) => [p.id, p.answer])) }),
  summary: (o, r) =>
    o.prompts
      .filter((p) => r.matches[p.id])
      .map((p) => {
        const a = o.answers.find((x) => x.id === r.matches[p.id]);
        return { key: `${p.id}=${r.matches[p.id]}`, label: { ky: `${p.text.ky} → ${a?.text.ky ?? ''}`, ru: `${p.text.ru} → ${a?.text.ru ?? ''}` } };
      }),
  fromForm: (o, read) => {
    const matches: Record<string, string> = {};
    for (const p of o.prompts) {
      const v = read(`.${p.id}`)[0];
      if (v) matches[p.id] = v;
    }
    return Object.keys(matches).length ? { matches } : null;
  },
  fromAuthorForm: (f) => ({
    pairs: rows(f.pairs)
      .map((p: any) => ({ prompt: text2(p.prompt), answer: text2(p.answer) }))
      .filter((p) => hasText(p.prompt) || hasText(p.answer)),
    distractors: rows(f.distractors).map(text2).filter(hasText),
  }),
};
export default matching;
