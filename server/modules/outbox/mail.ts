import type { Transporter } from 'nodemailer';
import type { DB } from '@db/client';
import { getSettings, readSecret } from '@server/modules/settings/service';

export type MailMessage = { to: string; subject: string; text: string };
export type MailResult = { status: 'sent'; messageId: string } | { status: 'skipped'; reason: 'smtp_not_configured' };

type SmtpConfig = { host: string; port: number; user: string | null; password: string | null; from: string };

/** The SMTP settings an administrator saved, or null when mail cannot be sent (no host or sender). */
export function smtpConfig(db: DB): SmtpConfig | null {
  const s = getSettings(db);
  if (!s.smtpHost || !s.smtpFrom) return null;
  const port = Number(s.smtpPort ?? 587);
  return {
    host: s.smtpHost,
    port: Number.isInteger(port) && port > 0 && port < 65536 ? port : 587,
    user: s.smtpUser,
    password: s.smtpUser ? readSecret(db, 'smtpPassword') : null,
    from: s.smtpFrom,
  };
}

/**
 * A connection to the configured SMTP server for a round of messages (the outbox sends a batch over
 * one connection, not one connection per message), or null when SMTP is not configured. `send`
 * throws on an SMTP failure (refused, rejected, timed out); `close` when the round is done.
 */
export function openMailer(db: DB): { send: (message: MailMessage) => Promise<string>; close: () => void } | null {
  const config = smtpConfig(db);
  if (!config) return null;
  // nodemailer is loaded with the first message, not by every process that imports the outbox
  let transport: Transporter | undefined;
  const connect = async () => (await import('nodemailer')).default.createTransport({
    host: config.host,
    port: config.port,
    // 465 is TLS from the first byte; other ports upgrade with STARTTLS when the server offers it.
    secure: config.port === 465,
    auth: config.user ? { user: config.user, pass: config.password ?? '' } : undefined,
    pool: true,
    maxConnections: 1,
    connectionTimeout: 20_000,
    greetingTimeout: 20_000,
    socketTimeout: 60_000,
  });
  return {
    send: async (message) => (await (transport ??= await connect()).sendMail({ from: config.from, to: message.to, subject: message.subject, text: message.text })).messageId,
    close: () => transport?.close(),
  };
}

/**
 * Sends one plain-text message at once (the administrator's test mail). Everything a person is told
 * goes through the outbox instead (server/modules/notifications). When SMTP is not configured it sends
 * nothing and says so; an SMTP failure throws.
 */
export async function sendMail(db: DB, message: MailMessage): Promise<MailResult> {
  const mailer = openMailer(db);
  if (!mailer) return { status: 'skipped', reason: 'smtp_not_configured' };
  try {
    return { status: 'sent', messageId: await mailer.send(message) };
  } finally {
    mailer.close();
  }
}
