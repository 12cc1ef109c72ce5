/**
 * One schema for lesson texts: the editor's real Tiptap schema (built from server/lib/lesson-extensions.ts,
 * the extensions LessonEditor.tsx uses) and the server's check (server/lib/lesson-schema.ts) agree on
 * every node, mark and attribute. Issue #16: the table extension's `align` attribute was unknown to
 * the server, so every lesson with a table failed to save.
 */
import { describe, expect, it } from 'vitest';
import { getSchema } from '@tiptap/core';
import { lessonExtensions } from '@server/lib/lesson-extensions';
import { MARK_SPEC, NODE_SPEC, checkTiptap, fitToSchema, tiptapProblem } from '@server/lib/lesson-schema';
import { renderTiptap } from '@server/lib/tiptap';

const schema = getSchema(lessonExtensions());

describe('the editor schema and the server schema are one', () => {
  it('every node of the editor is known to the server with the same attributes, and their defaults are accepted', () => {
    for (const [name, type] of Object.entries(schema.nodes)) {
      const spec = NODE_SPEC[name];
      expect(spec, `node ${name}`).toBeDefined();
      for (const [attr, def] of Object.entries(type.spec.attrs ?? {})) {
        const check = spec!.attrs?.[attr];
        expect(check, `attribute ${name}.${attr}`).toBeDefined();
        // An image's src and a link's href are always given by whoever makes them (upload, paste, link prompt).
        if (attr !== 'src' && (def as { default?: unknown }).default !== undefined) expect(check!((def as { default?: unknown }).default), `default of ${name}.${attr}`).toBe(true);
      }
      // An attribute the server knows but the editor does not make may only be empty (kept for older texts).
      for (const [attr, check] of Object.entries(spec!.attrs ?? {})) if (!(attr in (type.spec.attrs ?? {}))) expect(check('anything'), `${name}.${attr}`).toBe(false);
    }
    for (const name of Object.keys(NODE_SPEC)) expect(schema.nodes[name], `server node ${name} is in the editor`).toBeDefined();
  });
  it('every mark of the editor is known to the server with the same attributes', () => {
    for (const [name, type] of Object.entries(schema.marks)) {
      const spec = MARK_SPEC[name];
      expect(spec, `mark ${name}`).toBeDefined();
      expect(Object.keys(type.spec.attrs ?? {}).sort()).toEqual(Object.keys(spec!).sort());
      for (const [attr, def] of Object.entries(type.spec.attrs ?? {})) {
        const d = (def as { default?: unknown }).default;
        if (attr !== 'href' && d !== undefined) expect(spec![attr]!(d), `default of ${name}.${attr}`).toBe(true);
      }
    }
    for (const name of Object.keys(MARK_SPEC)) expect(schema.marks[name], `server mark ${name} is in the editor`).toBeDefined();
  });
  it('a table made by the editor passes the check and renders with its alignment', () => {
    const cell = (type: string, text: string, align: string | null = null) => ({ type, attrs: { colspan: 1, rowspan: 1, colwidth: null, align }, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });
    const doc = schema.nodeFromJSON({
      type: 'doc',
      content: [{ type: 'table', content: [{ type: 'tableRow', content: [cell('tableHeader', 'Аты'), cell('tableHeader', 'Саны', 'right')] }, { type: 'tableRow', content: [cell('tableCell', 'Бишкек'), cell('tableCell', '12', 'right')] }] }],
    });
    doc.check();
    const json = doc.toJSON();
    expect(checkTiptap(json)).toBeNull();
    expect(renderTiptap(json)).toContain('<td class="cell-right"><p>12</p></td>');
  });
  it('names where a refused document is wrong, as a path', () => {
    const bad = { type: 'doc', content: [{ type: 'table', content: [{ type: 'tableRow', content: [{ type: 'tableCell', attrs: { align: 'justify' }, content: [{ type: 'paragraph' }] }] }] }] };
    expect(tiptapProblem(bad)).toEqual({ path: ['content', 0, 'content', 0, 'content', 0, 'attrs', 'align'], message: 'attribute "align" has a value that is not allowed' });
  });
  it('fits pasted content to the schema and says what it dropped', () => {
    const pasted = {
      type: 'doc',
      content: [
        { type: 'paragraph', content: [{ type: 'text', text: 'тел', marks: [{ type: 'link', attrs: { href: 'tel:+996312000000' } }] }] },
        { type: 'image', attrs: { src: 'https://lh3.googleusercontent.com/x', alt: null } },
        { type: 'codeBlock', attrs: { language: 'C#' }, content: [{ type: 'text', text: 'x' }] },
      ],
    };
    const { node, dropped } = fitToSchema(pasted);
    expect([...dropped].sort()).toEqual(['attr:codeBlock.language', 'image', 'link']);
    expect(checkTiptap(node)).toBeNull();
  });
});
