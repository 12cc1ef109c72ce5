/**
 * The built server on a fresh demo database in a temporary folder, for the scripts that look at the
 * running app (page weight, screenshots): the same setup `npm start` runs, on a free port.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { freePort } from '../tests/support/free-port';

export const DEMO_PASSWORD = 'demo-password-2026';

/**
 * `copyOf`: a filled demo database to start from (the browser tests' template, with its media folder
 * beside it) instead of running the whole setup again — seconds instead of a quarter of a minute.
 */
export async function startDemoServer(options: { copyOf?: string } = {}): Promise<{ base: string; databasePath: string; stop: () => void }> {
  if (!existsSync('dist/server/entry.mjs')) throw new Error('no build: run `npm run build` first');
  const dir = mkdtempSync(join(tmpdir(), 'bilim-demo-'));
  const database = join(dir, 'demo.sqlite');
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: database, NODE_ENV: 'test', HOST: '127.0.0.1' };
  if (options.copyOf) {
    copyFileSync(options.copyOf, database);
    // media are stored by their SHA-256, so sharing the template's folder changes nothing for it
    env.MEDIA_DIR = join(dirname(options.copyOf), 'media');
  } else {
    execFileSync('npx', ['tsx', 'scripts/setup.ts'], { env, stdio: 'ignore' });
  }
  const port = await freePort();
  const server: ChildProcess = spawn(process.execPath, ['dist/server/entry.mjs'], { env: { ...env, PORT: String(port) }, stdio: 'ignore' });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    if (await fetch(`${base}/api/health`).then((r) => r.ok).catch(() => false)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return { base, databasePath: database, stop: () => (server.kill(), rmSync(dir, { recursive: true, force: true })) };
}

/** Debian's Chromium with the flags this closed network needs. */
export const CHROMIUM = {
  executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
};
