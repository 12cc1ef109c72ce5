import '@server/modules/providers';
import { defineMiddleware } from 'astro:middleware';
import { getDb } from '../db/client';
import { HSTS, servedOverHttps } from '../server/lib/client';
import { DEFAULT_LOCALE, isLocale } from '@db/domain';
import { contentSecurityPolicy, isAllowedOrigin, SECURITY_HEADERS } from '../server/lib/http';
import { t } from '../server/lib/i18n';
import { SESSION_COOKIE } from '@server/lib/session';
import { validateSessionToken } from '../server/modules/auth/service';
import { startBackgroundJobs } from '../server/jobs';

// The production server starts the background jobs itself (server/entry.ts); `astro dev` has no such entry.
if (import.meta.env.DEV) startBackgroundJobs();

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export const onRequest = defineMiddleware(async (context, next) => {
  const { pathname } = context.url;
  const first = pathname.split('/')[1] ?? '';
  // SCORM package content sets its own headers and never reads a session (server/modules/scorm/content.ts).
  if (first === 'scorm-content') return next();
  context.locals.locale = isLocale(first) ? first : DEFAULT_LOCALE;
  context.locals.user = null;
  context.locals.session = null;

  // The API checks Origin and reads its session itself (server/lib/http.ts); pages get theirs here.
  if (first !== 'api') {
    if (UNSAFE_METHODS.has(context.request.method)) {
      const origin = context.request.headers.get('origin');
      if (!origin || !isAllowedOrigin(origin, context.request.headers)) {
        return new Response(t(context.locals.locale, 'errors.origin_mismatch'), { status: 403, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
      }
    }
    const token = context.cookies.get(SESSION_COOKIE)?.value;
    const found = token ? validateSessionToken(getDb(), token) : null;
    context.locals.user = found?.user ?? null;
    context.locals.session = found?.session ?? null;
  }

  const response = await next();
  // Astro's own header holds this page's script hashes (experimental.csp): keep its script-src, in our policy.
  const scriptSrc = /script-src[^;]*/.exec(response.headers.get('content-security-policy') ?? '')?.[0];
  response.headers.set('Content-Security-Policy', contentSecurityPolicy(scriptSrc));
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
    if (!response.headers.has(name)) response.headers.set(name, value);
  }
  if (servedOverHttps(context.request.headers)) response.headers.set(HSTS.name, HSTS.value);
  if (first !== 'api' && first !== '_astro' && !response.headers.has('Cache-Control')) {
    // Pages show who is signed in: never cache them in shared caches.
    response.headers.set('Cache-Control', 'private, no-cache');
  }
  return response;
});
