/**
 * Bad input over every route, generated from /api/openapi.json (request bodies, path and query
 * parameters): malformed JSON, wrong content type, wrong types, nulls, missing and extra fields, huge
 * strings and arrays, odd Unicode, path tricks. For every answer: never ≥ 500; every 4xx is
 * `{ error: { code } }`; and a refused request stored nothing — every table's checksum is compared with
 * the fixtures' before the request's transaction is rolled back, and no scan file is left behind.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { call, getDb } from '../helpers';
import { MAX_JSON_BODY_BYTES } from '@server/app';
import { loginLimiter } from '@server/modules/auth/rate-limit';
import {
  buildFixtures, changedTables, fillPath, openapiOperations, outsideFields, PDF_BYTES, rolledBack, send, storedFiles,
  tableChecksums, UPLOADS, VALID_REQUESTS, type Fixtures, type Operation, type Req, type RoleName,
} from '../security';
import { readdirSync } from 'node:fs';

// Hundreds of requests per test, on a shared 2-core machine.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 90_000 });

let f: Fixtures;
let ops: Operation[];
let deref: (s: any) => any;
let baseline: Record<string, string>;
/** The role that gets past authorisation on each route, and the status of its valid request. */
const actor = new Map<string, { role: RoleName; status: number }>();

beforeAll(async () => {
  f = await buildFixtures();
  ({ ops, deref } = await openapiOperations());
  baseline = tableChecksums();
  for (const op of ops) {
    for (const role of ['learner', 'hr', 'trainer', 'reviewer', 'admin', 'anon'] as RoleName[]) {
      const res = await rolledBack(() => send(f, op, role, validRequest(op)));
      if (res.status !== 401 && res.status !== 403) {
        actor.set(op.key, { role, status: res.status });
        break;
      }
    }
  }
}, 60_000);

// ---------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------

const jsonSchemaOf = (op: Operation) => deref(op.op.requestBody?.content['application/json']?.schema);
const jsonOps = () => ops.filter((o) => jsonSchemaOf(o));

/** A value that fits a JSON schema (for routes without a valid request listed). */
function sample(schema: any): unknown {
  const s = deref(schema) ?? {};
  if (s.enum) return s.enum[0];
  if (s.default !== undefined) return s.default;
  if (s.anyOf || s.oneOf) return sample((s.anyOf ?? s.oneOf).find((x: any) => deref(x).type !== 'null') ?? {});
  const type = Array.isArray(s.type) ? s.type.find((t: string) => t !== 'null') : s.type;
  switch (type) {
    case 'object':
      return Object.fromEntries((s.required ?? []).map((k: string) => [k, sample(s.properties?.[k])]));
    case 'array':
      return Array.from({ length: s.minItems ?? 0 }, () => sample(s.items));
    case 'string':
      return s.format === 'date' || /date/i.test(s.description ?? '') ? '2030-01-01' : 'x'.repeat(Math.max(3, s.minLength ?? 3));
    case 'integer':
    case 'number':
      return s.minimum ?? 1;
    case 'boolean':
      return true;
    default:
      return null;
  }
}

function validRequest(op: Operation): Req {
  const listed = VALID_REQUESTS[op.key]?.(f);
  if (listed) return listed;
  const schema = jsonSchemaOf(op);
  return schema ? { json: sample(schema) } : {};
}

/** A value of another JSON type than the schema allows. */
function wrongTypeFor(schema: any): unknown[] {
  const s = deref(schema) ?? {};
  const types: string[] = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
  if (!types.length) return []; // any value allowed (e.g. a quiz answer)
  const candidates: [string, unknown][] = [['string', 'not-a-number'], ['number', 12345], ['boolean', true], ['array', ['x']], ['object', { a: 1 }]];
  const fits = (t: string) => types.includes(t) || (t === 'number' && types.includes('integer'));
  return candidates.filter(([t]) => !fits(t)).map(([, v]) => v);
}

type Outcome = { status: number; text: string; changed: string[]; filesBefore: number; filesAfter: number };

const totalChanges = () => getDb().$client.prepare('SELECT total_changes()').pluck().get() as number;

/** Refusals that do write, by design: a failed sign-in is recorded in the audit log (without the password) and counted for throttling. */
const EXPECTED_WRITES: Record<string, string[]> = {
  'POST /api/auth/login 401': ['audit_log', 'login_failures'],
};

/** Sends one request as the route's actor inside a rolled-back transaction, and records what changed. */
async function probe(op: Operation, build: (path: string) => { url: string; init: RequestInit & { json?: unknown; cookie?: string } }): Promise<Outcome> {
  const role = actor.get(op.key)?.role ?? 'admin';
  const filesBefore = storedFiles();
  return rolledBack(async () => {
    loginLimiter.reset(getDb());
    const { url, init } = build(op.path);
    const writesBefore = totalChanges();
    const res = await call(url, { ...init, method: init.method ?? op.method, cookie: f.cookies[role] });
    const text = await res.text();
    // No row written on the connection means nothing changed; otherwise compare every table
    // (a service may write and then roll back its own savepoint: that must leave no trace).
    const wrote = totalChanges() !== writesBefore;
    const changed = res.status >= 400 && wrote
      ? changedTables(baseline, tableChecksums()).filter((t) => !EXPECTED_WRITES[`${op.key} ${res.status}`]?.includes(t))
      : [];
    return { status: res.status, text, changed, filesBefore, filesAfter: storedFiles() };
  });
}

/** What is wrong with an answer to bad input: a 5xx, a 4xx without the error shape, or something stored. */
function problems(label: string, o: Outcome, expect4xx: boolean): string[] {
  const out: string[] = [];
  if (o.status >= 500) out.push(`${label}: ${o.status} ${o.text.slice(0, 200)}`);
  if (expect4xx && o.status < 400) out.push(`${label}: accepted with ${o.status}, expected a 4xx`);
  if (o.status >= 400 && o.status !== 416) {
    let code: unknown;
    try {
      code = JSON.parse(o.text)?.error?.code;
    } catch {
      /* not JSON */
    }
    if (typeof code !== 'string') out.push(`${label}: ${o.status} without {error:{code}}: ${o.text.slice(0, 120)}`);
  }
  if (o.status >= 400 && o.changed.length) out.push(`${label}: refused with ${o.status} but changed ${o.changed.join(', ')}`);
  if (o.status >= 400 && o.filesAfter !== o.filesBefore) out.push(`${label}: refused with ${o.status} but left ${o.filesAfter - o.filesBefore} file(s) in uploads`);
  return out;
}

const pathWith = (op: Operation) => fillPath(op.path, validRequest(op).params);
const query = (req: Req) => (req.query ? `?${new URLSearchParams(req.query)}` : '');

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

describe('bad input (generated from /api/openapi.json)', () => {
  it('every route has an actor that gets past authorisation with its valid request', () => {
    // Otherwise the bad input below would only ever meet a 401/403.
    expect(ops.filter((o) => !actor.has(o.key)).map((o) => o.key)).toEqual([]);
    expect(jsonOps().length).toBeGreaterThan(15);
  });

  it('malformed JSON, wrong content types and bodies that are not objects', async () => {
    const found: string[] = [];
    for (const op of jsonOps()) {
      const path = pathWith(op);
      const raw = (body: BodyInit | undefined, contentType?: string) => (): { url: string; init: RequestInit } => ({
        url: path,
        init: { body, headers: contentType ? { 'content-type': contentType } : {} },
      });
      const cases: [string, () => { url: string; init: RequestInit }][] = [
        ['truncated JSON', raw('{"a": ', 'application/json')],
        ['trailing garbage', raw('{}}', 'application/json')],
        ['single quotes', raw("{'a': 1}", 'application/json')],
        ['empty body', raw('', 'application/json')],
        ['no body', raw(undefined)],
        ['not UTF-8', raw(new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]), 'application/json')],
        ['JSON as text/plain', raw(JSON.stringify(validRequest(op).json), 'text/plain')],
        ['JSON as a form', raw(JSON.stringify(validRequest(op).json), 'application/x-www-form-urlencoded')],
        ['multipart instead of JSON', () => ({ url: path, init: { body: (() => { const fd = new FormData(); fd.set('a', '1'); return fd; })() } })],
        ['array body', raw('[]', 'application/json')],
        ['null body', raw('null', 'application/json')],
        ['string body', raw('"x"', 'application/json')],
        ['number body', raw('42', 'application/json')],
        ['deep nesting', raw('['.repeat(5000) + ']'.repeat(5000), 'application/json')],
        ['100k-element array body', raw(JSON.stringify(Array.from({ length: 100_000 }, () => 1)), 'application/json')],
        ['__proto__ pollution', raw(`{"__proto__": {"roles": ["admin"]}, "constructor": {"prototype": {"admin": true}}}`, 'application/json')],
      ];
      // Without a body (and no content type) the validator sees {}: right only where {} is valid.
      const empty = await probe(op, () => ({ url: path, init: { json: {} } }));
      for (const [name, build] of cases) {
        const o = await probe(op, build);
        const lenient = name === 'no body' && o.status === empty.status;
        found.push(...problems(`${op.key} ${name}`, o, !lenient));
      }
    }
    expect(({} as any).roles).toBeUndefined();
    expect(found).toEqual([]);
  }, 60_000);

  it('wrong types, nulls, missing and extra fields', async () => {
    const found: string[] = [];
    for (const op of jsonOps()) {
      const schema = jsonSchemaOf(op);
      const valid = validRequest(op);
      const base = valid.json as Record<string, unknown>;
      if (!base || typeof base !== 'object' || Array.isArray(base)) continue;
      const path = pathWith(op) + query(valid);
      const withBody = (json: unknown) => () => ({ url: path, init: { json } });
      const required: string[] = schema.required ?? [];
      for (const [key, propSchema] of Object.entries<any>(schema.properties ?? {})) {
        const prop = deref(propSchema);
        for (const wrong of wrongTypeFor(prop)) {
          found.push(...problems(`${op.key} ${key}=${JSON.stringify(wrong)}`, await probe(op, withBody({ ...base, [key]: wrong })), true));
        }
        const anyValue = !prop.type && !prop.anyOf && !prop.oneOf && !prop.enum && !prop.$ref; // e.g. a quiz answer: null clears it
        const nullable = prop.nullable || (Array.isArray(prop.type) && prop.type.includes('null')) || anyValue;
        if (!nullable) found.push(...problems(`${op.key} ${key}=null`, await probe(op, withBody({ ...base, [key]: null })), true));
        if (required.includes(key)) {
          const { [key]: _, ...rest } = base;
          found.push(...problems(`${op.key} without ${key}`, await probe(op, withBody(rest)), true));
        }
        // one level down: arrays of the wrong items, objects with wrong members
        if (prop.type === 'array' && prop.items) {
          for (const wrong of wrongTypeFor(deref(prop.items))) {
            found.push(...problems(`${op.key} ${key}=[${JSON.stringify(wrong)}]`, await probe(op, withBody({ ...base, [key]: [wrong] })), true));
          }
        }
      }
      // An unknown field is refused, or ignored: the answer is the valid request's.
      const extra = await probe(op, withBody({ ...base, isAdmin: true, zzz: 'x' }));
      const expected = actor.get(op.key)!.status;
      found.push(...problems(`${op.key} extra fields`, extra, false));
      if (extra.status !== 400 && extra.status !== expected) found.push(`${op.key} extra fields: ${extra.status}, neither 400 nor the valid request's ${expected}`);
    }
    expect(found).toEqual([]);
  }, 60_000);

  it('huge strings and arrays: 413 above the body limit, a 4xx below it, never stored', async () => {
    const found: string[] = [];
    const mb = 'я'.repeat(MAX_JSON_BODY_BYTES / 2 + 10); // 2 bytes each in UTF-8: just over the limit
    for (const op of jsonOps()) {
      const schema = jsonSchemaOf(op);
      const valid = validRequest(op);
      const base = (valid.json ?? {}) as Record<string, unknown>;
      const path = pathWith(op) + query(valid);
      const over = await probe(op, () => ({ url: path, init: { json: { ...base, padding: mb } } }));
      found.push(...problems(`${op.key} 1 MB body`, over, true));
      // the staff import carries its file as base64 in JSON, under the upload limit: refused for the extra field instead
      const uploadSized = op.key === 'POST /api/hr/staff/imports';
      if (uploadSized ? over.status !== 400 : over.status !== 413) found.push(`${op.key} 1 MB body: ${over.status}, expected ${uploadSized ? 400 : 413}`);
      if (over.status === 413 && JSON.parse(over.text).error.code !== 'payload_too_large') found.push(`${op.key} 1 MB body: code ${over.text}`);
      for (const [key, propSchema] of Object.entries<any>(schema.properties ?? {})) {
        const prop = deref(propSchema);
        if (prop.type === 'string' && !prop.enum) {
          const big = 'ы'.repeat(400_000); // under the body limit, over any field's limit
          found.push(...problems(`${op.key} ${key}=400k chars`, await probe(op, () => ({ url: path, init: { json: { ...base, [key]: big } } })), !(prop.maxLength >= 400_000)));
        }
        if (prop.type === 'array') {
          const items = deref(prop.items) ?? {};
          const item = items.type === 'string' ? 'x' : items.type === 'array' ? [0, 1] : 1;
          const huge = Array.from({ length: 100_000 }, () => item);
          found.push(...problems(`${op.key} ${key}=[100k]`, await probe(op, () => ({ url: path, init: { json: { ...base, [key]: huge } } })), !(prop.maxItems >= 100_000)));
        }
      }
    }
    expect(found).toEqual([]);
  }, 60_000);

  it('odd Unicode in every string field: combining marks, RTL override, NUL, lone surrogates, zero-width', async () => {
    const odd = [
      'а\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301',
      '\u202Efdp.exe',
      'a\u0000b',
      '\ud800',
      'x\udfff\ud800y',
      '\u200B\u200C\u200D\uFEFF',
      '👩‍👩‍👧‍👦🇰🇬',
      '\u0000',
      'e\u0301'.repeat(300),
    ];
    const found: string[] = [];
    for (const op of jsonOps()) {
      const schema = jsonSchemaOf(op);
      const valid = validRequest(op);
      const base = (valid.json ?? {}) as Record<string, unknown>;
      const path = pathWith(op) + query(valid);
      for (const [key, propSchema] of Object.entries<any>(schema.properties ?? {})) {
        const prop = deref(propSchema);
        if (prop.type !== 'string' && !(Array.isArray(prop.type) && prop.type.includes('string'))) continue;
        // Each sign-in costs an argon2 verification (~0.1–0.5 s): three of the values are enough there.
        for (const s of op.key === 'POST /api/auth/login' ? [odd[1]!, odd[2]!, odd[3]!] : odd) {
          // Accepted or refused, but never a crash, and a refusal stores nothing.
          found.push(...problems(`${op.key} ${key}=${JSON.stringify(s).slice(0, 30)}`, await probe(op, () => ({ url: path, init: { json: { ...base, [key]: s } } })), false));
        }
      }
    }
    expect(found).toEqual([]);
  }, 60_000);

  it('path parameters: traversal, encoded slashes, NUL, numbers that are not ids, very long values', async () => {
    const tricks = [
      '..%2F..%2Fetc%2Fpasswd', '%2e%2e', '%252e%252e%252f', '..%5C..%5Cwindows', '%00', 'a%00.pdf', '-1', '0', '1.5',
      '1e3', '0x10', '9'.repeat(40), 'x'.repeat(5000), '%E2%80%AE1', '%C0%AE%C0%AE', '%ED%A0%80', '%ZZ',
    ];
    const found: string[] = [];
    for (const op of ops.filter((o) => o.path.includes('{'))) {
      const valid = validRequest(op);
      const names = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
      for (const name of names) {
        for (const trick of tricks) {
          const url = op.path.replace(/\{(\w+)\}/g, (_, n: string) => (n === name ? trick : encodeURIComponent(String(valid.params?.[n] ?? 999999))));
          const o = await probe(op, () => ({ url, init: valid.json !== undefined ? { json: valid.json } : {} }));
          found.push(...problems(`${op.key} ${name}=${trick.slice(0, 40)}`, o, false));
          // a trick never reaches the valid resource
          if (o.status < 400 && !['0', '1.5', '1e3', '0x10'].includes(trick) && name !== 'slug' && name !== 'code') {
            found.push(`${op.key} ${name}=${trick}: accepted with ${o.status}`);
          }
        }
      }
    }
    expect(found).toEqual([]);
  }, 60_000);

  it('query parameters: unknown values, repeats, huge and odd values', async () => {
    const found: string[] = [];
    // as they go into the URL (already encoded where they need to be)
    const values = ['zzz', '', '-1', '99999999999999999999', 'x'.repeat(20_000), '..%2F..%2Fetc%2Fpasswd', '%00', '%E2%80%AE', '%ED%A0%80', '%ZZ', '2026-02-30', '%7B%22%24gt%22%3A%22%22%7D', 'a%26b%3Dc'];
    for (const op of ops) {
      const params = (op.op.parameters ?? []).filter((p) => p.in === 'query');
      if (!params.length) continue;
      const path = pathWith(op);
      for (const p of params) {
        const schema = deref(p.schema) ?? {};
        // What the parameter's schema rules out must be refused, not quietly read as something else.
        const mustRefuse = (v: string) =>
          (schema.enum && !schema.enum.includes(v) && v !== '') ||
          (schema.type === 'integer' && ['zzz', '-1', '99999999999999999999', '1.5'].includes(v)) ||
          (/example|date/i.test(JSON.stringify(schema)) && /\d{4}-\d{2}-\d{2}/.test(JSON.stringify(schema.example ?? '')) && ['zzz', '2026-02-30'].includes(v));
        for (const v of [...values, '1.5']) {
          const o = await probe(op, () => ({ url: `${path}?${p.name}=${v}`, init: {} }));
          found.push(...problems(`${op.key} ?${p.name}=${v.slice(0, 30)}`, o, !!mustRefuse(v)));
        }
        const repeated = await probe(op, () => ({ url: `${path}?${p.name}=a&${p.name}=b`, init: {} }));
        found.push(...problems(`${op.key} ?${p.name} twice`, repeated, false));
      }
      const unknown = await probe(op, () => ({ url: `${path}?zzz=1&__proto__[x]=1`, init: {} }));
      found.push(...problems(`${op.key} unknown query`, unknown, false));
    }
    expect(found).toEqual([]);
  }, 60_000);

  it('the range header of media: nonsense ranges get 416 or the whole file, never a crash', async () => {
    const op = ops.find((o) => o.key === 'GET /api/media/{sha256}')!;
    const found: string[] = [];
    for (const range of ['bytes=abc', 'bytes=999999999999999999999-', 'bytes=5-1', 'bytes=0-1,2-3', 'bytes=-0', 'bytes=-99999999', 'items=0-1', 'x'.repeat(300)]) {
      const o = await probe(op, () => ({ url: fillPath(op.path, { sha256: f.mediaSha }), init: { headers: { range } } }));
      found.push(...problems(`media range ${range.slice(0, 30)}`, o, false));
    }
    expect(found).toEqual([]);
  });
});

describe('bad uploads (multipart: POST /api/records/outside)', () => {
  const op = () => ops.find((o) => o.key === 'POST /api/records/outside')!;
  const upload = (fields: Record<string, string>, file?: { bytes: Uint8Array; name: string; type?: string }) => () => {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.set(k, v);
    if (file) form.set('scan', new File([new Uint8Array(file.bytes)], file.name, { type: file.type ?? 'application/pdf' }));
    return { url: '/api/records/outside', init: { body: form } };
  };

  it('file names with path tricks are never used as paths: the file is stored under our own name', async () => {
    const names = ['../../../../etc/passwd.pdf', '..\\..\\boot.ini', 'a\u0000.pdf', '\u202Efdp.exe', '%2e%2e%2fx.pdf', '/abs/path.pdf', 'C:\\x.pdf', 'n'.repeat(5000) + '.pdf', 'CON'];
    const found: string[] = [];
    for (const name of names) {
      const o = await probe(op(), upload(outsideFields(), { bytes: PDF_BYTES, name }));
      found.push(...problems(`scan named ${JSON.stringify(name.slice(0, 30))}`, o, false));
      if (o.status !== 201) found.push(`scan named ${JSON.stringify(name.slice(0, 30))}: ${o.status} ${o.text}`);
    }
    expect(found).toEqual([]);
    expect(readdirSync(UPLOADS).filter((n) => !/^[0-9a-f]{32}\.(pdf|jpg|png)$/.test(n))).toEqual([]);
  });

  it('a refused form leaves no file behind and stores nothing', async () => {
    const scan = { bytes: PDF_BYTES, name: 'scan.pdf' };
    const cases: [string, Record<string, string>, typeof scan | undefined, number][] = [
      ['end before start', outsideFields({ startDate: '2025-04-15', endDate: '2025-04-14' }), scan, 400],
      ['in the future', outsideFields({ startDate: '2099-01-01', endDate: '2099-01-02' }), scan, 400],
      ['another body’s servant', outsideFields({ userId: '999999' }), scan, 404],
      ['hours not a number', outsideFields({ hours: 'много' }), scan, 400],
      ['impossible day', outsideFields({ startDate: '2025-02-30' }), scan, 400],
      ['title missing', (({ title: _, ...rest }) => rest)(outsideFields()), scan, 400],
      ['unknown kind', outsideFields({ kind: 'party' }), scan, 400],
      ['title of NUL', outsideFields({ title: '\u0000\u0000\u0000' }), scan, 400],
      ['control characters in the provider', outsideFields({ provider: 'ПРО\u0007ОН\u001b[2J' }), scan, 400],
      ['a line break in the order number', outsideFields({ orderNumber: '45\nк' }), scan, 400],
      ['an executable', outsideFields(), { bytes: new Uint8Array([0x4d, 0x5a, 0x90, 0x00]), name: 'scan.pdf' }, 415],
      ['a PDF too large', outsideFields(), { bytes: new Uint8Array(5 * 1024 * 1024 + 1).fill(0x25), name: 'big.pdf' }, 413],
    ];
    const found: string[] = [];
    for (const [name, fields, file, status] of cases) {
      const o = await probe(op(), upload(fields, file));
      found.push(...problems(name, o, true));
      if (o.status !== status) found.push(`${name}: ${o.status} ${o.text}, expected ${status}`);
    }
    expect(found).toEqual([]);
  });

  it('extra form fields cannot verify one’s own training or change who made it', async () => {
    const fields = outsideFields({ status: 'verified', verifiedBy: '1', createdBy: '999', scanFile: '../../etc/passwd', id: '1' });
    const o = await probe(op(), upload(fields, { bytes: PDF_BYTES, name: 'scan.pdf' }));
    expect(o.status).toBe(201);
    expect(JSON.parse(o.text).status).toBe('pending');
  });

  it('JSON or a bare body sent to the upload route is refused', async () => {
    const found: string[] = [];
    for (const [name, init] of [
      ['json', { json: outsideFields() }],
      ['text', { body: 'kind=seminar', headers: { 'content-type': 'text/plain' } }],
      ['multipart without boundary', { body: 'x', headers: { 'content-type': 'multipart/form-data' } }],
      ['broken multipart', { body: '--b\r\nContent-Disposition: form-data; name="kind"\r\n\r\nseminar', headers: { 'content-type': 'multipart/form-data; boundary=b' } }],
    ] as [string, RequestInit & { json?: unknown }][]) {
      found.push(...problems(name, await probe(op(), () => ({ url: '/api/records/outside', init })), true));
    }
    expect(found).toEqual([]);
  });
});
