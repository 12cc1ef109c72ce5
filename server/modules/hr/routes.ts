import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { authErrors, commonErrors, errorResponse, FILE_CONTENT, ListFormat, newRouter, requireUser, type AppEnv } from '@server/lib/http';
import { publicOrigin } from '@server/lib/origin';
import { tableFile } from '@server/lib/table-file';
import { auditListDownload } from '../audit/service';
import { assignmentsTable, complianceTable, staffTable } from './downloads';
import { StaffMemberOut } from '../admin/schemas';
import { myObligation, trainingRecord } from '../records/service';
import { assignCourse, assignmentsInScope } from './assignments';
import { AssignmentBody, AssignmentResults } from '../learning/schemas';
import { complianceOverview } from './compliance';
import { ApplyBody, AssignmentRow, HrStaffQuery, AssignmentsQuery, ComplianceQuery, ComplianceSchema, IdParam, ImportBody, ImportReportSchema, Invitation, MoveBody, ServantDetail, ServantSchema } from './schemas';
import { listStaff } from './service';
import { dismissServant, inviteServant, moveServant, reactivateServant, servantInScope, servantView, type HrActor } from './staff';
import { applyStaffImport, getStaffImport, inviteImported, previewStaffImport, type ImportReport } from './staff-import';

const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });
const notFound = (codes: string) => ({ 404: errorResponse(`Not found (or outside the HR officer's organisations): ${codes}`) });
const conflict = (codes: string) => ({ 409: errorResponse(codes) });

function hrActor(c: Context<AppEnv>): HrActor {
  const user = requireUser(c, 'hr');
  return { id: user.id, hrOrganisationIds: user.hrOrganisationIds, ip: c.env?.ip ?? null };
}

const reportOut = (r: ImportReport) => ({
  id: r.id,
  fileName: r.fileName,
  encoding: r.encoding,
  applied: r.appliedAt !== null,
  createdIds: r.createdIds,
  valid: r.valid,
  invalid: r.invalid,
  rows: r.rows.map((x) => ({ line: x.line, fullName: x.fullName, email: x.email, organisationId: x.organisationId, problems: x.problems })),
});

const assignmentOut = (a: ReturnType<typeof assignmentsInScope>[number]) => ({
  enrolmentId: a.enrolmentId,
  userId: a.userId,
  fullName: a.fullName,
  course: a.course,
  dueDate: a.dueDate,
  status: a.status,
  percent: a.percent,
  overdue: a.overdue,
  completedAt: a.completedAt?.toISOString() ?? null,
});

export const hrRoutes = newRouter()
  .openapi(
    createRoute({
      method: 'post',
      path: '/hr/assignments',
      tags: ['HR'],
      summary: 'Assign a course to servants of my organisations, with a due date',
      description:
        'To named people (`userIds`) or to a group (`select`: sub-unit with its sub-units, post kind, group, service, status). Everyone named must be in the HR officer’s organisations (else 404 `person_not_found` and nothing is assigned); a group reaching nobody is 409 `assignment_nobody`. Each person gets a result: `assigned`, `updated` (already enrolled: due date set) or `refused` with the reason (eligibility, `person_inactive`). The enrolment’s source is `hr`; recorded in the audit log as `hr.assigned`.',
      request: { body: { required: true, content: { 'application/json': { schema: AssignmentBody } } } },
      responses: {
        200: { content: { 'application/json': { schema: AssignmentResults } }, description: 'One result per person' },
        ...commonErrors,
        ...authErrors,
        ...notFound('`course_not_found`, `person_not_found`, `organisation_not_found`'),
        409: errorResponse('`assignment_nobody`, `assignment_too_many`'),
      },
    }),
    (c) => {
      const user = requireUser(c, 'hr');
      const body = c.req.valid('json');
      const hr = { id: user.id, hrOrganisationIds: user.hrOrganisationIds, ip: c.env?.ip ?? null };
      return c.json({ results: assignCourse(c.get('db'), hr, body) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/hr/staff',
      tags: ['HR'],
      summary: "Servants of the HR officer's organisations (whole subtrees) with their training-obligation status",
      description:
        'The whole list by default, sorted: overdue first, then due soon, unknown, compliant; then by due date, name and id. Optional paging: `limit` (1–10000) and `offset` return that slice of the same sorted list, with the number of people before paging in the `X-Total-Count` header.',
      request: { query: HrStaffQuery.extend({ format: ListFormat }) },
      responses: {
        200: {
          content: { 'application/json': { schema: z.object({ staff: z.array(StaffMemberOut) }) }, ...FILE_CONTENT },
          headers: z.object({ 'X-Total-Count': z.string().optional().openapi({ description: 'With `limit` or `offset`: how many people match before paging' }) }),
          description: 'Staff, overdue first',
        },
        ...commonErrors,
        ...authErrors,
      },
    }),
    async (c) => {
      const user = requireUser(c, 'hr');
      const { limit, offset, format, ...filter } = c.req.valid('query');
      const staff = listStaff(c.get('db'), user.hrOrganisationIds, filter);
      if (format !== 'json') {
        auditListDownload(c.get('db'), { id: user.id, ip: c.env?.ip ?? null }, 'staff', { format, filters: filter, rows: staff.length });
        const file = await tableFile(staffTable(staff, user.locale), format, 'bilim-staff');
        return c.body(file.body, 200, file.headers);
      }
      if (limit === undefined && offset === undefined) return c.json({ staff }, 200);
      c.header('X-Total-Count', String(staff.length));
      const from = offset ?? 0;
      return c.json({ staff: staff.slice(from, limit === undefined ? undefined : from + limit) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/hr/staff/imports',
      tags: ['HR'],
      summary: 'Check a staff file (CSV or XLSX) and keep it for confirmation: a row-by-row report, nobody created yet',
      description:
        'Columns (header row, any order): full_name, email, organisation (number or name, within your organisations), post_kind (political, special, administrative — or the Kyrgyz/Russian word), and optionally personal_number (14 digits), position, admin_group (administrative posts: highest, main, senior, junior), gender, appointment_date (YYYY-MM-DD or DD.MM.YYYY), locale (ky or ru). File errors (400, field `file`): file_empty, file_too_large, file_encoding_unknown, file_encoding_lossy (Windows-1251 with Kyrgyz letters lost), file_xls_old, file_xlsx_unreadable, zip_unreadable, zip_too_large (an XLSX that would inflate past 30 MB or 200 entries, refused before inflating), staff_columns, file_no_rows, file_too_many_rows.',
      request: { body: { required: true, content: { 'application/json': { schema: ImportBody } } } },
      responses: { 200: json(ImportReportSchema, 'The report; `valid` lines can be created'), ...commonErrors, ...authErrors },
    }),
    async (c) => {
      const actor = hrActor(c);
      const { fileName, content } = c.req.valid('json');
      const bytes = new Uint8Array(Buffer.from(content, 'base64'));
      return c.json(reportOut(await previewStaffImport(c.get('db'), actor, fileName, bytes)), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/hr/staff/imports/{id}',
      tags: ['HR'],
      summary: 'A staff import of mine, checked again against the database as it is now',
      request: { params: IdParam },
      responses: { 200: json(ImportReportSchema, 'The report'), ...commonErrors, ...authErrors, ...notFound('`import_not_found`') },
    }),
    (c) => c.json(reportOut(getStaffImport(c.get('db'), hrActor(c), c.req.valid('param').id)), 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/hr/staff/imports/{id}/apply',
      tags: ['HR'],
      summary: 'Confirm a staff import: create every line (only when all are valid) or only the valid lines',
      description: 'People are created without a password, as learners of their organisation; invite them to set one. Recorded in the audit log as `hr.imported`.',
      request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: ApplyBody } } } },
      responses: {
        200: json(ImportReportSchema, 'Applied; `createdIds` are the new people'),
        ...commonErrors,
        ...authErrors,
        ...notFound('`import_not_found`'),
        ...conflict('`import_has_errors` (mode all with invalid lines: nothing created), `import_nothing_valid`, `import_already_applied`'),
      },
    }),
    (c) => c.json(reportOut(applyStaffImport(c.get('db'), hrActor(c), c.req.valid('param').id, c.req.valid('json').mode)), 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/hr/staff/imports/{id}/invitations',
      tags: ['HR'],
      summary: 'Invitation links for everyone an applied import created who has not set a password yet',
      description: 'Each link is single use and valid 7 days; a new link replaces an unused earlier one. Each is recorded as `hr.invited`. With `send=email` each link is also e-mailed to its person (queued in the outbox); `emailed` says for whom.',
      request: { params: IdParam, query: z.object({ send: z.enum(['email', 'none']).optional() }) },
      responses: {
        200: json(z.object({ invitations: z.array(Invitation.extend({ userId: z.number().int(), fullName: z.string(), email: z.string(), emailed: z.boolean() })) }), 'The links, shown once'),
        ...commonErrors,
        ...authErrors,
        ...notFound('`import_not_found`'),
        ...conflict('`import_not_applied`'),
      },
    }),
    (c) => {
      const origin = publicOrigin(c.req.raw.headers);
      const invitations = inviteImported(c.get('db'), hrActor(c), c.req.valid('param').id, new Date(), { mail: c.req.valid('query').send === 'email' }).map((i) => ({
        userId: i.userId,
        fullName: i.fullName,
        email: i.email,
        url: `${origin}/${i.locale}/invite/${i.token}`,
        expiresAt: i.expiresAt.toISOString(),
        emailed: i.mailQueued,
      }));
      return c.json({ invitations }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/hr/staff/{id}',
      tags: ['HR'],
      summary: 'One servant of my organisations (active or dismissed): profile, obligation, training record, assignments',
      request: { params: IdParam },
      responses: { 200: json(ServantDetail, 'The servant'), ...commonErrors, ...authErrors, ...notFound('`person_not_found`') },
    }),
    (c) => {
      const actor = hrActor(c);
      const db = c.get('db');
      const s = servantInScope(db, actor, c.req.valid('param').id);
      const { status, dueDate, countedFrom, fromAppointment } = myObligation(db, s.id);
      const assignments = assignmentsInScope(db, actor).filter((a) => a.userId === s.id).map(assignmentOut);
      return c.json({ servant: servantView(db, s), obligation: { status, dueDate, countedFrom, fromAppointment }, record: trainingRecord(db, s.id), assignments }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/hr/staff/{id}/invitation',
      tags: ['HR'],
      summary: 'A one-time link for the servant to set a password, also e-mailed to them; single use, valid 7 days; earlier unused links stop working',
      request: { params: IdParam },
      responses: { 200: json(Invitation, 'The link, shown once'), ...commonErrors, ...authErrors, ...notFound('`person_not_found`'), ...conflict('`person_inactive`; `invitation_not_allowed` for an account that has a password or a role beyond learner') },
    }),
    (c) => {
      const actor = hrActor(c);
      const db = c.get('db');
      const id = c.req.valid('param').id;
      const locale = servantInScope(db, actor, id).locale;
      const { token, expiresAt } = inviteServant(db, actor, id);
      return c.json({ url: `${publicOrigin(c.req.raw.headers)}/${locale}/invite/${token}`, expiresAt: expiresAt.toISOString() }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/hr/staff/{id}/move',
      tags: ['HR'],
      summary: 'Move a servant to another organisation of mine; the training record follows the person',
      request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: MoveBody } } } },
      responses: {
        200: json(ServantSchema, 'Moved'),
        ...commonErrors,
        ...authErrors,
        ...notFound('`person_not_found`, `organisation_not_found`'),
        ...conflict('`same_organisation`, `organisation_closed`'),
      },
    }),
    (c) => {
      const db = c.get('db');
      return c.json(servantView(db, moveServant(db, hrActor(c), c.req.valid('param').id, c.req.valid('json').organisationId)), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/hr/staff/{id}/dismiss',
      tags: ['HR'],
      summary: 'Deactivate a dismissed servant: no sign-in, out of active counts; record and certificates kept',
      request: { params: IdParam },
      responses: {
        200: json(ServantSchema, 'Deactivated'),
        ...commonErrors,
        ...authErrors,
        ...notFound('`person_not_found`'),
        ...conflict('`person_inactive`, `cannot_dismiss_self`, `cannot_dismiss_admin`'),
      },
    }),
    (c) => {
      const db = c.get('db');
      return c.json(servantView(db, dismissServant(db, hrActor(c), c.req.valid('param').id)), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/hr/staff/{id}/reactivate',
      tags: ['HR'],
      summary: 'Reactivate a servant HR deactivated (an account an administrator locked stays locked)',
      request: { params: IdParam },
      responses: { 200: json(ServantSchema, 'Active again'), ...commonErrors, ...authErrors, ...notFound('`person_not_found`'), ...conflict('`not_dismissed`') },
    }),
    (c) => {
      const db = c.get('db');
      return c.json(servantView(db, reactivateServant(db, hrActor(c), c.req.valid('param').id)), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/hr/compliance',
      tags: ['HR'],
      summary: 'Compliance at a glance: counts per sub-unit (each including its sub-units) and the filtered active staff',
      request: { query: ComplianceQuery.extend({ format: ListFormat }) },
      responses: { 200: { content: { 'application/json': { schema: ComplianceSchema }, ...FILE_CONTENT }, description: 'Counts and staff; units in tree order (a file: the filtered staff)' }, ...commonErrors, ...authErrors },
    }),
    async (c) => {
      const user = requireUser(c, 'hr');
      const { format, ...q } = c.req.valid('query');
      const o = complianceOverview(c.get('db'), user.hrOrganisationIds, q, user.locale);
      if (format !== 'json') {
        auditListDownload(c.get('db'), { id: user.id, ip: c.env?.ip ?? null }, 'compliance', { format, filters: q, rows: o.staff.length });
        const file = await tableFile(complianceTable(o.staff, user.locale), format, 'bilim-compliance');
        return c.body(file.body, 200, file.headers);
      }
      return c.json(
        {
          totals: o.totals,
          units: o.units,
          staff: o.staff.map((s) => ({ id: s.id, fullName: s.fullName, email: s.email, organisation: s.organisation, service: s.service, postKind: s.postKind, adminGroup: s.adminGroup, status: s.status, dueDate: s.dueDate })),
        },
        200,
      );
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/hr/assignments',
      tags: ['HR'],
      summary: 'Courses assigned by HR to my staff, with each person’s progress; overdue first',
      request: { query: AssignmentsQuery.extend({ format: ListFormat }) },
      responses: { 200: { content: { 'application/json': { schema: z.object({ assignments: z.array(AssignmentRow) }) }, ...FILE_CONTENT }, description: 'Assignments' }, ...commonErrors, ...authErrors },
    }),
    async (c) => {
      const actor = hrActor(c);
      const { format, ...filter } = c.req.valid('query');
      const rows = assignmentsInScope(c.get('db'), actor, filter);
      if (format === 'json') return c.json({ assignments: rows.map(assignmentOut) }, 200);
      auditListDownload(c.get('db'), actor, 'assignments', { format, filters: filter, rows: rows.length });
      const file = await tableFile(assignmentsTable(rows, requireUser(c, 'hr').locale), format, 'bilim-assignments');
      return c.body(file.body, 200, file.headers);
    },
  );
