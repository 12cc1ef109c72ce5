import { describe, expect, it } from 'vitest';
import { questionType } from '..';
import { rubricFraction } from '.';
import { authorForm, build, formOf, T } from '@tests/kinds';

describe('essay', () => {
  it('graded by a trainer against the rubric; the learner does not see the rubric', () => {
    const o = build('essay', { rubric: [{ criterion: T('content'), points: 3 }, { criterion: T('language'), points: 1 }] });
    expect(questionType('essay').grade(o, { text: 'x' })).toBeNull();
    expect(questionType('essay').manual).toBe(true);
    expect(rubricFraction(o, [3, 1])).toBe(1);
    expect(rubricFraction(o, [2, 0])).toBe(0.5);
    expect(rubricFraction(o, [9, 9])).toBe(1);
    expect(JSON.stringify(questionType('essay').forBrowser(o, null))).not.toMatch(/rubric|content/);
  });

  it('a plain form answer: blank text is none', () => {
    expect(questionType('essay').fromForm({}, formOf({ '': ['Жообум'] }))).toEqual({ text: 'Жообум' });
    expect(questionType('essay').fromForm({}, formOf({ '': [' '] }))).toBeNull();
  });

  it('author form: criteria with their points; unreadable points named by the schema', () => {
    const { read, ok } = authorForm('essay', { rubric: [{ criterion: T('Толуктугу', 'Полнота'), points: '5' }, { criterion: T(''), points: '' }], minWords: '' });
    expect(read).toEqual({ rubric: [{ criterion: T('Толуктугу', 'Полнота'), points: 5 }], minWords: 0 });
    expect(ok).toBe(true);
    const bad = authorForm('essay', { rubric: [{ criterion: T('Толуктугу'), points: 'беш' }] });
    expect(bad.read.rubric).toEqual([{ criterion: T('Толуктугу'), points: '' }]);
    expect(bad.ok).toBe(false);
  });
});
