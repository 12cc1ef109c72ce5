/**
 * Upward calls between modules. Modules depend one way (docs/architecture.md: a module imports only
 * the layers below it, tests/api/layers.test.ts enforces it). When a lower module needs something that
 * only a higher one knows or decides — the quiz engine needs the learner's enrolment and must let the
 * learning module settle the course's completion after grading — it calls a hook named here, and the
 * higher module provides it when it loads (server/modules/providers.ts loads every provider; each
 * entry point imports that file).
 *
 * Hooks are plain synchronous functions called with the caller's connection, so they run inside the
 * caller's transaction: what a provider writes commits or rolls back with the caller's write. Each
 * hook has exactly one provider; calling one that has none is a programming error and throws.
 */
import type { DB } from '@db/client';
import type { enrolments } from '@db/schema';

type Enrolment = typeof enrolments.$inferSelect;

/** The CMI data a SCORM runtime is loaded with before the package initialises it (scorm-again's loadFromJSON shape). */
export type ScormStartState = { seq: number; cmi: Record<string, unknown>; learner: { id: string; name: string } };

export interface Hooks {
  /** learning: the learner's current enrolment in a course (active, else the latest completed) */
  currentEnrolment(db: DB, userId: number, courseId: number): Enrolment | undefined;
  /** learning: something the completion rule counts changed (a graded attempt); complete the course if it is now met */
  settleCourseCompletion(db: DB, userId: number, courseId: number, now?: Date): void;
  /** learning: a course has a new version; learners in progress move to it */
  courseVersionCreated(db: DB, courseId: number, versionId: number, now: Date): void;
  /** catalog: the course a quiz belongs to, as the quiz pages show it */
  courseBrief(db: DB, courseId: number): { id: number; slug: string; titleKy: string | null; titleRu: string | null; published: boolean } | undefined;
  /**
   * learning: what a SCORM lesson's runtime starts from for this learner (their committed data to
   * restore, the entry mode, the commit sequence to go on from); null when they may not launch it
   */
  scormStartState(db: DB, userId: number, lessonId: number): ScormStartState | null;
  /** feedback: whether the end-of-course survey of an enrolment was given */
  feedbackGiven(db: DB, enrolmentId: number): boolean;
  /** attestation: throws `session_other_device` when the attempt is a testing session's and another device holds it */
  attemptDevice(db: DB, attemptId: number, device: string | null): void;
  /** attestation: an attempt outside any enrolment was finished and graded; record it for its testing session */
  attemptFinished(db: DB, attemptId: number, now: Date): void;
}

const providers: Partial<Hooks> = {};

/** Called once by the module that answers the hook, when it loads. */
export function provide<K extends keyof Hooks>(name: K, fn: Hooks[K]): void {
  if (providers[name] && providers[name] !== fn) throw new Error(`hook ${name} already has a provider`);
  providers[name] = fn;
}

/** The provider of a hook; throws when the entry point did not load server/modules/providers.ts. */
export function hook<K extends keyof Hooks>(name: K): Hooks[K] {
  const fn = providers[name];
  if (!fn) throw new Error(`hook ${name} has no provider: the entry point must import server/modules/providers.ts`);
  return fn;
}
