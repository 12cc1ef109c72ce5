import { describe, expect, it } from 'vitest';
import { questionType } from '..';
import { authorForm, build, formOf, grade, T } from '@tests/kinds';

describe('multiple choice', () => {
  it('all-or-nothing by default, partial credit when allowed, ticking everything earns nothing', () => {
    const authored = { choices: [{ text: T('a'), correct: true }, { text: T('b'), correct: true }, { text: T('c') }, { text: T('d') }] };
    const strict = build('multiple', authored);
    const [a, b, c, d] = strict.choices.map((x: { id: string }) => x.id) as [string, string, string, string];
    expect(grade('multiple', strict, { choices: [a, b] })).toBe(1);
    expect(grade('multiple', strict, { choices: [a] })).toBe(0);
    const partial = build('multiple', { ...authored, partialCredit: true });
    expect(grade('multiple', partial, { choices: [a] })).toBe(0.5);
    expect(grade('multiple', partial, { choices: [a, c] })).toBe(0);
    expect(grade('multiple', partial, { choices: [a, b, c, d] })).toBe(0);
    expect(grade('multiple', partial, { choices: [b, a] })).toBe(1);
  });

  it('a plain form answer lists each ticked box once', () => {
    expect(questionType('multiple').fromForm({}, formOf({ '': ['x', 'x', 'y'] }))).toEqual({ choices: ['x', 'y'] });
    expect(questionType('multiple').fromForm({}, formOf({}))).toBeNull();
  });

  it('author form: a check box per row and partial credit; empty rows dropped', () => {
    const { read, ok } = authorForm('multiple', { choices: [{ text: T('А'), correct: 'on' }, { text: T('Б') }, { text: T('') }], partialCredit: 'on' });
    expect(read).toEqual({ choices: [{ text: T('А'), correct: true }, { text: T('Б'), correct: false }], partialCredit: true });
    expect(ok).toBe(true);
    expect(authorForm('multiple', { choices: [{ text: T('А') }] }).ok).toBe(false);
  });
});
