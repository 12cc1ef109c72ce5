/**
 * Uploading a SCORM package: the zip is streamed to disk (never held in memory, up to
 * SCORM_MAX_BYTES), hashed as it arrives, bounded by its central directory (entries, unpacked bytes,
 * paths) before a byte is inflated, unpacked as a stream into `<media>/scorm/<sha256>/`, and its
 * manifest read. The same zip uploaded twice is stored once.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { eq } from 'drizzle-orm';
import type { DB } from '@db/client';
import { scormPackages } from '@db/schema';
import { AppError } from '@server/lib/errors';
import { safeEntryPath, unpackZipFile, zipFileEntries } from '@server/lib/zip';
import { mediaDir } from '../catalog/media';
import { MANIFEST, MANIFEST_MAX_BYTES, parseManifest, type ScormSequencing } from './manifest';

export type ScormPackage = typeof scormPackages.$inferSelect;

/** The largest package accepted (the zip as uploaded). */
export const SCORM_MAX_BYTES = 200 * 1024 * 1024;
/** Bounds of what a package may unpack to. */
export const SCORM_LIMITS = { maxEntries: 20_000, maxTotalBytes: 1024 * 1024 * 1024 };

/** SCORM_DIR, or `scorm/` in the media folder. */
export function scormDir(): string {
  return process.env.SCORM_DIR ? resolve(process.env.SCORM_DIR) : join(mediaDir(), 'scorm');
}

/** The folder a package is unpacked in. */
export function packageDir(sha256: string): string {
  if (!/^[a-f0-9]{64}$/.test(sha256)) throw new AppError('not_found', 404);
  return join(scormDir(), sha256);
}

/**
 * The file of a package a request names, or null when there is none (or the path would leave the
 * package's folder).
 */
export function packageFile(sha256: string, rel: string): string | null {
  const root = packageDir(sha256);
  const full = resolve(root, rel);
  if (!full.startsWith(root + sep)) return null;
  try {
    return statSync(full).isFile() ? full : null;
  } catch {
    return null;
  }
}

/** Writes a request body to a file, counting and hashing it; refuses more than `max` bytes. */
async function receive(body: ReadableStream<Uint8Array> | null, file: string, max: number): Promise<{ bytes: number; sha256: string }> {
  if (!body) throw new AppError('file_empty', 400, 'file');
  const hash = createHash('sha256');
  const out = createWriteStream(file, { mode: 0o600 });
  let bytes = 0;
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      if (bytes > max) {
        await reader.cancel().catch(() => undefined);
        throw new AppError('file_too_large', 413, 'file');
      }
      hash.update(value);
      if (!out.write(value)) await new Promise<void>((r) => out.once('drain', () => r()));
    }
  } finally {
    await new Promise<void>((r) => out.end(() => r()));
  }
  if (bytes === 0) throw new AppError('file_empty', 400, 'file');
  return { bytes, sha256: hash.digest('hex') };
}

/**
 * Stores an uploaded package (the request body, a zip) and returns its row. Refusals: `file_empty`,
 * `file_too_large` (413), `zip_unreadable`, `zip_too_large`, `zip_unsafe_path`, and the manifest's
 * own (`scorm_*`, 422, field = the file or manifest element at fault).
 */
export async function storeScormPackage(db: DB, body: ReadableStream<Uint8Array> | null, userId: number, now = new Date()): Promise<ScormPackage> {
  const root = scormDir();
  const incoming = join(root, '.incoming');
  mkdirSync(incoming, { recursive: true });
  const id = randomBytes(12).toString('hex');
  const zipFile = join(incoming, `${id}.zip`);
  const unpacked = join(incoming, id);
  try {
    const { bytes, sha256 } = await receive(body, zipFile, SCORM_MAX_BYTES);
    const known = db.select().from(scormPackages).where(eq(scormPackages.sha256, sha256)).get();
    if (known && existsSync(join(packageDir(sha256), MANIFEST))) return known;
    const entries = zipFileEntries(zipFile, SCORM_LIMITS);
    // Paths first: a package that would write outside its folder is refused whatever else it holds.
    for (const e of entries) if (safeEntryPath(e.name) === null) throw new AppError('zip_unsafe_path', 400, e.name.slice(0, 200));
    const manifestEntry = entries.find((e) => e.name === MANIFEST);
    if (!manifestEntry) throw new AppError('scorm_manifest_missing', 422, MANIFEST);
    if (manifestEntry.size > MANIFEST_MAX_BYTES) throw new AppError('scorm_manifest_invalid', 422, MANIFEST);
    const unpackedBytes = await unpackZipFile(zipFile, entries, unpacked);
    const names = new Set(entries.filter((e) => !e.name.endsWith('/')).map((e) => e.name));
    const manifest = parseManifest(readFileSync(join(unpacked, MANIFEST), 'utf8'), (p) => names.has(p));
    // Content-addressed: the same bytes unpacked by another upload meanwhile are the same files.
    const target = packageDir(sha256);
    if (!existsSync(join(target, MANIFEST))) {
      rmSync(target, { recursive: true, force: true });
      renameSync(unpacked, target);
    }
    const row: ScormPackage = {
      sha256,
      version: manifest.version,
      title: manifest.title,
      scos: manifest.scos,
      bytes,
      unpackedBytes,
      files: names.size,
      createdBy: userId,
      createdAt: now,
    };
    db.insert(scormPackages).values(row).onConflictDoNothing().run();
    return db.select().from(scormPackages).where(eq(scormPackages.sha256, sha256)).get()!;
  } finally {
    rmSync(zipFile, { force: true });
    rmSync(unpacked, { recursive: true, force: true });
  }
}

/**
 * What a stored 2004 package's manifest asks of sequencing (manifest.ts ScormSequencing), for telling
 * its author what is not applied; null for SCORM 1.2 (which has none).
 */
export function scormSequencing(pkg: Pick<ScormPackage, 'sha256' | 'version'>): ScormSequencing | null {
  if (pkg.version !== '2004') return null;
  return parseManifest(readFileSync(join(packageDir(pkg.sha256), MANIFEST), 'utf8'), () => true).sequencing;
}

export function getScormPackage(db: DB, sha256: string): ScormPackage | undefined {
  return db.select().from(scormPackages).where(eq(scormPackages.sha256, sha256)).get();
}
