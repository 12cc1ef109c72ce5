import { describe, expect, it } from 'vitest';
import { questionType } from '..';
import { authorForm, build, formOf, grade, T } from '@tests/kinds';

describe('matching', () => {
  it('each right pair earns its share; ids do not reveal the pairing', () => {
    const o = build('matching', { pairs: [{ prompt: T('1'), answer: T('one') }, { prompt: T('2'), answer: T('two') }], distractors: [T('three')] });
    const right = Object.fromEntries(o.prompts.map((p: { id: string; answer: string }) => [p.id, p.answer]));
    expect(grade('matching', o, { matches: right })).toBe(1);
    expect(grade('matching', o, { matches: { [o.prompts[0].id]: o.prompts[0].answer } })).toBe(0.5);
    const pub = questionType('matching').forBrowser(o, null);
    expect(JSON.stringify(pub)).not.toContain('"answer"');
    expect(o.answers[0].id.slice(-6)).not.toBe(o.prompts[0].id.slice(-6));
  });

  it('a plain form answer: one list per prompt', () => {
    const o = build('matching', { pairs: [{ prompt: T('1'), answer: T('one') }, { prompt: T('2'), answer: T('two') }] });
    const [p1] = o.prompts;
    expect(questionType('matching').fromForm(o, formOf({ [`.${p1.id}`]: [p1.answer] }))).toEqual({ matches: { [p1.id]: p1.answer } });
    expect(questionType('matching').fromForm(o, formOf({}))).toBeNull();
  });

  it('author form: pairs with either side written are kept (a half pair is refused), empty distractors dropped', () => {
    const pairs = [{ prompt: T('А'), answer: T('1') }, { prompt: T('Б'), answer: T('2') }, { prompt: T(''), answer: T('') }];
    const { read, ok } = authorForm('matching', { pairs, distractors: [T('3'), T('')] });
    expect(read).toEqual({ pairs: pairs.slice(0, 2), distractors: [T('3')] });
    expect(ok).toBe(true);
    expect(authorForm('matching', { pairs: [...pairs.slice(0, 2), { prompt: T('В'), answer: T('') }] }).ok).toBe(false);
  });
});
