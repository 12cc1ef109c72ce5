/**
 * npm run backup [-- --keep 14] [-- --dir data/backups]
 * A consistent online copy of the database (DATABASE_URL, default data/bilim.sqlite) while the
 * platform serves: VACUUM INTO, integrity_check of the copy, the newest --keep copies kept
 * (BACKUP_KEEP, default 14). See db/backup.ts and docs/operations.md, "Backups and restore".
 */
import { parseArgs } from 'node:util';
import { DEFAULT_DATABASE_URL } from '../db/client';
import { BackupError, backupDatabase, DEFAULT_BACKUP_DIR, DEFAULT_KEEP } from '../db/backup';

const { values } = parseArgs({ options: { keep: { type: 'string' }, dir: { type: 'string' } } });
const source = (process.env.DATABASE_URL || DEFAULT_DATABASE_URL).replace(/^file:/, '');
try {
  const r = backupDatabase(source, { dir: values.dir ?? process.env.BACKUP_DIR ?? DEFAULT_BACKUP_DIR, keep: Number(values.keep ?? process.env.BACKUP_KEEP ?? DEFAULT_KEEP) });
  console.log(`backup ${r.file}: ${(r.bytes / 2 ** 20).toFixed(1)} MiB in ${r.ms} ms, integrity_check ok`);
  for (const f of r.removed) console.log(`removed old backup ${f}`);
} catch (e) {
  if (e instanceof BackupError) {
    console.error(`backup failed: ${e.message}`);
    process.exit(1);
  }
  throw e;
}
