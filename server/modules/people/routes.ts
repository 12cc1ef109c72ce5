import { createRoute, z } from '@hono/zod-openapi';
import { deleteCookie, setCookie } from 'hono/cookie';
import { servedOverHttps } from '@server/lib/client';
import { AppError } from '@server/lib/errors';
import { authErrors, commonErrors, errorResponse, newRouter } from '@server/lib/http';
import { SESSION_COOKIE, sessionCookieOptions } from '@server/lib/session';
import { LoginBody, Me } from './schemas';
import { invalidateSession, loadSessionUser, login } from '../auth/service';
import { getProfile, requestPasswordReset } from './service';

const Ok = z.object({ ok: z.literal(true) });

/** Sign-in, sign-out, forgotten password and the signed-in person's profile (sessions are the auth module's). */
export const accountRoutes = newRouter()
  .openapi(
    createRoute({
      method: 'post',
      path: '/auth/login', security: [],
      tags: ['Accounts'],
      summary: 'Sign in with e-mail and password; sets the session cookie',
      request: { body: { required: true, content: { 'application/json': { schema: LoginBody } } } },
      responses: {
        200: { content: { 'application/json': { schema: Me } }, description: 'Signed in' },
        ...commonErrors,
        401: errorResponse('`invalid_credentials`, the same for an unknown e-mail and a wrong password'),
        429: errorResponse('`too_many_attempts`: too many failed sign-ins for this e-mail or address'),
      },
    }),
    async (c) => {
      const db = c.get('db');
      const { email, password } = c.req.valid('json');
      const { token, userId } = await login(db, { email, password, ip: c.env?.ip ?? 'unknown' });
      setCookie(c, SESSION_COOKIE, token, sessionCookieOptions(servedOverHttps(c.req.raw.headers)));
      return c.json(me(db, userId), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/auth/forgot', security: [],
      tags: ['Accounts'],
      summary: 'Forgot password: e-mails a one-time reset link; the same answer whether the e-mail exists or not',
      description: 'Sent only to an account that can sign in (activated, not locked); the link is valid 72 hours, single use, and using it ends every session. At most 3 requests per e-mail and 20 per client address an hour; over that nothing is sent and the answer is the same.',
      request: { body: { required: true, content: { 'application/json': { schema: z.strictObject({ email: z.string().trim().min(3).max(254).openapi({ example: 'learner@demo.kg' }) }) } } } },
      responses: { 202: { content: { 'application/json': { schema: z.object({ ok: z.literal(true) }) } }, description: 'Accepted (always)' }, ...commonErrors },
    }),
    (c) => {
      requestPasswordReset(c.get('db'), { email: c.req.valid('json').email, ip: c.env?.ip ?? 'unknown' });
      return c.json({ ok: true as const }, 202);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/auth/logout',
      tags: ['Accounts'],
      summary: 'End the current session',
      responses: { 200: { content: { 'application/json': { schema: Ok } }, description: 'Signed out' }, ...authErrors },
    }),
    (c) => {
      const session = c.get('session');
      if (!session) throw new AppError('unauthenticated', 401);
      invalidateSession(c.get('db'), session.id);
      deleteCookie(c, SESSION_COOKIE, { path: '/' });
      return c.json({ ok: true as const }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/me',
      tags: ['Accounts'],
      summary: 'The signed-in user: profile, roles, organisation, locale',
      responses: { 200: { content: { 'application/json': { schema: Me } }, description: 'The user' }, ...authErrors },
    }),
    (c) => {
      const user = c.get('user');
      if (!user) throw new AppError('unauthenticated', 401);
      return c.json(me(c.get('db'), user.id), 200);
    },
  );

function me(db: Parameters<typeof getProfile>[0], userId: number): z.infer<typeof Me> {
  const profile = getProfile(db, userId);
  const sessionUser = loadSessionUser(db, userId);
  if (!profile || !sessionUser) throw new AppError('unauthenticated', 401);
  const { user, organisation: org } = profile;
  return {
    id: user.id,
    email: user.email,
    fullName: user.fullName,
    locale: user.locale,
    roles: sessionUser.roles,
    organisation: org ? { id: org.id, nameKy: org.nameKy, nameRu: org.nameRu, service: org.service, region: org.region } : null,
    positionTitle: user.positionTitle,
    postKind: user.postKind,
    adminGroup: user.adminGroup,
    service: user.service,
    gender: user.gender,
    appointmentDate: user.appointmentDate,
    hrOrganisationIds: sessionUser.hrOrganisationIds,
  };
}
