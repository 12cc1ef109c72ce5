import { connectionOf, type DB } from './client';

/**
 * Group commit for the hot write paths (quiz answers, lesson progress): writes that arrive in the
 * same turn of the event loop run one after another inside ONE transaction, each in its own
 * savepoint, and are answered only once that transaction is committed.
 *
 * Why: with synchronous=FULL every commit waits for the disk (fsync of the WAL), about 0.3 ms on
 * the reference machine. On an exam day thousands of learners save answers at once; committing
 * them together costs one fsync per batch instead of one per answer, and nothing is acknowledged
 * before it is on disk, so no acknowledged save can be lost.
 *
 * A job that throws is rolled back to its savepoint alone and its promise rejects with the error;
 * the others in the batch are unaffected. Jobs may use `db.transaction` themselves (it becomes a
 * nested savepoint). Jobs must be synchronous (better-sqlite3 is).
 */
export function commitGrouped<T>(db: DB, job: () => T): Promise<T> {
  let batch = pending.get(db);
  if (!batch) {
    batch = [];
    pending.set(db, batch);
    setImmediate(() => {
      pending.delete(db);
      runBatch(db, batch!);
    });
  }
  return new Promise<T>((resolve, reject) => batch!.push({ job, resolve: resolve as (v: unknown) => void, reject }));
}

type Job = { job: () => unknown; resolve: (value: unknown) => void; reject: (error: unknown) => void };
const pending = new WeakMap<DB, Job[]>();

function runBatch(db: DB, jobs: Job[]): void {
  const sqlite = connectionOf(db);
  const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
  // Like better-sqlite3's own transactions, a batch that finds a transaction open (a test's, which
  // rolls everything back afterwards) nests in it, its jobs as savepoints.
  const nested = sqlite.inTransaction;
  try {
    if (!nested) sqlite.exec('BEGIN IMMEDIATE');
  } catch (error) {
    for (const j of jobs) j.reject(error);
    return;
  }
  try {
    for (const { job } of jobs) {
      sqlite.exec('SAVEPOINT grouped_job');
      try {
        const value = job();
        sqlite.exec('RELEASE grouped_job');
        outcomes.push({ ok: true, value });
      } catch (error) {
        sqlite.exec('ROLLBACK TO grouped_job; RELEASE grouped_job');
        outcomes.push({ ok: false, error });
      }
    }
    if (!nested) sqlite.exec('COMMIT');
  } catch (error) {
    // The commit (or a savepoint statement) failed: nothing of this batch is stored or acknowledged.
    if (!nested && sqlite.inTransaction) sqlite.exec('ROLLBACK');
    for (const j of jobs) j.reject(error);
    return;
  }
  jobs.forEach((j, i) => {
    const o = outcomes[i]!;
    if (o.ok) j.resolve(o.value);
    else j.reject(o.error);
  });
}
