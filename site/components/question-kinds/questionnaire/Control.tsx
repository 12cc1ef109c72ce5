/** Questionnaire: each statement rated on the question's scale; no right answer (the person is told it is not marked). */
import { For } from 'solid-js';
import type { Choice, ControlProps, KindControl, Text } from '../types';

function Control(p: ControlProps) {
  const scale = p.q.options.scale as Text[];
  return (
    <div class="likert">
      <p class="hint">{p.L('questionnaire.hint')}</p>
      <For each={p.q.options.statements as Choice[]}>
        {(s) => (
          <fieldset class="likert-row">
            <legend>{p.tx(s.text)}</legend>
            <div class="likert-scale">
              <For each={scale}>
                {(label, i) => (
                  <label class="choice">
                    <input
                      type="radio"
                      name={`${p.name}.${s.id}`}
                      value={String(i() + 1)}
                      checked={p.response()?.ratings?.[s.id] === i() + 1}
                      onChange={() => p.answer({ ratings: { ...(p.response()?.ratings ?? {}), [s.id]: i() + 1 } })}
                    />
                    <span>{p.tx(label)}</span>
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

export default {
  Control,
  read: (fs) => {
    const ratings: Record<string, number> = {};
    for (const i of fs.querySelectorAll<HTMLInputElement>('input')) if (i.checked) ratings[i.name.split('.')[1]!] = Number(i.value);
    return Object.keys(ratings).length ? { ratings } : null;
  },
} satisfies KindControl;
