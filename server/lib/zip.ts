/**
 * Bounds a zip archive (XLSX today, course and SCORM packages later) before anything inflates it.
 * A 256 KB zip can inflate to gigabytes; a library given it (exceljs, JSZip) inflates it whole, in
 * memory, on the one thread that serves everyone.
 *
 * checkZip reads the central directory (the archive's own table of contents at its end) and refuses
 * too many entries or too many declared bytes without inflating a byte. A central directory can lie
 * about sizes, so it then inflates each entry with zlib's maxOutputLength set to what the entry
 * declared: an entry that grows past its declared size is refused the moment it does, so the work
 * done is bounded by the limits whatever the file says. Refusals are AppError(code, 400, field):
 * `zip_unreadable` (not a zip we read: damaged, encrypted, split, ZIP64, an unknown method) and
 * `zip_too_large` (over a limit).
 */
import { closeSync, createReadStream, createWriteStream, fstatSync, mkdirSync, openSync, readSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createInflateRaw, inflateRawSync } from 'node:zlib';
import { AppError } from './errors';

export type ZipLimits = {
  /** entries in the archive, folders included */
  maxEntries: number;
  /** inflated bytes of all entries together */
  maxTotalBytes: number;
};

export type ZipEntry = { name: string; method: number; compressedSize: number; size: number; localHeaderOffset: number };

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/** The entries of the central directory, refusing an archive over the limits; inflates nothing. */
export function zipEntries(bytes: Uint8Array, limits: ZipLimits, field = 'file'): ZipEntry[] {
  const unreadable = (): never => {
    throw new AppError('zip_unreadable', 400, field);
  };
  const tooLarge = (): never => {
    throw new AppError('zip_too_large', 400, field);
  };
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The end record is the last 22 bytes plus a comment of up to 65,535.
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 65_535); i--) {
    if (buf.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) unreadable();
  const disk = buf.readUInt16LE(eocd + 4);
  const count = buf.readUInt16LE(eocd + 10);
  const cdSize = buf.readUInt32LE(eocd + 12);
  const cdOffset = buf.readUInt32LE(eocd + 16);
  if (disk !== 0 || count === 0xffff || cdOffset === 0xffffffff) unreadable(); // split or ZIP64: never an upload of ours
  if (count > limits.maxEntries) tooLarge();
  if (cdOffset + cdSize > eocd) unreadable();
  const entries: ZipEntry[] = [];
  let total = 0;
  let at = cdOffset;
  for (let n = 0; n < count; n++) {
    if (at + 46 > eocd || buf.readUInt32LE(at) !== CENTRAL) unreadable();
    const flags = buf.readUInt16LE(at + 8);
    const method = buf.readUInt16LE(at + 10);
    const compressedSize = buf.readUInt32LE(at + 20);
    const size = buf.readUInt32LE(at + 24);
    const nameLength = buf.readUInt16LE(at + 28);
    const extraLength = buf.readUInt16LE(at + 30);
    const commentLength = buf.readUInt16LE(at + 32);
    const localHeaderOffset = buf.readUInt32LE(at + 42);
    if (flags & 0x1) unreadable(); // encrypted
    if (size === 0xffffffff || compressedSize === 0xffffffff || localHeaderOffset === 0xffffffff) tooLarge(); // ZIP64 sizes
    if (method !== 0 && method !== 8) unreadable();
    total += size;
    if (total > limits.maxTotalBytes) tooLarge();
    const name = buf.toString('utf8', at + 46, at + 46 + nameLength);
    entries.push({ name, method, compressedSize, size, localHeaderOffset });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/**
 * Refuses an archive over the limits before anything inflates it, then proves each entry inflates to
 * no more than it declared (bounded work, however the directory lies). Throws AppError; returns the
 * entries when the archive is within bounds.
 */
export function checkZip(bytes: Uint8Array, limits: ZipLimits, field = 'file'): ZipEntry[] {
  const entries = zipEntries(bytes, limits, field);
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (const e of entries) {
    const at = e.localHeaderOffset;
    if (at + 30 > buf.length || buf.readUInt32LE(at) !== LOCAL) throw new AppError('zip_unreadable', 400, field);
    const start = at + 30 + buf.readUInt16LE(at + 26) + buf.readUInt16LE(at + 28);
    if (start + e.compressedSize > buf.length) throw new AppError('zip_unreadable', 400, field);
    const data = buf.subarray(start, start + e.compressedSize);
    if (e.method === 0) {
      if (e.compressedSize !== e.size) throw new AppError('zip_unreadable', 400, field);
      continue;
    }
    let inflated: Buffer;
    try {
      // One byte more than declared: reaching it means the entry lied about its size.
      inflated = inflateRawSync(data, { maxOutputLength: e.size + 1 });
    } catch (err) {
      const code = (err as { code?: string }).code;
      throw new AppError(code === 'ERR_BUFFER_TOO_LARGE' ? 'zip_too_large' : 'zip_unreadable', 400, field);
    }
    if (inflated.length !== e.size) throw new AppError(inflated.length > e.size ? 'zip_too_large' : 'zip_unreadable', 400, field);
  }
  return entries;
}

/**
 * The bytes of one entry of an archive that checkZip has passed (its sizes are then proven), e.g. a
 * small XML part read beside a library that reads the rest.
 */
export function readZipEntry(bytes: Uint8Array, e: ZipEntry, field = 'file'): Buffer {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = e.localHeaderOffset;
  if (at + 30 > buf.length || buf.readUInt32LE(at) !== LOCAL) throw new AppError('zip_unreadable', 400, field);
  const start = at + 30 + buf.readUInt16LE(at + 26) + buf.readUInt16LE(at + 28);
  const data = buf.subarray(start, start + e.compressedSize);
  if (e.method === 0) return Buffer.from(data);
  try {
    return inflateRawSync(data, { maxOutputLength: e.size + 1 });
  } catch {
    throw new AppError('zip_unreadable', 400, field);
  }
}

// ---------------------------------------------------------------------------------------------
// Archives on disk (SCORM packages up to hundreds of megabytes): the same checks, never the whole
// file in memory — the central directory is read from the end of the file, each entry is inflated
// as a stream, bounded by what it declared.
// ---------------------------------------------------------------------------------------------

/** The central directory may be at most this big (about 100,000 entries with long names). */
const MAX_CENTRAL_DIRECTORY = 16 * 1024 * 1024;

/** The entries of a zip file on disk, refusing one over the limits; reads only its end. */
export function zipFileEntries(path: string, limits: ZipLimits, field = 'file'): ZipEntry[] {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const tailLength = Math.min(size, 22 + 65_535);
    const tail = Buffer.alloc(tailLength);
    readSync(fd, tail, 0, tailLength, size - tailLength);
    let eocd = -1;
    for (let i = tail.length - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === EOCD) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) throw new AppError('zip_unreadable', 400, field);
    const cdSize = tail.readUInt32LE(eocd + 12);
    const cdOffset = tail.readUInt32LE(eocd + 16);
    if (cdSize > MAX_CENTRAL_DIRECTORY) throw new AppError('zip_too_large', 400, field);
    if (cdOffset + cdSize > size - tailLength + eocd) throw new AppError('zip_unreadable', 400, field);
    // The directory and the end record, as one small buffer whose offsets start at the directory.
    const dir = Buffer.alloc(cdSize + 22);
    readSync(fd, dir, 0, cdSize, cdOffset);
    tail.copy(dir, cdSize, eocd, eocd + 22);
    dir.writeUInt32LE(0, cdSize + 16); // the directory now starts at 0
    return zipEntries(dir, limits, field);
  } finally {
    closeSync(fd);
  }
}

/**
 * A safe relative path for an entry's name, or null for a name that would land outside the folder
 * it is unpacked into (`..`, an absolute path, a drive letter, a backslash, a NUL).
 */
export function safeEntryPath(name: string): string | null {
  if (!name || name.includes('\0') || name.includes('\\') || name.startsWith('/') || /^[A-Za-z]:/.test(name)) return null;
  const parts = name.split('/');
  if (parts.some((p) => p === '..' || p === '.')) return null;
  return name;
}

/**
 * Unpacks the entries of a zip file on disk into `dest` (which must not exist yet), inflating each as
 * a stream that stops the moment it outgrows its declared size. Refuses unsafe paths
 * (`zip_unsafe_path`, field = the entry's name) before writing anything. Returns the bytes written.
 */
export async function unpackZipFile(path: string, entries: ZipEntry[], dest: string, field = 'file'): Promise<number> {
  for (const e of entries) if (safeEntryPath(e.name) === null) throw new AppError('zip_unsafe_path', 400, e.name.slice(0, 200));
  mkdirSync(dest, { recursive: true });
  const fd = openSync(path, 'r');
  let written = 0;
  try {
    for (const e of entries) {
      const target = join(dest, e.name);
      if (e.name.endsWith('/')) {
        mkdirSync(target, { recursive: true });
        continue;
      }
      const header = Buffer.alloc(30);
      if (readSync(fd, header, 0, 30, e.localHeaderOffset) !== 30 || header.readUInt32LE(0) !== LOCAL) throw new AppError('zip_unreadable', 400, field);
      const start = e.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
      mkdirSync(dirname(target), { recursive: true });
      // Its own descriptor: a stream stopped half-way closes only what it opened.
      const source = () => createReadStream(path, { start, end: start + e.compressedSize - 1 });
      let count = 0;
      const bound = new Transform({
        transform(chunk: Buffer, _enc, done) {
          count += chunk.length;
          if (count > e.size) return done(new AppError('zip_too_large', 400, field));
          done(null, chunk);
        },
      });
      try {
        if (e.compressedSize === 0) {
          if (e.size !== 0) throw new AppError('zip_unreadable', 400, field);
          writeFileSync(target, '');
          continue;
        }
        if (e.method === 0 && e.compressedSize !== e.size) throw new AppError('zip_unreadable', 400, field);
        if (e.method === 8) await pipeline(source(), createInflateRaw(), bound, createWriteStream(target, { mode: 0o644 }));
        else await pipeline(source(), bound, createWriteStream(target, { mode: 0o644 }));
      } catch (err) {
        if (err instanceof AppError) throw err;
        throw new AppError('zip_unreadable', 400, field);
      }
      if (count !== e.size) throw new AppError('zip_unreadable', 400, field);
      written += count;
    }
  } finally {
    closeSync(fd);
  }
  return written;
}
