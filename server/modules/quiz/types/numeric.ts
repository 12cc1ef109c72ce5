import { z } from 'zod';
import { Bilingual, type QuestionType } from './common';

const Authored = z.strictObject({ value: z.number().finite(), tolerance: z.number().min(0).default(0), unit: Bilingual.optional() });
const Options = z.strictObject({ value: z.number(), tolerance: z.number().min(0), unit: Bilingual.optional() });
const Response = z.strictObject({ value: z.number().finite() });
type O = z.infer<typeof Options>;

/** Reads "1 234,5" or "1234.5" as a number. */
export function parseNumber(text: string): number | null {
  const s = text.replace(/[\s\u00a0]/g, '').replace(',', '.');
  if (!/^[-+]?\d+(\.\d+)?$/.test(s)) return null;
  return Number(s);
}

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
};
export default numeric;
