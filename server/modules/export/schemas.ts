import { z } from '@hono/zod-openapi';
import { isIsoDate } from '../obligation/service';
import { EXPORT_COLUMNS } from './service';

const IsoDay = z.string().refine(isIsoDate, { message: 'YYYY-MM-DD' });
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

export const ExportQuery = z.object({
  format: z
    .enum(['json', 'csv', 'csv-semicolon', 'xlsx'])
    .default('json')
    .openapi({ param: { name: 'format', in: 'query' }, description: 'Default json. `csv`: RFC 4180 with commas; `csv-semicolon`: semicolons, as a Russian-locale Excel opens it; both UTF-8 with BOM' }),
  from: IsoDay.optional().openapi({ param: { name: 'from', in: 'query' }, description: 'End date on or after this day (YYYY-MM-DD)', example: '2026-01-01' }),
  to: IsoDay.optional().openapi({ param: { name: 'to', in: 'query' }, description: 'End date on or before this day (YYYY-MM-DD)', example: '2026-12-31' }),
  since: z
    .string()
    .max(40)
    .refine((s) => /^\d{1,15}$/.test(s) || (ISO_TIMESTAMP.test(s) && !Number.isNaN(Date.parse(s))), { message: 'a change sequence number or an ISO 8601 timestamp with a zone' })
    .optional()
    .openapi({
      param: { name: 'since', in: 'query' },
      description:
        'Only rows created or changed after this point, revocations included as status=revoked: pass the previous answer\'s `next_since` (a change sequence number). An ISO 8601 instant with a zone is still accepted for a first incremental call.',
      pattern: '^(\\d{1,15}|\\d{4}-\\d{2}-\\d{2}T.+)$',
      example: '1042',
    }),
});

export const ExportRowSchema = z
  .object({
    servant_id: z.number().int(),
    email: z.string(),
    full_name: z.string(),
    organisation_id: z.number().int(),
    organisation_name_ky: z.string(),
    service: z.enum(['state', 'municipal']).nullable(),
    title_ky: z.string().nullable(),
    title_ru: z.string().nullable(),
    source: z.enum(['platform', 'outside']),
    kind: z.string().openapi({ description: '`platform_course`, or the outside training kind: retraining, advanced, seminar, internship' }),
    term: z.string().nullable().openapi({ description: 'short, medium, long (outside trainings)' }),
    funding: z.string().nullable().openapi({ description: 'state_order, departmental, donor, other (outside trainings)' }),
    hours: z.number().int(),
    start_date: z.string().nullable(),
    end_date: z.string(),
    certificate_number: z.string().nullable(),
    order_number: z.string().nullable(),
    order_date: z.string().nullable(),
    record_id: z.string().openapi({ description: '`certificate:<id>` or `outside:<id>`; the key to upsert or delete by' }),
    status: z.enum(['active', 'revoked', 'rejected']).openapi({ description: 'Only with `since`, a record to remove: `revoked` (a certificate revoked) or `rejected` (an outside training rejected by HR)' }),
    updated_at: z.string().openapi({ description: 'ISO timestamp of the last change' }),
    personal_number: z.string().nullable().openapi({ description: 'Personal identification number (ПИН, 14 digits) as HR recorded it; the key the national HR system knows the person by', pattern: '^\\d{14}$', example: '21203198700123' }),
    organisation_code: z.string().nullable().openapi({ description: "The servant's organisation's code in the national HR information system (set by an administrator)" }),
    change_seq: z.number().int().openapi({ description: 'Change sequence number of the row\'s last change; increases in commit order' }),
  })
  .openapi('CompletionExportRow', { description: `Columns, in the CSV/XLSX order: ${EXPORT_COLUMNS.join(', ')}` });
