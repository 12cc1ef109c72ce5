/**
 * Runs before each API test file. The API files share their worker's modules (vitest.config.ts,
 * `isolate: false`), so each file begins here on a fresh database and the environment as it was.
 */
import '@server/modules/providers';
import { forgetSharedDb } from '@db/client';

const initialEnv = ((globalThis as { __initialEnv?: NodeJS.ProcessEnv }).__initialEnv ??= { ...process.env });
for (const key of Object.keys(process.env)) if (!(key in initialEnv)) delete process.env[key];
Object.assign(process.env, initialEnv);
forgetSharedDb();
