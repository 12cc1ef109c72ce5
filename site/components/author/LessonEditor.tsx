/**
 * The lesson text editor (issue #6): Tiptap in a Solid island, Kyrgyz and Russian side by side, a
 * missing translation marked, saved automatically to PUT /api/author/drafts/<id>/lessons/<slug> with
 * the draft's revision (a stale revision answers 409 and the editor stops and asks to reload, so no
 * save overwrites one it has not seen). Without JavaScript the page offers Markdown fields instead; on
 * start this island hides and disables them, so the form's own "Save" keeps the stored texts.
 * Loaded only on the lesson authoring page.
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
type Status = 'idle' | 'saving' | 'saved' | 'stale' | 'locked' | 'failed';

const LANGS: Lang[] = ['ky', 'ru'];

function hasText(json: JSONContent | undefined): boolean {
  if (!json) return false;
  if (json.type === 'text') return Boolean(json.text?.trim());
  if (json.type === 'image') return true;
  return (json.content ?? []).some(hasText);
}

export default function LessonEditor(props: Props) {
  const editors: Partial<Record<Lang, TiptapEditor>> = {};
  const mounts: Partial<Record<Lang, HTMLDivElement>> = {};
  const files: Partial<Record<Lang, HTMLInputElement>> = {};
  const [ready, setReady] = createSignal(false);
  const [status, setStatus] = createSignal<Status>('idle');
  const [revision, setRevision] = createSignal(props.revision);
  const [present, setPresent] = createSignal<Record<Lang, boolean>>({ ky: hasText(props.docs.ky ?? undefined), ru: hasText(props.docs.ru ?? undefined) });
  const [tick, setTick] = createSignal(0);
  let dirty = false;
  let inFlight: Promise<void> | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const api = (path: string) => `/api/author/drafts/${props.draftId}${path}`;

  /** Every form on the page posts the revision: keep them current after each autosave. */
  const syncRevisionInputs = (r: number) => document.querySelectorAll<HTMLInputElement>('input[name="revision"]').forEach((i) => (i.value = String(r)));

  async function saveNow(): Promise<void> {
    if (inFlight) {
      await inFlight;
      if (!dirty) return;
    }
    if (status() === 'stale' || status() === 'locked') return;
    dirty = false;
    const doc: Partial<Record<Lang, JSONContent>> = {};
    for (const l of LANGS) if (editors[l]) doc[l] = editors[l]!.getJSON();
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
          setStatus('saved');
        } else {
          const code = (await res.json().catch(() => null))?.error?.code;
          setStatus(code === 'stale_revision' ? 'stale' : code === 'draft_locked' ? 'locked' : 'failed');
          if (code !== 'stale_revision' && code !== 'draft_locked') dirty = true;
        }
      } catch {
        setStatus('failed');
        dirty = true;
      }
    })();
    await inFlight;
    inFlight = null;
    // Not acknowledged (network or server trouble): try again shortly; the text stays in the editor meanwhile.
    if (status() === 'failed') {
      clearTimeout(timer);
      timer = setTimeout(() => void saveNow(), 3000);
    }
  }

  const schedule = () => {
    dirty = true;
    clearTimeout(timer);
    timer = setTimeout(() => void saveNow(), 800);
  };

  onMount(async () => {
    const [{ Editor }, { default: StarterKit }, { default: Image }, { Table, TableRow, TableHeader, TableCell }, { Callout }] = await Promise.all([
      import('@tiptap/core'),
      import('@tiptap/starter-kit'),
      import('@tiptap/extension-image'),
      import('@tiptap/extension-table'),
      import('./callout'),
    ]);
    for (const l of LANGS) {
      editors[l] = new Editor({
        element: mounts[l]!,
        extensions: [
          StarterKit.configure({ heading: { levels: [2, 3, 4] }, link: { openOnClick: false, autolink: true, protocols: ['http', 'https', 'mailto'] } }),
          Image,
          Table.configure({ resizable: false }),
          TableRow,
          TableHeader,
          TableCell,
          Callout,
        ],
        content: props.docs[l] ?? '',
        editorProps: {
          attributes: {
            role: 'textbox',
            'aria-multiline': 'true',
            'aria-label': String(props.labels.editorOf).replace('{lang}', props.labels[l]),
            lang: l,
            class: 'lesson-body editor-surface',
            'data-lang': l,
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

  async function insertImage(l: Lang, file: File) {
    const data = new FormData();
    data.set('kind', 'image');
    data.set('file', file);
    const res = await fetch(api('/media'), { method: 'POST', body: data });
    if (!res.ok) {
      setStatus('failed');
      return;
    }
    const { sha256 } = await res.json();
    const alt = (window.prompt(props.labels.altPrompt) ?? '').trim().slice(0, 500);
    editors[l]?.chain().focus().setImage({ src: `/api/media/${sha256}`, alt }).run();
  }

  function setLink(l: Lang) {
    const ed = editors[l];
    if (!ed) return;
    const url = window.prompt(props.labels.linkPrompt, ed.getAttributes('link').href ?? 'https://');
    if (url === null) return;
    if (!url.trim()) ed.chain().focus().extendMarkRange('link').unsetLink().run();
    else ed.chain().focus().extendMarkRange('link').setLink({ href: url.trim() }).run();
  }

  const button = (l: Lang, label: string, run: (e: TiptapEditor) => void, active?: (e: TiptapEditor) => boolean) => (
    <button
      type="button"
      class="button secondary small editor-button"
      aria-pressed={active ? (tick() >= 0 && editors[l] && active(editors[l]!) ? 'true' : 'false') : undefined}
      onClick={() => editors[l] && run(editors[l]!)}
    >
      {label}
    </button>
  );

  const statusText = () => {
    switch (status()) {
      case 'saving':
        return props.labels.saving;
      case 'saved':
        return String(props.labels.saved).replace('{revision}', String(revision()));
      case 'stale':
        return props.labels.stale;
      case 'locked':
        return props.labels.locked;
      case 'failed':
        return props.labels.failed;
      default:
        return '';
    }
  };

  return (
    <div class="lesson-editor" data-ready={ready() ? 'true' : 'false'}>
      <p class="editor-status" role="status" aria-live="polite">
        {statusText()}{' '}
        <Show when={status() === 'stale'}>
          <a href={location.pathname}>{props.labels.reload}</a>
        </Show>
      </p>
      <div class="bilingual">
        <For each={LANGS}>
          {(l) => (
            <div class="editor-column">
              <h3 id={`editor-${l}-label`}>
                {props.labels[l]}{' '}
                <Show when={!present()[l]}>
                  <span class="tag missing" data-missing={l}>{props.labels.missing[l]}</span>
                </Show>
              </h3>
              <div class="editor-toolbar" role="toolbar" aria-label={`${props.labels.toolbar}: ${props.labels[l]}`}>
                {button(l, props.labels.h2, (e) => e.chain().focus().toggleHeading({ level: 2 }).run(), (e) => e.isActive('heading', { level: 2 }))}
                {button(l, props.labels.h3, (e) => e.chain().focus().toggleHeading({ level: 3 }).run(), (e) => e.isActive('heading', { level: 3 }))}
                {button(l, props.labels.bold, (e) => e.chain().focus().toggleBold().run(), (e) => e.isActive('bold'))}
                {button(l, props.labels.italic, (e) => e.chain().focus().toggleItalic().run(), (e) => e.isActive('italic'))}
                {button(l, props.labels.bulletList, (e) => e.chain().focus().toggleBulletList().run(), (e) => e.isActive('bulletList'))}
                {button(l, props.labels.orderedList, (e) => e.chain().focus().toggleOrderedList().run(), (e) => e.isActive('orderedList'))}
                {button(l, props.labels.link, () => setLink(l), (e) => e.isActive('link'))}
                {button(l, props.labels.image, () => files[l]?.click())}
                {button(l, props.labels.table, (e) => e.chain().focus().insertTable({ rows: 3, cols: 3, withHeaderRow: true }).run())}
                {button(l, props.labels.callout, (e) => (e.isActive('callout') ? e.chain().focus().lift('callout').run() : e.chain().focus().wrapIn('callout', { variant: 'note' }).run()), (e) => e.isActive('callout'))}
                {button(l, props.labels.undo, (e) => e.chain().focus().undo().run())}
                {button(l, props.labels.redo, (e) => e.chain().focus().redo().run())}
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
              <div class="editor-mount" ref={(el) => (mounts[l] = el)} />
            </div>
          )}
        </For>
      </div>
    </div>
  );
}
