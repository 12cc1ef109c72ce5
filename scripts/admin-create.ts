/**
 * npm run admin:create -- --email a@b.kg --name "Full Name"
 * Creates an administrator (the first one in production). The password is read from the
 * ADMIN_PASSWORD variable or asked for on the terminal, never taken from the command line,
 * so it does not land in the shell history.
 */
import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline/promises';
import { eq } from 'drizzle-orm';
import { openDatabase } from '../db/client';
import { users } from '../db/schema';
import { createPerson } from '../server/modules/people/service';
import { recordAudit } from '../server/modules/audit/service';
import { checkNewPassword, MIN_PASSWORD_LENGTH } from '../server/modules/auth/password-policy';
import { AppError } from '../server/lib/errors';
import { t } from '../server/lib/i18n';

const { values } = parseArgs({ options: { email: { type: 'string' }, name: { type: 'string' } } });
const email = values.email?.trim().toLowerCase();
const fullName = values.name?.trim();
if (!email || !/^[^\s@]+@[^\s@]+$/.test(email) || !fullName) {
  console.error('usage: npm run admin:create -- --email admin@example.kg --name "Full Name"   (password from ADMIN_PASSWORD or asked)');
  process.exit(2);
}
let password = process.env.ADMIN_PASSWORD;
if (!password) {
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  password = await rl.question(`Password for ${email} (at least ${MIN_PASSWORD_LENGTH} characters): `);
  rl.close();
}
// The same password rule as every other place a password is set (server/modules/auth/password-policy.ts).
try {
  checkNewPassword(password, { email, fullName });
} catch (e) {
  if (!(e instanceof AppError)) throw e;
  console.error(`${t('ru', `errors.${e.code}`)}\n${t('ky', `errors.${e.code}`)}`);
  process.exit(2);
}
const db = openDatabase();
if (db.select({ id: users.id }).from(users).where(eq(users.email, email)).get()) {
  console.error(`${email} already exists`);
  process.exit(1);
}
const user = await createPerson(db, { email, fullName, password, locale: 'ky', roles: [{ role: 'admin' }] });
recordAudit(db, { actorId: null, action: 'user.admin_created', targetType: 'user', targetId: user.id, details: { email: user.email, via: 'npm run admin:create' }, ip: null });
console.log(`administrator ${user.email} created (id ${user.id})`);
db.$client.close();
