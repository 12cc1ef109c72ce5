/**
 * The lesson text editor (issues #6, #16): Tiptap in a Solid island, Kyrgyz and Russian side by side,
 * a missing translation marked, saved automatically to PUT /api/author/drafts/<id>/lessons/<slug>.
 * - One schema: the extensions come from server/lib/lesson-extensions.ts, built from the schema the
 *   server checks and renders (server/lib/lesson-schema.ts); pasted content is fitted to it.
 * - A save the server refuses (400) says what was refused and where, with a button that goes there,
 *   and is not retried until the text changes. No answer at all (network, 5xx) is retried with a
 *   growing pause, and the text is kept on this computer meanwhile.
 * - The revision check is the lesson's own: another lesson saved in another tab is no conflict. The
 *   same lesson saved elsewhere (409) pauses editing and shows both versions until the author chooses.
 * - Unsaved typing is kept in localStorage and offered back when the page is opened again.
 * Without JavaScript the page offers Markdown fields instead; on start this island hides and
 * disables them, so the form's own "Save" keeps the stored texts. Loaded only on the lesson page.
 */
import { createSignal, For, onCleanup, onMount, Show } from 'solid-js';
import type { Editor as TiptapEditor, JSONContent } from '@tiptap/core';

type Lang = 'ky' | 'ru';
type Labels = Record<string, any>;
interface Props {
  draftId: number;
  lessonSlug: string;
  revision: number;
  docs: { ky: JSONContent | null; ru: JSONContent | null };
  labels: Labels;
}
type Status = 'idle' | 'saving' | 'saved' | 'refused' | 'offline' | 'conflict' | 'locked';
type Refusal = { lang: Lang | null; text: string; path: (string | number)[] };
type Backup = { savedAt: string; docs: Partial<Record<Lang, JSONContent>> };

const LANGS: Lang[] = ['ky', 'ru'];

function hasText(json: JSONContent | undefined): boolean {
  if (!json) return false;
  if (json.type === 'text') return Boolean(json.text?.trim());
  if (json.type === 'image') return true;
  return (json.content ?? []).some(hasText);
}
const fill = (s: string, values: Record<string, string | number>) => s.replace(/\{(\w+)\}/g, (m, k) => (k in values ? String(values[k]) : m));

export default function LessonEditor(props: Props) {
  const L = props.labels;
  const editors: Partial<Record<Lang, TiptapEditor>> = {};
  const mounts: Partial<Record<Lang, HTMLDivElement>> = {};
  const files: Partial<Record<Lang, HTMLInputElement>> = {};
  const [ready, setReady] = createSignal(false);
  const [status, setStatus] = createSignal<Status>('idle');
  const [revision, setRevision] = createSignal(props.revision);
  const [present, setPresent] = createSignal<Record<Lang, boolean>>({ ky: hasText(props.docs.ky ?? undefined), ru: hasText(props.docs.ru ?? undefined) });
  const [tick, setTick] = createSignal(0);
  const [refusal, setRefusal] = createSignal<Refusal | null>(null);
  const [retryIn, setRetryIn] = createSignal(0);
  const [notice, setNotice] = createSignal('');
  const [backup, setBackup] = createSignal<Backup | null>(null);
  const [conflict, setConflict] = createSignal<{ revision: number; docs: Partial<Record<Lang, JSONContent>>; theirs: Partial<Record<Lang, string>>; mine: Partial<Record<Lang, string>> } | null>(null);
  let dirty = false;
  let inFlight: Promise<void> | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let failures = 0;
  let uploads = 0;

  const api = (path: string) => `/api/author/drafts/${props.draftId}${path}`;
  const backupKey = `bilim:lesson:${props.draftId}:${props.lessonSlug}`;

  /** Every form on the page posts the revision: keep them current after each autosave. */
  const syncRevisionInputs = (r: number) => document.querySelectorAll<HTMLInputElement>('input[name="revision"]').forEach((i) => (i.value = String(r)));
  const currentDocs = () => {
    const doc: Partial<Record<Lang, JSONContent>> = {};
    for (const l of LANGS) if (editors[l]) doc[l] = editors[l]!.getJSON();
    return doc;
  };
  const writeBackup = () => {
    try {
      localStorage.setItem(backupKey, JSON.stringify({ savedAt: new Date().toISOString(), docs: currentDocs() } satisfies Backup));
    } catch {
      // Storage full or disabled: the autosave still runs.
    }
  };
  const clearBackup = () => {
    try {
      localStorage.removeItem(backupKey);
    } catch {
      /* nothing kept */
    }
  };
  const setEditable = (on: boolean) => LANGS.forEach((l) => editors[l]?.setEditable(on));

  /** "Kyrgyz text: table No. 2 › row No. 1 › cell No. 3: the attribute «align»" from the field path of a 400. */
  function describeRefusal(field: string | undefined, sent: Partial<Record<Lang, JSONContent>>): Refusal {
    const parts = (field ?? '').split('.');
    if (parts[0] !== 'doc' || (parts[1] !== 'ky' && parts[1] !== 'ru')) return { lang: null, text: fill(L.refusedOther, { field: field ?? '' }), path: [] };
    const lang = parts[1] as Lang;
    const path = parts.slice(2).map((p) => (/^\d+$/.test(p) ? Number(p) : p));
    const trail: string[] = [];
    let node: JSONContent | undefined = sent[lang];
    let what = L.refusedWhat.node;
    for (let i = 0; i < path.length; i++) {
      const key = path[i];
      if (key === 'content' && typeof path[i + 1] === 'number') {
        node = node?.content?.[path[i + 1] as number];
        trail.push(fill(L.position, { name: L.nodes[node?.type ?? ''] ?? node?.type ?? '?', n: (path[i + 1] as number) + 1 }));
        i++;
      } else if (key === 'attrs') {
        what = fill(L.refusedWhat.attr, { name: String(path[i + 1] ?? '') });
        break;
      } else if (key === 'marks') {
        what = fill(L.refusedWhat.mark, { name: String(node?.marks?.[path[i + 1] as number]?.type ?? '') });
        break;
      } else if (key === 'text') {
        what = L.refusedWhat.text;
        break;
      }
    }
    return { lang, text: fill(L.refused, { lang: L[lang], where: trail.join(' › ') || L.wholeText, what }), path };
  }

  /** Selects the refused node in its editor (the "Go there" button). */
  function goToRefusal() {
    const r = refusal();
    if (!r?.lang || !editors[r.lang]) return;
    const ed = editors[r.lang]!;
    let node = ed.state.doc;
    let pos = 0; // start of node's content
    let target = 0;
    for (let i = 0; i < r.path.length; i++) {
      if (r.path[i] !== 'content' || typeof r.path[i + 1] !== 'number') break;
      const index = r.path[i + 1] as number;
      if (index >= node.childCount) break;
      for (let k = 0; k < index; k++) pos += node.child(k).nodeSize;
      target = pos;
      node = node.child(index);
      pos += 1;
      i++;
    }
    ed.chain().focus().setNodeSelection(target).scrollIntoView().run();
  }

  async function saveNow(): Promise<void> {
    if (inFlight) {
      await inFlight;
      if (!dirty) return;
    }
    if (status() === 'conflict' || status() === 'locked') return;
    // Pasted pictures still uploading: their source is not a media address yet.
    if (uploads > 0) {
      clearTimeout(timer);
      timer = setTimeout(() => void saveNow(), 800);
      return;
    }
    dirty = false;
    const doc = currentDocs();
    setStatus('saving');
    inFlight = (async () => {
      try {
        const res = await fetch(api(`/lessons/${encodeURIComponent(props.lessonSlug)}`), {
          method: 'PUT',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ revision: revision(), lesson: { doc } }),
        });
        if (res.ok) {
          const body = await res.json();
          setRevision(body.revision);
          syncRevisionInputs(body.revision);
          failures = 0;
          setRefusal(null);
          setStatus('saved');
          if (!dirty) clearBackup();
          return;
        }
        const error = (await res.json().catch(() => null))?.error as { code?: string; field?: string } | undefined;
        if (res.status >= 500) throw new Error('server');
        if (error?.code === 'stale_revision') return void (await openConflict(doc));
        if (error?.code === 'draft_locked') return void setStatus('locked');
        // Refused: retrying the same text cannot help. Say what and where; the next change tries again.
        setRefusal(error?.code === 'invalid_input' ? describeRefusal(error.field, doc) : { lang: null, text: L.errors[error?.code ?? ''] ?? fill(L.refusedOther, { field: error?.code ?? String(res.status) }), path: [] });
        setStatus('refused');
      } catch {
        // No answer: the network or the server. Try again, waiting longer each time (3 s … 60 s).
        dirty = true;
        failures++;
        const wait = Math.min(60, 3 * 2 ** (failures - 1));
        setRetryIn(wait);
        setStatus('offline');
        clearTimeout(timer);
        timer = setTimeout(() => void saveNow(), wait * 1000);
      }
    })();
    await inFlight;
    inFlight = null;
  }

  /** The same lesson was saved elsewhere: pause editing and show both versions. */
  async function openConflict(mine: Partial<Record<Lang, JSONContent>>) {
    setEditable(false);
    setStatus('conflict');
    dirty = false;
    clearTimeout(timer);
    const [draft, preview] = await Promise.all([
      fetch(api('')).then((r) => (r.ok ? r.json() : null)),
      fetch(api(`/lessons/${encodeURIComponent(props.lessonSlug)}/preview`)).then((r) => (r.ok ? r.json() : null)),
    ]);
    const lesson = draft?.content?.manifest?.modules?.flatMap((m: { lessons: { slug: string }[] }) => m.lessons).find((l: { slug: string }) => l.slug === props.lessonSlug);
    const mineHtml: Partial<Record<Lang, string>> = {};
    for (const l of LANGS) mineHtml[l] = editors[l]?.getHTML() ?? '';
    setConflict({ revision: draft?.revision ?? revision(), docs: lesson?.doc ?? {}, theirs: preview?.html ?? {}, mine: mineHtml });
    void mine;
  }

  function keepMine() {
    const c = conflict();
    if (!c) return;
    setRevision(c.revision);
    syncRevisionInputs(c.revision);
    setConflict(null);
    setStatus('idle');
    setEditable(true);
    dirty = true;
    void saveNow();
  }

  function takeTheirs() {
    const c = conflict();
    if (!c) return;
    for (const l of LANGS) editors[l]?.commands.setContent(c.docs[l] ?? '', { emitUpdate: false });
    setPresent({ ky: hasText(c.docs.ky), ru: hasText(c.docs.ru) });
    setRevision(c.revision);
    syncRevisionInputs(c.revision);
    setConflict(null);
    clearBackup();
    setEditable(true);
    setStatus('idle');
  }

  const schedule = () => {
    dirty = true;
    writeBackup();
    clearTimeout(timer);
    timer = setTimeout(() => void saveNow(), 800);
  };

  /** Uploads a picture as media; null when the server refuses it (the reason is shown). */
  async function uploadImage(file: Blob, name: string): Promise<string | null> {
    const data = new FormData();
    data.set('kind', 'image');
    data.set('file', file, name);
    try {
      const res = await fetch(api('/media'), { method: 'POST', body: data });
      if (res.ok) return (await res.json()).sha256;
      const code = (await res.json().catch(() => null))?.error?.code;
      setNotice(L.errors[`image.${code}`] ?? L.errors[code] ?? L.imageFailed);
    } catch {
      setNotice(L.imageFailed);
    }
    return null;
  }

  /** Replaces (or, when they cannot be read or are refused, removes) the pasted pictures marked pending. */
  async function uploadPasted(l: Lang, images: { id: string; src: string }[]) {
    const { pastedImageBlob } = await import('./paste');
    let lost = 0;
    uploads += images.length;
    await Promise.all(
      images.map(async (img) => {
        const blob = pastedImageBlob(img.src);
        const sha = blob ? await uploadImage(blob, 'pasted-image') : null;
        if (!sha) lost++;
        const ed = editors[l];
        if (ed) {
          const tr = ed.state.tr;
          ed.state.doc.descendants((node, pos) => {
            if (node.type.name !== 'image' || node.attrs.src !== img.id) return;
            if (sha) tr.setNodeMarkup(tr.mapping.map(pos), undefined, { ...node.attrs, src: `/api/media/${sha}` });
            else tr.delete(tr.mapping.map(pos), tr.mapping.map(pos + node.nodeSize));
          });
          ed.view.dispatch(tr);
        }
        uploads--;
      }),
    );
    if (lost) setNotice(fill(L.pasteImagesLost, { n: lost }));
  }

  onMount(async () => {
    const [{ Editor }, { lessonExtensions }, { fitToSchema }, { normalisePastedHtml }, { Slice, Fragment }] = await Promise.all([
      import('@tiptap/core'),
      import('@server/lib/lesson-extensions'),
      import('@server/lib/lesson-schema'),
      import('./paste'),
      import('@tiptap/pm/model'),
    ]);
    for (const l of LANGS) {
      let pasted: { id: string; src: string }[] = [];
      editors[l] = new Editor({
        element: mounts[l]!,
        extensions: lessonExtensions(),
        content: props.docs[l] ?? '',
        editorProps: {
          attributes: {
            role: 'textbox',
            'aria-multiline': 'true',
            'aria-label': String(L.editorOf).replace('{lang}', L[l]),
            'aria-describedby': `editor-${l}-keys`,
            lang: l,
            class: 'lesson-body editor-surface',
            'data-lang': l,
          },
          // Tab moves between table cells, so the keyboard way out to the toolbars is Esc or Alt+F10.
          handleKeyDown: (_view, event) => {
            if (event.key !== 'Escape' && !(event.altKey && event.key === 'F10')) return false;
            const bars = mounts[l]?.parentElement?.querySelectorAll<HTMLButtonElement>('.editor-toolbar button');
            const first = bars && (Array.from(bars).find((b) => b.closest('.table-toolbar')) ?? bars[0]);
            first?.focus();
            return Boolean(first);
          },
          // Word, Google Docs and LibreOffice HTML, rewritten for the schema (headings, lists, pictures).
          transformPastedHTML: (html) => {
            const out = normalisePastedHtml(html);
            pasted = out.images;
            return out.html;
          },
          // Whatever the schema cannot hold is dropped here, with a notice, so the save cannot be refused.
          transformPasted: (slice, view) => {
            const pending = new Set(pasted.map((p) => p.id));
            const { node, dropped } = fitToSchema({ type: 'doc', content: slice.content.toJSON() ?? [] }, { keepImage: (src) => pending.has(String(src)) });
            const kinds = new Set([...dropped].map((d) => (d === 'image' ? 'image' : d === 'link' ? 'link' : 'other')));
            if (kinds.size) setNotice(fill(L.pasteDropped, { what: [...kinds].map((k) => L.pasteKinds[k]).join('; ') }));
            else setNotice('');
            const images = pasted;
            pasted = [];
            if (images.length) queueMicrotask(() => void uploadPasted(l, images));
            return new Slice(Fragment.fromJSON(view.state.schema, node?.content ?? []), slice.openStart, slice.openEnd);
          },
        },
        onUpdate: ({ editor }) => {
          setPresent({ ...present(), [l]: hasText(editor.getJSON()) });
          schedule();
        },
        onSelectionUpdate: () => setTick((n) => n + 1),
        onTransaction: () => setTick((n) => n + 1),
      });
    }
    // Typing kept on this computer that never reached the server (a crashed tab, a lost connection).
    try {
      const kept = JSON.parse(localStorage.getItem(backupKey) ?? 'null') as Backup | null;
      if (kept && JSON.stringify(kept.docs) !== JSON.stringify(currentDocs())) setBackup(kept);
      else if (kept) clearBackup();
    } catch {
      clearBackup();
    }
    // The Markdown fields are for pages without JavaScript: hidden and not sent once the editor runs.
    const fallback = document.getElementById('text-fallback');
    if (fallback) {
      fallback.hidden = true;
      fallback.querySelectorAll<HTMLTextAreaElement | HTMLInputElement>('textarea, input').forEach((el) => (el.disabled = true));
    }
    // The form's own Save waits for the text to be saved first, then posts with the current revision.
    const form = document.getElementById('lesson-form') as HTMLFormElement | null;
    form?.addEventListener('submit', async (e) => {
      if (!dirty && !inFlight) return;
      e.preventDefault();
      clearTimeout(timer);
      await saveNow();
      if (status() === 'saved') form.submit();
    });
    window.addEventListener('beforeunload', onUnload);
    setReady(true);
  });

  const onUnload = (e: BeforeUnloadEvent) => {
    if (dirty || inFlight) {
      writeBackup();
      void saveNow();
      e.preventDefault();
    }
  };
  onCleanup(() => {
    // Also runs after server rendering, where there is no window.
    clearTimeout(timer);
    if (typeof window === 'undefined') return;
    window.removeEventListener('beforeunload', onUnload);
    for (const l of LANGS) editors[l]?.destroy();
  });

  function restoreBackup() {
    const kept = backup();
    if (!kept) return;
    for (const l of LANGS) if (kept.docs[l]) editors[l]?.commands.setContent(kept.docs[l]!, { emitUpdate: false });
    setPresent({ ky: hasText(kept.docs.ky), ru: hasText(kept.docs.ru) });
    setBackup(null);
    schedule();
  }
  function discardBackup() {
    setBackup(null);
    clearBackup();
  }

  async function insertImage(l: Lang, file: File) {
    uploads++;
    const sha = await uploadImage(file, file.name);
    uploads--;
    if (!sha) return;
    const alt = (window.prompt(L.altPrompt) ?? '').trim().slice(0, 500);
    editors[l]?.chain().focus().setImage({ src: `/api/media/${sha}`, alt }).run();
  }

  function setLink(l: Lang) {
    const ed = editors[l];
    if (!ed) return;
    const url = window.prompt(L.linkPrompt, ed.getAttributes('link').href ?? 'https://');
    if (url === null) return;
    if (!url.trim()) ed.chain().focus().extendMarkRange('link').unsetLink().run();
    else if (!ed.chain().focus().extendMarkRange('link').setLink({ href: url.trim() }).run()) setNotice(L.linkRefused);
  }

  const button = (l: Lang, label: string, run: (e: TiptapEditor) => void, active?: (e: TiptapEditor) => boolean, name?: string) => (
    <button
      type="button"
      class="button secondary small editor-button"
      data-action={name}
      aria-pressed={active ? (tick() >= 0 && editors[l] && active(editors[l]!) ? 'true' : 'false') : undefined}
      // A click keeps the focus (and the selection) in the text, as in any word processor.
      onMouseDown={(e) => e.preventDefault()}
      onClick={() => editors[l] && run(editors[l]!)}
    >
      {label}
    </button>
  );
  const inTable = (l: Lang) => tick() >= 0 && Boolean(editors[l]?.isActive('table'));

  const statusText = () => {
    switch (status()) {
      case 'saving':
        return L.saving;
      case 'saved':
        return fill(L.saved, { revision: revision() });
      case 'offline':
        return fill(L.offline, { seconds: retryIn() });
      case 'locked':
        return L.locked;
      case 'conflict':
        return L.conflict.title;
      default:
        return '';
    }
  };

  return (
    <div class="lesson-editor" data-ready={ready() ? 'true' : 'false'} data-status={status()}>
      <p class="editor-status" role="status" aria-live="polite">
        {statusText()}{' '}
        <Show when={status() === 'offline'}>
          <button type="button" class="button secondary small" onClick={() => { clearTimeout(timer); void saveNow(); }}>{L.retryNow}</button>
        </Show>
      </p>
      <Show when={status() === 'refused' && refusal()}>
        <div class="error-summary editor-refused" role="alert">
          <p>{refusal()!.text}</p>
          <p class="hint">{L.refusedHint}</p>
          <Show when={refusal()!.lang}>
            <button type="button" class="button secondary small" onClick={goToRefusal}>{L.goThere}</button>
          </Show>
        </div>
      </Show>
      <Show when={notice()}>
        <p class="notice editor-notice" role="status">{notice()} <button type="button" class="button secondary small" onClick={() => setNotice('')}>{L.dismiss}</button></p>
      </Show>
      <Show when={backup()}>
        <div class="notice editor-backup" role="alert">
          <p>{fill(L.backupFound, { time: new Date(backup()!.savedAt).toLocaleString(document.documentElement.lang === 'ru' ? 'ru-RU' : 'ky-KG', { timeZone: 'Asia/Bishkek' }) })}</p>
          <button type="button" class="button small" onClick={restoreBackup}>{L.backupRestore}</button>{' '}
          <button type="button" class="button secondary small" onClick={discardBackup}>{L.backupDiscard}</button>
        </div>
      </Show>
      <Show when={conflict()}>
        <section class="panel editor-conflict" role="alert" aria-labelledby="conflict-title">
          <h3 id="conflict-title">{L.conflict.title}</h3>
          <p>{L.conflict.explain}</p>
          <For each={LANGS}>
            {(l) => (
              <div class="bilingual">
                <div>
                  <h4>{L.conflict.mine} — {L[l]}</h4>
                  <div class="lesson-body conflict-version" data-version="mine" lang={l} innerHTML={conflict()!.mine[l] ?? ''} />
                </div>
                <div>
                  <h4>{L.conflict.theirs} — {L[l]}</h4>
                  <div class="lesson-body conflict-version" data-version="theirs" lang={l} innerHTML={conflict()!.theirs[l] ?? ''} />
                </div>
              </div>
            )}
          </For>
          <button type="button" class="button" onClick={keepMine}>{L.conflict.keepMine}</button>{' '}
          <button type="button" class="button secondary" onClick={takeTheirs}>{L.conflict.takeTheirs}</button>
        </section>
      </Show>
      <div class="bilingual">
        <For each={LANGS}>
          {(l) => (
            <div class="editor-column">
              <h3 id={`editor-${l}-label`}>
                {L[l]}{' '}
                <Show when={!present()[l]}>
                  <span class="tag missing" data-missing={l}>{L.missing[l]}</span>
                </Show>
              </h3>
              <div class="editor-toolbar" role="toolbar" aria-label={`${L.toolbar}: ${L[l]}`}>
                {button(l, L.h2, (e) => e.chain().focus().toggleHeading({ level: 2 }).run(), (e) => e.isActive('heading', { level: 2 }), 'h2')}
                {button(l, L.h3, (e) => e.chain().focus().toggleHeading({ level: 3 }).run(), (e) => e.isActive('heading', { level: 3 }), 'h3')}
                {button(l, L.bold, (e) => e.chain().focus().toggleBold().run(), (e) => e.isActive('bold'), 'bold')}
                {button(l, L.italic, (e) => e.chain().focus().toggleItalic().run(), (e) => e.isActive('italic'), 'italic')}
                {button(l, L.bulletList, (e) => e.chain().focus().toggleBulletList().run(), (e) => e.isActive('bulletList'), 'bulletList')}
                {button(l, L.orderedList, (e) => e.chain().focus().toggleOrderedList().run(), (e) => e.isActive('orderedList'), 'orderedList')}
                {button(l, L.link, () => setLink(l), (e) => e.isActive('link'), 'link')}
                {button(l, L.image, () => files[l]?.click(), undefined, 'image')}
                {button(l, L.table, (e) => e.chain().focus().insertTable({ rows: 3, cols: 3, withHeaderRow: true }).run(), undefined, 'table')}
                {button(l, L.callout, (e) => (e.isActive('callout') ? e.chain().focus().lift('callout').run() : e.chain().focus().wrapIn('callout', { variant: 'note' }).run()), (e) => e.isActive('callout'), 'callout')}
                {button(l, L.undo, (e) => e.chain().focus().undo().run(), undefined, 'undo')}
                {button(l, L.redo, (e) => e.chain().focus().redo().run(), undefined, 'redo')}
                <input
                  type="file"
                  accept="image/png,image/jpeg,image/webp"
                  hidden
                  ref={(el) => (files[l] = el)}
                  onChange={(e) => {
                    const f = e.currentTarget.files?.[0];
                    if (f) void insertImage(l, f);
                    e.currentTarget.value = '';
                  }}
                />
              </div>
              <Show when={inTable(l)}>
                <div class="editor-toolbar table-toolbar" role="toolbar" aria-label={`${L.tableTools}: ${L[l]}`}>
                  {button(l, L.tableOps.rowBefore, (e) => e.chain().focus().addRowBefore().run(), undefined, 'rowBefore')}
                  {button(l, L.tableOps.rowAfter, (e) => e.chain().focus().addRowAfter().run(), undefined, 'rowAfter')}
                  {button(l, L.tableOps.deleteRow, (e) => e.chain().focus().deleteRow().run(), undefined, 'deleteRow')}
                  {button(l, L.tableOps.colBefore, (e) => e.chain().focus().addColumnBefore().run(), undefined, 'colBefore')}
                  {button(l, L.tableOps.colAfter, (e) => e.chain().focus().addColumnAfter().run(), undefined, 'colAfter')}
                  {button(l, L.tableOps.deleteCol, (e) => e.chain().focus().deleteColumn().run(), undefined, 'deleteCol')}
                  {button(l, L.tableOps.headerRow, (e) => e.chain().focus().toggleHeaderRow().run(), undefined, 'headerRow')}
                  {button(l, L.tableOps.deleteTable, (e) => e.chain().focus().deleteTable().run(), undefined, 'deleteTable')}
                </div>
              </Show>
              <p class="hint" id={`editor-${l}-keys`}>{L.keyboardHint}</p>
              <div class="editor-mount" ref={(el) => (mounts[l] = el)} />
            </div>
          )}
        </For>
      </div>
    </div>
  );
}
