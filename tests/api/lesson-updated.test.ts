import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { call, getDb, signIn, withDemo } from '../helpers';
import { enrolments, lessonProgress, users } from '@db/schema';
import { enrolSelf, enrolmentProgress, lessonForLearner, saveProgress } from '@server/modules/learning/service';
import { createDraft, draftFromPublished, publishDraft, saveLesson } from '@server/modules/authoring/service';
import type { TiptapNode } from '@server/lib/tiptap';
import { t, day } from '@server/lib/i18n';

// Issue #16: a learner who had finished a lesson that changed in a new version is told so ("updated
// on …, read it again") on the course and lesson pages; the progress is never dropped silently.

const para = (text: string): TiptapNode => ({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });
const SLUG = 'updated-lessons';
const V1 = new Date('2026-10-01T04:00:00Z');
const V2 = new Date('2026-11-20T04:00:00Z');
const V3 = new Date('2026-11-27T04:00:00Z');
let trainerUser: { id: number; roles: ('trainer' | 'learner')[] };
let learnerId = 0;
let draftId = 0;

const states = (enrolmentId: number) => {
  const e = getDb().select().from(enrolments).where(eq(enrolments.id, enrolmentId)).get()!;
  return Object.fromEntries(enrolmentProgress(getDb(), e).modules.flatMap((m) => m.lessons).map((l) => [l.slug, { viewed: l.viewed, updatedAt: l.updatedAt?.toISOString() }]));
};
const lessonId = (slug: string) => lessonForLearner(getDb(), learnerId, SLUG, slug).lesson.id;

beforeAll(async () => {
  await withDemo();
  const trainer = await signIn('trainer@demo.kg');
  const t = getDb().select().from(users).where(eq(users.email, 'trainer@demo.kg')).get()!;
  trainerUser = { id: t.id, roles: ['learner', 'trainer'] };
  learnerId = getDb().select().from(users).where(eq(users.email, 'learner@demo.kg')).get()!.id;
  draftId = createDraft(getDb(), { slug: SLUG, titleKy: 'Жаңыртылган сабактар' }, trainerUser).id;
  const d = (await (await call(`/api/author/drafts/${draftId}`, { cookie: trainer })).json()) as any;
  const lesson = (slug: string, ky: string, ru: string) => ({ slug, title: { ky, ru }, minutes: 10, kind: 'theory', doc: { ky: para(`${ky}: текст`), ru: para(`${ru}: текст`) } });
  const manifest = {
    ...d.content.manifest,
    title: { ky: 'Жаңыртылган сабактар', ru: 'Обновлённые уроки' },
    summary: { ky: 'Кыскача', ru: 'Кратко' },
    objectives: { ky: ['Билүү'], ru: ['Знать'] },
    modules: [{ title: { ky: 'Негиздер', ru: 'Основы' }, lessons: [lesson('first', 'Биринчи', 'Первый'), lesson('second', 'Экинчи', 'Второй'), lesson('third', 'Үчүнчү', 'Третий')] }],
  };
  const saved = await call(`/api/author/drafts/${draftId}`, { method: 'PUT', cookie: trainer, json: { revision: d.revision, content: { manifest } } });
  expect(saved.status).toBe(200);
  publishDraft(getDb(), draftId, V1);
});

describe('a lesson the learner had finished changed in a new version', () => {
  let active = 0;
  it('is marked "updated on <day it was published>" and not viewed; unchanged and never-read lessons carry no notice', () => {
    const db = getDb();
    active = enrolSelf(db, learnerId, SLUG).enrolment.id;
    saveProgress(db, learnerId, lessonId('first'), { seq: 1, read: true });
    saveProgress(db, learnerId, lessonId('second'), { seq: 1, read: true });
    expect(states(active)).toEqual({ first: { viewed: true }, second: { viewed: true }, third: { viewed: false } });

    const draft = draftFromPublished(db, SLUG, trainerUser);
    saveLesson(db, draftId, draft.revision, 'first', { doc: { ky: para('Биринчи: жаңы текст'), ru: para('Первый: новый текст') } }, trainerUser);
    publishDraft(db, draftId, V2);

    expect(states(active)).toEqual({ first: { viewed: false, updatedAt: V2.toISOString() }, second: { viewed: true }, third: { viewed: false } });
    // the lesson page's view carries it too
    expect(lessonForLearner(db, learnerId, SLUG, 'first').state.updatedAt?.toISOString()).toBe(V2.toISOString());
    expect(lessonForLearner(db, learnerId, SLUG, 'second').state.updatedAt).toBeUndefined();
    // nothing of what the learner did was deleted
    const rows = db.select().from(lessonProgress).where(eq(lessonProgress.enrolmentId, active)).all();
    expect(rows.filter((r) => r.lessonSlug === 'first' && r.viewedAt)).toHaveLength(1);
  });

  it('keeps the day the current text was first published through later versions that changed other lessons', () => {
    const db = getDb();
    const draft = draftFromPublished(db, SLUG, trainerUser);
    saveLesson(db, draftId, draft.revision, 'third', { doc: { ky: para('Үчүнчү: жаңы'), ru: para('Третий: новый') } }, trainerUser);
    publishDraft(db, draftId, V3);
    // "third" was never read: no notice; "first" still says when it changed, not when the course was last published
    expect(states(active)).toEqual({ first: { viewed: false, updatedAt: V2.toISOString() }, second: { viewed: true }, third: { viewed: false } });
  });

  it('goes away once the learner reads the new text', () => {
    saveProgress(getDb(), learnerId, lessonId('first'), { seq: 2, read: true });
    expect(states(active).first).toEqual({ viewed: true });
  });

  it('says so in both languages, with the date inside the sentence', () => {
    expect(t('ky', 'learning.updated.notice', { date: day(V2) })).toMatch(/^Сиз бул сабакты мурда өткөнсүз, бирок ал .*20.*жаңыртылды: аны кайра окуп чыгыңыз\.$/);
    expect(t('ru', 'learning.updated.notice', { date: day(V2) })).toMatch(/^Вы уже проходили этот урок, но 20 ноября 2026 г\. он был обновлён: прочитайте его ещё раз\.$/);
  });
});
