import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port';

/**
 * The built server with SERVER_PROCESSES=2 (server/entry.ts), on its own database and port: both
 * serving processes answer, they share sign-ins and the sign-in throttle through the database, a
 * serving process that dies is replaced, and SIGTERM stops them all.
 */
let dir: string;
let server: ChildProcess;
let port: number;
const DEMO_PASSWORD = 'demo-password-2026';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bilim-processes-'));
  const env = { ...process.env, DATABASE_URL: join(dir, 'p.sqlite'), NODE_ENV: 'test', HOST: '127.0.0.1' };
  execFileSync('npx', ['tsx', 'db/setup.ts'], { env, stdio: 'pipe' });
  port = await freePort();
  server = spawn(process.execPath, ['dist/server/entry.mjs'], { env: { ...env, PORT: String(port), SERVER_PROCESSES: '2' }, stdio: ['ignore', 'pipe', 'pipe'] });
  await until(async () => serving().length === 2 && (await request('GET', '/api/health')).status === 200);
}, 60_000);

afterAll(() => {
  server?.kill('SIGKILL');
  for (const pid of serving()) process.kill(pid, 'SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** The serving processes the first one started. */
function serving(): number[] {
  try {
    return readFileSync(`/proc/${server.pid}/task/${server.pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** One request on a new connection, so that the connections go round the serving processes. */
function request(method: string, path: string, opts: { cookie?: string; json?: unknown } = {}): Promise<{ status: number; body: string; cookie?: string }> {
  return new Promise((resolve, reject) => {
    const payload = opts.json === undefined ? undefined : JSON.stringify(opts.json);
    const headers: Record<string, string> = { origin: `http://127.0.0.1:${port}`, connection: 'close' };
    if (opts.cookie) headers.cookie = opts.cookie;
    if (payload) headers['content-type'] = 'application/json';
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
