/**
 * Course authoring (issue #6): drafts written in the browser, saved with optimistic concurrency, checked
 * against every package rule, and published through the same import path as course packages
 * (catalog importCourse), so a publish is a new course version like a changed package.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { DB } from '@db/client';
import { courseDrafts, courseModules, courses, courseVersions, lessons, media, users, type DraftState } from '@db/schema';
import { type SessionUser } from '@server/lib/session';
import { AppError } from '@server/lib/errors';
import type { LessonAttachment, LessonScorm, LessonVideo } from '@db/schema/catalog';
import { getScormPackage } from '../scorm/package';
import { createLaunch } from '../scorm/launch';
import { docHasText, renderTiptap, type TiptapNode } from '@server/lib/tiptap';
import { recordAudit } from '../audit/service';
import { importCourse } from '../catalog/service';
import { loadCoursePackage, type LoadedCourse, type LoadedLesson } from '../catalog/package';
import { PackageError } from '@server/lib/package-error';
import { mediaPath, mp4Seconds } from '../catalog/media';
import { checkQuizPackage } from '../quiz/package';
import { assertOpenProvider, trainingProvider } from '../organisations/training-providers';
import { DraftContent, emptyDraftContent, type DraftLesson, type DraftManifest } from './content';

export type Draft = typeof courseDrafts.$inferSelect;
/** States in which the content may be edited (the review workflow owns the others). */
export const EDITABLE_STATES: readonly DraftState[] = ['draft', 'changes_requested'];
/** The most a draft may hold, as JSON. */
export const DRAFT_MAX_BYTES = 4 * 1024 * 1024;

const slugSchema = z.string().trim().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/).max(80);

type Actor = Pick<SessionUser, 'id' | 'roles'>;

/** Trainers work on the drafts they started; admins on every draft. */
export function canEditDraft(user: Actor, draft: Pick<Draft, 'createdBy'>): boolean {
  return user.roles.includes('admin') || (user.roles.includes('trainer') && draft.createdBy === user.id);
}

const isAdmin = (u: Pick<SessionUser, 'roles'>) => u.roles.includes('admin');
export const isReviewer = (u: Pick<SessionUser, 'roles'>) => u.roles.includes('reviewer') || isAdmin(u);
export const isDraftAuthor = (draft: Pick<Draft, 'createdBy'>, u: Pick<SessionUser, 'id'>) => draft.createdBy === u.id;

/**
 * May this person change the draft's content? the rule saveDraft applies (canEditDraft):
 * its author as a trainer, or an administrator — a reviewer as such never.
 */
export function mayEdit(draft: Pick<Draft, 'createdBy'>, u: Pick<SessionUser, 'id' | 'roles'>): boolean {
  return canEditDraft(u, draft);
}

/**
 * The guard for every change of a draft's content: 403 `draft_not_yours` for anyone but the author or an
 * administrator (a reviewer reviews, never edits), 409 `draft_locked` while it is submitted, in review,
 * approved or published.
 */
export function assertCanEdit(draft: Pick<Draft, 'createdBy' | 'state'>, u: Pick<SessionUser, 'id' | 'roles'>): void {
  if (!mayEdit(draft, u)) throw new AppError('draft_not_yours', 403);
  if (!EDITABLE_STATES.includes(draft.state)) throw new AppError('draft_locked', 409);
}

/** May this person read the draft (author, administrator, reviewer)? */
export function mayRead(draft: Pick<Draft, 'createdBy'>, u: Pick<SessionUser, 'id' | 'roles'>): boolean {
  return mayEdit(draft, u) || isReviewer(u);
}

export function getDraft(db: DB, id: number): Draft {
  const d = db.select().from(courseDrafts).where(eq(courseDrafts.id, id)).get();
  if (!d) throw new AppError('draft_not_found', 404);
  return d;
}

/** A draft the user may edit, or 404 (not 403: drafts of others are not shown to exist). */
export function draftForEditor(db: DB, id: number, user: Actor): Draft {
  const d = getDraft(db, id);
  if (!canEditDraft(user, d)) throw new AppError('draft_not_found', 404);
  return d;
}

/** The drafts a user may edit, newest first (admins: all). */
export function listDrafts(db: DB, user: Actor): Draft[] {
  const q = db.select().from(courseDrafts);
  const rows = user.roles.includes('admin') ? q.all() : q.where(eq(courseDrafts.createdBy, user.id)).all();
  return rows.sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime());
}

/** Published courses a trainer may start editing (each course has at most one draft). */
export function editableCourses(db: DB) {
  return db
    .select({ id: courses.id, slug: courses.slug, titleKy: courses.titleKy, titleRu: courses.titleRu, draftId: courseDrafts.id, draftState: courseDrafts.state })
    .from(courses)
    .leftJoin(courseDrafts, eq(courseDrafts.slug, courses.slug))
    .where(eq(courses.status, 'published'))
    .orderBy(asc(courses.slug))
    .all();
}

/**
 * The training provider a trainer's new course names: the one they write for (the admin sets it on
 * their account) while it is open; undefined for anyone without one.
 */
export function ownProvider(db: DB, userId: number): number | undefined {
  const own = db.select({ providerId: users.providerId }).from(users).where(eq(users.id, userId)).get()?.providerId;
  const provider = own && trainingProvider(db, own);
  return provider && !provider.closed ? provider.id : undefined;
}

/** A new course's slug, well-formed (else 400 `invalid_input` on `slug`). */
export function newCourseSlug(input: string): string {
  const slug = slugSchema.safeParse(input);
  if (!slug.success) throw new AppError('invalid_input', 400, 'slug');
  return slug.data;
}

/**
 * 409 `slug_taken` when a course or a draft has the slug. Call it inside the transaction that inserts
 * the draft (immediate, as every transaction: db/client.ts; the unique index is the last guard).
 */
export function assertSlugFree(db: DB, slug: string): void {
  const taken =
    db.select({ id: courses.id }).from(courses).where(eq(courses.slug, slug)).get() ||
    db.select({ id: courseDrafts.id }).from(courseDrafts).where(eq(courseDrafts.slug, slug)).get();
  if (taken) throw new AppError('slug_taken', 409, 'slug');
}

/** Inserts a new course's draft (state `draft`, revision 1, owned by `user`): slug and content checked by the caller. */
export function insertDraft(db: DB, slug: string, content: DraftContent, user: Actor, now: Date): Draft {
  return db
    .insert(courseDrafts)
    .values({ slug, state: 'draft', content, revision: 1, createdBy: user.id, updatedBy: user.id, createdAt: now, updatedAt: now })
    .returning()
    .get();
}

/** A new course: an empty draft under a slug no course or draft uses. */
export function createDraft(db: DB, input: { slug: string; titleKy?: string; titleRu?: string; category?: DraftManifest['category'] }, user: Actor, now = new Date()): Draft {
  const slug = newCourseSlug(input.slug);
  return db.transaction((tx) => {
    assertSlugFree(tx, slug);
    const content = emptyDraftContent(slug, input.category, ownProvider(tx, user.id));
    if (input.titleKy?.trim()) content.manifest.title.ky = input.titleKy.trim();
    if (input.titleRu?.trim()) content.manifest.title.ru = input.titleRu.trim();
    const parsed = DraftContent.safeParse(content);
    if (!parsed.success) throw new AppError('invalid_input', 400, 'title');
    const d = insertDraft(tx, slug, parsed.data, user, now);
    recordAudit(tx, { actorId: user.id, action: 'course.draft_created', targetType: 'course_draft', targetId: d.id, details: { slug: d.slug } }, now);
    return d;
  });
}

/** Keys sorted, so equal content compares and hashes equal whatever order the editor wrote it in. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]])) : v));
}

/**
 * The question bank and quizzes of the course's current version, as written: from the draft that
 * published it, or from the course package it was imported from (the stored rows are built forms).
 */
function currentQuizSource(db: DB, slug: string, versionId: number, coursesRoot: string): Pick<DraftContent, 'questions' | 'quizzes'> {
  const published = db.select().from(courseDrafts).where(and(eq(courseDrafts.slug, slug), eq(courseDrafts.publishedVersionId, versionId))).get();
  if (published) {
    const as = published.publishedContent ?? published.content;
    return { questions: as.questions, quizzes: as.quizzes };
  }
  const version = db.select({ packageHash: courseVersions.packageHash }).from(courseVersions).where(eq(courseVersions.id, versionId)).get();
  const dir = join(coursesRoot, slug);
  if (version && existsSync(join(dir, 'course.json'))) {
    let same = false;
    try {
      same = loadCoursePackage(dir).hash === version.packageHash;
    } catch {
      same = false;
    }
    if (same) {
      const read = (f: string) => (existsSync(join(dir, f)) ? JSON.parse(readFileSync(join(dir, f), 'utf8')) : null);
      return { questions: read('questions.json') ?? { categories: [], questions: [] }, quizzes: read('quizzes.json') ?? { quizzes: [] } };
    }
  }
  throw new AppError('course_source_unavailable', 409);
}

/** The draft content equal to a course version: its metadata, modules, lesson texts and media, quizzes. */
function contentOfVersion(db: DB, courseId: number, versionId: number, coursesRoot: string): DraftContent {
  const c = db.select().from(courses).where(eq(courses.id, courseId)).get()!;
  const v = db.select().from(courseVersions).where(eq(courseVersions.id, versionId)).get()!;
  const modules = db.select().from(courseModules).where(eq(courseModules.versionId, versionId)).orderBy(asc(courseModules.position)).all();
  const rows = modules.length ? db.select().from(lessons).where(inArray(lessons.moduleId, modules.map((m) => m.id))).orderBy(asc(lessons.position)).all() : [];
  const bi = (ky: string | null, ru: string | null) => ({ ...(ky ? { ky } : {}), ...(ru ? { ru } : {}) });
  const manifest: DraftManifest = {
    slug: c.slug,
    category: c.category,
    hours: v.hours,
    audience: { services: c.audienceServices, postKinds: c.audiencePostKinds, groups: c.audienceGroups },
    ...(c.providerId ? { provider: c.providerId } : {}),
    title: bi(c.titleKy, c.titleRu),
    summary: bi(c.summaryKy, c.summaryRu),
    description: bi(c.descriptionKy, c.descriptionRu),
    objectives: { ...(c.objectivesKy.length ? { ky: c.objectivesKy } : {}), ...(c.objectivesRu.length ? { ru: c.objectivesRu } : {}) },
    enrolment: v.enrolment,
    repeatable: v.repeatable,
    completion: v.completion,
    modules: modules.map((m) => ({
      title: bi(m.titleKy, m.titleRu),
      lessons: rows
        .filter((l) => l.moduleId === m.id)
        .map(
          (l): DraftLesson => ({
            slug: l.slug,
            title: bi(l.titleKy, l.titleRu),
            minutes: l.minutes,
            kind: l.kind,
            doc: { ...(l.docKy ? { ky: l.docKy } : {}), ...(l.docRu ? { ru: l.docRu } : {}) },
            ...(l.video ? { video: { sha256: l.video.sha256, captions: l.video.captions } } : {}),
            ...(l.attachments?.length ? { attachments: l.attachments.map((a) => ({ sha256: a.sha256, fileName: a.fileName, title: a.title })) } : {}),
            ...(l.scorm ? { scorm: { package: l.scorm.package, sco: l.scorm.sco, ...(l.scorm.finalTest ? { finalTest: true } : {}) } } : {}),
          }),
        ),
    })),
  };
  return { manifest, ...currentQuizSource(db, c.slug, versionId, coursesRoot) };
}

/**
 * What a draft made from a published course started from: the content of its base version (null for
 * a new course, or when the base version's question bank cannot be read back).
 */
export function publishedContent(db: DB, draft: Pick<Draft, 'courseId' | 'baseVersionId'>, coursesRoot = process.env.COURSES_DIR || 'courses'): DraftContent | null {
  if (!draft.courseId || !draft.baseVersionId) return null;
  try {
    // through the same parse a draft's content went through, so equal content compares equal
    const parsed = DraftContent.safeParse(contentOfVersion(db, draft.courseId, draft.baseVersionId, coursesRoot));
    return parsed.success ? parsed.data : null;
  } catch (e) {
    if (e instanceof AppError && e.code === 'course_source_unavailable') return null;
    throw e;
  }
}

/**
 * Editing a published course: a draft made from its current version. A course has one draft at a
 * time: an open one is returned as it is (also to a request that raced this one from another process);
 * one already published starts again from the current version.
 */
export function draftFromPublished(db: DB, courseSlug: string, user: Actor, now = new Date(), coursesRoot = process.env.COURSES_DIR || 'courses'): Draft {
  return db.transaction((tx) => {
    const course = tx.select().from(courses).where(and(eq(courses.slug, courseSlug), eq(courses.status, 'published'))).get();
    if (!course?.currentVersionId) throw new AppError('course_not_found', 404);
    const existing = tx.select().from(courseDrafts).where(eq(courseDrafts.slug, courseSlug)).get();
    if (existing && existing.state !== 'published') {
      if (!canEditDraft(user, existing)) throw new AppError('draft_exists', 409);
      return existing;
    }
    const parsed = DraftContent.safeParse(contentOfVersion(tx, course.id, course.currentVersionId, coursesRoot));
    if (!parsed.success) throw new AppError('course_source_unavailable', 409, parsed.error.issues[0]?.path.join('.'));
    const values = {
      courseId: course.id,
      baseVersionId: course.currentVersionId,
      state: 'draft' as const,
      content: parsed.data,
      createdBy: user.id,
      updatedBy: user.id,
      updatedAt: now,
    };
    const d = existing
      ? tx.update(courseDrafts).set({ ...values, revision: existing.revision + 1, partRevisions: Object.fromEntries(allParts(parsed.data).map((k) => [k, existing.revision + 1])) }).where(eq(courseDrafts.id, existing.id)).returning().get()
      : tx.insert(courseDrafts).values({ ...values, slug: courseSlug, revision: 1, createdAt: now }).returning().get();
    recordAudit(tx, { actorId: user.id, action: 'course.draft_created', targetType: 'course_draft', targetId: d.id, details: { slug: courseSlug, fromVersion: course.currentVersionId } }, now);
    return d;
    // (immediate, as every transaction: of two requests from two processes, the second waits here and
    // returns the first one's draft instead of both reading "no open draft")
  });
}

/** The path of the first problem, joined with dots (`manifest.modules.0.title`). */
function issuePath(error: z.ZodError, prefix = ''): string {
  const p = error.issues[0]?.path.map(String).join('.') ?? '';
  return [prefix, p].filter(Boolean).join('.');
}

/**
 * Saves part of a draft (whole top-level sections: manifest, questions, quizzes). `revision` is the
 * draft revision the author loaded. Without `part`, it must be the draft's current revision (any save
 * in between answers 409 `stale_revision`). With `part` (`lesson:<slug>`, `settings`, `question:<id>`,
 * `quiz:<id>`, `categories`), only a change of that same part after `revision` is a conflict: the patch
 * is then computed from the current content inside the transaction (pass a function), so saves of
 * different parts never overwrite each other. Content is edited only in the states draft and changes_requested.
 */
export function saveDraft(
  db: DB,
  id: number,
  revision: number,
  patch: Partial<DraftContent> | ((content: DraftContent) => Partial<DraftContent>),
  user: Actor,
  now = new Date(),
  part?: string,
): Draft {
  return db.transaction((tx) => {
    const d = tx.select().from(courseDrafts).where(eq(courseDrafts.id, id)).get();
    // another trainer is not told the draft exists; a reviewer, who reads it, is told it is not theirs to edit
    if (!d || !mayRead(d, user)) throw new AppError('draft_not_found', 404);
    assertCanEdit(d, user);
    const parts = d.partRevisions ?? {};
    const stale = part === undefined ? d.revision !== revision : revision > d.revision || (parts[part] ?? 0) > revision;
    if (stale) throw new AppError('stale_revision', 409);
    const merged = { ...d.content, ...(typeof patch === 'function' ? patch(structuredClone(d.content)) : patch) };
    const parsed = DraftContent.safeParse(merged);
    if (!parsed.success) throw new AppError('invalid_input', 400, issuePath(parsed.error));
    const content = parsed.data;
    if (content.manifest.slug !== d.slug) throw new AppError('invalid_input', 400, 'manifest.slug');
    // the provider is one of the list: an open training provider (one the draft already names may stay, closed or not)
    if (content.manifest.provider !== undefined && content.manifest.provider !== d.content.manifest.provider) assertOpenProvider(tx, content.manifest.provider, 'manifest.provider');
    const seen = new Set<string>();
    content.manifest.modules.forEach((m, i) =>
      m.lessons.forEach((l, j) => {
        if (seen.has(l.slug)) throw new AppError('lesson_slug_taken', 409, `manifest.modules.${i}.lessons.${j}.slug`);
        seen.add(l.slug);
      }),
    );
    if (Buffer.byteLength(JSON.stringify(content)) > DRAFT_MAX_BYTES) throw new AppError('draft_too_large', 413);
    const next = d.revision + 1;
    // A whole-draft save (the tree, an import) touches every part: later part saves based on older revisions conflict.
    const partRevisions = part === undefined ? Object.fromEntries([...Object.keys(parts), ...allParts(content)].map((k) => [k, next])) : { ...parts, [part]: next };
    const updated = tx
      .update(courseDrafts)
      .set({ content, revision: next, partRevisions, updatedBy: user.id, updatedAt: now })
      .where(and(eq(courseDrafts.id, id), eq(courseDrafts.revision, d.revision)))
      .returning()
      .get();
    if (!updated) throw new AppError('stale_revision', 409);
    return updated;
  });
}

/** The parts of a draft that are saved one by one (see saveDraft). */
function allParts(content: DraftContent): string[] {
  return [
    'settings',
    'categories',
    ...content.manifest.modules.flatMap((m) => m.lessons.map((l) => `lesson:${l.slug}`)),
    ...content.questions.questions.map((q) => `question:${String(q.id)}`),
    ...content.quizzes.quizzes.map((q) => `quiz:${String(q.id)}`),
  ];
}

/**
 * Saves the course settings (everything of the manifest but the lessons; module titles included) as
 * the part `settings`: lesson saves in between (another tab) are kept, not overwritten.
 */
export function saveSettings(db: DB, id: number, revision: number, settings: DraftManifest, user: Actor, now = new Date()): Draft {
  return saveDraft(
    db,
    id,
    revision,
    (content) => ({
      manifest: { ...settings, modules: content.manifest.modules.map((m, i) => ({ ...m, title: settings.modules[i]?.title ?? m.title })) },
    }),
    user,
    now,
    'settings',
  );
}

/** A lesson text has something to read: any text or image (the one test, server/lib/tiptap.ts). */
export { docHasText };

/** Where a lesson lacks a language: its title or its text, per language. */
export function missingTranslations(l: DraftLesson): { ky: boolean; ru: boolean } {
  // a SCORM lesson's content is its package (one language): only its title is asked for in both
  if (l.scorm) return { ky: !l.title.ky, ru: !l.title.ru };
  return { ky: !l.title.ky || !docHasText(l.doc.ky), ru: !l.title.ru || !docHasText(l.doc.ru) };
}

const invalid = (field: string): never => {
  throw new AppError('draft_invalid', 422, field);
};

/** Media rows by sha256 (only the ones named). */
function mediaRows(db: DB, hashes: string[]) {
  if (!hashes.length) return new Map<string, typeof media.$inferSelect>();
  return new Map(db.select().from(media).where(inArray(media.sha256, [...new Set(hashes)])).all().map((m) => [m.sha256, m]));
}

function imageSources(doc: TiptapNode | undefined, out: string[] = []): string[] {
  if (!doc) return out;
  if (doc.type === 'image' && typeof doc.attrs?.src === 'string') out.push(doc.attrs.src);
  for (const c of doc.content ?? []) imageSources(c, out);
  return out;
}

/**
 * Turns a draft into what a course package loads to, applying every package rule (at least one module
 * and lesson, a title, lesson texts, media of the right kinds, the question bank and quizzes).
 * Errors are AppError `draft_invalid` (422) with the field at fault (`manifest.modules.0.lessons.1.doc`).
 * A lesson whose texts and media equal the course's current version keeps that lesson's content hash,
 * so learners keep their progress on it.
 */
export function loadedCourseFromDraft(db: DB, draft: Pick<Draft, 'slug' | 'content' | 'courseId'>): LoadedCourse {
  const parsed = DraftContent.safeParse(draft.content);
  if (!parsed.success) invalid(issuePath(parsed.error));
  const { manifest, questions, quizzes } = parsed.data!;
  if (manifest.slug !== draft.slug) invalid('manifest.slug');
  if (!manifest.title.ky && !manifest.title.ru) invalid('manifest.title');
  // chosen from the training providers; one closed since is chosen again
  const provider = manifest.provider === undefined ? undefined : trainingProvider(db, manifest.provider);
  if (!provider || provider.closed) invalid('manifest.provider');
  if (manifest.modules.length === 0) invalid('manifest.modules');

  // The current version's lessons, to keep content hashes of unchanged lessons.
  const current = new Map<string, typeof lessons.$inferSelect>();
  const course = draft.courseId ? db.select().from(courses).where(eq(courses.id, draft.courseId)).get() : db.select().from(courses).where(eq(courses.slug, draft.slug)).get();
  if (course?.currentVersionId) {
    const rows = db
      .select({ lesson: lessons })
      .from(lessons)
      .innerJoin(courseModules, eq(courseModules.id, lessons.moduleId))
      .where(eq(courseModules.versionId, course.currentVersionId))
      .all();
    for (const r of rows) current.set(r.lesson.slug, r.lesson);
  }

  const allHashes = manifest.modules.flatMap((m) =>
    m.lessons.flatMap((l) => [
      ...(l.video ? [l.video.sha256, ...Object.values(l.video.captions).filter((x): x is string => Boolean(x))] : []),
      ...(l.attachments ?? []).map((a) => a.sha256),
      ...imageSources(l.doc.ky).concat(imageSources(l.doc.ru)).map((s) => s.slice('/api/media/'.length)),
    ]),
  );
  const stored = mediaRows(db, allHashes);
  const seen = new Set<string>();
  const modules = manifest.modules.map((m, i) => {
    if (m.lessons.length === 0) invalid(`manifest.modules.${i}.lessons`);
    if (!m.title.ky && !m.title.ru) invalid(`manifest.modules.${i}.title`);
    return {
      title: m.title,
      lessons: m.lessons.map((l, j): LoadedLesson => {
        const at = `manifest.modules.${i}.lessons.${j}`;
        if (seen.has(l.slug)) invalid(`${at}.slug`);
        seen.add(l.slug);
        if (!l.title.ky && !l.title.ru) invalid(`${at}.title`);
        const doc: LoadedLesson['doc'] = {};
        for (const lang of ['ky', 'ru'] as const) if (docHasText(l.doc[lang])) doc[lang] = l.doc[lang];
        // A SCORM lesson is its package; a text beside it is optional.
        let scorm: LessonScorm | undefined;
        if (l.scorm) {
          const pkg = getScormPackage(db, l.scorm.package);
          const sco = pkg?.scos.find((s) => s.identifier === l.scorm!.sco);
          if (!pkg || !sco) invalid(`${at}.scorm`);
          scorm = { package: pkg!.sha256, sco: sco!.identifier, version: pkg!.version, href: sco!.href, masteryScore: sco!.masteryScore, scaledPassingScore: sco!.scaledPassingScore, finalTest: l.scorm.finalTest === true };
        }
        if (!doc.ky && !doc.ru && !scorm) invalid(`${at}.doc`);
        for (const lang of ['ky', 'ru'] as const)
          for (const src of imageSources(doc[lang])) if (!stored.get(src.slice('/api/media/'.length))?.contentType.startsWith('image/')) invalid(`${at}.doc.${lang}`);
        let video: LessonVideo | undefined;
        if (l.video) {
          const v = stored.get(l.video.sha256);
          const seconds = v?.contentType === 'video/mp4' && existsSync(mediaPath(v.sha256)) ? mp4Seconds(readFileSync(mediaPath(v.sha256))) : null;
          if (seconds === null) invalid(`${at}.video.sha256`);
          if (!l.video.captions.ky && !l.video.captions.ru) invalid(`${at}.video.captions`);
          for (const lang of ['ky', 'ru'] as const) {
            const c = l.video.captions[lang];
            if (c && !stored.get(c)?.contentType.startsWith('text/vtt')) invalid(`${at}.video.captions.${lang}`);
          }
          video = { sha256: v!.sha256, contentType: v!.contentType, seconds: Math.round(seconds! * 1000) / 1000, captions: l.video.captions };
        }
        const attachments: LessonAttachment[] = (l.attachments ?? []).map((a, k) => {
          const f = stored.get(a.sha256);
          if (f?.contentType !== 'application/pdf') invalid(`${at}.attachments.${k}.sha256`);
          return { sha256: a.sha256, contentType: f!.contentType, bytes: f!.bytes, fileName: a.fileName, title: a.title };
        });
        const mine = {
          docKy: doc.ky ?? null,
          docRu: doc.ru ?? null,
          video: video ? { sha256: video.sha256, captions: video.captions } : null,
          attachments: attachments.map((a) => ({ sha256: a.sha256, fileName: a.fileName, title: a.title })),
          ...(scorm ? { scorm } : {}),
        };
        const before = current.get(l.slug);
        const theirs = before && {
          docKy: before.docKy ?? null,
          docRu: before.docRu ?? null,
          video: before.video ? { sha256: before.video.sha256, captions: before.video.captions } : null,
          attachments: (before.attachments ?? []).map((a) => ({ sha256: a.sha256, fileName: a.fileName, title: a.title })),
          ...(before.scorm ? { scorm: before.scorm } : {}),
        };
        const contentHash =
          before?.contentHash && canonicalJson(mine) === canonicalJson(theirs) ? before.contentHash : createHash('sha256').update(canonicalJson(mine)).digest('hex');
        const { video: _v, attachments: _a, doc: _d, scorm: _s, ...rest } = l;
        return { ...rest, body: {}, doc, video, attachments, ...(scorm ? { scorm } : {}), contentHash };
      }),
    };
  });

  let quiz: LoadedCourse['quiz'] = null;
  if (questions.questions.length || questions.categories.length || quizzes.quizzes.length) {
    try {
      quiz = { ...checkQuizPackage(questions, quizzes, manifest.slug, modules.length, { questions: 'questions', quizzes: 'quizzes' }), raw: canonicalJson({ questions, quizzes }) };
    } catch (e) {
      if (e instanceof PackageError) invalid(/^[\w.]+:/.test(e.reason) ? `${e.file}.${e.reason.split(':')[0]}` : e.file);
      throw e;
    }
  }
  // A rule asking for a final test the course does not have could never be met.
  // (a SCORM lesson whose passed status is the final test counts as one)
  if (manifest.completion?.finalTest === true && !quiz?.quizzes.some((q) => q.kind === 'final') && !modules.some((m) => m.lessons.some((l) => l.scorm?.finalTest)))
    invalid('manifest.completion.finalTest');
  const complete = (lang: 'ky' | 'ru') =>
    Boolean(manifest.title[lang] && manifest.summary[lang] && manifest.objectives[lang]?.length && modules.every((m) => m.title[lang] && m.lessons.every((l) => l.title[lang] && (l.doc[lang] || l.scorm))));
  const { modules: _m, provider: _p, ...meta } = manifest;
  return {
    ...meta,
    provider: { id: provider!.id },
    modules,
    hasKy: complete('ky'),
    hasRu: complete('ru'),
    hash: createHash('sha256').update('draft:').update(canonicalJson(parsed.data)).digest('hex'),
    // Uploaded media are already in the store and the media table.
    media: [],
    quiz,
  };
}

/**
 * Publishes a draft: imports it through catalog importCourse in one transaction, making a new course
 * version (learners in progress keep progress on unchanged lessons; completed enrolments and their
 * certificates stay on their version). Sets the draft published. Returns the course version id.
 * The review workflow calls this on approval; it does not check the review state itself.
 */
export function publishDraft(db: DB, draftId: number, now = new Date()): number {
  return db.transaction((tx) => {
    const d = tx.select().from(courseDrafts).where(eq(courseDrafts.id, draftId)).get();
    if (!d) throw new AppError('draft_not_found', 404);
    if (d.state === 'published') throw new AppError('draft_already_published', 409);
    const loaded = loadedCourseFromDraft(tx, d);
    importCourse(tx, loaded, now);
    const course = tx.select({ id: courses.id, currentVersionId: courses.currentVersionId }).from(courses).where(eq(courses.slug, d.slug)).get()!;
    tx.update(courseDrafts)
      .set({ state: 'published', courseId: course.id, publishedVersionId: course.currentVersionId, publishedContent: d.content, updatedAt: now })
      .where(eq(courseDrafts.id, d.id))
      .run();
    recordAudit(tx, { actorId: null, action: 'course.published', targetType: 'course', targetId: course.id, details: { slug: d.slug, draftId: d.id, versionId: course.currentVersionId } }, now);
    return course.currentVersionId!;
  });
}


// ---------------------------------------------------------------------------------------------
// SCORM packages as lessons
// ---------------------------------------------------------------------------------------------

/** A lesson with nothing in it yet (the one a new draft starts with). */
export function emptyLesson(l: DraftLesson): boolean {
  return !l.title.ky && !l.title.ru && !docHasText(l.doc.ky) && !docHasText(l.doc.ru) && !l.video && !l.attachments?.length && !l.scorm;
}

/**
 * Adds an uploaded SCORM package to a draft: a module titled as the package's organisation with one
 * lesson per SCO (titles in the language the author named; the other language is filled in later).
 * A draft that still holds only its first, empty lesson gets the package in place of it.
 */
export function addScormLessons(
  db: DB,
  id: number,
  revision: number,
  pkg: { sha256: string; title: string; scos: { identifier: string; title: string }[] },
  lang: 'ky' | 'ru',
  user: Actor,
  now = new Date(),
): { draft: Draft; lessons: string[] } {
  const slugs: string[] = [];
  const draft = saveDraft(
    db,
    id,
    revision,
    (content) => {
      const manifest = content.manifest;
      if (manifest.modules.length === 1 && !manifest.modules[0]!.title.ky && !manifest.modules[0]!.title.ru && manifest.modules[0]!.lessons.every(emptyLesson)) manifest.modules = [];
      const module: DraftManifest['modules'][number] = { title: { [lang]: pkg.title }, lessons: [] };
      manifest.modules.push(module);
      for (const sco of pkg.scos) {
        const slug = freeLessonSlug(manifest);
        slugs.push(slug);
        module.lessons.push({ slug, title: { [lang]: sco.title }, minutes: 15, kind: 'practice', doc: {}, scorm: { package: pkg.sha256, sco: sco.identifier } });
      }
      return { manifest };
    },
    user,
    now,
  );
  return { draft, lessons: slugs };
}

/** Makes a SCORM lesson's passed status the course's final test, or not. */
export function setScormFinalTest(db: DB, id: number, revision: number, lessonSlug: string, on: boolean, user: Actor, now = new Date()): Draft {
  const d = draftForEditor(db, id, user);
  const { lesson } = findLesson(d.content.manifest, lessonSlug);
  if (!lesson.scorm) throw new AppError('scorm_not_scorm_lesson', 422, 'lesson');
  const { finalTest: _f, ...rest } = lesson.scorm;
  return saveLesson(db, id, revision, lessonSlug, { scorm: on ? { ...rest, finalTest: true } : rest }, user, now);
}

/**
 * A preview launch of a draft's SCORM lesson for its author, a reviewer or an administrator: the
 * package runs as a learner would get it, in browse mode, and nothing it commits is kept.
 */
export function launchDraftScorm(db: DB, id: number, lessonSlug: string, user: Actor, parentOrigin: string, now = new Date()): { draft: Draft; lesson: DraftLesson; launch: { token: string; url: string; sandboxed: boolean } } {
  const { draft, lesson } = draftForLaunch(db, id, lessonSlug, user);
  const pkg = getScormPackage(db, lesson.scorm!.package);
  const sco = pkg?.scos.find((s) => s.identifier === lesson.scorm!.sco);
  if (!pkg || !sco) throw new AppError('lesson_not_found', 404);
  return { draft, lesson, launch: createLaunch(db, { packageSha256: pkg.sha256, href: sco.href, userId: user.id, lessonId: null, parentOrigin }, now) };
}

/** Whether this person may launch a draft's package (its author, reviewers, administrators): the draft, else not found. */
export function draftForLaunch(db: DB, id: number, lessonSlug: string, user: Actor): { draft: Draft; lesson: DraftLesson } {
  const d = db.select().from(courseDrafts).where(eq(courseDrafts.id, id)).get();
  if (!d || !mayRead(d, user)) throw new AppError('draft_not_found', 404);
  const { lesson } = findLesson(d.content.manifest, lessonSlug);
  if (!lesson.scorm) throw new AppError('lesson_not_found', 404);
  return { draft: d, lesson };
}

// ---------------------------------------------------------------------------------------------
// The module and lesson tree (the same operations for the no-JS forms and the API)
// ---------------------------------------------------------------------------------------------

export const TREE_OPS = ['add_module', 'remove_module', 'module_up', 'module_down', 'add_lesson', 'remove_lesson', 'lesson_up', 'lesson_down'] as const;
export type TreeOp = (typeof TREE_OPS)[number];

/** A lesson slug not yet used in the manifest: lesson-1, lesson-2, … */
export function freeLessonSlug(m: DraftManifest): string {
  const used = new Set(m.modules.flatMap((x) => x.lessons.map((l) => l.slug)));
  let n = used.size + 1;
  while (used.has(`lesson-${n}`)) n++;
  return `lesson-${n}`;
}

/**
 * Applies one tree operation to a manifest (a copy is returned). Moving a lesson up from the top of a
 * module puts it at the end of the previous module; down from the bottom, at the start of the next.
 */
export function applyTreeOp(manifest: DraftManifest, op: TreeOp, moduleIndex = 0, lessonIndex = 0): DraftManifest {
  const m: DraftManifest = structuredClone(manifest);
  const mods = m.modules;
  const mod = mods[moduleIndex];
  const needModule = () => {
    if (!mod) throw new AppError('invalid_input', 400, 'module');
    return mod;
  };
  const needLesson = () => {
    const x = needModule();
    if (!x.lessons[lessonIndex]) throw new AppError('invalid_input', 400, 'lesson');
    return x;
  };
  const swap = <T>(a: T[], i: number, j: number) => ([a[i], a[j]] = [a[j]!, a[i]!]);
  switch (op) {
    case 'add_module':
      mods.push({ title: {}, lessons: [{ slug: freeLessonSlug(m), title: {}, minutes: 15, kind: 'theory', doc: {} }] });
      break;
    case 'remove_module':
      needModule();
      mods.splice(moduleIndex, 1);
      break;
    case 'module_up':
      needModule();
      if (moduleIndex > 0) swap(mods, moduleIndex, moduleIndex - 1);
      break;
    case 'module_down':
      needModule();
      if (moduleIndex < mods.length - 1) swap(mods, moduleIndex, moduleIndex + 1);
      break;
    case 'add_lesson':
      needModule().lessons.push({ slug: freeLessonSlug(m), title: {}, minutes: 15, kind: 'theory', doc: {} });
      break;
    case 'remove_lesson':
      needLesson().lessons.splice(lessonIndex, 1);
      break;
    case 'lesson_up': {
      const x = needLesson();
      if (lessonIndex > 0) swap(x.lessons, lessonIndex, lessonIndex - 1);
      else if (moduleIndex > 0) mods[moduleIndex - 1]!.lessons.push(x.lessons.shift()!);
      break;
    }
    case 'lesson_down': {
      const x = needLesson();
      if (lessonIndex < x.lessons.length - 1) swap(x.lessons, lessonIndex, lessonIndex + 1);
      else if (moduleIndex < mods.length - 1) mods[moduleIndex + 1]!.lessons.unshift(x.lessons.pop()!);
      break;
    }
  }
  return m;
}

/** Where a lesson is in the manifest, by slug. */
export function findLesson(manifest: DraftManifest, lessonSlug: string): { moduleIndex: number; lessonIndex: number; lesson: DraftLesson } {
  for (const [moduleIndex, m] of manifest.modules.entries()) {
    const lessonIndex = m.lessons.findIndex((l) => l.slug === lessonSlug);
    if (lessonIndex >= 0) return { moduleIndex, lessonIndex, lesson: m.lessons[lessonIndex]! };
  }
  throw new AppError('lesson_not_found', 404);
}

/**
 * Saves one lesson's fields (texts, title, minutes, kind, media). The revision check is the lesson's
 * own (part `lesson:<slug>`): saves of other lessons or of the course settings in between do not
 * make it stale, a save of the same lesson does.
 */
export function saveLesson(db: DB, id: number, revision: number, lessonSlug: string, changes: Partial<Omit<DraftLesson, 'slug'>>, user: Actor, now = new Date()): Draft {
  let prefix = '';
  try {
    return saveDraft(
      db,
      id,
      revision,
      (content) => {
        const manifest = content.manifest;
        const { moduleIndex, lessonIndex, lesson } = findLesson(manifest, lessonSlug);
        prefix = `manifest.modules.${moduleIndex}.lessons.${lessonIndex}.`;
        const next: DraftLesson = { ...lesson, ...changes, slug: lesson.slug };
        for (const key of Object.keys(next) as (keyof DraftLesson)[]) if (next[key] === undefined) delete next[key];
        manifest.modules[moduleIndex]!.lessons[lessonIndex] = next;
        return { manifest };
      },
      user,
      now,
      `lesson:${lessonSlug}`,
    );
  } catch (e) {
    // Name the field relative to the lesson, as the lesson form and editor know it.
    if (e instanceof AppError && e.code === 'invalid_input' && prefix && e.field?.startsWith(prefix)) throw new AppError('invalid_input', 400, e.field.slice(prefix.length));
    throw e;
  }
}

/** The draft lesson rendered exactly as learners get lessons (the same server renderer). */
/** A draft lesson as learners will see it: for whoever may read the draft (its author, administrators, reviewers). */
export function previewLesson(db: DB, id: number, lessonSlug: string, user: Actor) {
  const d = getDraft(db, id);
  if (!mayRead(d, user)) throw new AppError('draft_not_found', 404);
  const { lesson, moduleIndex } = findLesson(d.content.manifest, lessonSlug);
  return {
    draft: d,
    lesson,
    moduleIndex,
    html: { ky: docHasText(lesson.doc.ky) ? renderTiptap(lesson.doc.ky) : null, ru: docHasText(lesson.doc.ru) ? renderTiptap(lesson.doc.ru) : null },
  };
}

/** Whether the draft would publish now: null, or the field at fault. */
export function draftProblem(db: DB, d: Draft): string | null {
  try {
    loadedCourseFromDraft(db, d);
    return null;
  } catch (e) {
    if (e instanceof AppError) return e.field ?? e.code;
    throw e;
  }
}
