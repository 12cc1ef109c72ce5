/**
 * Media uploaded while authoring: the type is read from the file's bytes (never its name or the type
 * the browser claims), each kind has a size limit, and the file goes into the content-addressed media
 * store (catalog/media.ts) with its row in `media`, so a draft names it by SHA-256.
 */
import type { DB } from '@db/client';
import { and, eq } from 'drizzle-orm';
import { courseDrafts, draftMedia, media } from '@db/schema';
import { AppError } from '@server/lib/errors';
import { mp4Seconds, sha256, storeMedia } from '../catalog/media';

export const MEDIA_KINDS = ['image', 'pdf', 'video', 'captions'] as const;
export type MediaKind = (typeof MEDIA_KINDS)[number];

export const MEDIA_LIMITS: Record<MediaKind, number> = {
  image: 5 * 1024 * 1024,
  pdf: 20 * 1024 * 1024,
  video: 200 * 1024 * 1024,
  captions: 512 * 1024,
};
export const MEDIA_MAX_BYTES = Math.max(...Object.values(MEDIA_LIMITS));

const starts = (b: Buffer, bytes: number[], at = 0) => b.length >= at + bytes.length && bytes.every((x, i) => b[at + i] === x);

/** The content type of a file from its bytes, for the kinds authors may upload; null for anything else. */
export function sniffMedia(data: Buffer): { kind: MediaKind; contentType: string } | null {
  if (starts(data, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { kind: 'image', contentType: 'image/png' };
  if (starts(data, [0xff, 0xd8, 0xff])) return { kind: 'image', contentType: 'image/jpeg' };
  if (data.toString('latin1', 0, 4) === 'RIFF' && data.toString('latin1', 8, 12) === 'WEBP') return { kind: 'image', contentType: 'image/webp' };
  if (data.toString('latin1', 0, 5) === '%PDF-') return { kind: 'pdf', contentType: 'application/pdf' };
  if (data.toString('latin1', 4, 8) === 'ftyp' && mp4Seconds(data) !== null) return { kind: 'video', contentType: 'video/mp4' };
  if (/^(\uFEFF)?WEBVTT(?:[ \t\r\n]|$)/.test(data.toString('utf8', 0, 16))) {
    // Captions are text: refuse anything that is not valid UTF-8.
    if (Buffer.from(data.toString('utf8'), 'utf8').equals(data)) return { kind: 'captions', contentType: 'text/vtt; charset=utf-8' };
  }
  return null;
}

export type StoredMedia = { sha256: string; contentType: string; bytes: number; kind: MediaKind; seconds: number | null };

/**
 * Checks and stores an uploaded file that must be of `expected` kind, for this draft: until a
 * published course uses it, only the draft's author, reviewers and administrators can fetch it.
 */
export function storeUpload(db: DB, draftId: number, data: Buffer, expected: MediaKind, now = new Date()): StoredMedia {
  if (data.length === 0) throw new AppError('file_empty', 400, 'file');
  if (data.length > MEDIA_LIMITS[expected]) throw new AppError('file_too_large', 413, 'file');
  const found = sniffMedia(data);
  if (!found || found.kind !== expected) throw new AppError('file_type_not_allowed', 415, 'file');
  const hash = sha256(data);
  storeMedia(hash, data);
  db.transaction((tx) => {
    tx.insert(media).values({ sha256: hash, contentType: found.contentType, bytes: data.length, createdAt: now }).onConflictDoNothing().run();
    tx.insert(draftMedia).values({ draftId, sha256: hash }).onConflictDoNothing().run();
  });
  return { sha256: hash, contentType: found.contentType, bytes: data.length, kind: found.kind, seconds: found.kind === 'video' ? mp4Seconds(data) : null };
}

/**
 * Whether this user may fetch a media file. A file some published course uses: anyone signed in.
 * A file only drafts use (uploaded, not yet published): administrators, reviewers, and the author of
 * a draft that uses it. Anyone else is told it does not exist.
 */
export function mayReadMedia(db: DB, user: { id: number; roles: readonly string[] }, row: { sha256: string; publishedAt: Date | null }): boolean {
  if (row.publishedAt !== null || user.roles.includes('admin') || user.roles.includes('reviewer')) return true;
  return !!db
    .select({ id: courseDrafts.id })
    .from(draftMedia)
    .innerJoin(courseDrafts, eq(courseDrafts.id, draftMedia.draftId))
    .where(and(eq(draftMedia.sha256, row.sha256), eq(courseDrafts.createdBy, user.id)))
    .get();
}
