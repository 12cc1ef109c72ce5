/**
 * Question-bank files: import (preview, then apply) from Moodle XML, GIFT, Aiken or the XLSX template,
 * export to Moodle XML or the template, and the empty template. Thin callers of bank-import.ts.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { authErrors, commonErrors, errorResponse, newRouter, requireUser } from '@server/lib/http';
import { IMPORT_FORMATS, MAX_IMPORT_BYTES, MAX_IMPORT_QUESTIONS } from './bank-formats';
import { applyBankImport, bankTemplate, exportBank, previewBankImport } from './bank-import';

const json = <T extends z.ZodTypeAny>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });
const DraftId = z.coerce.number().int().positive().max(2 ** 31).openapi({ param: { name: 'id', in: 'path' }, example: 1 });
const Upload = z.object({
  format: z.enum(IMPORT_FORMATS).openapi({ description: 'moodle (Moodle XML), gift, aiken, xlsx (the template)' }),
  lang: z.enum(['ky', 'ru']).default('ky').openapi({ description: 'The language of the file’s texts (Moodle multilang texts and the template carry both)' }),
  file: z.instanceof(File).openapi({ type: 'string', format: 'binary' }),
});
const Line = z
  .object({
    line: z.number().int(),
    sourceKind: z.string(),
    kind: z.string().nullable(),
    languages: z.array(z.enum(['ky', 'ru'])),
    id: z.string().nullable(),
    category: z.string().nullable(),
    text: z.string(),
    action: z.enum(['create', 'exists', 'error']),
    errors: z.array(z.object({ code: z.string(), field: z.string().optional() })),
    dropped: z.array(z.string()).openapi({ description: 'What the file has that the bank does not keep: answer_feedback, partial_answers, partial_fractions, grader_info' }),
  })
  .openapi('BankImportLine');
const Plan = z
  .object({
    revision: z.number().int(),
    lines: z.array(Line),
    newCategories: z.array(z.object({ id: z.string(), title: z.object({ ky: z.string(), ru: z.string() }) })),
    create: z.number().int(),
    exists: z.number().int(),
    errors: z.number().int(),
  })
  .openapi('BankImportPlan');
const fileErrors = {
  ...commonErrors,
  ...authErrors,
  404: errorResponse('`draft_not_found`'),
  413: errorResponse(`\`file_too_large\` (over ${MAX_IMPORT_BYTES / 1_000_000} MB), \`import_too_many_questions\` (over ${MAX_IMPORT_QUESTIONS}), \`payload_too_large\``),
  422: errorResponse('`import_unreadable`, `import_no_questions`, `import_xml_doctype` (XML with a DOCTYPE or entities is refused), `import_xml_too_deep`, `import_xlsx_columns`, `file_encoding_unknown` (text files must be UTF-8), `zip_too_large`, `zip_unreadable`'),
};
const staff = ['trainer', 'admin'] as const;
const bytesOf = async (f: File) => new Uint8Array(await f.arrayBuffer());

export const bankFileRoutes = newRouter()
  .openapi(
    createRoute({
      method: 'post', path: '/author/drafts/{id}/questions/import/preview', tags: ['Authoring'],
      summary: 'Read a question-bank file and report, line by line, what importing it would create; nothing is saved',
      request: { params: z.object({ id: DraftId }), body: { required: true, content: { 'multipart/form-data': { schema: Upload } } } },
      responses: { 200: json(Plan, 'The plan; `revision` is the draft revision to apply it to'), ...fileErrors, 409: errorResponse('`draft_locked`') },
    }),
    async (c) => {
      const user = requireUser(c, ...staff);
      const { format, lang, file } = c.req.valid('form');
      return c.json(await previewBankImport(c.get('db'), c.req.valid('param').id, user, { format, lang, bytes: await bytesOf(file) }), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/author/drafts/{id}/questions/import', tags: ['Authoring'],
      summary: 'Import a question-bank file: every line that previews as `create` is added, in one new revision',
      description: 'Same file, same result: applying it again adds nothing (409 `import_nothing_new`). Lines with errors are left out and reported.',
      request: {
        params: z.object({ id: DraftId }),
        body: { required: true, content: { 'multipart/form-data': { schema: Upload.extend({ revision: z.coerce.number().int().min(1) }) } } },
      },
      responses: {
        200: json(Plan, 'Imported; `revision` is the new revision'),
        ...fileErrors,
        409: errorResponse('`draft_locked`, `stale_revision`, `import_nothing_new` (every question is already in the bank), `import_nothing_valid`'),
      },
    }),
    async (c) => {
      const user = requireUser(c, ...staff);
      const { format, lang, file, revision } = c.req.valid('form');
      return c.json(await applyBankImport(c.get('db'), c.req.valid('param').id, revision, user, { format, lang, bytes: await bytesOf(file) }), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/author/drafts/{id}/questions/export', tags: ['Authoring'],
      summary: 'Download the bank as Moodle XML (both languages as multilang) or as the XLSX template',
      request: { params: z.object({ id: DraftId }), query: z.object({ format: z.enum(['moodle', 'xlsx']).default('moodle') }) },
      responses: {
        200: { content: { 'application/xml': { schema: z.string() }, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: z.string().openapi({ format: 'binary' }) } }, description: 'The file' },
        ...commonErrors,
        ...authErrors,
        404: errorResponse('`draft_not_found`'),
      },
    }),
    async (c) => {
      const user = requireUser(c, 'trainer', 'reviewer', 'admin');
      const f = await exportBank(c.get('db'), c.req.valid('param').id, user, c.req.valid('query').format);
      return c.body(f.body, 200, { 'Content-Type': f.type, 'Content-Disposition': `attachment; filename="${f.name}"` });
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/author/questions/template', tags: ['Authoring'],
      summary: 'The empty XLSX question template: Kyrgyz and Russian columns side by side, a help sheet per question kind',
      responses: {
        200: { content: { 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: z.string().openapi({ format: 'binary' }) } }, description: 'The template' },
        ...authErrors,
      },
    }),
    async (c) => {
      requireUser(c, ...staff);
      return c.body(await bankTemplate(), 200, {
        'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        'Content-Disposition': 'attachment; filename="bilim-questions-template.xlsx"',
      });
    },
  );
