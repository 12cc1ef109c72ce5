import { describe, expect, it } from 'vitest';
import { questionType } from '..';
import { authorForm, build, formOf, grade, T } from '@tests/kinds';

describe('single choice', () => {
  it('the correct choice scores, others do not; exactly one must be correct', () => {
    const o = build('single', { choices: [{ text: T('a'), correct: true }, { text: T('b') }] });
    expect(grade('single', o, { choice: o.choices[0].id })).toBe(1);
    expect(grade('single', o, { choice: o.choices[1].id })).toBe(0);
    expect(questionType('single').authored.safeParse({ choices: [{ text: T('a'), correct: true }, { text: T('b'), correct: true }] }).success).toBe(false);
    expect(questionType('single').authored.safeParse({ choices: [{ text: T('a') }, { text: T('b') }] }).success).toBe(false);
    expect(questionType('single').fits(o, { choice: 'nope' })).toBe(false);
  });

  it('the browser view has no key; a plain form answer is the checked radio', () => {
    const o = build('single', { choices: [{ text: T('a'), correct: true }, { text: T('b') }] });
    expect(JSON.stringify(questionType('single').forBrowser(o, null))).not.toContain('correct');
    expect(questionType('single').fromForm(o, formOf({ '': [o.choices[1].id] }))).toEqual({ choice: o.choices[1].id });
    expect(questionType('single').fromForm(o, formOf({}))).toBeNull();
  });

  it('author form: the radio `correct` names the right row; empty rows are dropped, keys kept only when well formed', () => {
    const f = { choices: [{ text: T('Ооба', 'Да'), key: 'yes' }, { text: T('', '') }, { text: T('Жок', 'Нет'), key: 'Bad Key!' }], correct: '2' };
    const { read, ok } = authorForm('single', f);
    expect(read).toEqual({ choices: [{ key: 'yes', text: T('Ооба', 'Да'), correct: false }, { text: T('Жок', 'Нет'), correct: true }] });
    expect(ok).toBe(true);
    // no right choice marked: the schema refuses it
    expect(authorForm('single', { ...f, correct: undefined }).ok).toBe(false);
  });
});
