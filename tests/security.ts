/**
 * Shared by tests/api/access-control.test.ts and tests/api/bad-input.test.ts: the routes as
 * /api/openapi.json lists them, one cookie per role, fixtures with real ids (a servant's enrolment,
 * outside training, certificate, quiz attempts…), a rollback wrapper so every request sees the same
 * state, and a fingerprint of every table to prove a refused request stored nothing.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import { call, getDb, signIn, withDemo, DEMO_PASSWORD } from './helpers';
import { courses, lessons, media, organisations, quizAttemptItems, quizQuestions, quizzes, userRoles, users } from '../db/schema';
import { importCourseLibrary } from '../server/modules/catalog/service';
import { sha256, storeMedia } from '../server/modules/catalog/media';
import { issueCertificate } from '../server/modules/certificates/service';
import { enrolSelf } from '../server/modules/learning/service';
import { askQuestion } from '../server/modules/qa/service';
import { createPasswordReset, createPerson } from '../server/modules/people/service';
import { startAttempt, submitAttempt } from '../server/modules/quiz/service';
import { loginLimiter } from '../server/modules/auth/rate-limit';
import { scormZip } from './support/scorm';
import { addPeople, campaignPeople, createCampaign, decideStage1, setCommission, setStage2Result } from '../server/modules/attestation/service';
import { createSession, enterSession } from '../server/modules/attestation/testing';
import { publishScormCourse } from './support/scorm-course';

/** A small SCORM 1.2 package, for the upload route. */
const SCORM_ZIP = new Uint8Array(scormZip({ version: '1.2', scos: [{ id: 'SCO-1', title: 'Сабак' }] }));

// Scans go to a throw-away folder (set before any upload is stored).
export const UPLOADS = mkdtempSync(join(tmpdir(), 'bilim-security-'));
process.env.UPLOADS_DIR = UPLOADS;
/** Stored scans (not temporary files). */
export const storedFiles = () => readdirSync(UPLOADS).filter((f) => !f.startsWith('.')).length;

export const ATTESTATION_POST = 'Райондук мамлекеттик администрациянын башчысы';
/** A valid campaign (open, the schedule from today on). */
export function attestationCampaignBody(extra: Record<string, unknown> = {}) {
  const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
  return {
    kind: 'attestation' as 'attestation' | 'competition', status: 'open' as const, titleKy: 'Аттестация', titleRu: 'Аттестация', posts: [ATTESTATION_POST], region: 'osh' as const,
    stage1From: day(0), stage1To: day(10), stage2From: day(11), stage2To: day(12), stage3From: day(13), stage3To: day(20),
    criteria: [{ key: 'knowledge', ky: 'Кесиптик билими', ru: 'Профессиональные знания' }], ...extra,
  };
}

/** The columns of the access table, in order. */
export const ROLES = ['anon', 'learner', 'trainer', 'hr', 'hrOther', 'reviewer', 'admin'] as const;
export type RoleName = (typeof ROLES)[number];
/**
 * anon: no session. learner: learner@demo.kg, who owns every personal fixture. trainer: trainer@
 * (also a learner, but not the owner). hr: hr@, HR over the learner's ministry. hrOther: an HR officer
 * of another body (Osh city hall), made here. reviewer: reviewer@. admin: admin@.
 */
export const ROLE_EMAILS: Record<Exclude<RoleName, 'anon'>, string> = {
  learner: 'learner@demo.kg',
  trainer: 'trainer@demo.kg',
  hr: 'hr@demo.kg',
  hrOther: 'hr-osh@test.kg',
  reviewer: 'reviewer@demo.kg',
  admin: 'admin@demo.kg',
};

export type Fixtures = Awaited<ReturnType<typeof buildFixtures>>;
/** A one-question Aiken file (question-bank import). */
const AIKEN_BYTES = new TextEncoder().encode('Кызматкер ким?\nA) Мамлекеттик кызматчы\nB) Турист\nANSWER: A\n');
/** A real .docx (LibreOffice output, tests/fixtures/word/README.md): a Word document made a lesson. */
const DOCX_BYTES = new Uint8Array(readFileSync('tests/fixtures/word/lesson.docx'));
export const PDF_BYTES = new Uint8Array([...Buffer.from('%PDF-1.4\n% scan\n')]);

/** Demo data, the test course libraries and one of everything that has an id in a path. */
export async function buildFixtures() {
  await withDemo();
  const db = getDb();
  importCourseLibrary(db, 'tests/fixtures/courses');
  importCourseLibrary(db, 'tests/fixtures/quiz-courses');
  const idOf = (email: string) => db.select().from(users).where(eq(users.email, email)).get()!.id;
  const osh = db.select().from(organisations).where(eq(organisations.nameRu, 'Мэрия города Ош')).get()!;
  const village = db.select().from(organisations).where(eq(organisations.nameRu, 'Айыл окмоту Кара-Суу')).get()!;
  await createPerson(db, {
    email: ROLE_EMAILS.hrOther, password: DEMO_PASSWORD, fullName: 'Азамат Ормонов', organisationId: osh.id,
    positionTitle: 'Кадр кызматынын адиси', postKind: 'administrative', adminGroup: 'senior', service: 'municipal',
    gender: 'male', appointmentDate: '2017-05-02', locale: 'ru',
    roles: [{ role: 'learner' }, { role: 'hr', organisationId: osh.id }],
  });
  const learnerId = idOf(ROLE_EMAILS.learner);
  const adminId = idOf(ROLE_EMAILS.admin);
  const personId = idOf('municipal@demo.kg');
  const grantId = db.select().from(userRoles).where(eq(userRoles.userId, personId)).get()!.id;

  const quizCourse = db.select().from(courses).where(eq(courses.slug, 'quiz-demo')).get()!;
  // The learner's enrolment for the enrolment and lesson routes is in ru-digital; tests are taken in quiz-demo
  // (a course's tests are for its enrolled learners).
  const course = db.select().from(courses).where(eq(courses.slug, 'ru-digital')).get()!;
  const enrolment = enrolSelf(db, learnerId, course.slug).enrolment;
  enrolSelf(db, learnerId, quizCourse.slug);
  // The test libraries have no media: store one caption file as an import would (published).
  const vtt = Buffer.from('WEBVTT\n\n00:00.000 --> 00:02.000\nСаламатсызбы!\n');
  const mediaSha = sha256(vtt);
  storeMedia(mediaSha, vtt);
  db.insert(media).values({ sha256: mediaSha, contentType: 'text/vtt', bytes: vtt.length, createdAt: new Date(), publishedAt: new Date() }).onConflictDoNothing().run();

  const final = db.select().from(quizzes).where(and(eq(quizzes.courseId, quizCourse.id), eq(quizzes.kind, 'final'))).get()!;
  const moduleQuiz = db.select().from(quizzes).where(and(eq(quizzes.courseId, quizCourse.id), eq(quizzes.kind, 'module'))).get()!;
  // A finished final test (its essay waits for a trainer) and a module quiz still in progress.
  const done = startAttempt(db, final.id, learnerId).attemptId;
  submitAttempt(db, done, learnerId);
  const open = startAttempt(db, moduleQuiz.id, learnerId).attemptId;
  const openQuestionId = db.select().from(quizAttemptItems).where(eq(quizAttemptItems.attemptId, open)).get()!.questionId;
  const essayItem = db
    .select({ id: quizAttemptItems.id })
    .from(quizAttemptItems)
    .innerJoin(quizQuestions, eq(quizQuestions.id, quizAttemptItems.questionId))
    .where(and(eq(quizAttemptItems.attemptId, done), eq(quizQuestions.kind, 'essay')))
    .get();
  const autoQuestion = db.select().from(quizQuestions).where(and(eq(quizQuestions.courseId, quizCourse.id), eq(quizQuestions.kind, 'single'))).get()!;

  const cert = issueCertificate(db, { userId: learnerId, courseId: course.id, sourceRef: 'security:1', completedAt: new Date('2026-03-01T10:00:00Z') });
  const reset = createPasswordReset(db, { id: adminId }, personId);

  const cookies: Record<RoleName, string | undefined> = { anon: undefined } as Record<RoleName, string | undefined>;
  for (const [role, email] of Object.entries(ROLE_EMAILS)) cookies[role as RoleName] = await signIn(email);
  loginLimiter.reset(getDb());

  const mine = await (await call('/api/me/enrolments', { cookie: cookies.learner })).json();
  const lessonId: number = mine.enrolments.find((e: { id: number }) => e.id === enrolment.id).progress.nextLessonId;

  // The learner's outside training with a scan, through the API (so the file is really stored).
  const form = new FormData();
  for (const [k, v] of Object.entries(outsideFields())) form.set(k, v);
  form.set('scan', new File([PDF_BYTES], 'scan.pdf', { type: 'application/pdf' }));
  const added = await call('/api/records/outside', { method: 'POST', cookie: cookies.learner, body: form });
  if (added.status !== 201) throw new Error(`fixture outside training: ${added.status} ${await added.text()}`);
  const outsideId = ((await added.json()) as { id: number }).id;

  // A line of the ministry's annual plan, through the API as its HR officer plans it.
  const ministryId = db.select().from(users).where(eq(users.email, ROLE_EMAILS.hr)).get()!.organisationId!;
  const planned = await call('/api/hr/plan/lines', {
    method: 'POST', cookie: cookies.hr,
    json: { organisationId: ministryId, year: 2026, quarter: 2, type: 'course', courseId: course.id, people: 5 },
  });
  if (planned.status !== 201) throw new Error(`fixture plan line: ${planned.status} ${await planned.text()}`);
  const planLineId = ((await planned.json()) as { id: number }).id;

  // The trainer's draft of a new course (one module, one lesson), through the API.
  const drafted = await call('/api/author/drafts', { method: 'POST', cookie: cookies.trainer, json: { slug: 'security-draft', titleKy: 'Коопсуздук сыноосу' } });
  if (drafted.status !== 201) throw new Error(`fixture draft: ${drafted.status} ${await drafted.text()}`);
  const draft = (await drafted.json()) as { id: number; revision: number };
  const categorised = await call(`/api/author/drafts/${draft.id}/questions/categories`, {
    method: 'POST', cookie: cookies.trainer, json: { revision: draft.revision, category: { id: 'basics', title: { ky: 'Негиздер', ru: 'Основы' } } },
  });
  if (categorised.status !== 200 && categorised.status !== 201) throw new Error(`fixture bank category: ${categorised.status} ${await categorised.text()}`);
  draft.revision = ((await categorised.json()) as { revision: number }).revision;
  const questioned = await call(`/api/author/drafts/${draft.id}/questions`, {
    method: 'POST', cookie: cookies.trainer,
    json: { revision: draft.revision, question: { id: 'q-true', category: 'basics', kind: 'truefalse', text: { ky: 'Мамлекеттик тил — кыргыз тили.', ru: 'Государственный язык — кыргызский.' }, correct: true } },
  });
  if (questioned.status !== 201) throw new Error(`fixture bank question: ${questioned.status} ${await questioned.text()}`);
  draft.revision = ((await questioned.json()) as { revision: number }).revision;
  const draftLesson = ((await (await call(`/api/author/drafts/${draft.id}`, { cookie: cookies.trainer })).json()) as { content: { manifest: { modules: { lessons: { slug: string }[] }[] } } }).content.manifest.modules[0]!.lessons[0]!.slug;

  // A published course made of a SCORM package, the learner enrolled: the runtime routes' lesson.
  const scormCourse = await publishScormCourse(db, call, cookies.trainer!, 'security-scorm', { version: '2004-4', scos: [{ id: 'SCO-1', title: 'Сабак' }] });
  enrolSelf(db, learnerId, 'security-scorm');

  // The learner's question to the trainers from a lesson of ru-digital (no trainer wrote it: every trainer answers).
  const lessonSlug = db.select().from(lessons).where(eq(lessons.id, lessonId)).get()!.slug;
  const questionId = askQuestion(db, learnerId, course.slug, lessonSlug, 'Бул сабак боюнча суроо').id;

  // Attestation (docs/attestation.md): an attestation with the learner in it and a document with a file,
  // and an open reserve competition — made by the administrator, who may run campaigns like a personnel officer.
  const adminActor = { id: adminId, roles: ['admin' as const] };
  const attestation = createCampaign(db, adminActor, attestationCampaignBody());
  addPeople(db, adminActor, attestation.id, { userIds: [learnerId], post: ATTESTATION_POST });
  const attestationPersonId = campaignPeople(db, attestation.id).find((p) => p.userId === learnerId)!.id;
  // a second person without documents, for taking out (taking out deletes the files, which no rollback restores)
  addPeople(db, adminActor, attestation.id, { userIds: [personId], post: ATTESTATION_POST });
  const attestationBarePersonId = campaignPeople(db, attestation.id).find((p) => p.userId === personId)!.id;
  const docForm = new FormData();
  docForm.set('note', 'Иши боюнча мүнөздөмө');
  docForm.set('file', new File([PDF_BYTES], 'note.pdf', { type: 'application/pdf' }));
  const doc = await call(`/api/attestation/people/${attestationPersonId}/documents`, { method: 'POST', cookie: cookies.admin, body: docForm });
  if (doc.status !== 201) throw new Error(`fixture attestation document: ${doc.status} ${await doc.text()}`);
  const attestationDocumentId = ((await doc.json()) as { id: number }).id;
  const competition = createCampaign(db, adminActor, attestationCampaignBody({ kind: 'competition' }));
  // Stage 2 (testing sessions): a second attestation where the learner and municipal@ are admitted, with
  // a session open now; municipal@ has entered it on a device (a seat the officer can release).
  const testing = createCampaign(db, adminActor, attestationCampaignBody());
  addPeople(db, adminActor, testing.id, { userIds: [learnerId, personId], post: ATTESTATION_POST });
  for (const p of campaignPeople(db, testing.id)) decideStage1(db, adminActor, p.id, { status: 'admitted' });
  const testingSession = createSession(db, adminActor, testing.id, { quizId: final.id, startsAt: new Date(Date.now() - 60_000).toISOString(), endsAt: new Date(Date.now() + 6 * 3600_000).toISOString() });
  enterSession(db, { id: personId, roles: ['learner'] }, testingSession.code, 'd'.repeat(32));
  const testingSeatPersonId = campaignPeople(db, testing.id).find((p) => p.userId === personId)!.id;
  // a third person admitted and tested, before the commission (the demo commission member): ready for the decision
  setCommission(db, adminActor, attestation.id, [idOf('commission@demo.kg')]);
  addPeople(db, adminActor, attestation.id, { userIds: [idOf('ayil@demo.kg')], post: ATTESTATION_POST });
  const attestationReadyPersonId = campaignPeople(db, attestation.id).find((p) => p.userId === idOf('ayil@demo.kg'))!.id;
  decideStage1(db, adminActor, attestationReadyPersonId, { status: 'admitted' });
  setStage2Result(db, { id: null }, attestationReadyPersonId, { status: 'passed', lawScorePercent: 80, lawPassed: true });

  return {
    cookies,
    attestationId: attestation.id,
    attestationPersonId,
    attestationBarePersonId,
    attestationReadyPersonId,
    attestationDocumentId,
    competitionId: competition.id,
    testingCampaignId: testing.id,
    testingSessionId: testingSession.id,
    testingCode: testingSession.code,
    testingSeatPersonId,
    testingQuizId: final.id,
    learnerId,
    lessonSlug,
    questionId,
    scormLessonId: scormCourse.lessonIds['SCO-1']!,
    /** osh@demo.kg: a servant of Osh city hall, under hrOther */
    oshServantId: idOf('osh@demo.kg'),
    personId,
    grantId,
    /** an open training provider (the academy of the demo data) */
    providerId: db.select().from(organisations).where(eq(organisations.kind, 'provider')).get()!.id,
    organisationId: village.id,
    courseSlug: course.slug,
    quizCourseSlug: 'quiz-demo',
    enrolmentId: enrolment.id,
    lessonId,
    mediaSha,
    quizId: final.id,
    attemptDoneId: done,
    attemptOpenId: open,
    openQuestionId,
    essayItemId: essayItem?.id ?? 999999,
    autoQuestionId: autoQuestion.id,
    outsideId,
    ministryId,
    planLineId,
    draftId: draft.id,
    draftRevision: draft.revision,
    draftLesson,
    certCode: cert.code,
    resetToken: reset.token,
  };
}

/** A valid outside training as the form sends it. */
export function outsideFields(extra: Record<string, string> = {}): Record<string, string> {
  return {
    kind: 'seminar', term: 'short', funding: 'donor', title: 'Гендердик бюджеттөө боюнча семинар', provider: 'ПРООН',
    hours: '16', startDate: '2025-04-14', endDate: '2025-04-15', orderNumber: '45-к', orderDate: '2025-04-10', ...extra,
  };
}

export type Operation = {
  method: string;
  path: string;
  /** "GET /api/me" */
  key: string;
  op: {
    parameters?: { name: string; in: string; required?: boolean; schema?: any }[];
    requestBody?: { content: Record<string, { schema: any }> };
    responses: Record<string, unknown>;
    /** [] or [{}] for public routes, else the schemes that open it */
    security?: Record<string, string[]>[];
  };
};

let doc: Promise<any> | undefined;
/** Every operation of /api/openapi.json (as served), with its `$ref`s resolved. */
export async function openapiOperations(): Promise<{ ops: Operation[]; deref: (s: any) => any }> {
  doc ??= Promise.resolve(call("/api/openapi.json")).then((r) => r.json());
  const d = await doc;
  const deref = (s: any): any => {
    if (s && typeof s === 'object' && typeof s.$ref === 'string') {
      const name = s.$ref.replace('#/components/schemas/', '');
      return deref(d.components.schemas[name]);
    }
    return s;
  };
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries<any>(d.paths)) {
    for (const [m, op] of Object.entries<any>(item)) {
      const method = m.toUpperCase();
      ops.push({ method, path: `/api${path.startsWith('/api') ? path.slice(4) : path}`, key: `${method} /api${path.startsWith('/api') ? path.slice(4) : path}`, op });
    }
  }
  return { ops, deref };
}

/** `/api/x/{id}` with the values given (URL-encoded), any other parameter as a nonexistent id. */
export function fillPath(path: string, params: Record<string, string | number> = {}): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(String(params[name] ?? 999999)));
}

/**
 * Runs `fn` inside a transaction that is rolled back afterwards, so every request of a suite sees the
 * same fixtures (the services' own transactions nest as savepoints). Returns what fn returns.
 */
export async function rolledBack<T>(fn: () => Promise<T>): Promise<T> {
  const client = getDb().$client;
  client.exec('BEGIN');
  try {
    return await fn();
  } finally {
    if (client.inTransaction) client.exec('ROLLBACK');
  }
}

/** A checksum per table of every row, read on the test's own connection (so it sees uncommitted writes). */
export function tableChecksums(): Record<string, string> {
  const client = getDb().$client;
  const tables = client
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .pluck()
    .all() as string[];
  const out: Record<string, string> = {};
  for (const t of tables) {
    const rows = client.prepare(`SELECT * FROM "${t}"`).raw().all();
    out[t] = `${rows.length}:${createHash('sha1').update(JSON.stringify(rows, (_, v) => (typeof v === 'bigint' ? String(v) : v))).digest('hex')}`;
  }
  return out;
}

/** The tables whose checksum differs between two snapshots. */
export function changedTables(before: Record<string, string>, after: Record<string, string>): string[] {
  return [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((t) => before[t] !== after[t]);
}

export type Req = {
  params?: Record<string, string | number>;
  query?: Record<string, string>;
  json?: unknown;
  /** multipart/form-data fields; with scan: true a small PDF as `scan` (or as `fileField`) */
  form?: Record<string, string>;
  scan?: boolean;
  fileField?: string;
  /** the file's bytes instead of the small PDF */
  fileBytes?: Uint8Array;
  /** a raw request body (an uploaded zip) */
  raw?: Uint8Array;
};

const policy = { periodYears: 3, minHours: null, dueSoonDays: 90, reminderDays: [30, 7], certificateFormat: 'BLM-{YYYY}-{CODE}' };
const orgBody = { nameKy: 'Сыноо мекемеси', nameRu: 'Тестовое учреждение', kind: 'state_body', service: 'state', region: 'bishkek' };

/**
 * A valid request per route, with real fixture ids: what the right role would send. Both suites use
 * it (access control as is; bad input as the thing to break). A route not listed gets nonexistent
 * ids (999999) and, for a JSON body, one made from its schema.
 */
export const VALID_REQUESTS: Record<string, (f: Fixtures) => Req> = {
  'GET /api/courses/{slug}': (f) => ({ params: { slug: f.courseSlug } }),
  'GET /api/courses/{slug}/quizzes': (f) => ({ params: { slug: f.quizCourseSlug } }),
  'GET /api/certificates/{code}/verify': (f) => ({ params: { code: f.certCode } }),
  'POST /api/auth/login': () => ({ json: { email: 'learner@demo.kg', password: DEMO_PASSWORD } }),
  'POST /api/auth/password-reset': (f) => ({ json: { token: f.resetToken, password: 'a-new-long-password' } }),
  'GET /api/media/{sha256}': (f) => ({ params: { sha256: f.mediaSha } }),
  'GET /api/quizzes/{id}': (f) => ({ params: { id: f.quizId } }),
  'GET /api/certificates/{file}': (f) => ({ params: { file: `${f.certCode}.pdf` } }),
  'POST /api/records/outside': (f) => ({ form: outsideFields({ userId: String(f.learnerId) }), scan: true }),
  'GET /api/records/outside/{id}/scan': (f) => ({ params: { id: f.outsideId } }),
  'POST /api/enrolments/{id}/withdrawal': (f) => ({ params: { id: f.enrolmentId } }),
  'GET /api/attempts/{id}': (f) => ({ params: { id: f.attemptOpenId } }),
  'GET /api/attempts/{id}/result': (f) => ({ params: { id: f.attemptDoneId } }),
  'POST /api/courses/{slug}/enrolments': (f) => ({ params: { slug: f.courseSlug } }),
  'POST /api/lessons/{id}/progress': (f) => ({ params: { id: f.lessonId }, json: { seq: 1, read: true } }),
  'POST /api/courses/{slug}/lessons/{lesson}/questions': (f) => ({ params: { slug: f.courseSlug, lesson: f.lessonSlug }, json: { body: 'Эмне үчүн?' } }),
  'GET /api/courses/{slug}/lessons/{lesson}/questions': (f) => ({ params: { slug: f.courseSlug, lesson: f.lessonSlug } }),
  'POST /api/questions/{id}/answer': (f) => ({ params: { id: f.questionId }, json: { answer: 'Ушундай.' } }),
  'POST /api/questions/{id}/hide': (f) => ({ params: { id: f.questionId } }),
  'GET /api/lessons/{id}/scorm': (f) => ({ params: { id: f.scormLessonId } }),
  'PUT /api/lessons/{id}/scorm': (f) => ({ params: { id: f.scormLessonId }, json: { seq: 1, cmi: { completion_status: 'incomplete', suspend_data: 'slide=2' } } }),
  'POST /api/enrolments/{id}/feedback': (f) => ({ params: { id: f.enrolmentId }, json: { relevance: 5, clarity: 4, usefulness: 5, trainer: 4, comment: 'Пайдалуу' } }),
  'GET /api/enrolments/{id}/feedback': (f) => ({ params: { id: f.enrolmentId } }),
  'GET /api/academy/courses/{slug}': (f) => ({ params: { slug: f.courseSlug } }),
  'GET /api/hr/plan': (f) => ({ query: { org: String(f.ministryId), year: '2026' } }),
  'POST /api/hr/plan/lines': (f) => ({ json: { organisationId: f.ministryId, year: 2026, quarter: 3, type: 'topic', topicKy: 'Бюджеттик пландоо', kind: 'seminar', term: 'short', people: 4 } }),
  'PUT /api/hr/plan/lines/{id}': (f) => ({ params: { id: f.planLineId }, json: { organisationId: f.ministryId, year: 2026, quarter: 4, type: 'topic', topicKy: 'Бюджеттик пландоо', kind: 'seminar', term: 'short', people: 6 } }),
  'DELETE /api/hr/plan/lines/{id}': (f) => ({ params: { id: f.planLineId } }),
  'GET /api/hr/reports': () => ({ query: { year: '2026' } }),
  'POST /api/hr/staff/imports': () => ({ json: { fileName: 'staff.csv', content: Buffer.from('email,full_name\n').toString('base64') } }),
  'POST /api/hr/staff/imports/{id}/apply': () => ({ json: { mode: 'valid' } }),
  'GET /api/hr/staff/{id}': (f) => ({ params: { id: f.learnerId } }),
  'POST /api/hr/staff/{id}/invitation': (f) => ({ params: { id: f.learnerId } }),
  'POST /api/hr/staff/{id}/move': (f) => ({ params: { id: f.learnerId }, json: { organisationId: f.ministryId } }),
  'POST /api/hr/staff/{id}/dismiss': (f) => ({ params: { id: f.learnerId } }),
  'POST /api/hr/staff/{id}/reactivate': (f) => ({ params: { id: f.learnerId } }),
  'POST /api/author/drafts': () => ({ json: { slug: 'another-draft', titleKy: 'Жаңы курс' } }),
  'POST /api/author/courses/{slug}/draft': (f) => ({ params: { slug: f.courseSlug } }),
  'POST /api/author/drafts/{id}/lessons/{lesson}/copy': (f) => ({ params: { id: f.draftId, lesson: f.draftLesson }, json: { target: f.draftId, revision: f.draftRevision } }),
  'POST /api/author/drafts/{id}/quizzes/{quizId}/copy': (f) => ({ params: { id: f.draftId, quizId: 'none' }, json: { target: f.draftId, revision: f.draftRevision } }),
  'POST /api/author/drafts/{id}/copy': (f) => ({ params: { id: f.draftId }, json: { slug: 'security-draft-copy' } }),
  // security-scorm: published from a draft, so its version reads back (ru-digital has no package to read its bank from)
  'POST /api/author/courses/{slug}/copy': () => ({ params: { slug: 'security-scorm' }, json: { slug: 'security-course-copy' } }),
  'GET /api/author/drafts/{id}': (f) => ({ params: { id: f.draftId } }),
  'PUT /api/author/drafts/{id}': (f) => ({ params: { id: f.draftId }, json: { revision: f.draftRevision, content: {} } }),
  'PUT /api/author/drafts/{id}/lessons/{lesson}': (f) => ({ params: { id: f.draftId, lesson: f.draftLesson }, json: { revision: f.draftRevision, lesson: { minutes: 15 } } }),
  'POST /api/author/drafts/{id}/tree': (f) => ({ params: { id: f.draftId }, json: { revision: f.draftRevision, op: 'add_lesson', module: 0 } }),
  'GET /api/author/drafts/{id}/lessons/{lesson}/preview': (f) => ({ params: { id: f.draftId, lesson: f.draftLesson } }),
  'GET /api/review/drafts/{id}': (f) => ({ params: { id: f.draftId } }),
  'POST /api/review/drafts/{id}/submit': (f) => ({ params: { id: f.draftId } }),
  'POST /api/review/drafts/{id}/take': (f) => ({ params: { id: f.draftId } }),
  'GET /api/author/drafts/{id}/questions': (f) => ({ params: { id: f.draftId } }),
  'POST /api/author/drafts/{id}/media': (f) => ({ params: { id: f.draftId }, form: { kind: 'pdf' }, scan: true, fileField: 'file' }),
  'POST /api/author/drafts/{id}/questions/import/preview': (f) => ({ params: { id: f.draftId }, form: { format: 'aiken', lang: 'ky' }, scan: true, fileField: 'file', fileBytes: AIKEN_BYTES }),
  'POST /api/author/drafts/{id}/questions/import': (f) => ({ params: { id: f.draftId }, form: { format: 'aiken', lang: 'ky', revision: String(f.draftRevision) }, scan: true, fileField: 'file', fileBytes: AIKEN_BYTES }),
  'GET /api/author/drafts/{id}/questions/export': (f) => ({ params: { id: f.draftId }, query: { format: 'moodle' } }),
  'POST /api/author/drafts/{id}/word': (f) => ({ params: { id: f.draftId }, form: { lang: 'ky', revision: String(f.draftRevision) }, scan: true, fileField: 'file', fileBytes: DOCX_BYTES }),
  'POST /api/author/drafts/{id}/scorm': (f) => ({ params: { id: f.draftId }, query: { revision: String(f.draftRevision), lang: 'ky' }, raw: SCORM_ZIP }),
  'PUT /api/review/drafts/{id}/checklist': (f) => ({ params: { id: f.draftId }, json: { checklist: [], summary: '' } }),
  'POST /api/review/drafts/{id}/decision': (f) => ({ params: { id: f.draftId }, json: { decision: 'changes_requested', checklist: [], summary: 'Максаттарды жазыңыз' } }),
  'POST /api/author/drafts/{id}/questions/categories': (f) => ({ params: { id: f.draftId }, json: { revision: f.draftRevision, category: { id: 'cases', title: { ky: 'Кейстер', ru: 'Кейсы' } } } }),
  'PUT /api/author/drafts/{id}/questions/categories/{categoryId}': (f) => ({ params: { id: f.draftId, categoryId: 'basics' }, json: { revision: f.draftRevision, title: { ky: 'Негизги түшүнүктөр', ru: 'Основные понятия' } } }),
  'DELETE /api/author/drafts/{id}/questions/categories/{categoryId}': (f) => ({ params: { id: f.draftId, categoryId: 'basics' }, json: { revision: f.draftRevision } }),
  'POST /api/author/drafts/{id}/questions': (f) => ({
    params: { id: f.draftId },
    json: { revision: f.draftRevision, question: { id: 'q-false', category: 'basics', kind: 'truefalse', text: { ky: 'Кызматкер окууну беш жылда бир өтөт.', ru: 'Служащий обучается раз в пять лет.' }, correct: false } },
  }),
  'PUT /api/author/drafts/{id}/questions/{questionId}': (f) => ({ params: { id: f.draftId, questionId: 'q-true' }, json: { revision: f.draftRevision, question: { id: 'q-true', category: 'basics', kind: 'truefalse', text: { ky: 'Расмий тил — орус тили.', ru: 'Официальный язык — русский.' }, correct: true } } }),
  'DELETE /api/author/drafts/{id}/questions/{questionId}': (f) => ({ params: { id: f.draftId, questionId: 'q-true' }, json: { revision: f.draftRevision } }),
  'POST /api/author/drafts/{id}/quizzes': (f) => ({ params: { id: f.draftId }, json: { revision: f.draftRevision, quiz: { id: 'final', kind: 'final', title: { ky: 'Жыйынтык тест', ru: 'Итоговый тест' }, draw: [{ category: 'basics', count: 1 }], passPercent: 60 } } }),
  'PUT /api/author/drafts/{id}/quizzes/{quizId}': (f) => ({ params: { id: f.draftId, quizId: 'none' }, json: { revision: f.draftRevision, quiz: { id: 'none', kind: 'final', title: { ky: 'Тест', ru: 'Тест' }, draw: [{ category: 'basics', count: 1 }], passPercent: 60 } } }),
  'DELETE /api/author/drafts/{id}/quizzes/{quizId}': (f) => ({ params: { id: f.draftId, quizId: 'none' }, json: { revision: f.draftRevision } }),
  'POST /api/quizzes/{id}/attempts': (f) => ({ params: { id: f.quizId } }),
  'PUT /api/attempts/{id}/answers/{questionId}': (f) => ({ params: { id: f.attemptOpenId, questionId: f.openQuestionId }, json: { response: null, seq: 1 } }),
  'POST /api/attempts/{id}/submit': (f) => ({ params: { id: f.attemptOpenId } }),
  'POST /api/grading/essays/{id}': (f) => ({ params: { id: f.essayItemId }, json: { points: [2, 1], comment: 'Жакшы' } }),
  'GET /api/quizzes/{id}/analysis': (f) => ({ params: { id: f.quizId } }),
  'POST /api/questions/{id}/regrade': (f) => ({ params: { id: f.autoQuestionId } }),
  'POST /api/certificates/{code}/revoke': (f) => ({ params: { code: f.certCode }, json: { reason: 'Ошибка в документе' } }),
  'POST /api/hr/records/{id}/review': (f) => ({ params: { id: f.outsideId }, json: { status: 'verified' } }),
  'POST /api/hr/assignments': (f) => ({ json: { courseSlug: f.courseSlug, userIds: [f.learnerId], dueDate: '2099-12-31' } }),
  'GET /api/admin/people/{id}': (f) => ({ params: { id: f.personId } }),
  'POST /api/admin/people/{id}/roles': (f) => ({ params: { id: f.personId }, json: { role: 'trainer' } }),
  'POST /api/admin/people': () => ({ json: { email: 'made-by-admin@test.kg', fullName: 'Жаңы Киши' } }),
  'PUT /api/admin/people/{id}': (f) => ({ params: { id: f.personId }, json: { email: 'municipal@demo.kg', fullName: 'Өзгөртүлгөн Аты' } }),
  'PUT /api/admin/people/{id}/provider': (f) => ({ params: { id: f.personId }, json: { providerId: f.providerId } }),
  'POST /api/admin/roles/bulk': () => ({ json: { text: 'municipal@demo.kg', role: 'trainer' } }),
  'PUT /api/admin/organisations/{id}/password-login': () => ({ params: { id: 999999 }, json: { enabled: true } }),
  'DELETE /api/admin/people/{id}/roles/{grantId}': (f) => ({ params: { id: f.personId, grantId: f.grantId } }),
  'POST /api/admin/people/{id}/lock': (f) => ({ params: { id: f.personId } }),
  'POST /api/admin/tokens': () => ({ json: { name: 'e-Kyzmat', scopes: ['export:read'], expiresInDays: 30 } }),
  'DELETE /api/admin/tokens/{id}': () => ({ params: { id: 'abcdefghij234567' } }),
  'POST /api/admin/people/{id}/unlock': (f) => ({ params: { id: f.personId } }),
  'POST /api/admin/people/{id}/password-reset': (f) => ({ params: { id: f.personId } }),
  'POST /api/admin/organisations': () => ({ json: orgBody }),
  'PATCH /api/admin/organisations/{id}': (f) => ({ params: { id: f.organisationId }, json: { nameRu: 'Айыл окмоту Кара-Суу (новое)' } }),
  'POST /api/admin/organisations/{id}/close': (f) => ({ params: { id: f.organisationId } }),
  'POST /api/admin/organisations/{id}/reopen': (f) => ({ params: { id: f.organisationId } }),
  'POST /api/admin/organisations/import': () => ({ json: { csv: 'name_ky,name_ru,kind,service,region,parent\nСыноо,Тест,state_body,state,bishkek,\n', apply: false } }),
  'PUT /api/admin/policy': () => ({ json: policy }),
  'POST /api/admin/policy/preview': () => ({ json: policy }),
  'PUT /api/admin/settings': () => ({ json: { smtpHost: 'mail.example.kg' } }),
  'POST /api/admin/settings/test-mail': () => ({ json: { to: 'ops@example.kg' } }),
  'POST /api/auth/forgot': () => ({ json: { email: 'learner@demo.kg' } }),
  'POST /api/auth/register': () => ({ json: { email: 'new-candidate@example.kg', fullName: 'Жаңы Талапкер', locale: 'ky' } }),
  'POST /api/attestation/campaigns': () => ({ json: attestationCampaignBody() }),
  'GET /api/attestation/campaigns/{id}': (f) => ({ params: { id: f.attestationId } }),
  'PUT /api/attestation/campaigns/{id}': (f) => ({ params: { id: f.attestationId }, json: attestationCampaignBody({ titleRu: 'Аттестация 2027' }) }),
  'PUT /api/attestation/campaigns/{id}/commission': (f) => ({ params: { id: f.attestationId }, json: { userIds: [] } }),
  'POST /api/attestation/campaigns/{id}/people': (f) => ({ params: { id: f.attestationId }, json: { userIds: [f.oshServantId], post: ATTESTATION_POST } }),
  'GET /api/attestation/people/{id}': (f) => ({ params: { id: f.attestationPersonId } }),
  'DELETE /api/attestation/people/{id}': (f) => ({ params: { id: f.attestationBarePersonId } }),
  'POST /api/attestation/people/{id}/documents': (f) => ({ params: { id: f.attestationPersonId }, form: { note: 'Эскертүү' }, scan: true, fileField: 'file' }),
  'GET /api/attestation/documents/{id}/file': (f) => ({ params: { id: f.attestationDocumentId } }),
  'POST /api/attestation/people/{id}/stage1': (f) => ({ params: { id: f.attestationPersonId }, json: { status: 'admitted' } }),
  'POST /api/competitions/{id}/applications': (f) => ({ params: { id: f.competitionId }, json: { post: ATTESTATION_POST } }),
  'POST /api/attestation/campaigns/{id}/sessions': (f) => ({ params: { id: f.testingCampaignId }, json: { quizId: f.testingQuizId, startsAt: new Date(Date.now() + 3600_000).toISOString(), endsAt: new Date(Date.now() + 3 * 3600_000).toISOString(), place: '101' } }),
  'GET /api/attestation/campaigns/{id}/sessions': (f) => ({ params: { id: f.testingCampaignId } }),
  'POST /api/attestation/sessions/enter': (f) => ({ json: { code: f.testingCode } }),
  'GET /api/attestation/sessions/{id}/live': (f) => ({ params: { id: f.testingSessionId } }),
  'POST /api/attestation/sessions/{id}/seats/{personId}/release': (f) => ({ params: { id: f.testingSessionId, personId: f.testingSeatPersonId } }),
  'GET /api/attestation/people/{id}/testing': (f) => ({ params: { id: f.attestationPersonId } }),
  'GET /api/attestation/people/{id}/scores': (f) => ({ params: { id: f.attestationReadyPersonId } }),
  'POST /api/attestation/people/{id}/scores': (f) => ({ params: { id: f.attestationReadyPersonId }, json: { scores: { knowledge: 4 }, comment: 'Жакшы' } }),
  'POST /api/attestation/people/{id}/decision': (f) => ({ params: { id: f.attestationReadyPersonId }, json: { decision: 'fits', votesFor: 1, votesAgainst: 0, recommendedToReserve: true } }),
  'POST /api/attestation/reserve/publish': () => ({ json: { campaignId: null } }),
  // no such entry (taking a real one out is tested in tests/api/attestation-reserve.test.ts)
  'DELETE /api/attestation/reserve/{id}': () => ({ params: { id: 999999 }, json: { reason: 'Кызматтан бошотулду' } }),
  'GET /api/attestation/campaigns/{id}/protocol.pdf': (f) => ({ params: { id: f.attestationId }, query: { lang: 'ru' } }),
  'GET /api/attestation/campaigns/{id}/protocol.xlsx': (f) => ({ params: { id: f.attestationId } }),
  'PUT /api/me/notification-preferences': () => ({ json: { emailOff: ['certificate_issued'], digestPeriod: 'daily' } }),
  'POST /api/me/password': () => ({ json: { currentPassword: DEMO_PASSWORD, newPassword: 'a-new-long-password' } }),
  'PUT /api/me/locale': () => ({ json: { locale: 'ru' } }),
};

/** Sends `req` for `op` as `role`, from our own origin. */
export async function send(f: Fixtures, op: Operation, role: RoleName, req: Req, init: { headers?: Record<string, string> } = {}): Promise<Response> {
  let url = fillPath(op.path, req.params);
  if (req.query) url += `?${new URLSearchParams(req.query)}`;
  let body: BodyInit | undefined;
  if (req.form) {
    const form = new FormData();
    for (const [k, v] of Object.entries(req.form)) form.set(k, v);
    if (req.scan) form.set(req.fileField ?? 'scan', req.fileBytes ? new File([req.fileBytes as Uint8Array<ArrayBuffer>], 'upload') : new File([PDF_BYTES], 'scan.pdf', { type: 'application/pdf' }));
    body = form;
  }
  if (req.raw) body = req.raw as unknown as BodyInit;
  loginLimiter.reset(getDb());
  return call(url, { method: op.method, cookie: f.cookies[role], json: req.json, body, headers: init.headers });
}
