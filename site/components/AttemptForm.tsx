/**
 * The attempt form. Rendered on the server as a plain HTML form (every question a real control; the
 * "Save" and "Submit" buttons POST the whole form), then hydrated for comfort: each answer is saved
 * the moment it is given with PUT /api/attempts/<id>/answers/<questionId> and a sequence number,
 * unsent answers wait in localStorage and are retried, each question shows saved / not saved, and
 * a countdown runs to the deadline the server fixed.
 */
import { createSignal, For, Show, onCleanup, onMount, type JSX } from 'solid-js';
import type { QuestionKind } from '@server/modules/quiz/types';

type Text = { ky: string; ru: string };
type Choice = { id: string; text: Text };
export type FormQuestion = {
  id: number;
  position: number;
  kind: QuestionKind;
  text: Text;
  markLabel: string;
  options: any;
  response: any;
  seq: number;
};
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

  /** What the controls show now: answers given before the page became interactive count too. */
  function readDom(q: FormQuestion): { value: unknown } | null {
    const fs = document.getElementById(`question-${q.id}`);
    if (!fs) return null;
    const inputs = [...fs.querySelectorAll<HTMLInputElement>('input')];
    switch (q.kind) {
      case 'single': {
        const c = inputs.find((i) => i.checked);
        return { value: c ? { choice: c.value } : null };
      }
      case 'truefalse': {
        const c = inputs.find((i) => i.checked);
        return { value: c ? { value: c.value === 'true' } : null };
      }
      case 'multiple': {
        const ids = inputs.filter((i) => i.checked).map((i) => i.value);
        return { value: ids.length ? { choices: ids } : null };
      }
      case 'short': {
        const v = inputs[0]?.value ?? '';
        return { value: v.trim() ? { text: v } : null };
      }
      case 'essay': {
        const v = fs.querySelector('textarea')?.value ?? '';
        return { value: v.trim() ? { text: v } : null };
      }
      case 'matching': {
        const matches: Record<string, string> = {};
        for (const sel of fs.querySelectorAll<HTMLSelectElement>('select')) if (sel.value) matches[sel.name.split('.')[1]!] = sel.value;
        return { value: Object.keys(matches).length ? { matches } : null };
      }
      case 'questionnaire': {
        const ratings: Record<string, number> = {};
        for (const i of inputs) if (i.checked) ratings[i.name.split('.')[1]!] = Number(i.value);
        return { value: Object.keys(ratings).length ? { ratings } : null };
      }
      default:
        return null; // numeric is checked on change; ordering always shows an order
    }
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

  function control(q: FormQuestion): JSX.Element {
    const name = `q${q.id}`;
    const r = () => response(q.id);
    switch (q.kind) {
      case 'single':
        return (
          <div class="choices">
            <For each={q.options.choices as Choice[]}>
              {(c) => (
                <label class="choice">
                  <input type="radio" name={name} value={c.id} checked={r()?.choice === c.id} onChange={() => answer(q.id, { choice: c.id })} />
                  <span>{tx(c.text)}</span>
                </label>
              )}
            </For>
          </div>
        );
      case 'multiple':
        return (
          <div class="choices">
            <p class="hint">{L('attempt.multipleHint')}</p>
            <For each={q.options.choices as Choice[]}>
              {(c) => (
                <label class="choice">
                  <input
                    type="checkbox"
                    name={name}
                    value={c.id}
                    checked={(r()?.choices ?? []).includes(c.id)}
                    onChange={(e) => {
                      const set = new Set<string>(r()?.choices ?? []);
                      if (e.currentTarget.checked) set.add(c.id);
                      else set.delete(c.id);
                      answer(q.id, set.size ? { choices: (q.options.choices as Choice[]).map((x) => x.id).filter((id) => set.has(id)) } : null);
                    }}
                  />
                  <span>{tx(c.text)}</span>
                </label>
              )}
            </For>
          </div>
        );
      case 'truefalse':
        return (
          <div class="choices">
            <For each={[true, false]}>
              {(v) => (
                <label class="choice">
                  <input type="radio" name={name} value={String(v)} checked={r()?.value === v} onChange={() => answer(q.id, { value: v })} />
                  <span>{L(v ? 'attempt.true' : 'attempt.false')}</span>
                </label>
              )}
            </For>
          </div>
        );
      case 'short':
        return (
          <div class="field">
            <label for={`${name}-input`}>{L('attempt.answerLabel')}</label>
            <input
              type="text"
              id={`${name}-input`}
              name={name}
              value={r()?.text ?? ''}
              autocomplete="off"
              maxlength={500}
              onInput={(e) => answerLater(q.id, e.currentTarget.value.trim() ? { text: e.currentTarget.value } : null)}
              onChange={(e) => answer(q.id, e.currentTarget.value.trim() ? { text: e.currentTarget.value } : null)}
            />
          </div>
        );
      case 'numeric': {
        const parse = (v: string) => {
          const s = v.replace(/[\s\u00a0]/g, '').replace(',', '.');
          return /^[-+]?\d+(\.\d+)?$/.test(s) ? { value: Number(s) } : null;
        };
        return (
          <div class="field">
            <label for={`${name}-input`}>{L('attempt.answerLabel')}</label>
            <span class="hint" id={`${name}-hint`}>
              {L('attempt.numericHint')}
              <Show when={q.options.unit}> {L('attempt.unit').replace('{unit}', tx(q.options.unit))}</Show>
            </span>
            <input
              type="text"
              inputmode="decimal"
              id={`${name}-input`}
              name={name}
              aria-describedby={`${name}-hint`}
              value={r()?.value ?? ''}
              autocomplete="off"
              class="short-input"
              onChange={(e) => {
                const v = e.currentTarget.value;
                if (!v.trim()) answer(q.id, null);
                else if (parse(v)) answer(q.id, parse(v));
                else setStatus(q.id, 'invalid');
              }}
            />
          </div>
        );
      }
      case 'matching':
        return (
          <div>
            <p class="hint">{L('attempt.matchHint')}</p>
            <For each={q.options.prompts as Choice[]}>
              {(p) => (
                <div class="field">
                  <label for={`${name}-${p.id}`}>{tx(p.text)}</label>
                  <select
                    id={`${name}-${p.id}`}
                    name={`${name}.${p.id}`}
                    onChange={(e) => {
                      const matches = { ...(r()?.matches ?? {}) } as Record<string, string>;
                      if (e.currentTarget.value) matches[p.id] = e.currentTarget.value;
                      else delete matches[p.id];
                      answer(q.id, Object.keys(matches).length ? { matches } : null);
                    }}
                  >
                    <option value="">{L('attempt.choose')}</option>
                    <For each={q.options.answers as Choice[]}>
                      {(a) => (
                        <option value={a.id} selected={r()?.matches?.[p.id] === a.id}>
                          {tx(a.text)}
                        </option>
                      )}
                    </For>
                  </select>
                </div>
              )}
            </For>
          </div>
        );
      case 'ordering': {
        const items = q.options.items as Choice[];
        const current = (): string[] => r()?.order ?? items.map((i) => i.id);
        return (
          <div>
            <p class="hint">{L('attempt.orderHint')}</p>
            <For each={items}>
              {(item) => (
                <div class="field order-row">
                  <label for={`${name}-${item.id}`}>{tx(item.text)}</label>
                  <select
                    id={`${name}-${item.id}`}
                    name={`${name}.${item.id}`}
                    class="position-select"
                    aria-label={`${L('attempt.position')}: ${tx(item.text)}`}
                    onChange={(e) => {
                      // Moving an item to a place swaps it with the item that was there.
                      const order = [...current()];
                      const from = order.indexOf(item.id);
                      const to = Number(e.currentTarget.value) - 1;
                      [order[from], order[to]] = [order[to]!, order[from]!];
                      answer(q.id, { order });
                    }}
                  >
                    <For each={items}>
                      {(_, i) => (
                        <option value={String(i() + 1)} selected={current().indexOf(item.id) === i()}>
                          {i() + 1}
                        </option>
                      )}
                    </For>
                  </select>
                </div>
              )}
            </For>
          </div>
        );
      }
      case 'questionnaire': {
        // Statements rated on the question's scale; no right answer (the person is told it is not marked).
        const scale = q.options.scale as Text[];
        return (
          <div class="likert">
            <p class="hint">{L('questionnaire.hint')}</p>
            <For each={q.options.statements as Choice[]}>
              {(s) => (
                <fieldset class="likert-row">
                  <legend>{tx(s.text)}</legend>
                  <div class="likert-scale">
                    <For each={scale}>
                      {(label, i) => (
                        <label class="choice">
                          <input
                            type="radio"
                            name={`${name}.${s.id}`}
                            value={String(i() + 1)}
                            checked={r()?.ratings?.[s.id] === i() + 1}
                            onChange={() => answer(q.id, { ratings: { ...(r()?.ratings ?? {}), [s.id]: i() + 1 } })}
                          />
                          <span>{tx(label)}</span>
                        </label>
                      )}
                    </For>
                  </div>
                </fieldset>
              )}
            </For>
          </div>
        );
      }
      case 'essay':
        return (
          <div class="field wide">
            <label for={`${name}-input`}>{L('attempt.answerLabel')}</label>
            <Show when={q.options.minWords > 0}>
              <span class="hint">{L('attempt.essayHint').replace('{count}', String(q.options.minWords))}</span>
            </Show>
            <textarea
              id={`${name}-input`}
              name={name}
              rows={10}
              maxlength={20000}
              onInput={(e) => answerLater(q.id, e.currentTarget.value.trim() ? { text: e.currentTarget.value } : null)}
              onChange={(e) => answer(q.id, e.currentTarget.value.trim() ? { text: e.currentTarget.value } : null)}
            >
              {r()?.text ?? ''}
            </textarea>
          </div>
        );
    }
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
