import { AppError } from '@server/lib/errors';
import type { DB } from '@db/client';
import { readBank, type BankView } from '@server/modules/authoring/bank';
import type { Translator } from '@server/lib/i18n';
import type { SessionUser } from '@server/lib/session';
import type { FormError } from './admin-page';
import type { DraftContent } from '@server/modules/authoring/content';
import { fieldWords } from '@server/modules/authoring/field-words';

/**
 * Where a field of a draft is edited, for a link from a message about it: the draft page's input, a
 * lesson's editor, a question's or a quiz's page, the bank's categories. `draftPage` is
 * `/<lang>/author/drafts/<id>`.
 */
export function fieldHref(draftPage: string, path: string, content: DraftContent): string {
  const p = path.split('.');
  if (p[0] === 'manifest' && p[1] === 'modules' && p[3] === 'lessons' && p[4] !== undefined) {
    const lesson = content.manifest.modules[Number(p[2])]?.lessons[Number(p[4])];
    if (lesson) return `${draftPage}/lessons/${lesson.slug}`;
  }
  if (p[0] === 'manifest') return `${draftPage}#${p.join('-')}`;
  if (p[0] === 'questions' && p[1] === 'questions') {
    const q = content.questions.questions[Number(p[2])] as { id?: string } | undefined;
    return q?.id ? `${draftPage}/questions/${q.id}` : `${draftPage}/questions#questions`;
  }
  if (p[0] === 'quizzes' && p[1] === 'quizzes') {
    const z = content.quizzes.quizzes[Number(p[2])] as { id?: string } | undefined;
    return z?.id ? `${draftPage}/quizzes/${z.id}` : `${draftPage}/questions#quizzes`;
  }
  return `${draftPage}/questions#categories`;
}

/** The status of a page whose form was refused: the service's (403 not allowed, 409 conflict…), else 400. */
export const formStatus = (errors: FormError[]) => Math.max(400, ...errors.map((e) => e.status ?? 400));

/**
 * The draft's question bank for one of its pages: `view` null when this person may not read it (the
 * page shows Forbidden with 403), or null for no such draft (404). Who may open the bank pages at all
 * (trainers, reviewers, administrators) is the page's openPage role; whether this person may read or
 * edit this draft is the service's decision.
 */
export function bankForPage(db: DB, draftId: number, user: SessionUser): { view: BankView | null } | null {
  try {
    return { view: readBank(db, draftId, user) };
  } catch (e) {
    if (e instanceof AppError && e.status === 404) return null;
    if (e instanceof AppError && e.status === 403) return { view: null };
    throw e;
  }
}

/** The draft id from the address, or null. */
export function draftIdParam(v: string | undefined): number | null {
  return v && /^\d{1,9}$/.test(v) ? Number(v) : null;
}

/** The form's fields as [name, value] pairs (files ignored). */
export function formEntries(form: FormData): [string, string][] {
  const out: [string, string][] = [];
  form.forEach((v, k) => {
    if (typeof v === 'string') out.push([k, v.slice(0, 8000)]);
  });
  return out;
}

/** An element id for a form field name (`choices.0.text.ky` → `choices-0-text-ky`). */
export const fieldId = (name: string) => name.replace(/\./g, '-');

/**
 * The messages of a refused save, each naming its field in words (authoring's fieldWords), never a
 * path: every problem the service found (AppError `issues`), or its one field, or none.
 */
export function errorMessages(tr: Translator, e: AppError, fieldFor: (f: string) => string = (f) => f): { field: string | null; message: string }[] {
  const issues = e.issues ?? [{ code: e.code, field: e.field }];
  return issues.map(({ code, field }) => {
    if (!field) return { field: null, message: tr.error(code) };
    const words = fieldWords(tr.locale, field);
    const message = code === 'invalid_input' ? tr.t('errors.fieldInvalid', { field: words }) : tr.t('errors.fieldSays', { field: words, message: tr.error(code) });
    return { field: fieldFor(field), message };
  });
}

/**
 * Runs a service call for a page; an AppError becomes messages in the summary, each linked to its
 * field, and in `byField` beside it. Some schema paths point into a list (`tags.1`): `fieldFor` maps
 * them to the field that shows them.
 */
export function runForm<T>(tr: Translator, errors: FormError[], byField: Map<string, string>, fn: () => T, fieldFor: (f: string) => string = (f) => f): T | undefined {
  try {
    return fn();
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    for (const { field, message } of errorMessages(tr, e, fieldFor)) {
      errors.push({ field: field ? fieldId(field) : null, message, status: e.status });
      if (field && !byField.has(field)) byField.set(field, message);
    }
    return undefined;
  }
}
