import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { and, eq } from 'drizzle-orm';
import { call, getDb, signIn, withDemo, DEMO_PASSWORD } from '../helpers';
import { certificates, courseDrafts, courses, courseVersions, enrolments, lessons, users } from '@db/schema';
import { createPerson } from '@server/modules/people/service';
import { enrolSelf, enrolmentProgress, saveProgress } from '@server/modules/learning/service';
import { draftFromPublished, loadedCourseFromDraft, publishDraft, saveLesson, getDraft } from '@server/modules/authoring/service';
import { importCourse } from '@server/modules/catalog/service';
import { loadCoursePackage, loadLibraryProviders } from '@server/modules/catalog/package';
import { ensureDeclaredProviders } from '@server/modules/organisations/training-providers';
import type { TiptapNode } from '@server/lib/tiptap';
import { AppError } from '@server/lib/errors';

const para = (text: string): TiptapNode => ({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
const MP4 = readFileSync('courses/anti-corruption/media/04-gift-or-bribe.mp4');

let trainer: string;
let admin: string;
let learnerCookie: string;
let otherTrainer: string;
let trainerUser: { id: number; roles: ('trainer' | 'learner')[] };

beforeAll(async () => {
  await withDemo();
  trainer = await signIn('trainer@demo.kg');
  admin = await signIn('admin@demo.kg');
  learnerCookie = await signIn('learner@demo.kg');
  const academy = getDb().select().from(users).where(eq(users.email, 'trainer@demo.kg')).get()!;
  await createPerson(getDb(), { email: 'trainer2@demo.kg', password: DEMO_PASSWORD, fullName: 'Экинчи Окутуучу', organisationId: academy.organisationId, positionTitle: 'Окутуучу', locale: 'ru', roles: [{ role: 'trainer' }] });
  otherTrainer = await signIn('trainer2@demo.kg');
  trainerUser = { id: academy.id, roles: ['learner', 'trainer'] };
});

async function create(slug: string, cookie = trainer) {
  const res = await call('/api/author/drafts', { method: 'POST', cookie, json: { slug, titleKy: 'Мамлекеттик сатып алуулар' } });
  return { status: res.status, body: await res.json() };
}
async function detail(id: number, cookie = trainer) {
  const res = await call(`/api/author/drafts/${id}`, { cookie });
  expect(res.status).toBe(200);
  return res.json();
}
function putLesson(id: number, lesson: string, revision: number, body: unknown, cookie = trainer) {
  return call(`/api/author/drafts/${id}/lessons/${lesson}`, { method: 'PUT', cookie, json: { revision, lesson: body } });
}
function tree(id: number, revision: number, op: string, module = 0, lesson = 0) {
  return call(`/api/author/drafts/${id}/tree`, { method: 'POST', cookie: trainer, json: { revision, op, module, lesson } });
}
function upload(id: number, kind: string, data: Buffer, name = 'file.bin', cookie = trainer) {
  const form = new FormData();
  form.set('kind', kind);
  form.set('file', new File([new Uint8Array(data)], name));
  return call(`/api/author/drafts/${id}/media`, { method: 'POST', cookie, body: form });
}

describe('who may author', () => {
  it('needs sign-in and the trainer or admin role', async () => {
    expect((await call('/api/author/drafts')).status).toBe(401);
    expect((await call('/api/author/drafts', { cookie: learnerCookie })).status).toBe(403);
    expect((await call('/api/author/drafts', { method: 'POST', cookie: learnerCookie, json: { slug: 'x-course' } })).status).toBe(403);
    expect((await call('/api/author/drafts', { cookie: admin })).status).toBe(200);
  });
  it("keeps a trainer's draft from other trainers (404), not from admins", async () => {
    const { body } = await create('private-draft');
    expect((await call(`/api/author/drafts/${body.id}`, { cookie: otherTrainer })).status).toBe(404);
    expect((await putLesson(body.id, 'lesson-1', 1, { doc: { ky: para('x') } }, otherTrainer)).status).toBe(404);
    expect((await upload(body.id, 'image', PNG, 'a.png', otherTrainer)).status).toBe(404);
    expect((await call(`/api/author/drafts/${body.id}`, { cookie: admin })).status).toBe(200);
    const list = await (await call('/api/author/drafts', { cookie: otherTrainer })).json();
    expect(list.drafts.map((d: { slug: string }) => d.slug)).not.toContain('private-draft');
  });
});

describe('drafts', () => {
  it('creates a draft with one module and lesson; the slug must be free and well-formed', async () => {
    const { status, body } = await create('procurement-basics');
    expect(status).toBe(201);
    expect(body).toMatchObject({ slug: 'procurement-basics', state: 'draft', revision: 1, courseId: null, title: { ky: 'Мамлекеттик сатып алуулар', ru: null } });
    expect((await create('procurement-basics')).body).toEqual({ error: { code: 'slug_taken', field: 'slug' } });
    expect((await create('Bad Slug')).body).toEqual({ error: { code: 'invalid_input', field: 'slug' } });
    const d = await detail(body.id);
    expect(d.content.manifest.modules).toHaveLength(1);
    expect(d.missing).toEqual([{ lesson: 'lesson-1', ky: true, ru: true }]);
    expect(d.problem).toBe('manifest.modules.0.title');
  });

  it('saves a lesson with the revision it was based on; a stale revision is refused with 409', async () => {
    const { body } = await create('revision-course');
    const first = await putLesson(body.id, 'lesson-1', 1, { title: { ky: 'Киришүү' }, doc: { ky: para('Биринчи сабак') } });
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ id: body.id, revision: 2 });
    // another tab still on revision 1
    const stale = await putLesson(body.id, 'lesson-1', 1, { doc: { ky: para('эски') } });
    expect(stale.status).toBe(409);
    expect(await stale.json()).toEqual({ error: { code: 'stale_revision' } });
    const d = await detail(body.id);
    expect(d.revision).toBe(2);
    expect(d.content.manifest.modules[0].lessons[0].doc.ky).toEqual(para('Биринчи сабак'));
    expect(d.missing).toEqual([{ lesson: 'lesson-1', ky: false, ru: true }]);
    expect((await putLesson(body.id, 'nope', 2, { minutes: 5 })).status).toBe(404);
    const bad = await putLesson(body.id, 'lesson-1', 2, { minutes: 0 });
    expect(await bad.json()).toEqual({ error: { code: 'invalid_input', field: 'minutes' } });
  });

  it('adds, removes and reorders modules and lessons', async () => {
    const { body } = await create('tree-course');
    let rev = 1;
    const step = async (op: string, m = 0, l = 0) => {
      const res = await tree(body.id, rev, op, m, l);
      expect(res.status).toBe(200);
      rev = (await res.json()).revision;
    };
    await step('add_lesson', 0);
    await step('add_module');
    const slugs = async () => (await detail(body.id)).content.manifest.modules.map((m: { lessons: { slug: string }[] }) => m.lessons.map((l) => l.slug));
    expect(await slugs()).toEqual([['lesson-1', 'lesson-2'], ['lesson-3']]);
    await step('lesson_down', 0, 0);
    expect(await slugs()).toEqual([['lesson-2', 'lesson-1'], ['lesson-3']]);
    await step('lesson_down', 0, 1); // from the bottom of module 1 to the top of module 2
    expect(await slugs()).toEqual([['lesson-2'], ['lesson-1', 'lesson-3']]);
    await step('module_up', 1);
    expect(await slugs()).toEqual([['lesson-1', 'lesson-3'], ['lesson-2']]);
    await step('remove_lesson', 0, 1);
    await step('remove_module', 1);
    expect(await slugs()).toEqual([['lesson-1']]);
    expect((await tree(body.id, rev, 'remove_lesson', 5, 0)).status).toBe(400);
    expect((await tree(body.id, rev - 1, 'add_module')).status).toBe(409);
  });

  it('saves the course metadata through the whole manifest, checked field by field', async () => {
    const { body } = await create('meta-course');
    const d = await detail(body.id);
    const manifest = { ...d.content.manifest, hours: 12, summary: { ky: 'Кыскача', ru: 'Кратко' }, enrolment: 'assigned', completion: { lessonsPercent: 80 } };
    const ok = await call(`/api/author/drafts/${body.id}`, { method: 'PUT', cookie: trainer, json: { revision: 1, content: { manifest } } });
    expect(ok.status).toBe(200);
    const wrong = await call(`/api/author/drafts/${body.id}`, { method: 'PUT', cookie: trainer, json: { revision: 2, content: { manifest: { ...manifest, hours: 0 } } } });
    expect(await wrong.json()).toEqual({ error: { code: 'invalid_input', field: 'content.manifest.hours' } });
    const renamed = await call(`/api/author/drafts/${body.id}`, { method: 'PUT', cookie: trainer, json: { revision: 2, content: { manifest: { ...manifest, slug: 'other-slug' } } } });
    expect(await renamed.json()).toEqual({ error: { code: 'invalid_input', field: 'manifest.slug' } });
    expect((await detail(body.id)).content.manifest).toMatchObject({ hours: 12, enrolment: 'assigned', completion: { lessonsPercent: 80 } });
  });

  it('edits content only in the states draft and changes_requested', async () => {
    const { body } = await create('locked-course');
    for (const state of ['submitted', 'in_review', 'approved', 'published'] as const) {
      getDb().update(courseDrafts).set({ state }).where(eq(courseDrafts.id, body.id)).run();
      const res = await putLesson(body.id, 'lesson-1', 1, { minutes: 20 });
      expect(res.status).toBe(409);
      expect(await res.json()).toEqual({ error: { code: 'draft_locked' } });
    }
    getDb().update(courseDrafts).set({ state: 'changes_requested' }).where(eq(courseDrafts.id, body.id)).run();
    expect((await putLesson(body.id, 'lesson-1', 1, { minutes: 20 })).status).toBe(200);
  });
});

describe('media uploads', () => {
  it('checks the type from the bytes, whatever the name says, and the size per kind', async () => {
    const { body } = await create('media-course');
    const png = await upload(body.id, 'image', PNG, 'photo.png');
    expect(png.status).toBe(201);
    expect(await png.json()).toMatchObject({ contentType: 'image/png', bytes: PNG.length });
    // a PNG named .pdf, sent as a PDF attachment
    expect(await (await upload(body.id, 'pdf', PNG, 'doc.pdf')).json()).toEqual({ error: { code: 'file_type_not_allowed', field: 'file' } });
    // HTML pretending to be an image
    expect((await upload(body.id, 'image', Buffer.from('<svg onload=alert(1)>'), 'x.png')).status).toBe(415);
    expect((await upload(body.id, 'pdf', Buffer.from('%PDF-1.4\n%%EOF\n'), 'a.pdf')).status).toBe(201);
    const video = await upload(body.id, 'video', MP4, 'v.mp4');
    expect(video.status).toBe(201);
    expect((await video.json()).seconds).toBeGreaterThan(0);
    expect((await upload(body.id, 'captions', Buffer.from('WEBVTT\n\n00:00.000 --> 00:01.000\nСалам\n'), 'ky.vtt')).status).toBe(201);
    expect((await upload(body.id, 'captions', Buffer.from('not captions'), 'ky.vtt')).status).toBe(415);
    const big = Buffer.concat([PNG, Buffer.alloc(5 * 1024 * 1024)]);
    expect(await (await upload(body.id, 'image', big, 'big.png')).json()).toEqual({ error: { code: 'file_too_large', field: 'file' } });
    expect((await upload(body.id, 'image', Buffer.alloc(0), 'empty.png')).status).toBe(400);
  });
});

describe("a draft's media before it is published", () => {
  it('are served only to the draft\'s author, reviewers and administrators; once published, to everyone signed in', async () => {
    const id = await writeCourse('draft-media-course');
    const vtt = Buffer.from('WEBVTT\n\n00:00.000 --> 00:01.000\nЖарыяланбаган субтитр\n');
    const { sha256 } = await (await upload(id, 'captions', vtt, 'secret.vtt')).json();
    const get = (cookie?: string) => Promise.resolve(call(`/api/media/${sha256}`, { cookie })).then((r) => r.status);
    const reviewer = await signIn('reviewer@demo.kg');
    const hr = await signIn('hr@demo.kg');
    expect(await get(trainer)).toBe(200); // the author
    expect(await get(reviewer)).toBe(200);
    expect(await get(admin)).toBe(200);
    // anyone else: as if it did not exist
    for (const cookie of [learnerCookie, otherTrainer, hr]) expect(await get(cookie)).toBe(404);
    expect(await get()).toBe(401);
    // published as the lesson's captions: every signed-in user may fetch it
    const d = await detail(id);
    const lesson = d.content.manifest.modules[0].lessons[0];
    expect((await putLesson(id, 'first', d.revision, { video: { ...lesson.video, captions: { ...lesson.video.captions, ru: sha256 } } })).status).toBe(200);
    expect((await detail(id)).problem).toBeNull();
    publishDraft(getDb(), id);
    for (const cookie of [learnerCookie, otherTrainer, hr]) expect(await get(cookie)).toBe(200);
  });
});

/** A whole small course written through the API: two lessons, Kyrgyz and Russian, a video with captions. */
async function writeCourse(slug: string): Promise<number> {
  const { body } = await create(slug);
  const id = body.id;
  let rev = 1;
  const d = await detail(id);
  const manifest = {
    ...d.content.manifest,
    title: { ky: 'Сатып алуулардын негиздери', ru: 'Основы закупок' },
    summary: { ky: 'Кыскача', ru: 'Кратко' },
    objectives: { ky: ['Мыйзамды билүү'], ru: ['Знать закон'] },
    modules: [
      {
        title: { ky: 'Киришүү', ru: 'Введение' },
        lessons: [
          { slug: 'first', title: { ky: 'Биринчи', ru: 'Первый' }, minutes: 10, kind: 'theory', doc: { ky: para('Биринчи сабак'), ru: para('Первый урок') } },
          { slug: 'second', title: { ky: 'Экинчи', ru: 'Второй' }, minutes: 10, kind: 'theory', doc: { ky: para('Экинчи сабак'), ru: para('Второй урок') } },
        ],
      },
    ],
  };
  const res = await call(`/api/author/drafts/${id}`, { method: 'PUT', cookie: trainer, json: { revision: rev, content: { manifest } } });
  expect(res.status).toBe(200);
  rev = (await res.json()).revision;
  const video = await (await upload(id, 'video', MP4, 'v.mp4')).json();
  const vtt = await (await upload(id, 'captions', Buffer.from('WEBVTT\n\n00:00.000 --> 00:01.000\nСалам\n'), 'ky.vtt')).json();
  const withVideo = await putLesson(id, 'first', rev, { video: { sha256: video.sha256, captions: { ky: vtt.sha256 } } });
  expect(withVideo.status).toBe(200);
  return id;
}

describe('publishing', () => {
  it('names the field that keeps a draft from publishing', async () => {
    const { body } = await create('incomplete-course');
    const draft = getDraft(getDb(), body.id);
    const problem = (() => {
      try {
        loadedCourseFromDraft(getDb(), draft);
      } catch (e) {
        return e as AppError;
      }
    })();
    expect(problem).toMatchObject({ code: 'draft_invalid', status: 422, field: 'manifest.modules.0.title' });
    // captions must be WebVTT, the video an MP4
    const id = await writeCourse('media-rules-course');
    const d = await detail(id);
    const png = await (await upload(id, 'image', PNG)).json();
    const bad = await putLesson(id, 'first', d.revision, { video: { sha256: png.sha256, captions: { ky: png.sha256 } } });
    expect(bad.status).toBe(200);
    expect((await detail(id)).problem).toBe('manifest.modules.0.lessons.0.video.sha256');
    // an image in the text that is not in the media store
    const ghost = { type: 'doc', content: [{ type: 'image', attrs: { src: `/api/media/${'a'.repeat(64)}`, alt: 'схема' } }] };
    await putLesson(id, 'first', d.revision + 1, { video: undefined, doc: { ky: ghost, ru: para('x') } });
    expect((await detail(id)).problem).toBe('manifest.modules.0.lessons.0.doc.ky');
  });

  it('publishes a new course through the package import; learners read it', async () => {
    const id = await writeCourse('published-course');
    expect((await detail(id)).problem).toBeNull();
    const versionId = publishDraft(getDb(), id);
    const draft = getDraft(getDb(), id);
    expect(draft).toMatchObject({ state: 'published', publishedVersionId: versionId });
    const course = getDb().select().from(courses).where(eq(courses.slug, 'published-course')).get()!;
    expect(draft.courseId).toBe(course.id);
    expect(course).toMatchObject({ status: 'published', currentVersionId: versionId, hasKy: true, hasRu: true, titleRu: 'Основы закупок' });
    const catalog = await (await call('/api/courses/published-course')).json();
    expect(catalog.modules[0].lessons.map((l: { slug: string }) => l.slug)).toEqual(['first', 'second']);
    // a published draft is not edited any more
    expect((await putLesson(id, 'first', draft.revision, { minutes: 5 })).status).toBe(409);
    expect(() => publishDraft(getDb(), id)).toThrow('draft_already_published');
  });
});

describe('versions', () => {
  it('editing a published course makes a new version; progress on unchanged lessons carries over, completions stay on their version', async () => {
    const id = await writeCourse('versioned-course');
    const v1 = publishDraft(getDb(), id);
    const db = getDb();
    const learner = db.select().from(users).where(eq(users.email, 'learner@demo.kg')).get()!;
    const finisher = db.select().from(users).where(eq(users.email, 'municipal@demo.kg')).get()!;
    const active = enrolSelf(db, learner.id, 'versioned-course').enrolment;
    const v1Rows = db.all<{ id: number; slug: string }>(`select l.id, l.slug from lessons l join course_modules m on m.id = l.module_id where m.version_id = ${v1}` as never);
    const v1Id = Object.fromEntries(v1Rows.map((r) => [r.slug, r.id]));
    // the learner reads the second lesson; the finisher watches the video and reads both, completing v1
    saveProgress(db, learner.id, v1Id.second!, { seq: 1, read: true });
    const done = enrolSelf(db, finisher.id, 'versioned-course').enrolment;
    const t0 = Date.now();
    saveProgress(db, finisher.id, v1Id.first!, { seq: 1, positionSeconds: 0 }, new Date(t0));
    saveProgress(db, finisher.id, v1Id.first!, { seq: 2, ranges: [[0, 1000]] }, new Date(t0 + 600_000));
    saveProgress(db, finisher.id, v1Id.second!, { seq: 1, read: true });
    const completed = db.select().from(enrolments).where(eq(enrolments.id, done.id)).get()!;
    expect(completed.status).toBe('completed');
    const cert = db.select().from(certificates).where(and(eq(certificates.userId, finisher.id), eq(certificates.courseId, completed.courseId))).get();
    expect(cert).toBeDefined();

    // edit: a new draft from the published version, change only the first lesson's Russian text
    const draft = draftFromPublished(db, 'versioned-course', trainerUser);
    expect(draft).toMatchObject({ id, state: 'draft', baseVersionId: v1 });
    expect(draft.content.manifest.modules[0]!.lessons[1]!.doc.ru).toEqual(para('Второй урок'));
    saveLesson(db, id, draft.revision, 'first', { doc: { ky: para('Биринчи сабак'), ru: para('Первый урок, исправленный') } }, trainerUser);
    const v2 = publishDraft(db, id);
    expect(v2).not.toBe(v1);
    expect(db.select().from(courseVersions).where(eq(courseVersions.id, v2)).get()!.number).toBe(2);

    // the learner in progress moves to v2: the unchanged lesson stays read, the changed one does not
    const moved = db.select().from(enrolments).where(eq(enrolments.id, active.id)).get()!;
    expect(moved.versionId).toBe(v2);
    const states = Object.fromEntries(enrolmentProgress(db, moved).modules.flatMap((m) => m.lessons).map((l) => [l.slug, l.viewed]));
    expect(states).toEqual({ first: false, second: true });
    // the completed enrolment and its certificate stay with v1
    expect(db.select().from(enrolments).where(eq(enrolments.id, done.id)).get()!.versionId).toBe(v1);
    expect(db.select().from(certificates).where(eq(certificates.id, cert!.id)).get()!.revokedAt ?? null).toBeNull();
  });

  it('editing a course imported from its package keeps its lessons, media and quizzes; publishing unchanged keeps every lesson hash', async () => {
    const db = getDb();
    ensureDeclaredProviders(db, loadLibraryProviders('courses'));
    importCourse(db, loadCoursePackage('courses/anti-corruption'));
    const course = db.select().from(courses).where(eq(courses.slug, 'anti-corruption')).get()!;
    const before = db.all<{ slug: string; content_hash: string }>(
      `select l.slug, l.content_hash from lessons l join course_modules m on m.id = l.module_id where m.version_id = ${course.currentVersionId}` as never,
    );
    const res = await call('/api/author/courses/anti-corruption/draft', { method: 'POST', cookie: trainer });
    expect(res.status).toBe(200);
    const { id } = await res.json();
    const d = await detail(id);
    expect(d.baseVersionId).toBe(course.currentVersionId);
    expect(d.content.quizzes.quizzes.length).toBeGreaterThan(0);
    expect(d.content.manifest.modules.flatMap((m: { lessons: { video?: unknown }[] }) => m.lessons).some((l: { video?: unknown }) => l.video)).toBe(true);
    expect(d.problem).toBeNull();
    // asking again returns the same open draft
    expect((await (await call('/api/author/courses/anti-corruption/draft', { method: 'POST', cookie: trainer })).json()).id).toBe(id);
    // another trainer cannot take it over
    expect((await call('/api/author/courses/anti-corruption/draft', { method: 'POST', cookie: otherTrainer })).status).toBe(409);
    const v2 = publishDraft(db, id);
    const after = db.all<{ slug: string; content_hash: string }>(
      `select l.slug, l.content_hash from lessons l join course_modules m on m.id = l.module_id where m.version_id = ${v2}` as never,
    );
    expect(after).toEqual(before);
  });
});
