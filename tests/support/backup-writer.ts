/**
 * Child process for the backup test: appends audit entries one transaction at a time as fast as it
 * can and prints `ack <n> <time>` after each commit (what the API would answer), until it is killed.
 */
import '@server/modules/providers';
import { openDatabase } from '@db/client';
import { recordAudit } from '@server/modules/audit/service';

const db = openDatabase(process.argv[2]);
let n = 0;
function write() {
  n++;
  db.transaction((tx) => recordAudit(tx, { actorId: null, action: 'backup_test.write', targetType: 'write', targetId: n, details: { n } }));
  process.stdout.write(`ack ${n} ${Date.now()}\n`);
  setImmediate(write);
}
write();
