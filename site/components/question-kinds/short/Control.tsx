/** Short answer: one line of text, saved while typing. */
import type { ControlProps, KindControl } from '../types';

function Control(p: ControlProps) {
  const of = (v: string) => (v.trim() ? { text: v } : null);
  return (
    <div class="field">
      <label for={`${p.name}-input`}>{p.L('attempt.answerLabel')}</label>
      <input
        type="text"
        id={`${p.name}-input`}
        name={p.name}
        value={p.response()?.text ?? ''}
        autocomplete="off"
        maxlength={500}
        onInput={(e) => p.answerLater(of(e.currentTarget.value))}
        onChange={(e) => p.answer(of(e.currentTarget.value))}
      />
    </div>
  );
}

export default {
  Control,
  read: (fs) => {
    const v = fs.querySelector('input')?.value ?? '';
    return v.trim() ? { text: v } : null;
  },
} satisfies KindControl;
