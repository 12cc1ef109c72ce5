/** The callout node of the lesson editor: a framed note (server/lib/tiptap.ts renders and checks the same). */
import { Node, mergeAttributes } from '@tiptap/core';

export const Callout = Node.create({
  name: 'callout',
  group: 'block',
  content: 'block+',
  defining: true,
  addAttributes() {
    return {
      variant: {
        default: 'note',
        parseHTML: (el) => (['note', 'warning', 'example'].find((v) => el.classList.contains(`callout-${v}`)) ?? 'note'),
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
