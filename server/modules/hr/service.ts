import { and, inArray, isNull } from 'drizzle-orm';
import type { DB } from '../../../db/client';
import { organisations, users } from '../../../db/schema';
import { obligationStatuses, todayUtc, type ObligationResult, type ObligationStatus } from '../obligation/service';
import { currentPolicy } from '../policy/service';

export type StaffMember = {
  id: number;
  fullName: string;
  email: string;
  positionTitle: string | null;
  organisation: { id: number; nameKy: string; nameRu: string };
  service: 'state' | 'municipal' | null;
  appointmentDate: string | null;
} & ObligationResult;

const collator = new Intl.Collator('ru');
/** YYYY-MM-DD dates compare as plain strings (no collation needed); none sorts first. */
const compareDates = (a: string | null, b: string | null) => ((a ?? '') < (b ?? '') ? -1 : (a ?? '') > (b ?? '') ? 1 : 0);

/**
 * The servants of the given organisations (an HR officer's `hrOrganisationIds`, already the whole
 * subtrees) with their training-obligation status under the policy in force, today.
 * Locked accounts are left out. Sorted: overdue first, then due soon, then by due date and name.
 */
export function listStaff(db: DB, organisationIds: number[], filter: { status?: ObligationStatus } = {}, now = new Date()): StaffMember[] {
  if (organisationIds.length === 0) return [];
  const people = db
    .select({
      id: users.id,
      fullName: users.fullName,
      email: users.email,
      positionTitle: users.positionTitle,
      service: users.service,
      appointmentDate: users.appointmentDate,
      organisationId: users.organisationId,
    })
    .from(users)
    .where(and(inArray(users.organisationId, organisationIds), isNull(users.lockedAt)))
    .all();
  const orgs = new Map(db.select().from(organisations).where(inArray(organisations.id, organisationIds)).all().map((o) => [o.id, o]));
  const statuses = obligationStatuses(db, people, currentPolicy(db), todayUtc(now));
  const order: Record<ObligationStatus, number> = { overdue: 0, due_soon: 1, unknown: 2, compliant: 3 };
  const byName = collator.compare;
  return people
    .map((p) => {
      const o = orgs.get(p.organisationId!)!;
      return {
        id: p.id,
        fullName: p.fullName,
        email: p.email,
        positionTitle: p.positionTitle,
        service: p.service,
        appointmentDate: p.appointmentDate,
        organisation: { id: o.id, nameKy: o.nameKy, nameRu: o.nameRu },
        ...statuses.get(p.id)!,
      };
    })
    .filter((p) => !filter.status || p.status === filter.status)
    .sort((a, b) => order[a.status] - order[b.status] || compareDates(a.dueDate, b.dueDate) || byName(a.fullName, b.fullName));
}
