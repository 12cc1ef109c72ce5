/**
 * A Word document (.docx) into a draft as a lesson, with the report of what it lost. A thin caller of
 * word.ts (which bounds the file, converts it and saves the lesson).
 */
import { createRoute, z } from '@hono/zod-openapi';
import { authErrors, commonErrors, errorResponse, newRouter, requireUser } from '@server/lib/http';
import { importWordLesson, WORD_DROP_CODES, WORD_MAX_BYTES } from './word';

const Params = z.object({ id: z.coerce.number().int().positive().max(2 ** 31).openapi({ param: { name: 'id', in: 'path' }, example: 3 }) });
const Upload = z.object({
  file: z.instanceof(File).openapi({ type: 'string', format: 'binary', description: 'The .docx' }),
  lang: z.enum(['ky', 'ru']).default('ky').openapi({ description: 'The language the document is written in: its text goes there' }),
  revision: z.coerce.number().int().min(1).openapi({ description: 'The draft revision (for a new lesson) or the lesson’s (for `lesson`) the change is based on' }),
  title: z.string().max(200).optional().openapi({ description: 'The lesson title; else the document’s Title paragraph, else the file name' }),
  module: z.coerce.number().int().min(0).max(49).optional().openapi({ description: 'The module (0-based) the new lesson goes to; the last by default' }),
  lesson: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/).max(80).optional().openapi({ description: 'An existing lesson whose text in `lang` is empty: the document becomes that text instead of a new lesson' }),
});
const Dropped = z
  .object({
    code: z.enum(WORD_DROP_CODES),
    count: z.number().int(),
    detail: z.string().optional().openapi({ description: 'The image type, the style names, the unsafe address, or mammoth’s message' }),
  })
  .openapi('WordDropped');

export const wordRoutes = newRouter().openapi(
  createRoute({
    method: 'post',
    path: '/author/drafts/{id}/word',
    tags: ['Authoring'],
    summary: 'Make a lesson of a Word document (.docx): headings, lists, tables, links, emphasis and images (stored as the draft’s media)',
    description:
      'Only the draft’s author (as a trainer) or an administrator; anyone else gets 404 `draft_not_found`. What the document has that a lesson cannot keep is left out and listed in `dropped`; it never fails the import.',
    request: { params: Params, body: { required: true, content: { 'multipart/form-data': { schema: Upload } } } },
    responses: {
      201: {
        content: { 'application/json': { schema: z.object({ id: z.number(), revision: z.number(), lesson: z.string(), created: z.boolean(), dropped: z.array(Dropped) }).openapi('WordImported') } },
        description: 'Saved: the lesson’s slug, whether it is new, the draft’s new revision and what was left out',
      },
      ...commonErrors,
      ...authErrors,
      404: errorResponse('`draft_not_found` (also for drafts of other trainers), `lesson_not_found`'),
      409: errorResponse('`draft_locked`, `stale_revision`, `word_lesson_has_text` (the lesson already has text in this language), `word_lesson_is_scorm`'),
      413: errorResponse(`\`word_too_large\` (over ${WORD_MAX_BYTES / 1024 / 1024} MB), \`payload_too_large\``),
      422: errorResponse('`word_unreadable` (not a .docx, or damaged), `word_old_format` (a .doc: save it as .docx), `word_empty`, `word_too_long`, `zip_too_large`'),
    },
  }),
  async (c) => {
    const user = requireUser(c, 'trainer', 'admin');
    const { file, lang, revision, title, module, lesson } = c.req.valid('form');
    const r = await importWordLesson(c.get('db'), c.req.valid('param').id, { bytes: new Uint8Array(await file.arrayBuffer()), fileName: file.name, lang, revision, title, module, lesson }, user);
    return c.json({ id: r.draft.id, revision: r.draft.revision, lesson: r.lesson, created: r.created, dropped: r.dropped }, 201);
  },
);
