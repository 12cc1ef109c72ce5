import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { AppError } from '@server/lib/errors';
import { authErrors, bearerToken, commonErrors, newRouter, requireUser, SECURITY_BEARER, SECURITY_SESSION, type AppEnv } from '@server/lib/http';
import { tableFile, XLSX_TYPE } from '@server/lib/table-file';
import { useToken } from '../auth/tokens';
import { ExportQuery, ExportRowSchema } from './schemas';
import { auditExport, completionRows, completionsTable, nextSince, type ExportScope } from './service';
import { bishkekDay } from '@server/lib/time';

/** Who is asking: an HR officer by session (their organisations), or an integration by bearer token with `export:read`. */
function exportClient(c: Context<AppEnv>): { scope: ExportScope; actorId: number | null; token: string | null } {
  const bearer = bearerToken(c);
  if (bearer !== null) {
    const client = useToken(c.get('db'), bearer, 'export:read', { path: c.req.path, ip: c.env?.ip ?? null });
    return { scope: client.organisationIds, actorId: null, token: client.tokenId };
  }
  const user = requireUser(c, 'hr');
  return { scope: user.hrOrganisationIds, actorId: user.id, token: null };
}

const nextHeader = z.string().openapi({ description: 'The change sequence to pass as `since` next time (the same as `next_since` in JSON)', pattern: '^\\d+$', example: '1042' });

export const exportRoutes = newRouter().openapi(
  createRoute({
    method: 'get',
    path: '/hr/export/completions',
    operationId: 'exportCompletions',
    tags: ['HR'],
    summary: 'Completed trainings of the HR officer’s servants for the HR information system (e-Kyzmat): valid certificates and verified outside trainings',
    description:
      'An HR officer (session cookie) gets the servants of their organisations; an integration (`Authorization: Bearer <token>` with scope `export:read`) gets those of the token\'s organisation with its sub-units, or of all organisations. Every call is recorded in the audit log.',
    security: [SECURITY_SESSION, SECURITY_BEARER],
    request: { query: ExportQuery },
    responses: {
      200: {
        content: {
          'application/json': { schema: z.object({ rows: z.array(ExportRowSchema), next_since: z.string().openapi({ description: 'Pass as `since` next time: the change sequence this answer reached', pattern: '^\\d+$' }) }) },
          'text/csv': { schema: z.string().openapi({ description: 'UTF-8 with BOM, header row; `csv` RFC 4180 with commas, `csv-semicolon` with semicolons; cells starting with = + - @ are prefixed with an apostrophe' }) },
          [XLSX_TYPE]: { schema: z.string().openapi({ format: 'binary' }) },
        },
        headers: z.object({ 'X-Next-Since': nextHeader }),
        description: 'Rows in change order; the same columns in every format',
      },
      ...commonErrors,
      ...authErrors,
    },
  }),
  async (c) => {
    const q = c.req.valid('query');
    if (q.from && q.to && q.from > q.to) throw new AppError('invalid_date_range', 400, 'to');
    const client = exportClient(c);
    const since = q.since === undefined ? undefined : /^\d+$/.test(q.since) ? { seq: Number(q.since) } : { at: new Date(q.since) };
    const db = c.get('db');
    const { rows, next } = completionRows(db, client.scope, { from: q.from, to: q.to, since });
    auditExport(db, client.actorId, { format: q.format, from: q.from ?? null, to: q.to ?? null, since: q.since ?? null, rows: rows.length, ...(client.token ? { token: client.token } : {}) }, c.env?.ip ?? null);
    const nextValue = nextSince(next);
    c.header('X-Next-Since', nextValue);
    if (q.format === 'json') return c.json({ rows, next_since: nextValue }, 200);
    const file = await tableFile(completionsTable(rows), q.format, `bilim-completions-${bishkekDay(new Date())}`);
    return c.body(file.body, 200, file.headers);
  },
);
