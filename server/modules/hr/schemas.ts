/** zod schemas of the HR workspace API: staff import, one servant, compliance, assignments. */
import { z } from '@hono/zod-openapi';
import { ADMIN_GROUPS, LOCALES, POST_KINDS, SERVICES } from '@db/domain';
import { StaffQuery } from '../admin/schemas';
import { OBLIGATION_STATUSES } from '../obligation/service';
import { RecordEntrySchema } from '../records/schemas';

const Id = z.coerce.number().int().positive().max(2_147_483_647);
export const IdParam = z.object({ id: Id.openapi({ param: { name: 'id', in: 'path' }, example: 12 }) });
const Org = z.object({ id: z.number().int(), nameKy: z.string(), nameRu: z.string() });

export const ImportBody = z
  .strictObject({
    fileName: z.string().trim().min(1).max(200).openapi({ example: 'staff.csv' }),
    content: z
      .string()
      .min(1)
      .max(2_700_000)
      .regex(/^[A-Za-z0-9+/=\r\n]+$/)
      .openapi({ description: 'The file, base64. CSV (UTF-8 with or without BOM, UTF-16 with BOM, or Windows-1251; comma, semicolon or tab) or XLSX (first sheet). At most 2 000 000 bytes (before base64).' }),
  })
  .openapi('StaffImportBody');

export const ImportReportSchema = z
  .object({
    id: z.number().int().openapi({ description: 'The pending import; confirm it with POST /api/hr/staff/imports/{id}/apply' }),
    fileName: z.string(),
    encoding: z.string().openapi({ description: 'utf-8, utf-8-bom, utf-16le, utf-16be, windows-1251 or xlsx' }),
    applied: z.boolean(),
    createdIds: z.array(z.number().int()),
    valid: z.number().int(),
    invalid: z.number().int(),
    rows: z.array(
      z.object({
        line: z.number().int().openapi({ description: 'Line in the file, the header being line 1' }),
        fullName: z.string(),
        email: z.string(),
        organisationId: z.number().int().nullable(),
        problems: z.array(
          z.object({
            code: z.string().openapi({ description: 'errors.<code> in the locales, e.g. staff_duplicate_in_file, staff_person_exists, staff_organisation_out_of_scope' }),
            column: z.string(),
            otherLine: z.number().int().optional().openapi({ description: 'For a duplicate within the file: the line it first appears on' }),
          }),
        ),
      }),
    ),
  })
  .openapi('StaffImportReport');

export const ApplyBody = z
  .strictObject({
    mode: z.enum(['all', 'valid']).openapi({ description: '`all`: only if every line is valid (else 409 import_has_errors, nothing created); `valid`: create the valid lines, skip the rest' }),
  })
  .openapi('StaffImportApply');

export const MoveBody = z.strictObject({ organisationId: z.number().int().positive() }).openapi('StaffMove');

export const Invitation = z
  .object({ url: z.string().openapi({ description: 'Shown once: pass it on to the servant. Single use, expires after 7 days.' }), expiresAt: z.string() })
  .openapi('Invitation');

export const ServantSchema = z
  .object({
    id: z.number().int(),
    fullName: z.string(),
    email: z.string(),
    personalNumber: z.string().nullable(),
    organisation: Org.nullable(),
    positionTitle: z.string().nullable(),
    service: z.enum(SERVICES).nullable(),
    postKind: z.enum(POST_KINDS).nullable(),
    adminGroup: z.enum(ADMIN_GROUPS).nullable(),
    appointmentDate: z.string().nullable(),
    locale: z.enum(LOCALES),
    active: z.boolean(),
    dismissedAt: z.string().nullable(),
    hasPassword: z.boolean().openapi({ description: 'false until the servant sets a password from an invitation' }),
  })
  .openapi('Servant');

export const AssignmentRow = z
  .object({
    enrolmentId: z.number().int(),
    userId: z.number().int(),
    fullName: z.string(),
    course: z.object({ slug: z.string(), titleKy: z.string().nullable(), titleRu: z.string().nullable() }),
    dueDate: z.string().nullable(),
    status: z.enum(['active', 'completed', 'withdrawn']),
    percent: z.number().int(),
    overdue: z.boolean(),
    completedAt: z.string().nullable(),
  })
  .openapi('HrAssignment');

export const ServantDetail = z
  .object({
    servant: ServantSchema,
    obligation: z.object({ status: z.enum(OBLIGATION_STATUSES), dueDate: z.string().nullable(), countedFrom: z.string().nullable(), fromAppointment: z.boolean() }),
    record: z.array(RecordEntrySchema),
    assignments: z.array(AssignmentRow),
  })
  .openapi('ServantDetail');

export const ComplianceQuery = z.object({
  status: z.enum(OBLIGATION_STATUSES).optional(),
  unitId: Id.optional().openapi({ description: 'A sub-unit: its own sub-units are included' }),
  service: z.enum(SERVICES).optional(),
  postKind: z.enum(POST_KINDS).optional(),
  adminGroup: z.enum(ADMIN_GROUPS).optional(),
  q: z.string().trim().max(200).optional().openapi({ description: 'Part of the name or e-mail' }),
});
const Counts = z.object({ compliant: z.number().int(), due_soon: z.number().int(), overdue: z.number().int(), unknown: z.number().int(), total: z.number().int() });
export const ComplianceSchema = z
  .object({
    totals: Counts,
    units: z.array(z.object({ id: z.number().int(), parentId: z.number().int().nullable(), nameKy: z.string(), nameRu: z.string(), depth: z.number().int(), own: Counts, all: Counts.openapi({ description: 'The unit with all its sub-units' }) })),
    staff: z.array(
      z.object({
        id: z.number().int(),
        fullName: z.string(),
        email: z.string(),
        organisation: Org,
        service: z.enum(SERVICES).nullable(),
        postKind: z.enum(POST_KINDS).nullable(),
        adminGroup: z.enum(ADMIN_GROUPS).nullable(),
        status: z.enum(OBLIGATION_STATUSES),
        dueDate: z.string().nullable(),
      }),
    ),
  })
  .openapi('Compliance');

export const AssignmentsQuery = z.object({
  courseSlug: z.string().max(100).optional(),
  state: z.enum(['overdue', 'active', 'completed']).optional(),
});

/** GET /hr/staff: the status filter, and optional paging (the whole list by default). */
export const HrStaffQuery = StaffQuery.extend({
  limit: z.coerce.number().int().min(1).max(10_000).optional().openapi({ description: 'At most this many people (after `offset`); the whole list when absent' }),
  offset: z.coerce.number().int().min(0).max(10_000_000).optional().openapi({ description: 'Skip this many people of the sorted list (default 0)' }),
});
