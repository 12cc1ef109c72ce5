import { sqliteTable, text, integer, index } from 'drizzle-orm/sqlite-core';

/**
 * The audit log: who did what, when, from where. Append-only: triggers in the migration
 * (0002_audit_append_only.sql) make SQLite refuse every UPDATE and DELETE of a row, and no service
 * function edits or deletes. The actor is kept as an id without a foreign key, so the entry outlives
 * anything that happens to the account.
 */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: integer('at', { mode: 'timestamp_ms' }).notNull(),
    /** null: the system, the command line, or an unknown person (a failed sign-in for an unknown e-mail) */
    actorId: integer('actor_id'),
    /** e.g. auth.login, role.granted, policy.changed (see server/modules/audit/service.ts) */
    action: text('action').notNull(),
    targetType: text('target_type'),
    targetId: text('target_id'),
    details: text('details', { mode: 'json' }).$type<Record<string, unknown>>(),
    ip: text('ip'),
  },
  (t) => [index('audit_at_idx').on(t.at), index('audit_action_idx').on(t.action), index('audit_actor_idx').on(t.actorId)],
);
