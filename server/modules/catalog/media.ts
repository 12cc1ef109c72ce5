/**
 * Media of course packages (videos, WebVTT captions, images, PDF attachments), stored once by
 * SHA-256 in a folder beside the database: content-addressed, so every course version keeps its
 * files and writing one twice is harmless (a rejected import leaves at most an unused file).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, extname, join, resolve } from 'node:path';

export const MEDIA_TYPES: Record<string, string> = {
  '.mp4': 'video/mp4',
  '.vtt': 'text/vtt; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.pdf': 'application/pdf',
};

export function contentTypeOf(file: string): string | undefined {
  return MEDIA_TYPES[extname(file).toLowerCase()];
}

/** MEDIA_DIR, or `media/` beside the database file (a temporary folder for an in-memory database). */
export function mediaDir(): string {
  if (process.env.MEDIA_DIR) return resolve(process.env.MEDIA_DIR);
  const url = (process.env.DATABASE_URL || 'data/bilim.sqlite').replace(/^file:/, '');
  if (url === ':memory:') return join(tmpdir(), 'bilim-media');
  return join(dirname(resolve(url)), 'media');
}

export function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export function mediaPath(hash: string): string {
  return join(mediaDir(), hash.slice(0, 2), hash);
}

/** Writes a file into the store (atomically: temp file, then rename) unless it is already there. */
export function storeMedia(hash: string, data: Buffer): void {
  const path = mediaPath(hash);
  if (existsSync(path) && statSync(path).size === data.length) return;
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

/** The duration of an MP4 in seconds from its movie header (mvhd), or null when it is not an MP4. */
export function mp4Seconds(data: Buffer): number | null {
  const findBox = (start: number, end: number, type: string): [number, number] | null => {
    let p = start;
    while (p + 8 <= end) {
      let size = data.readUInt32BE(p);
      const t = data.toString('latin1', p + 4, p + 8);
      let header = 8;
      if (size === 1) {
        if (p + 16 > end) return null;
        size = Number(data.readBigUInt64BE(p + 8));
        header = 16;
      } else if (size === 0) size = end - p;
      if (size < header || p + size > end) return null;
      if (t === type) return [p + header, p + size];
      p += size;
    }
    return null;
  };
  const moov = findBox(0, data.length, 'moov');
  if (!moov) return null;
  const mvhd = findBox(moov[0], moov[1], 'mvhd');
  if (!mvhd) return null;
  const [s] = mvhd;
  const version = data[s];
  const timescale = version === 1 ? data.readUInt32BE(s + 20) : data.readUInt32BE(s + 12);
  const duration = version === 1 ? Number(data.readBigUInt64BE(s + 24)) : data.readUInt32BE(s + 16);
  if (!timescale) return null;
  return duration / timescale;
}
