/**
 * The question bank of a draft, read and changed through authoring's getDraft/saveDraft (so the
 * revision check, the edit guard and the locked states apply exactly as for every other draft edit).
 */
import type { DB } from '@db/client';
import { type SessionUser } from '@server/lib/session';
import { AppError } from '@server/lib/errors';
import { getDraft, saveDraft } from './service';
import { bankProblems, missingTranslations, type Bank, type BankProblem, type BankQuestion, type QuizJson } from './questions';
import * as edit from './questions';
import { mayEdit, mayRead } from './service';

export type DraftRow = ReturnType<typeof getDraft>;

export function bankOf(draft: DraftRow): Bank {
  return { questions: draft.content.questions as unknown as Bank['questions'], quizzes: draft.content.quizzes as unknown as Bank['quizzes'] };
}

const moduleCount = (draft: DraftRow) => draft.content.manifest.modules.length;

export type BankView = {
  draftId: number;
  slug: string;
  state: string;
  revision: number;
  editable: boolean;
  categories: Bank['questions']['categories'];
  questions: (BankQuestion & { missing: string[] })[];
  quizzes: (QuizJson & { missing: string[] })[];
  problems: BankProblem[];
};

/** The bank as the editor and the API show it: each question with its missing translations. */
export function readBank(db: DB, draftId: number, user: SessionUser): BankView {
  const draft = getDraft(db, draftId);
  if (!mayRead(draft, user)) throw new AppError('forbidden', 403);
  const bank = bankOf(draft);
  return {
    draftId: draft.id,
    slug: draft.slug,
    state: draft.state,
    revision: draft.revision,
    editable: mayEdit(draft, user) && (draft.state === 'draft' || draft.state === 'changes_requested'),
    categories: bank.questions.categories,
    questions: bank.questions.questions.map((q) => ({ ...q, missing: missingTranslations(q) })),
    quizzes: bank.quizzes.quizzes.map((q) => ({ ...q, missing: missingTranslations(q) })),
    problems: bankProblems(bank, moduleCount(draft)),
  };
}

type Change = (bank: Bank, draft: DraftRow) => Bank;


/** Applies one change to the bank and saves it as the draft's next revision. Returns the new revision. */
export function changeBank(db: DB, draftId: number, revision: number, user: SessionUser, change: Change & { part: string }): number {
  const draft = getDraft(db, draftId);
  if (!mayRead(draft, user)) throw new AppError('forbidden', 403);
  // The change is applied to the content as it is at the moment of saving (saveDraft's transaction), so
  // a question saved in another tab in between is kept; only a change of the same part conflicts.
  const saved = saveDraft(
    db,
    draftId,
    revision,
    (content) => {
      const next = change(bankOf({ ...draft, content }), { ...draft, content });
      return { questions: next.questions, quizzes: next.quizzes } as never;
    },
    user,
    undefined,
    change.part,
  );
  return saved.revision;
}

/** Each change names the part of the draft it touches (saveDraft's per-part revision check). */
const inPart = (part: string, change: Change): Change & { part: string } => Object.assign(change, { part });

/** An addition: after it ran, `created` is the new entry's id (generated when none was given). */
type Addition = Change & { part: string; created?: string };
const adding = (part: string, add: Change, list: (b: Bank) => { id: string }[]): Addition => {
  const change: Addition = inPart(part, (b, d) => {
    const next = add(b, d);
    change.created = list(next).at(-1)!.id;
    return next;
  });
  return change;
};

export const bankEdits = {
  addCategory: (raw: unknown) => adding('categories', (b) => edit.addCategory(b, raw), (b) => b.questions.categories),
  updateCategory: (id: string, raw: unknown) => inPart('categories', (b) => edit.updateCategory(b, id, raw)),
  deleteCategory: (id: string) => inPart('categories', (b) => edit.deleteCategory(b, id)),
  addQuestion: (raw: unknown) => adding('questions:add', (b, d) => edit.addQuestion(b, raw, d.slug), (b) => b.questions.questions),
  updateQuestion: (id: string, raw: unknown) => inPart(`question:${id}`, (b, d) => edit.updateQuestion(b, id, raw, d.slug)),
  deleteQuestion: (id: string) => inPart(`question:${id}`, (b) => edit.deleteQuestion(b, id)),
  addQuiz: (raw: unknown) => adding('quizzes:add', (b, d) => edit.addQuiz(b, raw, moduleCount(d)), (b) => b.quizzes.quizzes),
  updateQuiz: (id: string, raw: unknown) => inPart(`quiz:${id}`, (b, d) => edit.updateQuiz(b, id, raw, moduleCount(d))),
  deleteQuiz: (id: string) => inPart(`quiz:${id}`, (b) => edit.deleteQuiz(b, id)),
};
