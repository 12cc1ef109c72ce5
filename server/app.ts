import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { HSTS, servedOverHttps } from './lib/client';
import { AppError } from './lib/errors';
import { SCAN_MAX_BYTES } from './lib/uploads';
import { originCheck, SECURITY_HEADERS, SECURITY_SESSION, type AppEnv } from './lib/http';
import './modules/providers';
import { sessionMiddleware } from './modules/auth/middleware';
import { adminRoutes } from './modules/admin/routes';
import { tokenRoutes } from './modules/admin/tokens-routes';
import { accountRoutesAdmin } from './modules/admin/accounts-routes';
import { ssoRoutes } from './modules/auth/sso-routes';
import { accountRoutes } from './modules/people/routes';
import { catalogRoutes } from './modules/catalog/routes';
import { certificateRoutes } from './modules/certificates/routes';
import { recordRoutes } from './modules/records/routes';
import { hrRoutes } from './modules/hr/routes';
import { exportRoutes } from './modules/export/routes';
import { learningRoutes } from './modules/learning/routes';
import { systemRoutes } from './modules/system/routes';
import { quizRoutes } from './modules/quiz/routes';
import { planRoutes } from './modules/plan/routes';
import { reportRoutes } from './modules/reports/routes';
import { feedbackRoutes } from './modules/feedback/routes';
import { qaRoutes } from './modules/qa/routes';
import { academyRoutes } from './modules/academy/routes';
import { authoringRoutes } from './modules/authoring/routes';
import { MEDIA_MAX_BYTES } from './modules/authoring/media';
import { SCORM_MAX_BYTES } from './modules/scorm/package';
import { reviewRoutes } from './modules/review/routes';
import { notificationRoutes } from './modules/notifications/routes';
import { calendarRoutes } from './modules/calendar/routes';
import { attestationRoutes } from './modules/attestation/routes';
import { attestationTestingRoutes } from './modules/attestation/testing-routes';
import { questionBankRoutes } from './modules/authoring/questions-routes';
import { mediaRoutes } from './modules/authoring/media-routes';
import { bankFileRoutes } from './modules/authoring/bank-io-routes';
import { MAX_IMPORT_BYTES } from './modules/authoring/bank-formats';
import { wordRoutes } from './modules/authoring/word-routes';
import { WORD_MAX_BYTES } from './modules/authoring/word';

/** JSON bodies above this are refused with 413 before they are read. */
export const MAX_JSON_BODY_BYTES = 1024 * 1024;

const api = new OpenAPIHono<AppEnv>().basePath('/api');

api.use('*', async (c, next) => {
  await next();
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) if (!c.res.headers.has(name)) c.header(name, value);
  if (servedOverHttps(c.req.raw.headers)) c.header(HSTS.name, HSTS.value);
  // Media files set their own (private, immutable); everything else is never cached.
  if (!c.res.headers.has('Cache-Control')) c.header('Cache-Control', 'no-store');
});
const tooLarge = () => {
  throw new AppError('payload_too_large', 413);
};
const jsonLimit = bodyLimit({ maxSize: MAX_JSON_BODY_BYTES, onError: tooLarge });
// Routes that take a scanned document get room for the file and its form fields.
const uploadLimit = bodyLimit({ maxSize: SCAN_MAX_BYTES + 64 * 1024, onError: tooLarge });
const UPLOAD_PATHS = new Set(['/api/records/outside', '/api/hr/staff/imports']);
const ATTESTATION_DOCUMENT_PATH = /^\/api\/attestation\/people\/\d+\/documents$/;
// Authoring media uploads (videos) get room for the largest kind; each kind's own limit is checked after.
const mediaLimit = bodyLimit({ maxSize: MEDIA_MAX_BYTES + 64 * 1024, onError: tooLarge });
const MEDIA_UPLOAD_PATH = /^\/api\/author\/drafts\/\d+\/media$/;
// SCORM packages arrive as the raw body and are streamed to disk (server/modules/scorm/package.ts).
const scormLimit = bodyLimit({ maxSize: SCORM_MAX_BYTES, onError: tooLarge });
const SCORM_UPLOAD_PATH = /^\/api\/author\/drafts\/\d+\/scorm$/;
// Question-bank files (server/modules/authoring/bank-formats.ts bounds the file itself).
const bankFileLimit = bodyLimit({ maxSize: MAX_IMPORT_BYTES + 64 * 1024, onError: tooLarge });
const BANK_FILE_PATH = /^\/api\/author\/drafts\/\d+\/questions\/import(\/preview)?$/;
// Word documents (server/modules/authoring/word.ts bounds the file and what it unpacks to).
const wordLimit = bodyLimit({ maxSize: WORD_MAX_BYTES + 64 * 1024, onError: tooLarge });
const WORD_PATH = /^\/api\/author\/drafts\/\d+\/word$/;
api.use('*', (c, next) =>
  (UPLOAD_PATHS.has(c.req.path) || ATTESTATION_DOCUMENT_PATH.test(c.req.path) ? uploadLimit : MEDIA_UPLOAD_PATH.test(c.req.path) ? mediaLimit : SCORM_UPLOAD_PATH.test(c.req.path) ? scormLimit : BANK_FILE_PATH.test(c.req.path) ? bankFileLimit : WORD_PATH.test(c.req.path) ? wordLimit : jsonLimit)(c, next),
);
api.use('*', originCheck);
api.use('*', sessionMiddleware);

export const app = api
  .route('/', systemRoutes)
  .route('/', accountRoutes)
  .route('/', catalogRoutes)
  .route('/', certificateRoutes)
  .route('/', recordRoutes)
  .route('/', adminRoutes)
  .route('/', tokenRoutes)
  .route('/', accountRoutesAdmin)
  .route('/', ssoRoutes)
  .route('/', hrRoutes)
  .route('/', exportRoutes)
  .route('/', learningRoutes)
  .route('/', mediaRoutes)
  .route('/', quizRoutes)
  .route('/', planRoutes)
  .route('/', reportRoutes)
  .route('/', feedbackRoutes)
  .route('/', qaRoutes)
  .route('/', academyRoutes)
  .route('/', authoringRoutes)
  .route('/', reviewRoutes)
  .route('/', questionBankRoutes)
  .route('/', bankFileRoutes)
  .route('/', wordRoutes)
  .route('/', notificationRoutes)
  .route('/', calendarRoutes)
  .route('/', attestationRoutes)
  .route('/', attestationTestingRoutes);

/**
 * `getHrStaffById` from `GET /hr/staff/{id}`: the method, then each path segment in camel case, a
 * parameter as `By<Name>`. Unique because method and path are.
 */
export function operationIdOf(method: string, path: string): string {
  const cap = (w: string) => w.charAt(0).toUpperCase() + w.slice(1);
  const words = path
    .split('/')
    .filter(Boolean)
    .flatMap((seg) => {
      const param = /^\{(\w+)\}$/.exec(seg);
      return param ? ['by', param[1]!] : seg.split(/[^A-Za-z0-9]+/).filter(Boolean);
    });
  return method.toLowerCase() + words.map(cap).join('');
}

// Every operation has an operationId (its own, or one made from method and path) and states its
// security: the session cookie unless the route says otherwise (`security: []` for public routes,
// the bearer token where an integration may call it). tests/api/openapi-client.test.ts checks both
// and tests/api/access-control.test.ts that a route documented without security answers anonymous callers.
for (const def of api.openAPIRegistry.definitions) {
  if (def.type !== 'route') continue;
  def.route.operationId ??= operationIdOf(def.route.method, def.route.path);
  def.route.security ??= [SECURITY_SESSION];
}

// How a client proves who it is: the session cookie of a signed-in person, or an API token an
// administrator issued to an integration (only where an operation lists `bearerToken`).
api.openAPIRegistry.registerComponent('securitySchemes', 'sessionCookie', {
  type: 'apiKey',
  in: 'cookie',
  name: 'bilim_session',
  description: 'Set by POST /api/auth/login (or single sign-on); httpOnly, SameSite=Lax',
});
api.openAPIRegistry.registerComponent('securitySchemes', 'bearerToken', {
  type: 'http',
  scheme: 'bearer',
  bearerFormat: 'bilim_<id>_<secret>',
  description: 'An API token issued by an administrator (POST /api/admin/tokens) with the scopes the operation names',
});

const OPENAPI_CONFIG = {
  openapi: '3.1.0',
  info: {
    title: 'Bilim API',
    version: '1',
    description:
      'Distance learning for the civil and municipal servants of the Kyrgyz Republic. Errors are `{ "error": { "code", "field", "issues" } }` (`issues` when a form has several problems); unsafe methods need an Origin header of this host; sign-in sets an httpOnly session cookie.',
  },
};
api.doc31('/openapi.json', OPENAPI_CONFIG);

/** The same OpenAPI document the API serves, for the readable docs page. */
export const openApiDocument = () => api.getOpenAPI31Document(OPENAPI_CONFIG);

api.notFound((c) => c.json({ error: { code: 'not_found' } }, 404));

const HTTP_ERROR_CODES: Record<number, string> = {
  400: 'malformed_json',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
};

api.onError((err, c) => {
  if (err instanceof AppError) {
    return c.json({ error: { code: err.code, ...(err.field ? { field: err.field } : {}), ...(err.issues ? { issues: err.issues } : {}) } }, err.status);
  }
  if (err instanceof HTTPException) {
    // Hono's validator throws 400 for a body that is not JSON and 415 for a body that is not sent as JSON.
    const code = HTTP_ERROR_CODES[err.status] ?? 'bad_request';
    return c.json({ error: { code } }, err.status as 400);
  }
  console.error(err);
  return c.json({ error: { code: 'internal_error' } }, 500);
});

export type AppType = typeof app;
