import { AppError } from '@server/lib/errors';

/** A problem for the error summary: linked to the field's id on this page, or to `href` on another page. */
export type FormError = { field: string | null; message: string; href?: string; status?: number };

/** Runs a service call; an AppError becomes a translated error for the summary, anything else is thrown. */
export async function attempt<T>(errors: FormError[], error: (code: string) => string, fn: () => T | Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    errors.push({ field: e.field ?? null, message: error(e.code) });
    return undefined;
  }
}

export const str = (form: FormData, name: string, max = 500) => String(form.get(name) ?? '').trim().slice(0, max);
