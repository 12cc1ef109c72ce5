import { createRoute, z } from '@hono/zod-openapi';
import type { TypedResponse } from 'hono';
import { commonErrors, errorResponse, newRouter } from '@server/lib/http';
import { CatalogQuery, CourseDetail, CourseSummary } from './schemas';
import { getPublishedCourse, listCourses, publishedCourseId, type Course, type CourseOutline } from './service';
import { AppError } from '@server/lib/errors';
import { CourseSlugParam, QuizSummary } from '../quiz/schemas';
import { toQuizSummary } from '../quiz/routes';
import { listCourseQuizzes } from '../quiz/service';

const json = <T extends z.ZodTypeAny>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });

export const catalogRoutes = newRouter()
  .openapi(
    createRoute({
      method: 'get', path: '/courses/{slug}/quizzes', security: [], tags: ['Quizzes'], summary: 'The module quizzes and the final test of a published course',
      request: { params: CourseSlugParam },
      responses: { 200: json(z.object({ quizzes: z.array(QuizSummary) }), 'Quizzes, module quizzes by position, then the final test'), 404: errorResponse('`course_not_found`') },
    }),
    (c) => {
      const { slug } = c.req.valid('param');
      const courseId = publishedCourseId(c.get('db'), slug);
      if (!courseId) throw new AppError('course_not_found', 404);
      return c.json({ quizzes: listCourseQuizzes(c.get('db'), courseId).map((q) => toQuizSummary(q, slug)) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/courses', security: [],
      tags: ['Catalog'],
      summary: 'Published courses, searched and filtered',
      request: { query: CatalogQuery },
      responses: {
        200: { content: { 'application/json': { schema: z.object({ courses: z.array(CourseSummary) }) } }, description: 'Matching courses' },
        ...commonErrors,
      },
    }),
    (c) => {
      const filter = c.req.valid('query');
      const locale = c.get('user')?.locale ?? filter.lang ?? 'ky';
      // The body of c.json({ courses: list.map(toSummary) }), joined from each course's cached JSON;
      // typed as that answer, which c.body cannot express.
      const parts = listCourses(c.get('db'), filter, locale).flatMap((course, i) => (i ? [COMMA, summaryJson(course)] : [summaryJson(course)]));
      const body = Buffer.concat([OPEN, ...parts, CLOSE]);
      return c.body(body, 200, { 'Content-Type': 'application/json' }) as unknown as TypedResponse<{ courses: z.infer<typeof CourseSummary>[] }, 200, 'json'>;
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/courses/{slug}', security: [],
      tags: ['Catalog'],
      summary: 'One published course with its outline',
      request: { params: z.object({ slug: z.string().max(100) }) },
      responses: {
        200: { content: { 'application/json': { schema: CourseDetail } }, description: 'The course' },
        404: errorResponse('`course_not_found`'),
      },
    }),
    (c) => c.json(toDetail(getPublishedCourse(c.get('db'), c.req.valid('param').slug)), 200),
  );

/**
 * Each course's summary as UTF-8 JSON, made once per course row: listCourses returns the same cached
 * rows until the catalog changes (then new ones). Serialising and encoding the whole catalog (about
 * 400 KB) on every request was most of a catalog request's time.
 */
const summaryJsonCache = new WeakMap<Course, Buffer>();
function summaryJson(c: Course): Buffer {
  let json = summaryJsonCache.get(c);
  if (json === undefined) summaryJsonCache.set(c, (json = Buffer.from(JSON.stringify(toSummary(c)))));
  return json;
}
const [OPEN, COMMA, CLOSE] = ['{"courses":[', ',', ']}'].map((s) => Buffer.from(s)) as [Buffer, Buffer, Buffer];

function toSummary(c: Course): z.infer<typeof CourseSummary> {
  return {
    slug: c.slug,
    category: c.category,
    hours: c.hours,
    languages: [...(c.hasKy ? (['ky'] as const) : []), ...(c.hasRu ? (['ru'] as const) : [])],
    title: { ky: c.titleKy, ru: c.titleRu },
    summary: { ky: c.summaryKy, ru: c.summaryRu },
    provider: { ky: c.providerKy, ru: c.providerRu },
    audience: { services: c.audienceServices, postKinds: c.audiencePostKinds, groups: c.audienceGroups },
  };
}

function toDetail(c: CourseOutline): z.infer<typeof CourseDetail> {
  return {
    ...toSummary(c),
    description: { ky: c.descriptionKy, ru: c.descriptionRu },
    objectives: { ky: c.objectivesKy, ru: c.objectivesRu },
    modules: c.modules.map((m) => ({
      position: m.position,
      title: { ky: m.titleKy, ru: m.titleRu },
      lessons: m.lessons.map((l) => ({ id: l.id, slug: l.slug, position: l.position, title: { ky: l.titleKy, ru: l.titleRu }, minutes: l.minutes, kind: l.kind })),
    })),
  };
}
