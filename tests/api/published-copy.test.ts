/**
 * A new course based on a published one (issue #22, copyPublishedCourse in authoring/copy.ts): the copy
 * holds the published version's lessons, media, SCORM lessons, question bank and quizzes, is a new course
 * of its own (no link to the source), and editing or publishing it never touches the published course or
 * the source's open draft. Any trainer may copy any published course; nobody else.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { and, eq } from 'drizzle-orm';
import { call, getDb, signIn, withDemo, DEMO_PASSWORD, outcome as code } from '../helpers';
import { auditLog, courseDrafts, courses, draftMedia, users } from '@db/schema';
import { createPerson } from '@server/modules/people/service';
import { setAccountProvider } from '@server/modules/people/accounts';
import { createOrganisation } from '@server/modules/organisations/service';
import { ensureDeclaredProviders } from '@server/modules/organisations/training-providers';
import { importCourse } from '@server/modules/catalog/service';
import { loadCoursePackage, loadLibraryProviders } from '@server/modules/catalog/package';
import {
  createDraft, draftForLaunch, draftFromPublished, draftProblem, getDraft, previewLesson, publishDraft, publishedContent, saveDraft, saveLesson,
} from '@server/modules/authoring/service';
import { bankEdits, changeBank } from '@server/modules/authoring/bank';
import { mayReadMedia, storeUpload } from '@server/modules/authoring/media';
import { copyPublishedCourse } from '@server/modules/authoring/copy';
import type { SessionUser } from '@server/lib/session';
import { publishScormCourse } from '../support/scorm-course';

type Actor = Pick<SessionUser, 'id' | 'roles'>;

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
const MP4 = readFileSync('courses/anti-corruption/media/04-gift-or-bribe.mp4');
const VTT = Buffer.from('WEBVTT\n\n00:00.000 --> 00:01.000\nСалам\n');
const PDF = Buffer.from('%PDF-1.4\n% эскертме\n');
const bi = (ky: string, ru: string) => ({ ky, ru });
const doc = (text: string, image?: string) => ({
  type: 'doc',
  content: [{ type: 'paragraph', content: [{ type: 'text', text }] }, ...(image ? [{ type: 'image', attrs: { src: `/api/media/${image}`, alt: 'схема' } }] : [])],
});
const idOf = (email: string) => getDb().select().from(users).where(eq(users.email, email)).get()!.id;

let trainer: Actor; // wrote and published the source; writes for the academy
let other: Actor; // another trainer, with no provider of their own and no access to the source's drafts
let otherCookie: string;
let sourceCourseId = 0;
let openDraftId = 0;
const files = { image: '', video: '', captions: '', pdf: '', draftOnly: '' };

beforeAll(async () => {
  await withDemo();
  const db = getDb();
  trainer = { id: idOf('trainer@demo.kg'), roles: ['learner', 'trainer'] };
  const academy = db.select().from(users).where(eq(users.id, trainer.id)).get()!;
  await createPerson(db, { email: 'trainer3@demo.kg', password: DEMO_PASSWORD, fullName: 'Үчүнчү Окутуучу', organisationId: academy.organisationId, positionTitle: 'Окутуучу', locale: 'ky', roles: [{ role: 'trainer' }] });
  other = { id: idOf('trainer3@demo.kg'), roles: ['learner', 'trainer'] };
  otherCookie = await signIn('trainer3@demo.kg');

  // The source: a published course with an image in its text, a video with captions, a PDF, a bank and a final test.
  const d = createDraft(db, { slug: 'pub-source', titleKy: 'Булак курс', titleRu: 'Исходный курс' }, trainer);
  files.image = storeUpload(db, d.id, PNG, 'image').sha256;
  files.video = storeUpload(db, d.id, MP4, 'video').sha256;
  files.captions = storeUpload(db, d.id, VTT, 'captions').sha256;
  files.pdf = storeUpload(db, d.id, PDF, 'pdf').sha256;
  let rev = saveDraft(
    db,
    d.id,
    d.revision,
    (content) => ({
      manifest: {
        ...content.manifest,
        summary: bi('Кыскача', 'Кратко'),
        objectives: { ky: ['Мыйзамды билүү'], ru: ['Знать закон'] },
        modules: [
          {
            title: bi('Киришүү', 'Введение'),
            lessons: [
              {
                slug: 'intro', title: bi('Биринчи', 'Первый'), minutes: 10, kind: 'theory',
                doc: { ky: doc('Түп нуска', files.image) as never, ru: doc('Оригинал') as never },
                video: { sha256: files.video, captions: { ky: files.captions } },
                attachments: [{ sha256: files.pdf, fileName: 'eskertme.pdf', title: bi('Эскертме', 'Памятка') }],
              },
            ],
          },
        ],
      },
    }),
    trainer,
  ).revision;
  rev = changeBank(db, d.id, rev, trainer as never, bankEdits.addCategory({ id: 'm1', title: bi('1-модуль', 'Модуль 1') }));
  rev = changeBank(db, d.id, rev, trainer as never, bankEdits.addQuestion({ id: 'q1', category: 'm1', kind: 'truefalse', text: bi('Туурабы?', 'Верно?'), correct: true }));
  changeBank(db, d.id, rev, trainer as never, bankEdits.addQuiz({ id: 'final', kind: 'final', title: bi('Жыйынтык', 'Итог'), draw: [{ category: 'm1', count: 1 }], passPercent: 60 }));
  publishDraft(db, d.id);
  sourceCourseId = db.select().from(courses).where(eq(courses.slug, 'pub-source')).get()!.id;

  // …and its author has reopened it: an open draft with a new, unpublished image and a changed text.
  const open = draftFromPublished(db, 'pub-source', trainer);
  openDraftId = open.id;
  files.draftOnly = storeUpload(db, open.id, Buffer.concat([PNG, Buffer.from('open')]), 'image').sha256;
  saveLesson(db, open.id, open.revision, 'intro', { doc: { ky: doc('Ачык долбоордо өзгөртүлдү', files.draftOnly) as never, ru: doc('Оригинал') as never } }, trainer);
});

describe('a new course based on a published one', () => {
  it('another trainer copies it through the API: a new draft of theirs, not linked to the source, with the published lessons, media, bank and quizzes', async () => {
    const db = getDb();
    const published = publishedContent(db, { courseId: sourceCourseId, baseVersionId: db.select().from(courses).where(eq(courses.id, sourceCourseId)).get()!.currentVersionId });
    const res = await call('/api/author/courses/pub-source/copy', { method: 'POST', cookie: otherCookie, json: { slug: 'pub-copy' } });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { id: number; slug: string; state: string; courseId: number | null; title: { ky: string } };
    expect(body).toMatchObject({ slug: 'pub-copy', state: 'draft', courseId: null, title: { ky: 'Булак курс' } });
    const copy = getDraft(db, body.id);
    expect(copy).toMatchObject({ createdBy: other.id, courseId: null, baseVersionId: null, publishedVersionId: null, revision: 1 });
    // the published version's content (not the open draft's), under the new slug, with the source's provider
    expect(copy.content.manifest.slug).toBe('pub-copy');
    expect(copy.content.manifest.provider).toBe(published!.manifest.provider);
    expect(copy.content.manifest.modules).toEqual(published!.manifest.modules);
    expect(copy.content.questions).toEqual(published!.questions);
    expect(copy.content.quizzes).toEqual(published!.quizzes);
    expect(copy.content.quizzes.quizzes.map((q) => q.id)).toEqual(['final']);
    expect(JSON.stringify(copy.content)).toContain('Түп нуска');
    expect(JSON.stringify(copy.content)).not.toContain('Ачык долбоордо');
    // its media are recorded as used by the copy; the open draft's unpublished image is not
    const used = db.select({ sha256: draftMedia.sha256 }).from(draftMedia).where(eq(draftMedia.draftId, copy.id)).all().map((m) => m.sha256).sort();
    expect(used).toEqual([files.image, files.video, files.captions, files.pdf].sort());
    const entry = db.select().from(auditLog).where(and(eq(auditLog.action, 'course.published_copied'), eq(auditLog.targetId, String(copy.id)))).get();
    expect(entry).toMatchObject({ actorId: other.id, targetType: 'course_draft', details: { slug: 'pub-copy', fromCourse: sourceCourseId } });
  });

  it('its author opens the image, video, captions and attachment of the copy before it is published, previews it and publishes it as a second course', async () => {
    const db = getDb();
    const copy = db.select().from(courseDrafts).where(eq(courseDrafts.slug, 'pub-copy')).get()!;
    for (const sha of [files.image, files.video, files.captions, files.pdf]) {
      const res = await call(`/api/media/${sha}`, { cookie: otherCookie });
      expect(res.status).toBe(200);
      // through the copy itself, not only because the source is published: the rule for unpublished files
      expect(mayReadMedia(db, other, { sha256: sha, publishedAt: null })).toBe(true);
    }
    // the open draft's unpublished image stays its author's
    expect((await call(`/api/media/${files.draftOnly}`, { cookie: otherCookie })).status).toBe(404);
    expect((await call(`/api/author/drafts/${copy.id}`, { cookie: otherCookie })).status).toBe(200);
    expect(previewLesson(db, copy.id, 'intro', other).html.ky).toContain(`/api/media/${files.image}`);
    expect(draftProblem(db, copy)).toBeNull();
    const versionBefore = db.select().from(courses).where(eq(courses.id, sourceCourseId)).get()!.currentVersionId;
    publishDraft(db, copy.id);
    const made = db.select().from(courses).where(eq(courses.slug, 'pub-copy')).get()!;
    expect(made.id).not.toBe(sourceCourseId);
    expect(made.status).toBe('published');
    expect(db.select().from(courses).where(eq(courses.id, sourceCourseId)).get()!.currentVersionId).toBe(versionBefore);
  });

  it('editing the copy never touches the published course or its open draft', () => {
    const db = getDb();
    const source = db.select().from(courses).where(eq(courses.id, sourceCourseId)).get()!;
    const publishedBefore = JSON.stringify(publishedContent(db, { courseId: source.id, baseVersionId: source.currentVersionId }));
    const openBefore = getDraft(db, openDraftId);
    const copy = copyPublishedCourse(db, 'pub-source', 'pub-copy-edit', other);
    let rev = saveLesson(db, copy.id, copy.revision, 'intro', { doc: { ky: doc('Көчүрмөдө өзгөртүлдү') as never }, attachments: [] }, other).revision;
    rev = changeBank(db, copy.id, rev, other as never, bankEdits.updateQuestion('q1', { category: 'm1', kind: 'truefalse', text: bi('Башка', 'Другой'), correct: false }));
    changeBank(db, copy.id, rev, other as never, bankEdits.addCategory({ id: 'm2', title: bi('2-модуль', 'Модуль 2') }));
    expect(JSON.stringify(getDraft(db, copy.id).content)).toContain('Көчүрмөдө өзгөртүлдү');
    expect(JSON.stringify(publishedContent(db, { courseId: source.id, baseVersionId: source.currentVersionId }))).toBe(publishedBefore);
    const openAfter = getDraft(db, openDraftId);
    expect(openAfter.content).toEqual(openBefore.content);
    expect(openAfter.revision).toBe(openBefore.revision);
    // and the other way round: the source's author editing their open draft leaves the copy as it was
    const copyBefore = getDraft(db, copy.id).content;
    saveLesson(db, openDraftId, openAfter.revision, 'intro', { minutes: 20 }, trainer);
    expect(getDraft(db, copy.id).content).toEqual(copyBefore);
  });

  it('names the trainer’s own provider when they write for one, else the source’s', () => {
    const db = getDb();
    const own = createOrganisation(db, { kind: 'provider', service: 'state', region: 'osh', nameKy: 'Ош окуу борбору', nameRu: 'Ошский учебный центр' });
    setAccountProvider(db, { id: idOf('admin@demo.kg'), roles: ['admin'] } as never, other.id, own.id);
    const copy = copyPublishedCourse(db, 'pub-source', 'pub-copy-osh', other);
    expect(copy.content.manifest.provider).toBe(own.id);
    setAccountProvider(db, { id: idOf('admin@demo.kg'), roles: ['admin'] } as never, other.id, null);
  });

  it('refuses a taken or bad slug, an unknown or unpublished course, and anyone but a trainer or administrator; nothing is made', async () => {
    const db = getDb();
    const learner = { id: idOf('learner@demo.kg'), roles: ['learner'] } as Actor;
    const reviewer = { id: idOf('reviewer@demo.kg'), roles: ['reviewer'] } as Actor;
    createDraft(db, { slug: 'pub-never-published', titleKy: 'Жарыяланбаган' }, trainer);
    const before = db.select().from(courseDrafts).all().length;
    expect(code(() => copyPublishedCourse(db, 'pub-source', 'pub-source', other))).toBe('409 slug_taken'); // a course's slug
    expect(code(() => copyPublishedCourse(db, 'pub-source', 'pub-never-published', other))).toBe('409 slug_taken'); // a draft's slug
    expect(code(() => copyPublishedCourse(db, 'pub-source', 'Bad Slug', other))).toBe('400 invalid_input');
    expect(code(() => copyPublishedCourse(db, 'pub-source', 'x'.repeat(81), other))).toBe('400 invalid_input');
    expect(code(() => copyPublishedCourse(db, 'no-such-course', 'pub-copy-x', other))).toBe('404 course_not_found');
    expect(code(() => copyPublishedCourse(db, 'pub-never-published', 'pub-copy-x', other))).toBe('404 course_not_found');
    expect(code(() => copyPublishedCourse(db, 'pub-source', 'pub-copy-x', learner))).toBe('403 forbidden');
    expect(code(() => copyPublishedCourse(db, 'pub-source', 'pub-copy-x', reviewer))).toBe('403 forbidden');
    expect(db.select().from(courseDrafts).all().length).toBe(before);

    const post = (slug: unknown, cookie?: string, course = 'pub-source') => call(`/api/author/courses/${course}/copy`, { method: 'POST', cookie, json: { slug } });
    expect(await (await post('pub-copy', otherCookie)).json()).toEqual({ error: { code: 'slug_taken', field: 'slug' } });
    expect(await (await post('Bad Slug', otherCookie)).json()).toEqual({ error: { code: 'invalid_input', field: 'slug' } });
    expect((await post(42, otherCookie)).status).toBe(400);
    expect((await post('pub-copy-y', otherCookie, 'no-such-course')).status).toBe(404);
    expect((await post('pub-copy-y', await signIn('learner@demo.kg'))).status).toBe(403);
    expect((await post('pub-copy-y', await signIn('reviewer@demo.kg'))).status).toBe(403);
    expect((await post('pub-copy-y')).status).toBe(401);
    expect(db.select().from(courseDrafts).all().length).toBe(before);
    // an administrator may
    expect((await post('pub-copy-admin', await signIn('admin@demo.kg'))).status).toBe(201);
  });

  it('simultaneous copies under the same slug: one wins, the others hear 409 slug_taken', async () => {
    const db = getDb();
    const trainerCookie = await signIn('trainer@demo.kg');
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, i) => call('/api/author/courses/pub-source/copy', { method: 'POST', cookie: i % 2 ? otherCookie : trainerCookie, json: { slug: 'pub-race' } })),
    );
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 409, 409, 409, 409, 409]);
    for (const r of answers.filter((a) => a.status === 409)) expect(await r.json()).toEqual({ error: { code: 'slug_taken', field: 'slug' } });
    expect(db.select().from(courseDrafts).where(eq(courseDrafts.slug, 'pub-race')).all()).toHaveLength(1);
  });

  it('a course imported from its package: the video lesson, its media and the package’s quizzes come along', () => {
    const db = getDb();
    ensureDeclaredProviders(db, loadLibraryProviders('courses'));
    importCourse(db, loadCoursePackage('courses/anti-corruption'));
    const copy = copyPublishedCourse(db, 'anti-corruption', 'anti-corruption-osh', other);
    const lessons = copy.content.manifest.modules.flatMap((m) => m.lessons);
    const video = lessons.find((l) => l.video)!.video!;
    const used = db.select({ sha256: draftMedia.sha256 }).from(draftMedia).where(eq(draftMedia.draftId, copy.id)).all().map((m) => m.sha256);
    expect(used).toEqual(expect.arrayContaining([video.sha256, ...Object.values(video.captions)]));
    const quizzes = JSON.parse(readFileSync('courses/anti-corruption/quizzes.json', 'utf8')) as { quizzes: { id: string }[] };
    expect(copy.content.quizzes.quizzes.map((q) => q.id)).toEqual(quizzes.quizzes.map((q) => q.id));
    expect(copy.content.questions.questions.length).toBeGreaterThan(0);
    expect(draftProblem(db, copy)).toBeNull();
    // where the package the version came from cannot be read back, nothing is made
    const before = db.select().from(courseDrafts).all().length;
    expect(code(() => copyPublishedCourse(db, 'anti-corruption', 'anti-corruption-lost', other, new Date(), '/nonexistent/courses'))).toBe('409 course_source_unavailable');
    expect(db.select().from(courseDrafts).all().length).toBe(before);
  });

  it('a SCORM course: the copy’s lessons launch the same package for the copy’s author to preview', async () => {
    const db = getDb();
    await publishScormCourse(db, call, await signIn('trainer@demo.kg'), 'pub-scorm', { version: '2004-4', scos: [{ id: 'SCO-1', title: 'Сабак' }] });
    const copy = copyPublishedCourse(db, 'pub-scorm', 'pub-scorm-copy', other);
    const lesson = copy.content.manifest.modules.flatMap((m) => m.lessons).find((l) => l.scorm)!;
    expect(lesson.scorm!.sco).toBe('SCO-1');
    expect(draftForLaunch(db, copy.id, lesson.slug, other).lesson.scorm!.package).toBe(lesson.scorm!.package);
    expect(draftProblem(db, copy)).toBeNull();
  });
});
