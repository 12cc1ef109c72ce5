import { z } from 'zod';
import { arrange, Bilingual, ChoiceId, type QuestionType } from '../common';
import { checked, hasText, rows, text2 } from '../author-form';

const Authored = z.strictObject({
  /** in the right order */
  items: z.array(Bilingual).min(3).max(10),
  /** credit for each item in its right place; otherwise only the whole right order scores */
  partialCredit: z.boolean().default(true),
});
const Options = z.strictObject({ items: z.array(z.strictObject({ id: ChoiceId, text: Bilingual })), partialCredit: z.boolean() });
const Response = z.strictObject({ order: z.array(ChoiceId).max(10) });
type O = z.infer<typeof Options>;

/** Ordering: put the steps in order. Shown shuffled; each item in its right place earns 1/n. */
export const ordering: QuestionType<z.infer<typeof Authored>, O, z.infer<typeof Response>> = {
  kind: 'ordering',
  alwaysShuffled: true,
  authored: Authored,
  options: Options,
  response: Response,
  build: (a, id) => ({ items: a.items.map((text, i) => ({ id: id(`i${i}`), text })), partialCredit: a.partialCredit }),
  shuffleable: (o) => o.items.map((i) => i.id),
  forBrowser: (o, order) => ({ items: arrange(o.items, order) }),
  fits: (o, r) => r.order.length === o.items.length && new Set(r.order).size === r.order.length && r.order.every((id) => o.items.some((i) => i.id === id)),
  grade: (o, r) => {
    const right = o.items.filter((item, i) => r.order[i] === item.id).length;
    if (!o.partialCredit) return { fraction: right === o.items.length ? 1 : 0 };
    return { fraction: right / o.items.length };
  },
  correctResponse: (o) => ({ order: o.items.map((i) => i.id) }),
  summary: (o, r) => [
    {
      key: r.order.join(','),
      label: {
        ky: r.order.map((id) => o.items.findIndex((i) => i.id === id) + 1).join('–'),
        ru: r.order.map((id) => o.items.findIndex((i) => i.id === id) + 1).join('–'),
      },
    },
  ],
  // Without JavaScript each item gets a position number; items are ordered by it (ties keep the shown order).
  fromForm: (o, read) => {
    const positions = o.items.map((item, i) => ({ id: item.id, pos: Number(read(`.${item.id}`)[0]), i }));
    if (positions.every((p) => !Number.isInteger(p.pos))) return null;
    return { order: positions.sort((a, b) => (Number.isInteger(a.pos) ? a.pos : 99) - (Number.isInteger(b.pos) ? b.pos : 99) || a.i - b.i).map((p) => p.id) };
  },
  fromAuthorForm: (f) => ({ items: rows(f.items).map(text2).filter(hasText), partialCredit: checked(f.partialCredit) }),
};
export default ordering;
