/**
 * Learner Q&A (server/modules/qa): a learner asks from a lesson, the course's trainers answer, the
 * learner is told, the academy hides. Tries to break it: outsiders, other learners, a reviewer who is
 * not the course's trainer, two trainers answering at once, flooding, HTML in the text.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { call, getDb, signIn, withDemo } from '../helpers';
import { auditLog, courseQuestions, courses, lessons, notifications, users, webhookOutbox } from '@db/schema';
import { importCourseLibrary } from '@server/modules/catalog/service';
import { enrolSelf } from '@server/modules/learning/service';
import { createPerson } from '@server/modules/people/service';
import { draftFromPublished } from '@server/modules/authoring/service';
import { MAX_OPEN_PER_COURSE } from '@server/modules/qa/service';

const SLUG = 'ru-digital';
let lesson: string;
const cookie: Record<string, string> = {};
const idOf = (email: string) => getDb().select().from(users).where(eq(users.email, email)).get()!.id;

async function ask(who: string, body: string, lessonSlug = lesson, slug = SLUG) {
  return call(`/api/courses/${slug}/lessons/${lessonSlug}/questions`, { method: 'POST', cookie: cookie[who], json: { body } });
}
const answer = (who: string, id: number, text: string) => call(`/api/questions/${id}/answer`, { method: 'POST', cookie: cookie[who], json: { answer: text } });
const list = async (who: string, state = 'open') => {
  const res = await call(`/api/questions?state=${state}`, { cookie: cookie[who] });
  return { status: res.status, body: res.status === 200 ? await res.json() : null };
};

beforeAll(async () => {
  await withDemo();
  const db = getDb();
  importCourseLibrary(db, 'tests/fixtures/courses');
  enrolSelf(db, idOf('learner@demo.kg'), SLUG);
  const budget = db.select().from(users).where(eq(users.email, 'learner@demo.kg')).get()!.organisationId!;
  await createPerson(db, { email: 'other@qa.test', password: 'test-password-1', fullName: 'Башка Угуучу', organisationId: budget, locale: 'ru', service: 'state', postKind: 'administrative', adminGroup: 'junior' });
  await createPerson(db, { email: 'author@qa.test', password: 'test-password-1', fullName: 'Курстун Автору', organisationId: budget, locale: 'ky', roles: [{ role: 'trainer' }] });
  for (const e of ['learner@demo.kg', 'trainer@demo.kg', 'reviewer@demo.kg', 'admin@demo.kg', 'hr@demo.kg']) cookie[e.split('@')[0]!] = await signIn(e);
  cookie.other = await signIn('other@qa.test', 'test-password-1');
  cookie.author = await signIn('author@qa.test', 'test-password-1');
  const mine = await (await call('/api/me/enrolments', { cookie: cookie.learner })).json();
  const e = mine.enrolments.find((x: { courseSlug?: string; course?: { slug: string }; progress: { nextLessonId: number } }) => x.progress?.nextLessonId);
  lesson = getDb().select().from(lessons).where(eq(lessons.id, e.progress.nextLessonId)).get()!.slug;
});

describe('asking', () => {
  it('an enrolled learner asks from a lesson; the text is kept as plain text and listed back to them only', async () => {
    const res = await ask('learner', '  <b>Эмне үчүн</b> сырсөз\r\nузун болушу керек?  ');
    expect(res.status).toBe(201);
    const q = await res.json();
    expect(q).toMatchObject({ body: '<b>Эмне үчүн</b> сырсөз\nузун болушу керек?', answer: null, hidden: false, lessonSlug: lesson });
    const mine = await (await call(`/api/courses/${SLUG}/lessons/${lesson}/questions`, { cookie: cookie.learner })).json();
    expect(mine.questions.map((x: { id: number }) => x.id)).toContain(q.id);
    // Another learner, not enrolled: neither asks nor reads.
    expect((await ask('other', 'Менде да суроо бар')).status).toBe(403);
    expect((await call(`/api/courses/${SLUG}/lessons/${lesson}/questions`, { cookie: cookie.other })).status).toBe(403);
    expect((await ask('learner', 'x', 'no-such-lesson')).status).toBe(404);
    expect((await ask('learner', 'x', lesson, 'no-such-course')).status).toBe(404);
    expect((await call(`/api/courses/${SLUG}/lessons/${lesson}/questions`, { method: 'POST', json: { body: 'анон' } })).status).toBe(401);
  });

  it('refuses empty and too long text, and more than the bound of unanswered questions per course', async () => {
    const empty = await ask('learner', '   \n ');
    expect(empty.status).toBe(400);
    expect((await empty.json()).error).toMatchObject({ code: 'question_empty', field: 'body' });
    expect((await ask('learner', 'ы'.repeat(2001))).status).toBe(400);
    expect((await ask('learner', 'ы'.repeat(5000))).status).toBe(400);
    expect((await call(`/api/courses/${SLUG}/lessons/${lesson}/questions`, { method: 'POST', cookie: cookie.learner, json: { body: 42 } })).status).toBe(400);
    const open = () => getDb().select().from(courseQuestions).where(eq(courseQuestions.askerId, idOf('learner@demo.kg'))).all().filter((q) => !q.answeredAt).length;
    while (open() < MAX_OPEN_PER_COURSE) expect((await ask('learner', `Суроо ${open()}`)).status).toBe(201);
    const over = await ask('learner', 'Дагы бир суроо');
    expect(over.status).toBe(409);
    expect((await over.json()).error.code).toBe('too_many_open_questions');
    // Clean up all but the first, so the rest of the file sees one open question.
    const first = getDb().select().from(courseQuestions).orderBy(courseQuestions.id).get()!;
    getDb().delete(courseQuestions).where(and(eq(courseQuestions.askerId, idOf('learner@demo.kg')))).run();
    getDb().insert(courseQuestions).values(first).run();
  });
});

describe('who sees and answers', () => {
  it('a course nobody authored is answered by every trainer; once a trainer writes it, only they (and administrators)', async () => {
    const q = getDb().select().from(courseQuestions).get()!;
    const trainerSees = await list('trainer');
    expect(trainerSees.body.questions.map((x: { id: number }) => x.id)).toEqual([q.id]);
    expect(trainerSees.body.questions[0]).toMatchObject({ canAnswer: true, courseSlug: SLUG });

    draftFromPublished(getDb(), SLUG, { id: idOf('author@qa.test'), roles: ['trainer'] }, new Date(), 'tests/fixtures/courses');
    expect((await list('trainer')).body).toEqual({ total: 0, questions: [] });
    expect((await answer('trainer', q.id, 'Мен жооп берем')).status).toBe(404);
    expect((await list('author')).body.questions.map((x: { id: number }) => x.id)).toEqual([q.id]);
    // The academy sees every course's questions but answers none it does not train.
    const reviewer = await list('reviewer');
    expect(reviewer.body.questions[0]).toMatchObject({ id: q.id, canAnswer: false });
    expect((await answer('reviewer', q.id, 'Текшерүүчү')).status).toBe(403);
    // Learners and HR have no list; another learner is told the question does not exist.
    expect((await list('hr')).status).toBe(403);
    expect((await list('other')).status).toBe(403);
    expect((await answer('other', q.id, 'Мен')).status).toBe(404);
    // The asker sees their question but does not answer it.
    expect((await answer('learner', q.id, 'Өзүм')).status).toBe(403);
    expect((await call(`/api/questions/${q.id}/answer`, { method: 'POST', json: { answer: 'анон' } })).status).toBe(401);
  });

  it('two trainers answering at once give one answer; the learner is told once, in their language, with a link to the lesson', async () => {
    const q = getDb().select().from(courseQuestions).get()!;
    expect((await answer('author', q.id, '   ')).status).toBe(400);
    const results = await Promise.all([answer('author', q.id, 'Узун сырсөздү табуу кыйын.'), answer('admin', q.id, 'Администратордун жообу')]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const stored = getDb().select().from(courseQuestions).where(eq(courseQuestions.id, q.id)).get()!;
    expect(stored.answer).toBe(results[0]!.status === 200 ? 'Узун сырсөздү табуу кыйын.' : 'Администратордун жообу');
    const told = getDb().select().from(notifications).where(and(eq(notifications.userId, idOf('learner@demo.kg')), eq(notifications.kind, 'question_answered'))).all();
    expect(told).toHaveLength(1);
    expect(told[0]!.link).toBe(`courses/${SLUG}/lessons/${lesson}#questions`);
    const feed = await (await call('/api/me/notifications', { cookie: cookie.learner })).json();
    const item = feed.notifications.find((n: { kind: string }) => n.kind === 'question_answered');
    expect(item.title).toMatch(/жооп/i);
    expect((await answer('author', q.id, 'Дагы бир жолу')).status).toBe(409);
    const mine = await (await call(`/api/courses/${SLUG}/lessons/${lesson}/questions`, { cookie: cookie.learner })).json();
    expect(mine.questions[0]).toMatchObject({ id: q.id, answer: stored.answer });
    expect((await list('author', 'answered')).body.questions[0]).toMatchObject({ id: q.id, canAnswer: false });
  });
});

describe('hiding', () => {
  it('only the academy hides; a hidden question leaves the learner’s and the trainers’ view, cannot be answered, and is audited', async () => {
    const res = await ask('learner', 'Жашырыла турган суроо');
    const { id } = await res.json();
    expect((await call(`/api/questions/${id}/hide`, { method: 'POST', cookie: cookie.learner })).status).toBe(403);
    expect((await call(`/api/questions/${id}/hide`, { method: 'POST', cookie: cookie.author })).status).toBe(403);
    expect((await call(`/api/questions/${id}/hide`, { method: 'POST', cookie: cookie.other })).status).toBe(404);
    const hidden = await call(`/api/questions/${id}/hide`, { method: 'POST', cookie: cookie.reviewer });
    expect(hidden.status).toBe(200);
    expect((await hidden.json()).hidden).toBe(true);
    expect((await call(`/api/questions/${id}/hide`, { method: 'POST', cookie: cookie.reviewer })).status).toBe(200);
    expect(getDb().select().from(auditLog).where(eq(auditLog.action, 'question.hide')).all()).toHaveLength(1);

    const mine = await (await call(`/api/courses/${SLUG}/lessons/${lesson}/questions`, { cookie: cookie.learner })).json();
    expect(mine.questions.map((x: { id: number }) => x.id)).not.toContain(id);
    expect((await list('author', 'all')).body.questions.map((x: { id: number }) => x.id)).not.toContain(id);
    expect((await answer('author', id, 'Жооп')).status).toBe(404);
    const adminTry = await answer('admin', id, 'Жооп');
    expect(adminTry.status).toBe(409);
    expect((await adminTry.json()).error.code).toBe('question_hidden');
    expect((await list('reviewer', 'hidden')).body.questions.map((x: { id: number }) => x.id)).toEqual([id]);
    // A trainer asking for hidden ones gets the trainer's default view of not-hidden questions.
    expect((await list('author', 'hidden')).body.questions.map((x: { id: number }) => x.id)).not.toContain(id);
    expect((await list('reviewer', 'nonsense')).status).toBe(400);
    expect(getDb().select().from(courses).where(eq(courses.slug, SLUG)).get()).toBeTruthy();
  });
});

describe('the trainers are told of a new question', () => {
  const asked = (email: string) =>
    getDb().select().from(notifications).where(and(eq(notifications.userId, idOf(email)), eq(notifications.kind, 'question_asked'))).all();

  it('a course nobody authored: every trainer was told of the first question, once', () => {
    const first = getDb().select().from(courseQuestions).orderBy(courseQuestions.id).get()!;
    for (const email of ['trainer@demo.kg', 'author@qa.test']) {
      const mine = asked(email).filter((n) => n.ref === `question:${first.id}:asked`);
      expect(mine, email).toHaveLength(1);
      expect(mine[0]!.link).toBe('trainer/questions');
    }
    expect(asked('learner@demo.kg')).toEqual([]);
  });

  it('once written by a trainer: only that trainer, in the app and by e-mail in their language; never the asker', async () => {
    const before = { author: asked('author@qa.test').length, trainer: asked('trainer@demo.kg').length };
    const res = await ask('learner', 'Бул сабактагы мисалды түшүндүрүп бериңизчи?');
    expect(res.status).toBe(201);
    const { id } = await res.json();
    const told = asked('author@qa.test');
    expect(told).toHaveLength(before.author + 1);
    expect(told.at(-1)).toMatchObject({ ref: `question:${id}:asked`, link: 'trainer/questions' });
    expect(asked('trainer@demo.kg')).toHaveLength(before.trainer);
    // the author reads Kyrgyz: the notification and the queued mail say which course
    const feed = await (await call('/api/me/notifications', { cookie: cookie.author })).json();
    const item = feed.notifications.find((n: { kind: string; link: string }) => n.kind === 'question_asked');
    expect(item.title).toMatch(/^Курс боюнча жаңы суроо: «.+»$/);
    const mail = getDb().select().from(webhookOutbox).where(eq(webhookOutbox.type, 'email.question_asked')).all().filter((r) => (r.payload as { to: string }).to === 'author@qa.test');
    expect(mail.length).toBeGreaterThan(0);
    // a refused question tells nobody
    expect((await ask('learner', '   ')).status).toBe(400);
    expect(asked('author@qa.test')).toHaveLength(before.author + 1);

    // the trainer, enrolled in their own course, asking: not told of their own question
    getDb().update(users).set({ service: 'state', postKind: 'administrative', adminGroup: 'junior' }).where(eq(users.email, 'author@qa.test')).run();
    enrolSelf(getDb(), idOf('author@qa.test'), SLUG);
    const own = await ask('author', 'Өзүмдүн суроом');
    expect(own.status).toBe(201);
    expect(asked('author@qa.test')).toHaveLength(before.author + 1);
  });
});
