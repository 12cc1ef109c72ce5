/** zod schemas of the administration API: people and roles, organisations, policy, settings, audit. */
import { z } from '@hono/zod-openapi';
import { LOCALES, ORGANISATION_KINDS, REGIONS, ROLES, SERVICES } from '@db/domain';
import { OBLIGATION_STATUSES } from '../obligation/service';

const Id = z.coerce.number().int().positive().max(2_147_483_647);
export const IdParam = z.object({ id: Id.openapi({ param: { name: 'id', in: 'path' }, example: 12 }) });
export const GrantParam = z.object({
  id: Id.openapi({ param: { name: 'id', in: 'path' }, example: 12 }),
  grantId: Id.openapi({ param: { name: 'grantId', in: 'path' }, example: 40 }),
});
// A real calendar day: Date.parse alone takes 2026-02-30 (as 2 March).
const YMD = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().slice(0, 10) === s, 'date');

// ---- people ----
export const PeopleQuery = z.object({
  q: z.string().trim().max(200).optional().openapi({ example: 'асанова' }),
  role: z.enum(ROLES).optional(),
});
export const PersonSummary = z
  .object({
    id: z.number().int(),
    email: z.string(),
    fullName: z.string(),
    organisation: z.object({ id: z.number().int(), nameKy: z.string(), nameRu: z.string() }).nullable(),
    locked: z.boolean(),
    roles: z.array(z.enum(ROLES)),
  })
  .openapi('PersonSummary');
export const Grant = z
  .object({ id: z.number().int(), role: z.enum(ROLES), organisation: z.object({ id: z.number().int(), nameKy: z.string(), nameRu: z.string() }).nullable() })
  .openapi('RoleGrant');
export const PersonDetail = z
  .object({
    id: z.number().int(),
    email: z.string(),
    fullName: z.string(),
    locale: z.enum(LOCALES),
    organisation: z.object({ id: z.number().int(), nameKy: z.string(), nameRu: z.string() }).nullable(),
    provider: z
      .object({ id: z.number().int(), code: z.string().nullable(), nameKy: z.string(), nameRu: z.string() })
      .nullable()
      .openapi({ description: 'The training provider (an organisation of kind `provider`) the person writes courses for: their new drafts name it' }),
    positionTitle: z.string().nullable(),
    service: z.enum(SERVICES).nullable(),
    appointmentDate: z.string().nullable(),
    locked: z.boolean(),
    lockedAt: z.string().nullable(),
    grants: z.array(Grant),
  })
  .openapi('PersonDetail');
export const ProviderBody = z
  .strictObject({ providerId: z.number().int().positive().nullable().openapi({ description: 'An open training provider organisation; null clears it' }) })
  .openapi('AccountProviderBody');
export const GrantBody = z
  .strictObject({
    role: z.enum(ROLES),
    organisationId: z.number().int().positive().nullable().optional().openapi({ description: 'required for hr: the organisation whose subtree it covers' }),
  })
  .openapi('GrantBody');
export const ResetLink = z
  .object({ url: z.string().openapi({ description: 'shown once: pass it on to the person' }), expiresAt: z.string() })
  .openapi('ResetLink');
export const ResetBody = z
  .strictObject({ token: z.string().min(1).max(200), password: z.string().min(1).max(200) })
  .openapi('PasswordResetBody');

// ---- organisations ----
// No control characters: names go on into the HR exports and PDFs.
const Name = z.string().trim().min(1).max(300).regex(/^[^\u0000-\u001f\u007f]*$/, 'control characters');
/** The organisation's code in e-Kyzmat: letters, digits and - . / (empty or null clears it). */
const OrgCode = z
  .string()
  .trim()
  .max(40)
  .regex(/^[0-9A-Za-z./-]*$/)
  .nullable()
  .openapi({ description: "The organisation's code in the national HR information system (e-Kyzmat); unique; empty or null clears it", pattern: '^[0-9A-Za-z./-]{0,40}$', example: '01-123' });
export const OrganisationBody = z
  .strictObject({
    nameKy: Name,
    nameRu: Name,
    kind: z.enum(ORGANISATION_KINDS),
    service: z.enum(SERVICES),
    region: z.enum(REGIONS),
    parentId: z.number().int().positive().nullable().default(null),
    code: OrgCode.optional(),
  })
  .openapi('OrganisationBody');
export const OrganisationPatch = z
  .strictObject({
    nameKy: Name.optional(),
    nameRu: Name.optional(),
    kind: z.enum(ORGANISATION_KINDS).optional(),
    service: z.enum(SERVICES).optional(),
    region: z.enum(REGIONS).optional(),
    parentId: z.number().int().positive().nullable().optional().openapi({ description: 'move under another organisation; null: to the top level' }),
    code: OrgCode.optional(),
  })
  .openapi('OrganisationPatch');
export const OrganisationOut = z
  .object({
    id: z.number().int(),
    parentId: z.number().int().nullable(),
    kind: z.enum(ORGANISATION_KINDS),
    service: z.enum(SERVICES),
    region: z.enum(REGIONS),
    nameKy: z.string(),
    nameRu: z.string(),
    code: z.string().nullable().openapi({ description: 'The code in the national HR information system (e-Kyzmat)' }),
    createdAt: z.string(),
    closedAt: z.string().nullable(),
  })
  .openapi('Organisation');
export const OrganisationsQuery = z.object({ closed: z.enum(['include', 'exclude']).default('exclude') });
export const ImportBody = z
  .strictObject({
    csv: z.string().min(1).max(900_000).openapi({ description: 'CSV with the header name_ky,name_ru,kind,service,region,parent' }),
    apply: z.boolean().default(false).openapi({ description: 'false: check only; true: create the valid lines' }),
  })
  .openapi('OrganisationImportBody');
export const ImportReport = z
  .object({
    rows: z.array(
      z.object({
        line: z.number().int(),
        nameRu: z.string(),
        result: z.enum(['created', 'exists', 'error', 'ok']),
        error: z.string().optional(),
        column: z.string().optional(),
        id: z.number().int().optional(),
      }),
    ),
  })
  .openapi('OrganisationImportReport');

// ---- policy ----
export const PolicyValuesSchema = z
  .strictObject({
    periodYears: z.number().int().min(1).max(10).openapi({ example: 3 }),
    minHours: z.number().int().min(1).max(2000).nullable().openapi({ example: null }),
    dueSoonDays: z.number().int().min(1).max(730).openapi({ example: 90 }),
    reminderDays: z
      .array(z.number().int().min(0).max(730))
      .max(10)
      .refine((a) => new Set(a).size === a.length, 'duplicate')
      .transform((a) => [...a].sort((x, y) => y - x))
      .openapi({ example: [90, 30, 7] }),
    certificateFormat: z
      .string()
      .trim()
      .min(5)
      .max(40)
      .regex(/^(?:[A-Za-z0-9\-\/]|\{YYYY\}|\{CODE\})+$/)
      .refine((s) => s.split('{CODE}').length === 2, 'code')
      .openapi({ example: 'BLM-{YYYY}-{CODE}', description: '{YYYY}: year; {CODE}: the random part, 12 characters in three groups (required once, so numbers cannot be guessed from one another); letters, digits, - and /' }),
  })
  .openapi('PolicyValues');
export const PolicyOut = z
  .object({
    id: z.number().int().nullable().openapi({ description: 'null: the defaults, no policy saved yet' }),
    periodYears: z.number().int(),
    minHours: z.number().int().nullable(),
    dueSoonDays: z.number().int(),
    reminderDays: z.array(z.number().int()),
    certificateFormat: z.string(),
    createdAt: z.string().nullable(),
    createdBy: z.number().int().nullable(),
  })
  .openapi('Policy');
const Counts = z.object(Object.fromEntries(OBLIGATION_STATUSES.map((s) => [s, z.number().int()])) as Record<(typeof OBLIGATION_STATUSES)[number], z.ZodNumber>);
export const PolicyPreviewOut = z
  .object({
    servants: z.number().int(),
    changed: z.number().int(),
    current: Counts,
    proposed: Counts,
    transitions: z.array(z.object({ from: z.enum(OBLIGATION_STATUSES), to: z.enum(OBLIGATION_STATUSES), count: z.number().int() })),
  })
  .openapi('PolicyPreview');

// ---- settings ----
const Plain = z.string().trim().max(500).nullable().optional();
export const SettingsOut = z
  .object({
    smtpHost: z.string().nullable(),
    smtpPort: z.string().nullable(),
    smtpUser: z.string().nullable(),
    smtpFrom: z.string().nullable(),
    hrWebhookUrl: z.string().nullable(),
    platformNameKy: z.string().nullable(),
    platformNameRu: z.string().nullable(),
    contactsKy: z.string().nullable(),
    contactsRu: z.string().nullable(),
    contactEmail: z.string().nullable(),
    ssoIssuer: z.string().nullable(),
    ssoClientId: z.string().nullable(),
    ssoPersonalNumberClaim: z.string().nullable(),
    smtpPassword: z.object({ set: z.boolean() }),
    hrWebhookSecret: z.object({ set: z.boolean() }),
    ssoClientSecret: z.object({ set: z.boolean() }),
  })
  .openapi('Settings', { description: 'Secrets appear only as { set }.' });
export const SettingsBody = z
  .strictObject({
    smtpHost: z.string().trim().max(253).regex(/^$|^[A-Za-z0-9.-]+$/).nullable().optional(),
    smtpPort: z.string().trim().regex(/^$|^\d{1,5}$/).refine((s) => s === '' || (Number(s) >= 1 && Number(s) <= 65535), 'port').nullable().optional(),
    smtpUser: Plain,
    smtpFrom: z.string().trim().max(254).regex(/^$|^[^\s@]+@[^\s@]+$/).nullable().optional(),
    hrWebhookUrl: z.string().trim().max(500).regex(/^$|^https?:\/\/\S+$/).nullable().optional(),
    platformNameKy: z.string().trim().max(100).nullable().optional(),
    platformNameRu: z.string().trim().max(100).nullable().optional(),
    contactsKy: Plain,
    contactsRu: Plain,
    contactEmail: z.string().trim().max(254).regex(/^$|^[^\s@]+@[^\s@]+$/).nullable().optional(),
    smtpPassword: z.string().max(500).nullable().optional().openapi({ description: 'a string replaces the secret, null removes it, absent keeps it' }),
    hrWebhookSecret: z.string().max(500).nullable().optional().openapi({ description: 'a string replaces the secret, null removes it, absent keeps it' }),
    ssoIssuer: z.string().trim().max(500).regex(/^$|^https?:\/\/\S+$/).nullable().optional().openapi({ description: 'OpenID Connect issuer (its /.well-known/openid-configuration is read); https, or http on loopback only' }),
    ssoClientId: z.string().trim().max(200).regex(/^[^\u0000-\u001f\u007f]*$/).nullable().optional(),
    ssoPersonalNumberClaim: z.string().trim().max(100).regex(/^$|^[A-Za-z0-9_:.\/-]+$/).nullable().optional().openapi({ description: 'the ID-token claim that carries the verified personal number (ПИН); empty: link by verified e-mail only' }),
    ssoClientSecret: z.string().max(500).nullable().optional().openapi({ description: 'a string replaces the secret, null removes it, absent keeps it' }),
  })
  .openapi('SettingsBody');

// ---- audit ----
export const AuditQuery = z.object({
  action: z.string().regex(/^[a-z_]+(\.[a-z_]+)?$/).max(60).optional().openapi({ description: 'an action (role.granted) or an area (role)' }),
  actorId: Id.optional(),
  targetType: z.string().regex(/^[a-z_]+$/).max(40).optional(),
  targetId: z.string().max(60).optional(),
  from: YMD.optional().openapi({ example: '2026-01-01' }),
  to: YMD.optional().openapi({ example: '2026-12-31' }),
  page: z.coerce.number().int().min(1).max(100000).default(1),
});
export const AuditEntryOut = z
  .object({
    id: z.number().int(),
    at: z.string(),
    actor: z.object({ id: z.number().int(), fullName: z.string().nullable(), email: z.string().nullable() }).nullable(),
    action: z.string(),
    targetType: z.string().nullable(),
    targetId: z.string().nullable(),
    details: z.record(z.string(), z.unknown()).nullable(),
    ip: z.string().nullable(),
  })
  .openapi('AuditEntry');

// ---- hr ----
export const StaffQuery = z.object({ status: z.enum(OBLIGATION_STATUSES).optional() });
export const StaffMemberOut = z
  .object({
    id: z.number().int(),
    fullName: z.string(),
    email: z.string(),
    positionTitle: z.string().nullable(),
    organisation: z.object({ id: z.number().int(), nameKy: z.string(), nameRu: z.string() }),
    service: z.enum(SERVICES).nullable(),
    appointmentDate: z.string().nullable(),
    status: z.enum(OBLIGATION_STATUSES),
    dueDate: z.string().nullable(),
    countedFrom: z.string().nullable(),
    fromAppointment: z.boolean(),
  })
  .openapi('StaffMember');
