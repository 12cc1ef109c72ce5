import { z } from 'zod';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ADMIN_GROUPS, CATEGORIES, LESSON_KINDS, POST_KINDS, SERVICES } from '../../lib/domain';
import { loadQuizPackage, type LoadedQuizPackage } from '../quiz/package';

/** The shape of courses/<slug>/course.json (documented in courses/README.md). */
const text = z.string().trim().min(1);
const bilingual = z.strictObject({ ky: text.optional(), ru: text.optional() });
const slug = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'lowercase latin letters, digits and hyphens');

export const CourseManifest = z.strictObject({
  slug,
  category: z.enum(CATEGORIES),
  hours: z.number().int().min(1).max(1000),
  audience: z.strictObject({
    services: z.array(z.enum(SERVICES)).min(1),
    postKinds: z.array(z.enum(POST_KINDS)).min(1),
    groups: z.array(z.enum(ADMIN_GROUPS)),
  }),
  provider: bilingual,
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
            }),
          )
          .min(1),
      }),
    )
    .min(1),
});
export type CourseManifest = z.infer<typeof CourseManifest>;

export type LoadedLesson = CourseManifest['modules'][number]['lessons'][number] & {
  body: { ky?: string; ru?: string };
};
export type LoadedCourse = Omit<CourseManifest, 'modules'> & {
  modules: { title: CourseManifest['modules'][number]['title']; lessons: LoadedLesson[] }[];
  hasKy: boolean;
  hasRu: boolean;
  hash: string;
  /** the question bank and quizzes (questions.json, quizzes.json), or null when the package has none */
  quiz: LoadedQuizPackage | null;
};

/** A package that cannot be imported: the file and the reason. */
export class PackageError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
  }
}

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
  const modules = manifest.modules.map((m) => ({
    title: m.title,
    lessons: m.lessons.map((lesson) => {
      if (seen.has(lesson.slug)) throw new PackageError(manifestFile, `lesson slug "${lesson.slug}" is used twice`);
      seen.add(lesson.slug);
      const body: LoadedLesson['body'] = {};
      for (const lang of ['ky', 'ru'] as const) {
        const file = join(dir, 'lessons', `${lesson.slug}.${lang}.md`);
        if (!existsSync(file)) continue;
        const content = readFileSync(file, 'utf8');
        hash.update(`${lesson.slug}.${lang}`).update(content);
        if (content.trim()) body[lang] = content;
      }
      if (!body.ky && !body.ru) throw new PackageError(join(dir, 'lessons', `${lesson.slug}.ky.md`), 'lesson text missing in both languages');
      return { ...lesson, body };
    }),
  }));

  const complete = (lang: 'ky' | 'ru') =>
    Boolean(
      manifest.title[lang] &&
        manifest.summary[lang] &&
        manifest.objectives[lang]?.length &&
        modules.every((m) => m.title[lang] && m.lessons.every((l) => l.title[lang] && l.body[lang])),
    );
  const quiz = loadQuizPackage(dir, manifest.slug, manifest.modules.length);
  if (quiz) hash.update(quiz.raw);
  const hasKy = complete('ky');
  const hasRu = complete('ru');
  if (!manifest.title.ky && !manifest.title.ru) throw new PackageError(manifestFile, 'title missing in both languages');
  return { ...manifest, modules, hasKy, hasRu, hash: hash.digest('hex'), quiz };
}

/** Every package folder under the courses directory, sorted by name. */
export function listPackageDirs(root: string): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((name) => !name.startsWith('.') && statSync(join(root, name)).isDirectory())
    .sort()
    .map((name) => join(root, name));
}
