import { getDb } from '../db/client';
import { startSessionSweeper } from './modules/auth/service';
import { startMailDeliverer, startWebhookDeliverer } from './modules/outbox/service';
import { startDeadlineSweeper } from './modules/quiz/service';
import { startReminderRunner } from './modules/reminders/service';

let started = false;

/**
 * The server process's timers. Started by the server (server/entry.ts; in `astro dev` by
 * site/middleware.ts), not by server/app.ts, so tests and scripts that import the API start none.
 * Every timer is unref'd and never keeps the process alive.
 */
export function startBackgroundJobs(): void {
  if (started) return;
  started = true;
  // Quiz attempts whose deadline has passed are closed even when no browser asks. QUIZ_SWEEP_SECONDS=0 turns it off.
  const sweepSeconds = Number(process.env.QUIZ_SWEEP_SECONDS ?? 15);
  if (Number.isFinite(sweepSeconds) && sweepSeconds > 0) startDeadlineSweeper(getDb, sweepSeconds * 1000);
  // Reminders and HR digests (server/modules/reminders), queued as notifications: REMINDER_INTERVAL_MINUTES, default 60, 0 = off.
  const reminderMinutes = Number(process.env.REMINDER_INTERVAL_MINUTES ?? 60);
  if (Number.isFinite(reminderMinutes) && reminderMinutes > 0) startReminderRunner(getDb, reminderMinutes * 60_000);
  // The webhook outbox: due events go to the HR information system every WEBHOOK_INTERVAL_SECONDS (0 = off).
  const webhookSeconds = Number(process.env.WEBHOOK_INTERVAL_SECONDS ?? 30);
  if (Number.isFinite(webhookSeconds) && webhookSeconds > 0) startWebhookDeliverer(getDb, webhookSeconds * 1000);
  // E-mails in the outbox go to the SMTP server every MAIL_INTERVAL_SECONDS (default 30, 0 = off).
  const mailSeconds = Number(process.env.MAIL_INTERVAL_SECONDS ?? 30);
  if (Number.isFinite(mailSeconds) && mailSeconds > 0) startMailDeliverer(getDb, mailSeconds * 1000);
  // Expired sessions nobody presents again are deleted hourly (a presented one is deleted at once).
  startSessionSweeper(getDb);
}
