/**
 * npm run bench — the hot paths of an exam day and of the catalog, measured on a real SQLite file
 * with the production settings (WAL, synchronous=FULL), through the same services the API calls.
 * Prints one line per measure; the README keeps the figures of a run on the project's machine.
 * Usage: npm run bench [-- --servants 2000]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { and, eq } from 'drizzle-orm';
import { openDatabase } from '../db/client';
import { seedDemo } from '../db/seed';
import { courses, organisations, quizzes, users } from '../db/schema';
import { importCourseLibrary, listCourses } from '../server/modules/catalog/service';
import { getAttempt, saveAnswer, startAttempt, submitAttempt } from '../server/modules/quiz/service';

const { values } = parseArgs({ options: { servants: { type: 'string', default: '2000' } } });
const servants = Number(values.servants);
const dir = mkdtempSync(join(tmpdir(), 'bilim-bench-'));
const db = openDatabase(join(dir, 'bench.sqlite'));

function stats(label: string, samples: number[], unit = 'ms') {
  const sorted = [...samples].sort((a, b) => a - b);
  const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
  const total = samples.reduce((a, b) => a + b, 0);
  console.log(
    `${label.padEnd(44)} n=${String(samples.length).padStart(6)}  p50=${q(0.5).toFixed(2)}${unit}  p95=${q(0.95).toFixed(2)}${unit}  p99=${q(0.99).toFixed(2)}${unit}  rate=${((samples.length * 1000) / total).toFixed(0)}/s`,
  );
}
const time = (fn: () => void) => {
  const t = performance.now();
  fn();
  return performance.now() - t;
};

await seedDemo(db);
importCourseLibrary(db, 'courses');
const org = db.select().from(organisations).where(eq(organisations.kind, 'local_government')).get()!;
const now = new Date();
db.transaction((tx) => {
  for (let i = 0; i < servants; i++) {
    tx.insert(users)
      .values({ email: `bench${i}@bench.kg`, fullName: `Кызматчы ${i}`, organisationId: org.id, service: 'municipal', postKind: 'administrative', adminGroup: 'junior', locale: 'ky', createdAt: now })
      .run();
  }
});
const ids = db.select({ id: users.id }).from(users).all().map((r) => r.id).slice(-servants);
const course = db.select().from(courses).where(eq(courses.slug, 'ethics-conflict-of-interest')).get()!;
const finalTest = db.select().from(quizzes).where(and(eq(quizzes.courseId, course.id), eq(quizzes.kind, 'final'))).get()!;

console.log(`bench: ${servants} servants, final test of "${course.slug}" (${finalTest.id}), SQLite file with WAL + synchronous=FULL`);

const startTimes: number[] = [];
const attemptIds: number[] = [];
for (const userId of ids) startTimes.push(time(() => attemptIds.push(startAttempt(db, finalTest.id, userId).attemptId)));
stats('exam start (draw questions, fix deadline)', startTimes);

const saveTimes: number[] = [];
for (let i = 0; i < ids.length; i++) {
  const view = getAttempt(db, attemptIds[i]!, { id: ids[i]!, roles: ['learner'] } as never);
  // A true/false or short-answer question takes the simplest valid response.
  const q = view.questions.find((x) => x.kind === 'truefalse' || x.kind === 'short');
  if (!q) continue;
  const response = q.kind === 'truefalse' ? { value: true } : { text: 'жооп' };
  saveTimes.push(time(() => saveAnswer(db, attemptIds[i]!, q.id, ids[i]!, { response, seq: 1 })));
}
stats('answer save (one question, acknowledged)', saveTimes);

const submitTimes: number[] = [];
for (let i = 0; i < Math.min(ids.length, 500); i++) submitTimes.push(time(() => submitAttempt(db, attemptIds[i]!, ids[i]!)));
stats('submit and grade (15 questions)', submitTimes);

const searchTimes: number[] = [];
for (const q of ['этика', 'кызматчылар учун', 'коррупция', 'санарип', 'мамлекеттик тил', '']) {
  for (let i = 0; i < 50; i++) searchTimes.push(time(() => listCourses(db, { q }, 'ky')));
}
stats('catalog search', searchTimes);

db.$client.close();
rmSync(dir, { recursive: true, force: true });
