import { eq, inArray } from 'drizzle-orm';
import type { DB } from '../../../db/client';
import { organisations, userRoles, users } from '../../../db/schema';
import type { Role } from '../../lib/domain';
import { hashPassword } from '../auth/service';

export type User = typeof users.$inferSelect;
export type NewPerson = Omit<typeof users.$inferInsert, 'id' | 'createdAt' | 'passwordHash'> & {
  password?: string;
  roles?: { role: Role; organisationId?: number | null }[];
};

/** Creates a person with their roles. Everyone who studies holds the learner role. */
export async function createPerson(db: DB, input: NewPerson, now = new Date()): Promise<User> {
  const { password, roles = [{ role: 'learner' }], ...fields } = input;
  const passwordHash = password ? await hashPassword(password) : null;
  return db.transaction((tx) => {
    const user = tx
      .insert(users)
      .values({ ...fields, email: fields.email.trim().toLowerCase(), passwordHash, createdAt: now })
      .returning()
      .get();
    for (const r of roles) {
      tx.insert(userRoles).values({ userId: user.id, role: r.role, organisationId: r.organisationId ?? null }).run();
    }
    return user;
  });
}

/** The profile a signed-in person sees of themselves, with their organisation's names. */
export function getProfile(db: DB, userId: number) {
  const row = db
    .select({ user: users, organisation: organisations })
    .from(users)
    .leftJoin(organisations, eq(users.organisationId, organisations.id))
    .where(eq(users.id, userId))
    .get();
  if (!row) return null;
  const { passwordHash: _secret, ...user } = row.user;
  return { user, organisation: row.organisation };
}

/** Full names of the given users, for lists in other modules (grading queue, reports). */
export function fullNames(db: DB, ids: number[]): Map<number, string> {
  if (!ids.length) return new Map();
  const rows = db.select({ id: users.id, fullName: users.fullName }).from(users).where(inArray(users.id, [...new Set(ids)])).all();
  return new Map(rows.map((r) => [r.id, r.fullName]));
}
