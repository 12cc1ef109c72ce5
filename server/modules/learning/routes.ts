import { commitGrouped } from '@db/group-commit';
import { createRoute, z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { courses, courseVersions } from '@db/schema';
import { authErrors, commonErrors, errorResponse, newRouter, requireUser } from '@server/lib/http';
import { EnrolResult, EnrolmentSchema, IdParam, MyEnrolments, ProgressBody, ProgressResult } from './schemas';
import { enrolmentProgress, enrolSelf, hoursInPeriod, myEnrolments, saveProgress, saveScormRuntime, scormRuntimeFor, withdraw, type Enrolment } from './service';
import type { DB } from '@db/client';
import type { ScormStatus } from './scorm-runtime';

const notFound = (codes: string) => ({ 404: errorResponse(codes) });

const ScormStatusFields = {
  completion: z.enum(['completed', 'incomplete', 'not attempted', 'unknown']),
  success: z.enum(['passed', 'failed', 'unknown']),
  score: z.number().nullable().openapi({ description: 'the score as a fraction 0…1, when the package reported one' }),
  viewed: z.boolean().openapi({ description: 'the package said completed: the lesson counts as viewed' }),
  passed: z.boolean(),
};
const ScormCommitBody = z
  .strictObject({
    seq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).openapi({ description: 'increases with every commit; the runtime uses max(previous + 1, Date.now())' }),
    cmi: z.record(z.string(), z.unknown()).openapi({ description: 'the CMI data model as scorm-again renders it (`cmi` object, JSON)' }),
  })
  .openapi('ScormCommit');
const ScormCommitResult = z
  .object({ seq: z.number(), ...ScormStatusFields, course: z.object({ status: z.string(), completedAt: z.string().nullable() }) })
  .openapi('ScormCommitResult');
const ScormRuntimeState = z.object({ seq: z.number(), cmi: z.record(z.string(), z.unknown()).nullable(), ...ScormStatusFields }).openapi('ScormRuntimeState');

export const learningRoutes = newRouter()
  .openapi(
    createRoute({
      method: 'post',
      path: '/courses/{slug}/enrolments',
      tags: ['Learning'],
      summary: 'Enrol oneself in an open course (eligibility applies)',
      description:
        'Refusals: 403 `not_eligible_service`, `not_eligible_post_kind`, `not_eligible_group`, `eligibility_profile_incomplete`, `enrolment_by_assignment_only`; 409 `already_completed` (completed within the obligation period and the course is not repeatable). An existing active enrolment is returned with `created: false`.',
      request: { params: z.object({ slug: z.string().max(100) }) },
      responses: {
        201: { content: { 'application/json': { schema: EnrolResult } }, description: 'Enrolled' },
        200: { content: { 'application/json': { schema: EnrolResult } }, description: 'Already enrolled: the enrolment as it is' },
        ...authErrors,
        ...notFound('`course_not_found`'),
        409: errorResponse('`already_completed`'),
      },
    }),
    (c) => {
      const user = requireUser(c, 'learner');
      const db = c.get('db');
      const { enrolment, created } = enrolSelf(db, user.id, c.req.valid('param').slug);
      return c.json({ created, enrolment: toEnrolment(db, enrolment) }, created ? 201 : 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/me/enrolments',
      tags: ['Learning'],
      summary: 'My enrolments with progress, and hours earned in the current obligation period',
      responses: { 200: { content: { 'application/json': { schema: MyEnrolments } }, description: 'Active first (by due date), then completed' }, ...authErrors },
    }),
    (c) => {
      const user = requireUser(c, 'learner');
      const db = c.get('db');
      const period = hoursInPeriod(db, user.id);
      return c.json(
        {
          enrolments: myEnrolments(db, user.id).map((m) => toEnrolment(db, m.enrolment)),
          period: { ...period, from: period.from.toISOString(), to: period.to.toISOString() },
        },
        200,
      );
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/lessons/{id}/progress',
      tags: ['Learning'],
      summary: 'Record viewing progress of a lesson (idempotent, ordered)',
      description:
        'Watched ranges are merged on the server (repeats and order do not matter; a report of more than could have been played since the last save is cut). A video lesson counts as viewed at ≥ 90 % watched, a text lesson with `read: true`. The resume position only moves with a `seq` higher than the stored one. The answer is sent after the transaction is committed to disk.',
      request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: ProgressBody } } } },
      responses: {
        200: { content: { 'application/json': { schema: ProgressResult } }, description: 'Saved; the lesson and course progress as now stored' },
        ...commonErrors,
        ...authErrors,
        ...notFound('`lesson_not_found`'),
        409: errorResponse('`lesson_changed`: the course has a new version in which this lesson changed; reload the page'),
      },
    }),
    async (c) => {
      const user = requireUser(c, 'learner');
      const db = c.get('db');
      const r = await commitGrouped(db, () => saveProgress(db, user.id, c.req.valid('param').id, c.req.valid('json')));
      return c.json({ ...r, course: { ...r.course, completedAt: r.course.completedAt?.toISOString() ?? null } }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/lessons/{id}/scorm',
      tags: ['Learning'],
      summary: "A SCORM lesson's runtime data of the signed-in learner (their own enrolment only)",
      request: { params: IdParam },
      responses: {
        200: { content: { 'application/json': { schema: ScormRuntimeState } }, description: 'What is stored; `seq` 0 and `cmi` null before the first commit' },
        ...authErrors,
        ...notFound('`lesson_not_found`'),
        422: errorResponse('`scorm_not_scorm_lesson`'),
      },
    }),
    (c) => {
      const user = requireUser(c, 'learner');
      const { row } = scormRuntimeFor(c.get('db'), user.id, c.req.valid('param').id);
      return c.json(
        {
          seq: row?.seq ?? 0,
          cmi: row?.cmi ?? null,
          completion: (row?.completion ?? 'not attempted') as ScormStatus['completion'],
          success: (row?.success ?? 'unknown') as ScormStatus['success'],
          score: row?.score ?? null,
          viewed: row?.completedAt != null,
          passed: row?.passedAt != null,
        },
        200,
      );
    },
  )
  .openapi(
    createRoute({
      method: 'put',
      path: '/lessons/{id}/scorm',
      tags: ['Learning'],
      summary: "Commit a SCORM lesson's runtime data (status, score, suspend data, location, session time, interactions): acknowledged, idempotent, ordered",
      description:
        'Sent by the lesson page for every commit of the package\'s runtime (scorm-again), and again from its offline queue. Only a `seq` higher than the stored one replaces the data; a repeat or an older commit changes nothing and gets the stored state. The lesson counts as viewed once the package says completed; passed counts as the course\'s final test when the author made it one. The answer is sent after the transaction is committed to disk.',
      request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: ScormCommitBody } } } },
      responses: {
        200: { content: { 'application/json': { schema: ScormCommitResult } }, description: 'Stored (or already stored): the state as now kept' },
        ...commonErrors,
        ...authErrors,
        ...notFound('`lesson_not_found`'),
        409: errorResponse('`lesson_changed`: the course has a new version in which this lesson changed; reload the page'),
        413: errorResponse('`scorm_data_too_large`'),
        422: errorResponse('`scorm_not_scorm_lesson`'),
      },
    }),
    async (c) => {
      const user = requireUser(c, 'learner');
      const db = c.get('db');
      const r = await commitGrouped(db, () => saveScormRuntime(db, user.id, c.req.valid('param').id, c.req.valid('json')));
      return c.json({ ...r, course: { ...r.course, completedAt: r.course.completedAt?.toISOString() ?? null } }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/enrolments/{id}/withdrawal',
      tags: ['Learning'],
      summary: 'Withdraw an active enrolment (learner: own self-enrolments; hr: enrolments of its staff)',
      request: { params: IdParam },
      responses: {
        200: { content: { 'application/json': { schema: EnrolmentSchema } }, description: 'Withdrawn; progress is kept for a return' },
        ...authErrors,
        ...notFound('`enrolment_not_found`'),
        409: errorResponse('`enrolment_not_active`'),
      },
    }),
    (c) => {
      const user = requireUser(c);
      const db = c.get('db');
      return c.json(toEnrolment(db, withdraw(db, user, c.req.valid('param').id)), 200);
    },
  );

/** The API shape of an enrolment with its progress. */
export function toEnrolment(db: DB, e: Enrolment): z.infer<typeof EnrolmentSchema> {
  const course = db.select({ slug: courses.slug, titleKy: courses.titleKy, titleRu: courses.titleRu }).from(courses).where(eq(courses.id, e.courseId)).get()!;
  const version = db.select({ number: courseVersions.number, hours: courseVersions.hours }).from(courseVersions).where(eq(courseVersions.id, e.versionId)).get()!;
  const p = enrolmentProgress(db, e);
  return {
    id: e.id,
    course: { slug: course.slug, title: { ky: course.titleKy, ru: course.titleRu }, hours: version.hours },
    version: version.number,
    source: e.source,
    status: e.status,
    dueDate: e.dueDate,
    enrolledAt: e.enrolledAt.toISOString(),
    completedAt: e.completedAt?.toISOString() ?? null,
    hoursEarned: e.hoursEarned,
    progress: {
      lessonsViewed: p.viewed,
      lessonsTotal: p.total,
      percent: p.percent,
      nextLessonId: p.nextLessonId,
      modules: p.modules.map((m) => ({
        position: m.position,
        viewed: m.viewed,
        total: m.total,
        lessons: m.lessons.map((l) => ({ id: l.id, slug: l.slug, viewed: l.viewed, watchedFraction: l.watchedFraction, positionSeconds: l.positionSeconds })),
      })),
      completion: p.completion,
    },
  };
}

