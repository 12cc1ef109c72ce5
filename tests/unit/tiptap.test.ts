import { describe, expect, it } from 'vitest';
import { checkTiptap, markdownToTiptap, renderTiptap, safeUrl } from '@server/lib/tiptap';

describe('Markdown to Tiptap JSON', () => {
  it('converts headings, paragraphs, lists, quotes and marks', () => {
    const doc = markdownToTiptap('## Башы\n\nТекст **калың** жана *жантык*.\n\n- бир\n- эки\n\n3. үч\n\n> Кейс\n');
    expect(checkTiptap(doc)).toBeNull();
    expect(doc.content!.map((n) => n.type)).toEqual(['heading', 'paragraph', 'bulletList', 'orderedList', 'blockquote']);
    expect(doc.content![1]!.content).toEqual([
      { type: 'text', text: 'Текст ' },
      { type: 'text', text: 'калың', marks: [{ type: 'bold' }] },
      { type: 'text', text: ' жана ' },
      { type: 'text', text: 'жантык', marks: [{ type: 'italic' }] },
      { type: 'text', text: '.' },
    ]);
    expect(doc.content![3]!.attrs).toEqual({ start: 3 });
  });
  it('keeps raw HTML as text', () => {
    const html = renderTiptap(markdownToTiptap('Салам <script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n'));
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;');
  });
  it('makes a lone image a block image with the resolved source', () => {
    const doc = markdownToTiptap('![Схема](media/a.png)\n', () => `/api/media/${'a'.repeat(64)}`);
    expect(doc.content).toEqual([{ type: 'image', attrs: { src: `/api/media/${'a'.repeat(64)}`, alt: 'Схема' } }]);
  });
});

describe('server rendering of Tiptap JSON', () => {
  it('renders the allowed nodes and escapes every text', () => {
    const html = renderTiptap({
      type: 'doc',
      content: [
        { type: 'heading', attrs: { level: 1 }, content: [{ type: 'text', text: 'A & B' }] },
        { type: 'paragraph', content: [{ type: 'text', text: '<b>"x"</b>', marks: [{ type: 'bold' }] }, { type: 'hardBreak' }] },
      ],
    });
    expect(html).toBe('<h2>A &amp; B</h2><p><strong>&lt;b&gt;&quot;x&quot;&lt;/b&gt;</strong><br></p>');
  });
  it('drops unsafe links and attributes, unknown nodes render only their text', () => {
    const link = (href: string) => renderTiptap({ type: 'text', text: 'x', marks: [{ type: 'link', attrs: { href } }] });
    expect(link('javascript:alert(1)')).toBe('x');
    expect(link(' JaVaScRiPt:alert(1)')).toBe('x');
    expect(link('data:text/html,<b>')).toBe('x');
    expect(link('//evil.example/')).toBe('x');
    expect(link('https://minjust.gov.kg/')).toBe('<a href="https://minjust.gov.kg/" rel="noopener noreferrer nofollow">x</a>');
    expect(link('/ky/courses')).toBe('<a href="/ky/courses">x</a>');
    expect(renderTiptap({ type: 'iframe', attrs: { src: 'https://x' }, content: [{ type: 'text', text: 'ичинде' }] })).toBe('ичинде');
    expect(renderTiptap({ type: 'paragraph', attrs: { onclick: 'alert(1)', class: 'x' }, content: [] })).toBe('<p></p>');
    expect(renderTiptap({ type: 'image', attrs: { src: 'https://tracker.example/p.gif', alt: 'x' } })).toBe('');
    expect(safeUrl('mailto:info@bilim.gov.kg')).toBe('mailto:info@bilim.gov.kg');
  });
  it('rejects unknown nodes and marks in package JSON', () => {
    expect(checkTiptap({ type: 'doc', content: [{ type: 'iframe' }] })).toMatch(/node type "iframe"/);
    expect(checkTiptap({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'x', marks: [{ type: 'textStyle' }] }] }] })).toMatch(/mark "textStyle"/);
  });
});
