import type Database from 'better-sqlite3';
import { connectionOf, type DB } from './client';

const cache = new WeakMap<Database.Database, Map<(db: DB, connection: Database.Database) => unknown, unknown>>();

/**
 * The one cache of prepared statements, and of anything else a module keeps per database (the quiz's
 * drawing pools, the catalog, the SSO provider's metadata), so that two databases in one process (the
 * API test files share their worker's modules) never see each other's. A module passes its own
 * `prepare` function (which builds its set of statements, with Drizzle or as raw SQL on the
 * connection, or its cache); the set is built once per SQLite connection and kept while the
 * connection lives. Keyed by the connection behind the handle, so a transaction (same connection)
 * uses the database's statements instead of preparing its own. Preparing on every request was a
 * tenth of the server's CPU under exam-day load (npm run bench).
 */
export function prepared<T>(db: DB, prepare: (db: DB, connection: Database.Database) => T): T {
  const connection = connectionOf(db);
  let sets = cache.get(connection);
  if (!sets) cache.set(connection, (sets = new Map()));
  let set = sets.get(prepare) as T | undefined;
  if (set === undefined) sets.set(prepare, (set = prepare(db, connection)));
  return set;
}
