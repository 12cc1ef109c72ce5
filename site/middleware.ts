import { defineMiddleware } from 'astro:middleware';
import { getDb } from '../db/client';
import { DEFAULT_LOCALE, isLocale } from '../server/lib/domain';
import { isAllowedOrigin } from '../server/lib/http';
import { t } from '../server/lib/i18n';
import { SESSION_COOKIE } from '../server/lib/session-cookie';
import { startSessionSweeper, validateSessionToken } from '../server/modules/auth/service';
import { startDeadlineSweeper } from '../server/modules/quiz/service';
import { startReminderRunner } from '../server/modules/reminders/service';
import { startWebhookDeliverer } from '../server/modules/outbox/service';

// The server process closes quiz attempts whose deadline has passed even when no browser asks.
// Started here, not in server/app.ts, so tests and scripts that import the API start no timer.
// QUIZ_SWEEP_SECONDS=0 turns it off; the timer is unref'd and never keeps the process alive.
const sweepSeconds = Number(process.env.QUIZ_SWEEP_SECONDS ?? 15);
if (Number.isFinite(sweepSeconds) && sweepSeconds > 0) startDeadlineSweeper(getDb, sweepSeconds * 1000);
// Obligation reminders by e-mail (server/modules/reminders): REMINDER_INTERVAL_MINUTES, default 60, 0 = off.
const reminderMinutes = Number(process.env.REMINDER_INTERVAL_MINUTES ?? 60);
if (Number.isFinite(reminderMinutes) && reminderMinutes > 0) startReminderRunner(getDb, reminderMinutes * 60_000);
// Likewise the webhook outbox: due events go to the HR information system every WEBHOOK_INTERVAL_SECONDS (0 = off).
const webhookSeconds = Number(process.env.WEBHOOK_INTERVAL_SECONDS ?? 30);
if (Number.isFinite(webhookSeconds) && webhookSeconds > 0) startWebhookDeliverer(getDb, webhookSeconds * 1000);
// Expired sessions nobody presents again are deleted hourly (a presented one is deleted at once).
startSessionSweeper(getDb);

const SECURITY_HEADERS: Record<string, string> = {
  // Astro's island loader is an inline script; everything else comes from this origin only.
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; media-src 'self'; font-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
};

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export const onRequest = defineMiddleware(async (context, next) => {
  const { pathname } = context.url;
  const first = pathname.split('/')[1] ?? '';
  context.locals.locale = isLocale(first) ? first : DEFAULT_LOCALE;
  context.locals.user = null;
  context.locals.session = null;

  // The API checks Origin and reads its session itself (server/lib/http.ts); pages get theirs here.
  if (first !== 'api') {
    if (UNSAFE_METHODS.has(context.request.method)) {
      const origin = context.request.headers.get('origin');
      if (!origin || !isAllowedOrigin(origin, context.request.headers.get('host') ?? undefined)) {
        return new Response(t(context.locals.locale, 'errors.origin_mismatch'), { status: 403, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
      }
    }
    const token = context.cookies.get(SESSION_COOKIE)?.value;
    const found = token ? validateSessionToken(getDb(), token) : null;
    context.locals.user = found?.user ?? null;
    context.locals.session = found?.session ?? null;
  }

  const response = await next();
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
    if (!response.headers.has(name)) response.headers.set(name, value);
  }
  if (first !== 'api' && first !== '_astro' && !response.headers.has('Cache-Control')) {
    // Pages show who is signed in: never cache them in shared caches.
    response.headers.set('Cache-Control', 'private, no-cache');
  }
  return response;
});
