import { z } from '@hono/zod-openapi';
import { FUNDING_SOURCES, TRAINING_KINDS, TRAINING_TERMS } from '@db/domain';

const blank = (v: unknown) => (v === '' ? undefined : v);
/** A real calendar day as YYYY-MM-DD (2026-02-30 is refused). */
export const Day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, 'not a calendar day')
  .openapi({ example: '2026-05-20' });

/** One line of text: no control characters (NUL, bell, line breaks…), which would go on into the HR exports. */
const OneLine = (min: number, max: number) => z.string().trim().min(min).max(max).regex(/^[^\u0000-\u001f\u007f]*$/, 'control characters');

/** An outside training as a form sends it (multipart/form-data, so numbers arrive as text). */
export const OutsideTrainingForm = z
  .object({
    userId: z.preprocess(blank, z.coerce.number().int().positive().optional()).openapi({ description: 'HR only: the servant it is for; default yourself' }),
    kind: z.enum(TRAINING_KINDS),
    term: z.enum(TRAINING_TERMS),
    funding: z.enum(FUNDING_SOURCES),
    title: OneLine(3, 300),
    provider: OneLine(2, 300),
    hours: z.coerce.number().int().min(1).max(2000),
    startDate: Day,
    endDate: Day,
    orderNumber: z.preprocess(blank, OneLine(0, 60).optional()),
    orderDate: z.preprocess(blank, Day.optional()),
    scan: z.preprocess(
      (v) => (v instanceof File && v.size === 0 ? undefined : v),
      z.instanceof(File).optional(),
    ).openapi({ type: 'string', format: 'binary', description: 'Scan of the certificate or order: PDF, JPEG or PNG, at most 5 MB' }),
  })
  .openapi('OutsideTrainingForm');

export const ReviewBody = z
  .strictObject({
    status: z.enum(['verified', 'rejected']),
    reason: z.string().trim().max(500).optional(),
  })
  .openapi('ReviewOutsideTraining');

const Bilingual = z.object({ ky: z.string().nullable(), ru: z.string().nullable() });
export const RecordEntrySchema = z
  .object({
    source: z.enum(['platform', 'outside']),
    id: z.number().int(),
    title: Bilingual,
    provider: Bilingual,
    hours: z.number().int(),
    completedOn: z.string(),
    startedOn: z.string().nullable(),
    kind: z.enum([...TRAINING_KINDS, 'platform_course']),
    term: z.enum(TRAINING_TERMS).nullable(),
    funding: z.enum(FUNDING_SOURCES).nullable(),
    orderNumber: z.string().nullable(),
    orderDate: z.string().nullable(),
    status: z.enum(['verified', 'pending', 'rejected', 'revoked']),
    rejectReason: z.string().nullable(),
    revokedOn: z.string().nullable().openapi({ description: 'YYYY-MM-DD (Bishkek) when a platform certificate was revoked' }),
    counts: z.boolean(),
    certificateCode: z.string().nullable(),
    hasScan: z.boolean(),
  })
  .openapi('RecordEntry');
