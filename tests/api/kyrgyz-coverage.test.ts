import { beforeAll, describe, expect, it } from 'vitest';
import { call, getDb, signIn, withDemo } from '../helpers';
import { publishDraft } from '@server/modules/authoring/service';
import { lessonHasText, markdownToTiptap, type TiptapNode } from '@server/lib/tiptap';

// Issue #16: a course written in Kyrgyz in the browser showed 0 % Kyrgyz lessons on the academy
// dashboard (it counted only a package's Markdown). One function of the content now decides, for
// text written in the editor and text imported from a package alike.

const para = (text: string): TiptapNode => ({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });
const table = (text: string): TiptapNode => ({
  type: 'doc',
  content: [{ type: 'table', content: [{ type: 'tableRow', content: [{ type: 'tableCell', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] }] }] }],
});

let trainer = '';
let reviewer = '';

beforeAll(async () => {
  await withDemo();
  trainer = await signIn('trainer@demo.kg');
  reviewer = await signIn('reviewer@demo.kg');
});

describe('Kyrgyz text counts the same wherever it was written', () => {
  it('a course written in Kyrgyz in the editor shows its Kyrgyz lessons on the dashboard', async () => {
    const created = await call('/api/author/drafts', { method: 'POST', cookie: trainer, json: { slug: 'written-in-kyrgyz', titleKy: 'Кыргызча жазылган курс' } });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: number };
    const d = (await (await call(`/api/author/drafts/${id}`, { cookie: trainer })).json()) as any;
    const manifest = {
      ...d.content.manifest,
      title: { ky: 'Кыргызча жазылган курс', ru: 'Курс, написанный по-кыргызски' },
      summary: { ky: 'Кыскача', ru: 'Кратко' },
      objectives: { ky: ['Билүү'], ru: ['Знать'] },
      modules: [
        {
          title: { ky: 'Киришүү', ru: 'Введение' },
          lessons: [
            { slug: 'text', title: { ky: 'Текст', ru: 'Текст' }, minutes: 10, kind: 'theory', doc: { ky: para('Мамлекеттик кызматтын негиздери'), ru: para('Основы госслужбы') } },
            { slug: 'table', title: { ky: 'Таблица', ru: 'Таблица' }, minutes: 10, kind: 'theory', doc: { ky: table('Мөөнөт'), ru: table('Срок') } },
            // Kyrgyz title, but only blank Kyrgyz text: not a Kyrgyz lesson
            { slug: 'ru-only', title: { ky: 'Орусча гана', ru: 'Только по-русски' }, minutes: 10, kind: 'theory', doc: { ky: para('   '), ru: para('Только по-русски') } },
          ],
        },
      ],
    };
    const saved = await call(`/api/author/drafts/${id}`, { method: 'PUT', cookie: trainer, json: { revision: d.revision, content: { manifest } } });
    expect(saved.status).toBe(200);
    publishDraft(getDb(), id);

    const res = await call('/api/academy/quality', { cookie: reviewer });
    expect(res.status).toBe(200);
    const course = ((await res.json()) as any).courses.find((c: { slug: string }) => c.slug === 'written-in-kyrgyz');
    expect(course.coverage).toMatchObject({ lessons: 3, lessonsKy: 2 });
    expect(course.coverage.lessonsPercent).toBeCloseTo(200 / 3, 9);
  });

  it('imported package text is judged by the same function: its Markdown and the document made of it agree', () => {
    for (const md of ['## Киришүү\n\nСабактын тексти.', '![схема](media/a.png)', '| a | b |\n|---|---|\n| 1 | 2 |', '', '   \n\n  ']) {
      const doc = markdownToTiptap(md);
      expect(lessonHasText({ doc }), JSON.stringify(md)).toBe(md.trim() !== '');
      expect(lessonHasText({ body: md }), JSON.stringify(md)).toBe(md.trim() !== '');
      expect(lessonHasText({ body: md, doc })).toBe(md.trim() !== '');
    }
    expect(lessonHasText({})).toBe(false);
    expect(lessonHasText({ doc: null, body: null })).toBe(false);
    expect(lessonHasText({ doc: { type: 'doc', content: [{ type: 'image', attrs: { src: '/api/media/x', alt: '' } }] } })).toBe(true);
  });
});
