/** Numeric: a number typed with a point or a comma, checked when the field is left. */
import { Show } from 'solid-js';
import type { ControlProps, KindControl } from '../types';

const parse = (v: string) => {
  const s = v.replace(/[\s\u00a0]/g, '').replace(',', '.');
  return /^[-+]?\d+(\.\d+)?$/.test(s) ? { value: Number(s) } : null;
};

function Control(p: ControlProps) {
  return (
    <div class="field">
      <label for={`${p.name}-input`}>{p.L('attempt.answerLabel')}</label>
      <span class="hint" id={`${p.name}-hint`}>
        {p.L('attempt.numericHint')}
        <Show when={p.q.options.unit}> {p.L('attempt.unit').replace('{unit}', p.tx(p.q.options.unit))}</Show>
      </span>
      <input
        type="text"
        inputmode="decimal"
        id={`${p.name}-input`}
        name={p.name}
        aria-describedby={`${p.name}-hint`}
        value={p.response()?.value ?? ''}
        autocomplete="off"
        class="short-input"
        onChange={(e) => {
          const v = e.currentTarget.value;
          if (!v.trim()) p.answer(null);
          else if (parse(v)) p.answer(parse(v));
          else p.invalid();
        }}
      />
    </div>
  );
}

// no `read`: a number is checked on change only
export default { Control } satisfies KindControl;
