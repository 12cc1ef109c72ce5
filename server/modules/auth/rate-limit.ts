/**
 * Failed sign-ins counted in memory per e-mail and per client address over a sliding window.
 * One process serves the platform (ARCHITECTURE.md), so memory is the right place; a restart
 * forgets the counts, which only ever helps a legitimate user.
 */
export const LOGIN_WINDOW_MS = 15 * 60 * 1000;
export const MAX_FAILURES_PER_EMAIL = 5;
export const MAX_FAILURES_PER_IP = 50;

class LoginLimiter {
  private byEmail = new Map<string, number[]>();
  private byIp = new Map<string, number[]>();

  private recent(map: Map<string, number[]>, key: string, now: number): number[] {
    const list = (map.get(key) ?? []).filter((t) => now - t < LOGIN_WINDOW_MS);
    if (list.length) map.set(key, list);
    else map.delete(key);
    return list;
  }

  allowed(email: string, ip: string, now: number): boolean {
    return (
      this.recent(this.byEmail, email, now).length < MAX_FAILURES_PER_EMAIL &&
      this.recent(this.byIp, ip, now).length < MAX_FAILURES_PER_IP
    );
  }

  fail(email: string, ip: string, now: number): void {
    this.byEmail.set(email, [...this.recent(this.byEmail, email, now), now]);
    this.byIp.set(ip, [...this.recent(this.byIp, ip, now), now]);
  }

  succeed(email: string): void {
    this.byEmail.delete(email);
  }

  reset(): void {
    this.byEmail.clear();
    this.byIp.clear();
  }
}

export const loginLimiter = new LoginLimiter();
