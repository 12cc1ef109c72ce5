/**
 * Lesson rich text as Tiptap (ProseMirror) JSON: Markdown from course packages is converted to it at
 * import, and it is rendered to HTML on the server by a whitelist renderer — every text escaped,
 * only known nodes, marks and attributes, links only to safe protocols. Nothing from the JSON is
 * ever written into the page raw.
 */
import MarkdownIt from 'markdown-it';
import { isSameSitePath } from './local-path';
import type Token from 'markdown-it/lib/token.mjs';

export type TiptapMark = { type: string; attrs?: Record<string, unknown> };
export type TiptapNode = {
  type: string;
  attrs?: Record<string, unknown>;
  content?: TiptapNode[];
  text?: string;
  marks?: TiptapMark[];
};

export const BLOCK_NODES = ['paragraph', 'heading', 'bulletList', 'orderedList', 'listItem', 'blockquote', 'codeBlock', 'horizontalRule', 'image', 'table', 'tableRow', 'tableHeader', 'tableCell', 'callout'] as const;
export const INLINE_NODES = ['text', 'hardBreak'] as const;
export const MARKS = ['bold', 'italic', 'underline', 'strike', 'code', 'link'] as const;
/** The kinds of callout (a framed note in the lesson text). */
export const CALLOUT_VARIANTS = ['note', 'warning', 'example'] as const;

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

type Group = 'block' | 'inline' | 'listItem' | 'tableRow' | 'tableCell' | 'text' | 'none';
type AttrCheck = (v: unknown) => boolean;
const isNull = (v: unknown) => v === null || v === undefined;
const intIn = (min: number, max: number): AttrCheck => (v) => Number.isInteger(v) && (v as number) >= min && (v as number) <= max;
const optional = (check: AttrCheck): AttrCheck => (v) => isNull(v) || check(v);
const shortText: AttrCheck = (v) => typeof v === 'string' && v.length <= 1000;
const cellAttrs = { colspan: optional(intIn(1, 20)), rowspan: optional(intIn(1, 50)), colwidth: (v: unknown) => isNull(v) || (Array.isArray(v) && v.length <= 20 && v.every(intIn(1, 5000))) };

/**
 * The schema the lesson editor (site/components/author/LessonEditor.tsx), this checker and the
 * renderer share: what each node may contain and which attributes it may carry (with their values).
 */
const NODE_SPEC: Record<string, { content: Group; group: Group; attrs?: Record<string, AttrCheck> }> = {
  doc: { content: 'block', group: 'none' },
  paragraph: { content: 'inline', group: 'block', attrs: { textAlign: isNull } },
  heading: { content: 'inline', group: 'block', attrs: { level: intIn(2, 4), textAlign: isNull } },
  bulletList: { content: 'listItem', group: 'block' },
  orderedList: { content: 'listItem', group: 'block', attrs: { start: optional(intIn(0, 100000)), type: optional((v) => v === '1' || v === 'a' || v === 'i' || v === 'A' || v === 'I') } },
  listItem: { content: 'block', group: 'listItem' },
  blockquote: { content: 'block', group: 'block' },
  codeBlock: { content: 'text', group: 'block', attrs: { language: optional((v) => typeof v === 'string' && /^[a-z0-9+-]{0,30}$/.test(v)) } },
  horizontalRule: { content: 'none', group: 'block' },
  image: { content: 'none', group: 'block', attrs: { src: (v) => safeImageSrc(v) !== null, alt: shortText, title: optional(shortText), width: optional(intIn(1, 10000)), height: optional(intIn(1, 10000)) } },
  table: { content: 'tableRow', group: 'block' },
  tableRow: { content: 'tableCell', group: 'tableRow' },
  tableHeader: { content: 'block', group: 'tableCell', attrs: cellAttrs },
  tableCell: { content: 'block', group: 'tableCell', attrs: cellAttrs },
  callout: { content: 'block', group: 'block', attrs: { variant: (v) => CALLOUT_VARIANTS.includes(v as never) } },
  text: { content: 'none', group: 'inline' },
  hardBreak: { content: 'none', group: 'inline' },
};
const MARK_SPEC: Record<string, Record<string, AttrCheck>> = {
  bold: {},
  italic: {},
  underline: {},
  strike: {},
  code: {},
  link: { href: (v) => safeUrl(v) !== null, target: optional((v) => v === '_blank'), rel: optional(shortText), class: isNull, title: optional(shortText) },
};
const NODE_KEYS = new Set(['type', 'attrs', 'content', 'text', 'marks']);

export type TiptapLimits = { nodes: number; depth: number; textChars: number };
const NO_LIMITS: TiptapLimits = { nodes: Infinity, depth: Infinity, textChars: Infinity };

function checkAttrs(attrs: unknown, spec: Record<string, AttrCheck> | undefined, path: string): string | null {
  if (attrs === undefined) return spec && Object.values(spec).some((c) => !c(undefined)) ? `${path}: attributes missing` : null;
  if (!attrs || typeof attrs !== 'object' || Array.isArray(attrs)) return `${path}: attrs is not an object`;
  const given = attrs as Record<string, unknown>;
  for (const key of Object.keys(given)) if (!spec || !Object.hasOwn(spec, key)) return `${path}: attribute "${key}" is not allowed`;
  for (const [key, check] of Object.entries(spec ?? {})) if (!check(given[key])) return `${path}: attribute "${key}" has a value that is not allowed`;
  return null;
}

/**
 * Checks a Tiptap document against the editor's schema: known nodes in allowed places, known marks,
 * known attributes with allowed values (safe link and image URLs), and the size limits.
 * Returns the reason with the path of the offending node, or null when the document is fine.
 */
export function checkTiptap(node: unknown, path = 'doc', limits: TiptapLimits = NO_LIMITS): string | null {
  const count = { nodes: 0, chars: 0 };
  const visit = (value: unknown, at: string, depth: number, parentContent: Group): string | null => {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return `${at}: not a node`;
    const n = value as TiptapNode;
    if (++count.nodes > limits.nodes) return `${at}: the text is too long (more than ${limits.nodes} parts)`;
    if (depth > limits.depth) return `${at}: nested too deeply`;
    for (const key of Object.keys(n)) if (!NODE_KEYS.has(key)) return `${at}: key "${key}" is not allowed`;
    if (typeof n.type !== 'string' || !Object.hasOwn(NODE_SPEC, n.type)) return `${at}: node type "${String(n.type)}" is not allowed`;
    const spec = NODE_SPEC[n.type]!;
    if (parentContent !== 'none' && !(spec.group === parentContent || (parentContent === 'text' && n.type === 'text'))) return `${at}: "${n.type}" is not allowed here`;
    const attrProblem = checkAttrs(n.attrs, spec.attrs, at);
    if (attrProblem) return attrProblem;
    if (n.type === 'text') {
      if (typeof n.text !== 'string' || n.text.length === 0) return `${at}: text without text`;
      count.chars += n.text.length;
      if (count.chars > limits.textChars) return `${at}: the text is too long (more than ${limits.textChars} characters)`;
    } else if (n.text !== undefined) return `${at}: only text nodes have text`;
    if (n.marks !== undefined) {
      if (n.type !== 'text' || !Array.isArray(n.marks)) return `${at}: marks are only allowed on text`;
      if (parentContent === 'text' && n.marks.length) return `${at}: code blocks have no marks`;
      const seen = new Set<string>();
      for (const [i, m] of n.marks.entries()) {
        if (!m || typeof m !== 'object' || typeof m.type !== 'string' || !Object.hasOwn(MARK_SPEC, m.type)) return `${at}.marks[${i}]: mark "${String(m?.type)}" is not allowed`;
        for (const key of Object.keys(m)) if (key !== 'type' && key !== 'attrs') return `${at}.marks[${i}]: key "${key}" is not allowed`;
        if (seen.has(m.type)) return `${at}.marks[${i}]: mark "${m.type}" is given twice`;
        seen.add(m.type);
        const p = checkAttrs(m.attrs, MARK_SPEC[m.type], `${at}.marks[${i}]`);
        if (p) return p;
      }
    }
    if (n.content !== undefined) {
      if (!Array.isArray(n.content)) return `${at}: content is not a list`;
      if (spec.content === 'none' && n.content.length) return `${at}: "${n.type}" has no content`;
      for (const [i, child] of n.content.entries()) {
        const r = visit(child, `${at}.content[${i}]`, depth + 1, spec.content);
        if (r) return r;
      }
    }
    return null;
  };
  if (node && typeof node === 'object' && (node as TiptapNode).type !== 'doc') return `${path}: the root node must be "doc"`;
  return visit(node, path, 0, 'none');
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** Only http(s), mailto and paths on this site; anything else (javascript:, data:, …) is dropped. */
export function safeUrl(href: unknown): string | null {
  if (typeof href !== 'string') return null;
  const v = href.trim();
  if (isSameSitePath(v) || (v.startsWith('#') && !/[\u0000-\u001F\u007F-\u009F]/.test(v))) return v;
  if (v.startsWith('/')) return null;
  try {
    const u = new URL(v);
    return ['http:', 'https:', 'mailto:'].includes(u.protocol) ? u.href : null;
  } catch {
    return null;
  }
}

/** Image sources: only files of this site (course media), never other hosts (no third-party requests). */
export function safeImageSrc(src: unknown): string | null {
  return typeof src === 'string' && /^\/api\/media\/[a-f0-9]{64}$/.test(src) ? src : null;
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
    case 'orderedList': {
      const start = Number(node.attrs?.start);
      return `<ol${Number.isInteger(start) && start > 1 ? ` start="${start}"` : ''}>${inner()}</ol>`;
    }
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
      const span = (name: string, max: number) => {
        const v = Number(node.attrs?.[name]);
        return Number.isInteger(v) && v > 1 && v <= max ? ` ${name}="${v}"` : '';
      };
      return `<${tag}${span('colspan', 20)}${span('rowspan', 50)}>${inner()}</${tag}>`;
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
