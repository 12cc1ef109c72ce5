import { createRoute, z } from '@hono/zod-openapi';
import { AppError } from '@server/lib/errors';
import { authErrors, errorResponse, newRouter, requireUser } from '@server/lib/http';
import { calendarFeed, renewCalendarToken } from './service';

const json = <T extends z.ZodTypeAny>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });

export const calendarRoutes = newRouter()
  .openapi(
    createRoute({
      method: 'post', path: '/me/calendar', tags: ['Notifications'], summary: 'Make (or renew) my calendar feed’s secret address; the old one stops working',
      responses: { 200: json(z.object({ url: z.string().openapi({ description: 'shown once: subscribe to it in Outlook or Google Calendar' }) }), 'The address'), ...authErrors },
    }),
    (c) => {
      const user = requireUser(c);
      return c.json({ url: renewCalendarToken(c.get('db'), user.id) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/calendar/{file}', security: [], tags: ['Notifications'], summary: 'A person’s due dates as iCalendar (the secret address is the proof)',
      request: { params: z.object({ file: z.string().max(80).openapi({ example: 'abcdefghijklmnopqrstuvwxyz234567.ics' }) }) },
      responses: { 200: { content: { 'text/calendar': { schema: z.string() } }, description: 'The calendar' }, 404: errorResponse('`not_found`: unknown or renewed address') },
    }),
    (c) => {
      const file = c.req.valid('param').file;
      const feed = file.endsWith('.ics') ? calendarFeed(c.get('db'), file.slice(0, -4)) : null;
      if (!feed) throw new AppError('not_found', 404);
      return c.body(feed, 200, { 'content-type': 'text/calendar; charset=utf-8', 'cache-control': 'private, max-age=0' });
    },
  );
