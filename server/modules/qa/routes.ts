import { createRoute, z } from '@hono/zod-openapi';
import { authErrors, commonErrors, errorResponse, newRouter, requireUser } from '@server/lib/http';
import { IdParam } from '../learning/schemas';
import { lessonForLearner } from '../learning/service';
import { answerQuestion, askQuestion, hideQuestion, MAX_OPEN_PER_COURSE, MAX_TEXT, myLessonQuestions, QUESTION_STATES, staffQuestions, toQuestion } from './service';

const QuestionSchema = z
  .object({
    id: z.number().int(),
    courseId: z.number().int(),
    lessonSlug: z.string(),
    body: z.string().openapi({ description: 'Plain text, as the learner wrote it' }),
    createdAt: z.string().openapi({ description: 'ISO 8601, UTC' }),
    answer: z.string().nullable(),
    answeredAt: z.string().nullable(),
    hidden: z.boolean(),
  })
  .openapi('CourseQuestion');

const LessonParams = z.object({ slug: z.string().min(1).max(200), lesson: z.string().min(1).max(200) });
const AskBody = z.object({ body: z.string().max(MAX_TEXT * 2).openapi({ description: `Plain text, at most ${MAX_TEXT} characters once trimmed` }) }).openapi('AskQuestionBody');
const AnswerBody = z.object({ answer: z.string().max(MAX_TEXT * 2).openapi({ description: `Plain text, at most ${MAX_TEXT} characters once trimmed` }) }).openapi('AnswerQuestionBody');

export const qaRoutes = newRouter()
  .openapi(
    createRoute({
      method: 'post',
      path: '/courses/{slug}/lessons/{lesson}/questions',
      tags: ['Learning'],
      summary: 'Ask the course’s trainers a question from a lesson of my enrolment',
      description: `Plain text. At most ${MAX_OPEN_PER_COURSE} unanswered questions per course (409 \`too_many_open_questions\`). The answer comes as a notification.`,
      request: { params: LessonParams, body: { required: true, content: { 'application/json': { schema: AskBody } } } },
      responses: {
        201: { content: { 'application/json': { schema: QuestionSchema } }, description: 'Asked' },
        ...commonErrors,
        ...authErrors,
        404: errorResponse('`course_not_found`, `lesson_not_found`'),
        409: errorResponse('`too_many_open_questions`'),
      },
    }),
    (c) => {
      const user = requireUser(c);
      const { slug, lesson } = c.req.valid('param');
      return c.json(toQuestion(askQuestion(c.get('db'), user.id, slug, lesson, c.req.valid('json').body)), 201);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/courses/{slug}/lessons/{lesson}/questions',
      tags: ['Learning'],
      summary: 'My questions asked from this lesson, with their answers',
      request: { params: LessonParams },
      responses: {
        200: { content: { 'application/json': { schema: z.object({ questions: z.array(QuestionSchema) }) } }, description: 'Newest first; hidden ones are not listed' },
        ...commonErrors,
        ...authErrors,
        404: errorResponse('`course_not_found`, `lesson_not_found`'),
      },
    }),
    (c) => {
      const user = requireUser(c);
      const { slug, lesson } = c.req.valid('param');
      const db = c.get('db');
      const view = lessonForLearner(db, user.id, slug, lesson);
      return c.json({ questions: myLessonQuestions(db, user.id, view.course.id, view.lesson.slug).map(toQuestion) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/questions',
      tags: ['Learning'],
      summary: 'Learners’ questions for me to answer: the courses I train (trainer), every course (reviewer, administrator)',
      request: {
        query: z.object({
          state: z.enum(QUESTION_STATES).optional().openapi({ description: '`open` (default, oldest first), `answered`, `hidden` (reviewers and administrators), `all`' }),
          limit: z.coerce.number().int().min(1).max(100).optional(),
          offset: z.coerce.number().int().min(0).max(1_000_000).optional(),
        }),
      },
      responses: {
        200: {
          content: {
            'application/json': {
              schema: z.object({
                total: z.number().int(),
                questions: z.array(QuestionSchema.extend({ courseSlug: z.string(), askerName: z.string(), canAnswer: z.boolean() })),
              }),
            },
          },
          description: 'One page',
        },
        ...commonErrors,
        ...authErrors,
      },
    }),
    (c) => {
      const user = requireUser(c);
      const { items, total } = staffQuestions(c.get('db'), user, c.req.valid('query'));
      return c.json({ total, questions: items.map((q) => ({ ...toQuestion(q), courseSlug: q.course.slug, askerName: q.askerName, canAnswer: q.canAnswer })) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/questions/{id}/answer',
      tags: ['Learning'],
      summary: 'Answer a learner’s question (a trainer of its course, or an administrator); the learner is told',
      request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: AnswerBody } } } },
      responses: {
        200: { content: { 'application/json': { schema: QuestionSchema } }, description: 'Answered' },
        ...commonErrors,
        ...authErrors,
        404: errorResponse('`question_not_found` (also for a question you may not see)'),
        409: errorResponse('`question_already_answered`, `question_hidden`'),
      },
    }),
    (c) => {
      const user = requireUser(c);
      return c.json(toQuestion(answerQuestion(c.get('db'), user, c.req.valid('param').id, c.req.valid('json').answer)), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/questions/{id}/hide',
      tags: ['Learning'],
      summary: 'Hide a question (the academy: reviewer or administrator); the learner and trainers no longer see it',
      request: { params: IdParam },
      responses: {
        200: { content: { 'application/json': { schema: QuestionSchema } }, description: 'Hidden (hiding twice changes nothing)' },
        ...commonErrors,
        ...authErrors,
        404: errorResponse('`question_not_found`'),
      },
    }),
    (c) => {
      const user = requireUser(c);
      return c.json(toQuestion(hideQuestion(c.get('db'), { ...user, ip: c.env?.ip ?? null }, c.req.valid('param').id)), 200);
    },
  );
