import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { call, getDb, signIn, withDemo } from '../helpers';
import { users } from '@db/schema';
import { createDraft } from '@server/modules/authoring/service';
import { questionFromForm, tagOf } from '@server/modules/authoring/questions';
import { fieldWords } from '@server/modules/authoring/field-words';

let trainer = '';
let draftId = 0;
let revision = 1;
const bi = (ky: string, ru: string) => ({ ky, ru });

async function post(path: string, json: Record<string, unknown>) {
  const res = await call(`/api/author/drafts/${draftId}${path}`, { method: 'POST', json: { revision, ...json }, cookie: trainer });
  const body = (await res.json()) as any;
  if (res.status < 300) revision = body.revision;
  return { status: res.status, body };
}

beforeAll(async () => {
  await withDemo();
  trainer = await signIn('trainer@demo.kg');
  const id = getDb().select().from(users).where(eq(users.email, 'trainer@demo.kg')).get()!.id;
  const d = createDraft(getDb(), { slug: 'ids-and-errors', titleKy: 'Банк', titleRu: 'Банк' }, { id, roles: ['trainer'] });
  draftId = d.id;
  revision = d.revision;
});

describe('nobody types an id: categories, questions and tests get theirs from the service', () => {
  let category = '';
  it('a category, a question and a test added without an id each get a new one, returned with the revision', async () => {
    const c = await post('/questions/categories', { category: { title: bi('Негиздер', 'Основы') } });
    expect(c.status).toBe(201);
    category = c.body.id;
    expect(category).toMatch(/^c-[a-z2-9]{6}$/);
    const ids = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const q = await post('/questions', { question: { category, kind: 'truefalse', text: bi(`Суроо ${i}`, `Вопрос ${i}`), correct: i % 2 === 0 } });
      expect(q.status).toBe(201);
      expect(q.body.id).toMatch(/^q-[a-z2-9]{6}$/);
      ids.add(q.body.id);
    }
    expect(ids.size).toBe(5);
    const z = await post('/quizzes', { quiz: { kind: 'final', title: bi('Жыйынтыктоочу тест', 'Итоговый тест'), draw: [{ category, count: 3 }], passPercent: 70 } });
    expect(z.status).toBe(201);
    expect(z.body.id).toMatch(/^quiz-[a-z2-9]{6}$/);
    const bank = (await (await call(`/api/author/drafts/${draftId}/questions`, { cookie: trainer })).json()) as any;
    expect(bank.questions.map((q: { id: string }) => q.id).sort()).toEqual([...ids].sort());
    expect(bank.quizzes[0].id).toBe(z.body.id);
  });

  it('an id a package or an API client gives is kept (and still checked)', async () => {
    const given = await post('/questions', { question: { id: 'm1-gifts', category, kind: 'truefalse', text: bi('Белек', 'Подарок'), correct: false } });
    expect(given).toMatchObject({ status: 201, body: { id: 'm1-gifts' } });
    const twice = await post('/questions', { question: { id: 'm1-gifts', category, kind: 'truefalse', text: bi('Белек', 'Подарок'), correct: false } });
    expect(twice).toMatchObject({ status: 409, body: { error: { code: 'question_id_taken' } } });
  });

  it('a deleted question’s id is never given to the next one (attempts and analysis follow ids)', async () => {
    const bank = (await (await call(`/api/author/drafts/${draftId}/questions`, { cookie: trainer })).json()) as any;
    const gone = bank.questions.at(-1).id as string;
    const del = await call(`/api/author/drafts/${draftId}/questions/${gone}`, { method: 'DELETE', json: { revision }, cookie: trainer });
    expect(del.status).toBe(200);
    revision = ((await del.json()) as any).revision;
    const seen = new Set(bank.questions.map((q: { id: string }) => q.id));
    for (let i = 0; i < 20; i++) {
      const q = await post('/questions', { question: { category, kind: 'truefalse', text: bi(`Жаңы ${i}`, `Новый ${i}`), correct: true } });
      expect(seen.has(q.body.id)).toBe(false);
      seen.add(q.body.id);
    }
  });
});

describe('a refused save names every problem, each by its field in words', () => {
  it('an empty question answers every problem at once, common and of its kind', async () => {
    const bank = (await (await call(`/api/author/drafts/${draftId}/questions`, { cookie: trainer })).json()) as any;
    const r = await post('/questions', { question: { category: bank.categories[0].id, kind: 'single', text: bi('', ''), choices: [] } });
    expect(r.status).toBe(400);
    const fields = r.body.error.issues.map((i: { field: string }) => i.field);
    expect(fields).toEqual(expect.arrayContaining(['text.ky', 'choices']));
    expect(r.body.error.field).toBe(fields[0]);
  });

  it('every field of the forms and of the publication check has words, in both languages, and never a path', () => {
    const paths = [
      'text.ky', 'text.ru', 'feedback.ru', 'choices', 'choices.1.text.ru', 'correct', 'answers.ky', 'value', 'tolerance', 'unit.ky',
      'pairs.0.prompt.ky', 'pairs.2.answer.ru', 'distractors.0.ky', 'items.3.ru', 'rubric.0.criterion.ky', 'rubric.1.points', 'minWords',
      'mark', 'tags', 'category', 'title.ky', 'intro.ru', 'draw.0.category', 'draw.1.count', 'passPercent', 'timeLimitMinutes', 'attempts',
      'opensAt', 'closesAt', 'modulePosition', 'kind',
      'manifest.title.ky', 'manifest.summary.ru', 'manifest.objectives', 'manifest.hours', 'manifest.category', 'manifest.audience.postKinds',
      'manifest.completion.lessonsPercent', 'manifest.completion.finalTest', 'manifest.modules', 'manifest.modules.0.title.ru',
      'manifest.modules.1.lessons.2.doc.ky', 'manifest.modules.0.lessons.0.video', 'manifest.modules.0.lessons.0.title',
      'questions.questions.0.feedback.ru', 'questions.questions.4.choices.1.text.ky', 'quizzes.quizzes.0.draw.0.count', 'questions.categories.1.title.ky',
    ];
    for (const locale of ['ky', 'ru'] as const) {
      for (const path of paths) {
        const words = fieldWords(locale, path);
        expect(words, path).not.toMatch(/[a-z]+\.[a-z0-9]+|undefined|NaN|\{/);
        expect(words.length, path).toBeGreaterThan(2);
      }
    }
    expect(fieldWords('ky', 'questions.questions.0.feedback.ru')).toBe('1-суроо: Түшүндүрмө (орусча)');
    expect(fieldWords('ru', 'choices.1.text.ru')).toBe('Вариант 2 (на русском)');
    expect(fieldWords('ru', 'questions.questions.0.feedback.ru')).toBe('Вопрос 1: Пояснение (на русском)');
    expect(fieldWords('ky', 'manifest.modules.1.lessons.2.doc.ky')).toBe('2-модулдун 3-сабагынын тексти (кыргызча)');
  });
});

describe('optional fields never block a save', () => {
  it('tags are taken as typed: words, Cyrillic, a prefix with spaces', () => {
    expect(tagOf('Кызмат этикасы')).toBe('topic:kyzmat-etikasy');
    expect(tagOf('competency: Public law')).toBe('competency:public-law');
    expect(tagOf('topic:ethics-basics')).toBe('topic:ethics-basics');
    expect(tagOf('  ,, ')).toBeNull();
    const q = questionFromForm([['kind', 'truefalse'], ['tags', 'Этика, competency:мыйзам; этика']]);
    expect(q.tags).toEqual(['topic:etika', 'competency:myizam']);
  });
});
