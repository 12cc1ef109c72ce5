import { createRoute, z } from '@hono/zod-openapi';
import { AppError } from '../../lib/errors';
import { authErrors, commonErrors, newRouter, requireUser } from '../../lib/http';
import { ExportQuery, ExportRowSchema } from './schemas';
import { auditExport, completionRows, nextSince, toCsv, toXlsx } from './service';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export const exportRoutes = newRouter().openapi(
  createRoute({
    method: 'get',
    path: '/hr/export/completions',
    tags: ['HR'],
    summary: 'Completed trainings of the HR officer’s servants for the HR information system (e-Kyzmat): valid certificates and verified outside trainings',
    request: { query: ExportQuery },
    responses: {
      200: {
        content: {
          'application/json': { schema: z.object({ rows: z.array(ExportRowSchema), next_since: z.string().nullable().openapi({ description: 'Pass as `since` next time' }) }) },
          'text/csv': { schema: z.string().openapi({ description: 'UTF-8 with BOM, RFC 4180, header row; cells starting with = + - @ are prefixed with an apostrophe' }) },
          [XLSX_TYPE]: { schema: z.string().openapi({ format: 'binary' }) },
        },
        description: 'Rows sorted by updated_at; the same columns in every format',
      },
      ...commonErrors,
      ...authErrors,
    },
  }),
  async (c) => {
    const user = requireUser(c, 'hr');
    const q = c.req.valid('query');
    if (q.from && q.to && q.from > q.to) throw new AppError('invalid_date_range', 400, 'to');
    const since = q.since ? new Date(q.since) : undefined;
    const db = c.get('db');
    const rows = completionRows(db, user.hrOrganisationIds, { from: q.from, to: q.to, since });
    auditExport(db, user, { format: q.format, from: q.from ?? null, to: q.to ?? null, since: q.since ?? null, rows: rows.length }, c.env?.ip ?? null);
    const next = nextSince(rows, since);
    const name = `bilim-completions-${new Date().toISOString().slice(0, 10)}`;
    if (q.format === 'csv') {
      return c.body(toCsv(rows), 200, { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="${name}.csv"`, ...(next ? { 'X-Next-Since': next } : {}) });
    }
    if (q.format === 'xlsx') {
      return c.body(await toXlsx(rows), 200, { 'Content-Type': XLSX_TYPE, 'Content-Disposition': `attachment; filename="${name}.xlsx"`, ...(next ? { 'X-Next-Since': next } : {}) });
    }
    return c.json({ rows, next_since: next }, 200);
  },
);
