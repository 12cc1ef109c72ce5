/** Helpers the kinds' AuthorFields.astro share: field ids, error links, repeated rows. */
export const arr = (v: unknown): any[] => (Array.isArray(v) ? v : []);
/** The rows a repeated field set shows: what is written plus `extra` empty ones, between min and max. */
export const rowsOf = (v: unknown, min: number, max: number, extra: number) => {
  const list = arr(v);
  const n = Math.min(max, Math.max(min, list.length + extra));
  return Array.from({ length: n }, (_, i) => list[i] ?? null);
};
export const str = (v: unknown) => (v === undefined || v === null ? '' : String(v));
/** A check box's state, from a package (true) or a sent form ('on'). */
export const on = (v: unknown) => v === true || v === 'on' || v === 'true';

/** Field ids (`choices.0.text` → `choices-0-text`), the error of a field and its aria-describedby. */
export function fieldHelpers(errors: Map<string, string>) {
  const id = (n: string) => n.replace(/\./g, '-');
  const err = (n: string) => errors.get(n);
  const described = (n: string, hint = false) => [hint ? `${id(n)}-hint` : '', err(n) ? `${id(n)}-error` : ''].filter(Boolean).join(' ') || undefined;
  return { id, err, described };
}
