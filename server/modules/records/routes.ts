import { createRoute, z } from '@hono/zod-openapi';
import { authErrors, commonErrors, errorResponse, FILE_CONTENT, ListFormat, newRouter, requireUser } from '@server/lib/http';
import { tableFile } from '@server/lib/table-file';
import { auditListDownload } from '../audit/service';
import { verificationTable } from './downloads';
import { readScan, saveScan } from '@server/lib/uploads';
import { OutsideTrainingForm, RecordEntrySchema, ReviewBody } from './schemas';
import { recordPdf } from './pdf';
import { addOutsideTraining, listForReview, myObligation, outsideTrainingFor, reviewOutsideTraining, trainingRecord } from './service';

const IdParam = z.object({ id: z.coerce.number().int().positive().openapi({ param: { name: 'id', in: 'path' } }) });
const Entry = z.object({ id: z.number().int(), status: z.enum(['pending', 'verified', 'rejected']) });

export const recordRoutes = newRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/me/record',
      tags: ['Training record'],
      summary: 'The signed-in servant’s training record: platform completions and outside trainings',
      responses: {
        200: {
          content: {
            'application/json': {
              schema: z.object({
                entries: z.array(RecordEntrySchema),
                counted: z.object({ trainings: z.number().int(), hours: z.number().int() }).openapi({ description: 'What counts toward the obligation: verified outside trainings and valid certificates' }),
                obligation: z
                  .object({
                    applies: z.boolean().openapi({ description: 'false for accounts outside the state and municipal service' }),
                    status: z.enum(['compliant', 'due_soon', 'overdue', 'unknown']),
                    dueDate: z.string().nullable().openapi({ description: 'The next training is due by this day (YYYY-MM-DD)' }),
                    countedFrom: z.string().nullable(),
                    fromAppointment: z.boolean().openapi({ description: 'true when counted from the appointment date (never trained)' }),
                    periodYears: z.number().int(),
                    minHours: z.number().int().nullable(),
                  })
                  .openapi('ObligationStatus'),
              }),
            },
          },
          description: 'Newest first',
        },
        ...authErrors,
      },
    }),
    (c) => {
      const user = requireUser(c);
      const entries = trainingRecord(c.get('db'), user.id);
      const counted = entries.filter((e) => e.counts);
      return c.json(
        { entries, counted: { trainings: counted.length, hours: counted.reduce((n, e) => n + e.hours, 0) }, obligation: myObligation(c.get('db'), user.id) },
        200,
      );
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/me/record.pdf',
      tags: ['Training record'],
      summary: 'The signed-in servant’s training record as a printable A4 PDF (Kyrgyz and Russian headings)',
      responses: {
        200: { content: { 'application/pdf': { schema: z.string().openapi({ format: 'binary' }) } }, description: 'Name, organisation, obligation status and due date, and the table of trainings' },
        ...authErrors,
      },
    }),
    async (c) => {
      const user = requireUser(c);
      const pdf = await recordPdf(c.get('db'), user.id);
      return c.body(new Uint8Array(pdf), 200, { 'Content-Type': 'application/pdf', 'Content-Disposition': 'inline; filename="bilim-record.pdf"' });
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/records/outside',
      tags: ['Training record'],
      summary: 'Add an outside training (for yourself, or as HR for a servant of your organisations); it counts once HR verifies it',
      request: { body: { required: true, content: { 'multipart/form-data': { schema: OutsideTrainingForm } } } },
      responses: {
        201: { content: { 'application/json': { schema: Entry } }, description: 'Added, waiting for verification' },
        ...commonErrors,
        ...authErrors,
        404: errorResponse('`person_not_found`: not a servant of your organisations'),
        413: errorResponse('`file_too_large`'),
        415: errorResponse('`file_type_not_allowed`: only PDF, JPEG, PNG'),
      },
    }),
    async (c) => {
      const user = requireUser(c);
      const { userId, scan, ...fields } = c.req.valid('form');
      const stored = scan ? { ...saveScan(new Uint8Array(await scan.arrayBuffer())), name: scan.name.slice(0, 200) } : null;
      const entry = addOutsideTraining(c.get('db'), user, userId ?? user.id, {
        ...fields,
        orderNumber: fields.orderNumber ?? null,
        orderDate: fields.orderDate ?? null,
        scan: stored,
      });
      return c.json({ id: entry.id, status: entry.status }, 201);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/records/outside/{id}/scan',
      tags: ['Training record'],
      summary: 'The scanned document of an outside training (its servant, or HR over the servant)',
      request: { params: IdParam },
      responses: {
        200: { content: { 'application/pdf': { schema: z.string().openapi({ format: 'binary' }) }, 'image/jpeg': { schema: z.string().openapi({ format: 'binary' }) }, 'image/png': { schema: z.string().openapi({ format: 'binary' }) } }, description: 'The file' },
        ...authErrors,
        404: errorResponse('`record_not_found`, or no scan'),
      },
    }),
    (c) => {
      const user = requireUser(c);
      const entry = outsideTrainingFor(c.get('db'), user, c.req.valid('param').id);
      if (!entry.scanFile || !entry.scanType) return c.json({ error: { code: 'record_not_found' } }, 404);
      return c.body(new Uint8Array(readScan(entry.scanFile)), 200, {
        'Content-Type': entry.scanType,
        'Content-Disposition': 'attachment',
        'X-Content-Type-Options': 'nosniff',
      });
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/hr/records',
      tags: ['HR'],
      summary: 'Outside trainings of the HR officer’s servants by status (default: waiting for verification)',
      request: { query: z.object({ status: z.enum(['pending', 'verified', 'rejected']).optional(), format: ListFormat }) },
      responses: {
        200: {
          content: {
            'application/json': {
              schema: z.object({
                records: z.array(z.object({ id: z.number().int(), person: z.object({ id: z.number().int(), fullName: z.string() }), title: z.string(), provider: z.string(), hours: z.number().int(), startDate: z.string(), endDate: z.string(), kind: z.string(), status: z.string(), hasScan: z.boolean() })),
              }),
            },
            ...FILE_CONTENT,
          },
          description: 'Oldest first',
        },
        ...commonErrors,
        ...authErrors,
      },
    }),
    async (c) => {
      const user = requireUser(c, 'hr');
      const { status, format } = c.req.valid('query');
      const rows = listForReview(c.get('db'), user, status);
      if (format !== 'json') {
        auditListDownload(c.get('db'), { id: user.id, ip: c.env?.ip ?? null }, 'verification', { format, filters: { status: status ?? 'pending' }, rows: rows.length });
        const file = await tableFile(verificationTable(rows, user.locale), format, `bilim-verification-${status ?? 'pending'}`);
        return c.body(file.body, 200, file.headers);
      }
      return c.json(
        {
          records: rows.map(({ entry, person }) => ({
            id: entry.id,
            person: { id: person.id, fullName: person.fullName },
            title: entry.title,
            provider: entry.provider,
            hours: entry.hours,
            startDate: entry.startDate,
            endDate: entry.endDate,
            kind: entry.kind,
            status: entry.status,
            hasScan: !!entry.scanFile,
          })),
        },
        200,
      );
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/hr/records/{id}/review',
      tags: ['HR'],
      summary: 'Verify an outside training, or reject it with a reason',
      request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: ReviewBody } } } },
      responses: {
        200: { content: { 'application/json': { schema: Entry } }, description: 'Decided' },
        ...commonErrors,
        ...authErrors,
        404: errorResponse('`record_not_found` (also outside your organisations)'),
      },
    }),
    (c) => {
      const user = requireUser(c, 'hr');
      const entry = reviewOutsideTraining(c.get('db'), user, c.req.valid('param').id, c.req.valid('json'), c.env?.ip ?? null);
      return c.json({ id: entry.id, status: entry.status }, 200);
    },
  );
