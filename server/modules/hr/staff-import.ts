/**
 * Importing servants from CSV or XLSX: the file read (encodings, XLSX bounded before unzipping), every
 * row checked against the officer's organisations (preview with a row-by-row report), then applied in
 * one transaction. Scoped to `hrOrganisationIds` and written to the audit log like every HR action.
 */
import type ExcelJS from 'exceljs';
import { and, eq, inArray, or } from 'drizzle-orm';
import type { DB } from '@db/client';
import { organisations, staffImports, userRoles, users, type StaffImportLine } from '@db/schema';
import { ADMIN_GROUPS, GENDERS, LOCALES, POST_KINDS, type AdminGroup, type Gender, type Locale, type PostKind } from '@db/domain';
import { AppError } from '@server/lib/errors';
import { t } from '@server/lib/i18n';
import { foldForSearch } from '@server/lib/text';
import { checkZip, type ZipLimits } from '@server/lib/zip';
import { newWorkbook } from '@server/lib/table-file';
import { recordAudit } from '../audit/service';
import { parseCsv } from '../organisations/service';
import { createInvitation, invitable } from '../people/service';
import { bishkekDay } from '@server/lib/time';

import type { HrActor } from './staff';

export const STAFF_COLUMNS = ['full_name', 'email', 'personal_number', 'organisation', 'position', 'post_kind', 'admin_group', 'gender', 'appointment_date', 'locale'] as const;
export type StaffColumn = (typeof STAFF_COLUMNS)[number];
export const REQUIRED_COLUMNS: StaffColumn[] = ['full_name', 'email', 'organisation', 'post_kind'];
export const MAX_STAFF_FILE_BYTES = 2_000_000;
export const MAX_STAFF_ROWS = 5000;

// ------------------------------------------------------------------------------------------------
// Reading the file
// ------------------------------------------------------------------------------------------------

export type ReadFile = { encoding: 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'windows-1251' | 'xlsx'; table: string[][] };

const startsWith = (b: Uint8Array, sig: number[]) => sig.every((v, i) => b[i] === v);
const CYRILLIC_NEXT_TO_QUESTION = /[\u0400-\u04FF]\?|\?[\u0400-\u04FF]/;

/**
 * Reads an uploaded staff file into a table of text cells. XLSX is read with exceljs (first sheet);
 * text is UTF-8 (with or without BOM), UTF-16 with a BOM, or Windows-1251 (what Excel on a Russian
 * Windows writes as "CSV"). A Windows-1251 file in which Kyrgyz letters were already replaced by
 * "?" when it was saved is refused: the names cannot be recovered. Throws AppError(code, 400, 'file').
 */
export async function readStaffFile(fileName: string, bytes: Uint8Array): Promise<ReadFile> {
  const fail = (code: string): never => {
    throw new AppError(code, 400, 'file');
  };
  if (bytes.length === 0) fail('file_empty');
  if (bytes.length > MAX_STAFF_FILE_BYTES) fail('file_too_large');
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return { encoding: 'xlsx', table: await readXlsx(bytes, fail) };
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0])) fail('file_xls_old');
  if (/\.xlsx$/i.test(fileName)) fail('file_not_xlsx');
  let text: string;
  let encoding: ReadFile['encoding'];
  if (startsWith(bytes, [0xef, 0xbb, 0xbf])) {
    encoding = 'utf-8-bom';
    text = decode('utf-8', bytes.subarray(3)) ?? fail('file_encoding_unknown');
  } else if (startsWith(bytes, [0xff, 0xfe])) {
    encoding = 'utf-16le';
    text = decode('utf-16le', bytes.subarray(2)) ?? fail('file_encoding_unknown');
  } else if (startsWith(bytes, [0xfe, 0xff])) {
    encoding = 'utf-16be';
    text = decode('utf-16be', bytes.subarray(2)) ?? fail('file_encoding_unknown');
  } else {
    if (bytes.includes(0)) fail('file_encoding_unknown');
    const utf8 = decode('utf-8', bytes);
    if (utf8 !== null) {
      encoding = 'utf-8';
      text = utf8;
    } else {
      encoding = 'windows-1251';
      text = decode('windows-1251', bytes) ?? fail('file_encoding_unknown');
      // Windows-1251 has no ң ө ү: Excel wrote "?" for them, and the names are damaged for good.
      if (CYRILLIC_NEXT_TO_QUESTION.test(text)) fail('file_encoding_lossy');
      if (!/[\u0410-\u044F]/.test(text)) fail('file_encoding_unknown');
    }
  }
  if (/[\u0000-\u0008\u000E-\u001F]/.test(text)) fail('file_encoding_unknown');
  return { encoding, table: parseCsv(text) };
}

function decode(label: string, bytes: Uint8Array): string | null {
  try {
    return new TextDecoder(label, { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/**
 * What an XLSX of MAX_STAFF_ROWS rows can need, inflated, with a wide margin (a real 5,000-row staff
 * file is a few megabytes and a dozen entries). Checked before exceljs inflates anything.
 */
export const XLSX_LIMITS: ZipLimits = { maxEntries: 200, maxTotalBytes: 30_000_000 };

async function readXlsx(bytes: Uint8Array, fail: (code: string) => never): Promise<string[][]> {
  checkZip(bytes, XLSX_LIMITS);
  const wb = await newWorkbook();
  try {
    await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  } catch {
    fail('file_xlsx_unreadable');
  }
  const sheet = wb.worksheets[0];
  if (!sheet) fail('file_empty');
  const table: string[][] = [];
  sheet!.eachRow({ includeEmpty: false }, (row) => {
    const cells: string[] = [];
    for (let c = 1; c <= row.cellCount; c++) cells.push(cellText(row.getCell(c).value));
    if (cells.some((v) => v.trim() !== '')) table.push(cells);
  });
  return table;
}

/** A cell as text: dates as YYYY-MM-DD, links as their text, formulas as their result. */
function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'number') return Number.isInteger(v) ? v.toFixed(0) : String(v);
  if (typeof v === 'string' || typeof v === 'boolean') return String(v);
  if (typeof v === 'object') {
    if ('richText' in v && Array.isArray(v.richText)) return v.richText.map((r) => r.text).join('');
    if ('text' in v && v.text !== undefined) return typeof v.text === 'string' ? v.text : cellText(v.text as ExcelJS.CellValue);
    if ('result' in v) return cellText(v.result as ExcelJS.CellValue);
    if ('error' in v) return '';
  }
  return String(v);
}

// ------------------------------------------------------------------------------------------------
// Checking the rows
// ------------------------------------------------------------------------------------------------

export type RowProblem = { code: string; column: StaffColumn; otherLine?: number };
export type StaffRow = {
  line: number;
  fullName: string;
  email: string;
  personalNumber: string | null;
  organisationId: number | null;
  positionTitle: string | null;
  postKind: PostKind | null;
  adminGroup: AdminGroup | null;
  gender: Gender | null;
  appointmentDate: string | null;
  locale: Locale;
  problems: RowProblem[];
  /** set once applied: the person created from this line */
  userId?: number;
};

/** Turns the table into lines keyed by column name; a missing required column is a file error. */
export function tableToLines(table: string[][]): StaffImportLine[] {
  if (table.length === 0) throw new AppError('file_empty', 400, 'file');
  const header = table[0]!.map((h) => h.trim().toLowerCase().replace(/^\uFEFF/, ''));
  if (REQUIRED_COLUMNS.some((c) => !header.includes(c))) throw new AppError('staff_columns', 400, 'file');
  if (table.length - 1 > MAX_STAFF_ROWS) throw new AppError('file_too_many_rows', 400, 'file');
  if (table.length === 1) throw new AppError('file_no_rows', 400, 'file');
  return table.slice(1).map((cells, i) => ({
    line: i + 2,
    cells: Object.fromEntries(STAFF_COLUMNS.filter((c) => header.includes(c)).map((c) => [c, (cells[header.indexOf(c)] ?? '').trim()])),
  }));
}

/** Values accepted for a vocabulary: the code, or its label in Kyrgyz or Russian (folded). */
function vocabulary<T extends string>(codes: readonly T[], key: string): Map<string, T> {
  const m = new Map<string, T>();
  for (const code of codes) {
    m.set(code, code);
    for (const l of LOCALES) m.set(foldForSearch(t(l, `${key}.${code}`)), code);
  }
  return m;
}
const POST_KIND_VALUES = vocabulary(POST_KINDS, 'postKind');
const GROUP_VALUES = vocabulary(ADMIN_GROUPS, 'group');
const GENDER_VALUES = vocabulary(GENDERS, 'gender');
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** YYYY-MM-DD or DD.MM.YYYY, a real date, as YYYY-MM-DD; null when it is not one. */
export function parseDate(raw: string): string | null {
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(raw);
  const dotted = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(raw);
  if (!iso && !dotted) return null;
  const [y, mo, d] = iso ? [+iso[1]!, +iso[2]!, +iso[3]!] : [+dotted![3]!, +dotted![2]!, +dotted![1]!];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return date.toISOString().slice(0, 10);
}

/**
 * Checks every line against the file itself and the database: required values, vocabularies, dates,
 * the organisation (within the officer's scope, open), and duplicates — the same e-mail or personal
 * number on an earlier line, or an existing person with it. Each line gets all its problems.
 *
 * An existing person is named (`staff_person_exists`) only when they are in the officer's
 * organisations. The preview says nothing about people elsewhere: it must not be a free way to ask
 * whether an e-mail or personal number is on the platform. Only applying (`applying`, and the report
 * of an applied import) turns such a line into `staff_needs_administrator`: it is not created, and the
 * audit entry of the import names it for the administrators, who move people between organisations.
 */
export function checkStaffLines(db: DB, actor: HrActor, lines: StaffImportLine[], now = new Date(), applying = false): StaffRow[] {
  const scope = new Set(actor.hrOrganisationIds);
  const orgs = db.select().from(organisations).all();
  const byId = new Map(orgs.map((o) => [o.id, o]));
  const byName = new Map<string, number[]>();
  for (const o of orgs) {
    for (const n of new Set([foldForSearch(o.nameKy), foldForSearch(o.nameRu)])) byName.set(n, [...(byName.get(n) ?? []), o.id]);
  }
  const emails = [...new Set(lines.map((l) => (l.cells.email ?? '').toLowerCase()).filter(Boolean))];
  const pins = [...new Set(lines.map((l) => (l.cells.personal_number ?? '').replace(/\s/g, '')).filter(Boolean))];
  // e-mail / personal number → whether that person is in the officer's organisations
  const existingEmails = new Map<string, boolean>();
  const existingPins = new Map<string, boolean>();
  for (let i = 0; i < Math.max(emails.length, pins.length); i += 400) {
    const e = emails.slice(i, i + 400);
    const p = pins.slice(i, i + 400);
    const conds = [e.length ? inArray(users.email, e) : undefined, p.length ? inArray(users.personalNumber, p) : undefined].filter((x) => x !== undefined);
    if (!conds.length) continue;
    for (const u of db.select({ email: users.email, pin: users.personalNumber, organisationId: users.organisationId }).from(users).where(or(...conds)).all()) {
      const mine = u.organisationId !== null && scope.has(u.organisationId);
      existingEmails.set(u.email, mine || existingEmails.get(u.email) === true);
      if (u.pin) existingPins.set(u.pin, mine || existingPins.get(u.pin) === true);
    }
  }
  const today = bishkekDay(now);
  const seenEmail = new Map<string, number>();
  const seenPin = new Map<string, number>();
  return lines.map(({ line, cells }) => {
    const problems: RowProblem[] = [];
    const get = (c: StaffColumn) => cells[c] ?? '';
    const fullName = get('full_name').replace(/\s+/g, ' ');
    if (!fullName || fullName.length > 200) problems.push({ code: 'staff_full_name', column: 'full_name' });
    else if (fullName.includes('?') || fullName.includes('\uFFFD')) problems.push({ code: 'staff_name_damaged', column: 'full_name' });
    const email = get('email').toLowerCase();
    if (!EMAIL.test(email) || email.length > 254) problems.push({ code: 'staff_email', column: 'email' });
    else if (seenEmail.has(email)) problems.push({ code: 'staff_duplicate_in_file', column: 'email', otherLine: seenEmail.get(email) });
    else if (existingEmails.get(email) === true) problems.push({ code: 'staff_person_exists', column: 'email' });
    else if (existingEmails.has(email) && applying) problems.push({ code: 'staff_needs_administrator', column: 'email' });
    if (email && !seenEmail.has(email)) seenEmail.set(email, line);
    const pinRaw = get('personal_number').replace(/\s/g, '');
    let personalNumber: string | null = null;
    if (pinRaw) {
      if (!/^\d{14}$/.test(pinRaw)) problems.push({ code: 'staff_personal_number', column: 'personal_number' });
      else if (seenPin.has(pinRaw)) problems.push({ code: 'staff_duplicate_in_file', column: 'personal_number', otherLine: seenPin.get(pinRaw) });
      else if (existingPins.get(pinRaw) === true) problems.push({ code: 'staff_person_exists', column: 'personal_number' });
      else if (existingPins.has(pinRaw) && applying) problems.push({ code: 'staff_needs_administrator', column: 'personal_number' });
      if (/^\d{14}$/.test(pinRaw)) {
        personalNumber = pinRaw;
        if (!seenPin.has(pinRaw)) seenPin.set(pinRaw, line);
      }
    }
    let organisationId: number | null = null;
    const orgRaw = get('organisation');
    const candidates = /^\d+$/.test(orgRaw) ? (byId.has(Number(orgRaw)) ? [Number(orgRaw)] : []) : byName.get(foldForSearch(orgRaw)) ?? [];
    const inScope = candidates.filter((id) => scope.has(id));
    if (!orgRaw) problems.push({ code: 'staff_organisation_required', column: 'organisation' });
    else if (candidates.length === 0) problems.push({ code: 'staff_organisation_unknown', column: 'organisation' });
    else if (inScope.length === 0) problems.push({ code: 'staff_organisation_out_of_scope', column: 'organisation' });
    else if (inScope.length > 1) problems.push({ code: 'staff_organisation_ambiguous', column: 'organisation' });
    else if (byId.get(inScope[0]!)!.closedAt) problems.push({ code: 'organisation_closed', column: 'organisation' });
    else organisationId = inScope[0]!;
    const postKind = POST_KIND_VALUES.get(foldForSearch(get('post_kind'))) ?? null;
    if (!postKind) problems.push({ code: 'staff_post_kind', column: 'post_kind' });
    const groupRaw = get('admin_group');
    const adminGroup = groupRaw ? GROUP_VALUES.get(foldForSearch(groupRaw)) ?? null : null;
    if (groupRaw && !adminGroup) problems.push({ code: 'staff_admin_group', column: 'admin_group' });
    else if (postKind === 'administrative' && !adminGroup) problems.push({ code: 'staff_admin_group_required', column: 'admin_group' });
    else if (postKind && postKind !== 'administrative' && adminGroup) problems.push({ code: 'staff_admin_group_not_allowed', column: 'admin_group' });
    const genderRaw = get('gender');
    const gender = genderRaw ? GENDER_VALUES.get(foldForSearch(genderRaw)) ?? null : null;
    if (genderRaw && !gender) problems.push({ code: 'staff_gender', column: 'gender' });
    const dateRaw = get('appointment_date');
    const appointmentDate = dateRaw ? parseDate(dateRaw) : null;
    if (dateRaw && !appointmentDate) problems.push({ code: 'staff_date', column: 'appointment_date' });
    else if (appointmentDate && appointmentDate > today) problems.push({ code: 'date_in_future', column: 'appointment_date' });
    const localeRaw = get('locale').toLowerCase();
    const locale: Locale = localeRaw === 'ru' ? 'ru' : 'ky';
    if (localeRaw && localeRaw !== 'ky' && localeRaw !== 'ru') problems.push({ code: 'staff_locale', column: 'locale' });
    const position = get('position');
    if (position.length > 200) problems.push({ code: 'staff_position', column: 'position' });
    return {
      line,
      fullName,
      email,
      personalNumber,
      organisationId,
      positionTitle: position || null,
      postKind,
      adminGroup,
      gender,
      appointmentDate,
      locale,
      problems,
    };
  });
}

export type ImportReport = {
  id: number;
  fileName: string;
  encoding: string;
  appliedAt: Date | null;
  createdIds: number[];
  rows: StaffRow[];
  valid: number;
  invalid: number;
};

function report(db: DB, actor: HrActor, row: typeof staffImports.$inferSelect, now: Date, applying = false): ImportReport {
  let rows = checkStaffLines(db, actor, row.lines, now, applying || row.appliedAt !== null);
  if (row.appliedAt && row.createdIds?.length) {
    // once applied, the lines that were created show as created (not as duplicates of themselves)
    const made = new Map(db.select({ id: users.id, email: users.email }).from(users).where(inArray(users.id, row.createdIds)).all().map((u) => [u.email, u.id]));
    // only the first line with an e-mail can have made that person (later ones were its duplicates)
    const seen = new Set<string>();
    rows = rows.map((r) => {
      const first = !seen.has(r.email);
      seen.add(r.email);
      return first && made.has(r.email) ? { ...r, problems: [], userId: made.get(r.email) } : r;
    });
  }
  const invalid = rows.filter((r) => r.problems.length > 0).length;
  return { id: row.id, fileName: row.fileName, encoding: row.encoding, appliedAt: row.appliedAt, createdIds: row.createdIds ?? [], rows, valid: rows.length - invalid, invalid };
}

/**
 * Step one: reads and checks the file and keeps it as a pending import for the preview. Nobody is
 * created. File-level problems (encoding, columns, size) throw AppError with field `file`.
 */
export async function previewStaffImport(db: DB, actor: HrActor, fileName: string, bytes: Uint8Array, now = new Date()): Promise<ImportReport> {
  if (actor.hrOrganisationIds.length === 0) throw new AppError('forbidden', 403);
  const file = await readStaffFile(fileName, bytes);
  const lines = tableToLines(file.table);
  const row = db
    .insert(staffImports)
    .values({ createdBy: actor.id, createdAt: now, fileName: fileName.slice(0, 200) || 'staff.csv', encoding: file.encoding, lines })
    .returning()
    .get();
  return report(db, actor, row, now);
}

function pendingImport(db: DB, actor: HrActor, id: number) {
  const row = db.select().from(staffImports).where(and(eq(staffImports.id, id), eq(staffImports.createdBy, actor.id))).get();
  if (!row) throw new AppError('import_not_found', 404);
  return row;
}

/** The import as checked now (the preview page, after a reload). Only its author sees it. */
export function getStaffImport(db: DB, actor: HrActor, id: number, now = new Date()): ImportReport {
  return report(db, actor, pendingImport(db, actor, id), now);
}

/**
 * Step two: the officer confirms. `all` creates everyone only if every line is valid (else 409
 * `import_has_errors` and nothing is created); `valid` creates the valid lines and leaves the rest.
 * Lines are checked again inside the transaction, so a person added meanwhile is not created twice.
 * People are created without a password: they get an invitation link to set one.
 */
export function applyStaffImport(db: DB, actor: HrActor, id: number, mode: 'all' | 'valid', now = new Date()): ImportReport {
  return db.transaction((tx) => {
    const row = pendingImport(tx, actor, id);
    if (row.appliedAt) throw new AppError('import_already_applied', 409);
    const checked = report(tx, actor, row, now, true);
    if (mode === 'all' && checked.invalid > 0) throw new AppError('import_has_errors', 409);
    if (checked.valid === 0) throw new AppError('import_nothing_valid', 409);
    const orgs = new Map(tx.select().from(organisations).where(inArray(organisations.id, actor.hrOrganisationIds)).all().map((o) => [o.id, o]));
    const createdIds: number[] = [];
    for (const r of checked.rows) {
      if (r.problems.length) continue;
      const user = tx
        .insert(users)
        .values({
          email: r.email,
          fullName: r.fullName,
          personalNumber: r.personalNumber,
          organisationId: r.organisationId,
          positionTitle: r.positionTitle,
          postKind: r.postKind,
          adminGroup: r.postKind === 'administrative' ? r.adminGroup : null,
          service: orgs.get(r.organisationId!)!.service,
          gender: r.gender,
          appointmentDate: r.appointmentDate,
          locale: r.locale,
          createdAt: now,
        })
        .returning({ id: users.id })
        .get();
      tx.insert(userRoles).values({ userId: user.id, role: 'learner' }).run();
      createdIds.push(user.id);
    }
    tx.update(staffImports).set({ appliedAt: now, createdIds }).where(eq(staffImports.id, id)).run();
    recordAudit(
      tx,
      {
        actorId: actor.id, action: 'hr.imported', targetType: 'staff_import', targetId: id,
        details: {
          fileName: row.fileName, mode, created: createdIds.length, skipped: checked.invalid, userIds: createdIds,
          // people of other organisations the file named: for an administrator to move, if right
          needsAdministrator: checked.rows.filter((r) => r.problems.some((p) => p.code === 'staff_needs_administrator')).map((r) => ({ line: r.line, email: r.email, personalNumber: r.personalNumber })),
        },
        ip: actor.ip,
      },
      now,
    );
    return { ...checked, appliedAt: now, createdIds };
  });
}

/**
 * Invitation links for everyone an applied import created who is still active, has no password yet
 * and holds no role beyond learner (each link single use, 7 days; a new one replaces an unused earlier
 * one). `mail: true` is the officer's "send invitations by e-mail": each link is also queued as an
 * e-mail to its person; without it the links are only returned (shown once, or downloaded as CSV).
 */
export function inviteImported(db: DB, actor: HrActor, importId: number, now = new Date(), opts: { mail?: boolean } = {}): { userId: number; fullName: string; email: string; locale: Locale; token: string; expiresAt: Date; mailQueued: boolean }[] {
  const row = pendingImport(db, actor, importId);
  if (!row.appliedAt) throw new AppError('import_not_applied', 409);
  const ids = row.createdIds ?? [];
  if (ids.length === 0) return [];
  const people = db.select().from(users).where(inArray(users.id, ids)).all();
  return people
    .filter((p) => p.lockedAt === null && p.organisationId !== null && actor.hrOrganisationIds.includes(p.organisationId) && invitable(db, p.id))
    .map((p) => ({ userId: p.id, fullName: p.fullName, email: p.email, locale: p.locale, ...createInvitation(db, { id: actor.id, ip: actor.ip }, p.id, now, { mail: opts.mail ?? false }) }));
}
