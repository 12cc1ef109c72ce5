import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { chromium } from 'playwright-core';
import Database from 'better-sqlite3';
import { chromePath, CHROMIUM_OPTIONS } from './browser';
import { freePort } from '../support/free-port';
import { TEST_WORKERS } from '../workers';

/**
 * Builds the site as production would, fills one database by the same setup `npm start` runs (demo data
 * and the real course library), then starts one server per test worker (tests/workers.ts), each on a free port with its own
 * copy of that database, and stops them afterwards.
 */
export default async function setup(project: TestProject) {
  // Fail, never skip: the browser tests must run wherever `npm test` runs.
  if (!chromePath()) throw new Error('Chromium not found: install it (apt-get install -y chromium) or set CHROME_PATH');
  const dir = mkdtempSync(join(tmpdir(), 'bilim-browser-'));
  // Mail leaves the outbox every second, so the notification tests read it quickly.
  const env = { ...process.env, NODE_ENV: 'test', HOST: '127.0.0.1', MAIL_INTERVAL_SECONDS: '1' };
  const template = join(dir, 'template.sqlite');
  // independent of each other, so at once: the build is mostly one core, the setup another
  await Promise.all([run('npx', ['astro', 'build'], env), run('npx', ['tsx', 'scripts/setup.ts'], { ...env, DATABASE_URL: template })]);
  // everything into the main file, so a copy of it alone is the whole database
  const filled = new Database(template);
  filled.pragma('wal_checkpoint(TRUNCATE)');
  filled.close();
  const servers = await Promise.all(
    Array.from({ length: TEST_WORKERS }, async (_, i) => {
      const databasePath = join(dir, `server-${i}.sqlite`);
      copyFileSync(template, databasePath);
      const port = await freePort();
      const child: ChildProcess = spawn(process.execPath, ['dist/server/entry.mjs'], {
        env: { ...env, DATABASE_URL: databasePath, PORT: String(port) },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr?.on('data', (d) => (stderr += d));
      const baseURL = `http://127.0.0.1:${port}`;
      await waitForHealth(baseURL, () => stderr);
      return { child, baseURL, databasePath };
    }),
  );
  project.provide('servers', servers.map(({ baseURL, databasePath }) => ({ baseURL, databasePath })));
  project.provide('templateDatabase', template);
  // One Chromium for every browser file, instead of one launch per file; each file has its own contexts.
  const chrome = await chromium.launchServer({ executablePath: chromePath(), ...CHROMIUM_OPTIONS });
  project.provide('browserWSEndpoint', chrome.wsEndpoint());
  return async () => {
    await chrome.close();
    for (const s of servers) s.child.kill();
    if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
  };
}

async function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  try {
    await promisify(execFile)(cmd, args, { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  } catch (e) {
    const { stdout, stderr } = e as { stdout?: string; stderr?: string };
    throw new Error(`${cmd} ${args.join(' ')} failed:\n${stdout ?? ''}${stderr ?? ''}`);
  }
}


async function waitForHealth(baseURL: string, log: () => string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${baseURL}/api/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server did not start:\n${log()}`);
}

declare module 'vitest' {
  export interface ProvidedContext {
    /**
     * The running servers, one per browser file running at once (tests/browser/browser.ts `server()`
     * picks the file's own); databasePath is that server's database, for a test that plays a learner
     * who knows the answers (read-only).
     */
    servers: { baseURL: string; databasePath: string }[];
    /** the filled demo database the servers are copies of (tests/browser/browser.ts ownServer) */
    templateDatabase: string;
    /** the shared Chromium (tests/browser/browser.ts launch) */
    browserWSEndpoint: string;
  }
}
