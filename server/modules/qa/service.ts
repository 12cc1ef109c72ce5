/**
 * Learner Q&A: a learner asks the course's trainers a question from a lesson; a trainer of the course
 * answers it from their own page (/trainer/questions) and the learner is told through the
 * notifications module; the academy (a reviewer or an administrator) may hide a question.
 *
 * Who sees what — every rule here, once:
 * - the asker: their own questions that are not hidden, with the answer;
 * - the course's trainers: the course's questions that are not hidden. The course's trainers are the
 *   authors of its drafts who still hold the trainer role; a course with none (brought from the course
 *   library, not written in the browser) is answered by every trainer;
 * - reviewers and administrators: every question, the hidden ones marked.
 * Anyone else is told the question does not exist (404). Text is plain (never HTML): pages print it
 * escaped, with line breaks kept by CSS.
 */
import { and, count, desc, eq, inArray, isNotNull, isNull, type SQL } from 'drizzle-orm';
import type { DB } from '@db/client';
import { courseDrafts, courseQuestions, courses, lessons, userRoles, users } from '@db/schema';
import { AppError } from '@server/lib/errors';
import type { SessionUser } from '@server/lib/session';
import { recordAudit } from '../audit/service';
import { notify } from '../notifications/service';
import { userIdsWithRole } from '../people/service';
import { lessonForLearner } from '../learning/service';

export type Question = typeof courseQuestions.$inferSelect;
type Who = Pick<SessionUser, 'id' | 'roles'>;

/** A question or an answer: at most this many characters once trimmed. */
export const MAX_TEXT = 2000;
/** A learner may have at most this many unanswered questions in one course (a bound on flooding the trainers). */
export const MAX_OPEN_PER_COURSE = 20;

/** The academy moderates questions: reviewers and administrators (see hidden ones, hide one). */
export const isModerator = (u: Pick<SessionUser, 'roles'>) => u.roles.includes('reviewer') || u.roles.includes('admin');

/** The course's trainers: authors of its drafts who still hold the trainer role, else every trainer. */
export function courseTrainerIds(db: DB, courseId: number): number[] {
  const authors = db
    .selectDistinct({ id: users.id })
    .from(courseDrafts)
    .innerJoin(users, eq(users.id, courseDrafts.createdBy))
    .innerJoin(userRoles, and(eq(userRoles.userId, users.id), eq(userRoles.role, 'trainer')))
    .where(and(eq(courseDrafts.courseId, courseId), isNull(users.lockedAt)))
    .all()
    .map((r) => r.id);
  return authors.length ? authors : userIdsWithRole(db, 'trainer');
}

/** May this person answer the course's questions: one of its trainers, or an administrator. */
export function mayAnswer(db: DB, u: Who, courseId: number): boolean {
  if (u.roles.includes('admin')) return true;
  return u.roles.includes('trainer') && courseTrainerIds(db, courseId).includes(u.id);
}

function mayRead(db: DB, u: Who, q: Question): boolean {
  if (isModerator(u)) return true;
  if (q.hiddenAt) return false;
  return q.askerId === u.id || mayAnswer(db, u, q.courseId);
}

function load(db: DB, u: Who, id: number): Question {
  const q = db.select().from(courseQuestions).where(eq(courseQuestions.id, id)).get();
  // Someone who may not see it is told it does not exist.
  if (!q || !mayRead(db, u, q)) throw new AppError('question_not_found', 404);
  return q;
}

function cleanText(text: string, empty: string, field: string): string {
  const s = text.replace(/\r\n?/g, '\n').trim();
  if (!s) throw new AppError(empty, 400, field);
  if (s.length > MAX_TEXT) throw new AppError('question_too_long', 400, field);
  return s;
}

/**
 * The learner asks the course's trainers a question from a lesson of their enrolment: 403
 * `not_enrolled` without one (or once withdrawn), 404 for an unknown course or lesson, 409
 * `too_many_open_questions` past MAX_OPEN_PER_COURSE unanswered ones. The course's trainers
 * (courseTrainerIds; never the asker) are told in the same transaction, once per question, with a
 * link to their questions page.
 */
export function askQuestion(db: DB, userId: number, courseSlug: string, lessonSlug: string, text: string, now = new Date()): Question {
  const body = cleanText(text, 'question_empty', 'body');
  return db.transaction(
    (tx) => {
      const view = lessonForLearner(tx, userId, courseSlug, lessonSlug);
      if (view.enrolment.status === 'withdrawn') throw new AppError('not_enrolled', 403);
      const open = tx
        .select({ n: count() })
        .from(courseQuestions)
        .where(and(eq(courseQuestions.askerId, userId), eq(courseQuestions.courseId, view.course.id), isNull(courseQuestions.answeredAt), isNull(courseQuestions.hiddenAt)))
        .get()!.n;
      if (open >= MAX_OPEN_PER_COURSE) throw new AppError('too_many_open_questions', 409);
      const q = tx
        .insert(courseQuestions)
        .values({ courseId: view.course.id, lessonId: view.lesson.id, lessonSlug: view.lesson.slug, askerId: userId, body, createdAt: now })
        .returning()
        .get();
      const course = tx.select({ titleKy: courses.titleKy, titleRu: courses.titleRu }).from(courses).where(eq(courses.id, view.course.id)).get()!;
      for (const trainerId of courseTrainerIds(tx, view.course.id)) {
        if (trainerId === userId) continue;
        notify(tx, {
          userId: trainerId,
          kind: 'question_asked',
          link: 'trainer/questions',
          ref: `question:${q.id}:asked`,
          params: { course: { ky: course.titleKy, ru: course.titleRu } },
        }, now);
      }
      return q;
    },
  );
}

/** The learner's own questions asked from a lesson of a course (hidden ones are not shown), newest first. */
export function myLessonQuestions(db: DB, userId: number, courseId: number, lessonSlug: string): Question[] {
  return db
    .select()
    .from(courseQuestions)
    .where(and(eq(courseQuestions.askerId, userId), eq(courseQuestions.courseId, courseId), eq(courseQuestions.lessonSlug, lessonSlug), isNull(courseQuestions.hiddenAt)))
    .orderBy(desc(courseQuestions.createdAt), desc(courseQuestions.id))
    .all();
}

/**
 * A trainer (of the course) answers a question, once: 409 `question_already_answered` when someone
 * answered first (the write is conditional, so two trainers at once give one answer), 409
 * `question_hidden` for a hidden one, 403 `forbidden` for a reviewer who is not its trainer. The
 * asker is told in the same transaction.
 */
export function answerQuestion(db: DB, u: Who, id: number, text: string, now = new Date()): Question {
  const answer = cleanText(text, 'answer_empty', 'answer');
  return db.transaction(
    (tx) => {
      const q = load(tx, u, id);
      if (!mayAnswer(tx, u, q.courseId)) throw new AppError('forbidden', 403);
      if (q.hiddenAt) throw new AppError('question_hidden', 409);
      const done = tx
        .update(courseQuestions)
        .set({ answer, answeredBy: u.id, answeredAt: now })
        .where(and(eq(courseQuestions.id, id), isNull(courseQuestions.answeredAt), isNull(courseQuestions.hiddenAt)))
        .run();
      if (done.changes !== 1) throw new AppError('question_already_answered', 409);
      const course = tx.select({ slug: courses.slug, titleKy: courses.titleKy, titleRu: courses.titleRu }).from(courses).where(eq(courses.id, q.courseId)).get()!;
      if (q.askerId !== u.id) {
        notify(tx, {
          userId: q.askerId,
          kind: 'question_answered',
          link: `courses/${course.slug}/lessons/${q.lessonSlug}#questions`,
          ref: `question:${q.id}:answered`,
          params: { course: { ky: course.titleKy, ru: course.titleRu } },
        }, now);
      }
      return tx.select().from(courseQuestions).where(eq(courseQuestions.id, id)).get()!;
    },
  );
}

/** The academy hides a question (reviewer or administrator; 403 for anyone else). Hiding twice changes nothing. */
export function hideQuestion(db: DB, u: Who & { ip?: string | null }, id: number, now = new Date()): Question {
  return db.transaction(
    (tx) => {
      const q = load(tx, u, id);
      if (!isModerator(u)) throw new AppError('forbidden', 403);
      if (!q.hiddenAt) {
        tx.update(courseQuestions).set({ hiddenAt: now, hiddenBy: u.id }).where(eq(courseQuestions.id, id)).run();
        recordAudit(tx, { actorId: u.id, action: 'question.hide', targetType: 'course_question', targetId: id, details: { courseId: q.courseId }, ip: u.ip ?? null }, now);
      }
      return tx.select().from(courseQuestions).where(eq(courseQuestions.id, id)).get()!;
    },
  );
}

export const QUESTION_STATES = ['open', 'answered', 'hidden', 'all'] as const;
export type QuestionState = (typeof QUESTION_STATES)[number];

export type StaffQuestion = Question & {
  course: { slug: string; titleKy: string | null; titleRu: string | null };
  lessonTitle: { titleKy: string | null; titleRu: string | null } | null;
  askerName: string;
  canAnswer: boolean;
};

/**
 * The questions a trainer, reviewer or administrator sees (403 for anyone else), oldest open first
 * for `open`, newest first otherwise; `hidden` is for reviewers and administrators.
 */
export function staffQuestions(db: DB, u: Who, q: { state?: QuestionState; limit?: number; offset?: number } = {}): { items: StaffQuestion[]; total: number } {
  const moderator = isModerator(u);
  if (!moderator && !u.roles.includes('trainer')) throw new AppError('forbidden', 403);
  const state = q.state ?? 'open';
  const where: SQL[] = [];
  if (!moderator) {
    // A trainer's courses: those they wrote, and those nobody (still a trainer) wrote.
    const ids = db.select({ id: courses.id }).from(courses).all().map((c) => c.id).filter((id) => mayAnswer(db, u, id));
    if (!ids.length) return { items: [], total: 0 };
    where.push(inArray(courseQuestions.courseId, ids));
  }
  if (state === 'hidden' || !moderator) where.push(state === 'hidden' && moderator ? isNotNull(courseQuestions.hiddenAt) : isNull(courseQuestions.hiddenAt));
  if (state === 'open') where.push(isNull(courseQuestions.answeredAt), isNull(courseQuestions.hiddenAt));
  if (state === 'answered') where.push(isNotNull(courseQuestions.answeredAt));
  const cond = where.length ? and(...where) : undefined;
  const total = db.select({ n: count() }).from(courseQuestions).where(cond).get()!.n;
  const rows = db
    .select({ q: courseQuestions, slug: courses.slug, titleKy: courses.titleKy, titleRu: courses.titleRu, lessonKy: lessons.titleKy, lessonRu: lessons.titleRu, askerName: users.fullName })
    .from(courseQuestions)
    .innerJoin(courses, eq(courses.id, courseQuestions.courseId))
    .innerJoin(users, eq(users.id, courseQuestions.askerId))
    .leftJoin(lessons, eq(lessons.id, courseQuestions.lessonId))
    .where(cond)
    .orderBy(...(state === 'open' ? [courseQuestions.createdAt, courseQuestions.id] : [desc(courseQuestions.createdAt), desc(courseQuestions.id)]))
    .limit(Math.min(Math.max(q.limit ?? 50, 1), 100))
    .offset(Math.max(q.offset ?? 0, 0))
    .all();
  const answerable = new Map<number, boolean>();
  const items = rows.map((r) => {
    if (!answerable.has(r.q.courseId)) answerable.set(r.q.courseId, mayAnswer(db, u, r.q.courseId));
    return {
      ...r.q,
      course: { slug: r.slug, titleKy: r.titleKy, titleRu: r.titleRu },
      lessonTitle: r.lessonKy !== null || r.lessonRu !== null ? { titleKy: r.lessonKy, titleRu: r.lessonRu } : null,
      askerName: r.askerName,
      canAnswer: answerable.get(r.q.courseId)! && !r.q.answeredAt && !r.q.hiddenAt,
    };
  });
  return { items, total };
}

export function toQuestion(q: Question) {
  return {
    id: q.id,
    courseId: q.courseId,
    lessonSlug: q.lessonSlug,
    body: q.body,
    createdAt: q.createdAt.toISOString(),
    answer: q.answer,
    answeredAt: q.answeredAt?.toISOString() ?? null,
    hidden: q.hiddenAt !== null,
  };
}
