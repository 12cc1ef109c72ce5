/** Ordering: a position for each item; moving an item to a place swaps it with the item that was there. */
import { For } from 'solid-js';
import type { Choice, ControlProps, KindControl } from '../types';

function Control(p: ControlProps) {
  const items = p.q.options.items as Choice[];
  const current = (): string[] => p.response()?.order ?? items.map((i) => i.id);
  return (
    <div>
      <p class="hint">{p.L('attempt.orderHint')}</p>
      <For each={items}>
        {(item) => (
          <div class="field order-row">
            <label for={`${p.name}-${item.id}`}>{p.tx(item.text)}</label>
            <select
              id={`${p.name}-${item.id}`}
              name={`${p.name}.${item.id}`}
              class="position-select"
              aria-label={`${p.L('attempt.position')}: ${p.tx(item.text)}`}
              onChange={(e) => {
                const order = [...current()];
                const from = order.indexOf(item.id);
                const to = Number(e.currentTarget.value) - 1;
                [order[from], order[to]] = [order[to]!, order[from]!];
                p.answer({ order });
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

// no `read`: the fields always show an order (the shown one until the learner moves an item)
export default { Control } satisfies KindControl;
