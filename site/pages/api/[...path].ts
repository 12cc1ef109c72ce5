import type { APIRoute } from 'astro';
import { app } from '@server/app';

/**
 * The Hono API under `astro dev`. The production server (server/entry.ts) hands /api/ requests to
 * the same app before Astro sees them; a request reaches this endpoint only under `astro dev`.
 */
export const ALL: APIRoute = ({ request, clientAddress }) => app.fetch(request, { ip: clientAddress });
