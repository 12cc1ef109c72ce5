import { z } from '@hono/zod-openapi';
import { ADMIN_GROUPS, POST_KINDS, SERVICES } from '@db/domain';

const Bilingual = z.object({ ky: z.string().nullable(), ru: z.string().nullable() });
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'a real date');

export const EnrolmentSchema = z
  .object({
    id: z.number().int(),
    course: z.object({ slug: z.string(), title: Bilingual, hours: z.number().int() }),
    version: z.number().int().openapi({ description: 'The course version taken (1, 2, …)' }),
    source: z.enum(['self', 'hr', 'plan']).openapi({ description: 'Who enrolled: the learner, HR (assignment) or a training plan' }),
    status: z.enum(['active', 'completed', 'withdrawn']),
    dueDate: z.string().nullable().openapi({ description: 'YYYY-MM-DD, set by HR' }),
    enrolledAt: z.string().openapi({ description: 'ISO 8601, UTC' }),
    completedAt: z.string().nullable(),
    hoursEarned: z.number().int().nullable(),
    progress: z.object({
      lessonsViewed: z.number().int(),
      lessonsTotal: z.number().int(),
      percent: z.number().int().min(0).max(100),
      nextLessonId: z.number().int().nullable().openapi({ description: 'Where to continue' }),
      modules: z.array(
        z.object({
          position: z.number().int(),
          viewed: z.number().int(),
          total: z.number().int(),
          lessons: z.array(
            z.object({
              id: z.number().int(),
              slug: z.string(),
              viewed: z.boolean(),
              watchedFraction: z.number().nullable().openapi({ description: 'Share of the video actually watched (null: no video)' }),
              positionSeconds: z.number(),
            }),
          ),
        }),
      ),
      completion: z.object({
        complete: z.boolean(),
        lessons: z.object({ viewed: z.number().int(), total: z.number().int(), required: z.number().int(), met: z.boolean() }),
        moduleQuizzes: z.object({ required: z.boolean(), passed: z.number().int(), total: z.number().int(), met: z.boolean() }),
        finalTest: z.object({ required: z.boolean(), exists: z.boolean(), passed: z.boolean(), met: z.boolean() }),
        feedback: z.object({ required: z.boolean(), given: z.boolean(), met: z.boolean() }),
      }),
    }),
  })
  .openapi('Enrolment');

export const MyEnrolments = z
  .object({
    enrolments: z.array(EnrolmentSchema),
    period: z.object({
      from: z.string().openapi({ description: 'Start of the current obligation period (rolling), ISO 8601' }),
      to: z.string(),
      years: z.number().int(),
      hours: z.number().int().openapi({ description: 'Academic hours of courses completed in the period' }),
      courses: z.number().int(),
    }),
  })
  .openapi('MyEnrolments');

export const EnrolResult = z.object({ created: z.boolean(), enrolment: EnrolmentSchema }).openapi('EnrolResult');

export const AssignmentBody = z
  .object({
    courseSlug: z.string().min(1).max(100),
    userIds: z.array(z.number().int().positive()).min(1).max(1000).optional().openapi({ description: 'The people, by id. Give either userIds or select.' }),
    select: z
      .strictObject({
        organisationId: z.number().int().positive().optional().openapi({ description: 'A sub-unit of mine; its own sub-units are included' }),
        postKind: z.enum(POST_KINDS).optional(),
        adminGroup: z.enum(ADMIN_GROUPS).optional(),
        service: z.enum(SERVICES).optional(),
        status: z.enum(['compliant', 'due_soon', 'overdue', 'unknown']).optional().openapi({ description: 'Obligation status today' }),
      })
      .optional()
      .openapi({ description: 'Everyone active in my organisations matching all the given criteria (an empty object: all my staff)' }),
    dueDate: isoDate.openapi({ description: 'YYYY-MM-DD, today or later', example: '2027-03-31' }),
  })
  .openapi('AssignmentBody');

export const AssignmentResults = z
  .object({
    results: z.array(
      z.object({
        userId: z.number().int(),
        result: z.enum(['assigned', 'updated', 'refused']),
        enrolmentId: z.number().int().optional(),
        reason: z.string().optional().openapi({ description: 'Error code when refused: person_inactive, not_eligible_service, not_eligible_post_kind, not_eligible_group, eligibility_profile_incomplete, already_completed' }),
      }),
    ),
  })
  .openapi('AssignmentResults');

const seconds = z.number().min(0).max(86_400);
export const ProgressBody = z
  .object({
    seq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).openapi({ description: 'Increases with every save; continue from the `seq` last returned. A save with a lower seq never moves the position back.' }),
    positionSeconds: seconds.optional().openapi({ description: 'Where to resume the video' }),
    ranges: z
      .array(z.tuple([seconds, seconds]))
      .max(200)
      .optional()
      .openapi({ description: 'Stretches of the video actually played, [start, end] in seconds; merged on the server' }),
    read: z.boolean().optional().openapi({ description: 'A text lesson read to its end' }),
  })
  .openapi('ProgressBody');

export const ProgressResult = z
  .object({
    lesson: z.object({ lessonId: z.number().int(), slug: z.string(), viewed: z.boolean(), watchedFraction: z.number().nullable(), positionSeconds: z.number(), seq: z.number().int() }),
    course: z.object({
      enrolmentId: z.number().int(),
      status: z.enum(['active', 'completed', 'withdrawn']),
      viewed: z.number().int(),
      total: z.number().int(),
      percent: z.number().int(),
      completedAt: z.string().nullable(),
    }),
  })
  .openapi('ProgressResult');

export const IdParam = z.object({ id: z.coerce.number().int().positive().max(2 ** 31) });
