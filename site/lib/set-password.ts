import type { AstroGlobal } from 'astro';
import { findPasswordReset, resetPasswordWithToken } from '@server/modules/people/service';
import { attempt, type FormError } from './admin-page';
import type { Page } from './page';
import type { SessionUser } from '@server/lib/session';

/**
 * The one-time link pages (a password reset from the admin, an invitation from HR — the same token
 * mechanism): finds the link, and on POST checks the new password and sets it, ending the link.
 * Sets the page's status (400 for a refused form, 404 for a dead link) and forbids caching.
 */
export async function handleSetPassword(Astro: AstroGlobal, { tr, db, isPost, form, ip }: Page<SessionUser | null>) {
  const token = Astro.params.token ?? '';
  // The link is a secret: never cache the page. (The site-wide Referrer-Policy same-origin keeps it from
  // other sites; no-referrer would make Chromium send `Origin: null` with the form, which the Origin check refuses.)
  Astro.response.headers.set('Cache-Control', 'no-store');
  const errors: FormError[] = [];
  let done = false;
  const found = findPasswordReset(db, token);
  if (found && isPost) {
    const password = String(form?.get('password') ?? '');
    const confirm = String(form?.get('confirm') ?? '');
    // The password rules themselves (length, patterns, common and personal passwords) are the service's.
    if (password !== confirm) errors.push({ field: 'confirm', message: tr.error('password_mismatch') });
    if (!errors.length && (await attempt(errors, tr.error, async () => { await resetPasswordWithToken(db, token, password, ip); return true; }))) done = true;
    if (errors.length) Astro.response.status = 400;
  }
  if (!found && !done) Astro.response.status = 404;
  return { found, errors, done };
}
