/**
 * What a course draft holds (the shared contract of issue #6): a course package in JSON.
 * - `manifest`: the course.json shape (CourseManifest), except that each lesson carries its text as
 *   Tiptap JSON per language (`doc`) instead of Markdown files, and media are named by the SHA-256 of
 *   the media store (catalog/media.ts) instead of `media/…` paths.
 * - `questions`: exactly questions.json (`{categories, questions}`); `quizzes`: exactly quizzes.json
 *   (`{quizzes}`). Empty lists mean the course has no question bank / quizzes.
 * The draft schema is the package schema with the "at least one" rules relaxed, so a half-written
 * course can be saved; `loadedCourseFromDraft` (service.ts) applies every package rule before publishing.
 */
import { z } from 'zod';
import { CourseManifest } from '../catalog/package';
import { tiptapProblem, type TiptapNode } from '@server/lib/tiptap';
import { LESSON_KINDS } from '@db/domain';
import { QuizEntry } from '../quiz/package';

const slug = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'lowercase latin letters, digits and hyphens').max(80);
const text = z.string().trim().min(1).max(4000);
const bilingual = z.strictObject({ ky: text.optional(), ru: text.optional() });
export const Sha256 = z.string().regex(/^[a-f0-9]{64}$/, 'the SHA-256 of a stored media file');

/** The most a lesson text may hold: nodes in one document, and how deep they nest. */
export const DOC_LIMITS = { nodes: 20_000, depth: 30, textChars: 200_000 } as const;

/** A lesson text as Tiptap JSON: only what the editor, the checker and the renderer all know (server/lib/tiptap.ts). */
export const TiptapDoc = z.custom<TiptapNode>().superRefine((value, ctx) => {
  // The path inside the document goes into the error's field (`doc.ky.content.3.attrs.align`), so the
  // editor can say what was refused and where.
  const problem = tiptapProblem(value, DOC_LIMITS);
  if (problem) ctx.addIssue({ code: 'custom', message: problem.message, path: problem.path });
  else if ((value as TiptapNode).type !== 'doc') ctx.addIssue({ code: 'custom', message: 'the root node must be "doc"', path: ['type'] });
});

export const DraftLesson = z.strictObject({
  slug,
  title: bilingual,
  minutes: z.number().int().min(1).max(600),
  kind: z.enum(LESSON_KINDS),
  doc: z.strictObject({ ky: TiptapDoc.optional(), ru: TiptapDoc.optional() }),
  video: z
    .strictObject({
      sha256: Sha256,
      captions: z.strictObject({ ky: Sha256.optional(), ru: Sha256.optional() }),
    })
    .optional(),
  attachments: z
    .array(z.strictObject({ sha256: Sha256, fileName: z.string().trim().min(1).max(200), title: bilingual }))
    .max(20)
    .optional(),
  /** a SCORM lesson: the uploaded package (its SHA-256) and the SCO it launches; `finalTest`: its passed status is the course's final test */
  scorm: z.strictObject({ package: Sha256, sco: z.string().min(1).max(200), finalTest: z.boolean().optional() }).optional(),
});
export type DraftLesson = z.infer<typeof DraftLesson>;

export const DraftModule = z.strictObject({ title: bilingual, lessons: z.array(DraftLesson).max(100) });
export type DraftModule = z.infer<typeof DraftModule>;

/**
 * The course.json shape, except that the training provider is the organisation's id (chosen from the
 * list of training providers; a package names it by its code) and may be left unchosen while writing.
 */
export const DraftManifest = CourseManifest.omit({ modules: true, provider: true }).extend({
  provider: z.number().int().positive().optional(),
  modules: z.array(DraftModule).max(50),
});
export type DraftManifest = z.infer<typeof DraftManifest>;

/** questions.json as it may be while written (checked in full by quiz/package.ts checkQuizPackage). */
export const DraftQuestions = z.strictObject({
  categories: z.array(z.strictObject({ id: slug, title: z.strictObject({ ky: z.string().max(4000), ru: z.string().max(4000) }) })).max(200),
  questions: z.array(z.record(z.string(), z.unknown())).max(2000),
});
/** quizzes.json as it may be while written. */
export const DraftQuizzes = z.strictObject({ quizzes: z.array(z.record(z.string(), z.unknown())).max(50) });

export const DraftContent = z.strictObject({ manifest: DraftManifest, questions: DraftQuestions, quizzes: DraftQuizzes });
export type DraftContent = z.infer<typeof DraftContent>;

declare module '@db/schema/authoring' {
  /** Types the stored draft content column (db/schema/authoring.ts). */
  interface DraftContentRegister {
    content: DraftContent;
  }
}
/** An entry of quizzes.json (as written; defaults not yet filled in). */
export type DraftQuizEntry = z.input<typeof QuizEntry>;

/**
 * The draft of a new course: one module with one lesson, open to every civil and municipal servant;
 * the provider is the author's when they belong to one.
 */
export function emptyDraftContent(courseSlug: string, category: DraftManifest['category'] = 'service', provider?: number): DraftContent {
  return {
    manifest: {
      slug: courseSlug,
      category,
      hours: 1,
      audience: { services: ['state', 'municipal'], postKinds: ['political', 'special', 'administrative'], groups: [] },
      ...(provider ? { provider } : {}),
      title: {},
      summary: {},
      description: {},
      objectives: {},
      modules: [{ title: {}, lessons: [{ slug: 'lesson-1', title: {}, minutes: 15, kind: 'theory', doc: {} }] }],
    },
    questions: { categories: [], questions: [] },
    quizzes: { quizzes: [] },
  };
}
