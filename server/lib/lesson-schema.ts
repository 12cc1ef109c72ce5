/**
 * The one schema of lesson texts (Tiptap / ProseMirror JSON), shared by the editor
 * (site/components/author/LessonEditor.tsx builds its Tiptap extensions from these constants in
 * server/lib/lesson-extensions.ts), the server's check (content.ts, package import) and the renderer
 * (server/lib/tiptap.ts). tests/unit/lesson-schema.test.ts compares the editor's real Tiptap schema
 * with NODE_SPEC / MARK_SPEC both ways, so the editor cannot make a node, mark or attribute the
 * server refuses or the renderer does not know. It also runs in the browser: import only import-free helpers.
 */
import { isSameSitePath } from './local-path';

import type { TiptapMark, TiptapNode } from '@db/domain';

export type { TiptapMark, TiptapNode };

/** Heading levels in lesson texts: the lesson title is the page's h1, texts start at h2. */
export const HEADING_LEVELS = [2, 3, 4] as const;
/** The kinds of callout (a framed note in the lesson text). */
export const CALLOUT_VARIANTS = ['note', 'warning', 'example'] as const;
/** How a table cell's text may be aligned (the editor's table extension carries `align`). */
export const CELL_ALIGNS = ['left', 'center', 'right'] as const;

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

type Group = 'block' | 'inline' | 'listItem' | 'tableRow' | 'tableCell' | 'text' | 'none';
type AttrCheck = (v: unknown) => boolean;
const isNull = (v: unknown) => v === null || v === undefined;
const intIn = (min: number, max: number): AttrCheck => (v) => Number.isInteger(v) && (v as number) >= min && (v as number) <= max;
const optional = (check: AttrCheck): AttrCheck => (v) => isNull(v) || check(v);
const shortText: AttrCheck = (v) => typeof v === 'string' && v.length <= 1000;
const oneOf = (values: readonly unknown[]): AttrCheck => (v) => values.includes(v);
const cellAttrs = {
  colspan: optional(intIn(1, 20)),
  rowspan: optional(intIn(1, 50)),
  colwidth: (v: unknown) => isNull(v) || (Array.isArray(v) && v.length <= 20 && v.every(intIn(1, 5000))),
  align: optional(oneOf(CELL_ALIGNS)),
};

/**
 * What each node may contain and which attributes it may carry (with their values). An attribute
 * listed here that the editor does not have must accept only null (kept for texts stored earlier).
 */
export const NODE_SPEC: Record<string, { content: Group; group: Group; attrs?: Record<string, AttrCheck> }> = {
  doc: { content: 'block', group: 'none' },
  paragraph: { content: 'inline', group: 'block', attrs: { textAlign: isNull } },
  heading: { content: 'inline', group: 'block', attrs: { level: oneOf(HEADING_LEVELS), textAlign: isNull } },
  bulletList: { content: 'listItem', group: 'block' },
  orderedList: { content: 'listItem', group: 'block', attrs: { start: optional(intIn(0, 100000)), type: optional(oneOf(['1', 'a', 'i', 'A', 'I'])) } },
  listItem: { content: 'block', group: 'listItem' },
  blockquote: { content: 'block', group: 'block' },
  codeBlock: { content: 'text', group: 'block', attrs: { language: optional((v) => typeof v === 'string' && /^[a-z0-9+-]{0,30}$/.test(v)) } },
  horizontalRule: { content: 'none', group: 'block' },
  image: { content: 'none', group: 'block', attrs: { src: (v) => safeImageSrc(v) !== null, alt: optional(shortText), title: optional(shortText), width: optional(intIn(1, 10000)), height: optional(intIn(1, 10000)) } },
  table: { content: 'tableRow', group: 'block' },
  tableRow: { content: 'tableCell', group: 'tableRow' },
  tableHeader: { content: 'block', group: 'tableCell', attrs: cellAttrs },
  tableCell: { content: 'block', group: 'tableCell', attrs: cellAttrs },
  callout: { content: 'block', group: 'block', attrs: { variant: oneOf(CALLOUT_VARIANTS) } },
  text: { content: 'none', group: 'inline' },
  hardBreak: { content: 'none', group: 'inline' },
};
export const MARK_SPEC: Record<string, Record<string, AttrCheck>> = {
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

/** Where in the document (a JSON path: `content`, 3, `attrs`, `align` …) and what is wrong. */
export type TiptapProblem = { path: (string | number)[]; message: string };

function attrsProblem(attrs: unknown, spec: Record<string, AttrCheck> | undefined, path: (string | number)[]): TiptapProblem | null {
  if (attrs === undefined) return spec && Object.values(spec).some((c) => !c(undefined)) ? { path: [...path, 'attrs'], message: 'attributes missing' } : null;
  if (!attrs || typeof attrs !== 'object' || Array.isArray(attrs)) return { path: [...path, 'attrs'], message: 'attrs is not an object' };
  const given = attrs as Record<string, unknown>;
  for (const key of Object.keys(given)) if (!spec || !Object.hasOwn(spec, key)) return { path: [...path, 'attrs', key], message: `attribute "${key}" is not allowed` };
  for (const [key, check] of Object.entries(spec ?? {})) if (!check(given[key])) return { path: [...path, 'attrs', key], message: `attribute "${key}" has a value that is not allowed` };
  return null;
}

/**
 * Checks a Tiptap document against the schema: known nodes in allowed places, known marks, known
 * attributes with allowed values (safe link and image URLs), and the size limits. Returns the first
 * problem with its path, or null when the document is fine.
 */
export function tiptapProblem(node: unknown, limits: TiptapLimits = NO_LIMITS): TiptapProblem | null {
  const count = { nodes: 0, chars: 0 };
  const at = (path: (string | number)[], message: string): TiptapProblem => ({ path, message });
  const visit = (value: unknown, path: (string | number)[], depth: number, parentContent: Group): TiptapProblem | null => {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return at(path, 'not a node');
    const n = value as TiptapNode;
    if (++count.nodes > limits.nodes) return at(path, `the text is too long (more than ${limits.nodes} parts)`);
    if (depth > limits.depth) return at(path, 'nested too deeply');
    for (const key of Object.keys(n)) if (!NODE_KEYS.has(key)) return at([...path, key], `key "${key}" is not allowed`);
    if (typeof n.type !== 'string' || !Object.hasOwn(NODE_SPEC, n.type)) return at([...path, 'type'], `node type "${String(n.type)}" is not allowed`);
    const spec = NODE_SPEC[n.type]!;
    if (parentContent !== 'none' && !(spec.group === parentContent || (parentContent === 'text' && n.type === 'text'))) return at([...path, 'type'], `"${n.type}" is not allowed here`);
    const attrProblem = attrsProblem(n.attrs, spec.attrs, path);
    if (attrProblem) return attrProblem;
    if (n.type === 'text') {
      if (typeof n.text !== 'string' || n.text.length === 0) return at([...path, 'text'], 'text without text');
      count.chars += n.text.length;
      if (count.chars > limits.textChars) return at([...path, 'text'], `the text is too long (more than ${limits.textChars} characters)`);
    } else if (n.text !== undefined) return at([...path, 'text'], 'only text nodes have text');
    if (n.marks !== undefined) {
      if (n.type !== 'text' || !Array.isArray(n.marks)) return at([...path, 'marks'], 'marks are only allowed on text');
      if (parentContent === 'text' && n.marks.length) return at([...path, 'marks'], 'code blocks have no marks');
      const seen = new Set<string>();
      for (const [i, m] of n.marks.entries()) {
        const mp = [...path, 'marks', i];
        if (!m || typeof m !== 'object' || typeof m.type !== 'string' || !Object.hasOwn(MARK_SPEC, m.type)) return at(mp, `mark "${String(m?.type)}" is not allowed`);
        for (const key of Object.keys(m)) if (key !== 'type' && key !== 'attrs') return at(mp, `key "${key}" is not allowed`);
        if (seen.has(m.type)) return at(mp, `mark "${m.type}" is given twice`);
        seen.add(m.type);
        const p = attrsProblem(m.attrs, MARK_SPEC[m.type], mp);
        if (p) return p;
      }
    }
    if (n.content !== undefined) {
      if (!Array.isArray(n.content)) return at([...path, 'content'], 'content is not a list');
      if (spec.content === 'none' && n.content.length) return at([...path, 'content'], `"${n.type}" has no content`);
      for (const [i, child] of n.content.entries()) {
        const r = visit(child, [...path, 'content', i], depth + 1, spec.content);
        if (r) return r;
      }
    }
    return null;
  };
  if (node && typeof node === 'object' && (node as TiptapNode).type !== 'doc') return at(['type'], 'the root node must be "doc"');
  return visit(node, [], 0, 'none');
}

/** The same check as a sentence: `doc.content[3].attrs.align: attribute "align" is not allowed`. */
export function checkTiptap(node: unknown, path = 'doc', limits: TiptapLimits = NO_LIMITS): string | null {
  const p = tiptapProblem(node, limits);
  if (!p) return null;
  return `${path}${p.path.map((s) => (typeof s === 'number' ? `[${s}]` : `.${s}`)).join('')}: ${p.message}`;
}

/**
 * Makes pasted content fit the schema (the editor calls it on every paste): attributes with values
 * the schema refuses are removed (the editor then uses its default), links to unsafe addresses lose
 * the link, images from outside this site's media are removed (unless `keepImage` says the editor is
 * uploading them). Returns what was dropped, by kind
 * (`image`, `link`, `attr:<node>.<attr>`, `node:<type>`, `mark:<type>`), so the editor can say so.
 */
export function fitToSchema(node: TiptapNode, options: { keepImage?: (src: unknown) => boolean } = {}): { node: TiptapNode | null; dropped: Set<string> } {
  const dropped = new Set<string>();
  const fit = (n: TiptapNode): TiptapNode | TiptapNode[] | null => {
    const spec = NODE_SPEC[n.type];
    if (!spec) {
      dropped.add(`node:${n.type}`);
      // Keep what is inside an unknown wrapper; the editor's parser decides where it fits.
      return (n.content ?? []).flatMap((c) => fit(c) ?? []);
    }
    if (n.type === 'image' && safeImageSrc(n.attrs?.src) === null && !options.keepImage?.(n.attrs?.src)) {
      dropped.add('image');
      return null;
    }
    const out: TiptapNode = { ...n };
    if (n.attrs) {
      const attrs: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(n.attrs)) {
        const check = spec.attrs?.[k];
        if (check?.(v) || (n.type === 'image' && k === 'src' && options.keepImage?.(v))) attrs[k] = v;
        else if (!isNull(v)) dropped.add(`attr:${n.type}.${k}`);
      }
      out.attrs = attrs;
    }
    if (n.marks) {
      out.marks = [];
      for (const m of n.marks) {
        const ms = MARK_SPEC[m.type];
        if (!ms) dropped.add(`mark:${m.type}`);
        else if (m.type === 'link' && safeUrl(m.attrs?.href) === null) dropped.add('link');
        else if (!out.marks.some((x) => x.type === m.type)) out.marks.push(m.attrs ? { type: m.type, attrs: Object.fromEntries(Object.entries(m.attrs).filter(([k, v]) => ms[k]?.(v))) } : m);
      }
      if (!out.marks.length) delete out.marks;
    }
    if (n.content) out.content = n.content.flatMap((c) => fit(c) ?? []);
    return out;
  };
  const r = fit(node);
  return { node: Array.isArray(r) ? { type: 'doc', content: r } : r, dropped };
}
