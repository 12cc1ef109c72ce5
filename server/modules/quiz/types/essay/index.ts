import { z } from 'zod';
import { Bilingual, type QuestionType } from '../common';
import { hasText, num, rows, text2 } from '../author-form';

const Rubric = z.array(z.strictObject({ criterion: Bilingual, points: z.number().int().min(1).max(100) })).min(1).max(10);
const Authored = z.strictObject({ rubric: Rubric, minWords: z.number().int().min(0).max(5000).default(0) });
const Options = z.strictObject({ rubric: Rubric, minWords: z.number().int().min(0) });
const Response = z.strictObject({ text: z.string().max(20000) });
type O = z.infer<typeof Options>;

/** Essay: free text a trainer grades against the rubric (points per criterion) with a comment. */
export const essay: QuestionType<z.infer<typeof Authored>, O, z.infer<typeof Response>> = {
  kind: 'essay',
  manual: true,
  authored: Authored,
  options: Options,
  response: Response,
  build: (a) => ({ rubric: a.rubric, minWords: a.minWords }),
  shuffleable: () => null,
  forBrowser: (o) => ({ minWords: o.minWords }),
  fits: () => true,
  grade: () => null,
  correctResponse: () => null,
  summary: () => [],
  fromForm: (_o, read) => {
    const v = (read('')[0] ?? '').slice(0, 20000);
    return v.trim() ? { text: v } : null;
  },
  fromAuthorForm: (f) => ({
    rubric: rows(f.rubric)
      .map((r: any) => ({ criterion: text2(r.criterion), points: num(r.points) }))
      .filter((r) => hasText(r.criterion) || !Number.isNaN(r.points))
      // JSON has no NaN: unreadable points become '' so the schema names the field
      .map((r) => (Number.isNaN(r.points) ? { ...r, points: '' } : r)),
    minWords: String(f.minWords ?? '').trim() === '' ? 0 : num(f.minWords),
  }),
};

/** The fraction a trainer's rubric points give. */
export function rubricFraction(o: O, points: number[]): number {
  const total = o.rubric.reduce((n, r) => n + r.points, 0);
  const got = o.rubric.reduce((n, r, i) => n + Math.min(r.points, Math.max(0, points[i] ?? 0)), 0);
  return total ? got / total : 0;
}
export default essay;
