/**
 * npm run bench:scorm [-- --megabytes 200] [-- --no-build]
 *
 * A large SCORM package against the production server in its own process (issue #22): builds the
 * site unless --no-build, fills a fresh database as `npm start` does, starts `node dist/server/entry.mjs`,
 * writes a SCORM 1.2 package of about N MB to disk (a SCO page and one incompressible video, stored),
 * uploads it as a trainer (streamed from disk: the client never holds it either), launches it (the
 * author's preview: the launch page with the runtime, then the whole video streamed back) and prints
 * the times and the server's memory: its resident size before, its peak (VmHWM) after, and the growth —
 * which must not follow the package's size.
 */
import { execSync, spawn } from 'node:child_process';
import { createReadStream, mkdtempSync, openSync, closeSync, writeSync, readFileSync, rmSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { manifestXml, scoHtml, SCO_JS } from '../../tests/support/scorm';

const { values } = parseArgs({ options: { megabytes: { type: 'string', default: '200' }, 'no-build': { type: 'boolean', default: false }, port: { type: 'string', default: '4398' } } });
const MB = Number(values.megabytes);
const PORT = Number(values.port);
const ORIGIN = `http://127.0.0.1:${PORT}`;
const log = (s: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${s}`);

/** Writes a zip of stored entries to `file`, the big one generated chunk by chunk (never in memory). */
function writePackage(file: string, bigBytes: number): void {
  const small: [string, Buffer][] = [
    ['imsmanifest.xml', Buffer.from(manifestXml({ version: '1.2', title: 'Үлкөн пакет', scos: [{ id: 'SCO-1', title: 'Видео сабак' }] }))],
    ['shared/sco.js', Buffer.from(SCO_JS)],
    ['SCO-1/index.html', Buffer.from(scoHtml('Видео сабак'))],
  ];
  const fd = openSync(file, 'w');
  const central: Buffer[] = [];
  let offset = 0;
  const entry = (name: string, size: number, write: () => void) => {
    const n = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(size, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(n.length, 26);
    writeSync(fd, local);
    writeSync(fd, n);
    write();
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(20, 4);
    c.writeUInt16LE(20, 6);
    c.writeUInt32LE(size, 20);
    c.writeUInt32LE(size, 24);
    c.writeUInt16LE(n.length, 28);
    c.writeUInt32LE(offset, 42);
    central.push(c, n);
    offset += 30 + n.length + size;
  };
  for (const [name, data] of small) entry(name, data.length, () => writeSync(fd, data));
  entry('SCO-1/media/lecture.mp4', bigBytes, () => {
    for (let left = bigBytes; left > 0; left -= 1 << 20) writeSync(fd, randomBytes(Math.min(left, 1 << 20)));
  });
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(small.length + 1, 8);
  end.writeUInt16LE(small.length + 1, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  writeSync(fd, cd);
  writeSync(fd, end);
  closeSync(fd);
}

const memory = (pid: number) => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
};

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'bilim-bench-scorm-'));
  const env = { ...process.env, NODE_ENV: 'test', HOST: '127.0.0.1', PORT: String(PORT), DATABASE_URL: join(dir, 'bench.sqlite'), MAIL_INTERVAL_SECONDS: '0', WEBHOOK_INTERVAL_SECONDS: '0', REMINDER_INTERVAL_MINUTES: '0' };
  if (!values['no-build']) execSync('npx astro build', { stdio: 'ignore' });
  execSync('npx tsx scripts/setup.ts', { env, stdio: 'ignore' });
  const zipFile = join(dir, 'package.zip');
  writePackage(zipFile, Math.max(1, MB - 1) * 1024 * 1024);
  const size = statSync(zipFile).size;
  log(`package: ${(size / 1024 / 1024).toFixed(1)} MB on disk`);
  const server = spawn(process.execPath, ['dist/server/entry.mjs'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  try {
    for (let i = 0; i < 200; i++) {
      try {
        if ((await fetch(`${ORIGIN}/api/health`)).ok) break;
      } catch {
        // not yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    const login = await fetch(`${ORIGIN}/api/auth/login`, { method: 'POST', headers: { origin: ORIGIN, 'content-type': 'application/json' }, body: JSON.stringify({ email: 'trainer@demo.kg', password: 'demo-password-2026' }) });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    const headers = { origin: ORIGIN, cookie };
    const draft = await (await fetch(`${ORIGIN}/api/author/drafts`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ slug: 'bench-scorm', titleKy: 'Чоң пакет' }) })).json();
    const before = memory(server.pid!);
    log(`server before: RSS ${before.rss.toFixed(0)} MB, peak so far ${before.peak.toFixed(0)} MB`);
    let t = Date.now();
    const up = await fetch(`${ORIGIN}/api/author/drafts/${draft.id}/scorm?revision=${draft.revision}&lang=ky`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/zip', 'content-length': String(size) },
      body: Readable.toWeb(createReadStream(zipFile)) as ReadableStream,
      duplex: 'half',
    } as RequestInit);
    const uploaded = await up.json();
    if (up.status !== 201) throw new Error(`upload: ${up.status} ${JSON.stringify(uploaded)}`);
    const uploadMs = Date.now() - t;
    const afterUpload = memory(server.pid!);
    log(`upload: ${uploadMs} ms (${((size / 1024 / 1024) / (uploadMs / 1000)).toFixed(0)} MB/s, streamed, hashed, bounded, unpacked); server peak ${afterUpload.peak.toFixed(0)} MB`);
    // the author's preview launches it: the page, the launch page with the runtime, the video
    t = Date.now();
    const preview = await (await fetch(`${ORIGIN}/ky/author/drafts/${draft.id}/lessons/${uploaded.lessons[0]}/preview`, { headers })).text();
    const launchUrl = /data-url="([^"]+)"/.exec(preview)?.[1]?.replace(/&amp;/g, '&');
    if (!launchUrl) throw new Error('no launch url on the preview page');
    const page = await fetch(`${ORIGIN}${launchUrl}`);
    const html = await page.text();
    if (!html.includes('/scorm-content/boot/')) throw new Error('the launch page has no runtime');
    const video = await fetch(`${ORIGIN}${launchUrl.replace('SCO-1/index.html', 'SCO-1/media/lecture.mp4')}`);
    let streamed = 0;
    for await (const chunk of video.body as unknown as AsyncIterable<Uint8Array>) streamed += chunk.length;
    const launchMs = Date.now() - t;
    const after = memory(server.pid!);
    log(`launch: preview page, launch page with the runtime, ${(streamed / 1024 / 1024).toFixed(0)} MB video streamed back in ${launchMs} ms`);
    log(`server memory: RSS before ${before.rss.toFixed(0)} MB; peak after upload and launch ${after.peak.toFixed(0)} MB; growth ${(after.peak - before.rss).toFixed(0)} MB for a ${(size / 1024 / 1024).toFixed(0)} MB package`);
  } finally {
    server.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
