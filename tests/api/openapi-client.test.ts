/**
 * The OpenAPI document as an integrator uses it: every operation has an operationId and states its
 * security (session cookie, bearer token, or none), response headers such as X-Next-Since are
 * declared, every pattern matches the values the API really gives, and a typed client generated from
 * the live document with openapi-typescript compiles — and refuses a wrong field.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import openapiTS, { astToString } from 'openapi-typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { call, getDb, signIn, withDemo } from '../helpers';
import { courses, users } from '@db/schema';
import { importCourseLibrary } from '@server/modules/catalog/service';
import { issueCertificate } from '@server/modules/certificates/service';
import { issueToken } from '@server/modules/auth/tokens';
import { operationIdOf } from '@server/app';

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];
let doc: any;
const dir = mkdtempSync(join(tmpdir(), 'bilim-openapi-client-'));

beforeAll(async () => {
  await withDemo();
  const db = getDb();
  importCourseLibrary(db, 'tests/fixtures/courses');
  const course = db.select().from(courses).where(eq(courses.slug, 'ru-digital')).get()!;
  const learner = db.select().from(users).where(eq(users.email, 'learner@demo.kg')).get()!;
  issueCertificate(db, { userId: learner.id, courseId: course.id, sourceRef: 'openapi:1', completedAt: new Date('2026-03-01T10:00:00Z') });
  doc = await (await call('/api/openapi.json')).json();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const operations = () =>
  Object.entries<any>(doc.paths).flatMap(([path, item]) =>
    Object.entries<any>(item).filter(([m]) => METHODS.includes(m)).map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, path, op })),
  );

/** Every schema (with the path to it) in the document, depth first. */
function* schemas(node: any, at = ''): Generator<{ at: string; s: any }> {
  if (!node || typeof node !== 'object') return;
  if (typeof node.pattern === 'string') yield { at, s: node };
  for (const [k, v] of Object.entries(node)) yield* schemas(v, `${at}/${k}`);
}

/** The pattern of a path parameter of an operation. */
const paramPattern = (path: string, method: string, name: string): RegExp => {
  const p = doc.paths[path][method].parameters.find((x: any) => x.name === name);
  return new RegExp(p.schema.pattern, 'u');
};

describe('OpenAPI document', () => {
  it('gives every operation a unique operationId and its security, with only declared schemes', () => {
    const ops = operations();
    expect(ops.length).toBeGreaterThan(100);
    const schemes = Object.keys(doc.components.securitySchemes);
    expect(schemes.sort()).toEqual(['bearerToken', 'sessionCookie']);
    const problems: string[] = [];
    const ids = new Set<string>();
    for (const { key, op } of ops) {
      if (typeof op.operationId !== 'string' || !/^[A-Za-z][A-Za-z0-9]*$/.test(op.operationId)) problems.push(`${key}: operationId ${op.operationId}`);
      else if (ids.has(op.operationId)) problems.push(`${key}: operationId ${op.operationId} twice`);
      ids.add(op.operationId);
      if (!Array.isArray(op.security)) problems.push(`${key}: no security`);
      for (const req of op.security ?? []) for (const name of Object.keys(req)) if (!schemes.includes(name)) problems.push(`${key}: unknown scheme ${name}`);
    }
    expect(problems).toEqual([]);
  });

  it('names the public operations public, the export open to bearer tokens, and everything else behind the session', () => {
    const op = (method: string, path: string) => doc.paths[path][method];
    expect(op('get', '/api/health').security).toEqual([]);
    expect(op('post', '/api/auth/login').security).toEqual([]);
    expect(op('get', '/api/certificates/{code}/verify').security).toEqual([]);
    expect(op('get', '/api/hr/export/completions').security).toEqual([{ sessionCookie: [] }, { bearerToken: [] }]);
    expect(op('get', '/api/hr/staff').security).toEqual([{ sessionCookie: [] }]);
    expect(op('get', '/api/hr/staff/{id}').operationId).toBe('getHrStaffById');
    expect(operationIdOf('post', '/me/notifications/read-all')).toBe('postMeNotificationsReadAll');
    expect(operationIdOf('get', '/me/record.pdf')).toBe('getMeRecordPdf');
    // a bearer token opens only the operations that list bearerToken
    const bearerOps = operations().filter(({ op }) => op.security?.some((r: any) => 'bearerToken' in r)).map((o) => o.key);
    expect(bearerOps).toEqual(['GET /api/hr/export/completions']);
  });

  it('declares the response headers integrations read (X-Next-Since, X-Total-Count)', async () => {
    const exportOk = doc.paths['/api/hr/export/completions'].get.responses['200'];
    expect(exportOk.headers['X-Next-Since'].schema.pattern).toBe('^\\d+$');
    expect(doc.paths['/api/hr/staff'].get.responses['200'].headers['X-Total-Count']).toBeDefined();
    // and the real header matches the declared pattern
    const { token } = issueToken(getDb(), { id: getDb().select().from(users).where(eq(users.email, 'admin@demo.kg')).get()!.id }, { name: 'openapi', scopes: ['export:read'], expiresInDays: 1 });
    const res = await call('/api/hr/export/completions', { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    const next = res.headers.get('x-next-since')!;
    expect(next).toMatch(new RegExp(exportOk.headers['X-Next-Since'].schema.pattern));
    expect((await res.json()).next_since).toBe(next);
  });

  it('has patterns that compile, that their examples match, and that real values match', async () => {
    const bad: string[] = [];
    for (const { at, s } of schemas(doc)) {
      let re: RegExp;
      try {
        re = new RegExp(s.pattern, 'u');
      } catch {
        bad.push(`${at}: pattern ${s.pattern} does not compile`);
        continue;
      }
      for (const example of [s.example, ...(s.examples ?? [])]) {
        if (typeof example === 'string' && !re.test(example)) bad.push(`${at}: example ${example} does not match ${s.pattern}`);
      }
    }
    expect(bad).toEqual([]);
    // the certificate link the API hands out is a value of the certificate file parameter
    const learner = await signIn('learner@demo.kg');
    const mine = (await (await call('/api/me/certificates', { cookie: learner })).json()) as any;
    const pdf: string = mine.certificates[0].pdf;
    const file = decodeURIComponent(pdf.split('/').pop()!);
    expect(file).toMatch(paramPattern('/api/certificates/{file}', 'get', 'file'));
    expect((await call(pdf, { cookie: learner })).status).toBe(200);
  });

  it('generates a typed client with openapi-typescript that compiles, and whose types refuse a wrong field', async () => {
    const types = astToString(await openapiTS(doc));
    writeFileSync(join(dir, 'api.d.ts'), types);
    const usage = (body: string) => `import type { paths, operations, components } from './api';
type ExportRow = paths['/api/hr/export/completions']['get']['responses'][200]['content']['application/json']['rows'][number];
type ExportQuery = NonNullable<operations['exportCompletions']['parameters']['query']>;
type NextSince = paths['/api/hr/export/completions']['get']['responses'][200]['headers']['X-Next-Since'];
type Login = NonNullable<paths['/api/auth/login']['post']['requestBody']>['content']['application/json'];
type Err = components['schemas']['Error'];
export function pull(since: ExportQuery['since'], row: ExportRow, next: NextSince, login: Login, err: Err) {
  const pin: string | null = row.personal_number;
  const org: string | null = row.organisation_code;
  const email: string = login.email;
  const code: string = err.error.code;
  ${body}
  return [since, pin, org, next, email, code];
}
`;
    const check = (body: string) => {
      writeFileSync(join(dir, 'use.ts'), usage(body));
      const program = ts.createProgram([join(dir, 'use.ts')], { strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, skipLibCheck: true, types: [] });
      return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    };
    expect(check('')).toEqual([]);
    // not `any`: a field the export does not have is an error
    const wrong = check('const no: string = row.no_such_field;');
    expect(wrong.join('\n')).toMatch(/no_such_field/);
  }, 60_000);
});
