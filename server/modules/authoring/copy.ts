/**
 * Copies (issue #22): a course draft, or the current version of a published course, duplicated into a
 * new draft under a new slug, with its question bank, quizzes and media; a lesson or a quiz into a
 * draft. The copy's content is a deep copy, so editing either never touches the other; media are
 * content-addressed (catalog/media.ts), so the copy names the same files and the new draft is recorded
 * as using them (draft_media), which lets its author fetch them before publication.
 */
import { and, eq, inArray } from 'drizzle-orm';
import type { DB } from '@db/client';
import { courseDrafts, courses, draftMedia, media } from '@db/schema';
import { AppError } from '@server/lib/errors';
import type { SessionUser } from '@server/lib/session';
import { recordAudit } from '../audit/service';
import { DraftContent } from './content';
import { assertSlugFree, canEditDraft, EDITABLE_STATES, getDraft, insertDraft, listDrafts, newCourseSlug, ownProvider, publishedContent, saveDraft, type Draft } from './service';
import { bankOf, changeBank } from './bank';
import * as edit from './questions';
import type { Bank, QuizJson } from './questions';

type Actor = Pick<SessionUser, 'id' | 'roles'>;

/**
 * Inserts a copy: a new draft (state `draft`, owned by `user`) holding `content` under `slug`, recorded
 * as using the media `used` names, audited. Runs inside the caller's transaction, which checked nothing
 * about the slug yet: the check and the insert are one step here.
 */
function insertCopy(tx: DB, slug: string, content: DraftContent, user: Actor, used: string[], audit: { action: string; details: Record<string, unknown> }, now: Date): Draft {
  assertSlugFree(tx, slug);
  const parsed = DraftContent.safeParse({ ...content, manifest: { ...content.manifest, slug } });
  if (!parsed.success) throw new AppError('invalid_input', 400, parsed.error.issues[0]?.path.join('.'));
  const d = insertDraft(tx, slug, parsed.data, user, now);
  for (const sha256 of new Set(used)) tx.insert(draftMedia).values({ draftId: d.id, sha256 }).onConflictDoNothing().run();
  recordAudit(tx, { actorId: user.id, action: audit.action, targetType: 'course_draft', targetId: d.id, details: { slug, ...audit.details } }, now);
  return d;
}

/**
 * A new draft (state `draft`, owned by `user`) holding a copy of the source draft's course, bank and
 * media. Only those who may edit the source (its author as a trainer, or an administrator) may copy
 * it; anyone else is told it does not exist (404, as for every draft of another trainer).
 */
export function copyDraft(db: DB, sourceId: number, newSlug: string, user: Actor, now = new Date()): Draft {
  const slug = newCourseSlug(newSlug);
  return db.transaction((tx) => {
    const source = sourceDraft(tx, sourceId, user);
    const used = tx.select({ sha256: draftMedia.sha256 }).from(draftMedia).where(eq(draftMedia.draftId, source.id)).all().map((m) => m.sha256);
    return insertCopy(tx, slug, structuredClone(source.content), user, used, { action: 'course.draft_copied', details: { fromDraft: source.id } }, now);
  });
}

/**
 * A new course based on a published one ("restore as new course"): a new draft (state `draft`, owned
 * by `user`) holding the content of the course's current version — settings, modules, lesson texts,
 * video, attachments, SCORM lessons, question bank and quizzes — as the published course has it, not
 * as its open draft (if any) has it. Any trainer may copy any published course as a starting point; an
 * administrator too. The copy is a new course: no link to the source (courseId and baseVersionId
 * null), so publishing it makes a second course and editing it never touches the source or its draft.
 * Its provider is the one the trainer writes for (ownProvider), else the source's. The media the
 * content names are recorded as used by the copy (`draft_media`), so its author may fetch them
 * whatever happens to the source. 400 `invalid_input` (slug), 404 `course_not_found` (unknown or not
 * published), 409 `slug_taken`, 409 `course_source_unavailable` (the version's bank cannot be read back).
 */
export function copyPublishedCourse(db: DB, courseSlug: string, newSlug: string, user: Actor, now = new Date(), coursesRoot = process.env.COURSES_DIR || 'courses'): Draft {
  if (!user.roles.includes('trainer') && !user.roles.includes('admin')) throw new AppError('forbidden', 403);
  const slug = newCourseSlug(newSlug);
  return db.transaction((tx) => {
    const course = tx.select().from(courses).where(and(eq(courses.slug, courseSlug), eq(courses.status, 'published'))).get();
    if (!course?.currentVersionId) throw new AppError('course_not_found', 404);
    const content = publishedContent(tx, { courseId: course.id, baseVersionId: course.currentVersionId }, coursesRoot);
    if (!content) throw new AppError('course_source_unavailable', 409);
    const provider = ownProvider(tx, user.id);
    if (provider !== undefined) content.manifest.provider = provider;
    const named = [...new Set(JSON.stringify(content).match(/\b[a-f0-9]{64}\b/g) ?? [])];
    const used = named.length ? tx.select({ sha256: media.sha256 }).from(media).where(inArray(media.sha256, named)).all().map((m) => m.sha256) : [];
    return insertCopy(tx, slug, content, user, used, { action: 'course.published_copied', details: { fromCourse: course.id, fromVersion: course.currentVersionId } }, now);
  });
}

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
    const source = sourceDraft(tx, sourceId, user);
    const lesson = source.content.manifest.modules.flatMap((m) => m.lessons).find((l) => l.slug === lessonSlug);
    if (!lesson) throw new AppError('lesson_not_found', 404);
    const target = sourceDraft(tx, targetId, user);
    let slug = '';
    const saved = saveDraft(
      tx,
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
    shareMedia(tx, sourceId, targetId, lesson);
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
    const source = sourceDraft(tx, sourceId, user);
    const quiz = (source.content.quizzes.quizzes as unknown as QuizJson[]).find((q) => q.id === quizId);
    if (!quiz) throw new AppError('quiz_not_found', 404);
    const target = sourceDraft(tx, targetId, user);
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
    const saved = changeBank(tx, targetId, revision ?? target.revision, user as SessionUser, change as never);
    const bank = bankOf(getDraft(tx, targetId));
    shareMedia(tx, sourceId, targetId, bank);
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
