/** The questionnaire kind on its own; how it behaves in a test, in authoring and in bank files: tests/api/questionnaire.test.ts. */
import { describe, expect, it } from 'vitest';
import { QUESTION_KINDS, questionType } from '..';
import { questionnaireProfile } from '.';
import { authorForm, build, formOf, T } from '@tests/kinds';

const FIVE = [1, 2, 3, 4, 5].map((n) => T(`п${n}`));
const authored = {
  scale: FIVE,
  qualities: [{ key: 'responsibility', name: T('Жоопкерчилик', 'Ответственность') }, { key: 'stress', name: T('Туруктуулук', 'Устойчивость') }],
  statements: [
    { key: 'r1', text: T('Иштерди өз убагында бүтүрөм'), quality: 'responsibility' },
    { key: 'r2', text: T('Милдеттерди кийинкиге калтырам'), quality: 'responsibility', reversed: true },
    { key: 's1', text: T('Кысымда тынч иштейм'), quality: 'stress' },
  ],
};
const type = questionType('questionnaire');
const built = build('questionnaire', authored) as { statements: { id: string }[] };
const [r1, r2, s1] = built.statements.map((s) => s.id) as [string, string, string];

describe('the questionnaire kind', () => {
  it('is in the registry, so in every list of kinds', () => {
    expect(QUESTION_KINDS).toContain('questionnaire');
    expect(type.ungraded).toBe(true);
    expect(type.grade(built, { ratings: { [r1]: 5 } })).toBeNull();
    expect(type.correctResponse(built)).toBeNull();
  });

  it('scores a profile: (v−1)/(n−1) per statement, reversed from the other end, mean ×100', () => {
    // r1 = 5 → 1; r2 = 2 reversed → (5−2)/4 = 0.75; responsibility = 87.5. s1 = 3 → 50.
    const p = questionnaireProfile([{ options: built, response: { ratings: { [r1]: 5, [r2]: 2, [s1]: 3 } } }]);
    expect(p.map((q) => [q.key, q.score, q.answered, q.statements])).toEqual([
      ['responsibility', 87.5, 2, 2],
      ['stress', 50, 1, 1],
    ]);
    // a reversed item at the top of the scale gives 0, at the bottom 100
    expect(questionnaireProfile([{ options: built, response: { ratings: { [r2]: 5 } } }])[0]!.score).toBe(0);
    expect(questionnaireProfile([{ options: built, response: { ratings: { [r2]: 1 } } }])[0]!.score).toBe(100);
    // unrated statements are left out; a quality with none rated has no score (not 0)
    const partial = questionnaireProfile([{ options: built, response: { ratings: { [r1]: 4 } } }]);
    expect(partial.find((q) => q.key === 'responsibility')).toMatchObject({ score: 75, answered: 1, statements: 2 });
    expect(partial.find((q) => q.key === 'stress')).toMatchObject({ score: null, answered: 0 });
    expect(questionnaireProfile([{ options: built, response: null }]).every((q) => q.score === null)).toBe(true);
  });

  it('never tells the browser the quality or the reversal; refuses ratings off the scale or unknown statements', () => {
    const shown = JSON.stringify(type.forBrowser(built, null));
    expect(shown).not.toMatch(/responsibility|stress|reversed|quality|Жоопкерчилик/);
    expect(type.response.safeParse({ ratings: { [r1]: 0 } }).success).toBe(false);
    expect(type.response.safeParse({ ratings: { [r1]: 2.5 } }).success).toBe(false);
    expect(type.fits(built, { ratings: { nope: 3 } })).toBe(false);
    const twoPoint = type.build(type.authored.parse({ ...authored, scale: [T('жок'), T('ооба')] }), (k) => k);
    expect(type.fits(twoPoint, { ratings: { r1: 3 } })).toBe(false);
  });

  it('an author’s mistakes are refused: a statement of an unlisted quality, a quality twice, a bad code, one point', () => {
    const bad = (a: unknown) => type.authored.safeParse(a).success;
    expect(bad({ ...authored, statements: [{ text: T('x'), quality: 'nope' }] })).toBe(false);
    expect(bad({ ...authored, qualities: [...authored.qualities, authored.qualities[0]] })).toBe(false);
    expect(bad({ ...authored, qualities: [{ key: 'Бад код', name: T('x') }] })).toBe(false);
    expect(bad({ ...authored, scale: [T('бир')] })).toBe(false);
    expect(bad(authored)).toBe(true);
  });
});

describe('the questionnaire kind: plain forms', () => {
  it('a plain form answer: one radio group per statement, ratings off the scale ignored', () => {
    expect(type.fromForm(built, formOf({ [`.${r1}`]: ['4'], [`.${r2}`]: ['9'] }))).toEqual({ ratings: { [r1]: 4 } });
    expect(type.fromForm(built, formOf({}))).toBeNull();
  });

  it('author form: scale, qualities and statements, empty rows dropped, reversed ticked', () => {
    const { read, ok } = authorForm('questionnaire', {
      scale: [T('Жок', 'Нет'), T('Ооба', 'Да'), T('')],
      qualities: [{ key: ' calm ', name: T('Токтоолук', 'Выдержка') }, { key: '', name: T('') }],
      statements: [{ key: 's-1', text: T('Тынчмын', 'Я спокоен'), quality: 'calm', reversed: 'on' }, { text: T(''), quality: '' }],
    });
    expect(read).toEqual({
      scale: [T('Жок', 'Нет'), T('Ооба', 'Да')],
      qualities: [{ key: 'calm', name: T('Токтоолук', 'Выдержка') }],
      statements: [{ key: 's-1', text: T('Тынчмын', 'Я спокоен'), quality: 'calm', reversed: true }],
    });
    expect(ok).toBe(true);
    expect(authorForm('questionnaire', { scale: FIVE, qualities: [{ key: 'calm', name: T('x') }], statements: [{ text: T('x'), quality: 'other' }] }).ok).toBe(false);
  });
});
