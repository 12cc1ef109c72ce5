/**
 * Who is on the other end of a request: the client's address and whether it came over HTTPS. One
 * function each, used for the API and the pages alike (server/entry.ts calls them once per request).
 *
 * The address is the socket's, unless the socket is a configured reverse proxy (TRUSTED_PROXIES):
 * then X-Forwarded-For is read from the right, skipping trusted proxies, and the first address that
 * is not one is the client. A client cannot choose its address by sending the header itself, so the
 * per-address sign-in limit and the audit log's addresses hold.
 *
 * TRUSTED_PROXIES: comma-separated addresses or IPv4 ranges of the reverse proxies in front of the
 * platform, e.g. `127.0.0.1,10.0.0.0/8`. Empty (the default): no proxy is trusted, the socket decides.
 */

/** An IPv4 address as a number, or null. */
function ipv4(address: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(address);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return null;
  return ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
}

/** "::ffff:10.0.0.1" (IPv4 on an IPv6 socket) as "10.0.0.1"; brackets and spaces gone. */
export function normaliseAddress(address: string): string {
  const a = address.trim().replace(/^\[|\]$/g, '').toLowerCase();
  return a.startsWith('::ffff:') && ipv4(a.slice(7)) !== null ? a.slice(7) : a;
}

function matches(address: string, entry: string): boolean {
  const [base, bits] = entry.split('/');
  if (bits === undefined) return normaliseAddress(base!) === address;
  const net = ipv4(normaliseAddress(base!));
  const ip = ipv4(address);
  const n = Number(bits);
  if (net === null || ip === null || !Number.isInteger(n) || n < 0 || n > 32) return false;
  const mask = n === 0 ? 0 : (0xffffffff << (32 - n)) >>> 0;
  return (net & mask) === (ip & mask);
}

/** Whether this address is one of TRUSTED_PROXIES. */
export function isTrustedProxy(address: string | undefined, trusted = process.env.TRUSTED_PROXIES ?? ''): boolean {
  if (!address) return false;
  const a = normaliseAddress(address);
  return trusted.split(',').map((s) => s.trim()).filter(Boolean).some((entry) => matches(a, entry));
}

/** The client's address: the socket's, or the forwarded one when the socket is a trusted proxy. */
export function clientAddress(socketAddress: string | undefined, forwardedFor: string | string[] | null | undefined, trusted = process.env.TRUSTED_PROXIES ?? ''): string {
  const socket = socketAddress ? normaliseAddress(socketAddress) : 'unknown';
  if (!isTrustedProxy(socket, trusted) || !forwardedFor) return socket;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor).split(',').map(normaliseAddress).filter(Boolean);
  // Right to left: each trusted proxy vouches for the hop before it; the first one not trusted is the client.
  for (let i = hops.length - 1; i >= 0; i--) {
    if (!isTrustedProxy(hops[i], trusted)) return /^[0-9a-f.:]+$/.test(hops[i]!) ? hops[i]! : socket;
  }
  return hops[0] ?? socket;
}

/**
 * Whether the client reached us over HTTPS: PUBLIC_URL is https (the platform is published only so),
 * or a trusted proxy says so in X-Forwarded-Proto.
 */
export function requestIsHttps(socketAddress: string | undefined, forwardedProto: string | string[] | null | undefined): boolean {
  if (process.env.PUBLIC_URL?.trim().toLowerCase().startsWith('https://')) return true;
  const proto = (Array.isArray(forwardedProto) ? forwardedProto[0] : forwardedProto)?.split(',')[0]?.trim().toLowerCase();
  return proto === 'https' && isTrustedProxy(socketAddress);
}

/**
 * Whether this request came over HTTPS, read from its headers after server/entry.ts has set
 * X-Forwarded-Proto to requestIsHttps' answer (a client's own X-Forwarded-Proto never gets that far).
 */
export function servedOverHttps(headers: { get(name: string): string | null | undefined }): boolean {
  return !!process.env.PUBLIC_URL?.trim().toLowerCase().startsWith('https://') || headers.get('x-forwarded-proto') === 'https';
}

/** Sent with every response that came over HTTPS: browsers then refuse plain HTTP to us for a year. */
export const HSTS = { name: 'Strict-Transport-Security', value: 'max-age=31536000' } as const;
