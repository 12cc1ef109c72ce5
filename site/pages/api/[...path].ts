import type { APIRoute } from 'astro';
import { app } from '../../../server/app';

/** The Hono API, in the same process: every /api/* request goes to it unchanged. */
export const ALL: APIRoute = ({ request, clientAddress }) => app.fetch(request, { ip: clientAddress });
