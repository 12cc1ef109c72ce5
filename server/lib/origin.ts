/**
 * The address people reach the platform at, for links shown to be passed on (password-reset links).
 * PUBLIC_URL when set (behind a reverse proxy that rewrites Host), else this request's scheme and Host.
 */
export function publicOrigin(requestUrl: string, host: string | null | undefined): string {
  const configured = process.env.PUBLIC_URL?.replace(/\/+$/, '');
  if (configured) return configured;
  const url = new URL(requestUrl);
  return host && /^[A-Za-z0-9.:[\]-]+$/.test(host) ? `${url.protocol}//${host}` : url.origin;
}
