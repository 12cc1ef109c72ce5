import { sqliteTable, text, integer, real, index, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { courses } from './catalog';
import { users } from './accounts';
import { enrolments } from './learning';

/**
 * The question bank of a course. A question keeps a stable slug from its package; each change of
 * its text or key adds a new version row, so an attempt keeps exactly the version it saw.
 * Only the `current` version is drawn for new attempts.
 */
export const quizQuestions = sqliteTable(
  'quiz_questions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    courseId: integer('course_id').notNull().references(() => courses.id, { onDelete: 'cascade' }),
    slug: text('slug').notNull(),
    version: integer('version').notNull(),
    current: integer('current', { mode: 'boolean' }).notNull(),
    category: text('category').notNull(),
    tags: text('tags', { mode: 'json' }).$type<string[]>().notNull(),
    kind: text('kind').notNull(),
    stemKy: text('stem_ky').notNull(),
    stemRu: text('stem_ru').notNull(),
    /** the kind's stored options, keys included (never sent to the browser as such) */
    options: text('options', { mode: 'json' }).$type<unknown>().notNull(),
    /** explanation shown on review */
    feedbackKy: text('feedback_ky'),
    feedbackRu: text('feedback_ru'),
    mark: real('mark').notNull(),
    /** SHA-256 of the authored question, to see whether an import changed it */
    hash: text('hash').notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    uniqueIndex('quiz_questions_version_uq').on(t.courseId, t.slug, t.version),
    index('quiz_questions_pool_idx').on(t.courseId, t.category, t.current),
  ],
);

/** Categories of a course's question bank (quizzes draw from them). */
export const quizCategories = sqliteTable(
  'quiz_categories',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    courseId: integer('course_id').notNull().references(() => courses.id, { onDelete: 'cascade' }),
    slug: text('slug').notNull(),
    titleKy: text('title_ky').notNull(),
    titleRu: text('title_ru').notNull(),
  },
  (t) => [uniqueIndex('quiz_categories_uq').on(t.courseId, t.slug)],
);

export type DrawRule = { category: string; count: number };
export type ReviewPolicy = 'immediately' | 'after_last_attempt' | 'after_close' | 'never';
export type GradingMethod = 'highest' | 'last' | 'average';

/** A module quiz or the final test of a course, keyed by the stable course id and a module position. */
export const quizzes = sqliteTable(
  'quizzes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    courseId: integer('course_id').notNull().references(() => courses.id, { onDelete: 'cascade' }),
    slug: text('slug').notNull(),
    kind: text('kind').$type<'module' | 'final'>().notNull(),
    /** 1-based module position; null for the final test */
    modulePosition: integer('module_position'),
    titleKy: text('title_ky').notNull(),
    titleRu: text('title_ru').notNull(),
    introKy: text('intro_ky'),
    introRu: text('intro_ru'),
    draw: text('draw', { mode: 'json' }).$type<DrawRule[]>().notNull(),
    shuffleQuestions: integer('shuffle_questions', { mode: 'boolean' }).notNull(),
    shuffleOptions: integer('shuffle_options', { mode: 'boolean' }).notNull(),
    timeLimitSeconds: integer('time_limit_seconds'),
    /** null: unlimited */
    attemptsAllowed: integer('attempts_allowed'),
    gradingMethod: text('grading_method').$type<GradingMethod>().notNull(),
    /** percent of the maximum needed to pass */
    passPercent: real('pass_percent').notNull(),
    opensAt: integer('opens_at', { mode: 'timestamp_ms' }),
    closesAt: integer('closes_at', { mode: 'timestamp_ms' }),
    review: text('review').$type<ReviewPolicy>().notNull(),
    /** false once the quiz is gone from its package: kept for the attempts, not offered */
    active: integer('active', { mode: 'boolean' }).notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [uniqueIndex('quizzes_slug_uq').on(t.courseId, t.slug)],
);

/** One learner's attempt. The selection and the deadline are fixed when it starts. */
export const quizAttempts = sqliteTable(
  'quiz_attempts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    quizId: integer('quiz_id').notNull().references(() => quizzes.id, { onDelete: 'cascade' }),
    userId: integer('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    /** 1, 2, 3… per learner and quiz; the unique index makes the attempt limit race-free */
    number: integer('number').notNull(),
    status: text('status').$type<'in_progress' | 'finished'>().notNull(),
    startedAt: integer('started_at', { mode: 'timestamp_ms' }).notNull(),
    /** null when the quiz has neither a time limit nor a closing time */
    deadlineAt: integer('deadline_at', { mode: 'timestamp_ms' }),
    finishedAt: integer('finished_at', { mode: 'timestamp_ms' }),
    closedBy: text('closed_by').$type<'learner' | 'deadline'>(),
    score: real('score'),
    maxScore: real('max_score').notNull(),
    /** score as percent of maxScore; null until every essay is graded */
    percent: real('percent'),
    passed: integer('passed', { mode: 'boolean' }),
    needsGrading: integer('needs_grading', { mode: 'boolean' }).notNull().default(false),
    /**
     * The enrolment the attempt was made in: attempt limits, the quiz grade and the completion rule
     * count the attempts of one enrolment, so a new enrolment (a retake after a revoked certificate,
     * a repeatable course) is passed again with its own attempts. Null only for attempts made before
     * any enrolment existed.
     */
    enrolmentId: integer('enrolment_id').references(() => enrolments.id, { onDelete: 'cascade' }),
  },
  (t) => [
    uniqueIndex('quiz_attempts_number_uq').on(t.userId, t.quizId, t.number),
    index('quiz_attempts_enrolment_idx').on(t.enrolmentId),
    index('quiz_attempts_open_idx').on(t.status, t.deadlineAt),
    index('quiz_attempts_quiz_idx').on(t.quizId, t.status),
  ],
);

/** A question slot of an attempt: the version drawn, the option order shown, the saved answer and its grade. */
export const quizAttemptItems = sqliteTable(
  'quiz_attempt_items',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    attemptId: integer('attempt_id').notNull().references(() => quizAttempts.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    questionId: integer('question_id').notNull().references(() => quizQuestions.id),
    optionOrder: text('option_order', { mode: 'json' }).$type<string[] | null>(),
    response: text('response', { mode: 'json' }).$type<unknown>(),
    /** the client's sequence number of the saved response: older or repeated saves change nothing */
    seq: integer('seq').notNull().default(0),
    savedAt: integer('saved_at', { mode: 'timestamp_ms' }),
    mark: real('mark').notNull(),
    fraction: real('fraction'),
    /** essay points per rubric criterion and the trainer's comment */
    rubricPoints: text('rubric_points', { mode: 'json' }).$type<number[]>(),
    comment: text('comment'),
    gradedBy: integer('graded_by').references(() => users.id),
    gradedAt: integer('graded_at', { mode: 'timestamp_ms' }),
  },
  (t) => [uniqueIndex('quiz_attempt_items_uq').on(t.attemptId, t.questionId), index('quiz_attempt_items_question_idx').on(t.questionId)],
);
