import { z } from 'zod';
import { Bilingual, parseNumber, type QuestionType } from '../common';
import { hasText, num, text2 } from '../author-form';

const Authored = z.strictObject({ value: z.number().finite(), tolerance: z.number().min(0).default(0), unit: Bilingual.optional() });
const Options = z.strictObject({ value: z.number(), tolerance: z.number().min(0), unit: Bilingual.optional() });
const Response = z.strictObject({ value: z.number().finite() });
type O = z.infer<typeof Options>;

export { parseNumber };

/** Numeric: right when within ± tolerance of the value (a tiny epsilon absorbs binary fractions). */
export const numeric: QuestionType<z.infer<typeof Authored>, O, z.infer<typeof Response>> = {
  kind: 'numeric',
  authored: Authored,
  options: Options,
  response: Response,
  build: (a) => ({ value: a.value, tolerance: a.tolerance, ...(a.unit ? { unit: a.unit } : {}) }),
  shuffleable: () => null,
  forBrowser: (o) => (o.unit ? { unit: o.unit } : {}),
  fits: () => true,
  grade: (o, r) => ({ fraction: Math.abs(r.value - o.value) <= o.tolerance + 1e-9 * Math.max(1, Math.abs(o.value)) ? 1 : 0 }),
  correctResponse: (o) => ({ value: o.value }),
  summary: (_o, r) => [{ key: String(r.value), label: { ky: String(r.value), ru: String(r.value) } }],
  fromForm: (_o, read) => {
    const v = read('')[0] ?? '';
    if (!v.trim()) return null;
    // Not a number: an invalid response, so the saved answer is kept rather than cleared.
    const n = parseNumber(v);
    return { value: n === null ? Number.NaN : n };
  },
  fromAuthorForm: (f) => {
    const unit = text2(f.unit);
    return { value: num(f.value), tolerance: String(f.tolerance ?? '').trim() === '' ? 0 : num(f.tolerance), ...(hasText(unit) ? { unit } : {}) };
  },
};
export default numeric;
