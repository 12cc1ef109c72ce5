import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { inject } from 'vitest';
import Database from 'better-sqlite3';
import { questionType } from '@server/modules/quiz/types';
import { startDemoServer } from '@scripts/demo-server';

/**
 * Debian's headless shell first: the same Chromium engine without the full browser's UI layers, which
 * halves the CPU a page costs on the two-core machine (.ci/run installs it); the full browser otherwise.
 */
export function chromePath(): string | undefined {
  return [process.env.CHROME_PATH, '/usr/bin/chromium-headless-shell', '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find(
    (p): p is string => !!p && existsSync(p),
  );
}

/**
 * The right response to a question, read from the served database's key (read-only) through the
 * question-type registry: for a test that plays a learner who knows the answers. The page never can.
 */
export function rightResponseFromDb(questionId: number): unknown {
  const db = new Database(server().databasePath, { readonly: true, fileMustExist: true });
  try {
    const q = db.prepare('SELECT kind, options FROM quiz_questions WHERE id = ?').get(questionId) as { kind: string; options: string };
    return questionType(q.kind).correctResponse(JSON.parse(q.options));
  } finally {
    db.close();
  }
}

/**
 * This file's own server. Vitest numbers the workers running at once 1…maxWorkers (VITEST_POOL_ID) and
 * global-setup.ts starts that many servers, so two browser files never run against the same one.
 */
export function server(): { baseURL: string; databasePath: string } {
  const servers = inject('servers');
  const slot = Number(process.env.VITEST_POOL_ID ?? 1) - 1;
  const s = servers[slot];
  if (!s) throw new Error(`worker ${slot + 1} has no server: vitest.config.ts maxWorkers is above the ${servers.length} servers of global-setup.ts`);
  return s;
}

/**
 * A server of the file's own, on a fresh copy of the demo database, for a file that must not meet what
 * other files did to the shared one (a password reset, a submitted draft); `databasePath` for a file that
 * reads or prepares its database directly. Stop it in afterAll.
 */
export function ownServer(): Promise<{ base: string; databasePath: string; stop: () => void }> {
  return startDemoServer({ copyOf: inject('templateDatabase') });
}

export function baseURL(): string {
  return server().baseURL;
}

/** Debian's Chromium, headless, with the flags this closed network needs (global-setup.ts starts it once). */
export const CHROMIUM_OPTIONS = {
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
};

/**
 * The one Chromium the browser files share (started by global-setup.ts): each file connects and gets
 * its own contexts; `close()` ends the file's contexts and connection, not the shared browser.
 */
export function launch(): Promise<Browser> {
  return chromium.connect(inject('browserWSEndpoint'));
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's serious and critical violations on the page, as "rule: target" lines. */
export async function seriousViolations(page: Page): Promise<string[]> {
  // Evaluated through DevTools, not added as a <script>: the pages' CSP allows no inline script.
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe;
    // only the violations get their full node lists and selectors (the other result types are what
    // the time went on, and are never read): the same violations, in 40% less time
    return axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] }, resultTypes: ['violations'] });
  });
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

export const DEMO_PASSWORD = 'demo-password-2026';

export type SignInOptions = {
  /** the language whose home page opens after signing in, as the form lands there (default ky) */
  lang?: 'ky' | 'ru';
  password?: string;
  /** the server of the page's context: a file's `ownServer()` base (default this worker's server) */
  base?: string;
  /** the address to open once signed in (default `/${lang}/`, where the form lands); false: open nothing */
  open?: string | false;
};

/**
 * Signs `page`'s context in as `email` through the real API (POST /api/auth/login with the Origin the
 * API requires): real argon2, and the context holds the real session cookie the server set. Then opens
 * `options.open`. One request instead of the form's two page renders; a test ABOUT signing in (the form,
 * its errors, `next=`, SSO, throttling, a password just set or reset) types into the form instead.
 */
export async function signIn(page: Page, email: string, options: SignInOptions = {}): Promise<Page> {
  const base = options.base ?? baseURL();
  const res = await page.request.post(`${base}/api/auth/login`, {
    data: { email, password: options.password ?? DEMO_PASSWORD },
    headers: { origin: base, 'content-type': 'application/json' },
  });
  if (!res.ok()) throw new Error(`sign-in as ${email}: ${res.status()} ${await res.text()}`);
  const open = options.open ?? `/${options.lang ?? 'ky'}/`;
  if (open !== false) await page.goto(open);
  return page;
}

/**
 * A new context (its own cookies) signed in as a demo account by `signIn`, and its page (`page.context()`
 * for the context). `contexts`: a list the file closes afterwards, to add the context to.
 */
export async function signedInPage(
  browser: Browser,
  email: string,
  options: SignInOptions & { contexts?: BrowserContext[]; javaScriptEnabled?: boolean; viewport?: { width: number; height: number } } = {},
): Promise<Page> {
  const context = await browser.newContext({
    baseURL: options.base ?? baseURL(),
    javaScriptEnabled: options.javaScriptEnabled ?? true,
    viewport: options.viewport ?? { width: 1280, height: 900 },
  });
  options.contexts?.push(context);
  return signIn(await context.newPage(), email, options);
}

/** A JSON call from a signed-in page's session, as the site's own scripts make it; throws on an error. */
export async function pageApi(page: Page, method: string, path: string, data?: unknown) {
  const res = await page.request.fetch(path, { method, data, headers: { origin: baseURL(), 'content-type': 'application/json' } });
  const body = await res.json();
  if (!res.ok()) throw new Error(`${method} ${path}: ${res.status()} ${JSON.stringify(body)}`);
  return body;
}
