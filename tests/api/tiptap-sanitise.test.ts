/**
 * Lesson texts are safe whatever is sent: the API refuses anything outside the editor's schema, and the
 * renderer (the same one learners get) writes only whitelisted tags and attributes even for stored JSON
 * that never went through the check.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { call, signIn, withDemo } from '../helpers';
import { checkTiptap, renderTiptap, type TiptapNode } from '@server/lib/tiptap';
import { DOC_LIMITS } from '@server/modules/authoring/content';
import { XSS_CORPUS, doc, p, t } from '../support/xss-corpus';

function deep(n: number): unknown {
  let node: unknown = p(t('x'));
  for (let i = 0; i < n; i++) node = { type: 'blockquote', content: [node] };
  return doc(node);
}

let trainer: string;
let draftId: number;
let revision = 1;

beforeAll(async () => {
  await withDemo();
  trainer = await signIn('trainer@demo.kg');
  const res = await call('/api/author/drafts', { method: 'POST', cookie: trainer, json: { slug: 'xss-course', titleKy: 'Коопсуздук' } });
  draftId = (await res.json()).id;
});

function save(ky: unknown) {
  return call(`/api/author/drafts/${draftId}/lessons/lesson-1`, { method: 'PUT', cookie: trainer, json: { revision, lesson: { doc: { ky } } } });
}

describe('the API refuses documents outside the editor schema', () => {
  for (const [name, value] of Object.entries(XSS_CORPUS)) {
    it(`refuses: ${name}`, async () => {
      const res = await save(value);
      expect(res.status).toBe(400);
      const body = await res.json();
      expect(body.error.code).toBe('invalid_input');
      expect(body.error.field).toMatch(/^doc\.ky/);
    });
  }
  it('refuses documents nested too deeply or with too many parts, and bodies too large', async () => {
    expect((await save(deep(DOC_LIMITS.depth + 5))).status).toBe(400);
    const many = doc(...Array.from({ length: DOC_LIMITS.nodes }, () => ({ type: 'horizontalRule' })));
    expect((await save(many)).status).toBe(400);
    const huge = doc(p(t('а'.repeat(1_200_000))));
    const res = await save(huge);
    expect(res.status).toBe(413);
  });
  it('keeps the draft as it was after every refusal', async () => {
    const d = await (await call(`/api/author/drafts/${draftId}`, { cookie: trainer })).json();
    expect(d.revision).toBe(1);
    expect(d.content.manifest.modules[0].lessons[0].doc).toEqual({});
  });
});

describe('what the editor makes is accepted and rendered escaped', () => {
  it('accepts headings, lists, links, tables, callouts and nested marks; script text stays text', async () => {
    const good = doc(
      { type: 'heading', attrs: { level: 2, textAlign: null }, content: [t('<script>alert(1)</script>')] },
      p(t('"><img src=x onerror=alert(1)>', [{ type: 'bold' }, { type: 'italic' }, { type: 'underline' }, { type: 'link', attrs: { href: 'https://example.org/?a=1&b="2"', target: '_blank', rel: 'noopener noreferrer nofollow', class: null } }])),
      { type: 'bulletList', content: [{ type: 'listItem', content: [p(t('бир'))] }] },
      { type: 'orderedList', attrs: { start: 3, type: null }, content: [{ type: 'listItem', content: [p(t('эки'))] }] },
      { type: 'callout', attrs: { variant: 'warning' }, content: [p(t('Көңүл буруңуз'))] },
      {
        type: 'table',
        content: [
          { type: 'tableRow', content: [{ type: 'tableHeader', attrs: { colspan: 1, rowspan: 1, colwidth: null }, content: [p(t('Мөөнөт'))] }] },
          { type: 'tableRow', content: [{ type: 'tableCell', attrs: { colspan: 2, rowspan: 1, colwidth: [120, 80] }, content: [p(t('<b>3</b> күн'))] }] },
        ],
      },
      { type: 'codeBlock', attrs: { language: null }, content: [t('<script>alert(1)</script>')] },
    );
    const res = await save(good);
    expect(res.status).toBe(200);
    revision = (await res.json()).revision;
    const preview = await (await call(`/api/author/drafts/${draftId}/lessons/lesson-1/preview`, { cookie: trainer })).json();
    const html: string = preview.html.ky;
    expect(html).toContain('<h2>&lt;script&gt;alert(1)&lt;/script&gt;</h2>');
    expect(html).toContain('<a href="https://example.org/?a=1&amp;b=%222%22" rel="noopener noreferrer nofollow">');
    expect(html).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('<div class="callout callout-warning">');
    expect(html).toContain('<td colspan="2">');
    expect(html).not.toMatch(/<script|<img|<[^>]*\son\w+=|javascript:/i);
    expect(preview.html.ru).toBeNull();
  });
});

describe('the renderer is safe on its own, for JSON that never went through the check', () => {
  const TAG = /<\/?([a-z0-9]+)/gi;
  const ALLOWED_TAGS = new Set(['p', 'h2', 'h3', 'h4', 'ul', 'ol', 'li', 'blockquote', 'pre', 'code', 'hr', 'br', 'img', 'strong', 'em', 'u', 's', 'a', 'div', 'table', 'tbody', 'tr', 'th', 'td']);
  for (const [name, value] of Object.entries(XSS_CORPUS)) {
    it(`renders safely: ${name}`, () => {
      expect(checkTiptap(value)).not.toBeNull();
      const html = renderTiptap(value as TiptapNode);
      for (const m of html.matchAll(TAG)) expect(ALLOWED_TAGS).toContain(m[1]!.toLowerCase());
      expect(html).not.toMatch(/<[^>]*\son\w+\s*=|javascript:|vbscript:|data:|style=|<script|<iframe/i);
      expect(html).not.toContain('evil');
    });
  }
  it('renders a very deep document without crashing the server', () => {
    expect(() => renderTiptap(deep(2000) as TiptapNode)).not.toThrow();
  });
});
