/**
 * A lesson video on the page: the watched stretches are reported from the <video> element itself
 * from the start, and the video.js player (site/lib/video-player.ts, most of the page's weight) is
 * loaded only when the learner reaches for the video — pointer over or on it, focus, a key, or
 * playback started with the browser's own controls. Until then the browser's player works as is.
 */
import { createWatchTracker } from './watch-tracker';

export function setUpLessonVideo(box: HTMLElement): void {
  const d = box.dataset;
  const video = box.querySelector('video')!;
  const locale = d.locale === 'ru' ? 'ru' : 'ky';
  const status = document.getElementById('video-status')!;
  const bar = document.getElementById('course-progress') as HTMLProgressElement | null;
  const barText = document.getElementById('course-progress-text');

  createWatchTracker({
    lessonId: Number(d.lessonId),
    seq: Number(d.seq),
    position: Number(d.position),
    viewed: d.viewed === '1',
    media: {
      currentTime: () => video.currentTime,
      setCurrentTime: (t) => (video.currentTime = t),
      duration: () => video.duration || Number(d.seconds),
      paused: () => video.paused,
      playbackRate: () => video.playbackRate,
      on(event, fn) {
        video.addEventListener(event, fn);
        // the metadata may have arrived before this module ran
        if (event === 'loadedmetadata' && video.readyState >= 1) queueMicrotask(fn);
      },
    },
    onSaved(result) {
      const percent = Math.floor((result.lesson.watchedFraction ?? 0) * 100);
      status.textContent = result.lesson.viewed ? d.viewedText! : d.watchedTemplate!.replace('{percent}', String(percent));
      if (bar) bar.value = result.course.percent;
      if (barText)
        barText.textContent = d.courseTemplate!.replace('{viewed}', String(result.course.viewed)).replace('{total}', String(result.course.total)).replace('{percent}', String(result.course.percent));
    },
    onFailed() {
      status.textContent = d.notSaved!;
    },
    onOutdated() {
      status.textContent = d.outdated!;
    },
  });

  const triggers = ['pointerover', 'pointerdown', 'focusin', 'keydown'] as const;
  let loading = false;
  const load = () => {
    if (loading) return;
    loading = true;
    for (const t of triggers) box.removeEventListener(t, load);
    video.removeEventListener('play', load);
    void import('./video-player').then(async ({ enhance }) => {
      const player = await enhance(video, locale);
      box.dataset.player = 'ready';
      // a learner who focused the <video> by keyboard keeps the focus, now on the player (its keys work there)
      if (document.activeElement === video || document.activeElement === document.body) (player.el() as HTMLElement).focus();
    });
  };
  for (const t of triggers) box.addEventListener(t, load, { passive: true });
  video.addEventListener('play', load);
}
