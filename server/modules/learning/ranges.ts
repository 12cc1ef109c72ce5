/**
 * Watched ranges of a video, in seconds: what the learner actually played. The browser reports the
 * stretches it played; the server merges them, so the order and repetition of saves do not matter
 * (merging is commutative and idempotent) and skipping ahead adds nothing.
 */
export type Range = [number, number];

/** Gaps shorter than this (timeupdate fires every ~250 ms) are closed when merging. */
export const MERGE_TOLERANCE_SECONDS = 0.5;

/** Clamps to [0, duration], drops empty or invalid ranges, sorts and merges overlapping or touching ones. */
export function mergeRanges(ranges: Range[], duration: number, tolerance = MERGE_TOLERANCE_SECONDS): Range[] {
  const clean = ranges
    .filter((r) => Array.isArray(r) && Number.isFinite(r[0]) && Number.isFinite(r[1]))
    .map(([a, b]): Range => [Math.max(0, Math.min(a, b)), Math.min(duration, Math.max(a, b))])
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
  const out: Range[] = [];
  for (const r of clean) {
    const last = out[out.length - 1];
    if (last && r[0] <= last[1] + tolerance) last[1] = Math.max(last[1], r[1]);
    else out.push([r[0], r[1]]);
  }
  return out.map(([a, b]) => [round(a), round(b)]);
}

const round = (n: number) => Math.round(n * 1000) / 1000;

/** Seconds covered by merged ranges. */
export function coveredSeconds(merged: Range[]): number {
  return merged.reduce((sum, [a, b]) => sum + (b - a), 0);
}

/** Share of the video watched, 0…1. */
export function watchedFraction(merged: Range[], duration: number): number {
  if (duration <= 0) return 0;
  return Math.min(1, coveredSeconds(merged) / duration);
}

/** A video lesson counts as viewed from this share actually watched. */
export const VIEWED_FRACTION = 0.9;

/**
 * New coverage a save may add: a browser cannot have played more than the wall-clock time since the
 * previous save at the fastest offered speed, plus a little slack for clocks and buffering. Reports
 * beyond that (a forged "watched it all") are cut to what was possible.
 */
export const MAX_PLAYBACK_RATE = 2;
export const PLAUSIBILITY_SLACK_SECONDS = 5;

export function limitNewCoverage(before: Range[], reported: Range[], duration: number, elapsedSeconds: number): Range[] {
  const allowance = Math.max(0, elapsedSeconds) * MAX_PLAYBACK_RATE + PLAUSIBILITY_SLACK_SECONDS;
  const base = mergeRanges(before, duration);
  const baseCovered = coveredSeconds(base);
  let result = base;
  for (const r of [...reported].sort((x, y) => x[0] - y[0])) {
    const candidate = mergeRanges([...result, r], duration);
    const extra = coveredSeconds(candidate) - baseCovered;
    if (extra <= allowance + 1e-9) {
      result = candidate;
      continue;
    }
    // Take only as much of this range as is still allowed, from its start.
    const room = allowance - (coveredSeconds(result) - baseCovered);
    if (room > 0) {
      const start = Math.max(0, Math.min(r[0], r[1]));
      result = mergeRanges([...result, [start, start + room + overlapWithin(result, start, start + room)]], duration);
    }
    break;
  }
  return result;
}

/** Seconds of [a, b] already covered, so a partial range still adds `room` of new coverage. */
function overlapWithin(merged: Range[], a: number, b: number): number {
  return merged.reduce((s, [x, y]) => s + Math.max(0, Math.min(b, y) - Math.max(a, x)), 0);
}
