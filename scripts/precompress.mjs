/**
 * Precompresses the built site's static text files (dist/client: scripts, stylesheets, SVG, JSON…)
 * with brotli (quality 11) and gzip (level 9), beside each file as <file>.br and <file>.gz, so the
 * server sends them compressed without compressing on every request (server/lib/precompressed.ts).
 * Run by the build (astro.config.mjs, astro:build:done); a compressed copy is kept only when smaller.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

export const PRECOMPRESSED_EXTENSIONS = ['.js', '.mjs', '.css', '.svg', '.json', '.webmanifest', '.html', '.txt', '.xml', '.vtt'];
const MIN_BYTES = 1024;

/** @param {string} dir the client build directory; returns how many files were compressed */
export function precompress(dir) {
  let count = 0;
  for (const name of readdirSync(dir, { recursive: true })) {
    const file = join(dir, String(name));
    if (!PRECOMPRESSED_EXTENSIONS.some((e) => file.endsWith(e)) || !statSync(file).isFile()) continue;
    const raw = readFileSync(file);
    if (raw.length < MIN_BYTES) continue;
    const br = brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length } });
    const gz = gzipSync(raw, { level: 9 });
    if (br.length < raw.length) writeFileSync(`${file}.br`, br);
    if (gz.length < raw.length) writeFileSync(`${file}.gz`, gz);
    count++;
  }
  return count;
}
