import { createRoute, z } from '@hono/zod-openapi';
import { authErrors, commonErrors, newRouter, requireUser } from '../../lib/http';
import { StaffMemberOut, StaffQuery } from '../admin/schemas';
import { listStaff } from './service';

export const hrRoutes = newRouter().openapi(
  createRoute({
    method: 'get',
    path: '/hr/staff',
    tags: ['HR'],
    summary: "Servants of the HR officer's organisations (whole subtrees) with their training-obligation status",
    request: { query: StaffQuery },
    responses: {
      200: { content: { 'application/json': { schema: z.object({ staff: z.array(StaffMemberOut) }) } }, description: 'Staff, overdue first' },
      ...commonErrors,
      ...authErrors,
    },
  }),
  (c) => {
    const user = requireUser(c, 'hr');
    const staff = listStaff(c.get('db'), user.hrOrganisationIds, c.req.valid('query'));
    return c.json({ staff }, 200);
  },
);
