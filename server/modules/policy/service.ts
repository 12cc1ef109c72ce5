import { desc, eq } from 'drizzle-orm';
import type { DB } from '@db/client';
import { policies, users } from '@db/schema';
import { recordAudit } from '../audit/service';
import { obligationStatuses, type ObligationStatus, OBLIGATION_STATUSES } from '../obligation/service';
import { activeServants } from '../people/service';
import { bishkekDay } from '@server/lib/time';

export type PolicyValues = {
  periodYears: number;
  minHours: number | null;
  dueSoonDays: number;
  reminderDays: number[];
  certificateFormat: string;
};
export type Policy = PolicyValues & { id: number | null; createdAt: Date | null; createdBy: number | null; createdByName: string | null };

/** In force until an administrator saves the first policy: the 3-year rule of the law, no hour minimum. */
export const DEFAULT_POLICY: PolicyValues = {
  periodYears: 3,
  minHours: null,
  dueSoonDays: 90,
  reminderDays: [90, 30, 7],
  certificateFormat: 'BLM-{YYYY}-{CODE}',
};

/** The policy in force: the newest version, or the defaults. */
export function currentPolicy(db: DB): Policy {
  const row = db
    .select({ p: policies, name: users.fullName })
    .from(policies)
    .leftJoin(users, eq(policies.createdBy, users.id))
    .orderBy(desc(policies.id))
    .limit(1)
    .get();
  if (!row) return { ...DEFAULT_POLICY, id: null, createdAt: null, createdBy: null, createdByName: null };
  const { p } = row;
  return {
    id: p.id,
    periodYears: p.periodYears,
    minHours: p.minHours,
    dueSoonDays: p.dueSoonDays,
    reminderDays: p.reminderDays,
    certificateFormat: p.certificateFormat,
    createdAt: p.createdAt,
    createdBy: p.createdBy,
    createdByName: row.name,
  };
}

/** Every version, newest first, with who saved it. */
export function policyHistory(db: DB, limit = 20): Policy[] {
  return db
    .select({ p: policies, name: users.fullName })
    .from(policies)
    .leftJoin(users, eq(policies.createdBy, users.id))
    .orderBy(desc(policies.id))
    .limit(limit)
    .all()
    .map(({ p, name }) => ({ ...p, createdByName: name }));
}

export type StatusCounts = Record<ObligationStatus, number>;
export type PolicyPreview = {
  servants: number;
  changed: number;
  current: StatusCounts;
  proposed: StatusCounts;
  /** how many move from one status to another, only pairs that occur */
  transitions: { from: ObligationStatus; to: ObligationStatus; count: number }[];
};

const zero = (): StatusCounts => Object.fromEntries(OBLIGATION_STATUSES.map((s) => [s, 0])) as StatusCounts;

/** Statuses of every active servant under the policy in force and under the proposed one, today. */
export function previewPolicy(db: DB, proposed: PolicyValues, now = new Date()): PolicyPreview {
  const today = bishkekDay(now);
  const people = activeServants(db);
  const before = obligationStatuses(db, people, currentPolicy(db), today);
  const after = obligationStatuses(db, people, proposed, today);
  const current = zero();
  const next = zero();
  const moves = new Map<string, number>();
  let changed = 0;
  for (const p of people) {
    const a = before.get(p.id)!.status;
    const b = after.get(p.id)!.status;
    current[a]++;
    next[b]++;
    if (a !== b) {
      changed++;
      moves.set(`${a}>${b}`, (moves.get(`${a}>${b}`) ?? 0) + 1);
    }
  }
  const transitions = [...moves].map(([k, count]) => {
    const [from, to] = k.split('>') as [ObligationStatus, ObligationStatus];
    return { from, to, count };
  });
  return { servants: people.length, changed, current, proposed: next, transitions };
}

/** Saves a new version; it is in force from this moment. Recorded in the audit log with old and new values. */
export function setPolicy(db: DB, actor: { id: number; ip?: string | null }, values: PolicyValues, now = new Date()): Policy {
  const before = currentPolicy(db);
  const preview = previewPolicy(db, values, now);
  return db.transaction((tx) => {
    const row = tx.insert(policies).values({ ...values, createdBy: actor.id, createdAt: now }).returning().get();
    const old: PolicyValues = {
      periodYears: before.periodYears,
      minHours: before.minHours,
      dueSoonDays: before.dueSoonDays,
      reminderDays: before.reminderDays,
      certificateFormat: before.certificateFormat,
    };
    recordAudit(
      tx,
      { actorId: actor.id, action: 'policy.changed', targetType: 'policy', targetId: row.id, details: { before: old, after: values, statusChanges: preview.changed }, ip: actor.ip },
      now,
    );
    return { ...row, createdByName: null };
  });
}

/**
 * A certificate number from the format: {YYYY} is the year, {CODE} the random part
 * (`XXXX-XXXX-XXXX`, see certificates/service.ts), which the format must contain exactly once.
 */
export function formatCertificateNumber(format: string, year: number, code: string): string {
  return format.replace(/\{YYYY\}/g, String(year)).replace('{CODE}', code);
}
