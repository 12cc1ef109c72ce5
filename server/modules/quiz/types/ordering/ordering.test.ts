import { describe, expect, it } from 'vitest';
import { questionType } from '..';
import { authorForm, build, formOf, grade, T } from '@tests/kinds';

describe('ordering', () => {
  it('items in their right place, partial by default; always shown shuffled', () => {
    const o = build('ordering', { items: [T('a'), T('b'), T('c'), T('d')] });
    const [a, b, c, d] = o.items.map((x: { id: string }) => x.id) as [string, string, string, string];
    expect(grade('ordering', o, { order: [a, b, c, d] })).toBe(1);
    expect(grade('ordering', o, { order: [b, a, c, d] })).toBe(0.5);
    const strict = build('ordering', { items: [T('a'), T('b'), T('c')], partialCredit: false });
    const ids = strict.items.map((x: { id: string }) => x.id);
    expect(grade('ordering', strict, { order: [ids[0], ids[2], ids[1]] })).toBe(0);
    expect(questionType('ordering').fits(o, { order: [a, a, c, d] })).toBe(false);
    expect(questionType('ordering').alwaysShuffled).toBe(true);
  });

  it('a plain form answer: items ordered by the positions given', () => {
    const o = build('ordering', { items: [T('a'), T('b'), T('c')] });
    const [a, b, c] = o.items.map((i: { id: string }) => i.id) as [string, string, string];
    expect(questionType('ordering').fromForm(o, formOf({ [`.${a}`]: ['3'], [`.${b}`]: ['1'], [`.${c}`]: ['2'] }))).toEqual({ order: [b, c, a] });
    expect(questionType('ordering').fromForm(o, formOf({}))).toBeNull();
  });

  it('author form: the written items in order, partial credit as ticked', () => {
    const { read, ok } = authorForm('ordering', { items: [T('1'), T('2'), T(''), T('3')] });
    expect(read).toEqual({ items: [T('1'), T('2'), T('3')], partialCredit: false });
    expect(ok).toBe(true);
    expect(authorForm('ordering', { items: [T('1'), T('2')] }).ok).toBe(false);
  });
});
