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
import { canEditDraft, type Draft } from './service';

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
