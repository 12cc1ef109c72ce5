import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { AppError } from './errors';

/** Scans of documents: PDF or a photo, at most 5 MB. */
export const SCAN_MAX_BYTES = 5 * 1024 * 1024;

const SIGNATURES: { type: string; ext: string; magic: number[] }[] = [
  { type: 'application/pdf', ext: 'pdf', magic: [0x25, 0x50, 0x44, 0x46, 0x2d] },
  { type: 'image/jpeg', ext: 'jpg', magic: [0xff, 0xd8, 0xff] },
  { type: 'image/png', ext: 'png', magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
];

function uploadsDir(): string {
  return resolve(process.env.UPLOADS_DIR || 'data/uploads');
}

/**
 * Stores an uploaded scan after checking its real type from its first bytes (never the name or the
 * type the browser claims). Written to a temporary name, flushed to disk, then renamed, so a stored
 * file is always whole.
 */
export function saveScan(bytes: Uint8Array): { file: string; type: string } {
  if (bytes.length === 0) throw new AppError('file_empty', 400, 'scan');
  if (bytes.length > SCAN_MAX_BYTES) throw new AppError('file_too_large', 413, 'scan');
  const kind = SIGNATURES.find((s) => s.magic.every((b, i) => bytes[i] === b));
  if (!kind) throw new AppError('file_type_not_allowed', 415, 'scan');
  const dir = uploadsDir();
  mkdirSync(dir, { recursive: true });
  const file = `${randomBytes(16).toString('hex')}.${kind.ext}`;
  const tmp = join(dir, `.${file}.tmp`);
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, bytes);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, join(dir, file));
  return { file, type: kind.type };
}

export function readScan(file: string): Buffer {
  // Names are ours (hex + extension); anything else is refused before touching the disk.
  if (!/^[0-9a-f]{32}\.(pdf|jpg|png)$/.test(file)) throw new AppError('not_found', 404);
  return readFileSync(join(uploadsDir(), file));
}

/** Removes a scan saved for a request that was then refused, so no orphan file is left behind. */
export function removeScan(file: string): void {
  if (!/^[0-9a-f]{32}\.(pdf|jpg|png)$/.test(file)) return;
  rmSync(join(uploadsDir(), file), { force: true });
}
