/**
 * Serving SCORM packages to the browser: `/scorm-content/…`, a small Hono app of its own, apart from
 * the API (server/entry.ts hands it the path; site/pages/scorm-content/ under `astro dev`).
 *
 * - `p/<token>/<file>`: a file of the launched package. HTML pages get two scripts at the top of
 *   their <head>: scorm-again (the SCORM runtime: `API` for 1.2, `API_1484_11` for 2004) and the
 *   launch's boot script, which loads the learner's committed data into the runtime and sends every
 *   commit to the platform page that frames the package, by postMessage to that page's origin only.
 * - `runtime/scorm12.js`, `runtime/scorm2004.js`: scorm-again's builds, from node_modules.
 * - `boot/<token>.js`: the boot script.
 *
 * No cookie is read and no session is looked at: the launch token in the path is the key. With
 * CONTENT_ORIGIN set, this is all the content host serves, and the platform's host does not serve it.
 * Every answer carries a Content-Security-Policy that lets the package connect only to its own
 * files, whatever host it is served from (docs/scorm.md, threat model).
 */
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { extname } from 'node:path';
import { Readable } from 'node:stream';
import { Hono } from 'hono';
import { getDb } from '@db/client';
import { hook } from '@server/lib/hooks';
import { getScormPackage, packageFile } from './package';
import { contentOrigin, isContentHost, launchByToken, type ScormLaunch } from './launch';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.vtt': 'text/vtt; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
  '.mp3': 'audio/mpeg',
  '.m4a': 'audio/mp4',
  '.ogg': 'audio/ogg',
  '.wav': 'audio/wav',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.pdf': 'application/pdf',
  '.swf': 'application/octet-stream',
};

/** scorm-again's browser builds, read once. */
const runtimes = new Map<string, string>();
function runtimeSource(version: '1.2' | '2004'): string {
  const key = version === '1.2' ? 'scorm-again/scorm12/min' : 'scorm-again/scorm2004/min';
  let src = runtimes.get(key);
  if (!src) {
    src = readFileSync(createRequire(import.meta.url).resolve(key), 'utf8');
    runtimes.set(key, src);
  }
  return src;
}

/**
 * The package may load and fetch only its own launch's files (and the runtime), run its own inline
 * scripts (authoring tools write them), and be framed only by the platform page that launched it.
 */
function contentPolicy(origin: string, launch: Pick<ScormLaunch, 'token' | 'parentOrigin'> | null): string {
  const own = `${origin}/scorm-content/`;
  const frameAncestors = launch ? launch.parentOrigin : "'none'";
  return [
    `default-src ${own} data: blob:`,
    `script-src ${own} 'unsafe-inline' 'unsafe-eval' blob:`,
    `style-src ${own} 'unsafe-inline' data:`,
    `img-src ${own} data: blob:`,
    `media-src ${own} data: blob:`,
    `font-src ${own} data:`,
    `connect-src ${launch ? `${origin}/scorm-content/p/${launch.token}/` : "'none'"}`,
    `form-action 'none'`,
    `base-uri ${own}`,
    `object-src 'none'`,
    `frame-ancestors ${frameAncestors} ${own}`,
  ].join('; ');
}

const notFound = () => new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } });

/** The origin this request reached us at (the content origin, or the platform's own host in sandbox mode). */
function requestOrigin(req: Request): string {
  const configured = contentOrigin();
  if (configured) return configured;
  const url = new URL(req.url);
  const host = req.headers.get('host') ?? url.host;
  const https = req.headers.get('x-forwarded-proto') === 'https' || url.protocol === 'https:';
  return `${https ? 'https' : 'http'}://${host}`;
}

/** Puts the runtime and the boot script at the top of an HTML page's <head> (or its start). */
export function injectRuntime(html: string, version: '1.2' | '2004', token: string): string {
  const tags = `<script src="/scorm-content/runtime/${version === '1.2' ? 'scorm12' : 'scorm2004'}.js"></script><script src="/scorm-content/boot/${token}.js"></script>`;
  const head = /<head(\s[^>]*)?>/i.exec(html);
  if (head) return html.slice(0, head.index + head[0].length) + tags + html.slice(head.index + head[0].length);
  const htmlTag = /<html(\s[^>]*)?>/i.exec(html);
  if (htmlTag) return html.slice(0, htmlTag.index + htmlTag[0].length) + `<head>${tags}</head>` + html.slice(htmlTag.index + htmlTag[0].length);
  const doctype = /^\s*<!doctype[^>]*>/i.exec(html);
  return doctype ? doctype[0] + tags + html.slice(doctype[0].length) : tags + html;
}

/**
 * The boot script of a launch: the runtime (scorm-again) configured to keep nothing itself and to
 * hand each commit to the platform page (postMessage to the launch's parent origin), loaded with the
 * learner's committed data so the package resumes where it was left.
 */
export function bootScript(launch: ScormLaunch, version: '1.2' | '2004', mastery: { masteryScore: number | null; scaledPassingScore: number | null }): string {
  const start = launch.lessonId !== null ? hook('scormStartState')(getDb(), launch.userId, launch.lessonId) : null;
  const boot = {
    version,
    parentOrigin: launch.parentOrigin,
    preview: launch.lessonId === null,
    seq: start?.seq ?? 0,
    // a preview starts afresh every time
    cmi: start?.cmi ?? (version === '1.2' ? { core: { entry: 'ab-initio' } } : { entry: 'ab-initio' }),
    learner: start?.learner ?? { id: String(launch.userId), name: '' },
    masteryScore: mastery.masteryScore,
    scaledPassingScore: mastery.scaledPassingScore,
  };
  // `<` escaped: the data cannot close the script or open a comment.
  const json = JSON.stringify(boot).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
  return `(function () {
  'use strict';
  var B = ${json};
  var is12 = B.version === '1.2';
  var Ctor = is12 ? window.Scorm12API : window.Scorm2004API;
  if (!Ctor) return;
  var seq = B.seq;
  var target = window.top;
  function post(message) {
    try { target.postMessage(message, B.parentOrigin); } catch (e) { /* the page that framed us is gone */ }
  }
  var http = {
    processHttpRequest: function (url, params, immediate, apiLog, processListeners, metadata) {
      seq = Math.max(seq + 1, Date.now());
      post({ bilim: 'scorm', type: 'commit', seq: seq, cmi: JSON.parse(JSON.stringify(params && params.cmi ? params.cmi : params)), terminate: !!(metadata && metadata.isTerminateCommit) });
      return { result: true, errorCode: 0 };
    },
    updateSettings: function () {}
  };
  var api = new Ctor({
    lmsCommitUrl: '/scorm-content/commit',
    httpService: http,
    // a package that sets values and never commits (the window closed) still has them saved within seconds
    autocommit: true,
    autocommitSeconds: 5,
    dataCommitFormat: 'json',
    sendFullCommit: true,
    logLevel: 5,
    mastery_override: false,
    alwaysSendTotalTime: true
  });
  try { api.loadFromJSON(B.cmi, ''); } catch (e) { /* data the runtime no longer takes: start afresh */ }
  try {
    if (is12) {
      api.cmi.core.student_id = B.learner.id;
      api.cmi.core.student_name = B.learner.name;
      api.cmi.core.lesson_mode = B.preview ? 'browse' : 'normal';
      api.cmi.core.credit = B.preview ? 'no-credit' : 'credit';
      if (B.masteryScore !== null) api.cmi.student_data.mastery_score = String(B.masteryScore);
    } else {
      api.cmi.learner_id = B.learner.id;
      api.cmi.learner_name = B.learner.name;
      api.cmi.mode = B.preview ? 'browse' : 'normal';
      api.cmi.credit = B.preview ? 'no-credit' : 'credit';
      if (B.scaledPassingScore !== null) api.cmi.scaled_passing_score = String(B.scaledPassingScore);
    }
  } catch (e) { /* read-only once set: nothing to do */ }
  if (is12) window.API = api; else window.API_1484_11 = api;
  post({ bilim: 'scorm', type: 'ready' });
})();
`;
}

/** The package-content app: mounted by server/entry.ts at /scorm-content/. */
export const contentApp = new Hono().basePath('/scorm-content');

contentApp.use('*', async (c, next) => {
  // With CONTENT_ORIGIN set, content is served only from it.
  if (contentOrigin() && !isContentHost(c.req.header('host'))) return notFound();
  await next();
  c.header('X-Content-Type-Options', 'nosniff');
  c.header('Referrer-Policy', 'no-referrer');
  if (!c.res.headers.has('Cache-Control')) c.header('Cache-Control', 'no-store');
});

contentApp.get('/runtime/:file', (c) => {
  const file = c.req.param('file');
  const version = file === 'scorm12.js' ? '1.2' : file === 'scorm2004.js' ? '2004' : null;
  if (!version) return notFound();
  return new Response(runtimeSource(version), {
    headers: { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'public, max-age=86400', 'Cross-Origin-Resource-Policy': 'cross-origin' },
  });
});

contentApp.get('/boot/:file', (c) => {
  const token = c.req.param('file').replace(/\.js$/, '');
  const launch = launchByToken(getDb(), token);
  const pkg = launch && getScormPackage(getDb(), launch.packageSha256);
  if (!launch || !pkg) return notFound();
  const sco = pkg.scos.find((s) => s.href === launch.href) ?? { masteryScore: null, scaledPassingScore: null };
  return new Response(bootScript(launch, pkg.version, sco), { headers: { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-store' } });
});

contentApp.get('/p/:token/*', (c) => {
  const token = c.req.param('token');
  const launch = launchByToken(getDb(), token);
  const pkg = launch && getScormPackage(getDb(), launch.packageSha256);
  if (!launch || !pkg) return notFound();
  const prefix = `/scorm-content/p/${token}/`;
  let rel: string;
  try {
    rel = decodeURIComponent(new URL(c.req.url).pathname.slice(prefix.length));
  } catch {
    return notFound();
  }
  const file = rel ? packageFile(pkg.sha256, rel) : null;
  if (!file) return notFound();
  const type = TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
  const headers: Record<string, string> = {
    'Content-Type': type,
    'Content-Security-Policy': contentPolicy(requestOrigin(c.req.raw), launch),
    // The package's own scripts may fetch its files from an opaque origin (sandbox mode): readable by anyone holding the token, never with credentials.
    'Access-Control-Allow-Origin': '*',
    'Cross-Origin-Resource-Policy': 'cross-origin',
  };
  if (type.startsWith('text/html')) {
    return new Response(injectRuntime(readFileSync(file, 'utf8'), pkg.version, token), { headers: { ...headers, 'Cache-Control': 'no-store' } });
  }
  const size = statSync(file).size;
  const cached = { ...headers, 'Accept-Ranges': 'bytes', 'Cache-Control': 'private, max-age=3600' };
  // Byte ranges: a package's video seeks without loading the whole file.
  const range = /^bytes=(\d*)-(\d*)$/.exec((c.req.header('range') ?? '').trim());
  if (range && (range[1] !== '' || range[2] !== '')) {
    let start = range[1] !== '' ? Number(range[1]) : Math.max(0, size - Number(range[2]));
    let end = range[1] !== '' && range[2] !== '' ? Math.min(Number(range[2]), size - 1) : size - 1;
    if (start > end || start >= size) return new Response(null, { status: 416, headers: { 'Content-Range': `bytes */${size}`, 'Cache-Control': 'no-store' } });
    start = Math.max(0, start);
    end = Math.max(start, end);
    return new Response(Readable.toWeb(createReadStream(file, { start, end })) as ReadableStream, { status: 206, headers: { ...cached, 'Content-Range': `bytes ${start}-${end}/${size}`, 'Content-Length': String(end - start + 1) } });
  }
  return new Response(Readable.toWeb(createReadStream(file)) as ReadableStream, { headers: { ...cached, 'Content-Length': String(size) } });
});

contentApp.all('*', () => notFound());
