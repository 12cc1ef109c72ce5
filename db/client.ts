import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import * as schema from './schema';

/**
 * A handle services write through: the database, or a transaction on it (drizzle's transaction is the
 * same query API), so a service called inside a caller's transaction needs no cast. The connection
 * behind either is `connectionOf(db)`.
 */
export type DB = BaseSQLiteDatabase<'sync', Database.RunResult, typeof schema>;
/** The database itself, as opened (its `$client` is the better-sqlite3 connection). */
export type RootDB = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

export const DEFAULT_DATABASE_URL = 'data/bilim.sqlite';

/**
 * Opens (creating if needed) and migrates a SQLite database. WAL with synchronous=FULL so that a
 * write acknowledged to a client survives a killed process or a power cut.
 */
export function openDatabase(url: string = process.env.DATABASE_URL || DEFAULT_DATABASE_URL): RootDB {
  const file = url.replace(/^file:/, '');
  if (file !== ':memory:') mkdirSync(dirname(resolve(file)), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = drizzle(sqlite, { schema }) as RootDB;
  // Every transaction takes the write lock when it begins (BEGIN IMMEDIATE) unless it asks otherwise.
  // With several serving processes, a deferred transaction that reads and then writes fails with
  // SQLITE_BUSY_SNAPSHOT — at once, busy_timeout does not wait for it — when another process committed
  // in between: a 500 for a request that did nothing wrong. A read-only snapshot passes
  // `{ behavior: 'deferred' }` so that it never holds writers up (export/service.ts).
  const begin = db.transaction.bind(db);
  db.transaction = ((fn, config) => begin(fn, { behavior: 'immediate', ...config })) as typeof db.transaction;
  // Resolved from the working directory, not this file: the built server bundle lives in dist/.
  migrate(db, { migrationsFolder: resolve(process.env.MIGRATIONS_DIR || 'db/migrations') });
  return db;
}

/**
 * The better-sqlite3 connection behind a handle, or behind a transaction handle passed as one
 * (drizzle sets `$client` on the former only; both run on the same connection).
 */
export function connectionOf(db: DB): Database.Database {
  return (db as Partial<RootDB>).$client ?? (db as unknown as { session: { client: Database.Database } }).session.client;
}

let shared: RootDB | undefined;

/** The process's one database handle, opened on first use. */
export function getDb(): RootDB {
  shared ??= openDatabase();
  return shared;
}

/**
 * Closes the process's handle so that the next `getDb()` opens a fresh one. For test files that share
 * their worker's modules (vitest.config.ts): each begins on a new database.
 */
export function forgetSharedDb(): void {
  shared?.$client.close();
  shared = undefined;
}
