/**
 * Online backup and offline restore of the SQLite database (npm run backup, npm run restore).
 *
 * A backup is `VACUUM INTO`: one read transaction, so the copy is a consistent snapshot of the moment
 * it began, while the server keeps reading and writing (WAL lets writers go on beside a reader).
 * The copy is written under a temporary name, checked with `PRAGMA integrity_check`, and only then
 * renamed to data/backups/bilim-<UTC timestamp>.sqlite; the newest `keep` backups are kept.
 *
 * A restore refuses while any process has the database open (the server): it asks SQLite for the
 * exclusive access that leaving WAL mode needs, which is refused while another connection is open.
 */
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, copyFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { openDatabase } from './client';

export const DEFAULT_BACKUP_DIR = 'data/backups';
export const DEFAULT_KEEP = 14;
const NAME = /^bilim-\d{8}T\d{9}Z\.sqlite$/;

export class BackupError extends Error {}

function integrity(file: string): string {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const rows = db.pragma('integrity_check') as { integrity_check: string }[];
    return rows.map((r) => r.integrity_check).join('; ');
  } finally {
    db.close();
  }
}

const stamp = (d: Date) => d.toISOString().replace(/[-:.]/g, '');

/** Makes a consistent copy of the live database at `source` while it serves; returns the new file. */
export function backupDatabase(source: string, opts: { dir?: string; keep?: number; now?: Date } = {}): { file: string; bytes: number; ms: number; removed: string[] } {
  const started = Date.now();
  const dir = resolve(opts.dir ?? DEFAULT_BACKUP_DIR);
  const keep = opts.keep ?? DEFAULT_KEEP;
  if (!Number.isInteger(keep) || keep < 1) throw new BackupError('keep must be a whole number of at least 1');
  if (!existsSync(source)) throw new BackupError(`no database at ${source}`);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `bilim-${stamp(opts.now ?? new Date())}.sqlite`);
  if (existsSync(file)) throw new BackupError(`${file} exists already`);
  const partial = `${file}.partial`;
  rmSync(partial, { force: true });
  const db = new Database(source, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    db.prepare('VACUUM INTO ?').run(partial);
  } finally {
    db.close();
  }
  const check = integrity(partial);
  if (check !== 'ok') {
    rmSync(partial, { force: true });
    throw new BackupError(`the copy failed its integrity check: ${check}`);
  }
  renameSync(partial, file);
  const backups = listBackups(dir);
  const removed = backups.slice(0, Math.max(0, backups.length - keep));
  for (const old of removed) rmSync(old, { force: true });
  return { file, bytes: statSync(file).size, ms: Date.now() - started, removed };
}

/** Backups in `dir`, oldest first. */
export function listBackups(dir = DEFAULT_BACKUP_DIR): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((n) => NAME.test(n))
    .sort()
    .map((n) => join(resolve(dir), n));
}

/** True when another process (the server) has the database open. */
export function databaseInUse(file: string): boolean {
  if (!existsSync(file)) return false;
  const db = new Database(file, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 0');
    // Leaving WAL needs exclusive access: while any other connection has the file open SQLite either
    // answers SQLITE_BUSY or stays in WAL (the pragma returns the mode it is in).
    const mode = db.pragma('journal_mode = DELETE', { simple: true });
    return String(mode).toLowerCase() !== 'delete';
  } catch (e) {
    if ((e as { code?: string }).code?.startsWith('SQLITE_BUSY')) return true;
    throw e;
  } finally {
    db.close();
  }
}

/**
 * Replaces the database at `target` with the backup `from`. Refuses while the database is open
 * elsewhere. The database it replaces is kept beside it as `<name>.before-restore-<timestamp>`.
 */
export function restoreDatabase(from: string, target: string, now = new Date()): { previous: string | null } {
  if (!existsSync(from)) throw new BackupError(`no backup at ${from}`);
  const check = integrity(from);
  if (check !== 'ok') throw new BackupError(`the backup failed its integrity check: ${check}`);
  if (databaseInUse(target)) throw new BackupError(`${target} is open in another process: stop the server first`);
  mkdirSync(dirname(resolve(target)), { recursive: true });
  const tmp = `${target}.restoring`;
  copyFileSync(from, tmp);
  let previous: string | null = null;
  if (existsSync(target)) {
    previous = join(dirname(resolve(target)), `${basename(target)}.before-restore-${stamp(now)}`);
    renameSync(target, previous);
  }
  for (const ext of ['-wal', '-shm']) rmSync(`${target}${ext}`, { force: true });
  renameSync(tmp, target);
  // Back to WAL + synchronous=FULL, and migrations of a backup made by an older version.
  const db = openDatabase(target);
  const after = (db.$client.pragma('integrity_check') as { integrity_check: string }[])[0]!.integrity_check;
  db.$client.close();
  if (after !== 'ok') throw new BackupError(`the restored database failed its integrity check: ${after}`);
  return { previous };
}
