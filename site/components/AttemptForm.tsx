/**
 * The attempt form. Rendered on the server as a plain HTML form (every question a real control; the
 * "Save" and "Submit" buttons POST the whole form), then hydrated for comfort: each answer is saved
 * the moment it is given with PUT /api/attempts/<id>/answers/<questionId> and a sequence number,
 * unsent answers wait in localStorage and are retried, each question shows saved / not saved, and
 * a countdown runs to the deadline the server fixed.
 */
import { createSignal, For, Show, onCleanup, onMount } from 'solid-js';
import { KIND_CONTROLS } from './question-kinds/controls';
import type { FormQuestion, Text } from './question-kinds/types';
export type { FormQuestion } from './question-kinds/types';

type Status = 'saved' | 'unsaved' | 'saving' | 'empty' | 'invalid';

interface Props {
  attemptId: number;
  lang: 'ky' | 'ru';
  action: string;
  resultUrl: string;
  questions: FormQuestion[];
  deadlineAt: string | null;
  serverTime: string;
  deadlineText: string | null;
  labels: Record<string, string>;
}

const storageKey = (id: number) => `bilim.attempt.${id}`;
type Pending = Record<string, { response: unknown; seq: number }>;

function readPending(id: number): Pending {
  try {
    return JSON.parse(localStorage.getItem(storageKey(id)) ?? '{}') as Pending;
  } catch {
    return {};
  }
}
function writePending(id: number, p: Pending) {
  try {
    if (Object.keys(p).length) localStorage.setItem(storageKey(id), JSON.stringify(p));
    else localStorage.removeItem(storageKey(id));
  } catch {
    // storage full or disabled: the answer is still being sent
  }
}

export default function AttemptForm(props: Props) {
  const L = (key: string) => props.labels[key] ?? key;
  const tx = (t: Text) => t[props.lang];
  const responses = new Map(props.questions.map((q) => [q.id, createSignal<any>(q.response ?? null)]));
  const statuses = new Map(props.questions.map((q) => [q.id, createSignal<Status>(q.response !== null && q.response !== undefined ? 'saved' : 'empty')]));
  const seqs = new Map(props.questions.map((q) => [q.id, q.seq]));
  const [offline, setOffline] = createSignal(false);
  const [remaining, setRemaining] = createSignal<number | null>(null);
  const [timeWarning, setTimeWarning] = createSignal('');
  const [closed, setClosed] = createSignal(false);
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  const inFlight = new Set<number>();
  const textTimers = new Map<number, ReturnType<typeof setTimeout>>();

  const response = (id: number) => responses.get(id)![0]();
  const status = (id: number) => statuses.get(id)![0]();
  const setStatus = (id: number, s: Status) => statuses.get(id)![1](s);

  async function send(id: number) {
    if (closed() || inFlight.has(id)) return;
    const entry = readPending(props.attemptId)[id];
    if (!entry) return;
    inFlight.add(id);
    setStatus(id, 'saving');
    try {
      const res = await fetch(`/api/attempts/${props.attemptId}/answers/${id}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(entry),
        credentials: 'same-origin',
      });
      if (res.ok) {
        const body = (await res.json()) as { seq: number };
        const pending = readPending(props.attemptId);
        // Only forget the answer if nothing newer was given while this one was on its way.
        if (pending[id] && pending[id]!.seq <= body.seq) delete pending[id];
        writePending(props.attemptId, pending);
        seqs.set(id, Math.max(seqs.get(id) ?? 0, body.seq));
        setOffline(false);
        setStatus(id, pending[id] ? 'unsaved' : 'saved');
        if (pending[id]) queueMicrotask(() => send(id));
      } else if (res.status === 409) {
        setClosed(true);
        const code = ((await res.json().catch(() => null)) as { error?: { code?: string } } | null)?.error?.code;
        // An attestation session's test taken over by another device: this page explains it on reload.
        if (code === 'session_other_device') return location.assign(props.action);
        writePending(props.attemptId, {});
        location.assign(props.resultUrl);
      } else if (res.status === 400) {
        const pending = readPending(props.attemptId);
        delete pending[id];
        writePending(props.attemptId, pending);
        setStatus(id, 'invalid');
      } else {
        throw new Error(String(res.status));
      }
    } catch {
      setOffline(true);
      setStatus(id, 'unsaved');
      scheduleRetry();
    } finally {
      inFlight.delete(id);
    }
  }

  function scheduleRetry() {
    clearTimeout(retryTimer);
    retryTimer = setTimeout(flush, 4000);
  }
  function flush() {
    for (const id of Object.keys(readPending(props.attemptId))) void send(Number(id));
  }

  function answer(id: number, value: unknown) {
    clearTimeout(textTimers.get(id));
    // The same answer again (a text field's input and change events) needs no second save.
    if (JSON.stringify(value ?? null) === JSON.stringify(response(id) ?? null) && status(id) !== 'invalid') return;
    responses.get(id)![1](() => value);
    const pending = readPending(props.attemptId);
    const seq = Math.max((pending[id]?.seq ?? seqs.get(id) ?? 0) + 1, Date.now());
    pending[id] = { response: value, seq };
    writePending(props.attemptId, pending);
    setStatus(id, 'unsaved');
    void send(id);
  }

  function answerLater(id: number, value: unknown) {
    clearTimeout(textTimers.get(id));
    textTimers.set(id, setTimeout(() => answer(id, value), 800));
  }

  /** What the controls show now: answers given before the page became interactive count too (each kind reads its own fields). */
  function readDom(q: FormQuestion): { value: unknown } | null {
    const fs = document.getElementById(`question-${q.id}`);
    const read = KIND_CONTROLS[q.kind].read;
    return fs && read ? { value: read(fs, q) } : null;
  }

  onMount(() => {
    for (const q of props.questions) {
      const now = readDom(q);
      if (now && now.value !== null && JSON.stringify(now.value) !== JSON.stringify(response(q.id))) answer(q.id, now.value);
    }
    // Answers given on this device that the server has not confirmed (a reload, a lost connection).
    const pending = readPending(props.attemptId);
    for (const [key, entry] of Object.entries(pending)) {
      const id = Number(key);
      if (!responses.has(id) || entry.seq <= (seqs.get(id) ?? 0)) {
        delete pending[key];
        continue;
      }
      responses.get(id)![1](() => entry.response);
      setStatus(id, 'unsaved');
    }
    writePending(props.attemptId, pending);
    flush();
    const onOnline = () => flush();
    window.addEventListener('online', onOnline);
    let tick: ReturnType<typeof setInterval> | undefined;
    if (props.deadlineAt) {
      const skew = Date.parse(props.serverTime) - Date.now();
      const deadline = Date.parse(props.deadlineAt);
      const update = () => {
        const left = Math.max(0, Math.round((deadline - (Date.now() + skew)) / 1000));
        setRemaining(left);
        // Warned once at 5 minutes and once at 1 minute (the live region below announces it).
        const warning = left > 0 && left <= 60 ? L('attempt.oneMinuteLeft') : left > 0 && left <= 300 ? L('attempt.fiveMinutesLeft') : '';
        if (warning !== timeWarning()) setTimeWarning(warning);
        if (left === 0 && !closed()) {
          setClosed(true);
          clearInterval(tick);
          setTimeout(() => location.assign(props.resultUrl), 1500);
        }
      };
      update();
      tick = setInterval(update, 1000);
    }
    onCleanup(() => {
      window.removeEventListener('online', onOnline);
      clearInterval(tick);
      clearTimeout(retryTimer);
    });
  });

  const clock = (s: number) => {
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    const sec = s % 60;
    return `${h ? `${h}:` : ''}${String(m).padStart(h ? 2 : 1, '0')}:${String(sec).padStart(2, '0')}`;
  };
  const answered = () => props.questions.filter((q) => response(q.id) !== null && response(q.id) !== undefined).length;

  const statusText = (id: number) =>
    ({ saved: L('attempt.saved'), unsaved: L('attempt.unsaved'), saving: L('attempt.saving'), empty: L('attempt.empty'), invalid: L('attempt.invalid') })[status(id)];

  /** The kind's own control (site/components/question-kinds/<kind>/Control.tsx). */
  function control(q: FormQuestion) {
    const Control = KIND_CONTROLS[q.kind].Control;
    return (
      <Control
        q={q}
        name={`q${q.id}`}
        response={() => response(q.id)}
        answer={(value) => answer(q.id, value)}
        answerLater={(value) => answerLater(q.id, value)}
        invalid={() => setStatus(q.id, 'invalid')}
        L={L}
        tx={tx}
      />
    );
  }

  return (
    <form method="post" action={props.action} class="attempt-form" novalidate data-hold-offline onSubmit={() => clearTimeout(retryTimer)}>
      <div class="attempt-bar">
        <Show when={props.deadlineText}>
          <p class="deadline">
            <Show when={remaining() !== null} fallback={props.deadlineText}>
              <span role="timer" aria-live="off">{L('attempt.timeLeft').replace('{time}', clock(remaining()!))}</span>
            </Show>
          </p>
        </Show>
        <p class="muted" aria-live="polite">
          {L('attempt.answered').replace('{answered}', String(answered())).replace('{total}', String(props.questions.length))}
        </p>
      </div>
      {/* always in the page, so screen readers know the live region before its text changes */}
      <p class={timeWarning() ? 'notice time-warning' : 'time-warning'} aria-live="assertive" aria-atomic="true">
        {timeWarning()}
      </p>
      <Show when={offline()}>
        <p class="notice" role="status">{L('attempt.offline')}</p>
      </Show>
      <Show when={closed() && remaining() === 0}>
        <p class="notice" role="alert">{L('attempt.timeUp')}</p>
      </Show>
      <For each={props.questions}>
        {(q) => (
          <fieldset class="question" id={`question-${q.id}`} data-question={q.id}>
            <legend>
              <span class="question-number">{L('attempt.question').replace('{number}', String(q.position))}</span>
              <span class="muted"> · {q.markLabel}</span>
            </legend>
            <p class="question-text">{tx(q.text)}</p>
            {control(q)}
            <p class={`save-status save-${status(q.id)}`} data-status={status(q.id)}>
              {statusText(q.id)}
            </p>
          </fieldset>
        )}
      </For>
      <div class="attempt-actions">
        <button type="submit" name="action" value="save" class="button secondary">
          {L('attempt.save')}
        </button>
        <button type="submit" name="action" value="finish" class="button">
          {L('attempt.finish')}
        </button>
      </div>
      <p class="hint">{L('attempt.submitHint')}</p>
    </form>
  );
}
