import { z } from '@hono/zod-openapi';
import { isIsoDate } from '../obligation/service';
import { EXPORT_COLUMNS } from './service';

const IsoDay = z.string().refine(isIsoDate, { message: 'YYYY-MM-DD' });
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

export const ExportQuery = z.object({
  format: z.enum(['json', 'csv', 'xlsx']).default('json').openapi({ param: { name: 'format', in: 'query' }, description: 'Default json' }),
  from: IsoDay.optional().openapi({ param: { name: 'from', in: 'query' }, description: 'End date on or after this day (YYYY-MM-DD)', example: '2026-01-01' }),
  to: IsoDay.optional().openapi({ param: { name: 'to', in: 'query' }, description: 'End date on or before this day (YYYY-MM-DD)', example: '2026-12-31' }),
  since: z
    .string()
    .refine((s) => ISO_TIMESTAMP.test(s) && !Number.isNaN(Date.parse(s)), { message: 'ISO 8601 timestamp with a zone' })
    .optional()
    .openapi({
      param: { name: 'since', in: 'query' },
      description: 'Only rows created or changed strictly after this moment (ISO 8601 with a zone), revocations included as status=revoked; pass the previous `next_since`',
      example: '2026-05-01T00:00:00Z',
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
  })
  .openapi('CompletionExportRow', { description: `Columns, in the CSV/XLSX order: ${EXPORT_COLUMNS.join(', ')}` });
