import { createRoute, z } from '@hono/zod-openapi';
import { authErrors, commonErrors, errorResponse, newRouter, requireUser } from '@server/lib/http';
import { AppError } from '@server/lib/errors';
import { CATEGORIES } from '@db/domain';
import { DraftContent, DraftLesson } from './content';
import { MEDIA_KINDS } from './media';
import { copyDraft, copyLesson, copyPublishedCourse, copyQuiz } from './copy';
import { storeUpload } from './media';
import { scormSequencing, storeScormPackage } from '../scorm/package';
import {
  addScormLessons,
  assertCanEdit,
  applyTreeOp,
  createDraft,
  draftForEditor,
  draftFromPublished,
  draftProblem,
  listDrafts,
  missingTranslations,
  previewLesson,
  saveDraft,
  saveLesson,
  TREE_OPS,
  type Draft,
} from './service';

const IdParam = z.object({ id: z.coerce.number().int().positive().max(2 ** 31).openapi({ param: { name: 'id', in: 'path' }, example: 3 }) });
const LessonParam = IdParam.extend({ lesson: z.string().max(80).openapi({ param: { name: 'lesson', in: 'path' }, example: 'lesson-1' }) });
const Revision = z.number().int().min(1).openapi({ description: 'the revision the change is based on (optimistic concurrency)' });
const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });

const DraftSummary = z
  .object({
    id: z.number(),
    slug: z.string(),
    state: z.string(),
    revision: z.number(),
    courseId: z.number().nullable(),
    title: z.object({ ky: z.string().nullable(), ru: z.string().nullable() }),
    updatedAt: z.string(),
  })
  .openapi('DraftSummary');
const DraftDetail = DraftSummary.extend({
  baseVersionId: z.number().nullable(),
  publishedVersionId: z.number().nullable(),
  content: z.any().openapi({ description: 'DraftContent: { manifest, questions, quizzes } (see server/modules/authoring/content.ts)' }),
  missing: z.array(z.object({ lesson: z.string(), ky: z.boolean(), ru: z.boolean() })).openapi({ description: 'lessons lacking a title or text per language' }),
  problem: z.string().nullable().openapi({ description: 'the first field that keeps the draft from publishing, or null' }),
}).openapi('DraftDetail');
const Saved = z.object({ id: z.number(), revision: z.number() }).openapi('DraftSaved');

const summary = (d: Draft): z.infer<typeof DraftSummary> => ({
  id: d.id,
  slug: d.slug,
  state: d.state,
  revision: d.revision,
  courseId: d.courseId,
  title: { ky: d.content.manifest.title.ky ?? null, ru: d.content.manifest.title.ru ?? null },
  updatedAt: d.updatedAt.toISOString(),
});

const conflicts = {
  409: errorResponse('`stale_revision`: someone saved since your revision (reload and merge); `draft_locked`: the draft is under review or published; `lesson_slug_taken`'),
};
const notFound = { 404: errorResponse('`draft_not_found` (also for drafts of other trainers), `lesson_not_found`') };

export const authoringRoutes = newRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/author/drafts',
      tags: ['Authoring'],
      summary: 'Course drafts you may edit (trainers: their own; admins: all)',
      responses: { 200: json(z.object({ drafts: z.array(DraftSummary) }), 'The drafts, newest first'), ...authErrors },
    }),
    (c) => {
      const user = requireUser(c, 'trainer', 'admin');
      return c.json({ drafts: listDrafts(c.get('db'), user).map(summary) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/author/drafts',
      tags: ['Authoring'],
      summary: 'Start a new course: an empty draft with one module and one lesson',
      request: {
        body: {
          required: true,
          content: {
            'application/json': {
              schema: z.strictObject({
                slug: z.string().max(80).openapi({ example: 'public-procurement-basics' }),
                titleKy: z.string().max(400).optional(),
                titleRu: z.string().max(400).optional(),
                category: z.enum(CATEGORIES).optional(),
              }),
            },
          },
        },
      },
      responses: { 201: json(DraftSummary, 'Created'), ...commonErrors, ...authErrors, 409: errorResponse('`slug_taken`: a course or draft has this slug') },
    }),
    (c) => {
      const user = requireUser(c, 'trainer', 'admin');
      return c.json(summary(createDraft(c.get('db'), c.req.valid('json'), user)), 201);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/author/drafts/{id}/copy',
      tags: ['Authoring'],
      summary: 'Copy a draft into a new draft under a new slug, with its lessons, question bank, quizzes and media',
      description: 'Only the source draft’s author (as a trainer) or an administrator; anyone else gets 404 `draft_not_found`. The copy is independent: editing it never changes the source.',
      request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: z.strictObject({ slug: z.string().max(80).openapi({ example: 'ethics-basics-2027' }) }) } } } },
      responses: { 201: json(DraftSummary, 'The new draft'), ...commonErrors, ...authErrors, ...notFound, 409: errorResponse('`slug_taken`: a course or draft has this slug') },
    }),
    (c) => {
      const user = requireUser(c, 'trainer', 'admin');
      return c.json(summary(copyDraft(c.get('db'), c.req.valid('param').id, c.req.valid('json').slug, user)), 201);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/author/drafts/{id}/lessons/{lesson}/copy',
      tags: ['Authoring'],
      summary: 'Copy a lesson to the end of the last module of a draft of yours (this one or another), with its media',
      description: 'Only someone who may edit both drafts; anyone else gets 404 `draft_not_found`. `revision`: the target draft’s revision.',
      request: {
        params: z.object({ id: IdParam.shape.id, lesson: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/).max(80).openapi({ param: { name: 'lesson', in: 'path' } }) }),
        body: { required: true, content: { 'application/json': { schema: z.strictObject({ target: z.number().int().positive().max(2 ** 31), revision: z.number().int().min(1) }) } } },
      },
      responses: { 201: json(z.object({ slug: z.string(), revision: z.number().int() }).openapi('LessonCopied'), 'Copied; the new lesson’s slug and the target’s revision'), ...commonErrors, ...authErrors, ...notFound, 409: errorResponse('`draft_locked`, `stale_revision`, `copy_no_module`') },
    }),
    (c) => {
      const user = requireUser(c, 'trainer', 'admin');
      const { id, lesson } = c.req.valid('param');
      const { target, revision } = c.req.valid('json');
      return c.json(copyLesson(c.get('db'), id, lesson, target, revision, user), 201);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/author/drafts/{id}/quizzes/{quizId}/copy',
      tags: ['Authoring'],
      summary: 'Copy a quiz into a draft of yours (this one or another); into another draft the categories it draws from come with their questions',
      description: 'Only someone who may edit both drafts; anyone else gets 404 `draft_not_found`. The copy is checked by the bank’s rules (409 `quiz_second_final`).',
      request: {
        params: z.object({ id: IdParam.shape.id, quizId: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/).max(80).openapi({ param: { name: 'quizId', in: 'path' } }) }),
        body: { required: true, content: { 'application/json': { schema: z.strictObject({ target: z.number().int().positive().max(2 ** 31), revision: z.number().int().min(1) }) } } },
      },
      responses: { 201: json(z.object({ id: z.string(), revision: z.number().int() }).openapi('QuizCopied'), 'Copied; the new quiz’s id and the target’s revision'), ...commonErrors, ...authErrors, 404: errorResponse('`draft_not_found`, `quiz_not_found`'), 409: errorResponse('`draft_locked`, `stale_revision`, `quiz_second_final`') },
    }),
    (c) => {
      const user = requireUser(c, 'trainer', 'admin');
      const { id, quizId } = c.req.valid('param');
      const { target, revision } = c.req.valid('json');
      return c.json(copyQuiz(c.get('db'), id, quizId, target, revision, user), 201);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/author/courses/{slug}/draft',
      tags: ['Authoring'],
      summary: 'Edit a published course: a draft made from its current version (or its open draft)',
      request: { params: z.object({ slug: z.string().max(100).openapi({ param: { name: 'slug', in: 'path' } }) }) },
      responses: {
        200: json(DraftSummary, 'The draft'),
        ...authErrors,
        404: errorResponse('`course_not_found`'),
        409: errorResponse('`draft_exists`: another trainer has an open draft of this course; `course_source_unavailable`'),
      },
    }),
    (c) => {
      const user = requireUser(c, 'trainer', 'admin');
      return c.json(summary(draftFromPublished(c.get('db'), c.req.valid('param').slug, user)), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/author/courses/{slug}/copy',
      tags: ['Authoring'],
      summary: 'A new course based on a published one: a new draft under a new slug with the current version’s lessons, SCORM lessons, question bank, quizzes and media',
      description:
        'Any trainer (or administrator) may copy any published course as a starting point. The copy is a new course (`courseId` null): editing or publishing it never touches the source or its open draft. Its provider is the trainer’s own, else the source’s.',
      request: {
        params: z.object({ slug: z.string().max(100).openapi({ param: { name: 'slug', in: 'path' }, example: 'anti-corruption' }) }),
        body: { required: true, content: { 'application/json': { schema: z.strictObject({ slug: z.string().max(80).openapi({ example: 'anti-corruption-osh' }) }) } } },
      },
      responses: {
        201: json(DraftSummary, 'The new draft'),
        ...commonErrors,
        ...authErrors,
        404: errorResponse('`course_not_found`: no published course has this slug'),
        409: errorResponse('`slug_taken`: a course or draft has the new slug; `course_source_unavailable`: the version’s question bank cannot be read back'),
      },
    }),
    (c) => {
      const user = requireUser(c, 'trainer', 'admin');
      return c.json(summary(copyPublishedCourse(c.get('db'), c.req.valid('param').slug, c.req.valid('json').slug, user)), 201);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/author/drafts/{id}',
      tags: ['Authoring'],
      summary: 'One draft with its content, missing translations and whether it would publish',
      request: { params: IdParam },
      responses: { 200: json(DraftDetail, 'The draft'), ...commonErrors, ...authErrors, ...notFound },
    }),
    (c) => {
      const user = requireUser(c, 'trainer', 'admin');
      const db = c.get('db');
      const d = draftForEditor(db, c.req.valid('param').id, user);
      return c.json(
        {
          ...summary(d),
          baseVersionId: d.baseVersionId,
          publishedVersionId: d.publishedVersionId,
          content: d.content,
          missing: d.content.manifest.modules.flatMap((m) => m.lessons.map((l) => ({ lesson: l.slug, ...missingTranslations(l) }))),
          problem: draftProblem(db, d),
        },
        200,
      );
    },
  )
  .openapi(
    createRoute({
      method: 'put',
      path: '/author/drafts/{id}',
      tags: ['Authoring'],
      summary: 'Save sections of a draft (manifest, questions, quizzes), each replaced whole',
      request: {
        params: IdParam,
        body: { required: true, content: { 'application/json': { schema: z.strictObject({ revision: Revision, content: z.any().openapi({ description: 'Partial DraftContent' }) }) } } },
      },
      responses: { 200: json(Saved, 'Saved: the new revision'), ...commonErrors, ...authErrors, ...notFound, ...conflicts, 413: errorResponse('`draft_too_large`') },
    }),
    (c) => {
      const user = requireUser(c, 'trainer', 'admin');
      const { revision, content } = c.req.valid('json');
      const patch = DraftContent.partial().safeParse(content ?? {});
      if (!patch.success) throw new AppError('invalid_input', 400, ['content', ...patch.error.issues[0]!.path.map(String)].join('.'));
      const d = saveDraft(c.get('db'), c.req.valid('param').id, revision, patch.data, user);
      return c.json({ id: d.id, revision: d.revision }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'put',
      path: '/author/drafts/{id}/lessons/{lesson}',
      tags: ['Authoring'],
      summary: 'Save one lesson: its texts in Kyrgyz and Russian (Tiptap JSON, checked against the editor schema), title, minutes, kind, media (the editor autosaves here)',
      request: {
        params: LessonParam,
        body: {
          required: true,
          content: { 'application/json': { schema: z.strictObject({ revision: Revision, lesson: z.any().openapi({ description: 'fields of the lesson to replace: doc, title, minutes, kind, video, attachments' }) }) } },
        },
      },
      responses: { 200: json(Saved, 'Saved: the new revision'), ...commonErrors, ...authErrors, ...notFound, ...conflicts },
    }),
    (c) => {
      const user = requireUser(c, 'trainer', 'admin');
      const { id, lesson } = c.req.valid('param');
      const body = c.req.valid('json');
      const changes = DraftLesson.omit({ slug: true }).partial().safeParse(body.lesson ?? {});
      if (!changes.success) throw new AppError('invalid_input', 400, changes.error.issues[0]!.path.map(String).join('.') || 'lesson');
      const d = saveLesson(c.get('db'), id, body.revision, lesson, changes.data, user);
      return c.json({ id: d.id, revision: d.revision }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/author/drafts/{id}/tree',
      tags: ['Authoring'],
      summary: 'Add, remove or move a module or lesson',
      request: {
        params: IdParam,
        body: {
          required: true,
          content: {
            'application/json': {
              schema: z.strictObject({ revision: Revision, op: z.enum(TREE_OPS), module: z.number().int().min(0).max(100).default(0), lesson: z.number().int().min(0).max(200).default(0) }),
            },
          },
        },
      },
      responses: { 200: json(Saved, 'Saved: the new revision'), ...commonErrors, ...authErrors, ...notFound, ...conflicts },
    }),
    (c) => {
      const user = requireUser(c, 'trainer', 'admin');
      const db = c.get('db');
      const { id } = c.req.valid('param');
      const { revision, op, module, lesson } = c.req.valid('json');
      const d = draftForEditor(db, id, user);
      const saved = saveDraft(db, id, revision, { manifest: applyTreeOp(d.content.manifest, op, module, lesson) }, user);
      return c.json({ id: saved.id, revision: saved.revision }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/author/drafts/{id}/media',
      tags: ['Authoring'],
      summary:
        'Upload a file for a draft: image (PNG, JPEG, WebP, 5 MB), pdf (20 MB), video (MP4, 200 MB), captions (WebVTT, 512 KB). The type is checked from the bytes. Returns its SHA-256 for the draft to name.',
      request: {
        params: IdParam,
        body: {
          required: true,
          content: { 'multipart/form-data': { schema: z.object({ kind: z.enum(MEDIA_KINDS), file: z.instanceof(File).openapi({ type: 'string', format: 'binary' }) }) } },
        },
      },
      responses: {
        201: json(z.object({ sha256: z.string(), contentType: z.string(), bytes: z.number(), seconds: z.number().nullable() }).openapi('StoredMedia'), 'Stored'),
        ...commonErrors,
        ...authErrors,
        ...notFound,
        413: errorResponse('`file_too_large`'),
        415: errorResponse('`file_type_not_allowed`: the bytes are not of the kind named'),
      },
    }),
    async (c) => {
      const user = requireUser(c, 'trainer', 'admin');
      const db = c.get('db');
      const draft = draftForEditor(db, c.req.valid('param').id, user);
      const { kind, file } = c.req.valid('form');
      const m = storeUpload(db, draft.id, Buffer.from(await file.arrayBuffer()), kind);
      return c.json({ sha256: m.sha256, contentType: m.contentType, bytes: m.bytes, seconds: m.seconds }, 201);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/author/drafts/{id}/scorm',
      tags: ['Authoring'],
      summary: 'Upload a SCORM 1.2 or 2004 package (the zip as the request body, up to 200 MB): one lesson per SCO, in a new module',
      description:
        'The body is streamed to disk, bounded (entries, unpacked size, paths) before anything is unpacked, and its imsmanifest.xml read. A broken or non-conformant package is refused with a `scorm_*` code and the file or manifest element at fault in `field`. `lang`: the language of the package, where its titles go.',
      request: {
        params: IdParam,
        query: z.object({ revision: z.coerce.number().int().min(1), lang: z.enum(['ky', 'ru']).default('ky') }),
        body: { required: true, content: { 'application/zip': { schema: z.string().openapi({ format: 'binary' }) } } },
      },
      responses: {
        201: json(
          z
            .object({
              id: z.number(),
              revision: z.number(),
              package: z.object({ sha256: z.string(), version: z.enum(['1.2', '2004']), title: z.string() }),
              lessons: z.array(z.string()),
              sequencing: z
                .object({ choice: z.boolean(), flow: z.boolean(), forwardOnly: z.boolean(), notApplied: z.array(z.string()) })
                .nullable()
                .openapi({ description: 'SCORM 2004: the controlMode of the organisation and its clusters and the sequencing elements the manifest uses that are not applied (docs/scorm.md); null for 1.2' }),
            })
            .openapi('ScormUploaded'),
          'Stored; the new lessons\' slugs',
        ),
        ...commonErrors,
        ...authErrors,
        ...notFound,
        ...conflicts,
        413: errorResponse('`file_too_large`: over 200 MB'),
        422: errorResponse('`scorm_manifest_missing`, `scorm_manifest_invalid`, `scorm_version_unknown`, `scorm_no_organization`, `scorm_no_sco`, `scorm_resource_missing`, `scorm_launch_missing`, `scorm_launch_outside`, `scorm_mastery_invalid` (field: the file or element)'),
      },
    }),
    async (c) => {
      const user = requireUser(c, 'trainer', 'admin');
      const db = c.get('db');
      const { id } = c.req.valid('param');
      const { revision, lang } = c.req.valid('query');
      // Before a byte is stored: the draft is this author's and open for edits.
      assertCanEdit(draftForEditor(db, id, user), user);
      const pkg = await storeScormPackage(db, c.req.raw.body, user.id);
      const { draft, lessons } = addScormLessons(db, id, revision, pkg, lang, user);
      return c.json({ id: draft.id, revision: draft.revision, package: { sha256: pkg.sha256, version: pkg.version, title: pkg.title }, lessons, sequencing: scormSequencing(pkg) }, 201);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/author/drafts/{id}/lessons/{lesson}/preview',
      tags: ['Authoring'],
      summary: 'A draft lesson rendered to HTML by the same sanitising renderer learners get',
      request: { params: LessonParam },
      responses: { 200: json(z.object({ html: z.object({ ky: z.string().nullable(), ru: z.string().nullable() }) }), 'Sanitised HTML per language'), ...commonErrors, ...authErrors, ...notFound },
    }),
    (c) => {
      const user = requireUser(c, 'trainer', 'admin');
      const { id, lesson } = c.req.valid('param');
      return c.json({ html: previewLesson(c.get('db'), id, lesson, user).html }, 200);
    },
  );
