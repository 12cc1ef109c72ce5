/**
 * Writes the service worker (dist/client/sw.js) with workbox-build after the build: it precaches the
 * build's scripts and styles, the offline page and the site's own offline rules (site/public/
 * sw-offline.js, which it loads first, so its fetch handler answers lesson pages and media). Workbox's
 * runtime is copied beside it (no CDN). Run by astro.config.mjs (astro:build:done), before the
 * precompression of static files, so sw.js is sent compressed too. docs/offline.md says what it does.
 */
import { generateSW } from 'workbox-build';

/** @param {string} dir the client build directory */
export async function writeServiceWorker(dir) {
  const { count, size, warnings } = await generateSW({
    globDirectory: dir,
    // The learner pages' small scripts and styles (hashed names), the offline page and the offline
    // rules: about 60 KB, 20 KB on the wire. Not the video player (a video lesson plays in the
    // browser's own player without it) nor the authors' editor bundles: a phone on a weak connection
    // should not download 860 KB it may never use.
    globPatterns: ['_astro/*.{js,css}', 'offline.html', 'sw-offline.js', 'favicon.svg', 'manifest.webmanifest'],
    globIgnores: ['**/*.br', '**/*.gz', '**/*.map', '_astro/LessonEditor*', '_astro/paste*', '_astro/lesson-schema*', '_astro/video-js*'],
    maximumFileSizeToCacheInBytes: 20 * 1024,
    dontCacheBustURLsMatching: /^_astro\//,
    swDest: `${dir}/sw.js`,
    importScripts: ['/sw-offline.js'],
    inlineWorkboxRuntime: true,
    skipWaiting: true,
    clientsClaim: true,
    cleanupOutdatedCaches: true,
    cacheId: 'bilim',
    sourcemap: false,
    mode: 'production',
  });
  // Files over the size bound are left out on purpose (see globPatterns); other warnings are shown.
  for (const w of warnings) if (!w.includes("won't be precached")) console.warn(`service worker: ${w}`);
  return { count, size };
}
