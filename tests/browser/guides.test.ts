import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ownServer } from './browser';
import { prepare, SHOTS, signIn, type Prepared, type Role } from '@scripts/screenshot-list';

/**
 * The pages the role guides picture (scripts/screenshot-list.ts) open for their role, in the state the
 * screenshot script makes: so `npm run screenshots` keeps working as the pages change. Its own demo
 * server, because the preparation makes drafts and enrolments the other browser files do not expect.
 */
describe('the role guides’ pages', () => {
  let server: { base: string; stop: () => void };
  let prepared: Prepared;
  const cookies = new Map<Role, string>();

  beforeAll(async () => {
    server = await ownServer();
    prepared = await prepare(server.base);
    for (const role of new Set(SHOTS.flatMap((s) => (s.role ? [s.role] : [])))) cookies.set(role, await signIn(server.base, role));
  });
  afterAll(() => server?.stop());

  it('every page of the screenshot list answers 200 for its role, with a heading', async () => {
    const failures: string[] = [];
    for (const shot of SHOTS) {
      const path = shot.path(prepared);
      const res = await fetch(`${server.base}${path}`, { headers: shot.role ? { cookie: cookies.get(shot.role)! } : {} });
      const html = await res.text();
      if (res.status !== 200 || !/<h1[\s>]/.test(html)) failures.push(`${shot.name} ${path}: ${res.status}`);
    }
    expect(failures).toEqual([]);
  });
});
