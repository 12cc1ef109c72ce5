import { describe, expect, it } from 'vitest';
import { normaliseAnswer } from '@server/lib/text';
import { questionType } from '..';
import { authorForm, build, formOf, grade } from '@tests/kinds';

describe('short answer', () => {
  it('normalisation folds case, spaces, punctuation and ё/е; ң ө ү stay distinct unless allowed', () => {
    expect(normaliseAnswer('  Конфликт   ИНТЕРЕСОВ!! ')).toBe('конфликт интересов');
    expect(normaliseAnswer('Самоотвод.')).toBe(normaliseAnswer('самоотвод'));
    expect(normaliseAnswer('ёлка, «ещё»')).toBe('елка еще');
    expect(normaliseAnswer('Өзүн-өзү четтетүү')).toBe('өзүн өзү четтетүү');
    expect(normaliseAnswer('озун озу четтетуу')).not.toBe(normaliseAnswer('Өзүн-өзү четтетүү'));
    expect(normaliseAnswer('озун озу четтетуу', { foldKyrgyz: true })).toBe(normaliseAnswer('Өзүн-өзү четтетүү', { foldKyrgyz: true }));
    expect(normaliseAnswer('МАҢЫЗ', { foldKyrgyz: true })).toBe('маныз');
  });

  it('several answers per language, Kyrgyz and Russian, н/о/у only when allowed', () => {
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

  it('the browser view has no accepted answer; a blank plain form answer is none', () => {
    const o = build('short', { answers: { ky: ['secret-ky'], ru: ['secret-ru'] } });
    expect(JSON.stringify(questionType('short').forBrowser(o, null))).not.toMatch(/secret|answer/);
    expect(questionType('short').fromForm(o, formOf({ '': ['  '] }))).toBeNull();
  });

  it('author form: one accepted answer a line per language', () => {
    const { read, ok } = authorForm('short', { answers: { ky: 'Бишкек\r\n бишкек шаары \r\n', ru: 'Бишкек' }, acceptPlainLetters: 'on' });
    expect(read).toEqual({ answers: { ky: ['Бишкек', 'бишкек шаары'], ru: ['Бишкек'] }, acceptPlainLetters: true });
    expect(ok).toBe(true);
    expect(authorForm('short', { answers: { ky: 'Бишкек', ru: '' } }).ok).toBe(false);
  });
});
