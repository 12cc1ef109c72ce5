import { sqliteTable, text, integer, index, check } from 'drizzle-orm/sqlite-core';
import { sql } from 'drizzle-orm';
import { users } from './accounts';
import { organisations } from './organisations';

/**
 * The one counter behind the completions export's change sequence (`change_seq` of certificates and
 * outside trainings). Triggers bump it and stamp the changed row inside the writing transaction;
 * SQLite lets one transaction write at a time, so the numbers follow commit order whatever the
 * clocks of the serving processes say.
 */
export const changeCounter = sqliteTable(
  'change_counter',
  {
    id: integer('id').primaryKey(),
    value: integer('value').notNull(),
  },
  (t) => [check('change_counter_one_row', sql`${t.id} = 1`)],
);

/**
 * API tokens for integrations (machine clients such as the national HR information system). The token
 * is `bilim_<id>_<secret>`; only SHA-256 of the secret is kept, so it is shown once, at issue.
 */
export const apiTokens = sqliteTable(
  'api_tokens',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    /** JSON array of scopes, e.g. ["export:read"] */
    scopes: text('scopes', { mode: 'json' }).$type<string[]>().notNull(),
    /** whose data it reads: this organisation with its sub-units; null: every organisation */
    organisationId: integer('organisation_id').references(() => organisations.id),
    secretHash: text('secret_hash').notNull(),
    createdBy: integer('created_by').notNull().references(() => users.id),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }),
    lastUsedAt: integer('last_used_at', { mode: 'timestamp_ms' }),
    revokedAt: integer('revoked_at', { mode: 'timestamp_ms' }),
    revokedBy: integer('revoked_by').references(() => users.id),
  },
  (t) => [index('api_tokens_created_idx').on(t.createdAt)],
);
