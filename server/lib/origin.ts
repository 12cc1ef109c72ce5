import { servedOverHttps } from './client';

type Headers = { get(name: string): string | null | undefined };

/**
 * The site's address as people reach it, for every link that leaves the site or is passed on (e-mails,
 * calendar feeds, QR codes, invitation and reset links, alternate-language links): PUBLIC_URL when set
 * (production behind a reverse proxy); else, answering a request, that request's scheme (as
 * servedOverHttps reads it) and Host; else (a background job) http://localhost on the server's port.
 */
export function publicOrigin(headers?: Headers): string {
  const configured = process.env.PUBLIC_URL?.trim().replace(/\/+$/, '');
  if (configured) return configured;
  const host = headers?.get('host');
  if (headers && host && /^[A-Za-z0-9.:[\]-]+$/.test(host)) return `${servedOverHttps(headers) ? 'https' : 'http'}://${host}`;
  return `http://localhost:${process.env.PORT || 4321}`;
}
