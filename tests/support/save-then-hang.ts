/**
 * Child process for the durability test: saves one progress record, says "ack" (as the API would
 * answer the browser), then keeps running until it is killed.
 */
import '@server/modules/providers';
import { openDatabase } from '@db/client';
import { saveProgress } from '@server/modules/learning/service';

const [file, userId, lessonId] = process.argv.slice(2);
const db = openDatabase(file);
const r = saveProgress(db, Number(userId), Number(lessonId), { seq: 7, positionSeconds: 42, read: true });
process.stdout.write(`ack ${JSON.stringify(r.lesson)}\n`);
setInterval(() => {}, 1000);
