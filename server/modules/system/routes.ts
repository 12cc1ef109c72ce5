import { createRoute, z } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import { errorResponse, newRouter } from '@server/lib/http';

export const systemRoutes = newRouter().openapi(
  createRoute({
    method: 'get',
    path: '/health', security: [],
    tags: ['System'],
    summary: 'Liveness: answers ok when the database answers',
    responses: {
      200: { content: { 'application/json': { schema: z.object({ ok: z.literal(true) }) } }, description: 'Healthy' },
      503: errorResponse('`database_unavailable`'),
    },
  }),
  (c) => {
    try {
      c.get('db').get(sql`select 1`);
    } catch {
      return c.json({ error: { code: 'database_unavailable' } }, 503);
    }
    return c.json({ ok: true as const }, 200);
  },
);
