import { afterEach, describe, expect, it } from 'vitest';
import { clientAddress, isTrustedProxy, requestIsHttps } from '@server/lib/client';

afterEach(() => {
  delete process.env.TRUSTED_PROXIES;
  delete process.env.PUBLIC_URL;
});

describe('the client address (one function for the sign-in page and the API)', () => {
  it('is the socket address, whatever X-Forwarded-For says, when no proxy is trusted', () => {
    expect(clientAddress('203.0.113.9', '198.51.100.1')).toBe('203.0.113.9');
    expect(clientAddress('::ffff:203.0.113.9', '198.51.100.1, 10.0.0.1')).toBe('203.0.113.9');
    expect(clientAddress(undefined, '198.51.100.1')).toBe('unknown');
  });

  it('takes X-Forwarded-For only from a trusted proxy, from the right, skipping trusted hops', () => {
    process.env.TRUSTED_PROXIES = '127.0.0.1, 10.0.0.0/8';
    expect(clientAddress('127.0.0.1', '198.51.100.1')).toBe('198.51.100.1');
    // the client put a made-up address first: the proxy appended the real one
    expect(clientAddress('127.0.0.1', '1.2.3.4, 198.51.100.1')).toBe('198.51.100.1');
    // two proxies in a row
    expect(clientAddress('127.0.0.1', '1.2.3.4, 198.51.100.1, 10.2.3.4')).toBe('198.51.100.1');
    // not from a trusted proxy: the header is ignored
    expect(clientAddress('192.0.2.50', '198.51.100.1')).toBe('192.0.2.50');
    // nonsense in the header: the socket
    expect(clientAddress('127.0.0.1', '<script>')).toBe('127.0.0.1');
    expect(isTrustedProxy('10.255.0.1')).toBe(true);
    expect(isTrustedProxy('11.0.0.1')).toBe(false);
  });

  it('is HTTPS when PUBLIC_URL is https, or a trusted proxy says so; never on the client’s word', () => {
    expect(requestIsHttps('198.51.100.1', 'https')).toBe(false);
    process.env.TRUSTED_PROXIES = '127.0.0.1';
    expect(requestIsHttps('127.0.0.1', 'https')).toBe(true);
    expect(requestIsHttps('127.0.0.1', 'http')).toBe(false);
    expect(requestIsHttps('198.51.100.1', 'https')).toBe(false);
    process.env.PUBLIC_URL = 'https://bilim.gov.kg';
    expect(requestIsHttps('198.51.100.1', undefined)).toBe(true);
  });
});
