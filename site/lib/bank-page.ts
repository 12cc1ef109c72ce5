import type { AstroGlobal } from 'astro';
import { signInRedirect } from './session';
import { AppError } from '@server/lib/errors';
import type { Translator } from '@server/lib/i18n';
import type { FormError } from './admin-page';

/**
 * For the question-bank pages: the signed-in trainer, reviewer or administrator, or a Response
 * (sign-in) / forbidden. Whether this person may read or edit this draft is the service's decision.
 */
export function requireStaff(Astro: AstroGlobal) {
  const user = Astro.locals.user;
  if (!user) return { response: signInRedirect(Astro) } as const;
  if (!user.roles.some((r) => r === 'trainer' || r === 'reviewer' || r === 'admin')) return { forbidden: true as const, user };
  return { user, ip: Astro.clientAddress } as const;
}

/** The draft id from the address, or null. */
export function draftIdParam(v: string | undefined): number | null {
  return v && /^\d{1,9}$/.test(v) ? Number(v) : null;
}

/** The form's fields as [name, value] pairs (files ignored). */
export function formEntries(form: FormData): [string, string][] {
  const out: [string, string][] = [];
  form.forEach((v, k) => {
    if (typeof v === 'string') out.push([k, v.slice(0, 8000)]);
  });
  return out;
}

/** An element id for a form field name (`choices.0.text.ky` → `choices-0-text-ky`). */
export const fieldId = (name: string) => name.replace(/\./g, '-');

/**
 * Runs a service call for a page; an AppError becomes a message in the summary, linked to its field,
 * and in `byField` beside it. Some schema paths point into a list (`tags.1`): those go to the list's field.
 */
export function runForm<T>(tr: Translator, errors: FormError[], byField: Map<string, string>, fn: () => T, fieldFor: (f: string) => string = (f) => f): T | undefined {
  try {
    return fn();
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    const field = e.field ? fieldFor(e.field) : null;
    const message = tr.error(e.code === 'invalid_input' && field ? 'bank_field_invalid' : e.code);
    errors.push({ field: field ? fieldId(field) : null, message });
    if (field) byField.set(field, message);
    return undefined;
  }
}
