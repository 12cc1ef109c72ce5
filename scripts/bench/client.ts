/**
 * What every bench that drives the production server over HTTP shares (index.ts, attestation-session.ts):
 * the request helper on keep-alive loopback connections, timed requests grouped by kind with their
 * percentiles, waiting for the server to answer, and the server's memory and CPU from /proc.
 */
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';

export type Res = { status: number; body: string; /** the first Set-Cookie as `name=value` */ cookie?: string; setCookie: string[] };
export type RequestOptions = { cookie?: string; json?: unknown };
export type Timings = { samples: number[]; errors: number; firstError?: string };
export type Row = { kind: string; n: number; rate: number; p50: number; p95: number; p99: number; errors: number; firstError?: string };

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A client of the server on 127.0.0.1:`port`; requests carry the Origin header of that address. */
export function benchClient(port: number) {
  const origin = `http://127.0.0.1:${port}`;
  // Loopback HTTP with keep-alive connections (as browsers keep theirs).
  // Idle sockets are dropped after 4 s, before the server's 5 s keep-alive timeout closes them.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256, timeout: 4_000 });

  function send(method: string, path: string, opts: RequestOptions): Promise<Res & { retry?: boolean }> {
    return new Promise((resolve) => {
      const headers: Record<string, string> = { origin };
      if (opts.cookie) headers.cookie = opts.cookie;
      let payload: string | undefined;
      if (opts.json !== undefined) {
        payload = JSON.stringify(opts.json);
        headers['content-type'] = 'application/json';
        headers['content-length'] = String(Buffer.byteLength(payload));
      }
      const req = http.request({ host: '127.0.0.1', port, method, path, headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const setCookie = res.headers['set-cookie'] ?? [];
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), cookie: setCookie[0]?.split(';')[0], setCookie });
        });
        res.on('error', () => resolve({ status: 0, body: '', setCookie: [] }));
      });
      req.on('error', (e: NodeJS.ErrnoException) => resolve({ status: 0, body: String(e), setCookie: [], retry: req.reusedSocket && e.code === 'ECONNRESET' }));
      req.end(payload);
    });
  }

  /**
   * One request. Like a browser, it sends again once when a reused keep-alive connection turns out to
   * have been closed by the server before any answer (ECONNRESET on a reused socket: nothing was
   * processed; answer saves are idempotent by seq anyway).
   */
  async function request(method: string, path: string, opts: RequestOptions = {}): Promise<Res> {
    const first = await send(method, path, opts);
    return first.retry ? send(method, path, opts) : first;
  }

  /** Timings per kind of request, in the order the kinds were first used. */
  const kinds = new Map<string, Timings>();

  /** A timed request; `expect` is the status that counts as right (a refusal can be the right answer), else any 2xx. */
  async function timed(kind: string, method: string, path: string, opts: RequestOptions = {}, expect?: number): Promise<Res> {
    const k = kinds.get(kind) ?? { samples: [], errors: 0 };
    kinds.set(kind, k);
    const t = performance.now();
    const res = await request(method, path, opts);
    k.samples.push(performance.now() - t);
    if (expect ? res.status !== expect : res.status < 200 || res.status >= 300) {
      k.errors++;
      k.firstError ??= `${res.status} ${method} ${path} ${res.body.slice(0, 200)}`;
    }
    return res;
  }

  /** Waits until GET /api/health answers 200 (30 s at most). */
  async function waitForServer(): Promise<void> {
    for (let i = 0; ; i++) {
      if ((await request('GET', '/api/health')).status === 200) return;
      if (i > 300) throw new Error('server did not start');
      await sleep(100);
    }
  }

  /** Per kind: count, rate over `seconds(kind)`, p50/p95/p99 in ms, errors. */
  function rows(seconds: (kind: string) => number): Row[] {
    return [...kinds.entries()].map(([kind, k]) => {
      const s = [...k.samples].sort((a, b) => a - b);
      const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? 0;
      return { kind, n: s.length, rate: s.length / seconds(kind), p50: q(0.5), p95: q(0.95), p99: q(0.99), errors: k.errors, firstError: k.firstError };
    });
  }

  return { origin, request, timed, kinds, waitForServer, rows };
}

/** The server's processes (the first one and, with SERVER_PROCESSES > 1, the serving processes it started), read from /proc. */
export function serverStats(server: ChildProcess) {
  const pids = (): number[] => {
    let children: number[] = [];
    try {
      children = readFileSync(`/proc/${server.pid}/task/${server.pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    } catch {
      // no children file: one process
    }
    return [server.pid!, ...children];
  };
  const sum = (of: (pid: number) => number) =>
    pids().reduce((total, pid) => {
      try {
        return total + of(pid);
      } catch {
        return total; // the process has just ended
      }
    }, 0);
  return {
    pids,
    /** a /proc/<pid>/status field (VmRSS, VmHWM) in MiB, summed over the server's processes */
    procStatus: (field: string) =>
      sum((pid) => {
        const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`${field}:\\s+(\\d+) kB`));
        return m ? Number(m[1]) / 1024 : 0;
      }),
    /** CPU seconds (user + system) the server's processes have used so far, from /proc/<pid>/stat */
    cpuSeconds: () =>
      sum((pid) => {
        const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
        return (Number(f[11]) + Number(f[12])) / 100; // utime, stime in clock ticks (100 per second)
      }),
  };
}
