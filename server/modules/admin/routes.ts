/**
 * The administration API (admin role only): a thin HTTP layer over the services of the people,
 * organisations, policy, settings and audit modules, which own the rules and write the audit log.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { AppError } from '@server/lib/errors';
import { publicOrigin } from '@server/lib/origin';
import { authErrors, commonErrors, errorResponse, newRouter, requireUser, type AppEnv } from '@server/lib/http';
import { auditCsv, listAudit, type AuditEntry } from '../audit/service';
import {
  addOrganisation,
  closeOrganisation,
  importOrganisationsCsv,
  listOrganisations,
  reopenOrganisation,
  updateOrganisation,
  type Organisation,
} from '../organisations/service';
import { createPasswordReset, getPersonForAdmin, grantRole, lockUser, resetPasswordWithToken, revokeRole, searchPeople, unlockUser } from '../people/service';
import { trainingProvider } from '../organisations/training-providers';
import { currentPolicy, previewPolicy, setPolicy, type Policy } from '../policy/service';
import { getSettings, updateSettings } from '../settings/service';
import { cancelOutbox, listOutbox, OUTBOX_STATES, retryOutbox, sendTestMail, type OutboxItem } from '../outbox/service';
import { OUTBOX_CHANNELS } from '@db/schema';
import { t } from '@server/lib/i18n';
import {
  AuditEntryOut,
  AuditQuery,
  GrantBody,
  GrantParam,
  IdParam,
  ImportBody,
  ImportReport,
  OrganisationBody,
  OrganisationOut,
  OrganisationPatch,
  OrganisationsQuery,
  PeopleQuery,
  PersonDetail,
  PersonSummary,
  PolicyOut,
  PolicyPreviewOut,
  PolicyValuesSchema,
  ResetBody,
  ResetLink,
  SettingsBody,
  SettingsOut,
} from './schemas';

const Ok = z.object({ ok: z.literal(true) });
const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });
const body = <T extends z.ZodType>(schema: T) => ({ body: { required: true, content: { 'application/json': { schema } } } });
const notFound = { 404: errorResponse('Not found: `person_not_found`, `organisation_not_found`, `role_not_found`') };
const conflict = (codes: string) => ({ 409: errorResponse(codes) });

function admin(c: Context<AppEnv>) {
  const user = requireUser(c, 'admin');
  return { id: user.id, ip: c.env?.ip ?? null };
}

const orgOut = (o: Organisation): z.infer<typeof OrganisationOut> => ({
  id: o.id,
  parentId: o.parentId,
  kind: o.kind,
  service: o.service,
  region: o.region,
  nameKy: o.nameKy,
  nameRu: o.nameRu,
  code: o.code,
  createdAt: o.createdAt.toISOString(),
  closedAt: o.closedAt?.toISOString() ?? null,
});
const policyOut = (p: Policy): z.infer<typeof PolicyOut> => ({
  id: p.id,
  periodYears: p.periodYears,
  minHours: p.minHours,
  dueSoonDays: p.dueSoonDays,
  reminderDays: p.reminderDays,
  certificateFormat: p.certificateFormat,
  createdAt: p.createdAt?.toISOString() ?? null,
  createdBy: p.createdBy,
});
const OutboxItemOut = z
  .object({
    id: z.number().int(), channel: z.enum(OUTBOX_CHANNELS), type: z.string(), state: z.enum(OUTBOX_STATES),
    recipient: z.string().nullable(), subject: z.string().nullable(), createdAt: z.string(), attempts: z.number().int(),
    nextAttemptAt: z.string(), deliveredAt: z.string().nullable(), cancelledAt: z.string().nullable(), lastError: z.string().nullable(),
  })
  .openapi('OutboxItem');
const outboxOut = (r: OutboxItem): z.infer<typeof OutboxItemOut> => ({
  ...r, createdAt: r.createdAt.toISOString(), nextAttemptAt: r.nextAttemptAt.toISOString(), deliveredAt: r.deliveredAt?.toISOString() ?? null, cancelledAt: r.cancelledAt?.toISOString() ?? null,
});
const auditOut = (e: AuditEntry): z.infer<typeof AuditEntryOut> => ({
  id: e.id,
  at: e.at.toISOString(),
  actor: e.actorId === null ? null : { id: e.actorId, fullName: e.actorName, email: e.actorEmail },
  action: e.action,
  targetType: e.targetType,
  targetId: e.targetId,
  details: e.details ?? null,
  ip: e.ip,
});

export const adminRoutes = newRouter()
  // ---- people and roles ----
  .openapi(
    createRoute({ method: 'get', path: '/admin/people', tags: ['Administration'], summary: 'Find people by name or e-mail, optionally by role (50 at most)', request: { query: PeopleQuery }, responses: { 200: json(z.object({ people: z.array(PersonSummary) }), 'People'), ...commonErrors, ...authErrors } }),
    (c) => {
      admin(c);
      const q = c.req.valid('query');
      const people = searchPeople(c.get('db'), { text: q.q, role: q.role }).map((p) => ({
        id: p.id,
        email: p.email,
        fullName: p.fullName,
        organisation: p.organisationId === null ? null : { id: p.organisationId, nameKy: p.organisationKy ?? '', nameRu: p.organisationRu ?? '' },
        locked: p.lockedAt !== null,
        roles: p.roles,
      }));
      return c.json({ people }, 200);
    },
  )
  .openapi(
    createRoute({ method: 'get', path: '/admin/people/{id}', tags: ['Administration'], summary: 'One person with every role grant', request: { params: IdParam }, responses: { 200: json(PersonDetail, 'The person'), ...commonErrors, ...authErrors, ...notFound } }),
    (c) => {
      admin(c);
      return c.json(personOut(c, c.req.valid('param').id), 200);
    },
  )
  .openapi(
    createRoute({ method: 'post', path: '/admin/people/{id}/roles', tags: ['Administration'], summary: 'Grant a role (hr with the organisation it covers); effective on the next request', request: { params: IdParam, ...body(GrantBody) }, responses: { 200: json(PersonDetail, 'Granted'), ...commonErrors, ...authErrors, ...notFound, ...conflict('`role_already_granted`, `organisation_closed`') } }),
    (c) => {
      const actor = admin(c);
      const { id } = c.req.valid('param');
      const { role, organisationId } = c.req.valid('json');
      grantRole(c.get('db'), actor, id, role, organisationId ?? null);
      return c.json(personOut(c, id), 200);
    },
  )
  .openapi(
    createRoute({ method: 'delete', path: '/admin/people/{id}/roles/{grantId}', tags: ['Administration'], summary: 'Revoke one role grant; the last administrator keeps the admin role', request: { params: GrantParam }, responses: { 200: json(PersonDetail, 'Revoked'), ...commonErrors, ...authErrors, ...notFound, ...conflict('`last_admin`') } }),
    (c) => {
      const actor = admin(c);
      const { id, grantId } = c.req.valid('param');
      revokeRole(c.get('db'), actor, id, grantId);
      return c.json(personOut(c, id), 200);
    },
  )
  .openapi(
    createRoute({ method: 'post', path: '/admin/people/{id}/lock', tags: ['Administration'], summary: 'Lock an account: no sign-in, sessions ended; never the last administrator', request: { params: IdParam }, responses: { 200: json(PersonDetail, 'Locked'), ...commonErrors, ...authErrors, ...notFound, ...conflict('`last_admin`, `already_locked`') } }),
    (c) => {
      const actor = admin(c);
      const { id } = c.req.valid('param');
      lockUser(c.get('db'), actor, id);
      return c.json(personOut(c, id), 200);
    },
  )
  .openapi(
    createRoute({ method: 'post', path: '/admin/people/{id}/unlock', tags: ['Administration'], summary: 'Unlock an account', request: { params: IdParam }, responses: { 200: json(PersonDetail, 'Unlocked'), ...commonErrors, ...authErrors, ...notFound, ...conflict('`not_locked`') } }),
    (c) => {
      const actor = admin(c);
      const { id } = c.req.valid('param');
      unlockUser(c.get('db'), actor, id);
      return c.json(personOut(c, id), 200);
    },
  )
  .openapi(
    createRoute({ method: 'post', path: '/admin/people/{id}/password-reset', tags: ['Administration'], summary: 'Make a one-time password-reset link (72 hours); shown only in this answer', request: { params: IdParam }, responses: { 200: json(ResetLink, 'The link'), ...commonErrors, ...authErrors, ...notFound } }),
    (c) => {
      const actor = admin(c);
      const { id } = c.req.valid('param');
      const db = c.get('db');
      const person = getPersonForAdmin(db, id);
      const { token, expiresAt } = createPasswordReset(db, actor, id);
      const url = `${publicOrigin(c.req.raw.headers)}/${person.user.locale}/reset/${token}`;
      return c.json({ url, expiresAt: expiresAt.toISOString() }, 200);
    },
  )
  .openapi(
    createRoute({ method: 'post', path: '/auth/password-reset', security: [], tags: ['Accounts'], summary: 'Set a new password (at least 12 characters) with a reset link token; ends every session', request: body(ResetBody), responses: { 200: json(Ok, 'Password set'), ...commonErrors, 404: errorResponse('`reset_link_invalid`: unknown, used or expired') } }),
    async (c) => {
      const { token, password } = c.req.valid('json');
      await resetPasswordWithToken(c.get('db'), token, password, c.env?.ip ?? null);
      return c.json({ ok: true as const }, 200);
    },
  )
  // ---- organisations ----
  .openapi(
    createRoute({ method: 'get', path: '/admin/organisations', tags: ['Administration'], summary: 'Every organisation (closed ones with closed=include)', request: { query: OrganisationsQuery }, responses: { 200: json(z.object({ organisations: z.array(OrganisationOut) }), 'Organisations'), ...commonErrors, ...authErrors } }),
    (c) => {
      admin(c);
      const { closed } = c.req.valid('query');
      return c.json({ organisations: listOrganisations(c.get('db'), { includeClosed: closed === 'include' }).map(orgOut) }, 200);
    },
  )
  .openapi(
    createRoute({ method: 'post', path: '/admin/organisations', tags: ['Administration'], summary: 'Create an organisation', request: body(OrganisationBody), responses: { 201: json(OrganisationOut, 'Created'), ...commonErrors, ...authErrors, ...notFound, ...conflict('`organisation_closed` (the parent)') } }),
    (c) => {
      const actor = admin(c);
      return c.json(orgOut(addOrganisation(c.get('db'), actor, c.req.valid('json'))), 201);
    },
  )
  .openapi(
    createRoute({ method: 'patch', path: '/admin/organisations/{id}', tags: ['Administration'], summary: 'Rename, move, or change kind, service or region', request: { params: IdParam, ...body(OrganisationPatch) }, responses: { 200: json(OrganisationOut, 'Changed'), ...commonErrors, ...authErrors, ...notFound, ...conflict('`organisation_cycle`, `organisation_closed`, `provider_in_use` (a training provider named by courses or trainers keeps its kind)') } }),
    (c) => {
      const actor = admin(c);
      return c.json(orgOut(updateOrganisation(c.get('db'), actor, c.req.valid('param').id, c.req.valid('json'))), 200);
    },
  )
  .openapi(
    createRoute({ method: 'post', path: '/admin/organisations/{id}/close', tags: ['Administration'], summary: 'Close an organisation (kept with its history)', request: { params: IdParam }, responses: { 200: json(OrganisationOut, 'Closed'), ...commonErrors, ...authErrors, ...notFound, ...conflict('`organisation_has_open_units`, `organisation_closed`') } }),
    (c) => c.json(orgOut(closeOrganisation(c.get('db'), admin(c), c.req.valid('param').id)), 200),
  )
  .openapi(
    createRoute({ method: 'post', path: '/admin/organisations/{id}/reopen', tags: ['Administration'], summary: 'Reopen a closed organisation', request: { params: IdParam }, responses: { 200: json(OrganisationOut, 'Reopened'), ...commonErrors, ...authErrors, ...notFound, ...conflict('`organisation_open`, `organisation_closed` (the parent)') } }),
    (c) => c.json(orgOut(reopenOrganisation(c.get('db'), admin(c), c.req.valid('param').id)), 200),
  )
  .openapi(
    createRoute({ method: 'post', path: '/admin/organisations/import', tags: ['Administration'], summary: 'Check or import organisations from CSV, with a report per line', request: body(ImportBody), responses: { 200: json(ImportReport, 'Report per line'), ...commonErrors, ...authErrors, 422: errorResponse('The file as a whole: `csv_empty`, `csv_columns`, `csv_too_many_rows`') } }),
    (c) => {
      const actor = admin(c);
      const { csv, apply } = c.req.valid('json');
      const report = importOrganisationsCsv(c.get('db'), actor, csv, apply);
      if (report.fileError) throw new AppError(report.fileError, 422, 'csv');
      return c.json({ rows: report.rows }, 200);
    },
  )
  // ---- policy ----
  .openapi(
    createRoute({ method: 'get', path: '/admin/policy', tags: ['Administration'], summary: 'The obligation policy in force', responses: { 200: json(PolicyOut, 'The policy'), ...authErrors } }),
    (c) => {
      admin(c);
      return c.json(policyOut(currentPolicy(c.get('db'))), 200);
    },
  )
  .openapi(
    createRoute({ method: 'post', path: '/admin/policy/preview', tags: ['Administration'], summary: 'How many servants would change status under the proposed policy (nothing is saved)', request: body(PolicyValuesSchema), responses: { 200: json(PolicyPreviewOut, 'The preview'), ...commonErrors, ...authErrors } }),
    (c) => {
      admin(c);
      return c.json(previewPolicy(c.get('db'), c.req.valid('json')), 200);
    },
  )
  .openapi(
    createRoute({ method: 'put', path: '/admin/policy', tags: ['Administration'], summary: 'Save a new policy version, in force from now; recorded in the audit log', request: body(PolicyValuesSchema), responses: { 200: json(PolicyOut, 'Saved'), ...commonErrors, ...authErrors } }),
    (c) => {
      const actor = admin(c);
      setPolicy(c.get('db'), actor, c.req.valid('json'));
      return c.json(policyOut(currentPolicy(c.get('db'))), 200);
    },
  )
  // ---- settings ----
  .openapi(
    createRoute({ method: 'get', path: '/admin/settings', tags: ['Administration'], summary: 'Settings; secrets only as { set }', responses: { 200: json(SettingsOut, 'Settings'), ...authErrors } }),
    (c) => {
      admin(c);
      return c.json(getSettings(c.get('db')), 200);
    },
  )
  .openapi(
    createRoute({ method: 'put', path: '/admin/settings', tags: ['Administration'], summary: 'Change settings, in effect at once without a restart', request: body(SettingsBody), responses: { 200: json(SettingsOut, 'Saved; secrets only as { set }'), ...commonErrors, ...authErrors } }),
    (c) => {
      const actor = admin(c);
      return c.json(updateSettings(c.get('db'), actor, c.req.valid('json')), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/admin/settings/test-mail', tags: ['Administration'], summary: 'Send one test e-mail now with the saved SMTP settings (not through the outbox)',
      request: body(z.strictObject({ to: z.string().trim().max(254).regex(/^[^\s@]+@[^\s@]+$/) })),
      responses: { 200: json(z.object({ status: z.enum(['sent', 'failed', 'not_configured']), error: z.string().optional() }).openapi('TestMailResult'), 'What the SMTP server answered'), ...commonErrors, ...authErrors },
    }),
    async (c) => {
      admin(c);
      const locale = c.get('user')!.locale;
      const result = await sendTestMail(c.get('db'), c.req.valid('json').to, { subject: t(locale, 'admin.settings.testMail.subject'), text: t(locale, 'admin.settings.testMail.body') });
      return c.json(result, 200);
    },
  )
  // ---- outbox: e-mails and webhook events ----
  .openapi(
    createRoute({
      method: 'get', path: '/admin/outbox', tags: ['Administration'], summary: 'The outbox (e-mails and webhook events), newest first, 50 a page; never a mail’s text',
      request: { query: z.object({ channel: z.enum(OUTBOX_CHANNELS).optional(), state: z.enum(OUTBOX_STATES).optional(), page: z.coerce.number().int().min(1).max(100000).optional() }) },
      responses: { 200: json(z.object({ items: z.array(OutboxItemOut), total: z.number().int(), page: z.number().int() }).openapi('Outbox'), 'Rows'), ...commonErrors, ...authErrors },
    }),
    (c) => {
      admin(c);
      const q = c.req.valid('query');
      const page = q.page ?? 1;
      const { items, total } = listOutbox(c.get('db'), { channel: q.channel, state: q.state, limit: 50, offset: (page - 1) * 50 });
      return c.json({ items: items.map(outboxOut), total, page }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/admin/outbox/{id}/retry', tags: ['Administration'], summary: 'Send a waiting, failed or cancelled row on the next round',
      request: { params: IdParam },
      responses: { 200: json(Ok, 'Will be sent'), ...commonErrors, ...authErrors, 404: errorResponse('`outbox_not_found`'), ...conflict('`outbox_delivered`: never sent twice') },
    }),
    (c) => {
      retryOutbox(c.get('db'), admin(c), c.req.valid('param').id);
      return c.json({ ok: true as const }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/admin/outbox/{id}/cancel', tags: ['Administration'], summary: 'Give up on a row: it is not sent unless retried',
      request: { params: IdParam },
      responses: { 200: json(Ok, 'Cancelled'), ...commonErrors, ...authErrors, 404: errorResponse('`outbox_not_found`'), ...conflict('`outbox_delivered`') },
    }),
    (c) => {
      cancelOutbox(c.get('db'), admin(c), c.req.valid('param').id);
      return c.json({ ok: true as const }, 200);
    },
  )
  // ---- audit ----
  .openapi(
    createRoute({ method: 'get', path: '/admin/audit', tags: ['Administration'], summary: 'The audit log, newest first, 50 a page, filtered', request: { query: AuditQuery }, responses: { 200: json(z.object({ entries: z.array(AuditEntryOut), total: z.number().int(), page: z.number().int() }), 'Entries'), ...commonErrors, ...authErrors } }),
    (c) => {
      admin(c);
      const { page, ...filter } = c.req.valid('query');
      const { entries, total } = listAudit(c.get('db'), filter, page);
      return c.json({ entries: entries.map(auditOut), total, page }, 200);
    },
  )
  .openapi(
    createRoute({ method: 'get', path: '/admin/audit/export', tags: ['Administration'], summary: 'The filtered audit log as CSV', request: { query: AuditQuery }, responses: { 200: { content: { 'text/csv': { schema: z.string() } }, description: 'CSV, UTF-8 with BOM' }, ...commonErrors, ...authErrors } }),
    (c) => {
      admin(c);
      const { page: _page, ...filter } = c.req.valid('query');
      const csv = auditCsv(c.get('db'), filter);
      return c.body(csv, 200, { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': 'attachment; filename="bilim-audit.csv"' });
    },
  );

export function personOut(c: Context<AppEnv>, id: number): z.infer<typeof PersonDetail> {
  const p = getPersonForAdmin(c.get('db'), id);
  const { user, organisation: o } = p;
  const provider = user.providerId === null ? undefined : trainingProvider(c.get('db'), user.providerId);
  return {
    id: user.id,
    email: user.email,
    fullName: user.fullName,
    locale: user.locale,
    organisation: o ? { id: o.id, nameKy: o.nameKy, nameRu: o.nameRu } : null,
    provider: provider ? { id: provider.id, code: provider.code, nameKy: provider.nameKy, nameRu: provider.nameRu } : null,
    positionTitle: user.positionTitle,
    service: user.service,
    appointmentDate: user.appointmentDate,
    locked: user.lockedAt !== null,
    lockedAt: user.lockedAt?.toISOString() ?? null,
    grants: p.grants.map((g) => ({ id: g.id, role: g.role, organisation: g.organisationId === null ? null : { id: g.organisationId, nameKy: g.organisationKy ?? '', nameRu: g.organisationRu ?? '' } })),
  };
}
