import { beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { call, getDb, signIn, withDemo, outcome as code } from '../helpers';
import { courseDrafts, draftMedia, users } from '@db/schema';
import { createDraft, getDraft, saveLesson } from '@server/modules/authoring/service';
import { bankEdits, changeBank } from '@server/modules/authoring/bank';
import { storeUpload } from '@server/modules/authoring/media';
import { copyLesson, copyQuiz, copyTargets } from '@server/modules/authoring/copy';

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
const bi = (ky: string, ru: string) => ({ ky, ru });
const idOf = (email: string) => getDb().select().from(users).where(eq(users.email, email)).get()!.id;
type Actor = { id: number; roles: string[] };
let trainer: Actor;
let reviewer: Actor;
let otherTrainer: Actor;
let sourceId = 0;
let image = '';
const para = (text: string) => ({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });

beforeAll(async () => {
  await withDemo();
  const db = getDb();
  trainer = { id: idOf('trainer@demo.kg'), roles: ['trainer'] };
  reviewer = { id: idOf('reviewer@demo.kg'), roles: ['reviewer'] };
  otherTrainer = { id: idOf('learner@demo.kg'), roles: ['trainer'] };
  const d = createDraft(db, { slug: 'parts-source', titleKy: 'Булак', titleRu: 'Источник' }, trainer as never);
  sourceId = d.id;
  image = storeUpload(db, d.id, PNG, 'image').sha256;
  const doc = { type: 'doc', content: [...para('Түп нуска').content, { type: 'image', attrs: { src: `/api/media/${image}` } }] };
  let rev = saveLesson(db, d.id, d.revision, 'lesson-1', { doc: { ky: doc as never } }, trainer as never).revision;
  rev = changeBank(db, d.id, rev, trainer as never, bankEdits.addCategory({ id: 'm1', title: bi('1-модуль', 'Модуль 1') }));
  rev = changeBank(db, d.id, rev, trainer as never, bankEdits.addQuestion({ id: 'q1', category: 'm1', kind: 'truefalse', text: bi('Туурабы?', 'Верно?'), correct: true }));
  changeBank(db, d.id, rev, trainer as never, bankEdits.addQuiz({ id: 'final', kind: 'final', title: bi('Жыйынтык', 'Итог'), draw: [{ category: 'm1', count: 1 }], passPercent: 60 }));
});

describe('copying a lesson', () => {
  it('into the same draft and into another: a new slug, its media shared, independent of the original', () => {
    const db = getDb();
    const src = getDraft(db, sourceId);
    const same = copyLesson(db, sourceId, 'lesson-1', sourceId, src.revision, trainer as never);
    expect(same.slug).toBe('lesson-1-copy');
    const target = createDraft(db, { slug: 'parts-target', titleKy: 'Максат', titleRu: 'Цель' }, trainer as never);
    const other = copyLesson(db, sourceId, 'lesson-1', target.id, target.revision, trainer as never);
    expect(other.slug).toBe('lesson-1-copy');
    expect(db.select().from(draftMedia).where(and(eq(draftMedia.draftId, target.id), eq(draftMedia.sha256, image))).get()).toBeTruthy();
    // edit the copy: the original keeps its text
    saveLesson(db, target.id, other.revision, 'lesson-1-copy', { doc: { ky: para('Өзгөртүлдү') as never } }, trainer as never);
    const original = getDraft(db, sourceId).content.manifest.modules[0]!.lessons.find((l) => l.slug === 'lesson-1')!;
    expect(JSON.stringify(original.doc)).toContain('Түп нуска');
    expect(JSON.stringify(original.doc)).not.toContain('Өзгөртүлдү');
  });

  it('only by the author of both drafts: others are told the draft does not exist; a stale revision is refused', () => {
    const db = getDb();
    const src = getDraft(db, sourceId);
    expect(code(() => copyLesson(db, sourceId, 'lesson-1', sourceId, src.revision, otherTrainer as never))).toBe('404 draft_not_found');
    expect(code(() => copyLesson(db, sourceId, 'lesson-1', sourceId, src.revision, reviewer as never))).toBe('404 draft_not_found');
    const foreign = createDraft(db, { slug: 'parts-foreign', titleKy: 'Башка', titleRu: 'Другой' }, otherTrainer as never);
    expect(code(() => copyLesson(db, sourceId, 'lesson-1', foreign.id, foreign.revision, trainer as never))).toBe('404 draft_not_found');
    expect(code(() => copyLesson(db, sourceId, 'nope', sourceId, src.revision, trainer as never))).toBe('404 lesson_not_found');
    expect(code(() => copyLesson(db, sourceId, 'lesson-1', sourceId, src.revision - 1, trainer as never))).toBe('409 stale_revision');
    expect(getDraft(db, sourceId).revision).toBe(src.revision);
  });
});

describe('copying a quiz', () => {
  it('into another draft brings the categories it draws from and their questions; editing the copy leaves the original', () => {
    const db = getDb();
    const target = createDraft(db, { slug: 'parts-quiz-target', titleKy: 'Тест', titleRu: 'Тест' }, trainer as never);
    const done = copyQuiz(db, sourceId, 'final', target.id, target.revision, trainer as never);
    const t = getDraft(db, target.id);
    expect(done.id).toBe('final-copy');
    expect(t.content.questions.categories.map((c) => c.id)).toEqual(['m1']);
    expect(t.content.questions.questions.map((q) => q.id)).toEqual(['q1']);
    changeBank(db, target.id, done.revision, trainer as never, bankEdits.updateQuestion('q1', { category: 'm1', kind: 'truefalse', text: bi('Башка', 'Другой'), correct: false }));
    expect((getDraft(db, sourceId).content.questions.questions[0] as any).text.ky).toBe('Туурабы?');
  });

  it('into the same draft: a second final test is refused by the bank’s own rule, nothing saved', () => {
    const db = getDb();
    const src = getDraft(db, sourceId);
    expect(code(() => copyQuiz(db, sourceId, 'final', sourceId, src.revision, trainer as never))).toBe('409 quiz_second_final');
    expect(code(() => copyQuiz(db, sourceId, 'final', sourceId, src.revision, otherTrainer as never))).toBe('404 draft_not_found');
    expect(getDraft(db, sourceId).revision).toBe(src.revision);
  });
});

describe('the copy buttons of the authoring pages (copy.ts without a revision, copyTargets)', () => {
  it('through the API a copied lesson and quiz live their own lives: editing either side never shows on the other', async () => {
    const db = getDb();
    const cookie = await signIn('trainer@demo.kg');
    const made = await call('/api/author/drafts', { method: 'POST', cookie, json: { slug: 'parts-api-target', titleKy: 'Көчүрмө', titleRu: 'Копия' } });
    const target = (await made.json()) as { id: number; revision: number };
    const lessonRes = await call(`/api/author/drafts/${sourceId}/lessons/lesson-1/copy`, { method: 'POST', cookie, json: { target: target.id, revision: target.revision } });
    expect(lessonRes.status).toBe(201);
    const lesson = (await lessonRes.json()) as { slug: string; revision: number };
    // the copy edited: the original keeps its text; the original edited: the copy keeps its own
    const edited = await call(`/api/author/drafts/${target.id}/lessons/${lesson.slug}`, { method: 'PUT', cookie, json: { revision: lesson.revision, lesson: { doc: { ky: para('Көчүрмөдө жазылды') } } } });
    expect(edited.status).toBe(200);
    const src = getDraft(db, sourceId);
    expect((await call(`/api/author/drafts/${sourceId}/lessons/lesson-1`, { method: 'PUT', cookie, json: { revision: src.revision, lesson: { title: { ky: 'Түп нусканын жаңы аталышы' } } } })).status).toBe(200);
    const read = async (id: number) => ((await (await call(`/api/author/drafts/${id}`, { cookie })).json()) as { content: { manifest: { modules: { lessons: { slug: string; title: { ky?: string }; doc: unknown }[] }[] } } }).content.manifest.modules.flatMap((m) => m.lessons);
    const original = (await read(sourceId)).find((l) => l.slug === 'lesson-1')!;
    const copy = (await read(target.id)).find((l) => l.slug === lesson.slug)!;
    expect(JSON.stringify(original.doc)).toContain('Түп нуска');
    expect(JSON.stringify(original.doc)).not.toContain('Көчүрмөдө');
    expect(JSON.stringify(copy.doc)).toContain('Көчүрмөдө жазылды');
    expect(copy.title.ky).not.toBe('Түп нусканын жаңы аталышы');

    const quizRes = await call(`/api/author/drafts/${sourceId}/quizzes/final/copy`, { method: 'POST', cookie, json: { target: target.id, revision: getDraft(db, target.id).revision } });
    expect(quizRes.status).toBe(201);
    const quiz = (await quizRes.json()) as { id: string; revision: number };
    const bank = async (id: number) => (await (await call(`/api/author/drafts/${id}/questions`, { cookie })).json()) as { questions: { id: string; text: { ky: string } }[]; quizzes: { id: string; passPercent: number }[] };
    const copied = await bank(target.id);
    expect(copied.quizzes.map((q) => q.id)).toContain(quiz.id);
    changeBank(db, target.id, quiz.revision, trainer as never, bankEdits.updateQuestion('q1', { category: 'm1', kind: 'truefalse', text: bi('Көчүрмөнүн суроосу', 'Вопрос копии'), correct: false }));
    expect((await bank(sourceId)).questions.find((q) => q.id === 'q1')!.text.ky).toBe('Туурабы?');
  });

  it('without a revision the copy goes onto the target’s latest one (a save in between does not make it stale) and adds, never overwrites', () => {
    const db = getDb();
    const target = createDraft(db, { slug: 'parts-latest', titleKy: 'Акыркы', titleRu: 'Последний' }, trainer as never);
    const saved = saveLesson(db, target.id, target.revision, 'lesson-1', { doc: { ky: para('Максаттагы текст') as never } }, trainer as never);
    const done = copyLesson(db, sourceId, 'lesson-1', target.id, undefined, trainer as never);
    expect(done.revision).toBe(saved.revision + 1);
    const lessons = getDraft(db, target.id).content.manifest.modules.flatMap((m) => m.lessons);
    expect(lessons.map((l) => l.slug)).toEqual(['lesson-1', 'lesson-1-copy']);
    expect(JSON.stringify(lessons[0]!.doc)).toContain('Максаттагы текст');
    expect(copyQuiz(db, sourceId, 'final', target.id, undefined, trainer as never).id).toBe('final-copy');
  });

  it('the choice of drafts to copy into: the user’s own drafts open for edits — not another trainer’s, not one in review; none for a reviewer', () => {
    const db = getDb();
    const locked = createDraft(db, { slug: 'parts-locked', titleKy: 'Текшерүүдө', titleRu: 'На проверке' }, trainer as never);
    db.update(courseDrafts).set({ state: 'submitted' }).where(eq(courseDrafts.id, locked.id)).run();
    const slugs = copyTargets(db, trainer as never).map((d) => d.slug);
    expect(slugs).toContain('parts-source');
    expect(slugs).not.toContain('parts-locked');
    expect(slugs).not.toContain('parts-foreign');
    expect(copyTargets(db, reviewer as never)).toEqual([]);
    expect(copyTargets(db, otherTrainer as never).map((d) => d.slug)).toEqual(['parts-foreign']);
  });
});
