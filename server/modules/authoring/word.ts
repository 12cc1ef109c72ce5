/**
 * Word documents (.docx) → a lesson (issue #22). The file is bounded first (its size; the zip's
 * entries and inflated bytes, server/lib/zip.ts checkZip), then mammoth (a maintained .docx reader)
 * turns it into simple HTML, and that HTML — a small, known set of elements — is mapped here onto
 * the lesson schema (server/lib/lesson-schema.ts): Word "Heading 1/2/3" → lesson headings 2/3/4
 * (the lesson title is the page's h1), lists and nested lists, tables (header rows, merged cells),
 * links (only safe addresses), bold, italic, underline, strike-through, line breaks, and embedded
 * images, stored as the draft's media (media.ts storeUpload: PNG, JPEG, WebP up to 5 MB each).
 *
 * Whatever cannot be kept is left out and reported (`WordDropped`: mammoth's own messages, images of
 * other types or too large, unsafe links, superscript and subscript, and parts mammoth never reads:
 * comments, headers and footers, charts, SmartArt, embedded objects). A document is refused only
 * when it cannot be read at all or is over the limits; what it loses never fails the save.
 */
import mammoth from 'mammoth';
import { DOMParser } from '@xmldom/xmldom';
import type { DB } from '@db/client';
import { AppError } from '@server/lib/errors';
import { docHasText, safeImageSrc, safeUrl, tiptapProblem, type TiptapMark, type TiptapNode } from '@server/lib/tiptap';
import { checkZip, readZipEntry, type ZipEntry } from '@server/lib/zip';
import { DOC_LIMITS, type DraftLesson } from './content';
import { MEDIA_LIMITS, sniffMedia, storeUpload } from './media';
import { draftForEditor, assertCanEdit, emptyLesson, findLesson, freeLessonSlug, saveDraft, saveLesson, type Draft } from './service';

/** The largest .docx accepted (images included). */
export const WORD_MAX_BYTES = 20 * 1024 * 1024;
/** What the .docx may unpack to, checked before mammoth reads it. */
export const WORD_ZIP_LIMITS = { maxEntries: 2000, maxTotalBytes: 60 * 1024 * 1024 };
/** Images taken from one document; later ones are reported as dropped. */
export const WORD_MAX_IMAGES = 60;

/** What a document loses, by kind (each has a sentence `word.dropped.<code>` in locales/). */
export const WORD_DROP_CODES = [
  'image_type',
  'image_too_large',
  'images_too_many',
  'link_unsafe',
  'sup_sub',
  'style',
  'comments',
  'headers_footers',
  'charts',
  'diagrams',
  'embedded',
  'title_too_long',
  'message',
] as const;
export type WordDropCode = (typeof WORD_DROP_CODES)[number];
/** One kind of loss: how many times, and a detail where it helps (the image type, the style name, mammoth's message). */
export type WordDropped = { code: WordDropCode; count: number; detail?: string };

type Report = Map<string, WordDropped>;
function drop(report: Report, code: WordDropCode, detail?: string): void {
  const key = `${code}\u0000${detail ?? ''}`;
  const seen = report.get(key);
  if (seen) seen.count++;
  else report.set(key, { code, count: 1, ...(detail ? { detail: detail.slice(0, 200) } : {}) });
}

const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0];

/**
 * Checks the bytes are a .docx within the limits (AppError otherwise: `file_empty`, `word_too_large`
 * 413, `word_old_format` for a .doc, `word_unreadable`, `zip_too_large`); returns the zip's entries.
 */
export function checkDocx(bytes: Uint8Array): ZipEntry[] {
  if (bytes.length === 0) throw new AppError('file_empty', 400, 'file');
  if (bytes.length > WORD_MAX_BYTES) throw new AppError('word_too_large', 413, 'file');
  if (OLE_MAGIC.every((b, i) => bytes[i] === b)) throw new AppError('word_old_format', 422, 'file');
  let entries: ZipEntry[];
  try {
    entries = checkZip(bytes, WORD_ZIP_LIMITS);
  } catch (e) {
    if (e instanceof AppError && e.code === 'zip_unreadable') throw new AppError('word_unreadable', 422, 'file');
    if (e instanceof AppError && e.code === 'zip_too_large') throw new AppError('zip_too_large', 422, 'file');
    throw e;
  }
  if (!entries.some((e) => e.name === '[Content_Types].xml')) throw new AppError('word_unreadable', 422, 'file');
  return entries;
}

/** Parts of the package mammoth never reads: reported as dropped when present (and, for headers, not empty). */
function unreadParts(bytes: Uint8Array, entries: ZipEntry[], report: Report): void {
  const names = entries.map((e) => e.name);
  if (names.includes('word/comments.xml')) drop(report, 'comments');
  if (names.some((n) => n.startsWith('word/charts/'))) drop(report, 'charts');
  if (names.some((n) => n.startsWith('word/diagrams/'))) drop(report, 'diagrams');
  if (names.some((n) => n.startsWith('word/embeddings/'))) drop(report, 'embedded');
  const headers = entries.filter((e) => /^word\/(header|footer)\d*\.xml$/.test(e.name));
  if (headers.some((e) => /<w:t[ >][^<]*\S/.test(readZipEntry(bytes, e).toString('utf8')))) drop(report, 'headers_footers');
}

type Item = TiptapNode | { image: TiptapNode };
const isImage = (i: Item): i is { image: TiptapNode } => 'image' in i;
const MARK_OF: Record<string, string> = { strong: 'bold', b: 'bold', em: 'italic', i: 'italic', u: 'underline', s: 'strike', del: 'strike', strike: 'strike', code: 'code' };
const BLOCK_TAGS = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'table', 'blockquote', 'pre', 'div', 'li', 'hr']);

type El = { nodeType: number; nodeName: string; childNodes: ArrayLike<El>; data?: string; getAttribute(name: string): string | null };
const tag = (n: El) => n.nodeName.toLowerCase();
const children = (n: El): El[] => Array.from(n.childNodes);
const textOf = (n: El): string => (n.nodeType === 3 ? (n.data ?? '') : children(n).map(textOf).join(''));

/** The mammoth HTML (a known, small set of elements) → Tiptap nodes of the lesson schema. */
class HtmlToDoc {
  title: string | null = null;
  constructor(private report: Report) {}

  /** Inline content: text with marks, hard breaks; images come out as their own items (they are blocks in lessons). */
  inline(nodes: El[], marks: TiptapMark[], out: Item[]): Item[] {
    for (const c of nodes) {
      if (c.nodeType === 3) {
        if (c.data) out.push(marks.length ? { type: 'text', text: c.data, marks: marks.map((m) => ({ ...m })) } : { type: 'text', text: c.data });
        continue;
      }
      if (c.nodeType !== 1) continue;
      const t = tag(c);
      if (MARK_OF[t]) {
        const type = MARK_OF[t]!;
        this.inline(children(c), marks.some((m) => m.type === type) ? marks : [...marks, { type }], out);
      } else if (t === 'a') {
        const href = c.getAttribute('href');
        if (href === null || href === '') this.inline(children(c), marks, out);
        else if (/^#(footnote|endnote)-ref-/.test(href)) continue; // the "back to the text" arrow of a note
        else if (href.startsWith('#')) this.inline(children(c), marks, out); // a bookmark in the document (table of contents, note numbers): the text stays
        else {
          const safe = safeUrl(href);
          if (safe === null) drop(this.report, 'link_unsafe', href.slice(0, 100));
          this.inline(children(c), safe === null ? marks : [...marks.filter((m) => m.type !== 'link'), { type: 'link', attrs: { href: safe } }], out);
        }
      } else if (t === 'sup' || t === 'sub') {
        // note numbers ([1]) are links inside <sup>: their text stays, nothing is lost
        if (!/^\[\d+\]$/.test(textOf(c).trim())) drop(this.report, 'sup_sub');
        this.inline(children(c), marks, out);
      } else if (t === 'br') out.push({ type: 'hardBreak' });
      else if (t === 'img') {
        const src = safeImageSrc(c.getAttribute('src'));
        // an image not stored (its type or size) was reported when mammoth handed it over
        if (src) {
          const alt = (c.getAttribute('alt') ?? '').trim().slice(0, 1000);
          out.push({ image: { type: 'image', attrs: { src, ...(alt ? { alt } : {}) } } });
        }
      } else this.inline(children(c), marks, out);
    }
    return out;
  }

  /** A paragraph or heading of these items; images in it become blocks of their own around it. */
  textBlocks(type: 'paragraph' | 'heading', attrs: Record<string, unknown> | undefined, items: Item[]): TiptapNode[] {
    const out: TiptapNode[] = [];
    let run: TiptapNode[] = [];
    const flush = () => {
      // a run of only spaces and breaks is no paragraph
      if (run.some((n) => n.type === 'text' && n.text!.trim())) out.push({ type, ...(attrs ? { attrs } : {}), content: trimBreaks(run) });
      run = [];
    };
    for (const i of items) {
      if (isImage(i)) {
        flush();
        out.push(i.image);
      } else run.push(i);
    }
    flush();
    return out;
  }

  /** Block content of an element: blocks as they come, loose inline content gathered into paragraphs. */
  blocks(node: El, top = false): TiptapNode[] {
    return this.blocksOf(children(node), top);
  }

  blocksOf(nodes: El[], top = false): TiptapNode[] {
    const out: TiptapNode[] = [];
    let pending: Item[] = [];
    const flush = () => {
      out.push(...this.textBlocks('paragraph', undefined, pending));
      pending = [];
    };
    for (const c of nodes) {
      const t = c.nodeType === 1 ? tag(c) : '';
      if (!BLOCK_TAGS.has(t) || t === 'li') {
        this.inline([c], [], pending);
        continue;
      }
      flush();
      if (t === 'p') out.push(...this.textBlocks('paragraph', undefined, this.inline(children(c), [], [])));
      else if (/^h[1-6]$/.test(t)) {
        const items = this.inline(children(c), [], []);
        if (top && t === 'h1' && (c.getAttribute('class') ?? '').split(' ').includes('word-title') && this.title === null) {
          this.title = items.filter((i): i is TiptapNode => !isImage(i) && i.type === 'text').map((i) => i.text).join('').replace(/\s+/g, ' ').trim();
          out.push(...items.filter(isImage).map((i) => i.image));
          continue;
        }
        out.push(...this.textBlocks('heading', { level: Math.min(4, Number(t[1]) + 1) }, items));
      } else if (t === 'ul' || t === 'ol') out.push(...this.list(c));
      else if (t === 'table') out.push(...this.table(c));
      else if (t === 'blockquote') {
        const inner = this.blocks(c);
        if (inner.length) out.push({ type: 'blockquote', content: inner });
      } else if (t === 'pre') {
        const text = textOf(c);
        if (text) out.push({ type: 'codeBlock', content: [{ type: 'text', text }] });
      } else if (t === 'hr') out.push({ type: 'horizontalRule' });
      else out.push(...this.blocks(c));
    }
    flush();
    return out;
  }

  list(node: El): TiptapNode[] {
    const items: TiptapNode[] = [];
    for (const li of children(node)) {
      if (li.nodeType !== 1) continue;
      if (tag(li) !== 'li') {
        // a list directly inside a list (a skipped level): it goes into the previous item
        const inner = this.blocksOf([li]);
        if (!inner.length) continue;
        if (items.length) items.at(-1)!.content!.push(...inner);
        else items.push({ type: 'listItem', content: [{ type: 'paragraph' }, ...inner] });
        continue;
      }
      const content = this.blocks(li);
      // a list item starts with a paragraph (the editor's schema), even when the item holds only a sublist
      if (content[0]?.type !== 'paragraph') content.unshift({ type: 'paragraph' });
      items.push({ type: 'listItem', content });
    }
    if (!items.length) return [];
    return [{ type: tag(node) === 'ol' ? 'orderedList' : 'bulletList', ...(tag(node) === 'ol' ? { attrs: { start: 1 } } : {}), content: items }];
  }

  table(node: El): TiptapNode[] {
    const rows: TiptapNode[] = [];
    const visit = (n: El) => {
      for (const c of children(n)) {
        if (c.nodeType !== 1) continue;
        const t = tag(c);
        if (t === 'thead' || t === 'tbody' || t === 'tfoot') visit(c);
        else if (t === 'tr') {
          const cells: TiptapNode[] = [];
          for (const cell of children(c)) {
            if (cell.nodeType !== 1 || !['td', 'th'].includes(tag(cell))) continue;
            const span = (name: string, max: number) => {
              const v = Number(cell.getAttribute(name) ?? 1);
              return Number.isInteger(v) && v > 1 ? Math.min(v, max) : undefined;
            };
            const colspan = span('colspan', 20);
            const rowspan = span('rowspan', 50);
            const content = this.blocks(cell);
            cells.push({
              type: tag(cell) === 'th' ? 'tableHeader' : 'tableCell',
              ...(colspan || rowspan ? { attrs: { ...(colspan ? { colspan } : {}), ...(rowspan ? { rowspan } : {}) } } : {}),
              content: content.length ? content : [{ type: 'paragraph' }],
            });
          }
          if (cells.length) rows.push({ type: 'tableRow', content: cells });
        }
      }
    };
    visit(node);
    return rows.length ? [{ type: 'table', content: rows }] : [];
  }
}

/** Hard breaks at the very start or end of a paragraph show nothing: left out. */
function trimBreaks(run: TiptapNode[]): TiptapNode[] {
  let a = 0;
  let b = run.length;
  while (a < b && run[a]!.type === 'hardBreak') a++;
  while (b > a && run[b - 1]!.type === 'hardBreak') b--;
  return run.slice(a, b);
}

/** mammoth's messages → kinds of loss (styles it does not know keep their text as plain paragraphs). */
function mammothMessages(messages: { type: string; message: string }[], report: Report): void {
  const styles = new Set<string>();
  for (const m of messages) {
    const style = /^Unrecognised (?:paragraph|run|table|numbering) style: '([^']*)'/.exec(m.message);
    if (style) {
      if (!PLAIN_STYLES.has(style[1]!)) styles.add(style[1]!);
    } else if (/^Image of type .* is unlikely to display/.test(m.message)) continue; // reported by the image handler
    else drop(report, 'message', m.message);
  }
  // one line for every style whose look is lost (the text itself is kept as plain paragraphs)
  if (styles.size) report.set('style', { code: 'style', count: styles.size, detail: [...styles].join(', ').slice(0, 200) });
}

/**
 * Styles with a place in lessons. (Plain-text styles are not mapped to `p`: a rule by style name
 * would win over mammoth's list rules, and list paragraphs carry such styles.)
 */
const STYLE_MAP = [
  "p[style-name='Title'] => h1.word-title:fresh",
  "p[style-name='Subtitle'] => p:fresh",
  "p[style-name='Quote'] => blockquote > p:fresh",
  "p[style-name='Intense Quote'] => blockquote > p:fresh",
  'u => u',
];
/** Styles that only set the look of body text: reading them as plain paragraphs loses nothing worth a line in the report. */
const PLAIN_STYLES = new Set(['Body Text', 'Text Body', 'Normal (Web)', 'Table Contents', 'Table Heading', 'No Spacing', 'List Paragraph', 'Default Paragraph Font', 'Default', 'Standard']);

export type WordConversion = { doc: TiptapNode; title: string | null; words: number; dropped: WordDropped[] };

/**
 * Converts a .docx into a lesson text. `storeImage` keeps an image (PNG/JPEG/WebP bytes already
 * checked) and returns its media address. Throws AppError for a file that cannot be read or is too
 * big or too long; anything it cannot keep is in `dropped`.
 */
export async function convertDocx(bytes: Uint8Array, storeImage: (data: Buffer) => string): Promise<WordConversion> {
  const entries = checkDocx(bytes);
  const report: Report = new Map();
  unreadParts(bytes, entries, report);
  let images = 0;
  let result: { value: string; messages: { type: string; message: string }[] };
  try {
    result = await mammoth.convertToHtml(
      { buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) },
      {
        styleMap: STYLE_MAP,
        ignoreEmptyParagraphs: true,
        convertImage: mammoth.images.imgElement(async (image) => {
          if (++images > WORD_MAX_IMAGES) {
            drop(report, 'images_too_many');
            return { src: '' };
          }
          const data = await image.readAsBuffer();
          const found = sniffMedia(data);
          if (!found || found.kind !== 'image') {
            drop(report, 'image_type', image.contentType ?? undefined);
            return { src: '' };
          }
          if (data.length > MEDIA_LIMITS.image) {
            drop(report, 'image_too_large');
            return { src: '' };
          }
          return { src: storeImage(data) };
        }),
      },
    );
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError('word_unreadable', 422, 'file');
  }
  mammothMessages(result.messages, report);
  const parsed = new DOMParser({
    errorHandler: {
      warning: () => {},
      error: () => {
        throw new AppError('word_unreadable', 422, 'file');
      },
      fatalError: () => {
        throw new AppError('word_unreadable', 422, 'file');
      },
    },
  }).parseFromString(`<root>${result.value}</root>`, 'text/xml');
  const html = new HtmlToDoc(report);
  const content = html.blocks(parsed.documentElement as unknown as El, true);
  const doc: TiptapNode = { type: 'doc', content };
  const problem = tiptapProblem(doc, DOC_LIMITS);
  if (problem) {
    if (/too long|nested too deeply/.test(problem.message)) throw new AppError('word_too_long', 422, 'file');
    // anything else would be a mistake of this converter: never saved, the document is refused
    throw new AppError('word_unreadable', 422, 'file');
  }
  let title = html.title || null;
  if (title && title.length > 200) {
    drop(report, 'title_too_long');
    title = title.slice(0, 200).trim();
  }
  const words = textOf(parsed.documentElement as unknown as El).split(/\s+/).filter(Boolean).length;
  return { doc, title, words, dropped: [...report.values()] };
}

/** Reading time of a lesson text: 150 words a minute, 5 minutes at least, 600 at most. */
export const readingMinutes = (words: number) => Math.min(600, Math.max(5, Math.ceil(words / 150)));

export type WordImportInput = {
  bytes: Uint8Array;
  lang: 'ky' | 'ru';
  revision: number;
  /** the file's name: the lesson title when neither `title` nor the document's Title paragraph gives one */
  fileName?: string;
  title?: string;
  /** the module (0-based) the new lesson goes to; the last one by default */
  module?: number;
  /** an existing lesson whose text in `lang` is still empty: the document becomes that text */
  lesson?: string;
};
export type WordImportResult = { draft: Draft; lesson: string; created: boolean; dropped: WordDropped[] };

/**
 * A .docx into a draft: as a new lesson at the end of a module (in place of the first, empty lesson
 * of a new draft), or as the text in one language of an existing lesson whose text in that language
 * is empty (409 `word_lesson_has_text` otherwise: an import never overwrites what was written).
 * Only the draft's editors (404 for anyone else), only while it is editable (409 `draft_locked`);
 * `revision` as for every save (409 `stale_revision`). Images are stored as the draft's media.
 */
export async function importWordLesson(db: DB, draftId: number, input: WordImportInput, user: Parameters<typeof draftForEditor>[2], now = new Date()): Promise<WordImportResult> {
  const draft = draftForEditor(db, draftId, user);
  assertCanEdit(draft, user);
  const lang = input.lang;
  let target: DraftLesson | null = null;
  if (input.lesson !== undefined) {
    target = findLesson(draft.content.manifest, input.lesson).lesson;
    if (docHasText(target.doc[lang])) throw new AppError('word_lesson_has_text', 409, 'lesson');
    if (target.scorm) throw new AppError('word_lesson_is_scorm', 409, 'lesson');
  } else if (input.module !== undefined && !(Number.isInteger(input.module) && input.module >= 0 && input.module < Math.max(1, draft.content.manifest.modules.length))) {
    throw new AppError('invalid_input', 400, 'module');
  }
  const converted = await convertDocx(input.bytes, (data) => `/api/media/${storeUpload(db, draft.id, data, 'image', now).sha256}`);
  if (!docHasText(converted.doc)) throw new AppError('word_empty', 422, 'file');
  const fromName = (input.fileName ?? '').replace(/\.docx$/i, '').replace(/[_]+/g, ' ').trim().slice(0, 200);
  const title = (input.title ?? '').trim().slice(0, 200) || converted.title || fromName || null;

  if (target) {
    const t = target;
    const saved = saveLesson(
      db,
      draft.id,
      input.revision,
      t.slug,
      { doc: { ...t.doc, [lang]: converted.doc }, ...(!t.title[lang] && title ? { title: { ...t.title, [lang]: title } } : {}) },
      user,
      now,
    );
    return { draft: saved, lesson: t.slug, created: false, dropped: converted.dropped };
  }
  let slug = '';
  const saved = saveDraft(
    db,
    draft.id,
    input.revision,
    (content) => {
      const manifest = content.manifest;
      const lesson: DraftLesson = { slug: '', title: title ? { [lang]: title } : {}, minutes: readingMinutes(converted.words), kind: 'theory', doc: { [lang]: converted.doc } };
      const only = manifest.modules.length === 1 && manifest.modules[0]!.lessons.length === 1 && emptyLesson(manifest.modules[0]!.lessons[0]!);
      if (only) {
        lesson.slug = manifest.modules[0]!.lessons[0]!.slug;
        manifest.modules[0]!.lessons[0] = lesson;
      } else {
        if (!manifest.modules.length) manifest.modules.push({ title: {}, lessons: [] });
        lesson.slug = freeLessonSlug(manifest);
        manifest.modules[input.module ?? manifest.modules.length - 1]!.lessons.push(lesson);
      }
      slug = lesson.slug;
      return { manifest };
    },
    user,
    now,
  );
  return { draft: saved, lesson: slug, created: true, dropped: converted.dropped };
}
