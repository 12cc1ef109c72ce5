import { sqliteTable, text, integer, index, uniqueIndex } from 'drizzle-orm/sqlite-core';
import type { OrganisationKind, Region, Service } from '../domain';

/** State bodies, local self-government bodies, their sub-units and training providers, as one tree. */
export const organisations = sqliteTable(
  'organisations',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    parentId: integer('parent_id').references((): any => organisations.id),
    kind: text('kind').$type<OrganisationKind>().notNull(),
    /** which service the servants of this organisation are in */
    service: text('service').$type<Service>().notNull(),
    region: text('region').$type<Region>().notNull(),
    nameKy: text('name_ky').notNull(),
    nameRu: text('name_ru').notNull(),
    /** the organisation's code in the national HR information system (e-Kyzmat), set by an administrator */
    code: text('code'),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    closedAt: integer('closed_at', { mode: 'timestamp_ms' }),
    /** set when an administrator turned password sign-in off for this organisation and its sub-units (single sign-on only) */
    passwordLoginOffAt: integer('password_login_off_at', { mode: 'timestamp_ms' }),
  },
  (t) => [index('organisations_parent_idx').on(t.parentId), uniqueIndex('organisations_code_uq').on(t.code)],
);
