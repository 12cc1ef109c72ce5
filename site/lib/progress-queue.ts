/**
 * Lesson progress recorded while offline (site/pages/[lang]/courses/[slug]/lessons/[lesson].astro):
 * kept in localStorage and sent when the connection is back, from any page (site/layouts/Base.astro).
 * Sending twice is harmless: the progress API is idempotent ("read" never goes back, a lower seq never
 * moves the position). The same way as the test's answers (site/components/AttemptForm.tsx): keep on
 * the device, retry, forget once the server answered.
 */
export type QueuedProgress = { lessonId: number; seq: number; read: true };
const KEY = 'bilim.progress';

export function queued(): QueuedProgress[] {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) ?? '[]');
    return Array.isArray(v) ? v : [];
  } catch {
    return [];
  }
}

function write(items: QueuedProgress[]): void {
  if (items.length) localStorage.setItem(KEY, JSON.stringify(items));
  else localStorage.removeItem(KEY);
}

/** Sends one save; true once the server answered it (saved, or refused for good), false when unreachable. */
export async function sendProgress(p: QueuedProgress): Promise<boolean> {
  try {
    const res = await fetch(`/api/lessons/${p.lessonId}/progress`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ seq: p.seq, read: true }),
      credentials: 'same-origin',
    });
    // 401 (signed out meanwhile) is kept for the next signed-in page; other answers are final.
    return res.status !== 401 && res.status < 500;
  } catch {
    return false;
  }
}

export function enqueue(p: QueuedProgress): void {
  write([...queued().filter((q) => q.lessonId !== p.lessonId), p]);
}

let flushing = false;
/** Sends what is waiting; returns how many are still waiting. */
export async function flushProgress(): Promise<number> {
  if (flushing) return queued().length;
  flushing = true;
  try {
    for (const p of queued()) {
      if (!(await sendProgress(p))) break;
      write(queued().filter((q) => !(q.lessonId === p.lessonId && q.seq === p.seq)));
    }
    return queued().length;
  } finally {
    flushing = false;
  }
}
