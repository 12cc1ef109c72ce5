/**
 * Failed sign-ins counted in memory per e-mail and per client address over a sliding window.
 * One process serves the platform (ARCHITECTURE.md), so memory is the right place; a restart
 * forgets the counts, which only ever helps a legitimate user.
 *
 * Memory is bounded: each key keeps at most as many timestamps as its limit, and each map at most
 * MAX_TRACKED_KEYS keys — expired keys are swept as failures come, and when full the key that failed longest ago goes
 * (a flood of made-up e-mails from many addresses can thus push out an old count, never grow memory).
 */
export const LOGIN_WINDOW_MS = 15 * 60 * 1000;
export const MAX_FAILURES_PER_EMAIL = 5;
export const MAX_FAILURES_PER_IP = 50;
export const MAX_TRACKED_KEYS = 10_000;

class LoginLimiter {
  private byEmail = new Map<string, number[]>();
  private byIp = new Map<string, number[]>();

  private recent(map: Map<string, number[]>, key: string, now: number): number[] {
    const list = (map.get(key) ?? []).filter((t) => now - t < LOGIN_WINDOW_MS);
    if (list.length) map.set(key, list);
    else map.delete(key);
    return list;
  }

  /** Adds a failure at `now`, keeping the newest `limit` only, the key last in order (most recent). */
  private add(map: Map<string, number[]>, key: string, now: number, limit: number): void {
    const list = [...this.recent(map, key, now), now].slice(-limit);
    map.delete(key);
    // Keys are in order of their last failure (re-inserted on each), so the expired ones are at the
    // front: sweep them from there, then, if still full, the least recently failing key makes room.
    for (const [k, times] of map) {
      if (map.size < MAX_TRACKED_KEYS && now - times[times.length - 1]! < LOGIN_WINDOW_MS) break;
      map.delete(k);
    }
    map.set(key, list);
  }

  allowed(email: string, ip: string, now: number): boolean {
    return (
      this.recent(this.byEmail, email, now).length < MAX_FAILURES_PER_EMAIL &&
      this.recent(this.byIp, ip, now).length < MAX_FAILURES_PER_IP
    );
  }

  fail(email: string, ip: string, now: number): void {
    this.add(this.byEmail, email, now, MAX_FAILURES_PER_EMAIL);
    this.add(this.byIp, ip, now, MAX_FAILURES_PER_IP);
  }

  succeed(email: string): void {
    this.byEmail.delete(email);
  }

  reset(): void {
    this.byEmail.clear();
    this.byIp.clear();
  }

  /** How much is held: keys and timestamps over both maps (for tests and monitoring). */
  size(): { keys: number; timestamps: number } {
    let timestamps = 0;
    for (const m of [this.byEmail, this.byIp]) for (const t of m.values()) timestamps += t.length;
    return { keys: this.byEmail.size + this.byIp.size, timestamps };
  }
}

export const loginLimiter = new LoginLimiter();
