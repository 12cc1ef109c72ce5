/**
 * npm run restore -- <backup file>
 * Replaces the database (DATABASE_URL, default data/bilim.sqlite) with a backup. Refuses while the
 * server (or any process) has the database open; keeps the replaced file as
 * <name>.before-restore-<timestamp>. See db/backup.ts and docs/operations.md, "Backups and restore".
 */
import { DEFAULT_DATABASE_URL } from '../db/client';
import { BackupError, restoreDatabase } from '../db/backup';

const from = process.argv[2];
if (!from) {
  console.error('usage: npm run restore -- <backup file>');
  process.exit(2);
}
const target = (process.env.DATABASE_URL || DEFAULT_DATABASE_URL).replace(/^file:/, '');
try {
  const { previous } = restoreDatabase(from, target);
  console.log(`restored ${from} to ${target}, integrity_check ok${previous ? `; the replaced database is kept as ${previous}` : ''}`);
} catch (e) {
  if (e instanceof BackupError) {
    console.error(`restore refused: ${e.message}`);
    process.exit(1);
  }
  throw e;
}
