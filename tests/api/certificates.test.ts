import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { call, getDb, signIn, withDemo } from '../helpers';
import { courses, users } from '@db/schema';
import { importCourseLibrary } from '@server/modules/catalog/service';
import { certificateKey, findCertificate, issueCertificate, newCertificateCode, revokeCertificate, type Certificate } from '@server/modules/certificates/service';
import { loadSessionUser } from '@server/modules/auth/service';
import { AppError } from '@server/lib/errors';
import { certificatePdf } from '@server/modules/certificates/pdf';

let cert: Certificate;
const userId = (email: string) => getDb().select().from(users).where(eq(users.email, email)).get()!.id;

beforeAll(async () => {
  await withDemo();
  importCourseLibrary(getDb(), 'tests/fixtures/courses');
  const course = getDb().select().from(courses).where(eq(courses.slug, 'ru-digital')).get()!;
  cert = issueCertificate(getDb(), { userId: userId('learner@demo.kg'), courseId: course.id, sourceRef: 'test:1', completedAt: new Date('2026-03-01T20:30:00Z') });
});

describe('certificate numbers', () => {
  it('follow the policy format around a random part, unrelated to one another', () => {
    const codes = Array.from({ length: 2000 }, () => newCertificateCode('BLM-{YYYY}-{CODE}', 2026));
    expect(new Set(codes).size).toBe(codes.length);
    for (const c of codes.slice(0, 50)) expect(c).toMatch(/^BLM-2026-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/);
    // every position uses the whole alphabet: nothing is a counter
    expect(new Set(codes.map((c) => c[9])).size).toBe(31);
    expect(newCertificateCode('KG/{YYYY}/{CODE}', 2027)).toMatch(/^KG\/2027\/[2-9A-HJKMNP-Z]{4}-/);
  });
  it('the certificate carries the year of completion and is found as people type it', () => {
    expect(cert.code).toMatch(/^BLM-2026-/);
    const bare = cert.code.replace(/-/g, '').toLowerCase();
    expect(findCertificate(getDb(), bare)?.id).toBe(cert.id);
    expect(findCertificate(getDb(), ` ${cert.code.replace(/-/g, ' ')} `)?.id).toBe(cert.id);
    expect(certificateKey('BLM-1')).toBeNull();
  });
});

describe('issuing', () => {
  it('snapshots holder, course, hours and the Bishkek day of completion', () => {
    expect(cert).toMatchObject({ holderName: 'Айгүл Асанова', courseTitleRu: 'Информационная безопасность', hours: 6, completedOn: '2026-03-02' });
  });
  it('is idempotent for the same completion', () => {
    const again = issueCertificate(getDb(), { userId: cert.userId, courseId: cert.courseId, sourceRef: 'test:1', completedAt: new Date() });
    expect(again.code).toBe(cert.code);
  });
});

describe('public check', () => {
  it('shows validity, name, course, hours and date — nothing else about the person', async () => {
    const res = await call(`/api/certificates/${cert.code}/verify`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      code: cert.code,
      status: 'valid',
      holderName: 'Айгүл Асанова',
      course: { ky: 'Маалыматтык коопсуздук', ru: 'Информационная безопасность' },
      hours: 6,
      completedOn: '2026-03-02',
      revokedOn: null,
    });
  });
  it('answers 404 for an unknown or malformed number', async () => {
    expect((await call('/api/certificates/BLM-2026-2222-2222-2222/verify')).status).toBe(404);
    expect(await (await call('/api/certificates/hello/verify')).json()).toEqual({ error: { code: 'certificate_not_found' } });
  });
});

describe('PDF', () => {
  it('is served to the holder, the HR officer of the holder’s organisation, reviewers and admins', async () => {
    for (const email of ['learner@demo.kg', 'hr@demo.kg', 'reviewer@demo.kg', 'admin@demo.kg']) {
      const res = await call(`/api/certificates/${cert.code}.pdf`, { cookie: await signIn(email) });
      expect(res.status, email).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/pdf');
      expect(Buffer.from(await res.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
    }
  });
  it('is not found for anyone else, and needs a session', async () => {
    expect((await call(`/api/certificates/${cert.code}.pdf`)).status).toBe(401);
    for (const email of ['municipal@demo.kg', 'trainer@demo.kg']) {
      const res = await call(`/api/certificates/${cert.code}.pdf`, { cookie: await signIn(email) });
      expect(res.status, email).toBe(404);
    }
  });
  it('embeds a font with ң ө ү and carries the number', async () => {
    const holder = { ...cert, holderName: 'Мөңкө Үсөнов' };
    const pdf = (await certificatePdf(holder, 'https://bilim.example', { compress: false })).toString('latin1');
    expect(pdf).toContain('/FontFile2');
    // the embedded font's ToUnicode map covers the Kyrgyz letters
    const cmaps = [...pdf.matchAll(/stream\r?\n([\s\S]*?)endstream/g)].map((m) => m[1]!).filter((s) => s.includes('beginbfchar') || s.includes('beginbfrange'));
    const unicode = cmaps.join('\n').toLowerCase();
    for (const hex of ['04a3', '04e9', '04af']) expect(unicode).toContain(hex);
  });
});

describe('my certificates and revocation', () => {
  it('lists the signed-in user’s certificates with links', async () => {
    const body = await (await call('/api/me/certificates', { cookie: await signIn('learner@demo.kg') })).json();
    expect(body.certificates).toEqual([
      expect.objectContaining({ code: cert.code, status: 'valid', courseSlug: 'ru-digital', pdf: `/api/certificates/${cert.code}.pdf`, verify: `/ky/verify/${cert.code}` }),
    ]);
    const other = await (await call('/api/me/certificates', { cookie: await signIn('osh@demo.kg') })).json();
    expect(other.certificates).toEqual([]);
  });

  it('the service itself refuses anyone but reviewers and admins, and a reason under 3 characters', () => {
    // the rule lives in revokeCertificate: the API route and the verification page only call it
    const refused = (email: string, reason: string) => {
      try {
        revokeCertificate(getDb(), cert.code, loadSessionUser(getDb(), userId(email))!, reason);
      } catch (e) {
        if (e instanceof AppError) return [e.status, e.code, e.field ?? null];
        throw e;
      }
      return 'revoked';
    };
    for (const email of ['learner@demo.kg', 'trainer@demo.kg', 'hr@demo.kg']) expect(refused(email, 'Выдан по ошибке')).toEqual([403, 'forbidden', null]);
    expect(refused('reviewer@demo.kg', '  ab  ')).toEqual([400, 'revoke_reason_required', 'reason']);
    expect(refused('admin@demo.kg', '')).toEqual([400, 'revoke_reason_required', 'reason']);
    expect(findCertificate(getDb(), cert.code)?.revokedAt).toBeNull();
  });

  it('only reviewers and admins revoke, with a reason; the check then says revoked', async () => {
    const learner = await signIn('learner@demo.kg');
    expect((await call(`/api/certificates/${cert.code}/revoke`, { method: 'POST', cookie: learner, json: { reason: 'ошибка' } })).status).toBe(403);
    const reviewer = await signIn('reviewer@demo.kg');
    const short = await call(`/api/certificates/${cert.code}/revoke`, { method: 'POST', cookie: reviewer, json: { reason: 'x' } });
    expect(await short.json()).toEqual({ error: { code: 'invalid_input', field: 'reason' } });
    const ok = await call(`/api/certificates/${cert.code}/revoke`, { method: 'POST', cookie: reviewer, json: { reason: 'Выдан по ошибке' } });
    expect(ok.status).toBe(200);
    expect((await ok.json()).status).toBe('revoked');
    const check = await (await call(`/api/certificates/${cert.code}/verify`)).json();
    expect(check.status).toBe('revoked');
    expect(check.revokedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(JSON.stringify(check)).not.toContain('ошибке');
    const twice = await call(`/api/certificates/${cert.code}/revoke`, { method: 'POST', cookie: reviewer, json: { reason: 'Ещё раз' } });
    expect(twice.status).toBe(409);
  });
});
