import { z } from 'zod';
import { arrange, Bilingual, ChoiceId, type QuestionType } from '../common';
import { checked, hasText, keyOf, rows, text2 } from '../author-form';

/** A quality's code: the key of the profile and of a campaign's thresholds. */
export const QualityKey = z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'lowercase latin letters, digits and underscores, starting with a letter');

const Authored = z
  .strictObject({
    /** the scale's labels from the lowest to the highest: a rating is 1..n */
    scale: z.array(Bilingual).min(2).max(7),
    /** the qualities the statements measure, with their names */
    qualities: z.array(z.strictObject({ key: QualityKey, name: Bilingual })).min(1).max(12),
    statements: z
      .array(
        z.strictObject({
          key: z.string().regex(/^[a-z0-9-]{1,20}$/).optional(),
          text: Bilingual,
          quality: QualityKey,
          /** agreeing says less of the quality: the rating counts from the other end */
          reversed: z.boolean().default(false),
        }),
      )
      .min(1)
      .max(40),
  })
  .refine((a) => new Set(a.qualities.map((q) => q.key)).size === a.qualities.length, { message: 'a quality is listed twice', path: ['qualities'] })
  .refine((a) => a.statements.every((s) => a.qualities.some((q) => q.key === s.quality)), { message: 'a statement measures a quality that is not listed', path: ['statements'] });
const Options = z.strictObject({
  scale: z.array(Bilingual).min(2),
  qualities: z.array(z.strictObject({ key: QualityKey, name: Bilingual })).min(1),
  statements: z.array(z.strictObject({ id: ChoiceId, text: Bilingual, quality: QualityKey, reversed: z.boolean() })).min(1),
});
const Response = z.strictObject({ ratings: z.record(ChoiceId, z.number().int().min(1).max(7)) });
type O = z.infer<typeof Options>;
type R = z.infer<typeof Response>;

/**
 * Questionnaire (personal qualities): statements the person rates on a scale (1..n, each point
 * labelled in both languages). There is no right answer: the item carries no mark (`ungraded`), never
 * counts toward the score, the pass or item analysis, and the browser never learns which quality a
 * statement measures or whether it is reversed. The ratings score into a profile (questionnaireProfile)
 * that only the people who read the results (the attestation commission) see.
 */
export const questionnaire: QuestionType<z.infer<typeof Authored>, O, R> = {
  kind: 'questionnaire',
  ungraded: true,
  authored: Authored,
  options: Options,
  response: Response,
  build: (a, id) => ({
    scale: a.scale,
    qualities: a.qualities,
    statements: a.statements.map((s, i) => ({ id: id(s.key ?? `s${i}`), text: s.text, quality: s.quality, reversed: s.reversed })),
  }),
  shuffleable: (o) => o.statements.map((s) => s.id),
  forBrowser: (o, order) => ({ scale: o.scale, statements: arrange(o.statements, order).map(({ id, text }) => ({ id, text })) }),
  fits: (o, r) => Object.entries(r.ratings).every(([id, v]) => o.statements.some((s) => s.id === id) && v <= o.scale.length),
  grade: () => null,
  correctResponse: () => null,
  summary: (o, r) =>
    o.statements
      .filter((s) => r.ratings[s.id])
      .map((s) => {
        const v = r.ratings[s.id]!;
        const label = o.scale[v - 1];
        return { key: `${s.id}=${v}`, label: { ky: `${s.text.ky} → ${v} ${label?.ky ?? ''}`.trim(), ru: `${s.text.ru} → ${v} ${label?.ru ?? ''}`.trim() } };
      }),
  fromForm: (o, read) => {
    const ratings: Record<string, number> = {};
    for (const s of o.statements) {
      const v = read(`.${s.id}`)[0];
      if (v && /^[1-7]$/.test(v)) ratings[s.id] = Number(v);
    }
    return Object.keys(ratings).length ? { ratings } : null;
  },
  fromAuthorForm: (f) => ({
    scale: rows(f.scale).map(text2).filter(hasText),
    qualities: rows(f.qualities)
      .map((x: any) => ({ key: String(x.key ?? '').trim(), name: text2(x.name) }))
      .filter((x) => x.key || hasText(x.name)),
    statements: rows(f.statements)
      .filter((st: any) => hasText(text2(st.text)))
      .map((st: any) => ({ ...keyOf(st.key), text: text2(st.text), quality: String(st.quality ?? '').trim(), reversed: checked(st.reversed) })),
  }),
};

export type QualityScore = {
  key: string;
  name: Bilingual;
  /** 0..100, or null when none of its statements was rated */
  score: number | null;
  /** statements of this quality that were rated, and how many were given */
  answered: number;
  statements: number;
};

/**
 * The qualities profile of a set of questionnaire answers. Each rating v on an n-point scale counts
 * (v − 1) / (n − 1) — from the other end, (n − v) / (n − 1), for a reversed statement — and a
 * quality's score is the mean over its rated statements × 100, to one decimal. Unrated statements are
 * left out (and counted in `answered`). The same quality key across questions is one quality; its
 * name is the first one met.
 */
export function questionnaireProfile(answers: { options: unknown; response: unknown }[]): QualityScore[] {
  const byKey = new Map<string, { name: Bilingual; sum: number; answered: number; statements: number }>();
  for (const a of answers) {
    const o = Options.safeParse(a.options);
    if (!o.success) continue;
    const r = a.response === null || a.response === undefined ? null : Response.safeParse(a.response);
    const n = o.data.scale.length;
    for (const q of o.data.qualities) if (!byKey.has(q.key)) byKey.set(q.key, { name: q.name, sum: 0, answered: 0, statements: 0 });
    for (const s of o.data.statements) {
      const entry = byKey.get(s.quality)!;
      entry.statements++;
      const v = r?.success ? r.data.ratings[s.id] : undefined;
      if (v === undefined || v > n) continue;
      entry.sum += (s.reversed ? n - v : v - 1) / (n - 1);
      entry.answered++;
    }
  }
  return [...byKey.entries()]
    .map(([key, e]) => ({ key, name: e.name, score: e.answered ? Math.round((e.sum / e.answered) * 1000) / 10 : null, answered: e.answered, statements: e.statements }))
    .sort((a, b) => a.key.localeCompare(b.key));
}
export default questionnaire;
