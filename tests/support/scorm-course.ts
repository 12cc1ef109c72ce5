/**
 * A published course made of an uploaded SCORM package, through the same services the pages call:
 * the trainer uploads (API), fills in what publishing asks for, and the draft is published.
 */
import { and, eq } from 'drizzle-orm';
import { courseModules, courses, lessons, users } from '@db/schema';
import type { DB } from '@db/client';
import { getDraft, publishDraft, saveDraft, setScormFinalTest } from '@server/modules/authoring/service';
import { scormZip, type PackageSpec } from './scorm';

type Call = (path: string, init?: RequestInit & { json?: unknown; cookie?: string }) => Response | Promise<Response>;

export async function publishScormCourse(
  db: DB,
  call: Call,
  trainerCookie: string,
  slug: string,
  spec: PackageSpec,
  opts: { finalTestSco?: string; completion?: { lessonsPercent?: number; finalTest?: boolean } } = {},
): Promise<{ courseId: number; lessonIds: Record<string, number>; draftId: number }> {
  const created = await call('/api/author/drafts', { method: 'POST', cookie: trainerCookie, json: { slug, titleKy: `Курс ${slug}` } });
  if (created.status !== 201) throw new Error(`draft: ${created.status} ${await created.text()}`);
  const draft = await created.json();
  const zipped = scormZip(spec);
  const up = await call(`/api/author/drafts/${draft.id}/scorm?revision=${draft.revision}&lang=ky`, { method: 'POST', cookie: trainerCookie, body: new Uint8Array(zipped) as unknown as BodyInit, headers: { 'content-type': 'application/zip' } });
  if (up.status !== 201) throw new Error(`upload: ${up.status} ${await up.text()}`);
  const trainer = db.select().from(users).where(eq(users.email, 'trainer@demo.kg')).get()!;
  const actor = { id: trainer.id, roles: ['trainer' as const] };
  let d = getDraft(db, draft.id);
  if (opts.finalTestSco) {
    const lesson = d.content.manifest.modules.flatMap((m) => m.lessons).find((l) => l.scorm?.sco === opts.finalTestSco)!;
    d = setScormFinalTest(db, d.id, d.revision, lesson.slug, true, actor);
  }
  d = saveDraft(
    db,
    d.id,
    d.revision,
    (content) => ({
      manifest: {
        ...content.manifest,
        summary: { ky: 'SCORM пакетинен курс' },
        objectives: { ky: ['Пакетти өтүү'] },
        ...(opts.completion ? { completion: { ...opts.completion } } : {}),
      },
    }),
    actor,
  );
  publishDraft(db, d.id);
  const course = db.select().from(courses).where(eq(courses.slug, slug)).get()!;
  const rows = db
    .select({ id: lessons.id, scorm: lessons.scorm })
    .from(lessons)
    .innerJoin(courseModules, eq(courseModules.id, lessons.moduleId))
    .where(and(eq(courseModules.versionId, course.currentVersionId!)))
    .all();
  return { courseId: course.id, draftId: d.id, lessonIds: Object.fromEntries(rows.map((r) => [r.scorm!.sco, r.id])) };
}
