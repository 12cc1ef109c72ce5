/**
 * Lesson rich text as Tiptap (ProseMirror) JSON: Markdown from course packages is converted to it at
 * import, and it is rendered to HTML on the server by a whitelist renderer — every text escaped,
 * only known nodes, marks and attributes, links only to safe protocols. Nothing from the JSON is
 * ever written into the page raw.
 */
import MarkdownIt from 'markdown-it';
import type Token from 'markdown-it/lib/token.mjs';

import { CALLOUT_VARIANTS, CELL_ALIGNS, safeImageSrc, safeUrl, type TiptapMark, type TiptapNode } from './lesson-schema';

// The schema and its check live in lesson-schema.ts (shared with the editor); re-exported for the server's callers.
export { CALLOUT_VARIANTS, checkTiptap, safeImageSrc, safeUrl, tiptapProblem, type TiptapLimits, type TiptapMark, type TiptapNode } from './lesson-schema';

/** Markdown → Tiptap JSON. Raw HTML in the Markdown is kept as plain text, never as HTML. */
export function markdownToTiptap(markdown: string, resolveImage: (src: string) => string = (s) => s): TiptapNode {
  const md = new MarkdownIt({ html: false, linkify: false, typographer: false }).disable(['table']);
  const tokens = md.parse(markdown, {});
  const root: TiptapNode = { type: 'doc', content: [] };
  const stack: TiptapNode[] = [root];
  const top = () => stack[stack.length - 1]!;
  const push = (node: TiptapNode) => (top().content ??= []).push(node);
  const open = (node: TiptapNode) => {
    push(node);
    stack.push(node);
  };
  for (const token of tokens) {
    switch (token.type) {
      case 'paragraph_open':
        // Tight list items hide their paragraphs in markdown-it; Tiptap always wants one.
        open({ type: 'paragraph', content: [] });
        break;
      case 'heading_open':
        open({ type: 'heading', attrs: { level: Math.min(Math.max(Number(token.tag.slice(1)), 2), 4) }, content: [] });
        break;
      case 'bullet_list_open':
        open({ type: 'bulletList', content: [] });
        break;
      case 'ordered_list_open':
        open({ type: 'orderedList', attrs: { start: Number(token.attrGet('start') ?? 1) }, content: [] });
        break;
      case 'list_item_open':
        open({ type: 'listItem', content: [] });
        break;
      case 'blockquote_open':
        open({ type: 'blockquote', content: [] });
        break;
      case 'paragraph_close':
      case 'heading_close':
      case 'bullet_list_close':
      case 'ordered_list_close':
      case 'list_item_close':
      case 'blockquote_close':
        stack.pop();
        break;
      case 'fence':
      case 'code_block':
        push({ type: 'codeBlock', content: token.content ? [{ type: 'text', text: token.content.replace(/\n$/, '') }] : [] });
        break;
      case 'hr':
        push({ type: 'horizontalRule' });
        break;
      case 'html_block':
        push({ type: 'paragraph', content: [{ type: 'text', text: token.content }] });
        break;
      case 'inline': {
        const inline = inlineNodes(token.children ?? [], resolveImage);
        // An image alone in its paragraph becomes a block image.
        if (inline.length === 1 && inline[0]!.type === 'image' && top().type === 'paragraph') {
          const para = stack.pop()!;
          const parent = top();
          parent.content!.splice(parent.content!.indexOf(para), 1, inline[0]!);
          stack.push({ type: 'detached' }); // popped by paragraph_close
        } else {
          (top().content ??= []).push(...inline.filter((n) => n.type !== 'image'));
          for (const img of inline.filter((n) => n.type === 'image')) (top().content ??= []).push({ type: 'text', text: String(img.attrs?.alt ?? '') });
        }
        break;
      }
      default:
        throw new Error(`unsupported Markdown: ${token.type}`);
    }
  }
  return root;
}

function inlineNodes(tokens: Token[], resolveImage: (src: string) => string): TiptapNode[] {
  const out: TiptapNode[] = [];
  const marks: TiptapMark[] = [];
  const withMarks = (): TiptapMark[] | undefined => (marks.length ? marks.map((m) => ({ ...m })) : undefined);
  const addText = (text: string) => {
    if (!text) return;
    const node: TiptapNode = { type: 'text', text };
    const m = withMarks();
    if (m) node.marks = m;
    out.push(node);
  };
  const removeMark = (type: string) => {
    const i = marks.map((m) => m.type).lastIndexOf(type);
    if (i >= 0) marks.splice(i, 1);
  };
  for (const t of tokens) {
    switch (t.type) {
      case 'text':
      case 'html_inline':
        addText(t.content);
        break;
      case 'softbreak':
        addText(' ');
        break;
      case 'hardbreak':
        out.push({ type: 'hardBreak' });
        break;
      case 'strong_open':
        marks.push({ type: 'bold' });
        break;
      case 'strong_close':
        removeMark('bold');
        break;
      case 'em_open':
        marks.push({ type: 'italic' });
        break;
      case 'em_close':
        removeMark('italic');
        break;
      case 's_open':
        marks.push({ type: 'strike' });
        break;
      case 's_close':
        removeMark('strike');
        break;
      case 'link_open':
        marks.push({ type: 'link', attrs: { href: t.attrGet('href') ?? '' } });
        break;
      case 'link_close':
        removeMark('link');
        break;
      case 'code_inline': {
        marks.push({ type: 'code' });
        addText(t.content);
        removeMark('code');
        break;
      }
      case 'image':
        out.push({ type: 'image', attrs: { src: resolveImage(t.attrGet('src') ?? ''), alt: t.content || '' } });
        break;
      default:
        throw new Error(`unsupported Markdown: ${t.type}`);
    }
  }
  return out;
}

/** A Tiptap document has something to read: any text or image. */
export function docHasText(doc: TiptapNode | null | undefined): boolean {
  if (!doc || typeof doc !== 'object') return false;
  if (doc.type === 'text') return typeof doc.text === 'string' && doc.text.trim() !== '';
  if (doc.type === 'image') return true;
  return Array.isArray(doc.content) && doc.content.some(docHasText);
}

/**
 * The one test of "this lesson has text in this language", used by the editor's checks, the review
 * facts and the academy's Kyrgyz coverage alike: its Tiptap document (what the editor writes, and what
 * a package's Markdown is converted to at import) or its Markdown (a package's own text).
 */
export function lessonHasText(l: { doc?: TiptapNode | null; body?: string | null }): boolean {
  return docHasText(l.doc) || (typeof l.body === 'string' && l.body.trim() !== '');
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

function renderMarks(text: string, marks: TiptapMark[] = []): string {
  let html = escapeHtml(text);
  for (const m of marks) {
    if (m.type === 'bold') html = `<strong>${html}</strong>`;
    else if (m.type === 'italic') html = `<em>${html}</em>`;
    else if (m.type === 'underline') html = `<u>${html}</u>`;
    else if (m.type === 'strike') html = `<s>${html}</s>`;
    else if (m.type === 'code') html = `<code>${html}</code>`;
    else if (m.type === 'link') {
      const href = safeUrl(m.attrs?.href);
      if (href) {
        const external = /^(https?|mailto):/.test(href);
        html = `<a href="${escapeHtml(href)}"${external ? ' rel="noopener noreferrer nofollow"' : ''}>${html}</a>`;
      }
    }
  }
  return html;
}

// Attribute writers live outside renderTiptap: its stack frame stays small, so very deep documents render.
function olAttrs(node: TiptapNode): string {
  const start = Number(node.attrs?.start);
  const type = ['a', 'i', 'A', 'I'].find((t) => t === node.attrs?.type);
  return `${Number.isInteger(start) && start > 1 ? ` start="${start}"` : ''}${type ? ` type="${type}"` : ''}`;
}
function cellAttrs(node: TiptapNode): string {
  const span = (name: string, max: number) => {
    const v = Number(node.attrs?.[name]);
    return Number.isInteger(v) && v > 1 && v <= max ? ` ${name}="${v}"` : '';
  };
  const align = CELL_ALIGNS.find((a) => a === node.attrs?.align);
  return `${span('colspan', 20)}${span('rowspan', 50)}${align ? ` class="cell-${align}"` : ''}`;
}

/** Tiptap JSON → sanitised HTML. Unknown nodes render only their (escaped) children. */
export function renderTiptap(node: TiptapNode | null | undefined): string {
  if (!node || typeof node !== 'object') return '';
  const inner = () => (Array.isArray(node.content) ? node.content.map(renderTiptap).join('') : '');
  switch (node.type) {
    case 'doc':
      return inner();
    case 'text':
      return typeof node.text === 'string' ? renderMarks(node.text, Array.isArray(node.marks) ? node.marks : []) : '';
    case 'paragraph':
      return `<p>${inner()}</p>`;
    case 'heading': {
      const level = Math.min(Math.max(Number(node.attrs?.level) || 2, 2), 4);
      return `<h${level}>${inner()}</h${level}>`;
    }
    case 'bulletList':
      return `<ul>${inner()}</ul>`;
    case 'orderedList':
      return `<ol${olAttrs(node)}>${inner()}</ol>`;
    case 'listItem':
      return `<li>${inner()}</li>`;
    case 'blockquote':
      return `<blockquote>${inner()}</blockquote>`;
    case 'codeBlock':
      return `<pre><code>${inner()}</code></pre>`;
    case 'horizontalRule':
      return '<hr>';
    case 'hardBreak':
      return '<br>';
    case 'table':
      return `<div class="table-wrap lesson-table"><table><tbody>${inner()}</tbody></table></div>`;
    case 'tableRow':
      return `<tr>${inner()}</tr>`;
    case 'tableHeader':
    case 'tableCell': {
      const tag = node.type === 'tableHeader' ? 'th' : 'td';
      return `<${tag}${cellAttrs(node)}>${inner()}</${tag}>`;
    }
    case 'callout': {
      const variant = CALLOUT_VARIANTS.find((v) => v === node.attrs?.variant) ?? 'note';
      return `<div class="callout callout-${variant}">${inner()}</div>`;
    }
    case 'image': {
      const src = safeImageSrc(node.attrs?.src);
      const alt = typeof node.attrs?.alt === 'string' ? node.attrs.alt : '';
      return src ? `<img src="${escapeHtml(src)}" alt="${escapeHtml(alt)}" loading="lazy">` : '';
    }
    default:
      return inner();
  }
}
