import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { chromium } from 'playwright-core';
import { chromePath, CHROMIUM_OPTIONS } from './browser';
import { freePort } from '../support/free-port';

/**
 * Builds the site as production would, starts it on a free port with a fresh database filled by the
 * same setup `npm start` runs (demo data and the real course library), and stops it afterwards.
 */
export default async function setup(project: TestProject) {
  // Fail, never skip: the browser tests must run wherever `npm test` runs.
  if (!chromePath()) throw new Error('Chromium not found: install it (apt-get install -y chromium) or set CHROME_PATH');
  const dir = mkdtempSync(join(tmpdir(), 'bilim-browser-'));
  // Mail leaves the outbox every second, so the notification tests read it quickly.
  const env = { ...process.env, DATABASE_URL: join(dir, 'test.sqlite'), NODE_ENV: 'test', HOST: '127.0.0.1', MAIL_INTERVAL_SECONDS: '1' };
  run('npx', ['astro', 'build'], env);
  run('npx', ['tsx', 'scripts/setup.ts'], env);
  const port = await freePort();
  const server: ChildProcess = spawn(process.execPath, ['dist/server/entry.mjs'], { env: { ...env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  server.stderr?.on('data', (d) => (stderr += d));
  const baseURL = `http://127.0.0.1:${port}`;
  await waitForHealth(baseURL, () => stderr);
  project.provide('baseURL', baseURL);
  // One Chromium for every browser file (they run one at a time), instead of one launch per file.
  const chrome = await chromium.launchServer({ executablePath: chromePath(), ...CHROMIUM_OPTIONS });
  project.provide('browserWSEndpoint', chrome.wsEndpoint());
  project.provide('databasePath', env.DATABASE_URL);
  return async () => {
    await chrome.close();
    server.kill();
    if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
  };
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): void {
  try {
    execFileSync(cmd, args, { env, encoding: 'utf8', stdio: 'pipe' });
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
    baseURL: string;
    /** the shared Chromium (tests/browser/browser.ts launch) */
    browserWSEndpoint: string;
    /** the served database, for a test that plays a learner who knows the answers (read-only) */
    databasePath: string;
  }
}
