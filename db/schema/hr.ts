import { sqliteTable, text, integer, index } from 'drizzle-orm/sqlite-core';
import { users } from './accounts';

/** One raw line of an uploaded staff file: its line number and its cells by column name. */
export type StaffImportLine = { line: number; cells: Record<string, string> };

/**
 * A staff file an HR officer uploaded: kept as read (cells as text) between the preview and the
 * officer's confirmation, checked again when applied. Nothing is created until it is applied.
 */
export const staffImports = sqliteTable(
  'staff_imports',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    createdBy: integer('created_by')
      .notNull()
      .references(() => users.id),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    fileName: text('file_name').notNull(),
    /** utf-8, utf-8-bom, utf-16le, windows-1251 or xlsx */
    encoding: text('encoding').notNull(),
    lines: text('lines', { mode: 'json' }).$type<StaffImportLine[]>().notNull(),
    appliedAt: integer('applied_at', { mode: 'timestamp_ms' }),
    /** ids of the people created */
    createdIds: text('created_ids', { mode: 'json' }).$type<number[]>(),
  },
  (t) => [index('staff_imports_creator_idx').on(t.createdBy)],
);
