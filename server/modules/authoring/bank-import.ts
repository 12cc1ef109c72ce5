/**
 * Importing a question-bank file into a draft (preview, then apply) and exporting a draft's bank.
 * The file is read by bank-formats.ts; here each question gets its category and id and is checked
 * with the bank's own rule (questions.ts checkQuestion), so an imported question is exactly what the
 * editor would have accepted.
 *
 * Same input, same result: a question's id is the file's (Moodle idnumber, the template's id column)
 * or derived from its content, a new category's id from its title. Applying the same file again
 * finds every question already there (`exists`) and adds nothing; a file id already used by a
 * different question is an error of that line. Apply re-runs the plan inside the draft's save
 * transaction (changeBank → saveDraft) on the bank as it is then, and adds every line that is
 * `create` — the lines with errors are left out and reported.
 */
import { createHash } from 'node:crypto';
import type { DB } from '@db/client';
import { AppError, type FieldIssue } from '@server/lib/errors';
import { t } from '@server/lib/i18n';
import type { SessionUser } from '@server/lib/session';
import { bankOf, changeBank } from './bank';
import { readBankFile, writeMoodleXml, writeXlsxTemplate, type ImportFormat, type Lang, type ParsedQuestion } from './bank-formats';
import { checkQuestion, emptyBank, tagOf, type Bank, type BankCategory, type BankQuestion } from './questions';
import { assertCanEdit, getDraft, mayRead } from './service';

export type ImportLine = {
  line: number;
  sourceKind: string;
  kind: string | null;
  /** the languages the question has text in */
  languages: Lang[];
  id: string | null;
  category: string | null;
  text: string;
  action: 'create' | 'exists' | 'error';
  errors: FieldIssue[];
  dropped: string[];
};
export type ImportPlan = { lines: ImportLine[]; newCategories: BankCategory[]; create: number; exists: number; errors: number };
export type ImportInput = { format: ImportFormat; lang: Lang; bytes: Uint8Array };

const short = (s: string) => (s.length > 120 ? `${s.slice(0, 117)}…` : s);

/** A category id from a title ("Этика" → "etika"); `c-` and a hash when the title has no letters to keep. */
function categoryId(title: { ky: string; ru: string }): string {
  const fromTag = tagOf(title.ky || title.ru)?.replace(/^topic:/, '').slice(0, 60);
  return fromTag || `c-${createHash('sha256').update(title.ky + '\n' + title.ru).digest('hex').slice(0, 8)}`;
}

/** An id from the question's content: the same question always gets the same id. */
function contentId(q: Record<string, unknown>): string {
  return `q-${createHash('sha256').update(JSON.stringify(q)).digest('hex').slice(0, 10)}`;
}

const sameQuestion = (a: BankQuestion, b: BankQuestion) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Plans an import into `bank`: each line checked, and the bank with every `create` line (and the new
 * categories they need) added. Pure: the same bank and file always give the same plan.
 */
export function planImport(bank: Bank, parsed: ParsedQuestion[], courseSlug: string, lang: Lang): { plan: ImportPlan; bank: Bank } {
  const categories = [...bank.questions.categories];
  const questions = [...bank.questions.questions];
  const newCategories: BankCategory[] = [];
  const lines: ImportLine[] = [];
  let fallback: BankCategory | null = null;

  const categoryFor = (p: ParsedQuestion): BankCategory => {
    const c = p.category;
    if (!c || (!c.id && !c.title.ky && !c.title.ru)) {
      // no category in the file: one "Imported" category, created once
      fallback ??= categories.find((x) => x.id === 'imported') ?? add({ id: 'imported', title: { ky: t('ky', 'bankio.importedCategory'), ru: t('ru', 'bankio.importedCategory') } });
      return fallback;
    }
    const byId = c.id ? categories.find((x) => x.id === c.id) : undefined;
    if (byId) return byId;
    const byTitle = !c.id ? categories.find((x) => (c.title.ky && x.title.ky === c.title.ky) || (c.title.ru && x.title.ru === c.title.ru)) : undefined;
    if (byTitle) return byTitle;
    let id = c.id ?? categoryId(c.title);
    for (let i = 2; categories.some((x) => x.id === id); i++) id = `${c.id ?? categoryId(c.title)}-${i}`;
    return add({ id, title: c.title.ky || c.title.ru ? { ky: c.title.ky, ru: c.title.ru } : { ky: id, ru: '' } });
  };
  const add = (c: BankCategory) => {
    categories.push(c);
    newCategories.push(c);
    return c;
  };

  for (const p of parsed) {
    const q = p.question;
    const text = (q.text ?? { ky: '', ru: '' }) as { ky: string; ru: string };
    const line: ImportLine = {
      line: p.line,
      sourceKind: p.sourceKind,
      kind: typeof q.kind === 'string' ? q.kind : null,
      languages: (['ky', 'ru'] as const).filter((l) => String(text[l] ?? '').trim()),
      id: null,
      category: null,
      text: short(String(text[lang] || text.ky || text.ru || '')),
      action: 'error',
      errors: p.problems.map((code) => ({ code })),
      dropped: p.dropped,
    };
    lines.push(line);
    if (line.errors.length) continue;
    const category = categoryFor(p);
    line.category = category.id;
    const id = p.id ?? contentId({ ...q, category: category.id });
    line.id = id;
    let checked: BankQuestion;
    try {
      checked = checkQuestion({ ...q, id, category: category.id }, categories, courseSlug);
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      line.errors = e.issues ?? [{ code: e.code, ...(e.field ? { field: e.field } : {}) }];
      continue;
    }
    const existing = questions.find((x) => x.id === id);
    if (existing) {
      if (sameQuestion(existing, checked)) line.action = 'exists';
      else line.errors = [{ code: 'question_id_taken', field: 'id' }];
      continue;
    }
    questions.push(checked);
    line.action = 'create';
  }
  // categories no created question ended up in are not added
  const used = new Set(questions.map((q) => q.category));
  const keptNew = newCategories.filter((c) => used.has(c.id));
  const next: Bank = {
    ...bank,
    questions: { categories: categories.filter((c) => !newCategories.includes(c) || keptNew.includes(c)), questions },
  };
  const count = (a: ImportLine['action']) => lines.filter((l) => l.action === a).length;
  return { plan: { lines, newCategories: keptNew, create: count('create'), exists: count('exists'), errors: count('error') }, bank: next };
}

function editableDraft(db: DB, draftId: number, user: SessionUser) {
  const draft = getDraft(db, draftId);
  if (!mayRead(draft, user)) throw new AppError('forbidden', 403);
  assertCanEdit(draft, user);
  return draft;
}

/** What importing the file would do, line by line; nothing is saved. */
export async function previewBankImport(db: DB, draftId: number, user: SessionUser, input: ImportInput): Promise<ImportPlan & { revision: number }> {
  editableDraft(db, draftId, user);
  const parsed = await readBankFile(input.format, input.lang, input.bytes);
  const draft = editableDraft(db, draftId, user);
  return { ...planImport(bankOf(draft), parsed, draft.slug, input.lang).plan, revision: draft.revision };
}

/** Adds every `create` line of the file to the bank as one new revision (one transaction). */
export async function applyBankImport(db: DB, draftId: number, revision: number, user: SessionUser, input: ImportInput): Promise<ImportPlan & { revision: number }> {
  editableDraft(db, draftId, user);
  const parsed = await readBankFile(input.format, input.lang, input.bytes);
  let plan: ImportPlan | null = null;
  const change = Object.assign(
    (bank: Bank, d: { slug: string }) => {
      const r = planImport(bank, parsed, d.slug, input.lang);
      plan = r.plan;
      if (r.plan.create === 0) throw new AppError(r.plan.exists > 0 ? 'import_nothing_new' : 'import_nothing_valid', 409);
      return r.bank;
    },
    { part: 'questions:import' },
  );
  const saved = changeBank(db, draftId, revision, user, change);
  return { ...plan!, revision: saved };
}

export type ExportFormat = 'moodle' | 'xlsx';

/** The bank as a file; the draft's authors, administrators and reviewers may download it. */
export async function exportBank(db: DB, draftId: number, user: SessionUser, format: ExportFormat): Promise<{ body: string | Uint8Array<ArrayBuffer>; type: string; name: string }> {
  const draft = getDraft(db, draftId);
  if (!mayRead(draft, user)) throw new AppError('forbidden', 403);
  const bank = bankOf(draft);
  if (format === 'moodle') return { body: writeMoodleXml(bank), type: 'application/xml; charset=utf-8', name: `${draft.slug}-questions.xml` };
  return { body: await writeXlsxTemplate(bank), type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', name: `${draft.slug}-questions.xlsx` };
}

/** The empty XLSX template (headers and the help sheet). */
export function bankTemplate(): Promise<Uint8Array<ArrayBuffer>> {
  return writeXlsxTemplate(emptyBank());
}
