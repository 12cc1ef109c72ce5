import { createRoute, z } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import { OUTBOX_CHANNELS } from '@db/schema';
import { authErrors, errorResponse, newRouter, requireUser } from '@server/lib/http';
import { OUTBOX_STATES } from '../outbox/service';
import { systemStatus } from './service';

const Counts = z.object(Object.fromEntries(OUTBOX_STATES.map((s) => [s, z.number().int()])) as Record<(typeof OUTBOX_STATES)[number], z.ZodNumber>);
const SystemOut = z
  .object({
    version: z.string().openapi({ example: '0.1.0' }),
    node: z.string().openapi({ example: 'v22.11.0' }),
    startedAt: z.string().openapi({ format: 'date-time' }),
    uptimeSeconds: z.number().int(),
    database: z.object({
      file: z.string().nullable().openapi({ description: 'null for an in-memory database' }),
      bytes: z.number().int(),
      walBytes: z.number().int().openapi({ description: 'The write-ahead log (-wal file) not yet copied back' }),
      pageSize: z.number().int(),
      pageCount: z.number().int(),
      freePages: z.number().int(),
    }),
    lastBackup: z.object({ file: z.string(), at: z.string().openapi({ format: 'date-time' }), bytes: z.number().int() }).nullable().openapi({ description: 'The newest copy `npm run backup` made in BACKUP_DIR' }),
    backupDir: z.string(),
    queues: z.object(Object.fromEntries(OUTBOX_CHANNELS.map((c) => [c, Counts])) as Record<(typeof OUTBOX_CHANNELS)[number], typeof Counts>).openapi({ description: 'Outbox rows per channel (email, webhook) and state' }),
  })
  .openapi('SystemStatus');


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
).openapi(
  createRoute({
    method: 'get',
    path: '/admin/system',
    operationId: 'getSystemStatus',
    tags: ['Administration'],
    summary: 'Version, uptime, database and write-ahead log size, last backup, outbox queue lengths (administrators)',
    responses: {
      200: { content: { 'application/json': { schema: SystemOut } }, description: 'The system as this process sees it' },
      ...authErrors,
    },
  }),
  (c) => {
    requireUser(c, 'admin');
    const s = systemStatus(c.get('db'));
    return c.json({ ...s, startedAt: s.startedAt.toISOString(), lastBackup: s.lastBackup && { ...s.lastBackup, at: s.lastBackup.at.toISOString() } }, 200);
  },
);
