/** Essay: a text area, saved while typing. */
import { Show } from 'solid-js';
import type { ControlProps, KindControl } from '../types';

function Control(p: ControlProps) {
  const of = (v: string) => (v.trim() ? { text: v } : null);
  return (
    <div class="field wide">
      <label for={`${p.name}-input`}>{p.L('attempt.answerLabel')}</label>
      <Show when={p.q.options.minWords > 0}>
        <span class="hint">{p.L('attempt.essayHint').replace('{count}', String(p.q.options.minWords))}</span>
      </Show>
      <textarea
        id={`${p.name}-input`}
        name={p.name}
        rows={10}
        maxlength={20000}
        onInput={(e) => p.answerLater(of(e.currentTarget.value))}
        onChange={(e) => p.answer(of(e.currentTarget.value))}
      >
        {p.response()?.text ?? ''}
      </textarea>
    </div>
  );
}

export default {
  Control,
  read: (fs) => {
    const v = fs.querySelector('textarea')?.value ?? '';
    return v.trim() ? { text: v } : null;
  },
} satisfies KindControl;
