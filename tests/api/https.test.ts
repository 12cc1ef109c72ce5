/**
 * Behind HTTPS (an https PUBLIC_URL, or a trusted proxy saying so — server/entry.ts turns that into
 * X-Forwarded-Proto: https and drops any the client sent): the session cookie is Secure, HSTS is
 * sent, and the Origin check wants the https origin.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { app, DEMO_PASSWORD, withDemo } from '../helpers';
import { loginLimiter } from '@server/modules/auth/rate-limit';
import { getDb } from '@db/client';

beforeAll(withDemo);
afterEach(() => {
  delete process.env.PUBLIC_URL;
  loginLimiter.reset(getDb());
});

const login = (origin: string, headers: Record<string, string> = {}) =>
  app.request(
    'http://bilim.example/api/auth/login',
    { method: 'POST', headers: { origin, host: 'bilim.example', 'content-type': 'application/json', ...headers }, body: JSON.stringify({ email: 'learner@demo.kg', password: DEMO_PASSWORD }) },
    { ip: '203.0.113.9' },
  );

describe('behind HTTPS', () => {
  it('with an https PUBLIC_URL: Secure cookie, HSTS, and only the https origin passes', async () => {
    process.env.PUBLIC_URL = 'https://bilim.example';
    const plain = await login('http://bilim.example');
    expect(plain.status).toBe(403);
    expect(await plain.json()).toEqual({ error: { code: 'origin_mismatch' } });
    const res = await login('https://bilim.example');
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toMatch(/; Secure/i);
    expect(res.headers.get('strict-transport-security')).toBe('max-age=31536000');
    expect((await app.request('http://bilim.example/api/health')).headers.get('strict-transport-security')).toBe('max-age=31536000');
  });

  it('with a trusted proxy saying https (X-Forwarded-Proto as server/entry.ts leaves it): the same', async () => {
    const res = await login('https://bilim.example', { 'x-forwarded-proto': 'https' });
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toMatch(/; Secure/i);
    expect(res.headers.get('strict-transport-security')).toBe('max-age=31536000');
    expect((await login('http://bilim.example', { 'x-forwarded-proto': 'https' })).status).toBe(403);
  });

  it('over plain HTTP: no Secure, no HSTS, and an https origin is another origin', async () => {
    const res = await login('http://bilim.example');
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).not.toMatch(/Secure/i);
    expect(res.headers.get('strict-transport-security')).toBeNull();
    expect((await login('https://bilim.example')).status).toBe(403);
  });
});
