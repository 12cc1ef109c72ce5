import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { call, getDb, signIn, withDemo } from '../helpers';
import { users } from '@db/schema';
import { draftFromPublished, getDraft, publishedContent, saveLesson } from '@server/modules/authoring/service';
import { decide, submitDraft, takeIntoReview } from '@server/modules/review/service';
import { docLines, lineDiff, publishedDiff } from '@server/modules/review/diff';
import type { TiptapNode } from '@server/lib/tiptap';

// Issue #16: a new version of a published course is reviewed against the published one — what
// changed in lesson text, questions, test settings and the completion rule — and checklist items
// stay ticked unless what they cover changed.

const doc = (...paras: string[]): TiptapNode => ({ type: 'doc', content: paras.map((text) => ({ type: 'paragraph', content: [{ type: 'text', text }] })) });
const bi = (ky: string, ru: string) => ({ ky, ru });
const SLUG = 'diffed-course';
let trainer = '';
let trainerActor: { id: number; roles: ('trainer' | 'learner')[] };
let reviewerActor: { id: number; roles: ('reviewer' | 'learner')[] };
let draftId = 0;
let quizId = '';
let category = '';
const PASS = (comment: Record<string, string> = {}) =>
  (['objectives', 'languages', 'practice', 'assessment', 'accessibility'] as const).map((item) => ({ item, result: 'pass' as const, comment: comment[item] ?? '' }));

async function post(path: string, json: Record<string, unknown>, method = 'POST') {
  const revision = getDraft(getDb(), draftId).revision;
  const res = await call(`/api/author/drafts/${draftId}${path}`, { method, json: { revision, ...json }, cookie: trainer });
  const body = (await res.json()) as any;
  expect(res.status, JSON.stringify(body)).toBeLessThan(300);
  return body;
}

function approve() {
  submitDraft(getDb(), draftId, trainerActor);
  takeIntoReview(getDb(), draftId, reviewerActor);
  decide(getDb(), draftId, reviewerActor, 'approved', { checklist: PASS({ objectives: 'Максаттар так жазылган.', accessibility: 'Субтитрлер бар.' }) });
}

beforeAll(async () => {
  await withDemo();
  trainer = await signIn('trainer@demo.kg');
  const db = getDb();
  trainerActor = { id: db.select().from(users).where(eq(users.email, 'trainer@demo.kg')).get()!.id, roles: ['learner', 'trainer'] };
  reviewerActor = { id: db.select().from(users).where(eq(users.email, 'reviewer@demo.kg')).get()!.id, roles: ['learner', 'reviewer'] };
  const created = await call('/api/author/drafts', { method: 'POST', cookie: trainer, json: { slug: SLUG, titleKy: 'Айырма' } });
  draftId = ((await created.json()) as any).id;
  const d = getDraft(db, draftId);
  const lesson = (slug: string, ky: string[], ru: string[]) => ({ slug, title: bi(slug, slug), minutes: 10, kind: 'theory', doc: { ky: doc(...ky), ru: doc(...ru) } });
  await post('', {
    content: {
      manifest: {
        ...d.content.manifest,
        title: bi('Айырма', 'Разница'), summary: bi('Кыскача', 'Кратко'), objectives: { ky: ['Билүү'], ru: ['Знать'] },
        modules: [{ title: bi('Негиздер', 'Основы'), lessons: [lesson('first', ['Биринчи абзац.', 'Экинчи абзац.'], ['Первый абзац.', 'Второй абзац.']), lesson('second', ['Башка сабак.'], ['Другой урок.'])] }],
      },
    },
  }, 'PUT');
  category = (await post('/questions/categories', { category: { title: bi('Негиздер', 'Основы') } })).id;
  for (let i = 0; i < 3; i++) await post('/questions', { question: { category, kind: 'truefalse', text: bi(`Суроо ${i}`, `Вопрос ${i}`), correct: true } });
  quizId = (await post('/quizzes', { quiz: { kind: 'final', title: bi('Жыйынтыктоочу тест', 'Итоговый тест'), draw: [{ category, count: 2 }], passPercent: 70 } })).id;
  approve();
});

describe('a new version against the published one', () => {
  it('an unchanged new draft differs in nothing and every checklist item is unchanged', () => {
    const draft = draftFromPublished(getDb(), SLUG, trainerActor);
    const diff = publishedDiff(publishedContent(getDb(), draft), draft.content)!;
    expect(diff).toMatchObject({ lessons: [], questions: [], quizzes: [], completion: null, settings: [] });
    expect(diff.unchangedItems.sort()).toEqual(['accessibility', 'assessment', 'languages', 'objectives', 'practice']);
  });

  it('names the changed lesson text line by line, the test setting before and after, and the completion rule', async () => {
    const db = getDb();
    const draft = getDraft(db, draftId);
    saveLesson(db, draftId, draft.revision, 'first', { doc: { ky: doc('Биринчи абзац.', 'Жаңы экинчи абзац.'), ru: doc('Первый абзац.', 'Второй абзац.') } }, trainerActor);
    await post(`/quizzes/${quizId}`, { quiz: { kind: 'final', title: bi('Жыйынтыктоочу тест', 'Итоговый тест'), draw: [{ category, count: 2 }], passPercent: 80 } }, 'PUT');
    const d = getDraft(db, draftId);
    await post('', { content: { manifest: { ...d.content.manifest, completion: { ...(d.content.manifest.completion ?? {}), lessonsPercent: 50 } } } }, 'PUT');
    const after = getDraft(db, draftId);
    const diff = publishedDiff(publishedContent(db, after), after.content)!;
    expect(diff.lessons).toEqual([
      expect.objectContaining({ slug: 'first', change: 'changed', text: { ky: [{ op: 'removed', text: 'Экинчи абзац.' }, { op: 'added', text: 'Жаңы экинчи абзац.' }] }, titleChanged: false, videoChanged: false }),
    ]);
    expect(diff.questions).toEqual([]);
    expect(diff.quizzes).toEqual([expect.objectContaining({ id: quizId, change: 'changed', settings: [{ field: 'passPercent', before: 70, after: 80 }] })]);
    expect(diff.completion?.before.lessonsPercent).toBe(100);
    expect(diff.completion?.after.lessonsPercent).toBe(50);
    // what each item covers: text changed (languages, accessibility looks at the documents too), tests changed (assessment)
    expect(diff.unchangedItems.sort()).toEqual(['objectives', 'practice']);
  });

  it('the new round keeps "passed" (and its comment) on the unchanged items only', () => {
    const db = getDb();
    submitDraft(db, draftId, trainerActor);
    const review = takeIntoReview(db, draftId, reviewerActor);
    expect(review.checklist).toEqual([
      { item: 'objectives', result: 'pass', comment: 'Максаттар так жазылган.' },
      { item: 'languages', result: null, comment: '' },
      { item: 'practice', result: 'pass', comment: '' },
      { item: 'assessment', result: null, comment: '' },
      { item: 'accessibility', result: null, comment: '' },
    ]);
  });

  it('a new course has no diff and starts with an empty checklist', () => {
    expect(publishedDiff(null, getDraft(getDb(), draftId).content)).toBeNull();
  });

  it('the line diff keeps order and is bounded', () => {
    expect(lineDiff(['a', 'b', 'c'], ['a', 'c', 'd'])).toEqual([{ op: 'removed', text: 'b' }, { op: 'added', text: 'd' }]);
    expect(lineDiff([], [])).toEqual([]);
    const big = Array.from({ length: 3000 }, (_, i) => `p${i}`);
    expect(lineDiff(big, big.slice(1)).length).toBe(3000 + 2999);
    expect(docLines({ type: 'doc', content: [{ type: 'bulletList', content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: '  бир  ' }] }] }] }, { type: 'image', attrs: { alt: 'схема' } }] })).toEqual(['бир', '[схема]']);
  });
});
