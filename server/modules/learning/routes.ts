import { commitGrouped } from '@db/group-commit';
import { createRoute, z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { courses, courseVersions, media } from '@db/schema';
import { AppError } from '@server/lib/errors';
import { authErrors, commonErrors, errorResponse, newRouter, requireUser } from '@server/lib/http';
import { mediaPath } from '../catalog/media';
import { mayReadMedia } from '../authoring/media';
import { createReadStream, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { AssignmentBody, AssignmentResults, EnrolResult, EnrolmentSchema, IdParam, MyEnrolments, ProgressBody, ProgressResult } from './schemas';
import { assignByHr, enrolmentProgress, enrolSelf, hoursInPeriod, myEnrolments, saveProgress, withdraw, type Enrolment } from './service';
import { selectForAssignment } from '../hr/assignments';
import type { DB } from '@db/client';

const notFound = (codes: string) => ({ 404: errorResponse(codes) });

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
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/hr/assignments',
      tags: ['HR'],
      summary: 'Assign a course to servants of my organisations, with a due date',
      description:
        'To named people (`userIds`) or to a group (`select`: sub-unit with its sub-units, post kind, group, service, status). Everyone named must be in the HR officer’s organisations (else 404 `person_not_found` and nothing is assigned); a group reaching nobody is 409 `assignment_nobody`. Each person gets a result: `assigned`, `updated` (already enrolled: due date set) or `refused` with the reason (eligibility, `person_inactive`). The enrolment’s source is `hr`; recorded in the audit log as `hr.assigned`.',
      request: { body: { required: true, content: { 'application/json': { schema: AssignmentBody } } } },
      responses: {
        200: { content: { 'application/json': { schema: AssignmentResults } }, description: 'One result per person' },
        ...commonErrors,
        ...authErrors,
        ...notFound('`course_not_found`, `person_not_found`, `organisation_not_found`'),
        409: errorResponse('`assignment_nobody`, `assignment_too_many`'),
      },
    }),
    (c) => {
      const user = requireUser(c, 'hr');
      const body = c.req.valid('json');
      const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Bishkek' }).format(new Date());
      if (body.dueDate < today) throw new AppError('due_date_past', 400, 'dueDate');
      if ((body.userIds === undefined) === (body.select === undefined)) throw new AppError('invalid_input', 400, 'userIds');
      const hr = { id: user.id, hrOrganisationIds: user.hrOrganisationIds, ip: c.env?.ip ?? null };
      const userIds = body.userIds ?? selectForAssignment(c.get('db'), hr, body.select!);
      return c.json({ results: assignByHr(c.get('db'), hr, { courseSlug: body.courseSlug, dueDate: body.dueDate, userIds }) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/media/{sha256}',
      tags: ['Learning'],
      summary: 'A course media file (video, captions, image, PDF) by its SHA-256; supports HTTP Range',
      description: 'Files of published courses: anyone signed in. Files only unpublished drafts use: the draft\'s author, reviewers and administrators; anyone else gets 404.',
      request: { params: z.object({ sha256: z.string().regex(/^[a-f0-9]{64}$/) }), headers: z.object({ range: z.string().max(200).optional() }) },
      responses: {
        200: { content: { 'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) } }, description: 'The whole file' },
        206: { content: { 'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) } }, description: 'The requested byte range' },
        ...commonErrors,
        ...authErrors,
        ...notFound('`not_found`'),
        416: { description: 'Range not satisfiable' },
      },
    }),
    (c) => {
      const user = requireUser(c);
      const { sha256 } = c.req.valid('param');
      const row = c.get('db').select().from(media).where(eq(media.sha256, sha256)).get();
      let size: number;
      try {
        // a draft's file (not yet in a published course) only for its authors, reviewers, administrators
        if (!row || !mayReadMedia(c.get('db'), user, row)) throw new Error('unknown');
        size = statSync(mediaPath(sha256)).size;
      } catch {
        throw new AppError('not_found', 404);
      }
      const headers: Record<string, string> = {
        'Content-Type': row.contentType,
        'Accept-Ranges': 'bytes',
        // Content-addressed: a file never changes under its name. Private: lessons are for enrolled learners.
        'Cache-Control': 'private, max-age=31536000, immutable',
        'X-Content-Type-Options': 'nosniff',
      };
      if (row.contentType === 'application/pdf') headers['Content-Disposition'] = 'attachment';
      const range = c.req.header('range');
      if (range) {
        const m = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
        let start = m && m[1] !== '' ? Number(m[1]) : NaN;
        let end = m && m[2] !== '' ? Number(m[2]) : size - 1;
        if (m && m[1] === '' && m[2] !== '') {
          start = Math.max(0, size - Number(m[2]));
          end = size - 1;
        }
        end = Math.min(end, size - 1);
        if (!m || Number.isNaN(start) || start > end || start >= size) {
          return new Response(null, { status: 416, headers: { 'Content-Range': `bytes */${size}`, 'Cache-Control': 'no-store' } });
        }
        return new Response(fileStream(sha256, start, end), { status: 206, headers: { ...headers, 'Content-Range': `bytes ${start}-${end}/${size}`, 'Content-Length': String(end - start + 1) } });
      }
      return new Response(fileStream(sha256, 0, size - 1), { status: 200, headers: { ...headers, 'Content-Length': String(size) } });
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

/** Streams bytes start…end (inclusive) of a stored file, never the whole file into memory. */
function fileStream(sha256: string, start: number, end: number): ReadableStream {
  if (end < start) return new ReadableStream({ start: (c) => c.close() });
  return Readable.toWeb(createReadStream(mediaPath(sha256), { start, end })) as ReadableStream;
}
