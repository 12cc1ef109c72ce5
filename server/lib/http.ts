import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import type { DB } from '@db/client';
import type { Role } from '@db/domain';
import { servedOverHttps } from './client';
import { AppError, invalidInput } from './errors';
import type { Session, SessionUser } from './session';

export type AppEnv = {
  /** what the host passes to app.fetch: the client's address for rate limiting */
  Bindings: { ip?: string };
  Variables: { db: DB; user: SessionUser | null; session: Session | null };
};

/** The error body every 4xx carries, for the OpenAPI document. */
export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'invalid_input' }),
      field: z.string().optional().openapi({ example: 'email' }),
      issues: z
        .array(z.object({ code: z.string(), field: z.string().optional() }))
        .optional()
        .openapi({ description: 'Every problem found, when there are several (a form shows them together); `field` is the first' }),
    }),
  })
  .openapi('Error');

export const errorResponse = (description: string) => ({
  content: { 'application/json': { schema: ErrorSchema } },
  description,
});

/** Error responses most routes can give, to spread into a route's `responses`. */
export const commonErrors = {
  400: errorResponse('Invalid input: `invalid_input` with the field, or `malformed_json`'),
};
export const authErrors = {
  401: errorResponse('Not signed in: `unauthenticated`'),
  403: errorResponse('Signed in without the needed role, or unsafe request from another origin'),
};

/** A router for one domain module. Validation failures answer `invalid_input` with the first bad field, and all of them in `issues`. */
export function newRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) {
        const e = invalidInput(result.error.issues);
        return c.json({ error: { code: e.code, ...(e.field ? { field: e.field } : {}), ...(e.issues ? { issues: e.issues } : {}) } }, 400);
      }
    },
  });
}

/**
 * The Content-Security-Policy of every response. Scripts only from this origin, and inline only by
 * hash: a page's script-src is Astro's (the hashes of the inline scripts it wrote for that page,
 * experimental.csp in astro.config.mjs), never 'unsafe-inline'. Styles keep 'unsafe-inline' (style
 * attributes; they cannot run code).
 */
export function contentSecurityPolicy(scriptSrc = "script-src 'self'"): string {
  const scripts = scriptSrc.replace(/\s*'unsafe-inline'/g, '').trim();
  // SCORM packages are framed from their own origin when CONTENT_ORIGIN is set (docs/scorm.md).
  let frames = '';
  try {
    frames = process.env.CONTENT_ORIGIN ? `; frame-src 'self' ${new URL(process.env.CONTENT_ORIGIN).origin}` : '';
  } catch {
    frames = '';
  }
  return `default-src 'self'; ${scripts}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; media-src 'self'; font-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'${frames}`;
}

/** Sent with every response, pages and API alike (site/middleware.ts, server/app.ts). */
export const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': contentSecurityPolicy(),
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
};

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Unsafe methods must come from our own pages: the Origin header's scheme and host must be this
 * request's (https when served over HTTPS, else http; or the origin is listed in ALLOWED_ORIGINS).
 * JSON requests included, as the Lucia guide advises.
 */
export const originCheck: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (UNSAFE.has(c.req.method)) {
    const origin = c.req.header('origin');
    if (!origin || !isAllowedOrigin(origin, c.req.raw.headers)) throw new AppError('origin_mismatch', 403);
  }
  await next();
};

/** The one Origin check, for the API (originCheck) and the pages (site/middleware.ts). */
export function isAllowedOrigin(origin: string, headers: Headers): boolean {
  const allowed = (process.env.ALLOWED_ORIGINS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (allowed.includes(origin)) return true;
  const host = headers.get('host');
  try {
    const url = new URL(origin);
    return host !== null && url.host === host && url.protocol === (servedOverHttps(headers) ? 'https:' : 'http:');
  } catch {
    return false;
  }
}

/** `format` of a list that can be downloaded: JSON (default), or a file (server/lib/table-file.ts). */
export const ListFormat = z
  .enum(['json', 'csv', 'csv-semicolon', 'xlsx'])
  .default('json')
  .openapi({ description: 'json (default), or a download with exactly the rows the filters give (no paging): xlsx (typed cells, dates as date cells), csv (RFC 4180, commas), csv-semicolon (semicolons, as a Russian-locale Excel opens it); CSV is UTF-8 with BOM' });
/** The file content types of a downloadable list, to spread into a 200 response's `content`. */
export const FILE_CONTENT = {
  'text/csv': { schema: z.string().openapi({ description: 'UTF-8 with BOM, header row, CRLF; text that could be a formula starts with an apostrophe' }) },
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: z.string().openapi({ format: 'binary' }) },
};

/** OpenAPI security requirements (the schemes are declared in server/app.ts). */
export const SECURITY_SESSION = { sessionCookie: [] as string[] };
export const SECURITY_BEARER = { bearerToken: [] as string[] };

/** The token of an `Authorization: Bearer <token>` header, or null when there is none. */
export function bearerToken(c: Context<AppEnv>): string | null {
  const h = c.req.header('authorization');
  if (!h) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
  if (!m) throw new AppError('invalid_token', 401);
  return m[1]!;
}

/** The signed-in user, or 401. With roles given, the user must hold one of them, or 403. */
export function requireUser(c: Context<AppEnv>, ...roles: Role[]): SessionUser {
  const user = c.get('user');
  if (!user) throw new AppError('unauthenticated', 401);
  if (roles.length && !roles.some((r) => user.roles.includes(r))) throw new AppError('forbidden', 403);
  return user;
}
