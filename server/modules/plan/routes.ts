import { createRoute, z } from '@hono/zod-openapi';
import { authErrors, commonErrors, errorResponse, FILE_CONTENT, ListFormat, newRouter, requireUser } from '@server/lib/http';
import { tableFile } from '@server/lib/table-file';
import { auditListDownload } from '../audit/service';
import { planTable } from './downloads';
import { PlanLineInput, PlanOut, PlanQuery } from './schemas';
import { addPlanLine, deletePlanLine, planFor, updatePlanLine } from './service';

const IdParam = z.object({ id: z.coerce.number().int().positive().openapi({ param: { name: 'id', in: 'path' } }) });
const LineRef = z.object({ id: z.number().int() });
const notFound = errorResponse('`organisation_not_found` / `plan_line_not_found`: not one of your organisations');
const thisYear = () => new Date().getUTCFullYear();

export const planRoutes = newRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/hr/plan',
      tags: ['HR'],
      summary: 'The annual training plan of one of your organisations, with plan versus actual per line and per quarter',
      request: { query: PlanQuery.extend({ format: ListFormat }) },
      responses: {
        200: { content: { 'application/json': { schema: PlanOut }, ...FILE_CONTENT }, description: 'Lines by quarter' },
        ...commonErrors,
        ...authErrors,
        404: notFound,
      },
    }),
    async (c) => {
      const user = requireUser(c, 'hr');
      const q = c.req.valid('query');
      const org = q.org ?? user.hrOrganisationIds[0];
      if (org === undefined) return c.json({ error: { code: 'organisation_not_found' } }, 404);
      const plan = planFor(c.get('db'), user, org, q.year ?? thisYear());
      if (q.format === 'json') return c.json(plan, 200);
      auditListDownload(c.get('db'), { id: user.id, ip: c.env?.ip ?? null }, 'plan', { format: q.format, filters: { org, year: plan.year }, rows: plan.lines.length });
      const file = await tableFile(planTable(plan, user.locale), q.format, `bilim-plan-${plan.year}-org${org}`);
      return c.body(file.body, 200, file.headers);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/hr/plan/lines',
      tags: ['HR'],
      summary: 'Add a plan line: a number of people to train in a quarter on a catalog course, or on a topic (with kind and term)',
      request: { body: { required: true, content: { 'application/json': { schema: PlanLineInput } } } },
      responses: {
        201: { content: { 'application/json': { schema: LineRef } }, description: 'Added (recorded in the audit log)' },
        ...commonErrors,
        ...authErrors,
        404: notFound,
      },
    }),
    (c) => {
      const user = requireUser(c, 'hr');
      const line = addPlanLine(c.get('db'), user, c.req.valid('json'), c.env?.ip ?? null);
      return c.json({ id: line.id }, 201);
    },
  )
  .openapi(
    createRoute({
      method: 'put',
      path: '/hr/plan/lines/{id}',
      tags: ['HR'],
      summary: 'Replace a plan line',
      request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: PlanLineInput } } } },
      responses: {
        200: { content: { 'application/json': { schema: LineRef } }, description: 'Changed (recorded in the audit log)' },
        ...commonErrors,
        ...authErrors,
        404: notFound,
      },
    }),
    (c) => {
      const user = requireUser(c, 'hr');
      const line = updatePlanLine(c.get('db'), user, c.req.valid('param').id, c.req.valid('json'), c.env?.ip ?? null);
      return c.json({ id: line.id }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/hr/plan/lines/{id}',
      tags: ['HR'],
      summary: 'Delete a plan line',
      request: { params: IdParam },
      responses: {
        204: { description: 'Deleted (recorded in the audit log)' },
        ...authErrors,
        404: notFound,
      },
    }),
    (c) => {
      const user = requireUser(c, 'hr');
      deletePlanLine(c.get('db'), user, c.req.valid('param').id, c.env?.ip ?? null);
      return c.body(null, 204);
    },
  );
