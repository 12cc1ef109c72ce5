import { describe, expect, it } from 'vitest';
import { questionType } from '..';
import { parseNumber } from '.';
import { authorForm, build, formOf, grade } from '@tests/kinds';

describe('numeric', () => {
  it('right within the tolerance; numbers typed with a comma or spaces', () => {
    const o = build('numeric', { value: 3.14, tolerance: 0.01 });
    expect(grade('numeric', o, { value: 3.15 })).toBe(1);
    expect(grade('numeric', o, { value: 3.13 })).toBe(1);
    expect(grade('numeric', o, { value: 3.16 })).toBe(0);
    expect(grade('numeric', build('numeric', { value: 3 }), { value: 3 })).toBe(1);
    expect(parseNumber('3,5')).toBe(3.5);
    expect(parseNumber('1 234')).toBe(1234);
    expect(parseNumber('три')).toBeNull();
    expect(JSON.stringify(questionType('numeric').forBrowser(build('numeric', { value: 424242, tolerance: 0.5 }), null))).not.toMatch(/424242|tolerance/);
  });

  it('a plain form answer: an unreadable number is invalid rather than a cleared answer', () => {
    const numeric = questionType('numeric');
    const o = numeric.options.parse({ value: 7, tolerance: 0 });
    expect(numeric.fromForm(o, formOf({ '': ['7,0'] }))).toEqual({ value: 7 });
    expect(numeric.fromForm(o, formOf({ '': [''] }))).toBeNull();
    expect(numeric.response.safeParse(numeric.fromForm(o, formOf({ '': ['жети'] }))).success).toBe(false);
  });

  it('author form: value, tolerance (empty is 0) and a unit only when written', () => {
    expect(authorForm('numeric', { value: '3,5', tolerance: '', unit: { ky: '', ru: '' } })).toEqual({ read: { value: 3.5, tolerance: 0 }, ok: true });
    expect(authorForm('numeric', { value: '10', tolerance: '0,5', unit: { ky: 'сом', ru: 'сом' } }).read).toEqual({ value: 10, tolerance: 0.5, unit: { ky: 'сом', ru: 'сом' } });
    // unreadable: NaN here, turned back into the text by questionFromForm so the schema names the field
    const bad = authorForm('numeric', { value: 'abc' });
    expect(Number.isNaN(bad.read.value)).toBe(true);
    expect(bad.ok).toBe(false);
  });
});
