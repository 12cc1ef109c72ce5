/**
 * Lesson texts as Markdown for the form that works without JavaScript: the editor island replaces it
 * with the rich editor. Tiptap → Markdown keeps headings, lists, quotes, code, links, images and
 * emphasis; tables, callouts and underline have no Markdown form here and become plain text
 * (`lossyInMarkdown` tells the page to warn before such a text is edited without the editor).
 */
import { markdownToTiptap, safeImageSrc, type TiptapMark, type TiptapNode } from '@server/lib/tiptap';
import { AppError } from '@server/lib/errors';

const escapeText = (s: string) => s.replace(/([\\`*_[\]#<>!|])/g, '\\$1');

function inline(nodes: TiptapNode[] = []): string {
  return nodes
    .map((n) => {
      if (n.type === 'hardBreak') return '  \n';
      if (n.type !== 'text' || typeof n.text !== 'string') return '';
      const marks: TiptapMark[] = n.marks ?? [];
      const has = (t: string) => marks.some((m) => m.type === t);
      if (has('code')) return '`' + n.text.replace(/`/g, "'") + '`';
      let s = escapeText(n.text);
      if (has('bold')) s = `**${s}**`;
      if (has('italic')) s = `*${s}*`;
      if (has('strike')) s = `~~${s}~~`;
      const link = marks.find((m) => m.type === 'link');
      if (link && typeof link.attrs?.href === 'string') s = `[${s}](${link.attrs.href.replace(/[()\s]/g, encodeURIComponent)})`;
      return s;
    })
    .join('');
}

function block(n: TiptapNode, indent = ''): string {
  const kids = n.content ?? [];
  switch (n.type) {
    case 'doc':
      return kids.map((k) => block(k, indent)).filter(Boolean).join('\n\n');
    case 'paragraph':
      return indent + inline(kids);
    case 'heading':
      return `${indent}${'#'.repeat(Number(n.attrs?.level) || 2)} ${inline(kids)}`;
    case 'bulletList':
    case 'orderedList': {
      const start = Number(n.attrs?.start) || 1;
      return kids
        .map((item, i) => {
          const marker = n.type === 'bulletList' ? '- ' : `${start + i}. `;
          const body = (item.content ?? []).map((k) => block(k, indent + ' '.repeat(marker.length))).join('\n\n');
          return indent + marker + body.slice(indent.length + marker.length);
        })
        .join('\n');
    }
    case 'blockquote':
    case 'callout':
      return kids.map((k) => block(k)).join('\n\n').split('\n').map((l) => `${indent}> ${l}`).join('\n');
    case 'codeBlock':
      return `${indent}\`\`\`\n${kids.map((k) => k.text ?? '').join('')}\n${indent}\`\`\``;
    case 'horizontalRule':
      return `${indent}---`;
    case 'image':
      return `${indent}![${escapeText(String(n.attrs?.alt ?? ''))}](${String(n.attrs?.src ?? '')})`;
    case 'table':
      return kids.map((row) => indent + (row.content ?? []).map((cell) => (cell.content ?? []).map((k) => inline(k.content)).join(' ')).join(' — ')).join('\n\n');
    default:
      return '';
  }
}

export function tiptapToMarkdown(doc: TiptapNode | undefined): string {
  return doc ? block(doc).trim() : '';
}

/** The text has what Markdown here cannot keep (tables, callouts, underline). */
export function lossyInMarkdown(doc: TiptapNode | undefined): boolean {
  if (!doc) return false;
  if (doc.type === 'table' || doc.type === 'callout' || doc.marks?.some((m) => m.type === 'underline')) return true;
  return (doc.content ?? []).some(lossyInMarkdown);
}

/** Markdown from the no-JavaScript form → Tiptap JSON; images only from this site's media store. */
export function markdownToDoc(markdown: string, field: string): TiptapNode | undefined {
  if (!markdown.trim()) return undefined;
  try {
    return markdownToTiptap(markdown.replace(/\r\n/g, '\n'), (src) => {
      if (!safeImageSrc(src)) throw new AppError('image_not_uploaded', 400, field);
      return src;
    });
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError('invalid_input', 400, field);
  }
}
