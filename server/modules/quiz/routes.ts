import { createRoute, z } from '@hono/zod-openapi';
import { getCookie } from 'hono/cookie';
import { DEVICE_COOKIE } from '@server/lib/device';
import { authErrors, commonErrors, errorResponse, newRouter, requireUser } from '@server/lib/http';
import { commitGrouped } from '@db/group-commit';
import {
  AnswerBody, AnswerParams, AnswerSaved, Analysis, AttemptDetail, AttemptIdParam, AttemptResult, AttemptSummary,
  GradeBody, QueueItem, QuizDetail, QuizIdParam, QuizSummary,
} from './schemas';
import {
  attemptResult, checkAttemptDevice, getAttempt, getQuiz, currentAttempts,
  questionCount, quizGrade, saveAnswer, startAttempt, startBlocker, submitAttempt,
  type Attempt, type Quiz,
} from './service';
import { gradeEssay, gradingQueue, itemAnalysis, regradeQuestion } from './grading';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toQuizSummary(q: Quiz, courseSlug: string): z.infer<typeof QuizSummary> {
  return {
    id: q.id,
    courseSlug,
    kind: q.kind,
    modulePosition: q.modulePosition,
    title: { ky: q.titleKy, ru: q.titleRu },
    intro: q.introKy && q.introRu ? { ky: q.introKy, ru: q.introRu } : null,
    questionCount: questionCount(q),
    timeLimitSeconds: q.timeLimitSeconds,
    attemptsAllowed: q.attemptsAllowed,
    gradingMethod: q.gradingMethod,
    passPercent: q.passPercent,
    opensAt: iso(q.opensAt),
    closesAt: iso(q.closesAt),
    review: q.review,
  };
}

export function toAttemptSummary(a: Attempt): z.infer<typeof AttemptSummary> {
  return {
    id: a.id,
    number: a.number,
    status: a.status,
    startedAt: a.startedAt.toISOString(),
    deadlineAt: iso(a.deadlineAt),
    finishedAt: iso(a.finishedAt),
    closedBy: a.closedBy,
    score: a.status === 'finished' ? a.score : null,
    maxScore: a.maxScore,
    percent: a.percent,
    passed: a.passed,
    needsGrading: a.needsGrading,
  };
}

function attemptDetail(view: ReturnType<typeof getAttempt>, now: Date): z.infer<typeof AttemptDetail> {
  return {
    attempt: toAttemptSummary(view.attempt),
    quizId: view.quiz.id,
    serverTime: now.toISOString(),
    questions: view.questions.map((q) => ({ ...q, kind: q.kind as z.infer<typeof AttemptDetail>['questions'][number]['kind'], savedAt: iso(q.savedAt) })),
  };
}

const json = <T extends z.ZodTypeAny>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });
const staff = ['trainer', 'reviewer', 'admin'] as const;

export const quizRoutes = newRouter()
  .openapi(
    createRoute({
      method: 'get', path: '/quizzes/{id}', tags: ['Quizzes'], summary: 'A quiz’s settings and the signed-in learner’s attempts',
      request: { params: QuizIdParam },
      responses: { 200: json(QuizDetail, 'The quiz'), ...authErrors, 404: errorResponse('`quiz_not_found`') },
    }),
    (c) => {
      const user = requireUser(c);
      const db = c.get('db');
      const quiz = getQuiz(db, c.req.valid('param').id);
      const attempts = currentAttempts(db, quiz, user.id);
      const blocker = startBlocker(quiz, attempts);
      const grade = quizGrade(quiz.gradingMethod, attempts);
      return c.json({ quiz: toQuizSummary(quiz, quiz.course.slug), attempts: attempts.map(toAttemptSummary), canStart: blocker === null, blocker, grade, passed: grade !== null && grade + 1e-9 >= quiz.passPercent }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/quizzes/{id}/attempts', tags: ['Quizzes'], summary: 'Start an attempt (or resume the one in progress): questions without answers',
      description: 'The server draws the questions and fixes the deadline. 201 for a new attempt, 200 when an attempt in progress is resumed.',
      request: { params: QuizIdParam },
      responses: {
        201: json(AttemptDetail, 'A new attempt'), 200: json(AttemptDetail, 'The attempt in progress, resumed'), ...authErrors,
        403: errorResponse('`not_enrolled`: the learner is not enrolled in the quiz’s course (or without the learner role: `forbidden`)'),
        404: errorResponse('`quiz_not_found`'), 409: errorResponse('`quiz_not_open`, `quiz_closed`, `no_attempts_left`'),
      },
    }),
    async (c) => {
      const user = requireUser(c, 'learner');
      const db = c.get('db');
      const now = new Date();
      const { attemptId, resumed } = await commitGrouped(db, () => startAttempt(db, c.req.valid('param').id, user.id, now));
      return c.json(attemptDetail(getAttempt(db, attemptId, user, now), now), resumed ? 200 : 201);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/attempts/{id}', tags: ['Quizzes'], summary: 'An attempt with its questions and saved answers (no keys); resumes on any device',
      request: { params: AttemptIdParam },
      responses: { 200: json(AttemptDetail, 'The attempt; an attempt past its deadline is closed first'), ...authErrors, 404: errorResponse('`attempt_not_found`'), 409: errorResponse('`session_other_device`: an attestation testing session\'s attempt held by another device') },
    }),
    (c) => {
      const user = requireUser(c);
      const now = new Date();
      const view = getAttempt(c.get('db'), c.req.valid('param').id, user, now);
      // an attestation testing session's attempt is for the one device that holds its seat
      if (view.attempt.userId === user.id) checkAttemptDevice(c.get('db'), view.attempt.id, getCookie(c, DEVICE_COOKIE));
      return c.json(attemptDetail(view, now), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'put', path: '/attempts/{id}/answers/{questionId}', tags: ['Quizzes'], summary: 'Save one answer, idempotent by sequence number',
      request: { params: AnswerParams, body: { content: { 'application/json': { schema: AnswerBody } }, required: true } },
      responses: {
        200: json(AnswerSaved, 'Stored (applied) or already stored at this or a later seq (not applied)'), ...commonErrors, ...authErrors,
        404: errorResponse('`attempt_not_found`, `question_not_in_attempt`'), 409: errorResponse('`attempt_deadline_passed`, `attempt_finished`, `session_other_device` (an attestation testing session\'s attempt held by another device)'),
      },
    }),
    async (c) => {
      const user = requireUser(c, 'learner', 'candidate'); // a competition's candidate answers their testing session's test
      const { id, questionId } = c.req.valid('param');
      const body = c.req.valid('json');
      const db = c.get('db');
      const device = getCookie(c, DEVICE_COOKIE);
      const saved = await commitGrouped(db, () => {
        checkAttemptDevice(db, id, device);
        return saveAnswer(db, id, questionId, user.id, { response: body.response ?? null, seq: body.seq });
      });
      return c.json({ questionId, seq: saved.seq, savedAt: iso(saved.savedAt), applied: saved.applied }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/attempts/{id}/submit', tags: ['Quizzes'], summary: 'Finish the attempt and grade it on the server',
      request: { params: AttemptIdParam },
      responses: { 200: json(AttemptResult, 'The result (with review when the quiz allows it)'), ...authErrors, 404: errorResponse('`attempt_not_found`'), 409: errorResponse('`session_other_device`: an attestation testing session\'s attempt held by another device') },
    }),
    async (c) => {
      const user = requireUser(c, 'learner', 'candidate'); // a competition's candidate answers their testing session's test
      const db = c.get('db');
      const id = c.req.valid('param').id;
      const device = getCookie(c, DEVICE_COOKIE);
      await commitGrouped(db, () => {
        checkAttemptDevice(db, id, device);
        submitAttempt(db, id, user.id);
      });
      return c.json(resultBody(attemptResult(db, id, user)), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/attempts/{id}/result', tags: ['Quizzes'], summary: 'A finished attempt’s result and, when allowed, the review',
      request: { params: AttemptIdParam },
      responses: { 200: json(AttemptResult, 'The result'), ...authErrors, 404: errorResponse('`attempt_not_found`'), 409: errorResponse('`attempt_in_progress`') },
    }),
    (c) => c.json(resultBody(attemptResult(c.get('db'), c.req.valid('param').id, requireUser(c))), 200),
  )
  .openapi(
    createRoute({
      method: 'get', path: '/grading/essays', tags: ['Quiz grading'], summary: 'Essays waiting for a trainer, oldest first (trainer, reviewer, admin)',
      responses: { 200: json(z.object({ items: z.array(QueueItem) }), 'The queue'), ...authErrors },
    }),
    (c) => {
      const user = requireUser(c, ...staff);
      return c.json({ items: gradingQueue(c.get('db'), user.id).map((e) => ({ ...e, finishedAt: iso(e.finishedAt) })) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/grading/essays/{id}', tags: ['Quiz grading'], summary: 'Grade an essay by its rubric with a comment; the attempt’s result updates',
      request: { params: QuizIdParam, body: { content: { 'application/json': { schema: GradeBody } }, required: true } },
      responses: { 200: json(AttemptSummary, 'The attempt after grading'), ...commonErrors, ...authErrors, 403: errorResponse('`forbidden`, or `grade_own_attempt`: nobody grades their own attempt'), 404: errorResponse('`essay_not_found`') },
    }),
    (c) => {
      const user = requireUser(c, ...staff);
      const body = c.req.valid('json');
      return c.json(toAttemptSummary(gradeEssay(c.get('db'), c.req.valid('param').id, user.id, { points: body.points, comment: body.comment ?? '' })), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/quizzes/{id}/analysis', tags: ['Quiz grading'], summary: 'Item analysis: facility, discrimination and answer distribution per question',
      request: { params: QuizIdParam },
      responses: { 200: json(Analysis, 'The analysis'), ...authErrors, 404: errorResponse('`quiz_not_found`') },
    }),
    (c) => {
      requireUser(c, ...staff);
      const a = itemAnalysis(c.get('db'), c.req.valid('param').id);
      return c.json({ quizId: a.quiz.id, attempts: a.attempts, meanPercent: a.meanPercent, items: a.items }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/questions/{id}/regrade', tags: ['Quiz grading'], summary: 'Regrade every finished attempt of a question with its current (corrected) key',
      request: { params: QuizIdParam },
      responses: { 200: json(z.object({ items: z.number().int(), attempts: z.number().int() }), 'How many answers and attempts were regraded'), ...authErrors, 404: errorResponse('`question_not_found`'), 409: errorResponse('`question_not_autograded`') },
    }),
    (c) => {
      return c.json(regradeQuestion(c.get('db'), c.req.valid('param').id, requireUser(c)), 200);
    },
  );

function resultBody(r: ReturnType<typeof attemptResult>): z.infer<typeof AttemptResult> {
  return { attempt: toAttemptSummary(r.attempt), quizId: r.quiz.id, passPercent: r.quiz.passPercent, review: r.review, quizGrade: r.quizGrade, quizPassed: r.quizPassed, items: r.items };
}
