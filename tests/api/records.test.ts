import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { call, getDb, signIn, withDemo } from '../helpers';
import { courses, users } from '@db/schema';
import { importCourseLibrary } from '@server/modules/catalog/service';
import { issueCertificate, revokeCertificate } from '@server/modules/certificates/service';
import { loadSessionUser } from '@server/modules/auth/service';
import { qualifyingTrainings } from '@server/modules/records/service';

const uploads = mkdtempSync(join(tmpdir(), 'bilim-uploads-'));
process.env.UPLOADS_DIR = uploads;
afterAll(() => rmSync(uploads, { recursive: true, force: true }));

const idOf = (email: string) => getDb().select().from(users).where(eq(users.email, email)).get()!.id;
const PDF = new Uint8Array([...Buffer.from('%PDF-1.4\n% test scan\n')]);

function form(fields: Record<string, string>, scan?: { bytes: Uint8Array; name: string; type: string }) {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  if (scan) f.set('scan', new File([new Uint8Array(scan.bytes)], scan.name, { type: scan.type }));
  return f;
}
const seminar = {
  kind: 'seminar',
  term: 'short',
  funding: 'donor',
  title: 'Гендердик бюджеттөө боюнча семинар',
  provider: 'ПРООН',
  hours: '16',
  startDate: '2025-04-14',
  endDate: '2025-04-15',
  orderNumber: '45-к',
  orderDate: '2025-04-10',
};

beforeAll(async () => {
  await withDemo();
  importCourseLibrary(getDb(), 'tests/fixtures/courses');
});

describe('outside trainings', () => {
  let id: number;

  it('a servant adds one with a scan; it is pending and does not count yet', async () => {
    const cookie = await signIn('learner@demo.kg');
    const res = await call('/api/records/outside', { method: 'POST', cookie, body: form(seminar, { bytes: PDF, name: 'scan.pdf', type: 'application/pdf' }) });
    expect(res.status).toBe(201);
    ({ id } = await res.json());
    const record = await (await call('/api/me/record', { cookie })).json();
    expect(record.entries).toEqual([expect.objectContaining({ source: 'outside', id, status: 'pending', counts: false, hours: 16, funding: 'donor', hasScan: true })]);
    expect(record.counted).toEqual({ trainings: 0, hours: 0 });
    expect(readdirSync(uploads).filter((f) => !f.startsWith('.'))).toHaveLength(1);
  });

  it('refuses bad input with the field named', async () => {
    const cookie = await signIn('learner@demo.kg');
    const cases: [Record<string, string>, string, string][] = [
      [{ ...seminar, kind: 'holiday' }, 'invalid_input', 'kind'],
      [{ ...seminar, hours: '0' }, 'invalid_input', 'hours'],
      [{ ...seminar, startDate: '2025-02-30' }, 'invalid_input', 'startDate'],
      [{ ...seminar, endDate: '2025-04-01' }, 'end_before_start', 'endDate'],
      [{ ...seminar, startDate: '2099-01-01', endDate: '2099-01-02' }, 'date_in_future', 'endDate'],
    ];
    for (const [fields, code, field] of cases) {
      const res = await call('/api/records/outside', { method: 'POST', cookie, body: form(fields) });
      expect(res.status, code).toBe(400);
      expect(await res.json()).toEqual({ error: { code, field } });
    }
  });

  it('refuses a file that is not a PDF or picture, whatever its name says', async () => {
    const cookie = await signIn('learner@demo.kg');
    const exe = new Uint8Array([0x4d, 0x5a, 0x90, 0x00]);
    const res = await call('/api/records/outside', { method: 'POST', cookie, body: form(seminar, { bytes: exe, name: 'scan.pdf', type: 'application/pdf' }) });
    expect(res.status).toBe(415);
    expect(await res.json()).toEqual({ error: { code: 'file_type_not_allowed', field: 'scan' } });
  });

  it('the scan is open to its servant and their HR only', async () => {
    const own = await call(`/api/records/outside/${id}/scan`, { cookie: await signIn('learner@demo.kg') });
    expect(own.status).toBe(200);
    expect(own.headers.get('content-type')).toBe('application/pdf');
    expect(new Uint8Array(await own.arrayBuffer())).toEqual(PDF);
    expect((await call(`/api/records/outside/${id}/scan`, { cookie: await signIn('hr@demo.kg') })).status).toBe(200);
    expect((await call(`/api/records/outside/${id}/scan`, { cookie: await signIn('municipal@demo.kg') })).status).toBe(404);
  });

  it('HR of another body cannot add for, see or verify this servant', async () => {
    const db = getDb();
    // make osh@ an HR officer of Osh city hall only
    const { userRoles, organisations } = await import('@db/schema');
    const osh = db.select().from(organisations).where(eq(organisations.nameRu, 'Мэрия города Ош')).get()!;
    db.insert(userRoles).values({ userId: idOf('osh@demo.kg'), role: 'hr', organisationId: osh.id }).run();
    const cookie = await signIn('osh@demo.kg');
    const add = await call('/api/records/outside', { method: 'POST', cookie, body: form({ ...seminar, userId: String(idOf('learner@demo.kg')) }) });
    expect(add.status).toBe(404);
    expect((await (await call('/api/hr/records', { cookie })).json()).records).toEqual([]);
    const review = await call(`/api/hr/records/${id}/review`, { method: 'POST', cookie, json: { status: 'verified' } });
    expect(review.status).toBe(404);
  });

  it('HR of the servant’s ministry sees it pending, needs a reason to reject, and verifies it', async () => {
    const cookie = await signIn('hr@demo.kg');
    const list = await (await call('/api/hr/records', { cookie })).json();
    expect(list.records).toEqual([expect.objectContaining({ id, person: expect.objectContaining({ fullName: 'Айгүл Асанова' }), status: 'pending' })]);
    const noReason = await call(`/api/hr/records/${id}/review`, { method: 'POST', cookie, json: { status: 'rejected' } });
    expect(await noReason.json()).toEqual({ error: { code: 'reason_required', field: 'reason' } });
    const learner = await signIn('learner@demo.kg');
    expect((await call(`/api/hr/records/${id}/review`, { method: 'POST', cookie: learner, json: { status: 'verified' } })).status).toBe(403);
    const ok = await call(`/api/hr/records/${id}/review`, { method: 'POST', cookie, json: { status: 'verified' } });
    expect(await ok.json()).toEqual({ id, status: 'verified' });
    const record = await (await call('/api/me/record', { cookie: learner })).json();
    expect(record.counted).toEqual({ trainings: 1, hours: 16 });
    const { auditLog } = await import('@db/schema');
    const entries = getDb().select().from(auditLog).where(eq(auditLog.action, 'record.verified')).all();
    expect(entries).toEqual([expect.objectContaining({ actorId: idOf('hr@demo.kg'), targetId: String(id) })]);
  });

  it('an HR officer cannot verify their own outside training', async () => {
    const cookie = await signIn('hr@demo.kg');
    const res = await call('/api/records/outside', { method: 'POST', cookie, body: form(seminar) });
    const { id: own } = await res.json();
    const review = await call(`/api/hr/records/${own}/review`, { method: 'POST', cookie, json: { status: 'verified' } });
    expect(review.status).toBe(403);
    expect(await review.json()).toEqual({ error: { code: 'cannot_review_own_record' } });
  });
});

describe('the record joins platform completions', () => {
  it('counts a valid certificate and stops counting it once revoked', async () => {
    const db = getDb();
    const userId = idOf('municipal@demo.kg');
    const course = db.select().from(courses).where(eq(courses.slug, 'public-service-basics')).get()!;
    const cert = issueCertificate(db, { userId, courseId: course.id, sourceRef: 'test:rec', completedAt: new Date('2026-06-01T08:00:00Z') });
    expect(qualifyingTrainings(db, userId)).toEqual([{ completedOn: '2026-06-01', hours: 30 }]);
    revokeCertificate(db, cert.code, loadSessionUser(db, idOf('reviewer@demo.kg'))!, 'ошибка');
    expect(qualifyingTrainings(db, userId)).toEqual([]);
    const record = await (await call('/api/me/record', { cookie: await signIn('municipal@demo.kg') })).json();
    expect(record.entries).toEqual([expect.objectContaining({ source: 'platform', status: 'revoked', counts: false, certificateCode: cert.code })]);
  });
});
