import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { count, sql } from 'drizzle-orm';
import { connectionOf, type DB } from '@db/client';
import { listBackups, DEFAULT_BACKUP_DIR } from '@db/backup';
import { OUTBOX_CHANNELS, webhookOutbox, type OutboxChannel } from '@db/schema';
import { outboxState, OUTBOX_STATES, type OutboxState } from '../outbox/service';

/** When this process started serving (module load), for the uptime. */
const STARTED_AT = new Date(Date.now() - Math.round(process.uptime() * 1000));

export type SystemStatus = {
  version: string;
  node: string;
  startedAt: Date;
  uptimeSeconds: number;
  database: {
    /** the file, or null for an in-memory database */
    file: string | null;
    /** bytes of the database file (pages in use × page size for an in-memory one) */
    bytes: number;
    /** bytes of the write-ahead log not yet copied back (0 when there is none) */
    walBytes: number;
    pageSize: number;
    pageCount: number;
    freePages: number;
  };
  /** the newest copy made by `npm run backup` in BACKUP_DIR, or null when there is none */
  lastBackup: { file: string; at: Date; bytes: number } | null;
  backupDir: string;
  queues: Record<OutboxChannel, Record<OutboxState, number>>;
};

let version: string | undefined;
/** The platform's version: package.json of the working directory (where the server is started from). */
function platformVersion(): string {
  if (version === undefined) {
    try {
      version = String((JSON.parse(readFileSync(resolve('package.json'), 'utf8')) as { version?: unknown }).version ?? 'unknown');
    } catch {
      version = 'unknown';
    }
  }
  return version;
}

const fileBytes = (f: string) => (existsSync(f) ? statSync(f).size : 0);

/** `bilim-20260301T020000123Z.sqlite` → its instant (the name is written in UTC by db/backup.ts). */
function backupInstant(name: string): Date | null {
  const m = /^bilim-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z\.sqlite$/.exec(name);
  return m ? new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!, +m[7]!)) : null;
}

/**
 * What an administrator checks when something seems wrong: version and uptime of this process, the
 * database and write-ahead log sizes, the last backup, and how many e-mails and webhook events wait,
 * failed, went or were cancelled. Reads only (no audit entry); never a secret or a person's data.
 */
export function systemStatus(db: DB, opts: { backupDir?: string; now?: Date } = {}): SystemStatus {
  const now = opts.now ?? new Date();
  const conn = connectionOf(db);
  const name = conn.memory ? null : resolve(conn.name);
  const pageSize = Number(conn.pragma('page_size', { simple: true }));
  const pageCount = Number(conn.pragma('page_count', { simple: true }));
  const freePages = Number(conn.pragma('freelist_count', { simple: true }));

  const backupDir = opts.backupDir ?? process.env.BACKUP_DIR ?? DEFAULT_BACKUP_DIR;
  const newest = listBackups(backupDir).at(-1);
  const lastBackup = newest ? { file: basename(newest), at: backupInstant(basename(newest)) ?? statSync(newest).mtime, bytes: fileBytes(newest) } : null;

  const queues = Object.fromEntries(OUTBOX_CHANNELS.map((c) => [c, Object.fromEntries(OUTBOX_STATES.map((s) => [s, 0]))])) as SystemStatus['queues'];
  const rows = db
    .select({
      channel: webhookOutbox.channel,
      delivered: sql<number>`${webhookOutbox.deliveredAt} is not null`,
      cancelled: sql<number>`${webhookOutbox.cancelledAt} is not null`,
      failed: sql<number>`${webhookOutbox.attempts} > 0`,
      n: count(),
    })
    .from(webhookOutbox)
    .groupBy(sql`1, 2, 3, 4`)
    .all();
  for (const r of rows) {
    const state = outboxState({ deliveredAt: r.delivered ? now : null, cancelledAt: r.cancelled ? now : null, attempts: r.failed ? 1 : 0 });
    queues[r.channel][state] += r.n;
  }

  return {
    version: platformVersion(),
    node: process.version,
    startedAt: STARTED_AT,
    uptimeSeconds: Math.max(0, Math.floor((now.getTime() - STARTED_AT.getTime()) / 1000)),
    database: {
      file: name,
      bytes: name ? fileBytes(name) : pageCount * pageSize,
      walBytes: name ? fileBytes(`${name}-wal`) : 0,
      pageSize,
      pageCount,
      freePages,
    },
    lastBackup,
    backupDir: resolve(backupDir),
    queues,
  };
}
