import { and, asc, eq, getTableColumns, inArray, isNull, sql } from 'drizzle-orm';
import type Database from 'better-sqlite3';
import type { Statement } from 'better-sqlite3';
import type { DB } from '@db/client';
import { courseModules, courses, courseVersions, lessons, media, organisations, type CompletionRule } from '@db/schema';
import type { AdminGroup, Category, Locale, Service } from '@db/domain';
import { AppError } from '@server/lib/errors';
import { hook, provide } from '@server/lib/hooks';
import { foldForSearch } from '@server/lib/text';
import { join } from 'node:path';
import { storeMedia } from './media';
import { listPackageDirs, loadCoursePackage, loadLibraryProviders, type LoadedCourse } from './package';
import { PackageError } from '@server/lib/package-error';
import { ensureDeclaredProviders, providerByCode, trainingProvider } from '../organisations/training-providers';
import { importQuizzes } from '../quiz/service';
import { prepared } from '@db/statements';

/** A course row with its training provider's names (the provider organisation's, read with it). */
export type Course = typeof courses.$inferSelect & { providerKy: string | null; providerRu: string | null };

export type CatalogFilter = {
  q?: string;
  category?: Category;
  /** only courses complete in this language */
  lang?: Locale;
  service?: Service;
  group?: AdminGroup;
  hoursMin?: number;
  hoursMax?: number;
};

/** One collator per language: `a.localeCompare(b, locale)` builds a new one on every comparison. */
const collators = new Map<Locale, Intl.Collator>();
const collator = (locale: Locale) => collators.get(locale) ?? collators.set(locale, new Intl.Collator(locale)).get(locale)!;

// ---------------------------------------------------------------------------------------------
// In-process cache of the published catalog and of course versions
// ---------------------------------------------------------------------------------------------

type Version = typeof courseVersions.$inferSelect;
export type OutlineLesson = Pick<typeof lessons.$inferSelect, 'id' | 'moduleId' | 'slug' | 'position' | 'kind' | 'minutes' | 'titleKy' | 'titleRu' | 'contentHash' | 'video' | 'scorm'>;
export type OutlineModule = typeof courseModules.$inferSelect & { lessons: OutlineLesson[] };

/**
 * The catalog, course pages and every lesson progress save read the same few hundred course rows and
 * version outlines. Read from SQLite each time they cost tens of milliseconds per catalog request on
 * the national database (3.7 MB of course texts), so they are kept per connection, together with the
 * catalog's generation they were read at: triggers give `catalog_generation` a new value on every
 * write to courses, versions, modules and lessons (migration …_catalog_generation), so a change by this process, by
 * `npm run courses:import` in another one, or by a rolled-back import is seen at the next read, and
 * other writes (progress, answers) keep the cache. Cached objects are shared: callers must not change them.
 */
type CatalogCache = {
  generation: Statement;
  seen: bigint;
  published?: { bySlug: Map<string, Course>; byTitle: Map<Locale, Course[]> };
  /** per version id */
  versions: Map<number, { row: Version; outline: OutlineModule[] }>;
};
/** Enough for every version of a national catalog; past it the map simply starts again. */
const MAX_CACHED_VERSIONS = 5000;

/** One cache per database (db/statements.ts), with its generation read as 64-bit bigint, exactly. */
function newCatalogCache(_db: DB, connection: Database.Database): CatalogCache {
  const generation = connection.prepare('SELECT value FROM catalog_generation WHERE id = 1').pluck().safeIntegers();
  return { generation, seen: generation.get() as bigint, versions: new Map() };
}

function catalogCache(db: DB): CatalogCache {
  const cache = prepared(db, newCatalogCache);
  const now = cache.generation.get() as bigint;
  if (now !== cache.seen) {
    cache.seen = now;
    cache.published = undefined;
    cache.versions.clear();
  }
  return cache;
}

function published(db: DB): NonNullable<CatalogCache['published']> {
  const cache = catalogCache(db);
  if (!cache.published) {
    // In id order, as SQLite returned them before: the title sort is stable, so equal titles keep it.
    const rows = db
      .select({ ...getTableColumns(courses), providerKy: organisations.nameKy, providerRu: organisations.nameRu })
      .from(courses)
      .leftJoin(organisations, eq(organisations.id, courses.providerId))
      .where(eq(courses.status, 'published'))
      .orderBy(asc(courses.id))
      .all();
    cache.published = { bySlug: new Map(rows.map((c) => [c.slug, c])), byTitle: new Map() };
  }
  return cache.published;
}

/** Published courses ordered by title in the reader's language. */
function publishedByTitle(db: DB, locale: Locale): Course[] {
  const p = published(db);
  let list = p.byTitle.get(locale);
  if (!list) {
    const title = (c: Course) => (locale === 'ky' ? c.titleKy ?? c.titleRu : c.titleRu ?? c.titleKy) ?? '';
    const compare = collator(locale).compare;
    list = [...p.bySlug.values()].sort((a, b) => compare(title(a), title(b)));
    p.byTitle.set(locale, list);
  }
  return list;
}

function cachedVersion(db: DB, versionId: number): { row: Version; outline: OutlineModule[] } | undefined {
  const cache = catalogCache(db);
  let v = cache.versions.get(versionId);
  if (!v) {
    const row = db.select().from(courseVersions).where(eq(courseVersions.id, versionId)).get();
    if (!row) return undefined;
    if (cache.versions.size >= MAX_CACHED_VERSIONS) cache.versions.clear();
    v = { row, outline: readOutline(db, versionId) };
    cache.versions.set(versionId, v);
  }
  return v;
}

/** A course version (its hours and completion rule), or undefined. */
export function courseVersion(db: DB, versionId: number): Version | undefined {
  return cachedVersion(db, versionId)?.row;
}

/** The modules and lessons (without their texts) of one course version, in order. */
export function versionOutline(db: DB, versionId: number): OutlineModule[] {
  return cachedVersion(db, versionId)?.outline ?? [];
}

function readOutline(db: DB, versionId: number): OutlineModule[] {
  const modules = db.select().from(courseModules).where(eq(courseModules.versionId, versionId)).orderBy(asc(courseModules.position)).all();
  const rows = modules.length
    ? db
        .select({
          id: lessons.id,
          moduleId: lessons.moduleId,
          slug: lessons.slug,
          position: lessons.position,
          kind: lessons.kind,
          minutes: lessons.minutes,
          titleKy: lessons.titleKy,
          titleRu: lessons.titleRu,
          contentHash: lessons.contentHash,
          video: lessons.video,
          scorm: lessons.scorm,
        })
        .from(lessons)
        .where(inArray(lessons.moduleId, modules.map((m) => m.id)))
        .orderBy(asc(lessons.position))
        .all()
    : [];
  return modules.map((m) => ({ ...m, lessons: rows.filter((l) => l.moduleId === m.id) }));
}

// ---------------------------------------------------------------------------------------------
// Catalog
// ---------------------------------------------------------------------------------------------

/**
 * Published courses matching the filter, ordered by title in the reader's language. Filtered in
 * memory: a search reads every course's search text anyway, and the rows are cached.
 */
export function listCourses(db: DB, filter: CatalogFilter, locale: Locale): Course[] {
  // Plain substring search, so the user's % and _ are plain characters.
  const words = foldForSearch(filter.q ?? '').split(' ').filter(Boolean).slice(0, 10);
  return publishedByTitle(db, locale).filter(
    (c) =>
      words.every((w) => c.searchText.includes(w)) &&
      (!filter.category || c.category === filter.category) &&
      (filter.lang !== 'ky' || c.hasKy) &&
      (filter.lang !== 'ru' || c.hasRu) &&
      (!filter.service || c.audienceServices.includes(filter.service)) &&
      (!filter.group || c.audienceGroups.includes(filter.group)) &&
      (filter.hoursMin === undefined || c.hours >= filter.hoursMin) &&
      (filter.hoursMax === undefined || c.hours <= filter.hoursMax),
  );
}

export type CourseOutline = Course & { modules: OutlineModule[] };

/** A published course with its module and lesson outline (without lesson texts). */
export function getPublishedCourse(db: DB, slug: string): CourseOutline {
  const course = published(db).bySlug.get(slug);
  // The current version's outline (earlier versions keep their own modules for their enrolments).
  if (!course?.currentVersionId) throw new AppError('course_not_found', 404);
  return { ...course, modules: versionOutline(db, course.currentVersionId) };
}

/** A published course with its current version, or undefined. */
export function publishedCourseWithVersion(db: DB, slug: string): (Course & { version: Version }) | undefined {
  const course = published(db).bySlug.get(slug);
  const version = course?.currentVersionId ? courseVersion(db, course.currentVersionId) : undefined;
  return course && version && { ...course, version };
}

function searchTextOf(c: LoadedCourse): string {
  return foldForSearch(
    [c.title.ky, c.title.ru, c.summary.ky, c.summary.ru, ...(c.objectives.ky ?? []), ...(c.objectives.ru ?? [])]
      .filter(Boolean)
      .join(' '),
  );
}

/**
 * The completion rule of a package or draft, with the defaults filled in: every lesson viewed, and —
 * when the course has a final test — the final test passed. A package relaxes that only by saying
 * `"finalTest": false` in its `completion`; module quizzes and feedback count only when it says so.
 */
export function completionRuleOf(c: {
  completion?: LoadedCourse['completion'];
  quiz: { quizzes: { kind?: unknown }[] } | null;
  /** the lessons, when a SCORM lesson's passed status may be the final test */
  modules?: { lessons: { scorm?: { finalTest?: boolean } }[] }[];
}): CompletionRule {
  const hasFinalTest = (c.quiz?.quizzes ?? []).some((q) => q.kind === 'final') || (c.modules ?? []).some((m) => m.lessons.some((l) => l.scorm?.finalTest === true));
  return {
    lessonsPercent: c.completion?.lessonsPercent ?? 100,
    moduleQuizzes: c.completion?.moduleQuizzes ?? false,
    finalTest: c.completion?.finalTest ?? hasFinalTest,
    feedback: c.completion?.feedback ?? false,
  };
}

/**
 * Writes a loaded package into the catalog as a published course, all in one transaction.
 * Unchanged packages (same hash) are left alone. A changed package becomes a new course version with
 * its own modules and lessons; earlier versions stay for the enrolments that point at them.
 */
/** The media files a course's lessons use: videos, captions, attachments, images in the texts. */
function usedMedia(c: LoadedCourse): string[] {
  const out = new Set<string>();
  for (const m of c.modules)
    for (const l of m.lessons) {
      if (l.video) for (const h of [l.video.sha256, l.video.captions.ky, l.video.captions.ru]) if (h) out.add(h);
      for (const a of l.attachments) out.add(a.sha256);
      for (const match of JSON.stringify(l.doc).matchAll(/\/api\/media\/([a-f0-9]{64})/g)) out.add(match[1]!);
    }
  return [...out];
}

/**
 * The organisation a loaded course names as its provider: a package's code must belong to an open
 * training provider (else PackageError on its course.json, with the reason); a draft's id is checked
 * by the draft rules first (authoring loadedCourseFromDraft), here again as a 422 on the field.
 */
function providerIdOf(db: DB, c: LoadedCourse): number {
  if ('id' in c.provider) {
    const p = trainingProvider(db, c.provider.id);
    if (!p || p.closed) throw new AppError('draft_invalid', 422, 'manifest.provider');
    return p.id;
  }
  const found = providerByCode(db, c.provider.code);
  if ('problem' in found) throw new PackageError(c.provider.file, `provider: ${found.problem}`);
  return found.id;
}

export function importCourse(db: DB, c: LoadedCourse, now = new Date()): 'created' | 'updated' | 'unchanged' {
  return db.transaction((tx) => {
    const existing = tx
      .select({ id: courses.id, packageHash: courses.packageHash, currentVersionId: courses.currentVersionId })
      .from(courses)
      .where(eq(courses.slug, c.slug))
      .get();
    if (existing?.packageHash === c.hash && existing.currentVersionId) return 'unchanged';
    const providerId = providerIdOf(tx, c);
    // Content-addressed files: written before the rows that name them; a rollback leaves only unused files.
    for (const m of c.media) {
      storeMedia(m.sha256, m.data);
      tx.insert(media).values({ sha256: m.sha256, contentType: m.contentType, bytes: m.data.length, createdAt: now }).onConflictDoNothing().run();
    }
    // Every file the version's lessons use is published from now on (drafts' uploads until now were not).
    const used = usedMedia(c);
    for (let i = 0; i < used.length; i += 500) {
      tx.update(media).set({ publishedAt: now }).where(and(inArray(media.sha256, used.slice(i, i + 500)), isNull(media.publishedAt))).run();
    }
    const fields = {
      slug: c.slug,
      status: 'published',
      category: c.category,
      hours: c.hours,
      audienceServices: c.audience.services,
      audiencePostKinds: c.audience.postKinds,
      audienceGroups: c.audience.groups,
      titleKy: c.title.ky ?? null,
      titleRu: c.title.ru ?? null,
      summaryKy: c.summary.ky ?? null,
      summaryRu: c.summary.ru ?? null,
      descriptionKy: c.description.ky ?? null,
      descriptionRu: c.description.ru ?? null,
      objectivesKy: c.objectives.ky ?? [],
      objectivesRu: c.objectives.ru ?? [],
      providerId,
      hasKy: c.hasKy,
      hasRu: c.hasRu,
      searchText: searchTextOf(c),
      packageHash: c.hash,
      updatedAt: now,
    } as const;
    let courseId: number;
    if (existing) {
      courseId = existing.id;
      tx.update(courses).set(fields).where(eq(courses.id, courseId)).run();
    } else {
      courseId = tx.insert(courses).values({ ...fields, publishedAt: now }).returning({ id: courses.id }).get().id;
    }
    const last = tx
      .select({ n: sql<number>`coalesce(max(${courseVersions.number}), 0)` })
      .from(courseVersions)
      .where(eq(courseVersions.courseId, courseId))
      .get();
    const versionId = tx
      .insert(courseVersions)
      .values({
        courseId,
        number: (last?.n ?? 0) + 1,
        hours: c.hours,
        completion: completionRuleOf(c),
        repeatable: c.repeatable ?? false,
        enrolment: c.enrolment ?? 'open',
        packageHash: c.hash,
        createdAt: now,
      })
      .returning({ id: courseVersions.id })
      .get().id;
    tx.update(courses).set({ currentVersionId: versionId }).where(eq(courses.id, courseId)).run();
    let lessonPosition = 0;
    c.modules.forEach((m, i) => {
      const moduleId = tx
        .insert(courseModules)
        .values({ courseId, versionId, position: i + 1, titleKy: m.title.ky ?? null, titleRu: m.title.ru ?? null })
        .returning({ id: courseModules.id })
        .get().id;
      for (const l of m.lessons) {
        tx.insert(lessons)
          .values({
            moduleId,
            slug: l.slug,
            position: ++lessonPosition,
            kind: l.kind,
            minutes: l.minutes,
            titleKy: l.title.ky ?? null,
            titleRu: l.title.ru ?? null,
            bodyKy: l.body.ky ?? null,
            bodyRu: l.body.ru ?? null,
            docKy: l.doc.ky ?? null,
            docRu: l.doc.ru ?? null,
            video: l.video ?? null,
            attachments: l.attachments,
            scorm: l.scorm ?? null,
            contentHash: l.contentHash,
          })
          .run();
      }
    });
    // Learners in progress move to the new version, keeping progress on unchanged lessons.
    hook('courseVersionCreated')(tx, courseId, versionId, now);
    // The question bank and quizzes, in the same transaction: a failure imports nothing.
    importQuizzes(tx, courseId, c.quiz, now);
    return existing ? 'updated' : 'created';
  });
}

/**
 * Loads every package under `root` first and imports only when all are valid, so a broken package
 * leaves the catalog exactly as it was. The training providers the library declares in
 * `<root>/providers.json` are put in the tree first (organisations ensureDeclaredProviders), in the
 * same transaction; a package naming a code neither there nor in the tree is refused.
 */
export function importCourseLibrary(db: DB, root = 'courses'): { slug: string; result: ReturnType<typeof importCourse> }[] {
  const declared = loadLibraryProviders(root);
  const loaded = listPackageDirs(root).map(loadCoursePackage);
  return db.transaction((tx) => {
    const refused = ensureDeclaredProviders(tx, declared);
    if (refused) throw new PackageError(join(root, 'providers.json'), refused.problem);
    return loaded.map((c) => ({ slug: c.slug, result: importCourse(tx, c) }));
  });
}

/** The number (1, 2, …) of a course's current version, or 0 when it has none. */
export function courseVersionNumber(db: DB, slug: string): number {
  const row = db
    .select({ n: courseVersions.number })
    .from(courses)
    .innerJoin(courseVersions, eq(courseVersions.id, courses.currentVersionId))
    .where(eq(courses.slug, slug))
    .get();
  return row?.n ?? 0;
}

/** The catalog's hours bands, as offered on the catalog page. */
export const HOURS_BANDS = {
  short: { hoursMax: 8 },
  medium: { hoursMin: 9, hoursMax: 24 },
  long: { hoursMin: 25 },
} as const;
export type HoursBand = keyof typeof HOURS_BANDS;

function prepareBrief(db: DB) {
  return db
    .select({ id: courses.id, slug: courses.slug, titleKy: courses.titleKy, titleRu: courses.titleRu, status: courses.status })
    .from(courses)
    .where(eq(courses.id, sql.placeholder('id')))
    .prepare();
}

/** The few course fields other modules show next to their own data (quizzes, reports). Prepared: it is on the quiz start path. */
export function courseBrief(db: DB, courseId: number): { id: number; slug: string; titleKy: string | null; titleRu: string | null; published: boolean } | undefined {
  const c = prepared(db, prepareBrief).get({ id: courseId });
  return c && { id: c.id, slug: c.slug, titleKy: c.titleKy, titleRu: c.titleRu, published: c.status === 'published' };
}

/** The id of a published course by its slug, or undefined. */
export function publishedCourseId(db: DB, slug: string): number | undefined {
  return published(db).bySlug.get(slug)?.id;
}

// What the modules below ask of the catalog (server/lib/hooks.ts).
provide('courseBrief', courseBrief);
