import { describe, expect, it } from 'vitest';
import { Validator } from '@seriousme/openapi-schema-validator';
import { app, call } from '../helpers';
import { MAX_JSON_BODY_BYTES } from '@server/app';

describe('API conventions', () => {
  it('health answers ok when the database answers', async () => {
    const res = await call('/api/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });

  it('malformed JSON is a 400 with a code, not a 500', async () => {
    const res = await call('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"email": "a@b.kg",' });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: { code: 'malformed_json' } });
  });

  it('wrong types name the field, and every wrong field when there are several', async () => {
    const res = await call('/api/auth/login', { method: 'POST', json: { email: 42, password: ['x'] } });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: { code: 'invalid_input', field: 'email', issues: [{ code: 'invalid_input', field: 'email' }, { code: 'invalid_input', field: 'password' }] },
    });
    const one = await call('/api/auth/login', { method: 'POST', json: { email: 42, password: 'x' } });
    expect(await one.json()).toEqual({ error: { code: 'invalid_input', field: 'email' } });
  });

  it('a JSON array or a non-JSON body is invalid input', async () => {
    const arr = await call('/api/auth/login', { method: 'POST', json: [1, 2] });
    expect(arr.status).toBe(400);
    const form = await call('/api/auth/login', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'email=a' });
    expect(form.status).toBe(415);
    expect(await form.json()).toEqual({ error: { code: 'unsupported_media_type' } });
  });

  it('an oversize body is refused with 413', async () => {
    const res = await call('/api/auth/login', { method: 'POST', json: { email: 'a@b.kg', password: 'x'.repeat(MAX_JSON_BODY_BYTES) } });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ error: { code: 'payload_too_large' } });
  });

  it('unknown paths answer 404 with a code', async () => {
    const res = await call('/api/nothing-here');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'not_found' } });
  });

  it('API answers are not cached', async () => {
    expect((await call('/api/courses')).headers.get('cache-control')).toBe('no-store');
  });
});

describe('OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const doc = await (await call('/api/openapi.json')).json();
    const result = await new Validator().validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(doc.openapi).toBe('3.1.0');
    // The validator compiles the whole 3.1 meta-schema: seconds on a loaded CI machine.
  }, 30_000);

  it('documents every route the app serves', async () => {
    const doc = await (await call('/api/openapi.json')).json();
    const documented = new Set(
      Object.entries(doc.paths as Record<string, object>).flatMap(([path, ops]) =>
        Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
      ),
    );
    const served = app.routes
      .filter((r) => r.method !== 'ALL' && r.path !== '/api/openapi.json')
      .map((r) => `${r.method} ${r.path}`);
    expect(served.length).toBeGreaterThan(5);
    for (const route of served) expect(documented).toContain(route);
  });
});
