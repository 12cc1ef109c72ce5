import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { LOCALES, ROLES, SERVICES } from '@db/domain';
import { authErrors, commonErrors, errorResponse, newRouter, requireUser, type AppEnv } from '@server/lib/http';
import { BULK_MAX_LINES, bulkGrant, createAccount, setAccountProvider, updateAccount } from '../people/accounts';
import { personOut } from './routes';
import { setPasswordLogin } from '../auth/sso';
import { IdParam, PersonDetail, ProviderBody } from './schemas';

const OneLine = (max: number) => z.string().trim().max(max).regex(/^[^\u0000-\u001f\u007f]*$/);
/** An account as an administrator creates or edits it (no password: the person sets it through a one-time link). */
export const AccountBody = z
  .strictObject({
    email: z.string().trim().min(3).max(254).openapi({ example: 'a.asanova@minfin.gov.kg' }),
    fullName: OneLine(300).min(1).openapi({ example: 'Асанова Айгүл Бакытовна' }),
    organisationId: z.number().int().positive().nullable().optional(),
    positionTitle: OneLine(300).nullable().optional(),
    service: z.enum(SERVICES).nullable().optional(),
    personalNumber: z.string().trim().max(20).nullable().optional().openapi({ description: 'ПИН, 14 digits; unique', pattern: '^\\d{14}$', example: '21203198700123' }),
    locale: z.enum(LOCALES).default('ky'),
  })
  .openapi('AccountBody');
export type AccountInput = z.infer<typeof AccountBody>;
export const accountFields = (b: AccountInput) => ({
  email: b.email, fullName: b.fullName, organisationId: b.organisationId ?? null, positionTitle: b.positionTitle ?? null,
  service: b.service ?? null, personalNumber: b.personalNumber || null, locale: b.locale,
});

export const BulkGrantBody = z
  .strictObject({
    text: z.string().max(1024 * 1024).openapi({ description: `E-mails one a line, or CSV \`email[,role[,organisation]]\` (organisation: number or e-Kyzmat code); at most ${BULK_MAX_LINES} lines` }),
    role: z.enum(ROLES).nullable().optional().openapi({ description: 'for lines without a role' }),
    organisationId: z.number().int().positive().nullable().optional().openapi({ description: 'for hr lines without an organisation' }),
    apply: z.boolean().default(false).openapi({ description: 'false: check and report only; true: grant (refused with 422 bulk_has_errors while any line has an error)' }),
  })
  .openapi('BulkGrantBody');
const BulkReportOut = z
  .object({
    lines: z.array(z.object({
      line: z.number().int(), email: z.string(), role: z.enum(ROLES).nullable(), organisationId: z.number().int().nullable(), userId: z.number().int().nullable(),
      fullName: z.string().nullable(), result: z.enum(['grant', 'already', 'error']), code: z.string().nullable(),
    })),
    grant: z.number().int(), already: z.number().int(), errors: z.number().int(), applied: z.boolean(),
  })
  .openapi('BulkGrantReport');

const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });
const body = <T extends z.ZodType>(schema: T) => ({ body: { required: true, content: { 'application/json': { schema } } } });
function admin(c: Context<AppEnv>) {
  const user = requireUser(c, 'admin');
  return { id: user.id, ip: c.env?.ip ?? null };
}

export const accountRoutesAdmin = newRouter()
  .openapi(
    createRoute({
      method: 'post', path: '/admin/people', tags: ['Administration'], summary: 'Create an account (learner role, no password: give the person a one-time link); recorded as user.created',
      request: body(AccountBody),
      responses: { 201: json(PersonDetail, 'Created'), ...commonErrors, ...authErrors, 404: errorResponse('`organisation_not_found`'), 409: errorResponse('`email_taken`, `personal_number_taken`, `organisation_closed`') },
    }),
    (c) => {
      const user = createAccount(c.get('db'), admin(c), accountFields(c.req.valid('json')));
      return c.json(personOut(c, user.id), 201);
    },
  )
  .openapi(
    createRoute({
      method: 'put', path: '/admin/people/{id}', tags: ['Administration'], summary: 'Change an account’s details; the audit entry keeps old and new values',
      request: { params: IdParam, ...body(AccountBody) },
      responses: { 200: json(PersonDetail, 'Saved'), ...commonErrors, ...authErrors, 404: errorResponse('`person_not_found`, `organisation_not_found`'), 409: errorResponse('`email_taken`, `personal_number_taken`, `organisation_closed`') },
    }),
    (c) => {
      const { id } = c.req.valid('param');
      updateAccount(c.get('db'), admin(c), id, accountFields(c.req.valid('json')));
      return c.json(personOut(c, id), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'put', path: '/admin/people/{id}/provider', tags: ['Administration'], summary: 'Set the training provider a person writes courses for (their new drafts name it); recorded as user.provider_set',
      request: { params: IdParam, ...body(ProviderBody) },
      responses: { 200: json(PersonDetail, 'Saved'), ...commonErrors, ...authErrors, 404: errorResponse('`person_not_found`, `provider_not_found` (no such organisation, or not a training provider)'), 409: errorResponse('`provider_closed`') },
    }),
    (c) => {
      const { id } = c.req.valid('param');
      setAccountProvider(c.get('db'), admin(c), id, c.req.valid('json').providerId);
      return c.json(personOut(c, id), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/admin/roles/bulk', tags: ['Administration'], summary: 'Grant roles to many people at once from a list or CSV: a report per line first, then apply',
      request: body(BulkGrantBody),
      responses: {
        200: json(BulkReportOut, 'The report per line; with apply, the grants are made'), ...commonErrors, ...authErrors,
        413: errorResponse('`bulk_too_large`'), 422: errorResponse('`bulk_empty`, `bulk_too_many_lines`, `bulk_has_errors` (apply with an error line)'),
      },
    }),
    (c) => {
      const b = c.req.valid('json');
      return c.json(bulkGrant(c.get('db'), admin(c), { text: b.text, role: b.role ?? null, organisationId: b.organisationId ?? null, apply: b.apply }), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'put', path: '/admin/organisations/{id}/password-login', tags: ['Administration'],
      summary: 'Turn password sign-in off (single sign-on only) or on again for an organisation and its sub-units',
      description: 'Off only once single sign-on works there: configured, and someone of the organisation has signed in through it (409 `sso_not_configured`, `sso_not_in_use`). Recorded in the audit log.',
      request: { params: IdParam, ...body(z.strictObject({ enabled: z.boolean() }).openapi('PasswordLoginBody')) },
      responses: { 200: json(z.object({ passwordLogin: z.boolean() }), 'Saved'), ...commonErrors, ...authErrors, 404: errorResponse('`organisation_not_found`'), 409: errorResponse('`sso_not_configured`, `sso_not_in_use`') },
    }),
    (c) => c.json(setPasswordLogin(c.get('db'), admin(c), c.req.valid('param').id, c.req.valid('json').enabled), 200),
  );
