import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { DB } from '@db/client';
import { courses, organisations, users } from '@db/schema';
import { ORGANISATION_KINDS, REGIONS, SERVICES, type OrganisationKind, type Region, type Service } from '@db/domain';
import { AppError } from '@server/lib/errors';
import { foldForSearch } from '@server/lib/text';
import { recordAudit } from '../audit/service';

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

// ---- Administration: the tree, changes with history, CSV import ----

type Actor = { id: number; ip?: string | null };
export type OrganisationFields = { kind: OrganisationKind; service: Service; region: Region; nameKy: string; nameRu: string; parentId: number | null; code?: string | null };

/** The organisation's code in e-Kyzmat is unique: another organisation holding it is a 409 (never the unique index's 500). */
function checkCode(db: DB, code: string | null | undefined, selfId?: number): void {
  if (!code) return;
  const other = db.select({ id: organisations.id }).from(organisations).where(eq(organisations.code, code)).get();
  if (other && other.id !== selfId) throw new AppError('organisation_code_taken', 409, 'code');
}

/** Every organisation, open and closed, in name order; the page builds the tree. */
export function listOrganisations(db: DB, options: { includeClosed?: boolean } = {}): Organisation[] {
  return db
    .select()
    .from(organisations)
    .where(options.includeClosed ? undefined : isNull(organisations.closedAt))
    .orderBy(organisations.nameRu)
    .all();
}

export type TreeNode = Organisation & { depth: number; children: number };

/** The tree flattened in display order (parents before children, siblings by name in the locale). */
export function organisationTree(db: DB, locale: 'ky' | 'ru', options: { includeClosed?: boolean } = {}): TreeNode[] {
  const all = listOrganisations(db, options);
  const ids = new Set(all.map((o) => o.id));
  const byParent = new Map<number | null, Organisation[]>();
  for (const o of all) {
    const parent = o.parentId !== null && ids.has(o.parentId) ? o.parentId : null;
    byParent.set(parent, [...(byParent.get(parent) ?? []), o]);
  }
  const name = (o: Organisation) => (locale === 'ky' ? o.nameKy : o.nameRu);
  const out: TreeNode[] = [];
  const walk = (parent: number | null, depth: number) => {
    const kids = (byParent.get(parent) ?? []).sort((a, b) => name(a).localeCompare(name(b), locale));
    for (const o of kids) {
      out.push({ ...o, depth, children: byParent.get(o.id)?.length ?? 0 });
      walk(o.id, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

export function getOrganisation(db: DB, id: number): Organisation {
  const org = db.select().from(organisations).where(eq(organisations.id, id)).get();
  if (!org) throw new AppError('organisation_not_found', 404);
  return org;
}

function checkParent(db: DB, parentId: number | null, selfId?: number): void {
  if (parentId === null) return;
  const parent = db.select().from(organisations).where(eq(organisations.id, parentId)).get();
  if (!parent) throw new AppError('organisation_not_found', 404, 'parentId');
  if (parent.closedAt) throw new AppError('organisation_closed', 409, 'parentId');
  if (selfId !== undefined && subtreeIds(db as DB, [selfId]).includes(parentId)) throw new AppError('organisation_cycle', 409, 'parentId');
}

export function addOrganisation(db: DB, actor: Actor, input: OrganisationFields, now = new Date()): Organisation {
  if (input.kind === 'subunit' && input.parentId === null) throw new AppError('subunit_needs_parent', 400, 'parentId');
  return db.transaction((tx) => {
    checkParent(tx, input.parentId);
    checkCode(tx, input.code);
    const org = tx.insert(organisations).values({ ...input, code: input.code || null, createdAt: now }).returning().get();
    recordAudit(tx, { actorId: actor.id, action: 'organisation.created', targetType: 'organisation', targetId: org.id, details: { ...input }, ip: actor.ip }, now);
    return org;
  });
}

/** Renames, moves (never under itself or its own sub-units) or changes service, region or kind. */
export function updateOrganisation(db: DB, actor: Actor, id: number, input: Partial<OrganisationFields>, now = new Date()): Organisation {
  return db.transaction((tx) => {
    const before = tx.select().from(organisations).where(eq(organisations.id, id)).get();
    if (!before) throw new AppError('organisation_not_found', 404);
    if (before.closedAt) throw new AppError('organisation_closed', 409);
    if (input.parentId !== undefined && input.parentId !== before.parentId) checkParent(tx, input.parentId, id);
    if (input.code !== undefined) {
      input = { ...input, code: input.code || null };
      checkCode(tx, input.code, id);
    }
    const kind = input.kind ?? before.kind;
    const parentId = input.parentId === undefined ? before.parentId : input.parentId;
    if (kind === 'subunit' && parentId === null) throw new AppError('subunit_needs_parent', 400, 'parentId');
    // a training provider that courses or trainers name stays one (its courses would lose their provider)
    if (before.kind === 'provider' && kind !== 'provider') {
      const named = tx.select({ id: courses.id }).from(courses).where(eq(courses.providerId, id)).get() ?? tx.select({ id: users.id }).from(users).where(eq(users.providerId, id)).get();
      if (named) throw new AppError('provider_in_use', 409, 'kind');
    }
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    for (const [k, v] of Object.entries(input) as [keyof OrganisationFields, unknown][]) {
      if (v !== undefined && v !== before[k]) changes[k] = { from: before[k], to: v };
    }
    if (Object.keys(changes).length === 0) return before;
    const org = tx.update(organisations).set(input).where(eq(organisations.id, id)).returning().get();
    recordAudit(tx, { actorId: actor.id, action: 'organisation.updated', targetType: 'organisation', targetId: id, details: changes, ip: actor.ip }, now);
    return org;
  });
}

/** Closes an organisation: it stays, with its people and history, but takes no new sub-units or HR scope. */
export function closeOrganisation(db: DB, actor: Actor, id: number, now = new Date()): Organisation {
  return db.transaction((tx) => {
    const org = tx.select().from(organisations).where(eq(organisations.id, id)).get();
    if (!org) throw new AppError('organisation_not_found', 404);
    if (org.closedAt) throw new AppError('organisation_closed', 409);
    const openChild = tx.select({ id: organisations.id }).from(organisations).where(and(eq(organisations.parentId, id), isNull(organisations.closedAt))).get();
    if (openChild) throw new AppError('organisation_has_open_units', 409);
    const closed = tx.update(organisations).set({ closedAt: now }).where(eq(organisations.id, id)).returning().get();
    recordAudit(tx, { actorId: actor.id, action: 'organisation.closed', targetType: 'organisation', targetId: id, ip: actor.ip }, now);
    return closed;
  });
}

export function reopenOrganisation(db: DB, actor: Actor, id: number, now = new Date()): Organisation {
  return db.transaction((tx) => {
    const org = tx.select().from(organisations).where(eq(organisations.id, id)).get();
    if (!org) throw new AppError('organisation_not_found', 404);
    if (!org.closedAt) throw new AppError('organisation_open', 409);
    if (org.parentId !== null) checkParent(tx, org.parentId);
    const opened = tx.update(organisations).set({ closedAt: null }).where(eq(organisations.id, id)).returning().get();
    recordAudit(tx, { actorId: actor.id, action: 'organisation.reopened', targetType: 'organisation', targetId: id, ip: actor.ip }, now);
    return opened;
  });
}

// ---- CSV import ----

export const IMPORT_COLUMNS = ['name_ky', 'name_ru', 'kind', 'service', 'region', 'parent'] as const;
export const MAX_IMPORT_ROWS = 5000;
export type ImportRowResult = {
  /** line in the file, the header being line 1 */
  line: number;
  nameRu: string;
  result: 'created' | 'exists' | 'error' | 'ok';
  /** error code (errors.<code> in locales) and the column it is about */
  error?: string;
  column?: string;
  id?: number;
};

/** RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF; the delimiter (, ; or tab) guessed from the header. */
export function parseCsv(text: string): string[][] {
  const src = text.replace(/^\uFEFF/, '');
  const firstLine = src.split(/\r?\n/, 1)[0] ?? '';
  const n = (re: RegExp) => firstLine.match(re)?.length ?? 0;
  // a tab-separated file (Excel's "Unicode text") has tabs and few commas or semicolons in its header
  const delim = n(/\t/g) > Math.max(n(/;/g), n(/,/g)) ? '\t' : n(/;/g) > n(/,/g) ? ';' : ',';
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < src.length; i++) {
    const ch = src[i]!;
    if (quoted) {
      if (ch === '"') {
        if (src[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else cell += ch;
    } else if (ch === '"' && cell === '') quoted = true;
    else if (ch === delim) {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && src[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell !== '' || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows.filter((r) => r.some((c) => c.trim() !== ''));
}

/**
 * Imports organisations from CSV with the columns name_ky, name_ru, kind, service, region, parent.
 * `parent` is empty (a top-level body), the number of an existing organisation, or the Russian or
 * Kyrgyz name of an organisation already there or on an earlier line. Each line is checked on its
 * own and reported; with `apply` the valid lines are created (in one transaction) and the invalid
 * ones left out. A line naming an open organisation that already exists under the same parent is
 * reported as `exists` and not created twice, so importing the same file again changes nothing.
 */
export function importOrganisationsCsv(db: DB, actor: Actor, csv: string, apply: boolean, now = new Date()): { rows: ImportRowResult[]; fileError?: string } {
  const table = parseCsv(csv);
  if (table.length === 0) return { rows: [], fileError: 'csv_empty' };
  const header = table[0]!.map((h) => h.trim().toLowerCase());
  const missing = IMPORT_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length) return { rows: [], fileError: 'csv_columns' };
  if (table.length - 1 > MAX_IMPORT_ROWS) return { rows: [], fileError: 'csv_too_many_rows' };
  const col = Object.fromEntries(IMPORT_COLUMNS.map((c) => [c, header.indexOf(c)])) as Record<(typeof IMPORT_COLUMNS)[number], number>;

  const run = (tx: DB): ImportRowResult[] => {
    const existing = tx.select().from(organisations).where(isNull(organisations.closedAt)).all();
    // names → id, for parents named in the file; both languages, compared folded
    const byName = new Map<string, number | 'ambiguous'>();
    const remember = (name: string, id: number) => {
      const key = foldForSearch(name);
      byName.set(key, byName.has(key) && byName.get(key) !== id ? 'ambiguous' : id);
    };
    for (const o of existing) {
      remember(o.nameKy, o.id);
      remember(o.nameRu, o.id);
    }
    const openIds = new Set(existing.map((o) => o.id));
    const siblings = new Set(existing.map((o) => `${o.parentId ?? 0}|${foldForSearch(o.nameRu)}`));
    let fakeId = -1;
    const results: ImportRowResult[] = [];
    table.slice(1).forEach((cells, i) => {
      const line = i + 2;
      const get = (c: (typeof IMPORT_COLUMNS)[number]) => (cells[col[c]] ?? '').trim();
      const nameKy = get('name_ky');
      const nameRu = get('name_ru');
      const fail = (error: string, column: string) => results.push({ line, nameRu, result: 'error', error, column });
      if (!nameKy || nameKy.length > 300) return fail('csv_name', 'name_ky');
      if (!nameRu || nameRu.length > 300) return fail('csv_name', 'name_ru');
      const kind = get('kind') as OrganisationKind;
      if (!(ORGANISATION_KINDS as readonly string[]).includes(kind)) return fail('csv_kind', 'kind');
      const service = get('service') as Service;
      if (!(SERVICES as readonly string[]).includes(service)) return fail('csv_service', 'service');
      const region = get('region') as Region;
      if (!(REGIONS as readonly string[]).includes(region)) return fail('csv_region', 'region');
      const parentRaw = get('parent');
      let parentId: number | null = null;
      if (/^\d+$/.test(parentRaw)) {
        parentId = Number(parentRaw);
        if (!openIds.has(parentId)) return fail('csv_parent', 'parent');
      } else if (parentRaw) {
        const found = byName.get(foldForSearch(parentRaw));
        if (found === undefined) return fail('csv_parent', 'parent');
        if (found === 'ambiguous') return fail('csv_parent_ambiguous', 'parent');
        parentId = found;
      }
      if (kind === 'subunit' && parentId === null) return fail('csv_subunit_parent', 'parent');
      const siblingKey = `${parentId ?? 0}|${foldForSearch(nameRu)}`;
      if (siblings.has(siblingKey)) {
        const id = byName.get(foldForSearch(nameRu));
        return results.push({ line, nameRu, result: 'exists', ...(typeof id === 'number' && id > 0 ? { id } : {}) });
      }
      let id: number;
      if (apply) {
        if (parentId !== null && parentId < 0) return fail('csv_parent', 'parent');
        const org = tx.insert(organisations).values({ parentId, kind, service, region, nameKy, nameRu, createdAt: now }).returning().get();
        id = org.id;
      } else id = fakeId--;
      openIds.add(id);
      siblings.add(siblingKey);
      remember(nameKy, id);
      remember(nameRu, id);
      results.push({ line, nameRu, result: apply ? 'created' : 'ok', ...(apply ? { id } : {}) });
    });
    if (apply) {
      const created = results.filter((r) => r.result === 'created').length;
      recordAudit(tx, { actorId: actor.id, action: 'organisation.imported', targetType: 'organisation', details: { created, exists: results.filter((r) => r.result === 'exists').length, errors: results.filter((r) => r.result === 'error').length }, ip: actor.ip }, now);
    }
    return results;
  };
  return { rows: apply ? db.transaction((tx) => run(tx)) : run(db) };
}
