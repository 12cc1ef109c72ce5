import type { AstroGlobal } from 'astro';
import { signInRedirect } from './session';
import { AppError } from '@server/lib/errors';
import type { Role } from '@db/domain';

/**
 * For pages that need a role: the signed-in user, or a Response to return at once —
 * a redirect to sign-in when signed out, 403 when the role is missing.
 */
export function requirePageRole(Astro: AstroGlobal, role: Role) {
  const user = Astro.locals.user;
  if (!user) {
    return { response: signInRedirect(Astro) } as const;
  }
  if (!user.roles.includes(role)) return { forbidden: true as const, user };
  return { user, ip: Astro.clientAddress } as const;
}

/** The submitted form, or null when the body is not a form. */
export async function readForm(request: Request): Promise<FormData | null> {
  try {
    return await request.formData();
  } catch {
    return null;
  }
}

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
