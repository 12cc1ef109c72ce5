/**
 * The one error path: services throw AppError with a machine code; app.onError turns it into
 * `{ error: { code, field } }` and the site translates `errors.<code>` from locales/.
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 = 400,
    readonly field?: string,
  ) {
    super(code);
  }
}

export type ErrorBody = { error: { code: string; field?: string } };
