/**
 * Demo mode (npm start outside production): the demo accounts of shared/API.md, which scripts/seed.ts
 * creates and the sign-in page may name.
 */
import { eq } from 'drizzle-orm';
import type { DB } from '@db/client';
import { users } from '@db/schema';

export const DEMO_PASSWORD = 'demo-password-2026';

export const DEMO_EMAILS = ['learner@demo.kg', 'trainer@demo.kg', 'hr@demo.kg', 'reviewer@demo.kg', 'admin@demo.kg'];

/** Demo mode: not production, and the demo accounts are there (so a sign-in page may name them). */
export function isDemoMode(db: DB): boolean {
  if (process.env.NODE_ENV === 'production') return false;
  return db.select({ id: users.id }).from(users).where(eq(users.email, DEMO_EMAILS[0]!)).get() !== undefined;
}
