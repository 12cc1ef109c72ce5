/** API tokens for integrations: issued, listed and revoked by administrators (auth/tokens.ts owns the rules). */
import { createRoute, z } from '@hono/zod-openapi';
import { authErrors, commonErrors, errorResponse, newRouter, requireUser, SECURITY_SESSION } from '@server/lib/http';
import { issueToken, listTokens, MAX_TOKEN_DAYS, revokeToken, TOKEN_SCOPES } from '../auth/tokens';

const TokenOut = z
  .object({
    id: z.string(),
    name: z.string(),
    scopes: z.array(z.string()),
    organisation: z.object({ id: z.number().int(), nameKy: z.string(), nameRu: z.string() }).nullable().openapi({ description: 'Whose data it reads (with sub-units); null: every organisation' }),
    createdBy: z.object({ id: z.number().int(), fullName: z.string() }),
    createdAt: z.string(),
    expiresAt: z.string().nullable(),
    lastUsedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
    state: z.enum(['active', 'expired', 'revoked']),
  })
  .openapi('ApiToken');
export const TokenBody = z
  .strictObject({
    name: z.string().trim().min(1).max(100).regex(/^[^\u0000-\u001f\u007f]*$/).openapi({ example: 'e-Kyzmat' }),
    scopes: z.array(z.enum(TOKEN_SCOPES)).min(1).max(TOKEN_SCOPES.length),
    organisationId: z.number().int().positive().nullable().optional().openapi({ description: 'Limit to this organisation with its sub-units; omitted or null: every organisation' }),
    expiresInDays: z.number().int().min(1).max(MAX_TOKEN_DAYS).default(365),
  })
  .openapi('ApiTokenBody');
const TokenIdParam = z.object({ id: z.string().regex(/^[a-z2-7]{16}$/).openapi({ param: { name: 'id', in: 'path' }, example: 'abcdefghij234567' }) });

export const tokenRoutes = newRouter()
  .openapi(
    createRoute({
      method: 'post',
      path: '/admin/tokens',
      operationId: 'issueApiToken',
      tags: ['Administration'],
      summary: 'Issue an API token for an integration; the token is in this answer only (only a hash is kept)',
      security: [SECURITY_SESSION],
      request: { body: { required: true, content: { 'application/json': { schema: TokenBody } } } },
      responses: {
        201: { content: { 'application/json': { schema: z.object({ token: z.string().openapi({ description: 'Send as `Authorization: Bearer <token>`; shown once', pattern: '^bilim_[a-z2-7]{16}_[a-z2-7]{52}$' }), apiToken: TokenOut }) } }, description: 'Issued (recorded in the audit log as token.issued)' },
        ...commonErrors,
        ...authErrors,
        404: errorResponse('`organisation_not_found`'),
      },
    }),
    (c) => {
      const user = requireUser(c, 'admin');
      const { token, view } = issueToken(c.get('db'), { id: user.id, ip: c.env?.ip ?? null }, c.req.valid('json'));
      return c.json({ token, apiToken: view }, 201);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/admin/tokens',
      operationId: 'listApiTokens',
      tags: ['Administration'],
      summary: 'Every API token with its state, expiry and last use; never a secret',
      security: [SECURITY_SESSION],
      responses: { 200: { content: { 'application/json': { schema: z.object({ tokens: z.array(TokenOut) }) } }, description: 'Newest first' }, ...authErrors },
    }),
    (c) => {
      requireUser(c, 'admin');
      return c.json({ tokens: listTokens(c.get('db')) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/admin/tokens/{id}',
      operationId: 'revokeApiToken',
      tags: ['Administration'],
      summary: 'Revoke an API token at once (recorded as token.revoked)',
      security: [SECURITY_SESSION],
      request: { params: TokenIdParam },
      responses: {
        200: { content: { 'application/json': { schema: z.object({ ok: z.literal(true) }) } }, description: 'Revoked' },
        ...commonErrors,
        ...authErrors,
        404: errorResponse('`token_not_found`'),
        409: errorResponse('`token_revoked`'),
      },
    }),
    (c) => {
      const user = requireUser(c, 'admin');
      revokeToken(c.get('db'), { id: user.id, ip: c.env?.ip ?? null }, c.req.valid('param').id);
      return c.json({ ok: true as const }, 200);
    },
  );
