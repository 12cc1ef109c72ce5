import { createRoute, z } from '@hono/zod-openapi';
import { authErrors, commonErrors, errorResponse, newRouter, requireUser } from '@server/lib/http';
import { auditReportExport, BREAKDOWNS, buildReport, reportCsv, reportXlsx } from './service';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const Row = z.object({
  key: z.string().openapi({ description: 'The value: `state`, `bishkek`, `female`, `course:<id>`, `outside:<folded title>`, `platform`, `unknown`…' }),
  label: z.object({ ky: z.string(), ru: z.string() }),
  people: z.number().int().openapi({ description: 'Different people trained that year with this value (each once)' }),
  trainings: z.number().int(),
  hours: z.number().int(),
}).openapi('HrReportRow');

export const ReportOut = z
  .object({
    year: z.number().int(),
    organisation: z.object({ id: z.number().int(), nameKy: z.string(), nameRu: z.string() }).nullable(),
    totals: z.object({ people: z.number().int(), trainings: z.number().int(), hours: z.number().int(), staff: z.number().int().openapi({ description: 'People in scope' }) }),
    breakdowns: z.object(Object.fromEntries(BREAKDOWNS.map((b) => [b, z.array(Row)])) as Record<(typeof BREAKDOWNS)[number], z.ZodArray<typeof Row>>),
  })
  .openapi('HrReport');

export const ReportQuery = z.object({
  year: z.coerce.number().int().min(2000).max(2100).optional().openapi({ description: 'Default: this year' }),
  org: z.coerce.number().int().positive().optional().openapi({ description: 'One of your organisations (with its sub-units); default all of yours' }),
  format: z.enum(['json', 'csv', 'csv-semicolon', 'xlsx']).default('json').openapi({ description: '`csv`: commas (RFC 4180); `csv-semicolon`: semicolons, as a Russian-locale Excel opens it' }),
  lang: z.enum(['ky', 'ru']).default('ky').openapi({ description: 'Language of the labels in CSV and XLSX' }),
});

export const reportRoutes = newRouter().openapi(
  createRoute({
    method: 'get',
    path: '/hr/reports',
    tags: ['HR'],
    summary:
      'People trained in a year by service, region, gender, course, kind, funding and term, with hours: valid platform certificates and HR-verified outside trainings; each person counted once per value',
    request: { query: ReportQuery },
    responses: {
      200: {
        content: {
          'application/json': { schema: ReportOut },
          'text/csv': { schema: z.string().openapi({ description: 'UTF-8 with BOM, RFC 4180; columns breakdown,key,label,people,trainings,hours; first row the total' }) },
          [XLSX_TYPE]: { schema: z.string().openapi({ format: 'binary', description: 'Sheets: total, then one per breakdown' }) },
        },
        description: 'The report; CSV and XLSX downloads are recorded in the audit log',
      },
      ...commonErrors,
      ...authErrors,
      404: errorResponse('`organisation_not_found`: not one of your organisations'),
    },
  }),
  async (c) => {
    const user = requireUser(c, 'hr');
    const q = c.req.valid('query');
    const db = c.get('db');
    const year = q.year ?? new Date().getUTCFullYear();
    const report = buildReport(db, user, year, q.org);
    if (q.format === 'json') return c.json(report, 200);
    auditReportExport(db, user, { year, org: q.org ?? null, format: q.format }, c.env?.ip ?? null);
    const name = `bilim-report-${year}${q.org ? `-org${q.org}` : ''}`;
    if (q.format === 'csv' || q.format === 'csv-semicolon') return c.body(reportCsv(report, q.lang, q.format === 'csv' ? ',' : ';'), 200, { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="${name}.csv"` });
    return c.body(await reportXlsx(report, q.lang), 200, { 'Content-Type': XLSX_TYPE, 'Content-Disposition': `attachment; filename="${name}.xlsx"` });
  },
);
