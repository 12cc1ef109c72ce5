/**
 * Incremental export with several serving processes and a clock that steps back: two real server
 * processes (tests/support/api-server.ts) share one WAL database file; HR officers verify and reject
 * outside trainings through both as fast as they answer, and one process's clock jumps three hours
 * back in the middle (tests/support/clock-step.ts). Meanwhile an integration pulls the completions
 * export with its cursor (`since` = the previous `next_since`, bearer token), alternately from
 * either process. Replaying the pulls gives exactly the final export: no change missed, none
 * returned twice, every acknowledged decision seen — although the timestamps go backwards.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { connectionOf, openDatabase } from '@db/client';
import { users } from '@db/schema';
import { seedDemo } from '@scripts/seed';
import { createSession } from '@server/modules/auth/service';
import { issueToken } from '@server/modules/auth/tokens';

const dir = mkdtempSync(join(tmpdir(), 'bilim-export-seq-'));
const file = join(dir, 'seq.sqlite');
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** A server process on the shared file, with a clock that steps back on SIGUSR2. */
async function serverProcess(): Promise<{ child: ChildProcess; base: string; out: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--import', './tests/support/clock-step.ts', 'tests/support/api-server.ts'], {
    env: { ...process.env, DATABASE_URL: file, PORT: '0', NODE_ENV: 'test', UPLOADS_DIR: join(dir, 'uploads') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  const port = await new Promise<string>((resolve, reject) => {
    child.on('exit', (code) => reject(new Error(`server exited (${code}): ${err}`)));
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /listening (\d+)/.exec(out);
      if (m) resolve(m[1]!);
    });
  });
  return { child, base: `http://127.0.0.1:${port}`, out: () => out };
}

type Row = { record_id: string; status: 'active' | 'revoked' | 'rejected'; change_seq: number; updated_at: string };

describe('incremental export with two serving processes and a clock that steps back', () => {
  it('never misses or repeats a change', async () => {
    // The database: demo data, an HR officer's session, an integration's token.
    const db = openDatabase(file);
    await seedDemo(db);
    const idOf = (email: string) => db.select().from(users).where(eq(users.email, email)).get()!.id;
    const hr = `bilim_session=${createSession(db, idOf('hr@demo.kg')).token}`;
    const servantIds = ['learner@demo.kg'].map(idOf);
    const { token } = issueToken(db, { id: idOf('admin@demo.kg') }, { name: 'e-Kyzmat', scopes: ['export:read'], expiresInDays: 1 });
    connectionOf(db).close();

    const [a, b] = await Promise.all([serverProcess(), serverProcess()]);

    // The integration's cursor, and every row it has been given.
    let cursor: string | undefined;
    const pulled: Row[] = [];
    const pulls: { since: number; next: number; rows: Row[] }[] = [];
    let n = 0;
    const pull = async () => {
      const server = n++ % 2 === 0 ? a : b;
      const url = `${server.base}/api/hr/export/completions?format=json${cursor === undefined ? '' : `&since=${cursor}`}`;
      const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { rows: Row[]; next_since: string };
      expect(res.headers.get('x-next-since')).toBe(body.next_since);
      if (cursor !== undefined) {
        pulls.push({ since: Number(cursor), next: Number(body.next_since), rows: body.rows });
        pulled.push(...body.rows);
      }
      cursor = body.next_since;
      return body.rows;
    };
    await pull(); // the first full load (empty: nothing verified yet)

    // Writers: on each process two HR loops add an outside training for a servant, verify it, and
    // reject every third one again (a removal the receiving system must see).
    const verified = new Set<string>();
    const rejected = new Set<string>();
    const send = async (base: string, path: string, init: RequestInit) => {
      const res = await fetch(`${base}${path}`, { ...init, headers: { ...(init.headers as object), origin: base, cookie: hr } });
      const body = (await res.json()) as any;
      if (res.status >= 300) throw new Error(`${path}: ${res.status} ${JSON.stringify(body)}`);
      return body;
    };
    const ROUNDS = 10;
    const HALF = ROUNDS / 2;
    // Halfway, process B's clock steps three hours back: loop a1 sends the signal and waits until B
    // says so; B's loops wait for that before their second half, so that B certainly decides after the
    // step (its loops may otherwise finish before a1 is halfway on a busy machine).
    let stepDone!: () => void;
    const stepped = new Promise<void>((resolve) => (stepDone = resolve));
    const stepBack = async () => {
      b.child.kill('SIGUSR2');
      for (let waited = 0; !b.out().includes('clock stepped back'); waited += 10) {
        if (waited > 10_000) throw new Error('process B never stepped its clock back');
        await new Promise((r) => setTimeout(r, 10));
      }
      stepDone();
    };
    const writer = async (base: string, loop: string) => {
      for (let i = 0; i < ROUNDS; i++) {
        if (i === HALF && loop === 'a1') await stepBack();
        if (i === HALF && base === b.base) await stepped;
        const form = new FormData();
        const fields = { userId: String(servantIds[i % servantIds.length]), kind: 'seminar', term: 'short', funding: 'donor', title: `Семинар ${loop}-${i}`, provider: 'ПРООН', hours: '8', startDate: '2026-02-02', endDate: '2026-02-03' };
        for (const [k, v] of Object.entries(fields)) form.set(k, v);
        const added = await send(base, '/api/records/outside', { method: 'POST', body: form });
        const review = (status: string) =>
          send(base, `/api/hr/records/${added.id}/review`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ status, ...(status === 'rejected' ? { reason: 'Буйрук туура эмес' } : {}) }) });
        await review('verified');
        verified.add(`outside:${added.id}`);
        if (i % 3 === 2) {
          await review('rejected');
          rejected.add(`outside:${added.id}`);
        }
      }
    };
    let writing = true;
    const reader = (async () => {
      while (writing) {
        await pull();
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    await Promise.all([writer(a.base, 'a1'), writer(a.base, 'a2'), writer(b.base, 'b1'), writer(b.base, 'b2')]);
    writing = false;
    await reader;
    await pull(); // after the last write
    expect(b.out()).toContain('clock stepped back');

    // No repeats: a change (record, sequence number) comes once, inside the window of its pull.
    const keys = pulled.map((r) => `${r.record_id}@${r.change_seq}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const p of pulls) for (const r of p.rows) expect(r.change_seq > p.since && r.change_seq <= p.next, `${r.record_id} seq ${r.change_seq} in (${p.since}, ${p.next}]`).toBe(true);
    const seqs = pulled.map((r) => r.change_seq);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    expect(pulls.length).toBeGreaterThan(3);

    // Nothing missed: replaying the pulls (upsert active, delete rejected/revoked) gives the full export.
    const replay = new Map<string, Row>();
    for (const r of pulled) r.status === 'active' ? replay.set(r.record_id, r) : replay.delete(r.record_id);
    const full = (await (await fetch(`${a.base}/api/hr/export/completions?format=json`, { headers: { authorization: `Bearer ${token}` } })).json()) as { rows: Row[] };
    expect([...replay.keys()].sort()).toEqual(full.rows.map((r) => r.record_id).sort());
    expect(full.rows.map((r) => r.record_id).sort()).toEqual([...verified].filter((id) => !rejected.has(id)).sort());
    // every acknowledged rejection reached the integration as a removal
    for (const id of rejected) expect(pulled.some((r) => r.record_id === id && r.status === 'rejected'), id).toBe(true);
    expect(verified.size).toBe(4 * ROUNDS);

    // The timestamps went backwards (process B's decisions after the step carry earlier times than
    // earlier decisions), so a wall-clock cursor would have missed them; the sequence did not.
    const backwards = pulled.some((r, i) => pulled.slice(0, i).some((p) => p.updated_at > r.updated_at));
    expect(backwards).toBe(true);

    // A cursor reused after the end gives nothing new.
    expect(await pull()).toEqual([]);
  }, 180_000);
});
