import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import { call, getDb, rightResponse, signIn, withDemo } from '../helpers';
import { auditLog, certificates, courses, lessons, quizzes } from '@db/schema';
import { importCourseLibrary } from '@server/modules/catalog/service';

/**
 * The whole path from enrolment to the servant's record: lessons viewed, the module quiz passed,
 * the course completed, a certificate issued, the record and the obligation updated, the
 * certificate revoked, and the obligation back where it was.
 */
const dir = mkdtempSync(join(tmpdir(), 'bilim-flow-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(async () => {
  await withDemo();
  cpSync('tests/fixtures/quiz-courses/quiz-demo', join(dir, 'quiz-demo'), { recursive: true });
  cpSync('tests/fixtures/quiz-courses/providers.json', join(dir, 'providers.json'));
  const manifest = JSON.parse(readFileSync(join(dir, 'quiz-demo/course.json'), 'utf8'));
  manifest.completion = { lessonsPercent: 100, moduleQuizzes: true, finalTest: false, feedback: false };
  writeFileSync(join(dir, 'quiz-demo/course.json'), JSON.stringify(manifest));
  importCourseLibrary(getDb(), dir);
});

describe('from enrolment to the training record', () => {
  it('completes only when lessons and the module quiz are done, then issues one certificate that counts', async () => {
    const db = getDb();
    const cookie = await signIn('ayil@demo.kg');
    const before = (await (await call('/api/me/record', { cookie })).json()).obligation;
    expect(before).toMatchObject({ applies: true, status: 'overdue', fromAppointment: true, countedFrom: '2022-10-17', periodYears: 3 });

    expect((await call('/api/courses/quiz-demo/enrolments', { method: 'POST', cookie })).status).toBe(201);
    const course = db.select().from(courses).where(eq(courses.slug, 'quiz-demo')).get()!;
    const lessonIds = ['01-one', '02-two'].map((slug) => db.select().from(lessons).where(eq(lessons.slug, slug)).all().at(-1)!.id);
    let seq = 1;
    for (const id of lessonIds) {
      const res = await call(`/api/lessons/${id}/progress`, { method: 'POST', cookie, json: { seq: seq++, read: true } });
      expect(res.status).toBe(200);
    }
    // every lesson viewed, but the module quiz is not passed yet
    const mine = await (await call('/api/me/enrolments', { cookie })).json();
    expect(JSON.stringify(mine)).toContain('"status":"active"');
    expect(db.select().from(certificates).where(eq(certificates.courseId, course.id)).all()).toEqual([]);

    const quiz = db.select().from(quizzes).where(and(eq(quizzes.courseId, course.id), eq(quizzes.kind, 'module'))).get()!;
    const started = await (await call(`/api/quizzes/${quiz.id}/attempts`, { method: 'POST', cookie })).json();
    let n = 1;
    for (const q of started.questions) {
      const res = await call(`/api/attempts/${started.attempt.id}/answers/${q.id}`, { method: 'PUT', cookie, json: { response: rightResponse(q.id), seq: n++ } });
      expect(res.status).toBe(200);
    }
    expect((await call(`/api/attempts/${started.attempt.id}/submit`, { method: 'POST', cookie })).status).toBe(200);

    // passing the quiz completed the course and issued exactly one certificate
    const certs = db.select().from(certificates).where(eq(certificates.courseId, course.id)).all();
    expect(certs).toHaveLength(1);
    expect(certs[0]).toMatchObject({ holderName: 'Гүлзат Сыдыкова', hours: 2 });
    const mineNow = await (await call('/api/me/certificates', { cookie })).json();
    expect(mineNow.certificates.map((c: any) => c.code)).toEqual([certs[0]!.code]);

    const record = await (await call('/api/me/record', { cookie })).json();
    expect(record.entries[0]).toMatchObject({ source: 'platform', counts: true, certificateCode: certs[0]!.code, hours: 2 });
    expect(record.obligation).toMatchObject({ status: 'compliant', fromAppointment: false, countedFrom: certs[0]!.completedOn });

    const reviewer = await signIn('reviewer@demo.kg');
    const revoke = await call(`/api/certificates/${certs[0]!.code}/revoke`, { method: 'POST', cookie: reviewer, json: { reason: 'Тест тапшырылган эмес' } });
    expect(revoke.status).toBe(200);
    const after = (await (await call('/api/me/record', { cookie })).json()).obligation;
    expect(after).toMatchObject({ status: 'overdue', fromAppointment: true });
    const audit = db.select().from(auditLog).where(eq(auditLog.action, 'certificate.revoked')).all();
    expect(audit).toEqual([expect.objectContaining({ targetId: certs[0]!.code })]);
  });
});

describe('a transfer between organisations', () => {
  it('keeps the record and the status with the person; only the new body’s HR sees them', async () => {
    const db = getDb();
    const { users, organisations } = await import('@db/schema');
    const { listStaff } = await import('@server/modules/hr/service');
    const { issueCertificate } = await import('@server/modules/certificates/service');
    const { subtreeIds } = await import('@server/modules/organisations/service');
    const person = db.select().from(users).where(eq(users.email, 'municipal@demo.kg')).get()!;
    const course = db.select().from(courses).where(eq(courses.slug, 'quiz-demo')).get()!;
    issueCertificate(db, { userId: person.id, courseId: course.id, sourceRef: 'transfer-test', completedAt: new Date() });
    const village = person.organisationId!;
    const osh = db.select().from(organisations).where(eq(organisations.nameRu, 'Мэрия города Ош')).get()!;
    const before = listStaff(db, subtreeIds(db, [village])).find((s) => s.id === person.id)!;
    expect(before.status).toBe('compliant');

    db.update(users).set({ organisationId: osh.id }).where(eq(users.id, person.id)).run();
    expect(listStaff(db, subtreeIds(db, [village])).some((s) => s.id === person.id)).toBe(false);
    const after = listStaff(db, subtreeIds(db, [osh.id])).find((s) => s.id === person.id)!;
    expect(after.status).toBe('compliant');
    expect(after.dueDate).toBe(before.dueDate);
    const record = await (await call('/api/me/record', { cookie: await signIn('municipal@demo.kg') })).json();
    expect(record.entries.map((e: any) => e.certificateCode)).toContain(db.select().from(certificates).where(eq(certificates.sourceRef, 'transfer-test')).get()!.code);
  });
});
