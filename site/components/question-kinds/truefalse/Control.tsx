/** True or false: two radio buttons. */
import { For } from 'solid-js';
import type { ControlProps, KindControl } from '../types';

function Control(p: ControlProps) {
  return (
    <div class="choices">
      <For each={[true, false]}>
        {(v) => (
          <label class="choice">
            <input type="radio" name={p.name} value={String(v)} checked={p.response()?.value === v} onChange={() => p.answer({ value: v })} />
            <span>{p.L(v ? 'attempt.true' : 'attempt.false')}</span>
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
    return c ? { value: c.value === 'true' } : null;
  },
} satisfies KindControl;
