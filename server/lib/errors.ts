/** One problem of an input: its code and the field it is about. */
export type FieldIssue = { code: string; field?: string };

/**
 * The one error path: services throw AppError with a machine code; app.onError turns it into
 * `{ error: { code, field, issues? } }` and the site translates `errors.<code>` from locales/.
 * `issues` lists every problem found when there are several (a form shows them together); `field`
 * is the first.
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 = 400,
    readonly field?: string,
    readonly issues?: FieldIssue[],
  ) {
    super(code);
  }
}

/** `invalid_input` for every issue of a zod check (each path once), with `prefix` before each path. */
export function invalidInput(zodIssues: readonly { path: readonly PropertyKey[] }[], prefix = ''): AppError {
  const fields = [...new Set(zodIssues.map((i) => [prefix, ...i.path.map(String)].filter(Boolean).join('.')))];
  const issues = fields.map((field) => ({ code: 'invalid_input', ...(field ? { field } : {}) }));
  return new AppError('invalid_input', 400, fields[0] || undefined, issues.length > 1 ? issues : undefined);
}

export type ErrorBody = { error: { code: string; field?: string; issues?: FieldIssue[] } };
