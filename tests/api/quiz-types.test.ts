/**
 * The question kind registry as a whole. Each kind's own tests (grading, plain form answers, its
 * author form) sit in its folder: server/modules/quiz/types/<kind>/<kind>.test.ts.
 */
import { existsSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { QUESTION_KINDS, QUESTION_TYPES, questionType } from '@server/modules/quiz/types';
import ky from '@locales/ky.json';
import ru from '@locales/ru.json';
import { build, T } from '../kinds';

describe('question kind registry', () => {
  it('registers one type per kind', () => {
    expect(Object.keys(QUESTION_TYPES).sort()).toEqual(['essay', 'matching', 'multiple', 'numeric', 'ordering', 'questionnaire', 'short', 'single', 'truefalse']);
    for (const [kind, t] of Object.entries(QUESTION_TYPES)) expect(t.kind).toBe(kind);
  });

  it('every kind keeps its parts together: grader and tests, author form and learner control (docs/architecture.md, "Question kinds")', () => {
    for (const kind of QUESTION_KINDS) {
      expect(existsSync(`server/modules/quiz/types/${kind}/index.ts`), kind).toBe(true);
      expect(existsSync(`server/modules/quiz/types/${kind}/${kind}.test.ts`), kind).toBe(true);
      expect(existsSync(`site/components/question-kinds/${kind}/AuthorFields.astro`), kind).toBe(true);
      expect(existsSync(`site/components/question-kinds/${kind}/Control.tsx`), kind).toBe(true);
    }
    // (that site/components/question-kinds/controls.ts and author-fields.ts name every kind, and no
    // other, is checked by tsc: they are typed Record<QuestionKind, …>)
    // no folder of a kind that is not registered
    const folders = (dir: string) => readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
    expect(folders('server/modules/quiz/types')).toEqual([...QUESTION_KINDS].sort());
    expect(folders('site/components/question-kinds')).toEqual([...QUESTION_KINDS].sort());
  });

  it('every kind has its names in both languages: the kind menu, the form\'s hint, the XLSX help sheet', () => {
    // keys made from the kind's name, which the i18n test cannot see in the source
    for (const locale of [ky, ru] as Record<string, string>[])
      for (const kind of QUESTION_KINDS) for (const key of [`quizKind.${kind}`, `bank.kindHint.${kind}`, `bankio.help.${kind}`]) expect(locale[key], key).toBeTruthy();
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
