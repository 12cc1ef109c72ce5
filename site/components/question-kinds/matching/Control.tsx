/** Matching: a list of answers for each prompt. */
import { For } from 'solid-js';
import type { Choice, ControlProps, KindControl } from '../types';

function Control(p: ControlProps) {
  return (
    <div>
      <p class="hint">{p.L('attempt.matchHint')}</p>
      <For each={p.q.options.prompts as Choice[]}>
        {(prompt) => (
          <div class="field">
            <label for={`${p.name}-${prompt.id}`}>{p.tx(prompt.text)}</label>
            <select
              id={`${p.name}-${prompt.id}`}
              name={`${p.name}.${prompt.id}`}
              onChange={(e) => {
                const matches = { ...(p.response()?.matches ?? {}) } as Record<string, string>;
                if (e.currentTarget.value) matches[prompt.id] = e.currentTarget.value;
                else delete matches[prompt.id];
                p.answer(Object.keys(matches).length ? { matches } : null);
              }}
            >
              <option value="">{p.L('attempt.choose')}</option>
              <For each={p.q.options.answers as Choice[]}>
                {(a) => (
                  <option value={a.id} selected={p.response()?.matches?.[prompt.id] === a.id}>
                    {p.tx(a.text)}
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

export default {
  Control,
  read: (fs) => {
    const matches: Record<string, string> = {};
    for (const sel of fs.querySelectorAll<HTMLSelectElement>('select')) if (sel.value) matches[sel.name.split('.')[1]!] = sel.value;
    return Object.keys(matches).length ? { matches } : null;
  },
} satisfies KindControl;
