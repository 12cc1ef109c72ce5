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

const MIN_PASSWORD = 12;
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
  password = await rl.question(`Password for ${email} (at least ${MIN_PASSWORD} characters): `);
  rl.close();
}
if (password.length < MIN_PASSWORD) {
  console.error(`the password must have at least ${MIN_PASSWORD} characters`);
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
