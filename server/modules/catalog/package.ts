import { z } from 'zod';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { LessonAttachment, LessonScorm, LessonVideo } from '@db/schema/catalog';
import { checkTiptap, markdownToTiptap, type TiptapNode } from '@server/lib/tiptap';
import { contentTypeOf, mp4Seconds, sha256 } from './media';
import { ADMIN_GROUPS, CATEGORIES, LESSON_KINDS, POST_KINDS, REGIONS, SERVICES } from '@db/domain';
import { loadQuizPackage, type LoadedQuizPackage } from '../quiz/package';
import { PackageError } from '@server/lib/package-error';

/** The shape of courses/<slug>/course.json (documented in courses/README.md). */
const text = z.string().trim().min(1);
const bilingual = z.strictObject({ ky: text.optional(), ru: text.optional() });
const slug = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'lowercase latin letters, digits and hyphens');
/** A file of the package's media/ folder, written `media/<name>` */
const mediaFile = z.string().regex(/^media\/[A-Za-z0-9._-]+(?:\/[A-Za-z0-9._-]+)*$/, 'a file under media/, e.g. media/intro.mp4').refine((f) => !f.split('/').includes('..'), 'no ".." in paths');

/** An organisation's code (e-Kyzmat): how a package names its training provider (server/modules/organisations/training-providers.ts). */
export const ProviderCode = z.string().regex(/^[0-9A-Za-z./-]{1,40}$/, 'the code of a training provider organisation (letters, digits and - . /)');

export const CourseManifest = z.strictObject({
  slug,
  category: z.enum(CATEGORIES),
  hours: z.number().int().min(1).max(1000),
  audience: z.strictObject({
    services: z.array(z.enum(SERVICES)).min(1),
    postKinds: z.array(z.enum(POST_KINDS)).min(1),
    groups: z.array(z.enum(ADMIN_GROUPS)),
  }),
  /** the training provider: the code of an organisation of kind `provider` (resolved at import, catalog importCourse) */
  provider: ProviderCode,
  title: bilingual,
  summary: bilingual,
  description: bilingual,
  objectives: z.strictObject({ ky: z.array(text).optional(), ru: z.array(text).optional() }),
  modules: z
    .array(
      z.strictObject({
        title: bilingual,
        lessons: z
          .array(
            z.strictObject({
              slug,
              title: bilingual,
              minutes: z.number().int().min(1).max(600),
              kind: z.enum(LESSON_KINDS),
              video: z
                .strictObject({
                  file: mediaFile.refine((f) => f.toLowerCase().endsWith('.mp4'), 'an .mp4 file'),
                  captions: z
                    .strictObject({ ky: mediaFile.optional(), ru: mediaFile.optional() })
                    .refine((c) => c.ky || c.ru, 'captions in at least one language'),
                })
                .optional(),
              attachments: z
                .array(z.strictObject({ file: mediaFile.refine((f) => f.toLowerCase().endsWith('.pdf'), 'a .pdf file'), title: bilingual }))
                .max(20)
                .optional(),
            }),
          )
          .min(1),
      }),
    )
    .min(1),
  /** optional: who may enrol: everyone eligible (open, the default) or only those HR assigns */
  enrolment: z.enum(['open', 'assigned']).optional(),
  /** optional: the course may be taken again within the obligation period (default false) */
  repeatable: z.boolean().optional(),
  /** optional: what completes the course (default: every lesson viewed) */
  completion: z
    .strictObject({
      lessonsPercent: z.number().int().min(0).max(100).optional(),
      moduleQuizzes: z.boolean().optional(),
      finalTest: z.boolean().optional(),
      feedback: z.boolean().optional(),
    })
    .optional(),
});
export type CourseManifest = z.infer<typeof CourseManifest>;

/** A package file read for the media store. */
export type LoadedMedia = { sha256: string; contentType: string; data: Buffer };

export type LoadedLesson = Omit<CourseManifest['modules'][number]['lessons'][number], 'video' | 'attachments'> & {
  body: { ky?: string; ru?: string };
  /** the text as Tiptap JSON, from lessons/<slug>.<lang>.json or converted from the Markdown */
  doc: { ky?: TiptapNode; ru?: TiptapNode };
  video?: LessonVideo;
  attachments: LessonAttachment[];
  /** a SCORM lesson (drafts only: course packages in courses/ carry none) */
  scorm?: LessonScorm;
  /** SHA-256 of texts and media: unchanged lessons keep learners' progress across versions */
  contentHash: string;
};
/**
 * The training provider of a loaded course: a package names it by its organisation's code (checked
 * against the tree at import; `file` is the course.json to blame), a draft by the organisation's id.
 */
export type ProviderRef = { code: string; file: string } | { id: number };
export type LoadedCourse = Omit<CourseManifest, 'modules' | 'provider'> & {
  provider: ProviderRef;
  modules: { title: CourseManifest['modules'][number]['title']; lessons: LoadedLesson[] }[];
  hasKy: boolean;
  hasRu: boolean;
  hash: string;
  media: LoadedMedia[];
  /** the question bank and quizzes (questions.json, quizzes.json), or null when the package has none */
  quiz: LoadedQuizPackage | null;
};

/** Reads and checks one package folder. Throws PackageError naming the file at fault. */
export function loadCoursePackage(dir: string): LoadedCourse {
  const manifestFile = join(dir, 'course.json');
  if (!existsSync(manifestFile)) throw new PackageError(manifestFile, 'missing');
  const hash = createHash('sha256');
  const raw = readFileSync(manifestFile, 'utf8');
  hash.update(raw);
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (e) {
    throw new PackageError(manifestFile, `not valid JSON: ${(e as Error).message}`);
  }
  const parsed = CourseManifest.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new PackageError(manifestFile, `${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const manifest = parsed.data;
  const folder = dir.split(/[\\/]/).filter(Boolean).pop();
  if (manifest.slug !== folder) throw new PackageError(manifestFile, `slug "${manifest.slug}" differs from folder "${folder}"`);

  const seen = new Set<string>();
  const media = new Map<string, LoadedMedia>();
  /** Reads a media/ file of the package, checks its kind, and returns its sha256. */
  const readMedia = (rel: string, expect: 'video' | 'captions' | 'image' | 'pdf'): LoadedMedia => {
    const file = join(dir, rel);
    if (!existsSync(file) || !statSync(file).isFile()) throw new PackageError(file, 'missing');
    const data = readFileSync(file);
    const contentType = contentTypeOf(file);
    const ok =
      (expect === 'video' && contentType === 'video/mp4' && mp4Seconds(data) !== null) ||
      (expect === 'captions' && contentType?.startsWith('text/vtt') && /^(\uFEFF)?WEBVTT/.test(data.toString('utf8', 0, 16))) ||
      (expect === 'image' && contentType?.startsWith('image/')) ||
      (expect === 'pdf' && contentType === 'application/pdf' && data.subarray(0, 5).toString('latin1') === '%PDF-');
    if (!ok) throw new PackageError(file, `not a valid ${expect === 'captions' ? 'WebVTT' : expect === 'video' ? 'MP4 video' : expect === 'pdf' ? 'PDF' : 'PNG, JPEG or WebP image'} file`);
    const m = { sha256: sha256(data), contentType: contentType!, data };
    media.set(m.sha256, m);
    hash.update(rel).update(m.sha256);
    return m;
  };
  const modules = manifest.modules.map((m) => ({
    title: m.title,
    lessons: m.lessons.map((lesson): LoadedLesson => {
      if (seen.has(lesson.slug)) throw new PackageError(manifestFile, `lesson slug "${lesson.slug}" is used twice`);
      seen.add(lesson.slug);
      const { video: videoSpec, attachments: attachmentSpecs, ...rest } = lesson;
      const content = createHash('sha256');
      const body: LoadedLesson['body'] = {};
      const doc: LoadedLesson['doc'] = {};
      for (const lang of ['ky', 'ru'] as const) {
        const jsonFile = join(dir, 'lessons', `${lesson.slug}.${lang}.json`);
        const file = join(dir, 'lessons', `${lesson.slug}.${lang}.md`);
        if (existsSync(jsonFile)) {
          const raw = readFileSync(jsonFile, 'utf8');
          hash.update(`${lesson.slug}.${lang}.json`).update(raw);
          content.update(`${lang}:json:`).update(raw);
          let parsedDoc: unknown;
          try {
            parsedDoc = JSON.parse(raw);
          } catch (e) {
            throw new PackageError(jsonFile, `not valid JSON: ${(e as Error).message}`);
          }
          const problem = checkTiptap(parsedDoc);
          if (problem) throw new PackageError(jsonFile, problem);
          if ((parsedDoc as TiptapNode).type !== 'doc') throw new PackageError(jsonFile, 'the root node must be "doc"');
          doc[lang] = parsedDoc as TiptapNode;
          continue;
        }
        if (!existsSync(file)) continue;
        const text = readFileSync(file, 'utf8');
        hash.update(`${lesson.slug}.${lang}`).update(text);
        content.update(`${lang}:md:`).update(text);
        if (!text.trim()) continue;
        body[lang] = text;
        try {
          doc[lang] = markdownToTiptap(text, (src) => {
            const rel = src.replace(/^(\.\.\/)+/, '');
            const parsedSrc = mediaFile.safeParse(rel);
            if (!parsedSrc.success) throw new PackageError(file, `image "${src}" must be a file under media/`);
            return `/api/media/${readMedia(rel, 'image').sha256}`;
          });
        } catch (e) {
          if (e instanceof PackageError) throw e;
          throw new PackageError(file, (e as Error).message);
        }
      }
      if (!doc.ky && !doc.ru) throw new PackageError(join(dir, 'lessons', `${lesson.slug}.ky.md`), 'lesson text missing in both languages');
      let video: LessonVideo | undefined;
      if (videoSpec) {
        const v = readMedia(videoSpec.file, 'video');
        const captions: LessonVideo['captions'] = {};
        for (const lang of ['ky', 'ru'] as const) {
          const c = videoSpec.captions[lang];
          if (c) captions[lang] = readMedia(c, 'captions').sha256;
        }
        video = { sha256: v.sha256, contentType: v.contentType, seconds: Math.round(mp4Seconds(v.data)! * 1000) / 1000, captions };
        content.update(`video:${v.sha256}:${captions.ky ?? ''}:${captions.ru ?? ''}`);
      }
      const attachments: LessonAttachment[] = (attachmentSpecs ?? []).map((a) => {
        const f = readMedia(a.file, 'pdf');
        content.update(`attachment:${f.sha256}`);
        return { sha256: f.sha256, contentType: f.contentType, bytes: f.data.length, fileName: a.file.split('/').pop()!, title: a.title };
      });
      return { ...rest, body, doc, video, attachments, contentHash: content.digest('hex') };
    }),
  }));

  const complete = (lang: 'ky' | 'ru') =>
    Boolean(
      manifest.title[lang] &&
        manifest.summary[lang] &&
        manifest.objectives[lang]?.length &&
        modules.every((m) => m.title[lang] && m.lessons.every((l) => l.title[lang] && l.doc[lang])),
    );
  const quiz = loadQuizPackage(dir, manifest.slug, manifest.modules.length);
  if (quiz) hash.update(quiz.raw);
  if (manifest.completion?.finalTest === true && !quiz?.quizzes.some((q) => q.kind === 'final'))
    throw new PackageError(manifestFile, 'completion.finalTest: the course has no final test (quizzes.json)');
  const hasKy = complete('ky');
  const hasRu = complete('ru');
  if (!manifest.title.ky && !manifest.title.ru) throw new PackageError(manifestFile, 'title missing in both languages');
  return { ...manifest, provider: { code: manifest.provider, file: manifestFile }, modules, hasKy, hasRu, hash: hash.digest('hex'), media: [...media.values()], quiz };
}

/** The shape of providers.json at the root of a course library: the training providers its packages name. */
const LibraryProviders = z.strictObject({
  providers: z
    .array(
      z.strictObject({
        code: ProviderCode,
        name: z.strictObject({ ky: text.max(400), ru: text.max(400) }),
        service: z.enum(SERVICES),
        region: z.enum(REGIONS),
      }),
    )
    .max(200),
});
export type LibraryProviders = z.infer<typeof LibraryProviders>['providers'];

/** Reads and checks `<root>/providers.json` (none: an empty list). Throws PackageError naming the file. */
export function loadLibraryProviders(root: string): LibraryProviders {
  const file = join(root, 'providers.json');
  if (!existsSync(file)) return [];
  if (statSync(file).size > 256 * 1024) throw new PackageError(file, 'larger than 256 KB');
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new PackageError(file, `not valid JSON: ${(e as Error).message}`);
  }
  const parsed = LibraryProviders.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new PackageError(file, `${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const codes = new Set<string>();
  for (const p of parsed.data.providers) {
    if (codes.has(p.code)) throw new PackageError(file, `the code "${p.code}" is listed twice`);
    codes.add(p.code);
  }
  return parsed.data.providers;
}

/** Every package folder under the courses directory, sorted by name. */
export function listPackageDirs(root: string): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((name) => !name.startsWith('.') && statSync(join(root, name)).isDirectory())
    .sort()
    .map((name) => join(root, name));
}
