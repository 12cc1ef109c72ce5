/*
 * Bilim's offline rules, loaded by the service worker that workbox-build writes (scripts/service-worker.mjs).
 * Pages and media always come from the network first; only when the network fails is a copy used: one
 * the learner kept with "Keep this course offline" (caches named bilim-course-<slug>, written by the
 * course page, site/lib/keep-offline.ts), else the offline page. Range requests of a kept video are
 * answered from the kept file. Nothing else is cached at run time: what is stored is what the learner
 * chose, and they can free it per course.
 */
const KEPT_PREFIX = 'bilim-course-';

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  const media = url.pathname.startsWith('/api/media/');
  if (req.mode !== 'navigate' && !media) return;
  event.respondWith(networkThenKept(req, media));
});

async function kept(req, media) {
  const names = (await caches.keys()).filter((n) => n.startsWith(KEPT_PREFIX));
  for (const name of names) {
    const hit = await (await caches.open(name)).match(req.url, { ignoreSearch: !media, ignoreVary: true });
    if (hit) return hit;
  }
  return undefined;
}

async function networkThenKept(req, media) {
  try {
    return await fetch(req);
  } catch (error) {
    const hit = await kept(req, media);
    if (hit) return media ? ranged(req, hit) : hit;
    if (req.mode === 'navigate') {
      const page = await caches.match('/offline.html', { ignoreSearch: true });
      if (page) return page;
    }
    throw error;
  }
}

/** A kept file answers a Range request with the bytes asked for (a video element asks in ranges). */
async function ranged(req, res) {
  const range = req.headers.get('range');
  if (!range) return res;
  const blob = await res.blob();
  const m = /bytes=(\d*)-(\d*)/.exec(range);
  const start = m && m[1] ? Number(m[1]) : 0;
  const end = Math.min(m && m[2] ? Number(m[2]) : blob.size - 1, blob.size - 1);
  if (!m || start > end) return new Response(null, { status: 416, headers: { 'content-range': `bytes */${blob.size}` } });
  return new Response(blob.slice(start, end + 1), {
    status: 206,
    headers: {
      'content-type': res.headers.get('content-type') || 'application/octet-stream',
      'content-range': `bytes ${start}-${end}/${blob.size}`,
      'content-length': String(end - start + 1),
      'accept-ranges': 'bytes',
    },
  });
}
