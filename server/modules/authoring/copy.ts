/**
 * Copies (issue #22): a course draft duplicated into a new draft under a new slug, with its question
 * bank, quizzes and media. The copy's content is a deep copy, so editing either never touches the
 * other; media are content-addressed (catalog/media.ts), so the copy names the same files and the
 * new draft is recorded as using them (draft_media), which lets its author fetch them before publication.
 */
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { DB } from '@db/client';
import { courseDrafts, courses, draftMedia } from '@db/schema';
import { AppError } from '@server/lib/errors';
import type { SessionUser } from '@server/lib/session';
import { recordAudit } from '../audit/service';
import { DraftContent } from './content';
import { canEditDraft, EDITABLE_STATES, getDraft, listDrafts, saveDraft, type Draft } from './service';
import { bankOf, changeBank } from './bank';
import * as edit from './questions';
import type { Bank, QuizJson } from './questions';

const slugSchema = z.string().trim().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/).max(80);

/**
 * A new draft (state `draft`, owned by `user`) holding a copy of the source draft's course, bank and
 * media. Only those who may edit the source (its author as a trainer, or an administrator) may copy
 * it; anyone else is told it does not exist (404, as for every draft of another trainer).
 */
export function copyDraft(db: DB, sourceId: number, newSlug: string, user: Pick<SessionUser, 'id' | 'roles'>, now = new Date()): Draft {
  const slug = slugSchema.safeParse(newSlug);
  if (!slug.success) throw new AppError('invalid_input', 400, 'slug');
  return db.transaction((tx) => {
    const source = tx.select().from(courseDrafts).where(eq(courseDrafts.id, sourceId)).get();
    if (!source || !canEditDraft(user, source)) throw new AppError('draft_not_found', 404);
    const taken =
      tx.select({ id: courses.id }).from(courses).where(eq(courses.slug, slug.data)).get() ||
      tx.select({ id: courseDrafts.id }).from(courseDrafts).where(eq(courseDrafts.slug, slug.data)).get();
    if (taken) throw new AppError('slug_taken', 409, 'slug');
    const content = structuredClone(source.content);
    content.manifest.slug = slug.data;
    const parsed = DraftContent.safeParse(content);
    if (!parsed.success) throw new AppError('invalid_input', 400, parsed.error.issues[0]?.path.join('.'));
    const d = tx
      .insert(courseDrafts)
      .values({ slug: slug.data, state: 'draft', content: parsed.data, revision: 1, createdBy: user.id, updatedBy: user.id, createdAt: now, updatedAt: now })
      .returning()
      .get();
    for (const m of tx.select({ sha256: draftMedia.sha256 }).from(draftMedia).where(eq(draftMedia.draftId, source.id)).all())
      tx.insert(draftMedia).values({ draftId: d.id, sha256: m.sha256 }).onConflictDoNothing().run();
    recordAudit(tx, { actorId: user.id, action: 'course.draft_copied', targetType: 'course_draft', targetId: d.id, details: { slug: d.slug, fromDraft: source.id } }, now);
    return d;
  });
}

type Actor = Pick<SessionUser, 'id' | 'roles'>;

/** A source draft the user may copy from (its editors), else 404 as for every draft of another trainer. */
function sourceDraft(db: DB, id: number, user: Actor): Draft {
  const d = db.select().from(courseDrafts).where(eq(courseDrafts.id, id)).get();
  if (!d || !canEditDraft(user, d)) throw new AppError('draft_not_found', 404);
  return d;
}

/** `base-copy`, `base-copy-2`, … the first not in `taken` (80 characters at most). */
function freeId(base: string, taken: Set<string>): string {
  const stem = base.slice(0, 70);
  let id = `${stem}-copy`;
  for (let i = 2; taken.has(id); i++) id = `${stem}-copy-${i}`;
  return id;
}

/** Records the target draft as using the media a copied part names (so its author may fetch them). */
function shareMedia(db: DB, sourceId: number, targetId: number, part: unknown): void {
  const text = JSON.stringify(part);
  for (const m of db.select({ sha256: draftMedia.sha256 }).from(draftMedia).where(eq(draftMedia.draftId, sourceId)).all())
    if (text.includes(m.sha256)) db.insert(draftMedia).values({ draftId: targetId, sha256: m.sha256 }).onConflictDoNothing().run();
}

/**
 * Copies one lesson of a draft to the end of the last module of a draft of the same author (the same
 * draft or another), under a new slug; its media go with it. Returns the new lesson's slug and the
 * target's new revision. The target's edit rules apply (saveDraft: author, state, revision). Without
 * `revision` (the pages' copy buttons) the target's current one is used: a copy only adds to the
 * target, computed from its content inside the transaction, so it never overwrites a save.
 */
export function copyLesson(db: DB, sourceId: number, lessonSlug: string, targetId: number, revision: number | undefined, user: Actor): { slug: string; revision: number } {
  return db.transaction((tx) => {
    const source = sourceDraft(tx as unknown as DB, sourceId, user);
    const lesson = source.content.manifest.modules.flatMap((m) => m.lessons).find((l) => l.slug === lessonSlug);
    if (!lesson) throw new AppError('lesson_not_found', 404);
    const target = sourceDraft(tx as unknown as DB, targetId, user);
    let slug = '';
    const saved = saveDraft(
      tx as unknown as DB,
      targetId,
      revision ?? target.revision,
      (content) => {
        const modules = structuredClone(content.manifest.modules);
        if (!modules.length) throw new AppError('copy_no_module', 409);
        slug = freeId(lesson.slug, new Set(modules.flatMap((m) => m.lessons.map((l) => l.slug))));
        modules.at(-1)!.lessons.push({ ...structuredClone(lesson), slug });
        return { manifest: { ...content.manifest, modules } };
      },
      user,
    );
    shareMedia(tx as unknown as DB, sourceId, targetId, lesson);
    return { slug, revision: saved.revision };
  });
}

/**
 * Copies one quiz into a draft of the same author. In the same draft the copy draws from the same
 * categories; into another draft the categories it draws from come along with their questions
 * (renamed `…-copy` where the target already uses the id for something else). The copy is checked by
 * the bank's own rules (a second final test is refused; a module position past the target's modules
 * is cleared). Returns the new quiz's id and the target's new revision. `revision` as for copyLesson.
 */
export function copyQuiz(db: DB, sourceId: number, quizId: string, targetId: number, revision: number | undefined, user: Actor): { id: string; revision: number } {
  return db.transaction((tx) => {
    const source = sourceDraft(tx as unknown as DB, sourceId, user);
    const quiz = (source.content.quizzes.quizzes as unknown as QuizJson[]).find((q) => q.id === quizId);
    if (!quiz) throw new AppError('quiz_not_found', 404);
    const target = sourceDraft(tx as unknown as DB, targetId, user);
    const from = bankOf(source);
    let newId = '';
    const change = Object.assign(
      (bank: Bank, d: { slug: string; content: { manifest: { modules: unknown[] } } }): Bank => {
        let next = bank;
        const rename = new Map<string, string>();
        if (targetId !== sourceId) {
          for (const rule of quiz.draw) {
            const cat = from.questions.categories.find((c) => c.id === rule.category)!;
            const qs = from.questions.questions.filter((q) => q.category === cat.id);
            const same = next.questions.categories.find((c) => c.id === cat.id);
            const identical = same && JSON.stringify(same) === JSON.stringify(cat) && qs.every((q) => next.questions.questions.some((x) => JSON.stringify(x) === JSON.stringify(q)));
            if (identical) continue;
            const catId = same ? freeId(cat.id, new Set(next.questions.categories.map((c) => c.id))) : cat.id;
            rename.set(cat.id, catId);
            next = edit.addCategory(next, { ...cat, id: catId });
            for (const q of qs) {
              const taken = new Set(next.questions.questions.map((x) => x.id));
              next = edit.addQuestion(next, { ...structuredClone(q), id: taken.has(q.id) ? freeId(q.id, taken) : q.id, category: catId }, d.slug);
            }
          }
        }
        newId = freeId(quiz.id, new Set(next.quizzes.quizzes.map((q) => q.id)));
        const modules = d.content.manifest.modules.length;
        const copy: Record<string, any> = { ...structuredClone(quiz), id: newId, draw: quiz.draw.map((r) => ({ ...r, category: rename.get(r.category) ?? r.category })) };
        if (copy.modulePosition !== null && copy.modulePosition !== undefined && Number(copy.modulePosition) > modules) copy.modulePosition = null as never;
        return edit.addQuiz(next, copy, modules);
      },
      { part: 'quizzes:add' },
    );
    const saved = changeBank(tx as unknown as DB, targetId, revision ?? target.revision, user as SessionUser, change as never);
    const bank = bankOf(getDraft(tx as unknown as DB, targetId));
    shareMedia(tx as unknown as DB, sourceId, targetId, bank);
    return { id: newId, revision: saved };
  });
}

/**
 * The drafts a lesson or quiz may be copied into by this user: those they may edit (their own as a
 * trainer; every one as an administrator) that are open for edits (draft, changes requested).
 */
export function copyTargets(db: DB, user: Actor): Draft[] {
  return listDrafts(db, user).filter((d) => canEditDraft(user, d) && EDITABLE_STATES.includes(d.state));
}
