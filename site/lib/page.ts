import type { AstroGlobal } from 'astro';
import { getDb, type DB } from '@db/client';
import { isLocale, type Locale, type Role } from '@db/domain';
import { translator, type Translator } from '@server/lib/i18n';
import type { SessionUser } from '@server/lib/session';

/** Who may open a page: anyone (no `role`), anyone signed in, or someone holding one of these roles. */
export type PageAccess = { role: 'signed-in' | Role | readonly Role[] };

/** What a page starts from (see docs/architecture.md, "Pages"). */
export type Page<U extends SessionUser | null> = {
  lang: Locale;
  tr: Translator;
  db: DB;
  /** The person signed in (never null on a page that requires sign-in or a role). */
  user: U;
  /** The request is a POST: the page acts on its form. */
  isPost: boolean;
  /** The submitted form when isPost, or null (not a POST, or a body that is not a form). */
  form: FormData | null;
  /** The visitor's address, for the audit log. */
  ip: string;
  /** The signed-in user and their address, as services take an official (`{ id, roles, hrOrganisationIds, ip }`). */
  actor: U extends SessionUser ? SessionUser & { ip: string } : (SessionUser & { ip: string }) | null;
};

/**
 * The start of every page under site/pages/[lang]: a bad language → 404; signed out on a page that
 * needs sign-in → 303 to the sign-in page coming back here; signed in without the role → 403 with the
 * Forbidden page (site/pages/[lang]/forbidden.astro, rendered in place: the address stays); else the
 * translator, the database, the user and, on a POST, the form read once.
 * Returns a Response for the page to return at once, or the Page.
 */
export async function openPage(Astro: AstroGlobal): Promise<Page<SessionUser | null> | Response>;
export async function openPage(Astro: AstroGlobal, access: PageAccess): Promise<Page<SessionUser> | Response>;
export async function openPage(Astro: AstroGlobal, access?: PageAccess): Promise<Page<SessionUser | null> | Response> {
  const lang = Astro.params.lang;
  if (!isLocale(lang)) return new Response(null, { status: 404 });
  const tr = translator(lang);
  const user = Astro.locals.user;
  if (access) {
    if (!user) return signInRedirect(Astro);
    const roles: readonly string[] = access.role === 'signed-in' ? [] : typeof access.role === 'string' ? [access.role] : access.role;
    if (roles.length && !user.roles.some((r) => roles.includes(r))) return Astro.rewrite(`/${lang}/forbidden`);
  }
  const isPost = Astro.request.method === 'POST';
  const form = isPost ? await Astro.request.formData().catch(() => null) : null;
  const ip = () => Astro.clientAddress;
  return {
    lang, tr, db: getDb(), user, isPost, form,
    get ip() { return ip(); },
    get actor() { return user ? { ...user, ip: ip() } : null; },
  };
}

/** The sign-in page, coming back to this page afterwards: where pages send visitors who are signed out. */
export function signInRedirect(Astro: { redirect: (path: string, status?: 303) => Response; url: URL; locals: App.Locals }): Response {
  return Astro.redirect(`/${Astro.locals.locale}/login?next=${encodeURIComponent(Astro.url.pathname + Astro.url.search)}`, 303);
}
