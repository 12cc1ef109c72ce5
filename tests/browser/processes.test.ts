import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port';

/**
 * The built server with SERVER_PROCESSES=2 (server/entry.ts), on its own database and port: both
 * serving processes answer, they share sign-ins and the sign-in throttle through the database, two
 * writes racing for one slug give one row and a 409, a serving process that dies is replaced, and
 * SIGTERM stops them all.
 */
let dir: string;
let server: ChildProcess;
let port: number;
const DEMO_PASSWORD = 'demo-password-2026';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bilim-processes-'));
  const env = { ...process.env, DATABASE_URL: join(dir, 'p.sqlite'), NODE_ENV: 'test', HOST: '127.0.0.1' };
  execFileSync('npx', ['tsx', 'scripts/setup.ts'], { env, stdio: 'pipe' });
  port = await freePort();
  server = spawn(process.execPath, ['dist/server/entry.mjs'], { env: { ...env, PORT: String(port), SERVER_PROCESSES: '2' }, stdio: ['ignore', 'pipe', 'pipe'] });
  await until(async () => serving().length === 2 && (await request('GET', '/api/health')).status === 200);
}, 60_000);

afterAll(() => {
  server?.kill('SIGKILL');
  for (const pid of serving()) process.kill(pid, 'SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** Rows of a query on the server's database (read-only, beside the running server). */
function audit(sql: string): Record<string, any>[] {
  const db = new Database(join(dir, 'p.sqlite'), { readonly: true });
  try {
    return db.prepare(sql).all() as Record<string, any>[];
  } finally {
    db.close();
  }
}

/** The serving processes the first one started. */
function serving(): number[] {
  try {
    return readFileSync(`/proc/${server.pid}/task/${server.pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** One request on a new connection, so that the connections go round the serving processes. */
function request(method: string, path: string, opts: { cookie?: string; json?: unknown; form?: Record<string, string>; headers?: Record<string, string> } = {}): Promise<{ status: number; body: string; cookie?: string }> {
  return new Promise((resolve, reject) => {
    const payload = opts.json !== undefined ? JSON.stringify(opts.json) : opts.form ? new URLSearchParams(opts.form).toString() : undefined;
    const headers: Record<string, string> = { origin: `http://127.0.0.1:${port}`, connection: 'close', ...opts.headers };
    if (opts.cookie) headers.cookie = opts.cookie;
    if (opts.json !== undefined) headers['content-type'] = 'application/json';
    if (opts.form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const req = http.request({ host: '127.0.0.1', port, method, path, headers, agent: false }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, cookie: res.headers['set-cookie']?.[0]?.split(';')[0] }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

describe('serving with two processes (SERVER_PROCESSES=2)', () => {
  it('signs in on one process and is signed in on every one', async () => {
    const login = await request('POST', '/api/auth/login', { json: { email: 'learner@demo.kg', password: DEMO_PASSWORD } });
    expect(login.status).toBe(200);
    for (let i = 0; i < 6; i++) expect((await request('GET', '/api/me', { cookie: login.cookie })).status).toBe(200);
    expect((await request('GET', '/ky/courses')).status).toBe(200);
  });

  it('throttles sign-ins across the processes: failures on any of them count together', async () => {
    for (let i = 0; i < 5; i++) expect((await request('POST', '/api/auth/login', { json: { email: 'reviewer@demo.kg', password: 'wrong-password' } })).status).toBe(401);
    // Counted per process, each would have seen only two or three failures and let these through.
    for (let i = 0; i < 2; i++) expect((await request('POST', '/api/auth/login', { json: { email: 'reviewer@demo.kg', password: DEMO_PASSWORD } })).status).toBe(429);
  }, 30_000);

  it('200 simultaneous wrong guesses over both processes: at most 5 passwords are checked', async () => {
    const guesses = await Promise.all(
      Array.from({ length: 200 }, (_, i) => request('POST', '/api/auth/login', { json: { email: 'trainer@demo.kg', password: `guess-number-${i}` } })),
    );
    const statuses = guesses.map((g) => g.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(195);
    // one audit entry per checked password
    expect(audit("SELECT count(*) AS n FROM audit_log WHERE action = 'auth.login_failed' AND json_extract(details, '$.email') = 'trainer@demo.kg'")[0]!.n).toBe(5);
  }, 60_000);

  it('the sign-in page and the API record the socket address, not an X-Forwarded-For the client made up', async () => {
    const spoof = { 'x-forwarded-for': '198.51.100.77', 'x-forwarded-proto': 'https' };
    const page = await request('POST', '/ky/login', { form: { email: 'ayil@demo.kg', password: 'wrong-password-1' }, headers: spoof });
    expect(page.status).toBe(400);
    const api = await request('POST', '/api/auth/login', { json: { email: 'ayil@demo.kg', password: 'wrong-password-2' }, headers: spoof });
    expect(api.status).toBe(401);
    const ips = audit("SELECT ip FROM audit_log WHERE action = 'auth.login_failed' AND json_extract(details, '$.email') = 'ayil@demo.kg'").map((r) => r.ip);
    expect(ips).toEqual(['127.0.0.1', '127.0.0.1']);
    // …and a client's own X-Forwarded-Proto does not make the server think it is behind HTTPS
    const ok = await request('POST', '/api/auth/login', { json: { email: 'ayil@demo.kg', password: DEMO_PASSWORD }, headers: spoof });
    expect(ok.status).toBe(200);
    expect(ok.cookie).toBeDefined();
  }, 30_000);

  it('copies of a published course under one slug, sent at once to both processes: one draft, every other answer 409 slug_taken', async () => {
    // (an administrator: the trainer's sign-ins are throttled by the test above)
    const login = await request('POST', '/api/auth/login', { json: { email: 'admin@demo.kg', password: DEMO_PASSWORD } });
    expect(login.status).toBe(200);
    const answers = await Promise.all(
      Array.from({ length: 12 }, () => request('POST', '/api/author/courses/anti-corruption/copy', { cookie: login.cookie, json: { slug: 'anti-corruption-race' } })),
    );
    // (a deferred transaction that read before the other's commit could not write: a 500, not a 409)
    expect(answers.map((a) => a.status).sort()).toEqual([201, ...Array(11).fill(409)]);
    for (const a of answers.filter((x) => x.status === 409)) expect(JSON.parse(a.body)).toEqual({ error: { code: 'slug_taken', field: 'slug' } });
    expect(audit("SELECT count(*) AS n FROM course_drafts WHERE slug = 'anti-corruption-race'")[0]!.n).toBe(1);
  }, 60_000);

  it('opening a published course for editing, sent at once to both processes: one draft, every answer that same draft', async () => {
    const login = await request('POST', '/api/auth/login', { json: { email: 'admin@demo.kg', password: DEMO_PASSWORD } });
    expect(login.status).toBe(200);
    const answers = await Promise.all(
      Array.from({ length: 12 }, () => request('POST', '/api/author/courses/digital-literacy-and-security/draft', { cookie: login.cookie })),
    );
    // (a deferred transaction that read "no draft yet" before the other's commit could not insert: a 500)
    expect(answers.map((a) => a.status)).toEqual(Array(12).fill(200));
    expect(new Set(answers.map((a) => JSON.parse(a.body).id)).size).toBe(1);
    expect(audit("SELECT count(*) AS n FROM course_drafts WHERE slug = 'digital-literacy-and-security'")[0]!.n).toBe(1);
    expect(audit("SELECT count(*) AS n FROM audit_log WHERE action = 'course.draft_created' AND json_extract(details, '$.slug') = 'digital-literacy-and-security'")[0]!.n).toBe(1);
  }, 60_000);

  it('replaces a serving process that dies', async () => {
    const [victim, survivor] = serving();
    process.kill(victim!, 'SIGKILL');
    await until(() => serving().length === 2 && !serving().includes(victim!), 20_000);
    expect(serving()).toContain(survivor);
    for (let i = 0; i < 4; i++) expect((await request('GET', '/api/health')).status).toBe(200);
  }, 30_000);

  it('stops every process on SIGTERM', async () => {
    const pids = serving();
    const exited = new Promise<number | null>((r) => server.once('exit', (code) => r(code)));
    server.kill('SIGTERM');
    expect(await exited).toBe(0);
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow(); // gone
  }, 30_000);
});

async function until(check: () => boolean | Promise<boolean>, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // not ready yet
    }
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}
