import { inArray, sql } from 'drizzle-orm';
import type { DB } from '../../../db/client';
import { organisations } from '../../../db/schema';

export type Organisation = typeof organisations.$inferSelect;
export type NewOrganisation = Omit<typeof organisations.$inferInsert, 'id' | 'createdAt'>;

export function createOrganisation(db: DB, input: NewOrganisation, now = new Date()): Organisation {
  return db.insert(organisations).values({ ...input, createdAt: now }).returning().get();
}

/** Every organisation id under the given roots, the roots included (an HR officer's scope). */
export function subtreeIds(db: DB, rootIds: number[]): number[] {
  if (rootIds.length === 0) return [];
  const roots = sql.join(rootIds.map((id) => sql`${id}`), sql`, `);
  const rows = db.all<{ id: number }>(sql`
    WITH RECURSIVE tree(id) AS (
      SELECT id FROM organisations WHERE id IN (${roots})
      UNION
      SELECT o.id FROM organisations o JOIN tree ON o.parent_id = tree.id
    )
    SELECT id FROM tree`);
  return rows.map((r) => r.id);
}

export function getOrganisations(db: DB, ids: number[]): Organisation[] {
  if (ids.length === 0) return [];
  return db.select().from(organisations).where(inArray(organisations.id, ids)).all();
}
