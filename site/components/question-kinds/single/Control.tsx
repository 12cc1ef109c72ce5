/** Single choice: radio buttons. */
import { For } from 'solid-js';
import type { Choice, ControlProps, KindControl } from '../types';

function Control(p: ControlProps) {
  return (
    <div class="choices">
      <For each={p.q.options.choices as Choice[]}>
        {(c) => (
          <label class="choice">
            <input type="radio" name={p.name} value={c.id} checked={p.response()?.choice === c.id} onChange={() => p.answer({ choice: c.id })} />
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
    const c = [...fs.querySelectorAll<HTMLInputElement>('input')].find((i) => i.checked);
    return c ? { choice: c.value } : null;
  },
} satisfies KindControl;
