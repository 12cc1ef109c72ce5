/** New course versions: active enrolments move to the new version, keeping progress by lesson. */
import { and, eq, sql } from 'drizzle-orm';
import { type DB } from '@db/client';
import { courseModules, courses, enrolments, lessons, users } from '@db/schema';
import { settleCompletion } from './progress';

/**
 * When a changed package is imported, active enrolments move to the new version. Progress rows are
 * keyed by lesson slug and content hash, so unchanged lessons keep their progress and changed ones
 * start again. Completed enrolments stay on the version they completed.
 */
export function moveActiveEnrolments(db: DB, courseId: number, versionId: number, now = new Date()): void {
  const active = db.select().from(enrolments).where(and(eq(enrolments.courseId, courseId), eq(enrolments.status, 'active'))).all();
  if (active.length === 0) return;
  const newLessons = db
    .select({ id: lessons.id, slug: lessons.slug })
    .from(lessons)
    .innerJoin(courseModules, eq(courseModules.id, lessons.moduleId))
    .where(eq(courseModules.versionId, versionId))
    .all();
  const bySlug = new Map(newLessons.map((l) => [l.slug, l.id]));
  for (const e of active) {
    const lastSlug = e.lastLessonId ? db.select({ slug: lessons.slug }).from(lessons).where(eq(lessons.id, e.lastLessonId)).get()?.slug : undefined;
    const moved = db
      .update(enrolments)
      .set({ versionId, lastLessonId: lastSlug ? bySlug.get(lastSlug) ?? null : null })
      .where(eq(enrolments.id, e.id))
      .returning()
      .get();
    settleCompletion(db, moved, now);
  }
}

/**
 * Active HR assignments with a due date on or before `until` (YYYY-MM-DD), not completed, of people
 * who can sign in: what the reminder run tells servants about (due soon, overdue).
 */
export function assignmentsDueBy(db: DB, until: string): { enrolmentId: number; userId: number; dueDate: string; slug: string; titleKy: string | null; titleRu: string | null }[] {
  return db
    .select({ enrolmentId: enrolments.id, userId: enrolments.userId, dueDate: enrolments.dueDate, slug: courses.slug, titleKy: courses.titleKy, titleRu: courses.titleRu })
    .from(enrolments)
    .innerJoin(courses, eq(courses.id, enrolments.courseId))
    .innerJoin(users, eq(users.id, enrolments.userId))
    .where(and(eq(enrolments.status, 'active'), sql`${enrolments.dueDate} IS NOT NULL AND ${enrolments.dueDate} <= ${until}`, sql`${users.passwordHash} IS NOT NULL AND ${users.lockedAt} IS NULL`))
    .all()
    .map((r) => ({ ...r, dueDate: r.dueDate! }));
}

// What the modules below ask of learning (server/lib/hooks.ts).
