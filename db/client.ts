import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import * as schema from './schema';

export type DB = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

export const DEFAULT_DATABASE_URL = 'data/bilim.sqlite';

/**
 * Opens (creating if needed) and migrates a SQLite database. WAL with synchronous=FULL so that a
 * write acknowledged to a client survives a killed process or a power cut.
 */
export function openDatabase(url: string = process.env.DATABASE_URL || DEFAULT_DATABASE_URL): DB {
  const file = url.replace(/^file:/, '');
  if (file !== ':memory:') mkdirSync(dirname(resolve(file)), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = drizzle(sqlite, { schema }) as DB;
  // Resolved from the working directory, not this file: the built server bundle lives in dist/.
  migrate(db, { migrationsFolder: resolve(process.env.MIGRATIONS_DIR || 'db/migrations') });
  return db;
}

/**
 * The better-sqlite3 connection under a database handle or a transaction (drizzle's transaction
 * object has no `$client`), for per-connection caches and statements prepared once.
 */
export function connectionOf(db: DB): Database.Database {
  return db.$client ?? (db as unknown as { session: { client: Database.Database } }).session.client;
}

let shared: DB | undefined;

/** The process's one database handle, opened on first use. */
export function getDb(): DB {
  shared ??= openDatabase();
  return shared;
}
