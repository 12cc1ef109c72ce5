/** Multiple choice: check boxes; the answer lists the ticked choices in the shown order. */
import { For } from 'solid-js';
import type { Choice, ControlProps, KindControl } from '../types';

function Control(p: ControlProps) {
  const choices = p.q.options.choices as Choice[];
  return (
    <div class="choices">
      <p class="hint">{p.L('attempt.multipleHint')}</p>
      <For each={choices}>
        {(c) => (
          <label class="choice">
            <input
              type="checkbox"
              name={p.name}
              value={c.id}
              checked={(p.response()?.choices ?? []).includes(c.id)}
              onChange={(e) => {
                const set = new Set<string>(p.response()?.choices ?? []);
                if (e.currentTarget.checked) set.add(c.id);
                else set.delete(c.id);
                p.answer(set.size ? { choices: choices.map((x) => x.id).filter((id) => set.has(id)) } : null);
              }}
            />
            <span>{p.tx(c.text)}</span>
          </label>
        )}
      </For>
    </div>
  );
}

export default {
  Control,
  read: (fs) => {
    const ids = [...fs.querySelectorAll<HTMLInputElement>('input')].filter((i) => i.checked).map((i) => i.value);
    return ids.length ? { choices: ids } : null;
  },
} satisfies KindControl;
