/**
 * A revoked certificate (issue 15): it blocks no retake — the servant enrols again, passes again with
 * the attempts of the new enrolment and gets a new certificate, while the revoked enrolment and its
 * certificate stay as history — and it says so wherever it is shown.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, asc, eq } from 'drizzle-orm';
import { call, getDb, signIn, withDemo } from '../helpers';
import { certificates, enrolments, quizAttempts } from '@db/schema';
import { importCourseLibrary } from '@server/modules/catalog/service';
import { hoursInPeriod, myEnrolments } from '@server/modules/learning/service';
import { courseId, enrol, newServant, quizOf, takeQuiz, viewAllLessons } from '../support/learner-flow';
import { pdfText } from '../support/pdf-text';
import { certificatePdf } from '@server/modules/certificates/pdf';
import { findCertificate, revokeCertificate } from '@server/modules/certificates/service';
import { loadSessionUser } from '@server/modules/auth/service';
import { users } from '@db/schema';

const dir = mkdtempSync(join(tmpdir(), 'bilim-retake-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let reviewer = '';

beforeAll(async () => {
  await withDemo();
  cpSync(join('courses', 'anti-corruption'), join(dir, 'anti-corruption'), { recursive: true });
  cpSync('courses/providers.json', join(dir, 'providers.json'));
  importCourseLibrary(getDb(), dir);
  reviewer = await signIn('reviewer@demo.kg');
});

const SLUG = 'anti-corruption';
const enrolmentsOf = (userId: number) => getDb().select().from(enrolments).where(and(eq(enrolments.userId, userId), eq(enrolments.courseId, courseId(SLUG)))).orderBy(asc(enrolments.id)).all();
const certificatesOf = (userId: number) => getDb().select().from(certificates).where(and(eq(certificates.userId, userId), eq(certificates.courseId, courseId(SLUG)))).orderBy(asc(certificates.id)).all();

async function completeOnce(me: { id: number; cookie: string }) {
  viewAllLessons(me.id, SLUG);
  expect((await takeQuiz(me.cookie, quizOf(SLUG, 'final').id, 'right')).result.attempt.passed).toBe(true);
}

describe('after a certificate is revoked', () => {
  it('the servant enrols again, must pass the final test again with fresh attempts, and gets a new certificate; the history stays', async () => {
    const me = await newServant();
    expect((await enrol(me.cookie, SLUG)).status).toBe(201);
    // The final allows 2 attempts: one failed, one passed, so none is left in this enrolment.
    viewAllLessons(me.id, SLUG);
    expect((await takeQuiz(me.cookie, quizOf(SLUG, 'final').id, 'blank')).result.attempt.passed).toBe(false);
    await completeOnce(me);
    const [first] = certificatesOf(me.id);
    expect(first).toBeDefined();
    // While the certificate stands, the course is not taken again within the period.
    const again = await enrol(me.cookie, SLUG);
    expect([again.status, again.body.error?.code]).toEqual([409, 'already_completed']);

    expect((await call(`/api/certificates/${first!.code}/revoke`, { method: 'POST', cookie: reviewer, json: { reason: 'Тестти башка адам тапшырган' } })).status).toBe(200);
    expect(hoursInPeriod(getDb(), me.id).courses).toBe(0);

    const retake = await enrol(me.cookie, SLUG);
    expect(retake.status).toBe(201);
    const [old, current] = enrolmentsOf(me.id);
    expect(old).toMatchObject({ status: 'completed' });
    expect(current).toMatchObject({ id: retake.body.enrolment.id, status: 'active' });

    // The passed final of the revoked enrolment does not count for the new one: lessons alone do not complete it.
    viewAllLessons(me.id, SLUG);
    expect(enrolmentsOf(me.id)[1]!.status).toBe('active');
    // Fresh attempts: the new enrolment has the final's two attempts of its own.
    expect((await takeQuiz(me.cookie, quizOf(SLUG, 'final').id, 'blank')).result.attempt.passed).toBe(false);
    expect(enrolmentsOf(me.id)[1]!.status).toBe('active');
    await completeOnce(me);
    expect(enrolmentsOf(me.id)[1]!.status).toBe('completed');
    const third = await takeQuiz(me.cookie, quizOf(SLUG, 'final').id, 'blank');
    expect([third.status, third.result.error?.code]).toEqual([409, 'no_attempts_left']);

    const certs = certificatesOf(me.id);
    expect(certs).toHaveLength(2);
    expect(certs[0]).toMatchObject({ code: first!.code, sourceRef: `enrolment:${old!.id}` });
    expect(certs[0]!.revokedAt).not.toBeNull();
    expect(certs[1]).toMatchObject({ sourceRef: `enrolment:${current!.id}`, revokedAt: null });
    expect((await (await call(`/api/certificates/${certs[1]!.code}/verify`)).json()).status).toBe('valid');
    expect((await (await call(`/api/certificates/${first!.code}/verify`)).json()).status).toBe('revoked');
    // Each attempt belongs to its enrolment: two in the revoked one, two in the new one.
    const attempts = getDb().select().from(quizAttempts).where(and(eq(quizAttempts.userId, me.id), eq(quizAttempts.quizId, quizOf(SLUG, 'final').id))).all();
    expect(attempts.map((a) => a.enrolmentId)).toEqual([old!.id, old!.id, current!.id, current!.id]);
    expect(hoursInPeriod(getDb(), me.id).courses).toBe(1);
    // The record counts the new certificate only.
    const record = await (await call('/api/me/record', { cookie: me.cookie })).json();
    expect(JSON.stringify(record)).toContain(certs[1]!.code);
  });
});

describe('a revoked certificate says so', () => {
  it('on its PDF, in both languages with the date; in the record, the HR view and My learning', async () => {
    const me = await newServant('Мөңкө Үсөнова');
    expect((await enrol(me.cookie, SLUG)).status).toBe(201);
    await completeOnce(me);
    const [cert] = certificatesOf(me.id);
    const valid = pdfText(await certificatePdf(cert!, 'https://bilim.example', { compress: false }));
    expect(valid).toContain('Мөңкө Үсөнова');
    expect(valid).not.toMatch(/ЖОККО ЧЫГАРЫЛГАН|ОТОЗВАН|жокко чыгарылган|отозван/);

    const reviewerUser = loadSessionUser(getDb(), getDb().select().from(users).where(eq(users.email, 'reviewer@demo.kg')).get()!.id)!;
    revokeCertificate(getDb(), cert!.code, reviewerUser, 'Тест башка адам тарабынан тапшырылган', null, new Date('2026-04-02T10:00:00Z'));
    const revoked = findCertificate(getDb(), cert!.code)!;
    const text = pdfText(await certificatePdf(revoked, 'https://bilim.example', { compress: false }));
    expect(text).toContain('ЖОККО ЧЫГАРЫЛГАН');
    expect(text).toContain('ОТОЗВАН');
    expect(text).toContain('Бул сертификат 2026-жылдын 2-апрелинде жокко чыгарылган жана жараксыз.');
    expect(text).toContain('Этот сертификат отозван 2 апреля 2026 г. и недействителен.');
    // The PDF served to the holder is that one.
    const served = await call(`/api/certificates/${cert!.code}.pdf`, { cookie: me.cookie });
    expect(served.status).toBe(200);

    const record = await (await call('/api/me/record', { cookie: me.cookie })).json();
    const entry = record.entries.find((e: any) => e.certificateCode === cert!.code);
    expect(entry).toMatchObject({ status: 'revoked', revokedOn: '2026-04-02', counts: false });
    const hr = await (await call(`/api/hr/staff/${me.id}`, { cookie: await signIn('hr@demo.kg') })).json();
    expect(hr.record.find((e: any) => e.certificateCode === cert!.code)).toMatchObject({ status: 'revoked', revokedOn: '2026-04-02' });
    // My learning (myEnrolments, what the page renders) marks the completion as revoked.
    expect(myEnrolments(getDb(), me.id).find((m) => m.course.slug === SLUG)?.certificateRevokedAt).toEqual(new Date('2026-04-02T10:00:00Z'));
  });
});

