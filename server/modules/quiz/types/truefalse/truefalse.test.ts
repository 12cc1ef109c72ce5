import { describe, expect, it } from 'vitest';
import { questionType } from '..';
import { authorForm, formOf, grade } from '@tests/kinds';

describe('true/false', () => {
  it('grades the judgement', () => {
    expect(grade('truefalse', { correct: false }, { value: false })).toBe(1);
    expect(grade('truefalse', { correct: false }, { value: true })).toBe(0);
    expect(JSON.stringify(questionType('truefalse').forBrowser({ correct: true }, null))).toBe('{}');
  });

  it('a plain form answer is "true" or "false"; anything else is no answer', () => {
    expect(questionType('truefalse').fromForm({}, formOf({ '': ['false'] }))).toEqual({ value: false });
    expect(questionType('truefalse').fromForm({}, formOf({ '': ['maybe'] }))).toBeNull();
  });

  it('author form: the statement is true or false; neither is refused', () => {
    expect(authorForm('truefalse', { correct: 'false' })).toEqual({ read: { correct: false }, ok: true });
    expect(authorForm('truefalse', {}).ok).toBe(false);
  });
});
