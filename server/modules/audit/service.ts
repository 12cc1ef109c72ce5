import { and, count, desc, eq, gte, like, lt, type SQL } from 'drizzle-orm';
import type { DB } from '@db/client';
import { auditLog, users } from '@db/schema';
import { csvOf } from '@server/lib/table-file';

/**
 * The actions this platform records. Others may be added by other modules (hr.verification,
 * certificate.revoked, course.published, course.rejected...): the log accepts any action code
 * of the form `area.verb`; the pages translate the known ones and show the code for the rest.
 */
export const AUDIT_ACTIONS = [
  'auth.login',
  'auth.login_failed',
  'role.granted',
  'role.revoked',
  'user.locked',
  'user.unlocked',
  'user.admin_created',
  'password.reset_link',
  'password.reset',
  'organisation.created',
  'organisation.updated',
  'organisation.closed',
  'organisation.reopened',
  'organisation.imported',
  'policy.changed',
  'settings.changed',
  'record.verified',
  'record.rejected',
  'certificate.revoked',
  'hr.imported',
  'hr.invited',
  'hr.moved',
  'hr.dismissed',
  'hr.reactivated',
  'hr.assigned',
  'hr.export',
  'hr.list_exported',
  'token.issued',
  'token.revoked',
  'token.used',
] as const;

export type AuditInput = {
  actorId: number | null;
  action: string;
  targetType?: string | null;
  targetId?: string | number | null;
  details?: Record<string, unknown> | null;
  ip?: string | null;
};

export type AuditEntry = typeof auditLog.$inferSelect & { actorName: string | null; actorEmail: string | null };

/**
 * Appends one entry. Call it inside the transaction that makes the change, so the change and its
 * record are saved together or not at all. There is deliberately no function to edit or delete one.
 * Returns the entry's id: the one name of that event, for a notice about it (two events in the same
 * millisecond still have two ids).
 */
export function recordAudit(db: DB, input: AuditInput, now = new Date()): number {
  if (!/^[a-z_]+\.[a-z_]+$/.test(input.action)) throw new Error(`bad audit action ${input.action}`);
  return db
    .insert(auditLog)
    .values({
      at: now,
      actorId: input.actorId,
      action: input.action,
      targetType: input.targetType ?? null,
      targetId: input.targetId === undefined || input.targetId === null ? null : String(input.targetId),
      details: input.details ?? null,
      ip: input.ip ?? null,
    })
    .returning({ id: auditLog.id })
    .get()!.id;
}

export type AuditFilter = {
  /** exact action, or an area prefix such as `role` for every role.* entry */
  action?: string;
  actorId?: number;
  targetType?: string;
  targetId?: string;
  /** YYYY-MM-DD, inclusive, UTC */
  from?: string;
  /** YYYY-MM-DD, inclusive, UTC */
  to?: string;
};

function where(f: AuditFilter): SQL | undefined {
  const parts: (SQL | undefined)[] = [];
  if (f.action) parts.push(f.action.includes('.') ? eq(auditLog.action, f.action) : like(auditLog.action, `${f.action}.%`));
  if (f.actorId !== undefined) parts.push(eq(auditLog.actorId, f.actorId));
  if (f.targetType) parts.push(eq(auditLog.targetType, f.targetType));
  if (f.targetId) parts.push(eq(auditLog.targetId, f.targetId));
  if (f.from) parts.push(gte(auditLog.at, new Date(`${f.from}T00:00:00Z`)));
  if (f.to) parts.push(lt(auditLog.at, new Date(new Date(`${f.to}T00:00:00Z`).getTime() + 86_400_000)));
  const list = parts.filter((p): p is SQL => !!p);
  return list.length ? and(...list) : undefined;
}

/** Newest first, a page at a time. */
export function listAudit(db: DB, filter: AuditFilter, page = 1, pageSize = 50): { entries: AuditEntry[]; total: number } {
  const w = where(filter);
  const total = db.select({ n: count() }).from(auditLog).where(w).get()!.n;
  const rows = db
    .select({ entry: auditLog, actorName: users.fullName, actorEmail: users.email })
    .from(auditLog)
    .leftJoin(users, eq(auditLog.actorId, users.id))
    .where(w)
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(pageSize)
    .offset((Math.max(1, page) - 1) * pageSize)
    .all();
  return { entries: rows.map((r) => ({ ...r.entry, actorName: r.actorName, actorEmail: r.actorEmail })), total };
}

/** Every matching entry as CSV (RFC 4180, UTF-8 with a BOM so spreadsheet programs read Cyrillic). */
export function auditCsv(db: DB, filter: AuditFilter): string {
  const rows = db
    .select({ entry: auditLog, actorEmail: users.email })
    .from(auditLog)
    .leftJoin(users, eq(auditLog.actorId, users.id))
    .where(where(filter))
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .all();
  const lines: string[][] = [];
  for (const { entry: e, actorEmail } of rows) {
    lines.push([
      String(e.id),
      e.at.toISOString(),
      e.actorId === null ? '' : String(e.actorId),
      actorEmail ?? '',
      e.action,
      e.targetType ?? '',
      e.targetId ?? '',
      e.details ? JSON.stringify(e.details) : '',
      e.ip ?? '',
    ]);
  }
  return csvOf(['id', 'at_utc', 'actor_id', 'actor_email', 'action', 'target_type', 'target_id', 'details', 'ip'], lines);
}


/** The area prefixes and known actions, for the filter on the audit page. */
export function auditActionsForFilter(db: DB): string[] {
  const seen = db.selectDistinct({ action: auditLog.action }).from(auditLog).all().map((r) => r.action);
  return [...new Set([...AUDIT_ACTIONS, ...seen])].sort();
}


/** A downloaded list (HR lists, the verification queue…) goes into the audit log: personal data leaves the platform. */
export function auditListDownload(db: DB, actor: { id: number; ip?: string | null }, list: string, details: { format: string; filters: Record<string, unknown>; rows: number }): void {
  recordAudit(db, { actorId: actor.id, action: 'hr.list_exported', targetType: list, details, ip: actor.ip ?? null });
}
