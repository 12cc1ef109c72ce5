import { createRoute, z } from '@hono/zod-openapi';
import { DIGEST_PERIODS } from '@db/schema';
import { LOCALES } from '@db/domain';
import { AppError } from '@server/lib/errors';
import { authErrors, commonErrors, errorResponse, newRouter, requireUser } from '@server/lib/http';
import { changeOwnPassword, setLocale } from '../auth/service';
import { listNotifications, markAllRead, markRead, NOTIFICATION_KINDS, OPTIONAL_EMAIL, preferences, REQUIRED_EMAIL, savePreferences } from './service';

const json = <T extends z.ZodTypeAny>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });
const body = <T extends z.ZodTypeAny>(schema: T) => ({ body: { required: true, content: { 'application/json': { schema } } } });
const Ok = z.object({ ok: z.literal(true) });

const NotificationSchema = z
  .object({
    id: z.number().int(),
    kind: z.enum(NOTIFICATION_KINDS),
    title: z.string().openapi({ description: 'one line, in the language asked for (default the person’s)' }),
    text: z.string(),
    link: z.string().openapi({ description: 'the page concerned, a path on this site', example: '/ky/my/record' }),
    createdAt: z.string(),
    read: z.boolean(),
  })
  .openapi('Notification');

const PreferencesSchema = z
  .object({
    emailOff: z.array(z.enum(NOTIFICATION_KINDS)).openapi({ description: 'kinds the person gets in the app only' }),
    required: z.array(z.enum(NOTIFICATION_KINDS)).openapi({ description: 'kinds always e-mailed (cannot be switched off)' }),
    optional: z.array(z.enum(NOTIFICATION_KINDS)),
    digestPeriod: z.enum(DIGEST_PERIODS).openapi({ description: 'HR officers: how often the digest comes (default weekly)' }),
  })
  .openapi('NotificationPreferences');

export const notificationRoutes = newRouter()
  .openapi(
    createRoute({
      method: 'get', path: '/me/notifications', tags: ['Notifications'], summary: 'My notifications, newest first, with read state',
      request: {
        query: z.object({
          lang: z.enum(LOCALES).optional(),
          limit: z.coerce.number().int().min(1).max(200).optional(),
          offset: z.coerce.number().int().min(0).max(1_000_000).optional(),
        }),
      },
      responses: { 200: json(z.object({ notifications: z.array(NotificationSchema), total: z.number().int(), unread: z.number().int() }).openapi('Notifications'), 'Notifications'), ...commonErrors, ...authErrors },
    }),
    (c) => {
      const user = requireUser(c);
      const q = c.req.valid('query');
      const list = listNotifications(c.get('db'), user.id, q.lang ?? user.locale, { limit: q.limit ?? 50, offset: q.offset ?? 0 });
      return c.json({ notifications: list.items.map((n) => ({ ...n, createdAt: n.createdAt.toISOString() })), total: list.total, unread: list.unread }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/me/notifications/{id}/read', tags: ['Notifications'], summary: 'Mark one of my notifications read',
      request: { params: z.object({ id: z.coerce.number().int().positive().max(2 ** 53) }) },
      responses: { 200: json(Ok, 'Marked'), ...commonErrors, ...authErrors, 404: errorResponse('`notification_not_found` (also for someone else’s)') },
    }),
    (c) => {
      const user = requireUser(c);
      markRead(c.get('db'), user.id, c.req.valid('param').id);
      return c.json({ ok: true as const }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/me/notifications/read-all', tags: ['Notifications'], summary: 'Mark all my notifications read',
      responses: { 200: json(z.object({ marked: z.number().int() }), 'Marked'), ...authErrors },
    }),
    (c) => {
      const user = requireUser(c);
      return c.json({ marked: markAllRead(c.get('db'), user.id) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/me/notification-preferences', tags: ['Notifications'], summary: 'Which e-mails I get; the HR digest period',
      responses: { 200: json(PreferencesSchema, 'Preferences'), ...authErrors },
    }),
    (c) => {
      const user = requireUser(c);
      const p = preferences(c.get('db'), user.id);
      return c.json({ emailOff: p.emailOff, required: [...REQUIRED_EMAIL], optional: [...OPTIONAL_EMAIL], digestPeriod: p.digestPeriod }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'put', path: '/me/notification-preferences', tags: ['Notifications'], summary: 'Choose which optional e-mails I get; the HR digest period',
      description: 'Required kinds (invitation, password reset, course assigned, obligation reminder) cannot be switched off: naming one is 400 `notification_required`.',
      request: body(z.strictObject({ emailOff: z.array(z.enum(NOTIFICATION_KINDS)).max(NOTIFICATION_KINDS.length), digestPeriod: z.enum(DIGEST_PERIODS).optional() })),
      responses: { 200: json(PreferencesSchema, 'Saved'), ...commonErrors, ...authErrors },
    }),
    (c) => {
      const user = requireUser(c);
      const db = c.get('db');
      savePreferences(db, user.id, c.req.valid('json'));
      const p = preferences(db, user.id);
      return c.json({ emailOff: p.emailOff, required: [...REQUIRED_EMAIL], optional: [...OPTIONAL_EMAIL], digestPeriod: p.digestPeriod }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/me/password', tags: ['Accounts'], summary: 'Change my password (the current one required); my other sessions end',
      request: body(z.strictObject({ currentPassword: z.string().min(1).max(200), newPassword: z.string().min(1).max(200) })),
      responses: { 200: json(Ok, 'Changed'), ...commonErrors, ...authErrors },
    }),
    async (c) => {
      const user = requireUser(c);
      const session = c.get('session');
      if (!session) throw new AppError('unauthenticated', 401);
      await changeOwnPassword(c.get('db'), { id: user.id, sessionId: session.id, ip: c.env?.ip ?? null }, c.req.valid('json'));
      return c.json({ ok: true as const }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'put', path: '/me/locale', tags: ['Accounts'], summary: 'My interface language (pages and e-mails)',
      request: body(z.strictObject({ locale: z.enum(LOCALES) })),
      responses: { 200: json(z.object({ locale: z.enum(LOCALES) }), 'Saved'), ...commonErrors, ...authErrors },
    }),
    (c) => {
      const user = requireUser(c);
      const { locale } = c.req.valid('json');
      setLocale(c.get('db'), user.id, locale);
      return c.json({ locale }, 200);
    },
  );
