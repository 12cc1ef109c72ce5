/**
 * Launching a SCORM package. A launch is a random token naming one package (and, for a learner, one
 * lesson) for one person, for a few hours. The package's files are served under
 * `/scorm-content/p/<token>/…` — from CONTENT_ORIGIN when it is set, else from the platform's own
 * host into a sandboxed frame with an opaque origin. No cookie is read there: the token is the only
 * key, and it opens nothing but the package's files and its runtime's starting data.
 */
import { randomBytes } from 'node:crypto';
import { and, eq, gt, lt } from 'drizzle-orm';
import type { DB } from '@db/client';
import { scormLaunches } from '@db/schema';
import { AppError } from '@server/lib/errors';
import { getScormPackage } from './package';

export type ScormLaunch = typeof scormLaunches.$inferSelect;

/** How long a launch stays valid (a learner may keep a lesson open through a working day). */
export const LAUNCH_HOURS = 12;

/** CONTENT_ORIGIN (`https://content.bilim.gov.kg`), normalised, or null: the platform's own host with a sandboxed frame. */
export function contentOrigin(): string | null {
  const raw = process.env.CONTENT_ORIGIN?.trim();
  if (!raw) return null;
  try {
    return new URL(raw).origin;
  } catch {
    throw new Error(`CONTENT_ORIGIN is not an origin: ${raw}`);
  }
}

/** The `host[:port]` of CONTENT_ORIGIN, or null. */
export function contentHost(): string | null {
  const origin = contentOrigin();
  return origin ? new URL(origin).host : null;
}

/**
 * Whether a request with this Host header is for package content. With CONTENT_ORIGIN set, the
 * content host serves only `/scorm-content/` and the platform's host never serves it.
 */
export function isContentHost(host: string | null | undefined): boolean {
  const ch = contentHost();
  return ch !== null && (host ?? '').toLowerCase() === ch.toLowerCase();
}

/** Starts a launch of one SCO; `parentOrigin` is the page that frames it. */
export function createLaunch(
  db: DB,
  input: { packageSha256: string; href: string; userId: number; lessonId: number | null; parentOrigin: string },
  now = new Date(),
): { token: string; url: string; sandboxed: boolean } {
  if (!getScormPackage(db, input.packageSha256)) throw new AppError('not_found', 404);
  const token = randomBytes(24).toString('base64url');
  db.delete(scormLaunches).where(lt(scormLaunches.expiresAt, now)).run();
  db.insert(scormLaunches)
    .values({ token, packageSha256: input.packageSha256, userId: input.userId, href: input.href, lessonId: input.lessonId, parentOrigin: input.parentOrigin, expiresAt: new Date(now.getTime() + LAUNCH_HOURS * 3600_000) })
    .run();
  const origin = contentOrigin();
  return { token, url: `${origin ?? ''}/scorm-content/p/${token}/${input.href}`, sandboxed: origin === null };
}

/** The launch a token names, while valid. */
export function launchByToken(db: DB, token: string, now = new Date()): ScormLaunch | undefined {
  if (!/^[A-Za-z0-9_-]{32}$/.test(token)) return undefined;
  return db.select().from(scormLaunches).where(and(eq(scormLaunches.token, token), gt(scormLaunches.expiresAt, now))).get();
}

/** The frame's sandbox: scripts and forms, never the platform's origin (no allow-same-origin) unless the content has its own origin. */
export function frameSandbox(): string {
  return contentOrigin() ? 'allow-scripts allow-same-origin allow-forms allow-popups allow-downloads' : 'allow-scripts allow-forms allow-popups allow-downloads';
}
