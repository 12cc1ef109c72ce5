/**
 * Clipboard HTML from Word, Google Docs and LibreOffice, made readable for the lesson editor's
 * schema before Tiptap parses it (issue #16): Word's "Heading 1/2/3" become the lesson's headings
 * (h2–h4: the lesson title is the page's h1), Word's list paragraphs (`mso-list`) become real nested
 * lists, Google Docs' wrappers and misplaced nested lists are fixed, images are marked for upload as
 * media (`pending:<n>` sources, replaced once uploaded). Browser only (DOMParser).
 * Fixtures in tests/fixtures/paste/ are real HTML from LibreOffice (see tests/browser/author-paste.test.ts).
 */

export type PendingImage = { id: string; src: string; alt: string };

const HEADING_FOR: Record<string, string> = { H1: 'h2', H2: 'h3', H3: 'h4', H4: 'h4', H5: 'h4', H6: 'h4' };

let pendingCounter = 0;

function rename(el: Element, tag: string): Element {
  const next = el.ownerDocument.createElement(tag);
  while (el.firstChild) next.appendChild(el.firstChild);
  el.replaceWith(next);
  return next;
}

function unwrap(el: Element) {
  el.replaceWith(...Array.from(el.childNodes));
}

/** Word's heading styles when they come as paragraphs: class MsoHeading1 / Heading1 or mso-outline-level. */
function wordHeadingLevel(el: Element): number | null {
  const cls = el.getAttribute('class') ?? '';
  const m = /(?:^|\s)(?:Mso)?Heading([1-6])\b/i.exec(cls) ?? /mso-outline-level:\s*([1-6])/i.exec(el.getAttribute('style') ?? '');
  return m ? Number(m[1]) : null;
}

/** Word's list paragraphs (`style="mso-list:l0 level2 lfo1"`) into nested ul/ol. */
function wordLists(doc: Document) {
  const isListPara = (n: Element | null): n is HTMLElement => !!n && n.tagName === 'P' && /mso-list:\s*l\d+\s+level\d+/i.test(n.getAttribute('style') ?? '');
  for (const first of Array.from(doc.querySelectorAll('p'))) {
    if (!first.isConnected || !isListPara(first) || isListPara(first.previousElementSibling)) continue;
    const run: HTMLElement[] = [];
    for (let n: Element | null = first; isListPara(n); n = n.nextElementSibling) run.push(n);
    const root = doc.createElement('div');
    const stack: { level: number; list: HTMLElement }[] = [];
    for (const p of run) {
      const level = Number(/level(\d+)/i.exec(p.getAttribute('style') ?? '')![1]);
      // The bullet or number Word writes as text in a span marked mso-list:Ignore.
      const marker = p.querySelector('span[style*="mso-list:Ignore" i], span[style*="mso-list: Ignore" i]');
      const ordered = /^\s*[\dA-Za-z]{1,4}[.)]/.test(marker?.textContent ?? '');
      marker?.remove();
      while (stack.length && stack[stack.length - 1]!.level > level) stack.pop();
      let top = stack[stack.length - 1];
      if (!top || top.level < level) {
        const list = doc.createElement(ordered ? 'ol' : 'ul');
        if (top) (top.list.lastElementChild ?? top.list).appendChild(list);
        else root.appendChild(list);
        top = { level, list };
        stack.push(top);
      }
      const li = doc.createElement('li');
      const para = doc.createElement('p');
      while (p.firstChild) para.appendChild(p.firstChild);
      li.appendChild(para);
      top.list.appendChild(li);
    }
    first.before(...Array.from(root.childNodes));
    for (const p of run) p.remove();
  }
}

/**
 * Rewrites pasted HTML for the editor's schema. Images (data:, http(s):, file:) are given a
 * `pending:<n>` source and returned for upload; the caller uploads them as media (or drops them
 * with a notice when their bytes cannot be read).
 */
export function normalisePastedHtml(html: string): { html: string; images: PendingImage[] } {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  doc.querySelectorAll('style, meta, title, link, script, xml, o\\:p').forEach((el) => el.remove());
  // Google Docs wraps everything in <b style="font-weight:normal" id="docs-internal-guid-…">.
  doc.querySelectorAll('b[id^="docs-internal-guid"]').forEach(unwrap);
  for (const el of Array.from(doc.querySelectorAll('p, div'))) {
    const level = wordHeadingLevel(el);
    if (level) rename(el, HEADING_FOR[`H${level}`]!);
  }
  for (const el of Array.from(doc.querySelectorAll('h1, h2, h3, h4, h5, h6'))) rename(el, HEADING_FOR[el.tagName]!);
  wordLists(doc);
  // Google Docs puts a nested list directly in the outer list; HTML (and the editor) want it in the item before it.
  for (const list of Array.from(doc.querySelectorAll('ul > ul, ul > ol, ol > ul, ol > ol'))) {
    const prev = list.previousElementSibling;
    if (prev?.tagName === 'LI') prev.appendChild(list);
    else {
      const li = doc.createElement('li');
      list.replaceWith(li);
      li.appendChild(list);
    }
  }
  // Google Docs and LibreOffice underline link text by hand: a link is already shown as a link.
  doc.querySelectorAll<HTMLElement>('a[href] [style*="underline"]').forEach((el) => (el.style.textDecoration = 'none'));
  doc.querySelectorAll('a[href] u').forEach(unwrap);
  doc.querySelectorAll('u:has(> a[href]:only-child)').forEach(unwrap);
  const images: PendingImage[] = [];
  for (const img of Array.from(doc.querySelectorAll('img'))) {
    const src = img.getAttribute('src') ?? '';
    if (/^\/api\/media\/[a-f0-9]{64}$/.test(src)) continue; // copied from another lesson of this site
    const id = `pending:${++pendingCounter}`;
    images.push({ id, src, alt: (img.getAttribute('alt') ?? '').trim().slice(0, 500) });
    img.setAttribute('src', id);
    img.removeAttribute('width');
    img.removeAttribute('height');
    // The editor's images are blocks: an image inside a paragraph is lifted out before it.
    const block = img.closest('p, h2, h3, h4, li, td, th');
    if (block && block.tagName === 'P') block.before(img);
  }
  return { html: doc.body.innerHTML, images };
}

/**
 * The bytes of a pasted image when they came with the clipboard (a data: URL, as LibreOffice and
 * Word give for embedded pictures). Pictures that are only links (file:///C:/… from Word, another
 * site's address from Google Docs) cannot be read by the page: the site's own policy allows
 * requests to this site only. Those are dropped with a notice.
 */
export function pastedImageBlob(src: string): Blob | null {
  const m = /^data:(image\/(?:png|jpeg|webp));base64,([A-Za-z0-9+/=\s]+)$/i.exec(src);
  if (!m) return null;
  try {
    const bin = atob(m[2]!.replace(/\s+/g, ''));
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return new Blob([bytes], { type: m[1]!.toLowerCase() });
  } catch {
    return null;
  }
}
