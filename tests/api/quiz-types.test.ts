import { describe, expect, it } from 'vitest';
import { normaliseAnswer } from '@server/lib/text';
import { QUESTION_TYPES, questionType } from '@server/modules/quiz/types';
import { opaqueId } from '@server/modules/quiz/package';
import { parseNumber } from '@server/modules/quiz/types/numeric';
import { rubricFraction } from '@server/modules/quiz/types/essay';

const T = (ky: string, ru = ky) => ({ ky, ru });
const build = (kind: keyof typeof QUESTION_TYPES, authored: unknown) => {
  const type = questionType(kind);
  return type.build(type.authored.parse(authored), (key) => opaqueId('c', 'q', key));
};
const grade = (kind: keyof typeof QUESTION_TYPES, options: unknown, response: unknown) => questionType(kind).grade(options, response)?.fraction;

describe('short-answer normalisation', () => {
  it('folds case, spaces, punctuation and ё/е', () => {
    expect(normaliseAnswer('  Конфликт   ИНТЕРЕСОВ!! ')).toBe('конфликт интересов');
    expect(normaliseAnswer('Самоотвод.')).toBe(normaliseAnswer('самоотвод'));
    expect(normaliseAnswer('ёлка, «ещё»')).toBe('елка еще');
  });
  it('keeps ң ө ү distinct unless the question allows н о у', () => {
    expect(normaliseAnswer('Өзүн-өзү четтетүү')).toBe('өзүн өзү четтетүү');
    expect(normaliseAnswer('озун озу четтетуу')).not.toBe(normaliseAnswer('Өзүн-өзү четтетүү'));
    expect(normaliseAnswer('озун озу четтетуу', { foldKyrgyz: true })).toBe(normaliseAnswer('Өзүн-өзү четтетүү', { foldKyrgyz: true }));
    expect(normaliseAnswer('МАҢЫЗ', { foldKyrgyz: true })).toBe('маныз');
  });
});

describe('question type graders', () => {
  it('registers one type per kind', () => {
    expect(Object.keys(QUESTION_TYPES).sort()).toEqual(['essay', 'matching', 'multiple', 'numeric', 'ordering', 'questionnaire', 'short', 'single', 'truefalse']);
    for (const [kind, t] of Object.entries(QUESTION_TYPES)) expect(t.kind).toBe(kind);
  });

  it('single choice: the correct choice scores, others do not; needs exactly one correct', () => {
    const o = build('single', { choices: [{ text: T('a'), correct: true }, { text: T('b') }] }) as { choices: { id: string }[] };
    expect(grade('single', o, { choice: o.choices[0]!.id })).toBe(1);
    expect(grade('single', o, { choice: o.choices[1]!.id })).toBe(0);
    expect(questionType('single').authored.safeParse({ choices: [{ text: T('a'), correct: true }, { text: T('b'), correct: true }] }).success).toBe(false);
    expect(questionType('single').fits(o, { choice: 'nope' })).toBe(false);
  });

  it('multiple choice: all-or-nothing by default, partial credit when allowed, ticking everything earns nothing', () => {
    const authored = { choices: [{ text: T('a'), correct: true }, { text: T('b'), correct: true }, { text: T('c') }, { text: T('d') }] };
    const strict = build('multiple', authored) as { choices: { id: string }[] };
    const [a, b, c, d] = strict.choices.map((x) => x.id) as [string, string, string, string];
    expect(grade('multiple', strict, { choices: [a, b] })).toBe(1);
    expect(grade('multiple', strict, { choices: [a] })).toBe(0);
    const partial = build('multiple', { ...authored, partialCredit: true });
    expect(grade('multiple', partial, { choices: [a] })).toBe(0.5);
    expect(grade('multiple', partial, { choices: [a, c] })).toBe(0);
    expect(grade('multiple', partial, { choices: [a, b, c, d] })).toBe(0);
    expect(grade('multiple', partial, { choices: [b, a] })).toBe(1);
  });

  it('true/false', () => {
    expect(grade('truefalse', { correct: false }, { value: false })).toBe(1);
    expect(grade('truefalse', { correct: false }, { value: true })).toBe(0);
  });

  it('short answer: several answers per language, Kyrgyz and Russian, н/о/у only when allowed', () => {
    const strict = build('short', { answers: { ky: ['өзүн-өзү четтетүү', 'самоотвод'], ru: ['самоотвод'] } });
    expect(grade('short', strict, { text: 'Өзүн өзү четтетүү.' })).toBe(1);
    expect(grade('short', strict, { text: 'САМООТВОД' })).toBe(1);
    expect(grade('short', strict, { text: 'озун озу четтетуу' })).toBe(0);
    expect(grade('short', strict, { text: '' })).toBe(0);
    const lenient = build('short', { answers: { ky: ['өзүн-өзү четтетүү'], ru: ['самоотвод'] }, acceptPlainLetters: true });
    expect(grade('short', lenient, { text: 'озун-озу четтетуу' })).toBe(1);
    const yo = build('short', { answers: { ky: ['ыйгарым'], ru: ['ещё раз'] } });
    expect(grade('short', yo, { text: 'Ещё  раз!' })).toBe(1);
    expect(grade('short', yo, { text: 'еще раз' })).toBe(1);
  });

  it('numeric with tolerance, and numbers typed with a comma', () => {
    const o = build('numeric', { value: 3.14, tolerance: 0.01 });
    expect(grade('numeric', o, { value: 3.15 })).toBe(1);
    expect(grade('numeric', o, { value: 3.13 })).toBe(1);
    expect(grade('numeric', o, { value: 3.16 })).toBe(0);
    expect(grade('numeric', build('numeric', { value: 3 }), { value: 3 })).toBe(1);
    expect(parseNumber('3,5')).toBe(3.5);
    expect(parseNumber('1 234')).toBe(1234);
    expect(parseNumber('три')).toBeNull();
  });

  it('matching: each right pair earns its share; ids do not reveal the pairing', () => {
    const o = build('matching', { pairs: [{ prompt: T('1'), answer: T('one') }, { prompt: T('2'), answer: T('two') }], distractors: [T('three')] }) as {
      prompts: { id: string; answer: string }[];
      answers: { id: string }[];
    };
    const right = Object.fromEntries(o.prompts.map((p) => [p.id, p.answer]));
    expect(grade('matching', o, { matches: right })).toBe(1);
    expect(grade('matching', o, { matches: { [o.prompts[0]!.id]: o.prompts[0]!.answer } })).toBe(0.5);
    const pub = questionType('matching').forBrowser(o, null) as { prompts: object[] };
    expect(JSON.stringify(pub)).not.toContain('"answer"');
    expect(o.answers[0]!.id.slice(-6)).not.toBe(o.prompts[0]!.id.slice(-6));
  });

  it('ordering: items in their right place, partial by default', () => {
    const o = build('ordering', { items: [T('a'), T('b'), T('c'), T('d')] }) as { items: { id: string }[] };
    const [a, b, c, d] = o.items.map((x) => x.id) as [string, string, string, string];
    expect(grade('ordering', o, { order: [a, b, c, d] })).toBe(1);
    expect(grade('ordering', o, { order: [b, a, c, d] })).toBe(0.5);
    const strict = build('ordering', { items: [T('a'), T('b'), T('c')], partialCredit: false });
    const ids = (strict as { items: { id: string }[] }).items.map((x) => x.id);
    expect(grade('ordering', strict, { order: [ids[0], ids[2], ids[1]] })).toBe(0);
    expect(questionType('ordering').fits(o, { order: [a, a, c, d] })).toBe(false);
  });

  it('essay: graded by a trainer against the rubric', () => {
    const o = build('essay', { rubric: [{ criterion: T('content'), points: 3 }, { criterion: T('language'), points: 1 }] });
    expect(questionType('essay').grade(o, { text: 'x' })).toBeNull();
    expect(rubricFraction(o as never, [3, 1])).toBe(1);
    expect(rubricFraction(o as never, [2, 0])).toBe(0.5);
    expect(rubricFraction(o as never, [9, 9])).toBe(1);
  });

  it('the browser view of every kind carries no key', () => {
    const samples: [keyof typeof QUESTION_TYPES, unknown][] = [
      ['single', { choices: [{ text: T('a'), correct: true }, { text: T('b') }] }],
      ['multiple', { choices: [{ text: T('a'), correct: true }, { text: T('b') }] }],
      ['truefalse', { correct: true }],
      ['short', { answers: { ky: ['secret-ky'], ru: ['secret-ru'] } }],
      ['numeric', { value: 424242, tolerance: 0.5 }],
      ['ordering', { items: [T('a'), T('b'), T('c')] }],
      ['essay', { rubric: [{ criterion: T('rubric-secret'), points: 2 }] }],
    ];
    for (const [kind, authored] of samples) {
      const pub = JSON.stringify(questionType(kind).forBrowser(build(kind, authored), null));
      expect(pub, kind).not.toMatch(/correct|secret|424242|tolerance|answer|rubric/);
    }
  });
});

describe('plain form answers (JavaScript off)', () => {
  it('reads each kind from form fields, and an unreadable number is invalid rather than a cleared answer', () => {
    const read = (values: Record<string, string[]>) => (suffix: string) => values[suffix] ?? [];
    const numeric = questionType('numeric');
    const o = numeric.options.parse({ value: 7, tolerance: 0 });
    expect(numeric.fromForm(o, read({ '': ['7,0'] }))).toEqual({ value: 7 });
    expect(numeric.fromForm(o, read({ '': [''] }))).toBeNull();
    expect(numeric.response.safeParse(numeric.fromForm(o, read({ '': ['жети'] }))).success).toBe(false);
    const ord = build('ordering', { items: [T('a'), T('b'), T('c')] }) as { items: { id: string }[] };
    const [a, b, c] = ord.items.map((i) => i.id) as [string, string, string];
    expect(questionType('ordering').fromForm(ord, read({ [`.${a}`]: ['3'], [`.${b}`]: ['1'], [`.${c}`]: ['2'] }))).toEqual({ order: [b, c, a] });
    expect(questionType('multiple').fromForm({}, read({ '': ['x', 'x', 'y'] }))).toEqual({ choices: ['x', 'y'] });
    expect(questionType('truefalse').fromForm({}, read({ '': ['false'] }))).toEqual({ value: false });
  });
});
