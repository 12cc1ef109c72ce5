/**
 * npm run bench [-- --full] [-- --no-build] [-- --learners N]
 *
 * Exam day on a national-scale database, against the production server in its own process:
 *   1. builds the site (astro build) unless --no-build;
 *   2. takes the generated database (scripts/bench/generate.ts; cached per generator version) and
 *      runs on a fresh copy of it, with the learners' sessions made current;
 *   3. starts `node dist/server/entry.mjs` (NODE_ENV=production, no demo data, DATABASE_URL=the copy);
 *   4. from this process, over loopback with keep-alive connections: a short saturating phase of
 *      GET /api/health, then the exam — N learners (2,000; --full 10,000) start the same 8-question
 *      final test within 60 s, save one answer every 10–20 s and submit — while others browse the
 *      catalog and course pages, save lesson progress, and an HR officer (signed in with a password)
 *      reads the compliance list of a 5,000-person organisation;
 *   5. prints per kind of request: throughput, p50/p95/p99, errors, throughput as a ratio to health;
 *      the server's peak memory (VmHWM); then stops the server and checks that every acknowledged
 *      answer save is in the database with the acknowledged value (0 lost answers).
 * Results also go to data/bench/results-<mode>.json.
 */
import { spawn, execSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { benchClient, serverStats, sleep } from './client';
import { BENCH_DIR, ensureBenchDb, EXAM_QUESTIONS, workingCopy } from './generate';

const { values } = parseArgs({ options: { full: { type: 'boolean', default: false }, 'no-build': { type: 'boolean', default: false }, learners: { type: 'string' }, progress: { type: 'string' }, browsers: { type: 'string' }, profile: { type: 'boolean', default: false }, minutes: { type: 'string' }, processes: { type: 'string' }, port: { type: 'string', default: '4399' } } });
const mode = values.full ? 'full' : 'quick';
const LEARNERS = Number(values.learners ?? (values.full ? 10_000 : 2_000));
const PORT = Number(values.port);
/** Serving processes (SERVER_PROCESSES): one per core by default. */
const PROCESSES = Number(values.processes ?? os.cpus().length);
const rand = (a: number, b: number) => a + Math.random() * (b - a);
const log = (s: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${s}`);

const machine = {
  cpu: os.cpus()[0]?.model ?? 'unknown',
  cores: os.cpus().length,
  ramGiB: Math.round(os.totalmem() / 2 ** 30),
  node: process.version,
  loadBefore: os.loadavg().map((x) => x.toFixed(2)).join(' '),
};

// 1. Build.
if (!values['no-build']) {
  log('astro build…');
  execSync('npx astro build', { stdio: ['ignore', 'ignore', 'inherit'] });
}

// 2. Database.
const { file: cached, manifest } = await ensureBenchDb((s) => log(s));
if (LEARNERS > manifest.examLearners.length) throw new Error(`at most ${manifest.examLearners.length} learners`);
const runDb = join(BENCH_DIR, `run-${mode}.sqlite`);
workingCopy(cached, runDb);
{
  // Sessions made at generation may be days old: make them current (idle timeout 3 days).
  const db = new Database(runDb);
  const t = Date.now();
  db.prepare('UPDATE sessions SET created_at = ?, last_verified_at = ?').run(t, t);
  db.close();
}
log(`working copy ${runDb}: ${JSON.stringify(manifest.counts)}`);

// 3. Server.
// SIGTERM ends the server with a normal exit (server/entry.ts), so --profile can write its CPU profile.
const nodeArgs: string[] = [];
if (values.profile) nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${join(BENCH_DIR, 'profiles')}`);
const server = spawn(process.execPath, [...nodeArgs, 'dist/server/entry.mjs'], {
  env: { ...process.env, NODE_ENV: 'production', DATABASE_URL: runDb, MEDIA_DIR: join(BENCH_DIR, 'media'), PORT: String(PORT), HOST: '127.0.0.1', REMINDER_INTERVAL_MINUTES: '0', WEBHOOK_INTERVAL_SECONDS: '0', SERVER_PROCESSES: String(PROCESSES) },
  stdio: ['ignore', 'inherit', 'inherit'],
});
const serverExit = new Promise<number | null>((r) => server.on('exit', (code) => r(code)));
const { procStatus, cpuSeconds: serverCpuSeconds } = serverStats(server);
const { origin: ORIGIN, request, timed, kinds, waitForServer, rows: timingRows } = benchClient(PORT);
await waitForServer();
log(`server pid ${server.pid} listening on ${ORIGIN}`);

// 4a. Health, saturating: 64 concurrent loops for 5 s.
async function saturate(kind: string, path: string, seconds: number, concurrency = 64): Promise<number> {
  const until = performance.now() + seconds * 1000;
  let n = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        await timed(kind, 'GET', path);
        n++;
      }
    }),
  );
  return n / seconds;
}
await saturate('warm-up', '/api/health', 2);
kinds.delete('warm-up');
const healthRate = await saturate('health (saturating, 64 conns)', '/api/health', 5);
log(`health: ${healthRate.toFixed(0)} req/s`);

// HR officer: a real sign-in.
const login = await request('POST', '/api/auth/login', { json: { email: manifest.hr.email, password: manifest.hr.password } });
if (login.status !== 200) throw new Error(`HR sign-in failed: ${login.status} ${login.body}`);
const hrSession = login.cookie ?? '';
if (!hrSession) throw new Error('no HR session cookie');

// 4b. Exam day with background traffic.
type Ack = { attemptId: number; questionId: number; seq: number; response: unknown };
const acks: Ack[] = [];
let started = 0;
let submitted = 0;
function responseFor(q: { kind: string; options: any }): unknown {
  const o = q.options ?? {};
  switch (q.kind) {
    case 'single': return { choice: o.choices[Math.floor(Math.random() * o.choices.length)].id };
    case 'multiple': return { choices: o.choices.filter((_: unknown, i: number) => i === 0 || Math.random() < 0.4).map((c: any) => c.id) };
    case 'truefalse': return { value: Math.random() < 0.5 };
    case 'short': return { text: `жооп ${Math.floor(Math.random() * 1000)}` };
    case 'numeric': return { value: Math.floor(Math.random() * 100) };
    case 'matching': return { matches: Object.fromEntries(o.prompts.map((p: any, i: number) => [p.id, o.answers[i % o.answers.length].id])) };
    case 'ordering': return { order: o.items.map((i: any) => i.id) };
    default: return { text: 'Жетекчиге жазуу жүзүндө билдирем жана чечимге катышпайм.' };
  }
}

async function examLearner(userId: number, token: string): Promise<void> {
  const cookie = `bilim_session=${token}`;
  await sleep(rand(0, 60_000));
  const res = await timed('exam: start attempt', 'POST', `/api/quizzes/${manifest.examQuizId}/attempts`, { cookie });
  if (res.status !== 201 && res.status !== 200) return;
  started++;
  const view = JSON.parse(res.body) as { attempt: { id: number }; questions: { id: number; kind: string; options: unknown }[] };
  const attemptId = view.attempt.id;
  for (const q of view.questions) {
    await sleep(rand(10_000, 20_000));
    if (capped) return;
    const response = responseFor(q);
    const saved = await timed('exam: save answer', 'PUT', `/api/attempts/${attemptId}/answers/${q.id}`, { cookie, json: { response, seq: 1 } });
    if (saved.status === 200) acks.push({ attemptId, questionId: q.id, seq: 1, response });
  }
  await sleep(rand(2_000, 5_000));
  if (capped) return;
  const done = await timed('exam: submit and grade', 'POST', `/api/attempts/${attemptId}/submit`, { cookie });
  if (done.status === 200) submitted++;
}

let examRunning = true;
/** Set when the exam phase reached its time cap: learners stop where they are. */
let capped = false;
async function progressLearner(p: { token: string; lessonIds: number[] }): Promise<void> {
  const cookie = `bilim_session=${p.token}`;
  let seq = 100;
  await sleep(rand(0, 15_000));
  while (examRunning) {
    const lessonId = p.lessonIds[Math.floor(Math.random() * p.lessonIds.length)]!;
    await timed('lesson progress save', 'POST', `/api/lessons/${lessonId}/progress`, { cookie, json: { seq: ++seq, positionSeconds: Math.floor(rand(0, 30)), read: true } });
    await sleep(rand(10_000, 20_000));
  }
}
async function browser(cookie: string): Promise<void> {
  const qs = ['этика', 'коррупция', 'санарип', 'мамлекеттик тил', 'кызмат', ''];
  while (examRunning) {
    const slug = manifest.courseSlugs[Math.floor(Math.random() * manifest.courseSlugs.length)]!;
    const r = Math.random();
    if (r < 0.25) await timed('catalog API (search)', 'GET', `/api/courses?q=${encodeURIComponent(qs[Math.floor(Math.random() * qs.length)]!)}`, { cookie });
    else if (r < 0.5) await timed('course API', 'GET', `/api/courses/${slug}`, { cookie });
    else if (r < 0.75) await timed('catalog page (HTML)', 'GET', `/ky/courses`, { cookie });
    else await timed('course page (HTML)', 'GET', `/ky/courses/${slug}`, { cookie });
    await sleep(rand(500, 1500));
  }
}
async function hrOfficer(): Promise<void> {
  while (examRunning) {
    await timed(`HR compliance list (${manifest.hr.people} people)`, 'GET', '/api/hr/staff', { cookie: hrSession });
    await sleep(rand(1_000, 3_000));
  }
}

const BROWSERS = Number(values.browsers ?? 10);
const progressLearners = manifest.progressLearners.slice(0, Number(values.progress ?? (values.full ? 1000 : 500)));
log(`exam day: ${LEARNERS} learners on an ${EXAM_QUESTIONS}-question test (quiz ${manifest.examQuizId}); ${progressLearners.length} learners saving lesson progress; ${BROWSERS} catalog browsers; 2 HR list readers`);
const memory = { peakRssMiB: 0 };
const sampler = setInterval(() => {
  memory.peakRssMiB = Math.max(memory.peakRssMiB, procStatus('VmRSS'));
}, 1000);
const progressTick = setInterval(() => log(`  started ${started}/${LEARNERS}, answers acknowledged ${acks.length}, submitted ${submitted}`), 30_000);
const examStart = performance.now();
const cpuAtStart = { server: serverCpuSeconds(), driver: process.cpuUsage() };
const learnerCookie = `bilim_session=${manifest.progressLearners[0]!.token}`;
const background = [
  ...progressLearners.map((p) => progressLearner(p)),
  ...Array.from({ length: BROWSERS }, () => browser(learnerCookie)),
  hrOfficer(),
  hrOfficer(),
];
// The exam phase ends when every learner has submitted, or at the cap (quick 6 min, full 14 min):
// an overloaded server must not make the run endless. Requests still in flight get 60 s more.
const CAP_MINUTES = Number(values.minutes ?? (values.full ? 14 : 6));
const learnersDone = Promise.all(manifest.examLearners.slice(0, LEARNERS).map(([userId, token]) => examLearner(userId, token)));
const cap = sleep(CAP_MINUTES * 60_000).then(() => 'cap' as const);
if ((await Promise.race([learnersDone.then(() => 'done' as const), cap])) === 'cap') {
  capped = true;
  log(`time cap of ${CAP_MINUTES} min reached: learners stop; waiting up to 60 s for requests in flight`);
}
examRunning = false;
await Promise.race([Promise.all([learnersDone, ...background]), sleep(60_000)]);
const examSeconds = (performance.now() - examStart) / 1000;
clearInterval(progressTick);
clearInterval(sampler);
const peakMiB = procStatus('VmHWM');
// How busy each side was, in cores (a server process runs its JavaScript on one).
const cpu = {
  serverCoreShare: (serverCpuSeconds() - cpuAtStart.server) / examSeconds,
  driverCoreShare: ((u) => (u.user + u.system) / 1e6)(process.cpuUsage(cpuAtStart.driver)) / examSeconds,
};
log(`exam phase ${examSeconds.toFixed(0)} s${capped ? ` (capped at ${CAP_MINUTES} min)` : ''}; started ${started}, answers acknowledged ${acks.length}, submitted ${submitted} of ${LEARNERS}`);

// 5. Report.
const rows = timingRows((kind) => (kind.startsWith('health') ? 5 : examSeconds)).map((r) => ({ ...r, ratio: r.rate / healthRate }));
console.log('');
console.log(`| request | n | req/s | p50 ms | p95 ms | p99 ms | errors | req/s ÷ health |`);
console.log(`|---|---:|---:|---:|---:|---:|---:|---:|`);
for (const r of rows) console.log(`| ${r.kind} | ${r.n} | ${r.rate.toFixed(1)} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.errors} | ${r.ratio.toFixed(3)} |`);
for (const r of rows) if (r.firstError) console.log(`first error of ${r.kind}: ${r.firstError}`);
console.log(`server peak memory (VmHWM${PROCESSES > 1 ? `, summed over its ${PROCESSES + 1} processes` : ''}): ${peakMiB.toFixed(0)} MiB`);
console.log(`CPU during the exam phase (${PROCESSES} serving process${PROCESSES > 1 ? 'es' : ''}): server ${(cpu.serverCoreShare * 100).toFixed(0)} % of a core, bench driver ${(cpu.driverCoreShare * 100).toFixed(0)} % of a core`);
console.log(`learners: ${LEARNERS}, started ${started}, submitted ${submitted}${capped ? ` — the rest were stopped by the ${CAP_MINUTES}-minute cap` : ''}`);

server.kill('SIGTERM');
await serverExit;

// 0 lost answers: every acknowledged save is stored with the acknowledged value (or a later seq).
const db = new Database(runDb, { readonly: true });
const stored = new Map<string, { seq: number; response: string | null }>();
for (const r of db
  .prepare('SELECT i.attempt_id AS a, i.question_id AS q, i.seq, i.response FROM quiz_attempt_items i JOIN quiz_attempts t ON t.id = i.attempt_id WHERE t.quiz_id = ?')
  .iterate(manifest.examQuizId) as Iterable<{ a: number; q: number; seq: number; response: string | null }>)
  stored.set(`${r.a}/${r.q}`, { seq: r.seq, response: r.response });
let lost = 0;
for (const a of acks) {
  const s = stored.get(`${a.attemptId}/${a.questionId}`);
  if (!s || s.seq < a.seq || (s.seq === a.seq && JSON.stringify(JSON.parse(s.response ?? 'null')) !== JSON.stringify(a.response))) lost++;
}
const integrity = (db.pragma('quick_check') as { quick_check: string }[])[0]!.quick_check;
db.close();
console.log(`lost answers: ${lost} of ${acks.length} acknowledged; database quick_check: ${integrity}`);
machine.loadBefore += ` → after ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`;
console.log(`machine: ${machine.cpu}, ${machine.cores} cores, ${machine.ramGiB} GiB RAM, Node ${machine.node}; load average ${machine.loadBefore}`);
writeFileSync(
  join(BENCH_DIR, `results-${mode}.json`),
  JSON.stringify({ mode, learners: LEARNERS, capped, capMinutes: CAP_MINUTES, examSeconds, healthRate, rows, peakMiB, cpu, processes: PROCESSES, lost, acknowledged: acks.length, started, submitted, machine, counts: manifest.counts, at: new Date().toISOString() }, null, 2),
);
process.exit(lost === 0 && !capped && rows.every((r) => r.errors === 0) ? 0 : 1);
