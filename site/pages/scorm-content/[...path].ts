import type { APIRoute } from 'astro';
import { contentApp } from '@server/modules/scorm/content';

/**
 * SCORM package content under `astro dev`. The production server (server/entry.ts) hands
 * /scorm-content/ requests to the same app before Astro sees them.
 */
export const ALL: APIRoute = ({ request }) => contentApp.fetch(request);
