/**
 * The video.js player for a lesson video, in the page's language. Loaded by site/lib/lesson-video.ts
 * only when the learner reaches for the video (it is most of a video lesson's weight), so the lesson
 * opens with the browser's own player and this module and its stylesheet come after.
 *
 * Every control, menu and screen-reader label is translated: locales/video-player/{ky,ru}.json hold
 * the whole of video.js's string table (its English keys), Kyrgyz written for Bilim.
 */
// The core build without the HLS/DASH engine (a plain MP4 needs none); vtt.js included, so captions look the same everywhere and never load from a CDN.
import videojsCore from 'video.js/dist/alt/video.core.min.js';
import type videojsType from 'video.js';
// Linked by enhance(), not imported: an imported stylesheet would be hoisted into every lesson page.
import playerCss from 'video.js/dist/video-js.min.css?url';
import ky from '@locales/video-player/ky.json';
import ru from '@locales/video-player/ru.json';

const videojs = videojsCore as typeof videojsType;
videojs.addLanguage('ky', ky);
videojs.addLanguage('ru', ru);

export type Player = ReturnType<typeof videojsType>;

/** The player's stylesheet, linked once; resolves when it has loaded (or failed: the player still works). */
function linkStylesheet(): Promise<void> {
  return new Promise((resolve) => {
    const link = Object.assign(document.createElement('link'), { rel: 'stylesheet', href: playerCss });
    link.addEventListener('load', () => resolve());
    link.addEventListener('error', () => resolve());
    document.head.append(link);
  });
}

/** Wraps the page's <video> (kept as the same element, so listeners on it go on working), once its stylesheet is there. */
export async function enhance(video: HTMLVideoElement, locale: 'ky' | 'ru'): Promise<Player> {
  await linkStylesheet();
  // The box around the video becomes the player (video.js "ingests" a parent marked data-vjs-player).
  for (const el of [video, video.parentElement!]) el.classList.add('video-js', 'vjs-fluid');
  return videojs(video, {
    language: locale,
    playbackRates: [0.75, 1, 1.25, 1.5, 2],
    // Space/K play and pause, F full screen, M mute; arrows seek 5 s.
    userActions: {
      hotkeys(this: Player, event: KeyboardEvent) {
        if (event.key === 'ArrowLeft') this.currentTime(Math.max(0, (this.currentTime() ?? 0) - 5));
        else if (event.key === 'ArrowRight') this.currentTime((this.currentTime() ?? 0) + 5);
        else if (event.key === ' ' || event.key === 'k') (this.paused() ? this.play() : this.pause());
        else if (event.key === 'f') (this.isFullscreen() ? this.exitFullscreen() : this.requestFullscreen());
        else if (event.key === 'm') this.muted(!this.muted());
        else return;
        event.preventDefault();
      },
    },
  });
}
