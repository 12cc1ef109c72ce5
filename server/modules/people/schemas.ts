import { z } from '@hono/zod-openapi';
import { ADMIN_GROUPS, GENDERS, LOCALES, POST_KINDS, REGIONS, ROLES, SERVICES } from '@db/domain';

export const LoginBody = z
  .strictObject({
    email: z.string().trim().min(3).max(254).openapi({ example: 'learner@demo.kg' }),
    password: z.string().min(1).max(200).openapi({ example: 'demo-password-2026' }),
  })
  .openapi('LoginBody');

export const OrganisationRef = z
  .object({
    id: z.number().int(),
    nameKy: z.string(),
    nameRu: z.string(),
    service: z.enum(SERVICES),
    region: z.enum(REGIONS),
  })
  .openapi('OrganisationRef');

export const Me = z
  .object({
    id: z.number().int(),
    email: z.string(),
    fullName: z.string(),
    locale: z.enum(LOCALES),
    roles: z.array(z.enum(ROLES)),
    organisation: OrganisationRef.nullable(),
    positionTitle: z.string().nullable(),
    postKind: z.enum(POST_KINDS).nullable(),
    adminGroup: z.enum(ADMIN_GROUPS).nullable(),
    service: z.enum(SERVICES).nullable(),
    gender: z.enum(GENDERS).nullable(),
    appointmentDate: z.string().nullable().openapi({ example: '2021-03-15' }),
    hrOrganisationIds: z.array(z.number().int()),
  })
  .openapi('Me');
