/**
 * Serves the build's precompressed static files (<file>.br / <file>.gz, written by
 * scripts/precompress.mjs at build time) to browsers that accept them; anything else falls through
 * to Astro's own static handler. The files are indexed once at start-up: the build never changes
 * while the server runs.
 */
import { createReadStream, readdirSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.vtt': 'text/vtt; charset=utf-8',
};

type Entry = { file: string; type: string; br?: number; gzip?: number };

/** Which encoding to send: brotli before gzip, each only when the browser accepts it (q > 0). */
export function chooseEncoding(acceptEncoding: string | undefined, has: { br?: unknown; gzip?: unknown }): 'br' | 'gzip' | null {
  if (!acceptEncoding) return null;
  const accepted = new Map<string, number>();
  for (const part of acceptEncoding.toLowerCase().split(',')) {
    const [name, ...params] = part.trim().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    accepted.set(name!.trim(), q ? Number(q.slice(2)) || 0 : 1);
  }
  const ok = (name: string) => (accepted.get(name) ?? accepted.get('*') ?? 0) > 0;
  if (has.br && ok('br')) return 'br';
  if (has.gzip && ok('gzip')) return 'gzip';
  return null;
}

export function precompressedStatic(clientDir: string, assetsPrefix = '/_astro/'): (req: IncomingMessage, res: ServerResponse) => boolean {
  const index = new Map<string, Entry>();
  let names: string[] = [];
  try {
    names = readdirSync(clientDir, { recursive: true }).map(String);
  } catch {
    // no client build (a test server): nothing precompressed
  }
  const present = new Set(names);
  for (const name of names) {
    const type = TYPES[extname(name)];
    if (!type) continue;
    const br = present.has(`${name}.br`) ? statSync(join(clientDir, `${name}.br`)).size : undefined;
    const gzip = present.has(`${name}.gz`) ? statSync(join(clientDir, `${name}.gz`)).size : undefined;
    if (br === undefined && gzip === undefined) continue;
    index.set('/' + name.split(sep).join('/'), { file: join(clientDir, name), type, br, gzip });
  }

  return (req, res) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !req.url) return false;
    const path = req.url.split('?')[0]!;
    const entry = index.get(path);
    if (!entry) return false;
    const encoding = chooseEncoding(req.headers['accept-encoding'], entry);
    if (!encoding) return false;
    res.writeHead(200, {
      'content-type': entry.type,
      'content-encoding': encoding,
      'content-length': String(encoding === 'br' ? entry.br : entry.gzip),
      vary: 'Accept-Encoding',
      // file names under /_astro/ carry a hash of their content
      'cache-control': path.startsWith(assetsPrefix) ? 'public, max-age=31536000, immutable' : 'public, max-age=3600',
    });
    if (req.method === 'HEAD') res.end();
    else createReadStream(`${entry.file}${encoding === 'br' ? '.br' : '.gz'}`).pipe(res);
    return true;
  };
}
