import { createRoute, z } from '@hono/zod-openapi';
import { authErrors, commonErrors, errorResponse, newRouter, requireUser } from '@server/lib/http';
import { CourseDetailSchema, PeriodQuery, QualityQuery, QualityReportSchema } from './schemas';
import { courseQuality, qualityCsv, qualityReport } from './service';
import { bishkekDay } from '@server/lib/time';

/** The academy's reviewers and administrators see the quality figures. */
const ROLES = ['reviewer', 'admin'] as const;

export const academyRoutes = newRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/academy/quality',
      tags: ['Academy'],
      summary: 'Quality figures per course, per training provider (organisation) and in total (reviewer, admin)',
      description:
        'Over the enrolments made in the period (`from`–`to`, Bishkek days; both optional): enrolments, started, completed and completion rate, final-test pass rate and average grade, median days to complete, the end-of-course survey (average, count and distribution of each of the four questions), and Kyrgyz coverage of lessons and questions. `category` and `provider` narrow the courses. Providers are organisations of the tree (kind `provider`): courses are grouped by the organisation, `key` is its id.',
      request: { query: QualityQuery },
      responses: {
        200: { content: { 'application/json': { schema: QualityReportSchema } }, description: 'The report' },
        ...commonErrors,
        ...authErrors,
      },
    }),
    (c) => {
      requireUser(c, ...ROLES);
      const r = qualityReport(c.get('db'), c.req.valid('query'));
      return c.json(r, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/academy/quality.csv',
      tags: ['Academy'],
      summary: 'The quality figures as CSV: one row per course, one per provider, and the total (reviewer, admin)',
      description:
        'UTF-8 with a byte-order mark, RFC 4180 (CRLF, quotes where needed), a header row. Columns: `scope` (course, provider, total), `course_slug`, `title_ky`, `title_ru`, `category`, `provider` (the training provider organisation\'s Kyrgyz name, else Russian), `provider_code` (its e-Kyzmat code), `enrolments`, `started`, `completed`, `completion_rate`, `final_takers`, `final_passed`, `pass_rate`, `average_score`, `median_days`, `feedback_count`, `<question>_average` and `<question>_count` for relevance, clarity, usefulness and trainer, `lessons`, `lessons_ky`, `questions`, `questions_ky`. Rates and scores are percents with one decimal, averages with two; an empty cell is "no data". Same filters as `/api/academy/quality`.',
      request: { query: QualityQuery },
      responses: {
        200: { content: { 'text/csv': { schema: z.string() } }, description: 'The CSV file' },
        ...commonErrors,
        ...authErrors,
      },
    }),
    (c) => {
      requireUser(c, ...ROLES);
      const csv = qualityCsv(qualityReport(c.get('db'), c.req.valid('query')));
      const name = `bilim-quality-${bishkekDay(new Date())}.csv`;
      return c.body(csv, 200, { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="${name}"` });
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/academy/courses/{slug}',
      tags: ['Academy'],
      summary: 'One course’s quality figures, per version, and the survey comments without names (reviewer, admin)',
      request: { params: z.object({ slug: z.string().max(100) }), query: PeriodQuery },
      responses: {
        200: { content: { 'application/json': { schema: CourseDetailSchema } }, description: 'The course' },
        ...commonErrors,
        ...authErrors,
        404: errorResponse('`course_not_found`'),
      },
    }),
    (c) => {
      requireUser(c, ...ROLES);
      const d = courseQuality(c.get('db'), c.req.valid('param').slug, c.req.valid('query'));
      return c.json(
        {
          course: d.course,
          versions: d.versions.map((v) => ({ ...v, createdAt: v.createdAt.toISOString() })),
          comments: d.comments.map((m) => ({ ...m, date: m.date.toISOString() })),
        },
        200,
      );
    },
  );
