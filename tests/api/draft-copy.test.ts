import { beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { call, getDb, signIn, withDemo, outcome as code } from '../helpers';
import { courseDrafts, draftMedia, users } from '@db/schema';
import { createDraft, getDraft, saveLesson } from '@server/modules/authoring/service';
import { bankEdits, changeBank } from '@server/modules/authoring/bank';
import { storeUpload } from '@server/modules/authoring/media';
import { copyDraft } from '@server/modules/authoring/copy';
import { mayReadMedia } from '@server/modules/authoring/media';
import type { SessionUser } from '@server/lib/session';

type Actor = Pick<SessionUser, 'id' | 'roles'>;

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
const bi = (ky: string, ru: string) => ({ ky, ru });
const idOf = (email: string) => getDb().select().from(users).where(eq(users.email, email)).get()!.id;
let trainer: Actor;
let sourceId = 0;
let image = '';


beforeAll(async () => {
  await withDemo();
  const db = getDb();
  trainer = { id: idOf('trainer@demo.kg'), roles: ['trainer'] } as Actor;
  const d = createDraft(db, { slug: 'copy-source', titleKy: 'Булак', titleRu: 'Источник' }, trainer);
  sourceId = d.id;
  image = storeUpload(db, d.id, PNG, 'image').sha256;
  const doc = { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Түп нуска' }] }, { type: 'image', attrs: { src: `/api/media/${image}` } }] };
  let rev = saveLesson(db, d.id, d.revision, 'lesson-1', { doc: { ky: doc as never } }, trainer).revision;
  rev = changeBank(db, d.id, rev, trainer as never, bankEdits.addCategory({ id: 'm1', title: bi('1-модуль', 'Модуль 1') }));
  changeBank(db, d.id, rev, trainer as never, bankEdits.addQuestion({ id: 'q1', category: 'm1', kind: 'truefalse', text: bi('Туурабы?', 'Верно?'), correct: true }));
});

describe('copying a course draft', () => {
  it('makes a new draft with the lessons, bank and media; editing the copy leaves the original untouched', () => {
    const db = getDb();
    const copy = copyDraft(db, sourceId, 'copy-target', trainer);
    expect(copy.id).not.toBe(sourceId);
    expect(copy.state).toBe('draft');
    expect(copy.content.manifest.slug).toBe('copy-target');
    expect(copy.content.questions.questions.map((q) => q.id)).toEqual(['q1']);
    expect(JSON.stringify(copy.content.manifest.modules)).toContain(image);
    // the copy's author may fetch the (unpublished) image through the copy
    expect(db.select().from(draftMedia).where(and(eq(draftMedia.draftId, copy.id), eq(draftMedia.sha256, image))).get()).toBeTruthy();

    let rev = saveLesson(db, copy.id, copy.revision, 'lesson-1', { doc: { ky: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Өзгөртүлдү' }] }] } as never } }, trainer).revision;
    rev = changeBank(db, copy.id, rev, trainer as never, bankEdits.updateQuestion('q1', { category: 'm1', kind: 'truefalse', text: bi('Башка', 'Другой'), correct: false }));
    changeBank(db, copy.id, rev, trainer as never, bankEdits.addCategory({ id: 'm2', title: bi('2-модуль', 'Модуль 2') }));
    expect(getDraft(db, copy.id).content.questions.categories.map((c) => c.id)).toEqual(['m1', 'm2']);
  });

  it('the original is exactly as it was', () => {
    const db = getDb();
    const orig = getDraft(db, sourceId).content;
    expect(JSON.stringify(orig)).toContain('Түп нуска');
    expect(JSON.stringify(orig)).not.toContain('Өзгөртүлдү');
    expect(orig.questions.questions[0]).toMatchObject({ text: bi('Туурабы?', 'Верно?'), correct: true });
    expect(orig.questions.categories.map((c) => c.id)).toEqual(['m1']);
    expect(orig.manifest.slug).toBe('copy-source');
  });

  it('only the source draft’s author or an administrator may copy; a taken or bad slug is refused', async () => {
    const db = getDb();
    const other = { id: idOf('reviewer@demo.kg'), roles: ['reviewer'] } as Actor;
    const learner = { id: idOf('learner@demo.kg'), roles: ['learner'] } as Actor;
    const admin = { id: idOf('admin@demo.kg'), roles: ['admin'] } as Actor;
    const before = db.select().from(courseDrafts).all().length;
    expect(code(() => copyDraft(db, sourceId, 'copy-by-reviewer', other))).toBe('404 draft_not_found');
    expect(code(() => copyDraft(db, sourceId, 'copy-by-learner', learner))).toBe('404 draft_not_found');
    expect(code(() => copyDraft(db, sourceId, 'copy-by-imposter', { id: learner.id, roles: ['trainer'] } as Actor))).toBe('404 draft_not_found');
    expect(code(() => copyDraft(db, sourceId, 'copy-target', trainer))).toBe('409 slug_taken');
    expect(code(() => copyDraft(db, sourceId, 'Bad Slug', trainer))).toBe('400 invalid_input');
    expect(code(() => copyDraft(db, 999999, 'copy-x', trainer))).toBe('404 draft_not_found');
    expect(db.select().from(courseDrafts).all().length).toBe(before);
    const byAdmin = copyDraft(db, sourceId, 'copy-by-admin', admin);
    expect(byAdmin.createdBy).toBe(admin.id);
    expect(mayReadMedia(db, admin, { sha256: image, publishedAt: null })).toBe(true);
  });

  it('through the API: POST /api/author/drafts/{id}/copy for the author; another trainer hears 404, a learner 403', async () => {
    const db = getDb();
    const cookie = await signIn('trainer@demo.kg');
    const res = await call(`/api/author/drafts/${sourceId}/copy`, { method: 'POST', cookie, json: { slug: 'copy-via-api' } });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { id: number; slug: string };
    expect(body.slug).toBe('copy-via-api');
    expect(getDraft(db, body.id).content.questions.questions.map((q) => q.id)).toEqual(['q1']);
    expect((await call(`/api/author/drafts/${sourceId}/copy`, { method: 'POST', cookie, json: { slug: 'copy-via-api' } })).status).toBe(409);
    expect((await call(`/api/author/drafts/${sourceId}/copy`, { method: 'POST', cookie, json: { slug: 'Bad Slug' } })).status).toBe(400);
    const learner = await signIn('learner@demo.kg');
    expect((await call(`/api/author/drafts/${sourceId}/copy`, { method: 'POST', cookie: learner, json: { slug: 'copy-l' } })).status).toBe(403);
  });
});
