/**
 * Issue #16: no lost work and no refused tables.
 * - Revisions per part of a draft: two tabs on two different lessons (or a lesson and the course
 *   settings, or two questions) never conflict, and neither save loses the other; the same lesson in
 *   two tabs still answers 409 `stale_revision`.
 * - A lesson with a table as the editor makes it (cells with `align`) saves; a document the server
 *   refuses is answered with the path of what was refused (`doc.ky.content.0…attrs.align`).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { call, signIn, withDemo } from '../helpers';

const para = (text: string) => ({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });
const cell = (type: string, text: string, align: string | null = null) => ({ type, attrs: { colspan: 1, rowspan: 1, colwidth: null, align }, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });
const table = (align: string | null) => ({
  type: 'doc',
  content: [{ type: 'table', content: [{ type: 'tableRow', content: [cell('tableHeader', 'Аймак'), cell('tableHeader', 'Саны', align)] }, { type: 'tableRow', content: [cell('tableCell', 'Нарын'), cell('tableCell', '7', align)] }] }],
});

let trainer: string;
let id: number;
let rev: number;

beforeAll(async () => {
  await withDemo();
  trainer = await signIn('trainer@demo.kg');
  const res = await call('/api/author/drafts', { method: 'POST', cookie: trainer, json: { slug: 'parts-course', titleKy: 'Бөлүктөр' } });
  id = (await res.json()).id;
  const added = await call(`/api/author/drafts/${id}/tree`, { method: 'POST', cookie: trainer, json: { revision: 1, op: 'add_lesson', module: 0 } });
  rev = (await added.json()).revision;
});

const putLesson = (lesson: string, revision: number, body: unknown) => call(`/api/author/drafts/${id}/lessons/${lesson}`, { method: 'PUT', cookie: trainer, json: { revision, lesson: body } });
const lessonsNow = async () => (await (await call(`/api/author/drafts/${id}`, { cookie: trainer })).json()).content.manifest.modules[0].lessons;

describe('revisions per part', () => {
  it('two tabs on two different lessons never conflict, and both texts are kept', async () => {
    const tabA = rev;
    const tabB = rev;
    const a = await putLesson('lesson-1', tabA, { doc: { ky: para('Биринчи таб') } });
    expect(a.status).toBe(200);
    const b = await putLesson('lesson-2', tabB, { doc: { ky: para('Экинчи таб') } });
    expect(b.status).toBe(200);
    // Tab A goes on typing from its own last revision, after tab B's save.
    const a2 = await putLesson('lesson-1', (await a.json()).revision, { doc: { ky: para('Биринчи таб, улантуу') } });
    expect(a2.status).toBe(200);
    const lessons = await lessonsNow();
    expect(lessons[0].doc.ky).toEqual(para('Биринчи таб, улантуу'));
    expect(lessons[1].doc.ky).toEqual(para('Экинчи таб'));
    rev = (await a2.json()).revision;
  });

  it('the same lesson in two tabs: the second save is refused with 409 and the first is kept', async () => {
    const first = await putLesson('lesson-1', rev, { doc: { ky: para('Биринчи терезе') } });
    expect(first.status).toBe(200);
    const second = await putLesson('lesson-1', rev, { doc: { ky: para('Экинчи терезе') } });
    expect(second.status).toBe(409);
    expect(await second.json()).toEqual({ error: { code: 'stale_revision' } });
    expect((await lessonsNow())[0].doc.ky).toEqual(para('Биринчи терезе'));
    rev = (await first.json()).revision;
  });

  it('the course settings saved in one tab keep a lesson saved in another', async () => {
    const before = rev;
    const lesson = await putLesson('lesson-2', before, { title: { ky: 'Экинчи сабак' } });
    expect(lesson.status).toBe(200);
    const draft = (await (await call(`/api/author/drafts/${id}`, { cookie: trainer })).json()).content;
    const { saveSettings } = await import('@server/modules/authoring/service');
    const { getDb } = await import('../helpers');
    const { users } = await import('@db/schema');
    const { eq } = await import('drizzle-orm');
    const u = getDb().select().from(users).where(eq(users.email, 'trainer@demo.kg')).get()!;
    // The settings form was loaded before the lesson save: its manifest still has the old lesson 2.
    const stale = structuredClone(draft.manifest);
    stale.modules[0].lessons[1].title = {};
    stale.title = { ky: 'Жаңы аталыш' };
    const saved = saveSettings(getDb(), id, before, stale, { id: u.id, roles: ['trainer'] });
    expect(saved.content.manifest.title).toEqual({ ky: 'Жаңы аталыш' });
    expect(saved.content.manifest.modules[0].lessons[1].title).toEqual({ ky: 'Экинчи сабак' });
    rev = saved.revision;
  });
});

describe('lesson texts as the editor makes them', () => {
  it('a table whose cells carry align saves and renders', async () => {
    const res = await putLesson('lesson-1', rev, { doc: { ky: table('right') } });
    expect(res.status).toBe(200);
    rev = (await res.json()).revision;
    const preview = await call(`/api/author/drafts/${id}/lessons/lesson-1/preview`, { cookie: trainer });
    expect(JSON.stringify(await preview.json())).toContain('<td class=\\"cell-right\\"><p>7</p></td>');
  });
  it('a refused text names the path of what was refused', async () => {
    const res = await putLesson('lesson-1', rev, { doc: { ky: table('justify') } });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: { code: 'invalid_input', field: 'doc.ky.content.0.content.0.content.1.attrs.align' } });
  });
});
