import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { call, getDb, signIn, withDemo } from '../helpers';
import { courseDrafts, users } from '@db/schema';
import { createDraft } from '@server/modules/authoring/service';
import { checkQuizPackage } from '@server/modules/quiz/package';
import { QUESTION_KINDS } from '@server/modules/quiz/types';
import { questionFromForm, quizFromForm } from '@server/modules/authoring/questions';

let trainer = '';
let reviewer = '';
let learner = '';
let draftId = 0;
let revision = 1;

const bi = (ky: string, ru: string) => ({ ky, ru });
const userId = (email: string) => getDb().select().from(users).where(eq(users.email, email)).get()!.id;

/** One valid question of every kind in the registry, as in questions.json. */
const VALID: Record<string, Record<string, unknown>> = {
  single: { choices: [{ text: bi('Ооба', 'Да'), correct: true }, { text: bi('Жок', 'Нет') }] },
  multiple: { choices: [{ key: 'a', text: bi('Биринчи', 'Первый'), correct: true }, { key: 'b', text: bi('Экинчи', 'Второй'), correct: true }, { key: 'c', text: bi('Үчүнчү', 'Третий') }], partialCredit: true },
  truefalse: { correct: false },
  short: { answers: { ky: ['Бишкек'], ru: ['Бишкек'] }, acceptPlainLetters: true },
  numeric: { value: 3.5, tolerance: 0.1, unit: bi('саат', 'час') },
  matching: { pairs: [{ prompt: bi('А', 'А'), answer: bi('1', '1') }, { prompt: bi('Б', 'Б'), answer: bi('2', '2') }], distractors: [bi('3', '3')] },
  ordering: { items: [bi('Биринчи', 'Первый'), bi('Экинчи', 'Второй'), bi('Үчүнчү', 'Третий')], partialCredit: false },
  essay: { rubric: [{ criterion: bi('Толуктугу', 'Полнота'), points: 4 }], minWords: 50 },
  questionnaire: { scale: [bi('Жок', 'Нет'), bi('Ооба', 'Да')], qualities: [{ key: 'calm', name: bi('Токтоолук', 'Выдержка') }], statements: [{ text: bi('Тынчмын', 'Я спокоен'), quality: 'calm', reversed: false }] },
};

/** For each kind an invalid variant and the field the error must name. */
const INVALID: Record<string, [Record<string, unknown>, string][]> = {
  single: [
    [{ choices: [{ text: bi('А', 'А'), correct: true }, { text: bi('Б', 'Б'), correct: true }] }, 'choices'],
    [{ choices: [{ text: bi('А', 'А'), correct: true }] }, 'choices'],
  ],
  multiple: [[{ choices: [{ text: bi('А', 'А') }, { text: bi('Б', 'Б') }] }, 'choices']],
  truefalse: [[{}, 'correct'], [{ correct: 'yes' }, 'correct']],
  short: [[{ answers: { ky: [], ru: [] } }, 'answers.ky']],
  numeric: [[{ value: 'three' }, 'value'], [{ value: 3, tolerance: -1 }, 'tolerance']],
  matching: [[{ pairs: [{ prompt: bi('А', 'А'), answer: bi('1', '1') }] }, 'pairs']],
  ordering: [[{ items: [bi('А', 'А'), bi('Б', 'Б')] }, 'items']],
  essay: [[{ rubric: [{ criterion: bi('А', 'А'), points: 0 }] }, 'rubric.0.points'], [{ rubric: [] }, 'rubric']],
  questionnaire: [[{ ...VALID.questionnaire, statements: [{ text: bi('А', 'А'), quality: 'nope' }] }, 'statements'], [{ ...VALID.questionnaire, scale: [bi('А', 'А')] }, 'scale']],
};

const question = (id: string, kind: string, extra: Record<string, unknown>, text = bi(`${kind} суроо`, `вопрос ${kind}`)) => ({ id, category: 'm1', kind, text, ...extra });

async function post(path: string, json: Record<string, unknown>, cookie = trainer, method = 'POST') {
  const res = await call(`/api/author/drafts/${draftId}${path}`, { method, json: { revision, ...json }, cookie });
  const body = (await res.json()) as any;
  if (res.status < 300) revision = body.revision;
  return { status: res.status, body };
}

beforeAll(async () => {
  await withDemo();
  trainer = await signIn('trainer@demo.kg');
  reviewer = await signIn('reviewer@demo.kg');
  learner = await signIn('learner@demo.kg');
  const d = createDraft(getDb(), { slug: 'bank-test-course', titleKy: 'Банк', titleRu: 'Банк' }, { id: userId('trainer@demo.kg'), roles: ['trainer'] });
  draftId = d.id;
  revision = d.revision;
});

describe('question bank editing in a draft', () => {
  it('adds a category; a bad id or a taken one is refused', async () => {
    expect((await post('/questions/categories', { category: { id: 'Bad Id', title: bi('А', 'А') } })).body.error).toEqual({ code: 'invalid_input', field: 'id' });
    const ok = await post('/questions/categories', { category: { id: 'm1', title: bi('1-модуль', 'Модуль 1') } });
    expect(ok.status).toBe(201);
    expect(ok.body.revision).toBe(2);
    expect((await post('/questions/categories', { category: { id: 'm1', title: bi('Дагы', 'Ещё') } })).body.error.code).toBe('category_id_taken');
  });

  it('has a form for each kind in the registry', () => {
    expect(Object.keys(VALID).sort()).toEqual([...QUESTION_KINDS].sort());
  });

  for (const kind of Object.keys(VALID)) {
    it(`${kind}: a valid question is saved; invalid ones name the field`, async () => {
      for (const [extra, field] of INVALID[kind]!) {
        const res = await post('/questions', { question: question(`bad-${kind}`, kind, extra) });
        expect(res.status, `${kind} ${JSON.stringify(extra)}`).toBe(400);
        expect(res.body.error).toMatchObject({ code: 'invalid_input', field });
      }
      const res = await post('/questions', { question: question(`q-${kind}`, kind, VALID[kind]!) });
      expect(res.status).toBe(201);
      const bank = (await (await call(`/api/author/drafts/${draftId}/questions`, { cookie: trainer })).json()) as any;
      const saved = bank.questions.find((q: any) => q.id === `q-${kind}`);
      expect(saved.kind).toBe(kind);
      expect(saved.missing).toEqual([]);
      expect(bank.questions.some((q: any) => q.id === `bad-${kind}`)).toBe(false);
    });
  }

  it('keeps a text written in one language and marks the missing translation; both missing is refused', async () => {
    const one = await post('/questions', { question: question('ky-only', 'single', { choices: [{ text: bi('Ооба', ''), correct: true }, { text: bi('Жок', 'Нет') }] }, bi('Кыргызча гана', '')) });
    expect(one.status).toBe(201);
    const bank = (await (await call(`/api/author/drafts/${draftId}/questions`, { cookie: trainer })).json()) as any;
    const q = bank.questions.find((x: any) => x.id === 'ky-only');
    expect(q.text).toEqual({ ky: 'Кыргызча гана', ru: '' });
    expect(q.missing).toEqual(['text.ru', 'choices.0.text.ru']);
    expect(bank.problems).toContainEqual({ code: 'bank_translation_missing', target: 'question:ky-only' });
    const none = await post('/questions', { question: question('no-text', 'truefalse', { correct: true }, bi('', ' ')) });
    expect(none.body.error).toMatchObject({ code: 'invalid_input', field: 'text.ky' });
  });

  it('refuses an unknown category, a taken id, a reserved id and a stale revision', async () => {
    expect((await post('/questions', { question: { ...question('x1', 'truefalse', { correct: true }), category: 'nope' } })).body.error).toEqual({ code: 'unknown_category', field: 'category' });
    expect((await post('/questions', { question: question('q-single', 'truefalse', { correct: true }) })).body.error.code).toBe('question_id_taken');
    expect((await post('/questions', { question: question('new', 'truefalse', { correct: true }) })).body.error.code).toBe('question_id_reserved');
    expect((await post('/questions', { question: question('unknown-field', 'truefalse', { correct: true, extra: 1 }) })).body.error.code).toBe('invalid_input');
    const stale = await call(`/api/author/drafts/${draftId}/questions`, { method: 'POST', json: { revision: revision - 1, question: question('late', 'truefalse', { correct: true }) }, cookie: trainer });
    expect(stale.status).toBe(409);
    expect(((await stale.json()) as any).error.code).toBe('stale_revision');
  });

  it('edits a question in place (the id stays) and deletes one', async () => {
    const res = await post('/questions/q-truefalse', { question: question('renamed', 'truefalse', { correct: true }, bi('Жаңы текст', 'Новый текст')) }, trainer, 'PUT');
    expect(res.status).toBe(200);
    const bank = (await (await call(`/api/author/drafts/${draftId}/questions`, { cookie: trainer })).json()) as any;
    const q = bank.questions.find((x: any) => x.id === 'q-truefalse');
    expect(q).toMatchObject({ correct: true, text: { ky: 'Жаңы текст', ru: 'Новый текст' } });
    expect(bank.questions.some((x: any) => x.id === 'renamed')).toBe(false);
    expect((await post('/questions/ky-only', {}, trainer, 'DELETE')).status).toBe(200);
    expect((await post('/questions/ky-only', {}, trainer, 'DELETE')).status).toBe(404);
  });

  it('adds quizzes with draw rules and settings; refuses a draw larger than its category and a second final test', async () => {
    const quiz = { id: 'final', kind: 'final', modulePosition: null, title: bi('Жыйынтыктоочу тест', 'Итоговый тест'), draw: [{ category: 'm1', count: 50 }], passPercent: 70, timeLimitMinutes: 20, attempts: 2, review: 'after_close' };
    const tooMany = await post('/quizzes', { quiz });
    expect(tooMany.body.error).toEqual({ code: 'quiz_draw_too_large', field: 'draw.0.count' });
    expect((await post('/quizzes', { quiz: { ...quiz, passPercent: 120, draw: [{ category: 'm1', count: 5 }] } })).body.error).toMatchObject({ code: 'invalid_input', field: 'passPercent' });
    expect((await post('/quizzes', { quiz: { ...quiz, draw: [{ category: 'm1', count: 5 }] } })).status).toBe(201);
    expect((await post('/quizzes', { quiz: { ...quiz, id: 'final-2', draw: [{ category: 'm1', count: 2 }] } })).body.error.code).toBe('quiz_second_final');
    expect((await post('/quizzes', { quiz: { ...quiz, id: 'module-9', kind: 'module', modulePosition: 9, draw: [{ category: 'm1', count: 2 }] } })).body.error).toEqual({ code: 'quiz_module_position', field: 'modulePosition' });
    const changed = await post('/quizzes/final', { quiz: { ...quiz, draw: [{ category: 'm1', count: 8 }], passPercent: 80 } }, trainer, 'PUT');
    expect(changed.status).toBe(200);
    expect((await post('/questions/categories/m1', {}, trainer, 'DELETE')).body.error.code).toBe('category_in_use');
  });

  it('stores exactly the package shape: the bank passes the package check the import uses', async () => {
    const d = getDb().select().from(courseDrafts).where(eq(courseDrafts.id, draftId)).get()!;
    const loaded = checkQuizPackage(d.content.questions, d.content.quizzes, d.slug, 1);
    expect(loaded.questions.map((q) => q.kind).sort()).toEqual([...QUESTION_KINDS].sort());
    expect(loaded.quizzes[0]).toMatchObject({ id: 'final', passPercent: 80, timeLimitMinutes: 20, attempts: 2, review: 'after_close' });
  });

  it('a reviewer reads the bank but cannot change it; a learner cannot read it', async () => {
    expect((await call(`/api/author/drafts/${draftId}/questions`, { cookie: reviewer })).status).toBe(200);
    const res = await post('/questions', { question: question('by-reviewer', 'truefalse', { correct: true }) }, reviewer);
    expect(res.status).toBe(403);
    expect((await call(`/api/author/drafts/${draftId}/questions`, { cookie: learner })).status).toBe(403);
    expect((await call(`/api/author/drafts/${draftId}/questions`)).status).toBe(401);
  });
});

describe('plain forms (no JavaScript): one field set per kind', () => {
  const common = [['id', 'f-q'], ['category', 'm1'], ['text.ky', 'Суроо'], ['text.ru', 'Вопрос'], ['mark', '2'], ['tags', 'topic:ethics, competency:law']] as [string, string][];
  const FORMS: Record<string, [string, string][]> = {
    single: [['choices.0.text.ky', 'Ооба'], ['choices.0.text.ru', 'Да'], ['choices.1.text.ky', 'Жок'], ['choices.1.text.ru', 'Нет'], ['choices.2.text.ky', ''], ['choices.2.text.ru', ''], ['correct', '1']],
    multiple: [['choices.0.text.ky', 'А'], ['choices.0.text.ru', 'А'], ['choices.0.correct', 'on'], ['choices.1.text.ky', 'Б'], ['choices.1.text.ru', 'Б'], ['partialCredit', 'on']],
    truefalse: [['correct', 'false']],
    short: [['answers.ky', 'Бишкек\r\nбишкек шаары\r\n'], ['answers.ru', 'Бишкек']],
    numeric: [['value', '3,5'], ['tolerance', ''], ['unit.ky', ''], ['unit.ru', '']],
    matching: [['pairs.0.prompt.ky', 'А'], ['pairs.0.prompt.ru', 'А'], ['pairs.0.answer.ky', '1'], ['pairs.0.answer.ru', '1'], ['pairs.1.prompt.ky', 'Б'], ['pairs.1.prompt.ru', 'Б'], ['pairs.1.answer.ky', '2'], ['pairs.1.answer.ru', '2'], ['pairs.2.prompt.ky', ''], ['distractors.0.ky', '']],
    ordering: [['items.0.ky', '1'], ['items.0.ru', '1'], ['items.1.ky', '2'], ['items.1.ru', '2'], ['items.2.ky', '3'], ['items.2.ru', '3'], ['items.3.ky', '']],
    questionnaire: [['scale.0.ky', 'Жок'], ['scale.0.ru', 'Нет'], ['scale.1.ky', 'Ооба'], ['scale.1.ru', 'Да'], ['qualities.0.key', 'calm'], ['qualities.0.name.ky', 'Токтоолук'], ['qualities.0.name.ru', 'Выдержка'], ['statements.0.text.ky', 'Тынчмын'], ['statements.0.text.ru', 'Я спокоен'], ['statements.0.quality', 'calm'], ['statements.0.reversed', 'on']],
    essay: [['rubric.0.criterion.ky', 'Толуктугу'], ['rubric.0.criterion.ru', 'Полнота'], ['rubric.0.points', '5'], ['rubric.1.criterion.ky', ''], ['rubric.1.points', ''], ['minWords', '']],
  };
  for (const kind of QUESTION_KINDS) {
    it(`${kind}: the form reads into a question the registry accepts`, async () => {
      const q = questionFromForm([...common, ['kind', kind], ...FORMS[kind]!]);
      const res = await post('/questions', { question: { ...q, id: `form-${kind}` } });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    });
  }
  it('reads the parts of a form exactly', () => {
    expect(questionFromForm([...common, ['kind', 'single'], ...FORMS.single!])).toMatchObject({ mark: 2, tags: ['topic:ethics', 'competency:law'], choices: [{ correct: false }, { correct: true }] });
    expect(questionFromForm([...common, ['kind', 'numeric'], ...FORMS.numeric!])).toMatchObject({ value: 3.5, tolerance: 0 });
    expect(questionFromForm([...common, ['kind', 'short'], ...FORMS.short!])).toMatchObject({ answers: { ky: ['Бишкек', 'бишкек шаары'], ru: ['Бишкек'] } });
    // A number that cannot be read stays text, so the schema names the field.
    expect(questionFromForm([...common, ['kind', 'numeric'], ['value', 'abc']]).value).toBe('abc');
    expect(quizFromForm([['id', 'm'], ['kind', 'module'], ['modulePosition', '1'], ['title.ky', 'Т'], ['title.ru', 'Т'], ['draw.0.category', 'm1'], ['draw.0.count', '3'], ['draw.1.category', ''], ['draw.1.count', ''], ['passPercent', '70'], ['timeLimitMinutes', ''], ['attempts', ''], ['opensAt', '2026-12-01T09:00'], ['shuffleQuestions', 'on']]))
      .toMatchObject({ modulePosition: 1, draw: [{ category: 'm1', count: 3 }], timeLimitMinutes: null, attempts: null, opensAt: '2026-12-01T09:00:00+06:00', shuffleQuestions: true, shuffleOptions: false });
  });
});
