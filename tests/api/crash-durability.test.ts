import { afterAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { connectionOf, openDatabase, type DB } from '@db/client';
import { importCourse } from '@server/modules/catalog/service';
import { loadCoursePackage, loadLibraryProviders } from '@server/modules/catalog/package';
import { ensureDeclaredProviders } from '@server/modules/organisations/training-providers';
import { createPerson } from '@server/modules/people/service';
import { enrolSelf } from '@server/modules/learning/service';
import { createSession } from '@server/modules/auth/service';

/**
 * Crash durability: a real server process (tests/support/api-server.ts: the API over node:http, on
 * a WAL + synchronous=FULL database file) takes exam-day traffic — answer saves and lesson progress
 * saves from several learners at once — and is killed with SIGKILL in the middle of it. After a
 * restart, every save the server had acknowledged (answered 200) is there, and the file is intact.
 */
const LEARNERS = 8;
const dir = mkdtempSync(join(tmpdir(), 'bilim-crash-'));
const file = join(dir, 'crash.sqlite');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * A server process, loaded but not yet listening (its modules take seconds to load on a busy
 * machine): `start()` makes it open the database and listen. The one that comes up after the crash
 * is loaded beforehand, beside the first, and opens the database only after the kill.
 */
function serverProcess(): { child: ChildProcess; start: () => Promise<string> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/support/api-server.ts'], {
    env: { ...process.env, DATABASE_URL: file, PORT: '0', NODE_ENV: 'test', WAIT_FOR_START: '1' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<never>((_, reject) => child.on('exit', (code) => reject(new Error(`server exited (${code}): ${err}`))));
  exited.catch(() => {});
  const wait = (re: RegExp) =>
    Promise.race([
      exited,
      new Promise<RegExpMatchArray>((resolve) => {
        const look = () => {
          const m = out.match(re);
          if (m) resolve(m);
        };
        child.stdout!.on('data', (d) => ((out += d), look()));
        look();
      }),
    ]);
  const loaded = wait(/loaded/);
  return {
    child,
    start: async () => {
      await loaded;
      child.stdin!.write('start\n');
      return `http://127.0.0.1:${(await wait(/listening (\d+)/))[1]}`;
    },
  };
}

type Q = { id: number; kind: string; options: any };
/** A valid response of each kind that differs from round to round. */
function responseFor(q: Q, r: number): unknown {
  const o = q.options ?? {};
  const rot = <T>(a: T[]) => a.map((_, i) => a[(i + r) % a.length]!);
  switch (q.kind) {
    case 'single': return { choice: o.choices[r % o.choices.length].id };
    case 'multiple': return { choices: [o.choices[r % o.choices.length].id] };
    case 'truefalse': return { value: r % 2 === 0 };
    case 'short': return { text: `жооп ${r}` };
    case 'numeric': return { value: r };
    case 'matching': return { matches: Object.fromEntries(o.prompts.map((p: any, i: number) => [p.id, rot(o.answers as any[])[i % o.answers.length].id])) };
    case 'ordering': return { order: rot(o.items as any[]).map((i: any) => i.id) };
    default: return { text: `Жооп ${r}: жетекчиге жазуу жүзүндө билдирем.` };
  }
}

describe('crash durability', () => {
  it('every acknowledged answer and progress save survives SIGKILL of the server mid-load; integrity_check ok', async () => {
    const db: DB = openDatabase(file);
    ensureDeclaredProviders(db, loadLibraryProviders('courses'));
    importCourse(db, loadCoursePackage('courses/anti-corruption'));
    const quizId = (connectionOf(db).prepare("SELECT q.id FROM quizzes q JOIN courses c ON c.id = q.course_id WHERE c.slug = 'anti-corruption' AND q.kind = 'final'").get() as { id: number }).id;
    const lessonIds = (connectionOf(db).prepare("SELECT l.id FROM lessons l JOIN course_modules m ON m.id = l.module_id JOIN courses c ON c.current_version_id = m.version_id WHERE c.slug = 'anti-corruption' AND l.video IS NULL ORDER BY l.position").all() as { id: number }[]).map((r) => r.id);
    const learners: { cookie: string; lessonId: number }[] = [];
    for (let i = 0; i < LEARNERS; i++) {
      const u = await createPerson(db, { email: `crash${i}@test.kg`, fullName: `Crash ${i}`, service: 'state', postKind: 'administrative', adminGroup: 'junior', locale: 'ky' });
      enrolSelf(db, u.id, 'anti-corruption');
      learners.push({ cookie: `bilim_session=${createSession(db, u.id).token}`, lessonId: lessonIds[i % lessonIds.length]! });
    }
    connectionOf(db).close();

    const first = serverProcess();
    const second = serverProcess();
    let child = first.child;
    let base = await first.start();
    const send = async (method: string, path: string, cookie: string, json?: unknown) => {
      const res = await fetch(`${base}${path}`, { method, headers: { origin: base, cookie, ...(json ? { 'content-type': 'application/json' } : {}) }, body: json ? JSON.stringify(json) : undefined });
      return { status: res.status, body: (await res.json()) as any };
    };

    // Each learner starts the final test, then saves answers (a new value and seq each round) and
    // lesson progress, as fast as the server answers.
    const attempts: { id: number; questions: Q[] }[] = [];
    for (const l of learners) {
      const r = await send('POST', `/api/quizzes/${quizId}/attempts`, l.cookie);
      expect(r.status).toBe(201);
      attempts.push({ id: r.body.attempt.id, questions: r.body.questions });
    }
    const answerAcks = new Map<string, { seq: number; response: unknown }>();
    const progressAcks = new Map<number, { seq: number; position: number }>();
    let killed = false;
    const loops = learners.map(async (l, i) => {
      const a = attempts[i]!;
      for (let round = 1; !killed; round++) {
        for (const q of a.questions) {
          if (killed) return;
          const response = responseFor(q, round);
          try {
            const r = await send('PUT', `/api/attempts/${a.id}/answers/${q.id}`, l.cookie, { response, seq: round });
            if (r.status === 200) answerAcks.set(`${a.id}/${q.id}`, { seq: round, response });
            else throw new Error(`answer save ${r.status} ${JSON.stringify(r.body)}`);
            const seq = round * 100 + q.id % 100;
            const p = await send('POST', `/api/lessons/${l.lessonId}/progress`, l.cookie, { seq, positionSeconds: seq, read: true });
            if (p.status === 200) progressAcks.set(i, { seq, position: seq });
            else throw new Error(`progress save ${p.status} ${JSON.stringify(p.body)}`);
          } catch (e) {
            if (!killed) throw e; // only the kill may cut a request short
            return;
          }
        }
      }
    });
    const enough = new Promise<void>((resolve) => {
      const t = setInterval(() => {
        if (answerAcks.size >= LEARNERS * 8 && [...answerAcks.values()].some((a) => a.seq >= 2)) clearInterval(t), resolve();
      }, 10);
    });
    await Promise.race([enough, Promise.all(loops)]);
    const exited = new Promise((r) => child.on('exit', r));
    killed = true;
    child.kill('SIGKILL');
    await exited;
    await Promise.all(loops);
    expect(answerAcks.size).toBeGreaterThan(LEARNERS * 8);

    // The file is intact after the crash.
    const check = new Database(file, { readonly: true });
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    check.close();

    // Restarted, the server has every acknowledged answer, as the learner's next visit sees it.
    child = second.child;
    base = await second.start();
    try {
      let checked = 0;
      for (const [i, l] of learners.entries()) {
        const r = await send('GET', `/api/attempts/${attempts[i]!.id}`, l.cookie);
        expect(r.status).toBe(200);
        for (const q of r.body.questions as { id: number; seq: number; response: unknown }[]) {
          const ack = answerAcks.get(`${attempts[i]!.id}/${q.id}`);
          if (!ack) continue;
          expect(q.seq).toBeGreaterThanOrEqual(ack.seq);
          if (q.seq === ack.seq) expect(q.response).toEqual(ack.response);
          checked++;
        }
      }
      expect(checked).toBe(answerAcks.size);
      // And every acknowledged progress save (its position moves only with a higher seq).
      const after = new Database(file, { readonly: true });
      for (const [i, ack] of progressAcks) {
        const row = after
          .prepare("SELECT p.seq, p.position_seconds AS position, p.viewed_at AS viewedAt FROM lesson_progress p JOIN enrolments e ON e.id = p.enrolment_id JOIN users u ON u.id = e.user_id JOIN lessons l ON l.slug = p.lesson_slug AND l.id = ? WHERE u.email = ?")
          .get(learners[i]!.lessonId, `crash${i}@test.kg`) as { seq: number; position: number; viewedAt: number | null };
        expect(row.seq).toBeGreaterThanOrEqual(ack.seq);
        if (row.seq === ack.seq) expect(row.position).toBe(ack.position);
        expect(row.viewedAt).not.toBeNull();
      }
      expect(progressAcks.size).toBe(LEARNERS);
      expect(after.pragma('integrity_check', { simple: true })).toBe('ok');
      after.close();
    } finally {
      const gone = new Promise((r) => child.on('exit', r));
      child.kill('SIGKILL');
      await gone;
    }
  }, 120_000);
});
