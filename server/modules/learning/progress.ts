/** Progress: lessons opened and viewed, watched ranges, completion of the course. */
import { and, eq, inArray, sql } from 'drizzle-orm';
import { courseVersion, versionOutline, type OutlineLesson } from '../catalog/service';
import { issueCertificate } from '../certificates/service';
import { type DB } from '@db/client';
import { courseModules, courseVersions, enrolments, lessonProgress, lessons, type CompletionRule } from '@db/schema';
import { AppError } from '@server/lib/errors';
import { hook } from '@server/lib/hooks';
import { completionState, lessonsRequired, type CompletionState } from './completion';
import { limitNewCoverage, mergeRanges, VIEWED_FRACTION, watchedFraction, type Range } from './ranges';
import { activeEnrolment, type Enrolment, enrolmentInCourse, hot, quizOutcomes, sourceOf } from './reads';

type Lesson = typeof lessons.$inferSelect;

export type LessonState = {
  lessonId: number;
  slug: string;
  viewed: boolean;
  watchedFraction: number | null;
  positionSeconds: number;
  seq: number;
  /**
   * The learner had finished this lesson, but its content changed in a newer version: when the
   * current content was published (the learner is told "updated on …, read it again"; nothing of
   * their earlier progress is deleted). Absent otherwise.
   */
  updatedAt?: Date;
};
export type ModuleProgress = { position: number; titleKy: string | null; titleRu: string | null; lessons: (LessonOutline & LessonState)[]; viewed: number; total: number };
export type LessonOutline = Pick<Lesson, 'id' | 'slug' | 'position' | 'kind' | 'minutes' | 'titleKy' | 'titleRu' | 'contentHash'> & { hasVideo: boolean };
export type EnrolmentProgress = {
  modules: ModuleProgress[];
  viewed: number;
  total: number;
  percent: number;
  completion: CompletionState;
  rule: CompletionRule;
  /** the lesson to continue with: the last opened unless viewed, else the first not viewed */
  nextLessonId: number | null;
};

/** Progress rows are keyed by lesson slug and content hash, so unchanged lessons keep theirs in a new version. */
const progressKey = (slug: string, contentHash: string | null) => `${slug}\u0000${contentHash}`;

/** Every requirement of the version's rule for this enrolment, given its viewed lessons. */
function completionOf(db: DB, enrolment: Enrolment, rule: CompletionRule, viewed: number, total: number): CompletionState {
  return completionState(rule, {
    lessonsViewed: viewed,
    lessonsTotal: total,
    quizzes: quizOutcomes(db, enrolment),
    feedbackGiven: hook('feedbackGiven')(db, enrolment.id),
  });
}

const percentOf = (viewed: number, total: number) => (total ? Math.floor((viewed * 100) / total) : 0);

/** Progress of an enrolment in its version: per lesson, per module, per course, and the completion state. */
export function enrolmentProgress(db: DB, enrolment: Enrolment): EnrolmentProgress {
  const version = courseVersion(db, enrolment.versionId)!;
  const outline = versionOutline(db, enrolment.versionId);
  const rows = db.select().from(lessonProgress).where(eq(lessonProgress.enrolmentId, enrolment.id)).all();
  const byKey = new Map(rows.map((r) => [progressKey(r.lessonSlug, r.contentHash), r]));
  const updated = changedSinceViewed(db, enrolment, outline, rows);
  let viewed = 0;
  let total = 0;
  let firstUnviewed: number | null = null;
  let lastOpened: { id: number; viewed: boolean } | null = null;
  const modules = outline.map((m) => {
    const ls = m.lessons.map((l) => {
      const p = byKey.get(progressKey(l.slug, l.contentHash));
      const state: LessonState = {
        lessonId: l.id,
        slug: l.slug,
        viewed: Boolean(p?.viewedAt),
        watchedFraction: l.video ? watchedFraction(p?.watched ?? [], l.video.seconds) : null,
        positionSeconds: p?.positionSeconds ?? 0,
        seq: p?.seq ?? 0,
        ...(!p?.viewedAt && updated.has(l.slug) ? { updatedAt: updated.get(l.slug)! } : {}),
      };
      total++;
      if (state.viewed) viewed++;
      else firstUnviewed ??= l.id;
      if (l.id === enrolment.lastLessonId) lastOpened = { id: l.id, viewed: state.viewed };
      const { video, moduleId: _m, ...rest } = l;
      return { ...rest, hasVideo: Boolean(video), ...state };
    });
    return { position: m.position, titleKy: m.titleKy, titleRu: m.titleRu, lessons: ls, viewed: ls.filter((l) => l.viewed).length, total: ls.length };
  });
  const completion = completionOf(db, enrolment, version.completion, viewed, total);
  const opened = lastOpened as { id: number; viewed: boolean } | null;
  const nextLessonId = opened && !opened.viewed ? opened.id : firstUnviewed ?? outline[0]?.lessons[0]?.id ?? null;
  return { modules, viewed, total, percent: percentOf(viewed, total), completion, rule: version.completion, nextLessonId };
}

/**
 * Lessons of the enrolment's version the learner had viewed in an earlier content (same slug, other
 * content hash) but not in the current one, each with the day its current content was first
 * published in this course. Empty (and no query) when nothing the learner viewed has changed.
 */
function changedSinceViewed(db: DB, enrolment: Enrolment, outline: ReturnType<typeof versionOutline>, rows: (typeof lessonProgress.$inferSelect)[]): Map<string, Date> {
  const current = new Map(outline.flatMap((m) => m.lessons.map((l) => [l.slug, l.contentHash] as const)));
  const viewedNow = new Set(rows.filter((r) => r.viewedAt && current.get(r.lessonSlug) === r.contentHash).map((r) => r.lessonSlug));
  const changed = [...new Set(rows.filter((r) => r.viewedAt && current.has(r.lessonSlug) && current.get(r.lessonSlug) !== r.contentHash && !viewedNow.has(r.lessonSlug)).map((r) => r.lessonSlug))];
  const out = new Map<string, Date>();
  if (!changed.length) return out;
  const since = db
    .select({ slug: lessons.slug, contentHash: lessons.contentHash, at: sql<number>`min(${courseVersions.createdAt})` })
    .from(lessons)
    .innerJoin(courseModules, eq(courseModules.id, lessons.moduleId))
    .innerJoin(courseVersions, eq(courseVersions.id, courseModules.versionId))
    .where(and(eq(courseVersions.courseId, enrolment.courseId), inArray(lessons.slug, changed)))
    .groupBy(lessons.slug, lessons.contentHash)
    .all();
  for (const r of since) if (r.contentHash === current.get(r.slug)) out.set(r.slug, new Date(r.at));
  return out;
}

/** How many of its version's lessons an enrolment has viewed: the course totals of enrolmentProgress, from the viewed rows' keys only. */
function lessonsViewed(db: DB, enrolment: Enrolment): { viewed: number; total: number } {
  const keys = new Set((hot(db).viewedKeys.all(enrolment.id) as [string, string][]).map(([slug, hash]) => progressKey(slug, hash)));
  let viewed = 0;
  let total = 0;
  for (const m of versionOutline(db, enrolment.versionId)) {
    for (const l of m.lessons) {
      total++;
      if (keys.has(progressKey(l.slug, l.contentHash))) viewed++;
    }
  }
  return { viewed, total };
}

/** Marks an active enrolment completed when its rule is met; returns the enrolment as it now is, with its lesson counts. */
export function settleCompletion(db: DB, enrolment: Enrolment, now: Date): { enrolment: Enrolment; viewed: number; total: number } {
  const { viewed, total } = lessonsViewed(db, enrolment);
  if (enrolment.status !== 'active') return { enrolment, viewed, total };
  const version = courseVersion(db, enrolment.versionId)!;
  // The lessons are the cheap part of the rule: while they are not met, the quizzes and feedback
  // cannot complete the course, so they are only read once the lessons are met.
  if (viewed >= lessonsRequired(version.completion, total) && completionOf(db, enrolment, version.completion, viewed, total).complete) {
    const updated = db
      .update(enrolments)
      .set({ status: 'completed', completedAt: now, hoursEarned: version.hours })
      .where(eq(enrolments.id, enrolment.id))
      .returning()
      .get();
    // The certificate is issued in the same transaction as the completion it certifies.
    issueCertificate(db, { userId: enrolment.userId, courseId: enrolment.courseId, sourceRef: sourceOf(enrolment.id), completedAt: now, hours: version.hours }, now);
    return { enrolment: updated, viewed, total };
  }
  return { enrolment, viewed, total };
}

/**
 * Re-checks the completion rule of the learner's active enrolment in a course, for events outside
 * this module that can complete it (a quiz passed, an essay graded, a question regraded).
 */
export function settleCourseCompletion(db: DB, userId: number, courseId: number, now = new Date()): void {
  const enrolment = activeEnrolment(db, userId, courseId);
  if (enrolment) settleCompletion(db, enrolment, now);
}

/** The learner's enrolment a lesson belongs to (active, else the latest completed), with the lesson in that enrolment's version. */
export function enrolmentForLesson(db: DB, userId: number, lessonId: number): { enrolment: Enrolment; lesson: OutlineLesson } {
  const place = hot(db).lessonPlace.get({ lessonId });
  // every module importCourse writes belongs to a version
  if (!place?.versionId) throw new AppError('lesson_not_found', 404);
  const enrolment = enrolmentInCourse(db, userId, place.courseId);
  if (!enrolment) throw new AppError('not_enrolled', 403);
  const inVersion = (versionId: number, found: (l: OutlineLesson) => boolean) => versionOutline(db, versionId).flatMap((m) => m.lessons).find(found);
  const lesson = inVersion(place.versionId, (l) => l.id === lessonId)!;
  if (place.versionId === enrolment.versionId) return { enrolment, lesson };
  // The page was opened on an older version: the same lesson, unchanged, in the enrolment's version.
  const same = inVersion(enrolment.versionId, (l) => l.slug === lesson.slug);
  if (!same || same.contentHash !== lesson.contentHash) throw new AppError('lesson_changed', 409);
  return { enrolment, lesson: same };
}

export type ProgressInput = {
  /** increases with every save from a page; a save with a lower seq than the stored one does not move the position back */
  seq: number;
  positionSeconds?: number;
  /** stretches of the video actually played, in seconds */
  ranges?: Range[];
  /** a text lesson read to its end */
  read?: boolean;
  /**
   * The learner says they watched the whole video: the page without the player (JavaScript off)
   * cannot report stretches. It counts as the whole video played, but no more than could have been
   * played since the lesson was first opened, by the same bound as reported stretches.
   */
  watchedToEnd?: boolean;
};

export type ProgressResult = { lesson: LessonState; course: { enrolmentId: number; status: Enrolment['status']; viewed: number; total: number; percent: number; completedAt: Date | null } };

/**
 * Records viewing progress of a lesson. Idempotent and ordered: ranges merge (order and repeats do
 * not matter), the resume position only moves with a higher `seq`, and "viewed" never goes back.
 */
export function saveProgress(db: DB, userId: number, lessonId: number, input: ProgressInput, now = new Date()): ProgressResult {
  return db.transaction((tx) => {
    const { enrolment, lesson } = enrolmentForLesson(tx, userId, lessonId);
    const contentHash = lesson.contentHash ?? '';
    const statements = hot(tx);
    const existing = statements.progressRow.get({ enrolmentId: enrolment.id, slug: lesson.slug, contentHash });
    const duration = lesson.video?.seconds ?? 0;
    let watched: Range[] = existing?.watched ?? [];
    if (lesson.video && input.ranges?.length) {
      const elapsed = existing ? (now.getTime() - existing.updatedAt.getTime()) / 1000 : 0;
      watched = limitNewCoverage(watched, input.ranges, duration, elapsed);
    }
    if (lesson.video && input.watchedToEnd) {
      const sinceOpened = existing ? (now.getTime() - existing.createdAt.getTime()) / 1000 : 0;
      watched = limitNewCoverage(watched, [[0, duration]], duration, sinceOpened);
    }
    const newer = !existing || input.seq > existing.seq;
    const position =
      newer && input.positionSeconds !== undefined
        ? Math.max(0, lesson.video ? Math.min(input.positionSeconds, duration) : input.positionSeconds)
        : existing?.positionSeconds ?? 0;
    // A SCORM lesson is viewed when its package says completed (saveScormRuntime), never by a progress save.
    const viewedNow = lesson.scorm ? false : lesson.video ? watchedFraction(watched, duration) >= VIEWED_FRACTION : input.read === true;
    const viewedAt = existing?.viewedAt ?? (viewedNow ? now : null);
    const seq = Math.max(existing?.seq ?? 0, input.seq);
    if (existing) {
      statements.updateProgress.run(JSON.stringify(watched), position, seq, viewedAt?.getTime() ?? null, now.getTime(), existing.id);
    } else {
      const at = now.getTime();
      statements.insertProgress.run(enrolment.id, lesson.slug, contentHash, JSON.stringify(mergeRanges(watched, duration)), position, seq, viewedAt?.getTime() ?? null, at, at);
    }
    if (enrolment.status === 'active' && enrolment.lastLessonId !== lesson.id) statements.setLastLesson.run(lesson.id, enrolment.id);
    const settled = settleCompletion(tx, { ...enrolment, lastLessonId: lesson.id }, now);
    return {
      lesson: {
        lessonId: lesson.id,
        slug: lesson.slug,
        viewed: viewedAt !== null,
        watchedFraction: lesson.video ? watchedFraction(watched, duration) : null,
        positionSeconds: position,
        seq,
      },
      course: {
        enrolmentId: settled.enrolment.id,
        status: settled.enrolment.status,
        viewed: settled.viewed,
        total: settled.total,
        percent: percentOf(settled.viewed, settled.total),
        completedAt: settled.enrolment.completedAt,
      },
    };
  });
}

/**
 * Opening a lesson page: remembers it as the place to continue from and starts its progress row
 * (whose time bounds how much video the next save can claim).
 */
export function openLesson(db: DB, enrolment: Enrolment, lesson: Pick<Lesson, 'id' | 'slug' | 'contentHash'>, now = new Date()): void {
  db.transaction((tx) => {
    if (enrolment.status === 'active') tx.update(enrolments).set({ lastLessonId: lesson.id }).where(eq(enrolments.id, enrolment.id)).run();
    tx.insert(lessonProgress)
      .values({ enrolmentId: enrolment.id, lessonSlug: lesson.slug, contentHash: lesson.contentHash ?? '', watched: [], positionSeconds: 0, seq: 0, viewedAt: null, createdAt: now, updatedAt: now })
      .onConflictDoNothing()
      .run();
  });
}
