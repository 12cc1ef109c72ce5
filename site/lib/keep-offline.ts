/**
 * "Keep this course offline" on the course page (site/components/KeepOffline.astro). Everything of a
 * course goes into one cache, bilim-course-<slug>, which the service worker (site/public/sw-offline.js)
 * answers from when the network fails: the course page, each lesson page, the captions and attachments
 * the lessons link to and, if chosen, their videos. The space used is the sum of what is stored there;
 * "Free" deletes that cache.
 */
const cacheName = (slug: string) => `bilim-course-${slug}`;

async function store(cache: Cache, url: string): Promise<Response> {
  const res = await fetch(url, { credentials: 'same-origin', cache: 'no-store' });
  if (!res.ok) throw new Error(`${url}: ${res.status}`);
  await cache.put(url, res.clone());
  return res;
}

/** What a lesson page refers to that it needs offline: captions, attachments and, if chosen, the video. */
function lessonFiles(html: string, videos: boolean): string[] {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  const urls = [...doc.querySelectorAll('track[src]'), ...doc.querySelectorAll('a[download][href^="/api/media/"]')].map((e) => e.getAttribute('src') ?? e.getAttribute('href')!);
  if (videos) urls.push(...[...doc.querySelectorAll('video source[src], video[src]')].map((e) => e.getAttribute('src')!));
  return urls.filter((u) => u.startsWith('/'));
}

export async function keptBytes(slug: string): Promise<number> {
  if (!(await caches.has(cacheName(slug)))) return 0;
  const cache = await caches.open(cacheName(slug));
  let bytes = 0;
  for (const req of await cache.keys()) bytes += (await (await cache.match(req))!.blob()).size;
  return bytes;
}

export async function keepCourse(slug: string, lessonUrls: string[], videos: boolean, progress: (done: number, total: number) => void): Promise<number> {
  await caches.delete(cacheName(slug));
  const cache = await caches.open(cacheName(slug));
  const files = new Set<string>();
  const total = lessonUrls.length + 1;
  await store(cache, location.pathname);
  progress(1, total);
  let done = 1;
  for (const url of lessonUrls) {
    const res = await store(cache, url);
    for (const f of lessonFiles(await res.text(), videos)) files.add(f);
    progress(++done, total);
  }
  for (const f of files) await store(cache, f);
  return keptBytes(slug);
}

export const freeCourse = (slug: string) => caches.delete(cacheName(slug));

const size = (bytes: number, locale: string) =>
  bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toLocaleString(locale, { maximumFractionDigits: 1 })} MB` : `${Math.max(1, Math.round(bytes / 1024)).toLocaleString(locale)} KB`;

export function setUpKeepOffline(el: HTMLElement): void {
  if (!('caches' in window) || !navigator.serviceWorker) return;
  el.hidden = false;
  const slug = el.dataset.slug!;
  const lessons = JSON.parse(el.dataset.lessons ?? '[]') as string[];
  const status = el.querySelector<HTMLElement>('[data-status]')!;
  const free = el.querySelector<HTMLButtonElement>('[data-action="free"]')!;
  const keep = el.querySelector<HTMLButtonElement>('[data-action="keep"]')!;
  const videos = el.querySelector<HTMLInputElement>('input[name="videos"]')!;
  const locale = document.documentElement.lang;
  const showKept = (bytes: number) => {
    status.textContent = bytes ? el.dataset.kept!.replace('{size}', size(bytes, locale)) : el.dataset.notKept!;
    free.hidden = bytes === 0;
    el.dataset.state = bytes ? 'kept' : 'none';
  };
  void keptBytes(slug).then(showKept);
  keep.addEventListener('click', async () => {
    keep.disabled = true;
    try {
      const bytes = await keepCourse(slug, lessons, videos.checked, (done, total) => {
        status.textContent = el.dataset.saving!.replace('{done}', String(done)).replace('{total}', String(total));
      });
      showKept(bytes);
    } catch {
      await freeCourse(slug);
      status.textContent = el.dataset.failed!;
      el.dataset.state = 'failed';
    } finally {
      keep.disabled = false;
    }
  });
  free.addEventListener('click', async () => {
    await freeCourse(slug);
    showKept(0);
    status.textContent = el.dataset.freed!;
  });
}
