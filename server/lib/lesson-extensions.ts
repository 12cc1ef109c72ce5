/**
 * The lesson editor's Tiptap extensions, built from the one lesson schema (lesson-schema.ts): heading
 * levels, callout variants and the link check are the schema's own, so the editor cannot make what
 * the server refuses. Used by site/components/author/LessonEditor.tsx and, in Node, by
 * tests/unit/lesson-schema.test.ts, which compares the resulting schema with NODE_SPEC / MARK_SPEC.
 */
import { Node, mergeAttributes, type Extensions } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import Heading from '@tiptap/extension-heading';
import Image from '@tiptap/extension-image';
import { Table, TableRow, TableHeader, TableCell } from '@tiptap/extension-table';
import { CALLOUT_VARIANTS, HEADING_LEVELS, safeUrl } from './lesson-schema';

/** A framed note in the lesson text (rendered by server/lib/tiptap.ts as `div.callout.callout-<variant>`). */
export const Callout = Node.create({
  name: 'callout',
  group: 'block',
  content: 'block+',
  defining: true,
  addAttributes() {
    return {
      variant: {
        default: 'note',
        parseHTML: (el) => CALLOUT_VARIANTS.find((v) => el.classList.contains(`callout-${v}`)) ?? 'note',
        renderHTML: (attrs) => ({ class: `callout callout-${attrs.variant}` }),
      },
    };
  },
  parseHTML() {
    return [{ tag: 'div.callout' }];
  },
  renderHTML({ HTMLAttributes }) {
    return ['div', mergeAttributes(HTMLAttributes), 0];
  },
});

export function lessonExtensions(): Extensions {
  return [
    StarterKit.configure({
      heading: false,
      link: {
        openOnClick: false,
        autolink: true,
        protocols: ['http', 'https', 'mailto'],
        // The server's rule, not Tiptap's longer default list (tel:, ftp:, …): a pasted link it would refuse stays plain text.
        isAllowedUri: (url) => safeUrl(url) !== null,
      },
    }),
    // Tiptap's heading defaults to level 1, which lesson texts do not have (the page title is the h1).
    Heading.extend({ addAttributes: () => ({ level: { default: HEADING_LEVELS[0], rendered: false } }) }).configure({ levels: [...HEADING_LEVELS] }),
    Image,
    Table.configure({ resizable: false }),
    TableRow,
    TableHeader,
    TableCell,
    Callout,
  ];
}
