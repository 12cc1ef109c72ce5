/**
 * Tracks which stretches of a video were actually played and saves them to the server:
 * every 5 s while playing, on pause, at the end and when the page is hidden. A stretch ends when the
 * learner seeks, so skipping ahead adds nothing. Unsaved stretches are kept and sent again (the
 * server merges ranges, so repeats are harmless); `seq` grows with every save so that a late answer
 * never moves the resume position back.
 */
export type SaveResult = {
  lesson: { viewed: boolean; watchedFraction: number | null; positionSeconds: number; seq: number };
  course: { viewed: number; total: number; percent: number; status: string };
};

type Media = {
  currentTime(): number;
  setCurrentTime(t: number): void;
  duration(): number;
  paused(): boolean;
  playbackRate(): number;
  on(event: string, fn: () => void): void;
};

export function createWatchTracker(o: {
  lessonId: number;
  seq: number;
  position: number;
  viewed: boolean;
  media: Media;
  onSaved(result: SaveResult): void;
  onFailed(): void;
  /** the course got a new version in which this lesson changed: the page must be reloaded */
  onOutdated(): void;
}) {
  const { media } = o;
  let seq = o.seq;
  let pending: [number, number][] = [];
  let current: [number, number] | null = null;
  let last: number | null = null;
  let inFlight = false;
  let queued = false;
  let dirty = false;
  let outdated = false;

  const closeCurrent = () => {
    if (current && current[1] > current[0]) pending.push(current);
    current = null;
  };

  media.on('loadedmetadata', () => {
    const d = media.duration();
    if (o.position > 1 && (!d || o.position < d - 3)) media.setCurrentTime(o.position);
  });
  media.on('timeupdate', () => {
    const t = media.currentTime();
    if (media.paused()) {
      last = t;
      return;
    }
    // A continuous stretch moves forward by about the time since the last event times the speed.
    if (last !== null && t >= last && t - last <= 1.5 * media.playbackRate() + 0.5) {
      if (current) current[1] = t;
      else current = [last, t];
      dirty = true;
    } else {
      closeCurrent();
    }
    last = t;
  });
  media.on('play', () => {
    last = media.currentTime();
  });
  media.on('seeking', () => {
    closeCurrent();
    last = null;
  });
  media.on('seeked', () => {
    last = media.currentTime();
  });
  media.on('pause', () => void save());
  media.on('ended', () => {
    if (current) current[1] = media.duration();
    void save();
  });
  setInterval(() => {
    if (dirty && !media.paused()) void save();
  }, 5000);
  const onHide = () => void save(true);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') onHide();
  });
  window.addEventListener('pagehide', onHide);
  window.addEventListener('online', () => void save());

  async function save(keepalive = false): Promise<void> {
    if (outdated) return;
    // A save asked for while another is on its way (a pause during the 5-second save) runs after it:
    // dropping it would lose the final position.
    if (inFlight && !keepalive) {
      queued = true;
      return;
    }
    const sent = [...pending, ...(current ? [[current[0], current[1]] as [number, number]] : [])];
    const cut = current ? current[1] : null;
    seq += 1;
    inFlight = true;
    dirty = false;
    try {
      const res = await fetch(`/api/lessons/${o.lessonId}/progress`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ seq, positionSeconds: media.currentTime(), ranges: sent }),
        keepalive,
        credentials: 'same-origin',
      });
      if (res.status === 409) {
        outdated = true;
        o.onOutdated();
        return;
      }
      if (!res.ok) throw new Error(String(res.status));
      const result = (await res.json()) as SaveResult;
      // Acknowledged: forget what was sent; the open stretch continues from where it was cut.
      pending = pending.filter((r) => !sent.includes(r));
      if (current && cut !== null) current = [cut, current[1]];
      o.onSaved(result);
    } catch {
      dirty = true;
      o.onFailed();
    } finally {
      inFlight = false;
      if (queued) {
        queued = false;
        void save();
      }
    }
  }
}
