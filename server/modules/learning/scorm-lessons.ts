/** SCORM lessons: runtime data committed by the package, acknowledged and idempotent like quiz answers. */
import { and, eq } from 'drizzle-orm';
import { type OutlineLesson } from '../catalog/service';
import { type DB } from '@db/client';
import { enrolments, lessonProgress, scormRuntime, users } from '@db/schema';
import { createLaunch } from '../scorm/launch';
import { scormRestore, scormStatus, SCORM_CMI_MAX_CHARS, type ScormStatus } from './scorm-runtime';
import { AppError } from '@server/lib/errors';
import { enrolmentForLesson, settleCompletion } from './progress';
import type { Enrolment } from './reads';

export type ScormRuntimeInput = {
  /** increases with every commit from the runtime; a commit with a seq not above the stored one changes nothing */
  seq: number;
  /** the CMI data model as the runtime rendered it (scorm-again JSON) */
  cmi: Record<string, unknown>;
};
export type ScormRuntimeResult = ScormStatus & { seq: number; viewed: boolean; passed: boolean; course: { status: Enrolment['status']; completedAt: Date | null } };

/**
 * Saves a SCORM lesson's runtime data for the learner's enrolment. Ordered and idempotent: only a
 * higher `seq` replaces the stored data, so a repeated or late commit (a retry, the offline queue)
 * never overwrites newer data. Completion and passing are never taken back: the first commit saying
 * completed marks the lesson viewed, the first saying passed counts as the final test when the author
 * made it one. Then the course's completion rule is applied. The answer says what is stored.
 */
export function saveScormRuntime(db: DB, userId: number, lessonId: number, input: ScormRuntimeInput, now = new Date()): ScormRuntimeResult {
  if (JSON.stringify(input.cmi).length > SCORM_CMI_MAX_CHARS) throw new AppError('scorm_data_too_large', 413, 'cmi');
  return db.transaction((tx) => {
    const { enrolment, lesson } = enrolmentForLesson(tx, userId, lessonId);
    if (!lesson.scorm) throw new AppError('scorm_not_scorm_lesson', 422, 'id');
    const contentHash = lesson.contentHash ?? '';
    const key = and(eq(scormRuntime.enrolmentId, enrolment.id), eq(scormRuntime.lessonSlug, lesson.slug), eq(scormRuntime.contentHash, contentHash));
    let row = tx.select().from(scormRuntime).where(key).get();
    if (!row || input.seq > row.seq) {
      const status = scormStatus(lesson.scorm, input.cmi);
      const values = {
        seq: input.seq,
        cmi: input.cmi,
        completion: status.completion,
        success: status.success,
        score: status.score,
        completedAt: row?.completedAt ?? (status.completion === 'completed' ? now : null),
        passedAt: row?.passedAt ?? (status.success === 'passed' ? now : null),
        updatedAt: now,
      };
      row = row
        ? tx.update(scormRuntime).set(values).where(eq(scormRuntime.id, row.id)).returning().get()
        : tx.insert(scormRuntime).values({ ...values, enrolmentId: enrolment.id, userId, lessonSlug: lesson.slug, contentHash, createdAt: now }).returning().get();
    }
    if (enrolment.status === 'active' && enrolment.lastLessonId !== lesson.id) tx.update(enrolments).set({ lastLessonId: lesson.id }).where(eq(enrolments.id, enrolment.id)).run();
    if (row!.completedAt) {
      const progressKeyOf = and(eq(lessonProgress.enrolmentId, enrolment.id), eq(lessonProgress.lessonSlug, lesson.slug), eq(lessonProgress.contentHash, contentHash));
      const progress = tx.select().from(lessonProgress).where(progressKeyOf).get();
      if (!progress) tx.insert(lessonProgress).values({ enrolmentId: enrolment.id, lessonSlug: lesson.slug, contentHash, watched: [], positionSeconds: 0, seq: 0, viewedAt: now, createdAt: now, updatedAt: now }).run();
      else if (!progress.viewedAt) tx.update(lessonProgress).set({ viewedAt: now, updatedAt: now }).where(eq(lessonProgress.id, progress.id)).run();
    }
    const settled = settleCompletion(tx, { ...enrolment, lastLessonId: lesson.id }, now);
    const r = row!;
    return {
      seq: r.seq,
      completion: r.completion as ScormStatus['completion'],
      success: r.success as ScormStatus['success'],
      score: r.score,
      viewed: r.completedAt !== null,
      passed: r.passedAt !== null,
      course: { status: settled.enrolment.status, completedAt: settled.enrolment.completedAt },
    };
  });
}

/** The learner's stored runtime data of a SCORM lesson (their enrolment only), or null before the first commit. */
export function scormRuntimeFor(db: DB, userId: number, lessonId: number): { lesson: OutlineLesson; row: typeof scormRuntime.$inferSelect | null } {
  const { enrolment, lesson } = enrolmentForLesson(db, userId, lessonId);
  if (!lesson.scorm) throw new AppError('scorm_not_scorm_lesson', 422, 'id');
  const row = db
    .select()
    .from(scormRuntime)
    .where(and(eq(scormRuntime.enrolmentId, enrolment.id), eq(scormRuntime.lessonSlug, lesson.slug), eq(scormRuntime.contentHash, lesson.contentHash ?? '')))
    .get();
  return { lesson, row: row ?? null };
}

/** What the runtime of a SCORM lesson starts from for this learner (the scormStartState hook), or null when they may not launch it. */
export function scormStartState(db: DB, userId: number, lessonId: number): { seq: number; cmi: Record<string, unknown>; learner: { id: string; name: string } } | null {
  let found: ReturnType<typeof scormRuntimeFor>;
  try {
    found = scormRuntimeFor(db, userId, lessonId);
  } catch (e) {
    if (e instanceof AppError) return null;
    throw e;
  }
  const person = db.select({ fullName: users.fullName }).from(users).where(eq(users.id, userId)).get();
  return { seq: found.row?.seq ?? 0, cmi: scormRestore(found.lesson.scorm!.version, found.row?.cmi ?? null), learner: { id: String(userId), name: person?.fullName ?? '' } };
}

/** Launches a SCORM lesson for the enrolled learner: a token for the package's files (server/modules/scorm/launch.ts). */
export function launchScormLesson(db: DB, userId: number, lessonId: number, parentOrigin: string, now = new Date()): { token: string; url: string; sandboxed: boolean } {
  const { lesson } = enrolmentForLesson(db, userId, lessonId);
  if (!lesson.scorm) throw new AppError('scorm_not_scorm_lesson', 422, 'id');
  return createLaunch(db, { packageSha256: lesson.scorm.package, href: lesson.scorm.href, userId, lessonId: lesson.id, parentOrigin }, now);
}
