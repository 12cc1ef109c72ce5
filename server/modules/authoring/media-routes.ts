/**
 * The course media files (videos, captions, images, PDFs) by content address, for learners of
 * published courses and, before publication, for a draft's authors and reviewers (mayReadMedia).
 */
import { createReadStream, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { createRoute, z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { media } from '@db/schema';
import { AppError } from '@server/lib/errors';
import { authErrors, commonErrors, errorResponse, newRouter, requireUser } from '@server/lib/http';
import { mediaPath } from '../catalog/media';
import { mayReadMedia } from './media';

export const mediaRoutes = newRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/media/{sha256}',
      tags: ['Learning'],
      summary: 'A course media file (video, captions, image, PDF) by its SHA-256; supports HTTP Range',
      description: 'Files of published courses: anyone signed in. Files only unpublished drafts use: the draft\'s author, reviewers and administrators; anyone else gets 404.',
      request: { params: z.object({ sha256: z.string().regex(/^[a-f0-9]{64}$/) }), headers: z.object({ range: z.string().max(200).optional() }) },
      responses: {
        200: { content: { 'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) } }, description: 'The whole file' },
        206: { content: { 'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) } }, description: 'The requested byte range' },
        ...commonErrors,
        ...authErrors,
        404: errorResponse('`not_found`'),
        416: { description: 'Range not satisfiable' },
      },
    }),
    (c) => {
      const user = requireUser(c);
      const { sha256 } = c.req.valid('param');
      const row = c.get('db').select().from(media).where(eq(media.sha256, sha256)).get();
      let size: number;
      try {
        // a draft's file (not yet in a published course) only for its authors, reviewers, administrators
        if (!row || !mayReadMedia(c.get('db'), user, row)) throw new Error('unknown');
        size = statSync(mediaPath(sha256)).size;
      } catch {
        throw new AppError('not_found', 404);
      }
      const headers: Record<string, string> = {
        'Content-Type': row.contentType,
        'Accept-Ranges': 'bytes',
        // Content-addressed: a file never changes under its name. Private: lessons are for enrolled learners.
        'Cache-Control': 'private, max-age=31536000, immutable',
        'X-Content-Type-Options': 'nosniff',
      };
      if (row.contentType === 'application/pdf') headers['Content-Disposition'] = 'attachment';
      const range = c.req.header('range');
      if (range) {
        const m = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
        let start = m && m[1] !== '' ? Number(m[1]) : NaN;
        let end = m && m[2] !== '' ? Number(m[2]) : size - 1;
        if (m && m[1] === '' && m[2] !== '') {
          start = Math.max(0, size - Number(m[2]));
          end = size - 1;
        }
        end = Math.min(end, size - 1);
        if (!m || Number.isNaN(start) || start > end || start >= size) {
          return new Response(null, { status: 416, headers: { 'Content-Range': `bytes */${size}`, 'Cache-Control': 'no-store' } });
        }
        return new Response(fileStream(sha256, start, end), { status: 206, headers: { ...headers, 'Content-Range': `bytes ${start}-${end}/${size}`, 'Content-Length': String(end - start + 1) } });
      }
      return new Response(fileStream(sha256, 0, size - 1), { status: 200, headers: { ...headers, 'Content-Length': String(size) } });
    },
  );

/** Streams bytes start…end (inclusive) of a stored file, never the whole file into memory. */
function fileStream(sha256: string, start: number, end: number): ReadableStream {
  if (end < start) return new ReadableStream({ start: (c) => c.close() });
  return Readable.toWeb(createReadStream(mediaPath(sha256), { start, end })) as ReadableStream;
}
