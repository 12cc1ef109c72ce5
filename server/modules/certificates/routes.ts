import { createRoute, z } from '@hono/zod-openapi';
import { inArray } from 'drizzle-orm';
import { courses } from '@db/schema';
import { authErrors, commonErrors, errorResponse, newRouter, requireUser } from '@server/lib/http';
import { publicOrigin } from '@server/lib/origin';
import { certificatePdf } from './pdf';
import { CertificateItem, CodeParam, RevokeBody, Verification } from './schemas';
import { certificateFor, listCertificates, revokeCertificate, verifyCertificate } from './service';

const FileParam = z.object({
  file: z.string().max(48).regex(/^[A-Za-z0-9/-]+\.pdf$/).openapi({ param: { name: 'file', in: 'path' }, example: 'BLM-7Q4M-X2PA-9RTD.pdf', description: 'The certificate number followed by .pdf' }),
});

export const certificateRoutes = newRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/certificates/{code}/verify', security: [],
      tags: ['Certificates'],
      summary: 'Public check of a certificate: validity, holder’s name, course, hours and date',
      request: { params: CodeParam },
      responses: {
        200: { content: { 'application/json': { schema: Verification } }, description: 'The certificate exists' },
        404: errorResponse('`certificate_not_found`'),
      },
    }),
    (c) => c.json(verifyCertificate(c.get('db'), c.req.valid('param').code), 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/certificates/{file}',
      tags: ['Certificates'],
      summary: 'The certificate as a PDF (holder, HR of the holder’s organisation, reviewer, admin)',
      request: { params: FileParam },
      responses: {
        200: { content: { 'application/pdf': { schema: z.string().openapi({ format: 'binary' }) } }, description: 'A4 PDF in Kyrgyz and Russian with a QR code to the public check' },
        ...authErrors,
        404: errorResponse('`certificate_not_found`, also when the certificate is not yours to see'),
      },
    }),
    async (c) => {
      const user = requireUser(c);
      const code = c.req.valid('param').file.replace(/\.pdf$/, '');
      const cert = certificateFor(c.get('db'), user, code);
      const pdf = await certificatePdf(cert, publicOrigin(c.req.raw.headers));
      return c.body(new Uint8Array(pdf), 200, {
        'Content-Type': 'application/pdf',
        'Content-Disposition': `inline; filename="${cert.code}.pdf"`,
      });
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/me/certificates',
      tags: ['Certificates'],
      summary: 'The signed-in user’s certificates',
      responses: {
        200: { content: { 'application/json': { schema: z.object({ certificates: z.array(CertificateItem) }) } }, description: 'Newest first' },
        ...authErrors,
      },
    }),
    (c) => {
      const user = requireUser(c);
      const db = c.get('db');
      const list = listCertificates(db, user.id);
      const slugs = new Map(
        list.length
          ? db.select({ id: courses.id, slug: courses.slug }).from(courses).where(inArray(courses.id, list.map((x) => x.courseId))).all().map((r) => [r.id, r.slug])
          : [],
      );
      return c.json(
        {
          certificates: list.map((x) => ({
            code: x.code,
            status: x.revokedAt ? ('revoked' as const) : ('valid' as const),
            course: { ky: x.courseTitleKy, ru: x.courseTitleRu },
            courseSlug: slugs.get(x.courseId) ?? '',
            hours: x.hours,
            completedOn: x.completedOn,
            issuedAt: x.issuedAt.toISOString(),
            pdf: `/api/certificates/${x.code}.pdf`,
            verify: `/${user.locale}/verify/${x.code}`,
          })),
        },
        200,
      );
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/certificates/{code}/revoke',
      tags: ['Certificates'],
      summary: 'Revoke a certificate with a reason (reviewer, admin)',
      request: { params: CodeParam, body: { required: true, content: { 'application/json': { schema: RevokeBody } } } },
      responses: {
        200: { content: { 'application/json': { schema: Verification } }, description: 'Revoked; the public check now says so' },
        ...commonErrors,
        ...authErrors,
        404: errorResponse('`certificate_not_found`'),
        409: errorResponse('`certificate_already_revoked`'),
      },
    }),
    (c) => {
      const user = requireUser(c, 'reviewer', 'admin');
      const db = c.get('db');
      const { code } = c.req.valid('param');
      const revoked = revokeCertificate(db, code, user, c.req.valid('json').reason, c.env?.ip ?? null);
      return c.json(verifyCertificate(db, revoked.code), 200);
    },
  );
