import { createRoute, z } from '@hono/zod-openapi';
import { authErrors, commonErrors, errorResponse, newRouter, requireUser } from '@server/lib/http';
import { toEnrolment } from '../learning/routes';
import { EnrolmentSchema, IdParam } from '../learning/schemas';
import { FeedbackBody, FeedbackSchema } from './schemas';
import { myFeedback, submitFeedback, toFeedback } from './service';

export const feedbackRoutes = newRouter()
  .openapi(
    createRoute({
      method: 'post',
      path: '/enrolments/{id}/feedback',
      tags: ['Learning'],
      summary: 'Give the end-of-course survey of my enrolment: relevance, clarity, usefulness for the job, the trainer (each 1–5) and a comment',
      description:
        'Once per enrolment; answers are not edited afterwards (409 `feedback_already_given`). Open once the enrolment is completed, or — when the course’s completion rule asks for feedback — once everything else the rule asks is met (else 409 `feedback_too_early`); in that case giving it completes the course in the same transaction. Another person’s enrolment is 404.',
      request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: FeedbackBody } } } },
      responses: {
        201: { content: { 'application/json': { schema: z.object({ feedback: FeedbackSchema, enrolment: EnrolmentSchema }) } }, description: 'Recorded; the enrolment as it now is' },
        ...commonErrors,
        ...authErrors,
        404: errorResponse('`enrolment_not_found`'),
        409: errorResponse('`feedback_already_given`, `feedback_too_early`, `enrolment_not_active` (withdrawn)'),
      },
    }),
    (c) => {
      const user = requireUser(c, 'learner');
      const db = c.get('db');
      const { feedback, enrolment } = submitFeedback(db, user.id, c.req.valid('param').id, c.req.valid('json'));
      return c.json({ feedback: toFeedback(feedback), enrolment: toEnrolment(db, enrolment) }, 201);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/enrolments/{id}/feedback',
      tags: ['Learning'],
      summary: 'The survey I gave for my enrolment',
      request: { params: IdParam },
      responses: {
        200: { content: { 'application/json': { schema: FeedbackSchema } }, description: 'The answers as recorded' },
        ...commonErrors,
        ...authErrors,
        404: errorResponse('`enrolment_not_found`, `feedback_not_found`'),
      },
    }),
    (c) => {
      const user = requireUser(c, 'learner');
      return c.json(toFeedback(myFeedback(c.get('db'), user.id, c.req.valid('param').id)), 200);
    },
  );
