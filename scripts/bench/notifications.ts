/**
 * `npm run bench:notifications [-- --servants 60000]`: the reminder and digest run
 * (server/modules/reminders runReminders) over a national-scale population, and the outbox draining
 * it to a real SMTP server on loopback — with API requests timed all the while in the same process
 * (the run shares the event loop and the database with the serving code).
 *
 * The population is written directly with prepared statements (no courses: reminders need people,
 * organisations, HR grants and dates): N servants in 1,500 organisations, every one activated
 * (a password hash set), appointment dates spread over six years so that some are due soon, some
 * overdue, most compliant; one HR officer per organisation (weekly digests), 10 % of the servants
 * never activated (they must get nothing).
 */
import '@server/modules/providers';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const SERVANTS = arg('servants', 60_000);
const ORGS = 1_500;
const dir = mkdtempSync(join(tmpdir(), 'bilim-bench-notify-'));
process.env.DATABASE_URL = join(dir, 'bench.sqlite');
process.env.PUBLIC_URL ??= 'https://bilim.example.kg';

const { getDb } = await import('@db/client');
const { app } = await import('@server/app');
const { createSession } = await import('@server/modules/auth/service');
const { runReminders } = await import('@server/modules/reminders/service');
const { deliverMail } = await import('@server/modules/outbox/service');
const { updateSettings } = await import('@server/modules/settings/service');
const { startSmtpInbox } = await import('../../tests/support/smtp-inbox');

const db = getDb();
const sql = db.$client;
const now = new Date('2026-11-22T06:00:00Z');
const t0 = performance.now();
sql.transaction(() => {
  const org = sql.prepare("INSERT INTO organisations (id, parent_id, kind, service, region, name_ky, name_ru, created_at) VALUES (?, NULL, 'state_body', 'state', 'bishkek', ?, ?, ?)");
  for (let o = 1; o <= ORGS; o++) org.run(o, `Уюм ${o}`, `Организация ${o}`, now.getTime());
  const user = sql.prepare("INSERT INTO users (email, password_hash, full_name, organisation_id, post_kind, admin_group, service, appointment_date, locale, created_at) VALUES (?, ?, ?, ?, 'administrative', 'senior', 'state', ?, ?, ?)");
  const role = sql.prepare('INSERT INTO user_roles (user_id, role, organisation_id) VALUES (?, ?, ?)');
  const base = Date.parse('2020-11-22T00:00:00Z');
  for (let i = 0; i < SERVANTS; i++) {
    // appointments spread over six years: due dates from 2023 to 2029
    const appointed = new Date(base + ((i * 7919) % (6 * 365)) * 86_400_000).toISOString().slice(0, 10);
    const activated = i % 10 !== 0;
    const id = user.run(`s${i}@bench.kg`, activated ? '$argon2id$bench' : null, `Кызматчы ${i}`, 1 + (i % ORGS), appointed, i % 3 ? 'ky' : 'ru', now.getTime()).lastInsertRowid;
    role.run(id, 'learner', null);
  }
  for (let o = 1; o <= ORGS; o++) {
    const id = user.run(`hr${o}@bench.kg`, '$argon2id$bench', `Кадр ${o}`, o, '2025-01-01', 'ky', now.getTime()).lastInsertRowid;
    role.run(id, 'hr', o);
  }
})();
console.log(`population: ${SERVANTS} servants, ${ORGS} organisations and HR officers in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

// A signed-in person whose requests are timed during the run.
const probe = createSession(db, 2, new Date()).token;
const latencies: number[] = [];
let probing = true;
async function probeLoop(): Promise<void> {
  while (probing) {
    const start = performance.now();
    const res = await app.request('http://localhost/api/me/notifications?limit=20', { headers: { cookie: `bilim_session=${probe}`, host: 'localhost' } });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`probe answered ${res.status}`);
    latencies.push(performance.now() - start);
    await new Promise((r) => setTimeout(r, 20));
  }
}
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))] ?? 0;

const probes = probeLoop();
const r0 = performance.now();
const run = await runReminders(db, now);
const runSeconds = (performance.now() - r0) / 1000;
const duringRun = latencies.splice(0);
const queued = sql.prepare("SELECT count(*) AS n FROM webhook_outbox WHERE channel = 'email'").get() as { n: number };
const inApp = sql.prepare('SELECT count(*) AS n FROM notifications').get() as { n: number };
const toNeverActivated = sql.prepare("SELECT count(*) AS n FROM webhook_outbox o JOIN users u ON u.id = json_extract(o.payload, '$.userId') WHERE o.channel = 'email' AND u.password_hash IS NULL").get() as { n: number };
console.log(`reminder run: ${runSeconds.toFixed(1)} s — ${run.obligation} obligation reminders, ${run.assignments} assignment reminders, ${run.digests} HR digests; ${queued.n} e-mails queued, ${inApp.n} in-app notifications; e-mails to never-activated people: ${toNeverActivated.n}`);
console.log(`requests during the run: ${duringRun.length}, p50 ${pct(duringRun, 50).toFixed(1)} ms, p95 ${pct(duringRun, 95).toFixed(1)} ms, max ${pct(duringRun, 100).toFixed(1)} ms`);

const r1 = performance.now();
const again = await runReminders(db, now);
console.log(`second run the same day: ${((performance.now() - r1) / 1000).toFixed(1)} s, ${again.mailsQueued} e-mails queued (nothing twice)`);
latencies.splice(0);

// Drain a sample of the outbox to a real SMTP server on loopback.
const smtp = await startSmtpInbox();
updateSettings(db, { id: 1 }, { smtpHost: '127.0.0.1', smtpPort: String(smtp.port), smtpFrom: 'noreply@bench.kg' });
const SAMPLE = Math.min(2_000, queued.n);
const d0 = performance.now();
let sent = 0;
while (sent < SAMPLE) {
  const round = await deliverMail(db, { limit: 200 });
  if (round.sent === 0) break;
  sent += round.sent;
}
const drainSeconds = (performance.now() - d0) / 1000;
probing = false;
await probes;
console.log(`outbox: ${sent} e-mails delivered in ${drainSeconds.toFixed(1)} s (${(sent / drainSeconds).toFixed(0)}/s over one SMTP connection); requests meanwhile: ${latencies.length}, p50 ${pct(latencies, 50).toFixed(1)} ms, p95 ${pct(latencies, 95).toFixed(1)} ms, max ${pct(latencies, 100).toFixed(1)} ms`);
await smtp.close();
rmSync(dir, { recursive: true, force: true });
process.exit(0);
