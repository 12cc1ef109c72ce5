/**
 * Word documents made lessons (POST /api/author/drafts/{id}/word, server/modules/authoring/word.ts),
 * with real .docx files written by LibreOffice (tests/fixtures/word/README.md): what a lesson can
 * hold is kept and passes the server's own checks and renderer; what it cannot is reported, never a
 * failed save; the file is bounded before it is read; only the draft's editors may import.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { call, getDb, signIn, withDemo } from '../helpers';
import { courseDrafts, userRoles, users } from '@db/schema';
import { DraftContent } from '@server/modules/authoring/content';
import type { TiptapNode } from '@server/lib/tiptap';
import { deflatedZeros, zip } from '../support/zip';

const fixture = (name: string) => new Uint8Array(readFileSync(`tests/fixtures/word/${name}`));
const LESSON = fixture('lesson.docx');
const LOSSES = fixture('losses.docx');
const EXTRAS = fixture('extras.docx');

type Imported = { id: number; revision: number; lesson: string; created: boolean; dropped: { code: string; count: number; detail?: string }[] };
let trainer = '';
let otherTrainer = '';
let reviewer = '';
let learner = '';
let admin = '';

async function newDraft(slug: string): Promise<{ id: number; revision: number }> {
  const res = await call('/api/author/drafts', { method: 'POST', cookie: trainer, json: { slug, titleKy: 'Word сабагы' } });
  expect(res.status).toBe(201);
  return res.json();
}

function upload(draftId: number, bytes: Uint8Array, fields: Record<string, string>, cookie = trainer, fileName = 'Кызмат этикасы.docx') {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  form.set('file', new File([bytes as Uint8Array<ArrayBuffer>], fileName));
  return call(`/api/author/drafts/${draftId}/word`, { method: 'POST', cookie, body: form });
}

const row = (id: number) => getDb().select().from(courseDrafts).where(eq(courseDrafts.id, id)).get()!;
const lessonOf = (id: number, slug: string) => row(id).content.manifest.modules.flatMap((m) => m.lessons).find((l) => l.slug === slug)!;
const all = (n: TiptapNode | undefined): TiptapNode[] => (n ? [n, ...(n.content ?? []).flatMap(all)] : []);

beforeAll(async () => {
  await withDemo();
  [trainer, reviewer, learner, admin] = await Promise.all(['trainer@demo.kg', 'reviewer@demo.kg', 'learner@demo.kg', 'admin@demo.kg'].map((e) => signIn(e)));
  // a second trainer (an Osh servant given the role in this file's own database)
  const db = getDb();
  db.insert(userRoles).values({ userId: db.select().from(users).where(eq(users.email, 'osh@demo.kg')).get()!.id, role: 'trainer' }).run();
  otherTrainer = await signIn('osh@demo.kg');
});

describe('a .docx becomes a lesson', () => {
  it('keeps headings, nested lists, a table, a link, emphasis and the image (stored as the draft’s media); the lesson passes the draft checks and renders', async () => {
    const d = await newDraft('word-lesson');
    const res = await upload(d.id, LESSON, { lang: 'ky', revision: String(d.revision) });
    expect(res.status).toBe(201);
    const body = (await res.json()) as Imported;
    // a new draft's first, empty lesson is replaced, not left empty beside the imported one
    expect(body).toMatchObject({ id: d.id, revision: d.revision + 1, lesson: 'lesson-1', created: true, dropped: [] });
    const lesson = lessonOf(d.id, 'lesson-1');
    expect(lesson.title).toEqual({ ky: 'Кызмат этикасы' });
    expect(lesson.minutes).toBe(5);
    expect(lesson.doc.ru).toBeUndefined();
    const nodes = all(lesson.doc.ky);
    expect(nodes.filter((n) => n.type === 'heading').map((n) => [n.attrs?.level, n.content?.[0]?.text])).toEqual([
      [2, 'Кызмат этикасынын негиздери'],
      [3, 'Негизги принциптер'],
      [4, 'Иш тартиби'],
    ]);
    // the nested list: a bullet list inside a list item of a bullet list
    const outer = nodes.find((n) => n.type === 'bulletList')!;
    expect(outer.content![0]!.content!.map((n) => n.type)).toEqual(['paragraph', 'bulletList']);
    expect(all(outer.content![0]).filter((n) => n.type === 'text').map((n) => n.text!.trim())).toEqual(['Мыйзамдуулук', 'Конституцияны сактоо', 'Мыйзамдарды аткаруу']);
    expect(nodes.find((n) => n.type === 'orderedList')!.content).toHaveLength(2);
    const table = nodes.find((n) => n.type === 'table')!;
    expect(table.content!.map((r) => r.content!.map((c) => all(c).find((x) => x.type === 'text')?.text))).toEqual([
      ['Принцип', 'Мааниси'],
      ['Ачыктык', 'Маалымат жеткиликтүү'],
    ]);
    const texts = nodes.filter((n) => n.type === 'text');
    expect(texts.find((n) => n.text === 'мамлекеттик кызматчынын')!.marks).toEqual([{ type: 'bold' }]);
    expect(texts.find((n) => n.text === 'эрежелери')!.marks).toEqual([{ type: 'italic' }]);
    expect(texts.find((n) => n.text === 'Юстиция министрлиги')!.marks).toEqual([{ type: 'link', attrs: { href: 'https://minjust.gov.kg/' } }]);
    // the picture: a block of its own, its bytes in the media store, fetchable by the author only
    const image = nodes.find((n) => n.type === 'image')!;
    const src = String(image.attrs!.src);
    expect(src).toMatch(/^\/api\/media\/[a-f0-9]{64}$/);
    const own = await call(src, { cookie: trainer });
    expect(own.status).toBe(200);
    expect(own.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await own.arrayBuffer()).subarray(1, 4).toString()).toBe('PNG');
    expect((await call(src, { cookie: learner })).status).toBe(404);
    // the server's own checks and renderer
    expect(DraftContent.safeParse(row(d.id).content).success).toBe(true);
    const preview = await call(`/api/author/drafts/${d.id}/lessons/lesson-1/preview`, { cookie: trainer });
    expect(preview.status).toBe(200);
    const html = JSON.stringify(await preview.json());
    for (const part of ['<h2', '<h3', '<h4', '<table', '<ol', '<strong>', '<em>', 'href=\\"https://minjust.gov.kg/\\"', `src=\\"${src}\\"`]) expect(html).toContain(part);
  });

  it('a second document is a new lesson at the end of the module asked for; its other-language version fills the same lesson', async () => {
    const d = await newDraft('word-second');
    const first = (await (await upload(d.id, LESSON, { lang: 'ky', revision: String(d.revision) })).json()) as Imported;
    const second = await upload(d.id, EXTRAS, { lang: 'ky', revision: String(first.revision), module: '0' });
    expect(second.status).toBe(201);
    const s = (await second.json()) as Imported;
    expect(s).toMatchObject({ lesson: 'lesson-2', created: true });
    expect(row(d.id).content.manifest.modules[0]!.lessons.map((l) => l.slug)).toEqual(['lesson-1', 'lesson-2']);
    // the Russian version into the first lesson: its text in Russian was empty
    const ru = await upload(d.id, LOSSES, { lang: 'ru', revision: String(s.revision), lesson: 'lesson-1' }, trainer, 'Этика.docx');
    expect(ru.status).toBe(201);
    const r = (await ru.json()) as Imported;
    expect(r).toMatchObject({ lesson: 'lesson-1', created: false });
    const lesson = lessonOf(d.id, 'lesson-1');
    expect(lesson.title).toEqual({ ky: 'Кызмат этикасы', ru: 'Этика' });
    expect(JSON.stringify(lesson.doc.ky)).toContain('Кызмат этикасынын негиздери');
    expect(JSON.stringify(lesson.doc.ru)).toContain('Площадь помещений');
    // never over what was written: the same language again is refused, nothing saved
    const again = await upload(d.id, LOSSES, { lang: 'ru', revision: String(r.revision), lesson: 'lesson-1' });
    expect(again.status).toBe(409);
    expect(await again.json()).toEqual({ error: { code: 'word_lesson_has_text', field: 'lesson' } });
    expect(row(d.id).revision).toBe(r.revision);
    expect((await upload(d.id, LOSSES, { lang: 'ru', revision: String(r.revision), lesson: 'no-such' })).status).toBe(404);
    const badModule = await upload(d.id, LESSON, { lang: 'ky', revision: String(r.revision), module: '7' });
    expect(badModule.status).toBe(400);
    expect(await badModule.json()).toMatchObject({ error: { code: 'invalid_input', field: 'module' } });
  });

  it('reports what it leaves out — an image of another type, an unsafe link, comments, a header, a style — and saves the rest', async () => {
    const d = await newDraft('word-losses');
    const res = await upload(d.id, LOSSES, { lang: 'ru', revision: String(d.revision) });
    expect(res.status).toBe(201);
    const body = (await res.json()) as Imported;
    expect(body.dropped).toEqual(
      expect.arrayContaining([
        { code: 'image_type', count: 1, detail: 'image/gif' },
        { code: 'link_unsafe', count: 1, detail: 'javascript:alert(1)' },
      ]),
    );
    const doc = lessonOf(d.id, body.lesson).doc.ru;
    const text = JSON.stringify(doc);
    expect(text).not.toContain('javascript');
    expect(text).toContain('Опасная ссылка'); // the text of the link stays
    expect(all(doc).filter((n) => n.type === 'image')).toHaveLength(1); // the PNG beside the GIF
    expect(all(doc).find((n) => n.text === 'Подчёркнуто')!.marks).toEqual([{ type: 'underline' }]);
    expect(all(doc).find((n) => n.text === 'зачёркнуто')!.marks).toEqual([{ type: 'strike' }]);

    const d2 = await newDraft('word-extras');
    const extras = (await (await upload(d2.id, EXTRAS, { lang: 'ky', revision: String(d2.revision) })).json()) as Imported;
    expect(extras.dropped).toEqual(
      expect.arrayContaining([
        { code: 'comments', count: 1 },
        { code: 'headers_footers', count: 1 },
        { code: 'style', count: 1, detail: 'Boxed note' },
      ]),
    );
    const lesson = lessonOf(d2.id, extras.lesson);
    // the Title paragraph is the lesson's title, not a line of its text
    expect(lesson.title).toEqual({ ky: 'Коррупцияга каршы аракеттенүү' });
    expect(JSON.stringify(lesson.doc.ky)).not.toContain('Коррупцияга');
    expect(JSON.stringify(lesson.doc.ky)).not.toContain('Текшерүү керек'); // the comment
    expect(JSON.stringify(lesson.doc.ky)).toContain('Өзгөчө кутучадагы эскертүү');
    // a title given in the form wins
    const titled = (await (await upload(d2.id, EXTRAS, { lang: 'ky', revision: String(extras.revision), title: 'Өз аталышы' })).json()) as Imported;
    expect(lessonOf(d2.id, titled.lesson).title).toEqual({ ky: 'Өз аталышы' });
  });
});

describe('bounded and refused before anything is saved', () => {
  let d: { id: number; revision: number };
  beforeAll(async () => {
    d = await newDraft('word-refused');
  });
  const refused = async (bytes: Uint8Array, status: number, code: string) => {
    const res = await upload(d.id, bytes, { lang: 'ky', revision: String(d.revision) });
    expect(res.status, code).toBe(status);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe(code);
    expect(row(d.id).revision).toBe(d.revision);
  };

  it('an old .doc, bytes that are no zip, a zip that is no Word document, an empty file', async () => {
    await refused(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, ...new Array(600).fill(0)]), 422, 'word_old_format');
    await refused(new TextEncoder().encode('<html><body>not a docx</body></html>'), 422, 'word_unreadable');
    await refused(new Uint8Array(zip([{ name: 'hello.txt', data: Buffer.from('hi'), size: 2, method: 0 }])), 422, 'word_unreadable');
    await refused(new Uint8Array(zip([{ name: '[Content_Types].xml', data: Buffer.from('<Types/>'), size: 8, method: 0 }])), 422, 'word_unreadable');
    await refused(new Uint8Array(), 400, 'file_empty');
  });

  it('a zip bomb (honest or lying about its size) is refused before mammoth reads it; a file over 20 MB before it is parsed', async () => {
    const zeros = await deflatedZeros(2);
    // honest: the directory declares 64 MB (over the 60 MB bound), refused without inflating a byte
    await refused(new Uint8Array(zip([{ name: '[Content_Types].xml', data: zeros, size: 64 * 1024 * 1024 }])), 422, 'zip_too_large');
    // lying: it declares a kilobyte and inflates to 2 MB, refused the moment it outgrows the kilobyte
    await refused(new Uint8Array(zip([{ name: '[Content_Types].xml', data: zeros, size: 1024 }])), 422, 'zip_too_large');
    await refused(new Uint8Array(20 * 1024 * 1024 + 1), 413, 'word_too_large');
    // a body far over it is cut off by the API's body limit before it is read
    await refused(new Uint8Array(21 * 1024 * 1024), 413, 'payload_too_large');
  });

  it('a document with nothing in it', async () => {
    await refused(fixture('empty.docx'), 422, 'word_empty');
  });
});

describe('only the draft’s editors', () => {
  it('another trainer hears the draft does not exist; a reviewer or learner is refused; a submitted draft is locked; a stale revision conflicts', async () => {
    const d = await newDraft('word-access');
    const rev = String(d.revision);
    const other = await upload(d.id, LESSON, { lang: 'ky', revision: rev }, otherTrainer);
    expect(other.status).toBe(404);
    expect(await other.json()).toEqual({ error: { code: 'draft_not_found' } });
    expect((await upload(d.id, LESSON, { lang: 'ky', revision: rev }, reviewer)).status).toBe(403);
    expect((await upload(d.id, LESSON, { lang: 'ky', revision: rev }, learner)).status).toBe(403);
    expect((await upload(d.id, LESSON, { lang: 'ky', revision: rev }, '')).status).toBe(401);
    const stale = await upload(d.id, LESSON, { lang: 'ky', revision: String(d.revision + 5) });
    expect(stale.status).toBe(409);
    expect(((await stale.json()) as { error: { code: string } }).error.code).toBe('stale_revision');
    getDb().update(courseDrafts).set({ state: 'submitted' }).where(eq(courseDrafts.id, d.id)).run();
    const locked = await upload(d.id, LESSON, { lang: 'ky', revision: rev });
    expect(locked.status).toBe(409);
    expect(((await locked.json()) as { error: { code: string } }).error.code).toBe('draft_locked');
    // an administrator may import into any open draft
    getDb().update(courseDrafts).set({ state: 'draft' }).where(eq(courseDrafts.id, d.id)).run();
    expect((await upload(d.id, LESSON, { lang: 'ky', revision: rev }, admin)).status).toBe(201);
  });
});
