import { z } from '@hono/zod-openapi';

const Bilingual = z.object({ ky: z.string().nullable(), ru: z.string().nullable() });

export const CodeParam = z.object({
  code: z.string().max(40).openapi({ param: { name: 'code', in: 'path' }, example: 'BLM-7Q4M-X2PA-9RTD' }),
});

export const Verification = z
  .object({
    code: z.string(),
    status: z.enum(['valid', 'revoked']),
    holderName: z.string(),
    course: Bilingual,
    hours: z.number().int(),
    completedOn: z.string().openapi({ example: '2026-11-22' }),
    revokedOn: z.string().nullable(),
  })
  .openapi('CertificateVerification');

export const CertificateItem = z
  .object({
    code: z.string(),
    status: z.enum(['valid', 'revoked']),
    course: Bilingual,
    courseSlug: z.string(),
    hours: z.number().int(),
    completedOn: z.string(),
    issuedAt: z.string().openapi({ description: 'ISO 8601, UTC' }),
    pdf: z.string().openapi({ example: '/api/certificates/BLM-7Q4M-X2PA-9RTD.pdf' }),
    verify: z.string().openapi({ example: '/ky/verify/BLM-7Q4M-X2PA-9RTD' }),
  })
  .openapi('Certificate');

export const RevokeBody = z
  .strictObject({ reason: z.string().trim().min(3).max(500) })
  .openapi('RevokeCertificate');
