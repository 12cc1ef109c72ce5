/**
 * npm run bench:attestation [-- --people 2000] [-- --no-build] [-- --minutes 10] [-- --processes N]
 *
 * One attestation testing session of N people (2,000) answering at once, against the production server
 * in its own process (docs/attestation.md "Stage 2", docs/performance.md):
 *   1. builds the site unless --no-build;
 *   2. a fresh database (migrated, no demo data) filled in this process through the services: an
 *      organisation of N servants, a law course whose final test draws 12 single-choice law questions
 *      from 40 and 2 personal-qualities questionnaires (8 statements each) from 3, an attestation
 *      campaign with the N people admitted at stage 1, a session open now, and a signed-in session per
 *      person (createSession: N argon2 sign-ins would only measure argon2);
 *   3. starts `node dist/server/entry.mjs` (NODE_ENV=production, SERVER_PROCESSES = cores);
 *   4. the session: every person arrives within 30 s and enters the code (POST /api/attestation/sessions/enter,
 *      which sets their device cookie), opens their test (GET /api/attempts/{id}), answers each question
 *      5–15 s apart (PUT …/answers/{questionId}, with the device cookie) and submits; the officer polls
 *      the live view every 2 s; the same people also try once from a second device (refused, 409);
 *   5. prints per kind of request throughput and p50/p95/p99 and errors, the server's CPU and peak memory;
 *      stops the server; then **lost answers** (every acknowledged save stored with its value and seq)
 *      and every person's campaign row: tested (passed/failed) with the law score equal to their attempt's.
 */
import '@server/modules/providers';
import { execSync, spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { openDatabase } from '@db/client';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { organisations, userRoles, users } from '@db/schema';
import { importCourseLibrary } from '@server/modules/catalog/service';
import { createSession as createLogin } from '@server/modules/auth/service';
import { addPeople, campaignPeople, createCampaign, decideStage1 } from '@server/modules/attestation/service';
import { createSession } from '@server/modules/attestation/testing';
import { benchClient, serverStats, sleep } from './client';

const { values } = parseArgs({ options: { people: { type: 'string', default: '2000' }, 'no-build': { type: 'boolean', default: false }, minutes: { type: 'string', default: '10' }, processes: { type: 'string' }, port: { type: 'string', default: '4396' } } });
const PEOPLE = Number(values.people);
const PORT = Number(values.port);
const PROCESSES = Number(values.processes ?? os.cpus().length);
const CAP_MINUTES = Number(values.minutes);
const rand = (a: number, b: number) => a + Math.random() * (b - a);
const log = (s: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${s}`);
const T = (ky: string, ru: string) => ({ ky, ru });

// ---- 1. build ----
if (!values['no-build']) {
  log('astro build…');
  execSync('npx astro build', { stdio: ['ignore', 'ignore', 'inherit'] });
}

// ---- 2. the database ----
const dir = mkdtempSync(join(tmpdir(), 'bilim-bench-attestation-'));
const dbFile = join(dir, 'bench.sqlite');
const courses = join(dir, 'courses', 'attestation-laws');
mkdirSync(join(courses, 'lessons'), { recursive: true });
writeFileSync(join(courses, 'lessons', '01-laws.ky.md'), 'Мыйзамдар.\n');
writeFileSync(join(courses, 'lessons', '01-laws.ru.md'), 'Законы.\n');
writeFileSync(
  join(courses, 'course.json'),
  JSON.stringify({
    slug: 'attestation-laws', category: 'service', hours: 1,
    audience: { services: ['state', 'municipal'], postKinds: ['administrative'], groups: ['highest', 'main', 'senior', 'junior'] },
    provider: 'BENCH-PERSONNEL', title: T('Аттестация: мыйзамдар', 'Аттестация: законы'),
    summary: T('Аттестациянын тести.', 'Тест аттестации.'), description: T('Тест.', 'Тест.'), objectives: { ky: ['Тест'], ru: ['Тест'] },
    modules: [{ title: T('Мыйзамдар', 'Законы'), lessons: [{ slug: '01-laws', title: T('Мыйзамдар', 'Законы'), minutes: 5, kind: 'theory' }] }],
  }),
);
writeFileSync(join(dir, 'courses', 'providers.json'), JSON.stringify({ providers: [{ code: 'BENCH-PERSONNEL', name: T('Мамлекеттик кадр кызматы', 'Государственная кадровая служба'), service: 'state', region: 'bishkek' }] }));
const scale = ['Такыр макул эмесмин', 'Макул эмесмин', 'Бир жактуу айта албайм', 'Макулмун', 'Толук макулмун'].map((ky, i) => T(ky, ['Совершенно не согласен', 'Не согласен', 'Затрудняюсь ответить', 'Согласен', 'Полностью согласен'][i]!));
const qualities = [
  { key: 'responsibility', name: T('Жоопкерчилик', 'Ответственность') },
  { key: 'stress', name: T('Стресске туруктуулук', 'Стрессоустойчивость') },
  { key: 'integrity', name: T('Ак ниеттүүлүк', 'Честность') },
  { key: 'leadership', name: T('Жетекчилик', 'Лидерство') },
];
writeFileSync(
  join(courses, 'questions.json'),
  JSON.stringify({
    categories: [{ id: 'law', title: T('Мыйзамдар', 'Законы') }, { id: 'qualities', title: T('Жеке сапаттар', 'Личные качества') }],
    questions: [
      ...Array.from({ length: 40 }, (_, i) => ({
        id: `law-${i + 1}`, category: 'law', kind: 'single', tags: [`topic:law-${(i % 5) + 1}`], text: T(`${i + 1}-суроо: мыйзам эмнени талап кылат?`, `Вопрос ${i + 1}: что требует закон?`),
        choices: [0, 1, 2, 3].map((c) => ({ key: `c${c}`, text: T(`${c + 1}-жооп`, `Ответ ${c + 1}`), correct: c === 0 })),
      })),
      ...Array.from({ length: 3 }, (_, i) => ({
        id: `qual-${i + 1}`, category: 'qualities', kind: 'questionnaire', text: T(`Өзүңүз жөнүндө (${i + 1})`, `О себе (${i + 1})`), scale, qualities,
        statements: Array.from({ length: 8 }, (_, s) => ({ key: `s${s}`, text: T(`${s + 1}-пикир`, `Утверждение ${s + 1}`), quality: qualities[s % 4]!.key, reversed: s % 3 === 2 })),
      })),
    ],
  }),
);
writeFileSync(
  join(courses, 'quizzes.json'),
  JSON.stringify({ quizzes: [{ id: 'final', kind: 'final', title: T('Аттестациянын тести', 'Тест аттестации'), draw: [{ category: 'law', count: 12 }, { category: 'qualities', count: 2 }], passPercent: 60, review: 'never' }] }),
);

log(`filling ${dbFile}…`);
const db = openDatabase(dbFile);
migrate(db, { migrationsFolder: 'db/migrations' });
importCourseLibrary(db, join(dir, 'courses'));
const now = new Date();
const org = db.insert(organisations).values({ nameKy: 'Сыноо министрлиги', nameRu: 'Тестовое министерство', kind: 'state_body', service: 'state', region: 'osh', createdAt: now } as never).returning().get();
const officer = db.insert(users).values({ email: 'officer@bench.kg', fullName: 'Кадр Адиси', locale: 'ky', createdAt: now } as never).returning().get();
db.insert(userRoles).values({ userId: officer.id, role: 'personnel_officer', organisationId: null } as never).run();
const people: { userId: number; token: string }[] = [];
db.transaction((tx) => {
  for (let i = 0; i < PEOPLE; i++) {
    const u = tx.insert(users).values({ email: `servant${i}@bench.kg`, fullName: `Кызматчы ${String(i).padStart(4, '0')}`, locale: 'ky', organisationId: org.id, createdAt: now } as never).returning().get();
    tx.insert(userRoles).values({ userId: u.id, role: 'learner', organisationId: null } as never).run();
    people.push({ userId: u.id, token: createLogin(tx, u.id).token });
  }
});
const actor = { id: officer.id, roles: ['personnel_officer' as const] };
const day = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);
const campaign = createCampaign(db, actor, {
  kind: 'attestation', status: 'open', titleKy: 'Аттестация', titleRu: 'Аттестация', posts: ['Башчы'], region: 'osh', requirements: null,
  stage1From: day(0), stage1To: day(1), stage2From: day(1), stage2To: day(2), stage3From: day(3), stage3To: day(4),
  criteria: [{ key: 'knowledge', ky: 'Билими', ru: 'Знания' }], qualityThresholds: { responsibility: 50 },
});
for (let i = 0; i < people.length; i += 500) addPeople(db, actor, campaign.id, { userIds: people.slice(i, i + 500).map((p) => p.userId), post: 'Башчы' });
for (const p of campaignPeople(db, campaign.id)) decideStage1(db, actor, p.id, { status: 'admitted' });
const quizId = (db.$client.prepare("SELECT id FROM quizzes WHERE slug = 'final'").get() as { id: number }).id;
const session = createSession(db, actor, campaign.id, { quizId, startsAt: new Date(Date.now() - 60_000).toISOString(), endsAt: new Date(Date.now() + 3 * 3600_000).toISOString(), place: '204' });
const officerToken = createLogin(db, officer.id).token;
db.$client.close();
log(`${PEOPLE} people admitted to campaign ${campaign.id}; session ${session.id}, code ${session.code}, test ${quizId} (12 law + 2 questionnaires)`);

// ---- 3. the server ----
const server = spawn(process.execPath, ['dist/server/entry.mjs'], {
  env: { ...process.env, NODE_ENV: 'production', DATABASE_URL: dbFile, PORT: String(PORT), HOST: '127.0.0.1', REMINDER_INTERVAL_MINUTES: '0', WEBHOOK_INTERVAL_SECONDS: '0', MAIL_INTERVAL_SECONDS: '0', SERVER_PROCESSES: String(PROCESSES) },
  stdio: ['ignore', 'inherit', 'inherit'],
});
const serverExit = new Promise<number | null>((r) => server.on('exit', (code) => r(code)));
const { procStatus, cpuSeconds: serverCpuSeconds } = serverStats(server);
const { origin: ORIGIN, request, timed, waitForServer, rows: timingRows } = benchClient(PORT);
await waitForServer();
log(`server pid ${server.pid} (${PROCESSES} serving processes) on ${ORIGIN}`);

// ---- 4. the session ----
type Ack = { attemptId: number; questionId: number; seq: number; response: unknown };
const acks: Ack[] = [];
const attemptOf = new Map<number, number>();
let entered = 0;
let submitted = 0;
let capped = false;
function responseFor(q: { kind: string; options: any }): unknown {
  if (q.kind === 'questionnaire') return { ratings: Object.fromEntries(q.options.statements.map((s: { id: string }) => [s.id, 1 + Math.floor(Math.random() * q.options.scale.length)])) };
  return { choice: q.options.choices[Math.floor(Math.random() * q.options.choices.length)].id };
}
async function person(p: { userId: number; token: string }): Promise<void> {
  const session_ = `bilim_session=${p.token}`;
  await sleep(rand(0, 30_000));
  const enter = await timed('enter the code', 'POST', '/api/attestation/sessions/enter', { cookie: session_, json: { code: session.code.toLowerCase() } });
  if (enter.status !== 200) return;
  const device = enter.setCookie.map((c) => c.split(';')[0]!).find((c) => c.startsWith('bilim_device='));
  const cookie = `${session_}; ${device}`;
  const { attemptId } = JSON.parse(enter.body) as { attemptId: number };
  attemptOf.set(p.userId, attemptId);
  entered++;
  const view = await timed('open the test (GET attempt)', 'GET', `/api/attempts/${attemptId}`, { cookie });
  if (view.status !== 200) return;
  const questions = (JSON.parse(view.body) as { questions: { id: number; kind: string; options: unknown }[] }).questions;
  // a second device of the same person is refused (one active device)
  await timed('second device refused (409)', 'POST', '/api/attestation/sessions/enter', { cookie: session_, json: { code: session.code } }, 409);
  let seq = 0;
  for (const q of questions) {
    await sleep(rand(5_000, 15_000));
    if (capped) return;
    const response = responseFor(q as never);
    seq = Date.now();
    const saved = await timed('save answer', 'PUT', `/api/attempts/${attemptId}/answers/${q.id}`, { cookie, json: { response, seq } });
    if (saved.status === 200) acks.push({ attemptId, questionId: q.id, seq, response });
  }
  await sleep(rand(1_000, 3_000));
  if (capped) return;
  const done = await timed('submit and grade', 'POST', `/api/attempts/${attemptId}/submit`, { cookie });
  if (done.status === 200) submitted++;
}
let running = true;
async function officerLive(): Promise<void> {
  const cookie = `bilim_session=${officerToken}`;
  while (running) {
    await timed('officer live view (2,000 rows)'.replace('2,000', PEOPLE.toLocaleString('en')), 'GET', `/api/attestation/sessions/${session.id}/live`, { cookie });
    await sleep(2_000);
  }
}

log(`session: ${PEOPLE} people enter within 30 s, answer 14 questions 5–15 s apart, submit; the officer polls the live view every 2 s`);
const memory = { peak: 0 };
const sampler = setInterval(() => (memory.peak = Math.max(memory.peak, procStatus('VmRSS'))), 1000);
const tick = setInterval(() => log(`  entered ${entered}/${PEOPLE}, answers acknowledged ${acks.length}, submitted ${submitted}`), 30_000);
const t0 = performance.now();
const cpu0 = { server: serverCpuSeconds(), driver: process.cpuUsage() };
const live = officerLive();
const all = Promise.all(people.map(person));
if ((await Promise.race([all.then(() => 'done' as const), sleep(CAP_MINUTES * 60_000).then(() => 'cap' as const)])) === 'cap') {
  capped = true;
  log(`time cap of ${CAP_MINUTES} min reached; waiting up to 60 s for requests in flight`);
  await Promise.race([all, sleep(60_000)]);
}
running = false;
await live;
const seconds = (performance.now() - t0) / 1000;
clearInterval(sampler);
clearInterval(tick);
const peakMiB = procStatus('VmHWM');
const cpu = { server: (serverCpuSeconds() - cpu0.server) / seconds, driver: ((u) => (u.user + u.system) / 1e6)(process.cpuUsage(cpu0.driver)) / seconds };

// ---- 5. report ----
const rows = timingRows(() => seconds);
console.log('');
console.log('| request | n | req/s | p50 | p95 | p99 | errors |');
console.log('|---|---:|---:|---:|---:|---:|---:|');
for (const r of rows) console.log(`| ${r.kind} | ${r.n} | ${r.rate.toFixed(1)} | ${r.p50.toFixed(1)} ms | ${r.p95.toFixed(1)} ms | ${r.p99.toFixed(1)} ms | ${r.errors} |`);
for (const r of rows) if (r.firstError) console.log(`first error of ${r.kind}: ${r.firstError}`);
console.log(`session phase ${seconds.toFixed(0)} s; entered ${entered}, submitted ${submitted} of ${PEOPLE}${capped ? ' (capped)' : ''}`);
console.log(`server: ${(cpu.server * 100).toFixed(0)} % of a core on average (${PROCESSES} processes), bench driver ${(cpu.driver * 100).toFixed(0)} %; peak memory ${peakMiB.toFixed(0)} MiB (VmHWM summed)`);

server.kill('SIGTERM');
await serverExit;

const check = new Database(dbFile, { readonly: true });
const stored = new Map<string, { seq: number; response: string | null }>();
for (const r of check.prepare('SELECT attempt_id AS a, question_id AS q, seq, response FROM quiz_attempt_items').iterate() as Iterable<{ a: number; q: number; seq: number; response: string | null }>)
  stored.set(`${r.a}/${r.q}`, { seq: r.seq, response: r.response });
let lost = 0;
for (const a of acks) {
  const s = stored.get(`${a.attemptId}/${a.questionId}`);
  if (!s || s.seq < a.seq || (s.seq === a.seq && JSON.stringify(JSON.parse(s.response ?? 'null')) !== JSON.stringify(a.response))) lost++;
}
// every person who submitted has their result in the campaign row, equal to their attempt's percent
const rowsOk = check
  .prepare(
    `SELECT count(*) AS n FROM attestation_people p JOIN attestation_seats s ON s.person_id = p.id JOIN quiz_attempts a ON a.id = s.attempt_id
     WHERE p.campaign_id = ? AND a.status = 'finished' AND p.stage2_status IN ('passed', 'failed') AND abs(p.law_score_percent - a.percent) < 1e-9 AND p.qualities_profile IS NOT NULL`,
  )
  .get(campaign.id) as { n: number };
const finished = (check.prepare(`SELECT count(*) AS n FROM quiz_attempts WHERE quiz_id = ? AND status = 'finished'`).get(quizId) as { n: number }).n;
const integrity = (check.pragma('quick_check') as { quick_check: string }[])[0]!.quick_check;
check.close();
console.log(`lost answers: ${lost} of ${acks.length} acknowledged; campaign rows with the law score and profile: ${rowsOk.n} of ${finished} finished attempts; quick_check: ${integrity}`);
console.log(`machine: ${os.cpus()[0]?.model}, ${os.cpus().length} cores, Node ${process.version}; load average now ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
mkdirSync('data/bench', { recursive: true });
writeFileSync('data/bench/results-attestation.json', JSON.stringify({ people: PEOPLE, seconds, rows, entered, submitted, lost, acknowledged: acks.length, rowsOk: rowsOk.n, finished, peakMiB, cpu, processes: PROCESSES, capped, at: new Date().toISOString() }, null, 2));
rmSync(dir, { recursive: true, force: true });
process.exit(lost === 0 && !capped && rowsOk.n === finished && rows.every((r) => r.errors === 0) ? 0 : 1);
