/**
 * Stage 2 of attestation: testing sessions (docs/attestation.md "Stage 2"). A session's window and
 * code, entering it, one active device per person (and the officer's release), the live view, the
 * law score and the qualities profile in the person's campaign row — the profile read only by the
 * officer and the commission.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { attestationPeople, attestationSeats, auditLog, quizAttempts, users } from '@db/schema';
import { call, getDb, signIn, withDemo } from '../helpers';
import { importCourseLibrary } from '@server/modules/catalog/service';
import { createPerson } from '@server/modules/people/service';
import { closeExpiredAttempts } from '@server/modules/quiz/service';

const today = new Date().toISOString().slice(0, 10);
const plus = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
const campaignBody = (extra: Record<string, unknown> = {}) => ({
  kind: 'attestation',
  status: 'open',
  titleKy: 'Райондук администрация башчыларын аттестациялоо',
  titleRu: 'Аттестация глав районных администраций',
  posts: ['Райондук мамлекеттик администрациянын башчысы'],
  region: 'osh',
  requirements: null,
  stage1From: today, stage1To: plus(1), stage2From: plus(1), stage2To: plus(2), stage3From: plus(3), stage3To: plus(4),
  criteria: [{ key: 'knowledge', ky: 'Кесиптик билими', ru: 'Профессиональные знания' }],
  qualityThresholds: { responsibility: 60, stress: 40 },
  ...extra,
});
const db = () => getDb();
const idOf = (email: string) => db().select({ id: users.id }).from(users).where(eq(users.email, email)).get()!.id;
const iso = (ms: number) => new Date(Date.now() + ms).toISOString();

let officer: string, member: string, learner: string, municipal: string, ayil: string, hr: string, outsider: string;
let campaignId: number;
let quizId: number;
const personOf = new Map<string, number>();

/** A browser: its session cookie plus the device cookie the enter route sets. */
class Device {
  device = '';
  constructor(readonly session: string) {}
  get cookie() {
    return this.device ? `${this.session}; bilim_device=${this.device}` : this.session;
  }
  async enter(code: string) {
    const res = await call('/api/attestation/sessions/enter', { method: 'POST', cookie: this.cookie, json: { code } });
    const set = /bilim_device=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1];
    if (set) this.device = set;
    return { status: res.status, body: await res.json() };
  }
  put(attemptId: number, questionId: number, response: unknown, seq: number) {
    return call(`/api/attempts/${attemptId}/answers/${questionId}`, { method: 'PUT', cookie: this.cookie, json: { response, seq } });
  }
}

async function session(extra: Record<string, unknown> = {}, cookie = officer, campaign = campaignId) {
  return call(`/api/attestation/campaigns/${campaign}/sessions`, { method: 'POST', cookie, json: { quizId, startsAt: iso(-60_000), endsAt: iso(2 * 3600_000), place: '204-бөлмө', ...extra } });
}

beforeAll(async () => {
  await withDemo();
  importCourseLibrary(db(), 'tests/fixtures/questionnaire-courses');
  await createPerson(db(), { email: 'outsider@test.kg', password: 'outsider-password-2026', fullName: 'Сырттан Келген', locale: 'ky', roles: [{ role: 'learner' }] });
  [officer, member, learner, municipal, ayil, hr, outsider] = await Promise.all([
    signIn('officer@demo.kg'), signIn('commission@demo.kg'), signIn('learner@demo.kg'), signIn('municipal@demo.kg'), signIn('ayil@demo.kg'), signIn('hr@demo.kg'), signIn('outsider@test.kg', 'outsider-password-2026'),
  ]);
  quizId = (await (await call('/api/courses/qualities-demo/quizzes')).json()).quizzes[0].id;
  const c = await call('/api/attestation/campaigns', { method: 'POST', cookie: officer, json: campaignBody() });
  expect(c.status, await c.clone().text()).toBe(201);
  campaignId = (await c.json()).id;
  expect((await call(`/api/attestation/campaigns/${campaignId}/commission`, { method: 'PUT', cookie: officer, json: { userIds: [idOf('commission@demo.kg')] } })).status).toBe(200);
  const emails = ['learner@demo.kg', 'municipal@demo.kg', 'ayil@demo.kg'];
  const add = await call(`/api/attestation/campaigns/${campaignId}/people`, { method: 'POST', cookie: officer, json: { userIds: emails.map(idOf), post: 'Райондук мамлекеттик администрациянын башчысы' } });
  expect(add.status, await add.clone().text()).toBe(200);
  for (const email of emails) {
    const p = db().select().from(attestationPeople).where(and(eq(attestationPeople.campaignId, campaignId), eq(attestationPeople.userId, idOf(email)))).get()!;
    personOf.set(email, p.id);
    // ayil@ is not admitted at stage 1
    if (email !== 'ayil@demo.kg') expect((await call(`/api/attestation/people/${p.id}/stage1`, { method: 'POST', cookie: officer, json: { status: 'admitted' } })).status).toBe(200);
  }
}, 60_000);

describe('scheduling a session', () => {
  it('only the officer schedules; the window must run forward, end in the future and last at most 12 hours; the quiz must exist', async () => {
    expect((await session({}, '')).status).toBe(401);
    for (const cookie of [learner, member, hr]) expect((await session({}, cookie)).status).toBe(403);
    const backwards = await session({ startsAt: iso(3600_000), endsAt: iso(60_000) });
    expect([backwards.status, (await backwards.json()).error.field]).toEqual([400, 'endsAt']);
    expect((await session({ startsAt: iso(-3 * 3600_000), endsAt: iso(-3600_000) })).status).toBe(400);
    expect((await session({ endsAt: iso(13 * 3600_000) })).status).toBe(400);
    expect((await session({ startsAt: 'tomorrow' })).status).toBe(400);
    expect((await session({ quizId: 999999 })).status).toBe(404);
    expect((await session({}, officer, 999999)).status).toBe(404);
  });

  it('gives a short code without look-alike characters; the commission sees the session, not the code', async () => {
    const res = await session();
    expect(res.status).toBe(201);
    const { session: s } = await res.json();
    expect(s.code).toMatch(/^[A-HJ-NP-Z2-9]{6}$/);
    const forMember = (await (await call(`/api/attestation/campaigns/${campaignId}/sessions`, { cookie: member })).json()).sessions;
    expect(forMember.find((x: { id: number }) => x.id === s.id).code).toBeNull();
    expect((await call(`/api/attestation/campaigns/${campaignId}/sessions`, { cookie: learner })).status).toBe(403);
    expect(db().select().from(auditLog).where(and(eq(auditLog.action, 'attestation.session_created'), eq(auditLog.targetId, String(s.id)))).get()?.actorId).toBe(idOf('officer@demo.kg'));
  });
});

describe('a session', () => {
  let code: string;
  let sessionId: number;
  let attemptId: number;
  let questions: { id: number; kind: string; options: any; mark: number }[];
  const phone = () => new Device(learner);
  let first: Device;
  let second: Device;

  beforeAll(async () => {
    const { session: s } = await (await session()).json();
    code = s.code;
    sessionId = s.id;
    first = phone();
    second = phone();
  });

  it('refuses a wrong code, and someone outside the campaign as if the code were wrong; a person not admitted; a session not open yet', async () => {
    expect((await new Device(learner).enter('ZZZZZZ')).body.error.code).toBe('session_code_unknown');
    expect((await new Device(learner).enter('<script>')).status).toBe(400);
    const stranger = await new Device(outsider).enter(code);
    expect([stranger.status, stranger.body.error.code]).toEqual([404, 'session_code_unknown']);
    const notAdmitted = await new Device(ayil).enter(code);
    expect([notAdmitted.status, notAdmitted.body.error.code]).toEqual([409, 'not_admitted']);
    const later = await (await session({ startsAt: iso(3600_000), endsAt: iso(2 * 3600_000) })).json();
    const early = await new Device(municipal).enter(later.session.code);
    expect([early.status, early.body.error.code]).toEqual([409, 'session_not_open']);
    expect(db().select().from(attestationSeats).where(eq(attestationSeats.personId, personOf.get('municipal@demo.kg')!)).get()).toBeUndefined();
  });

  it('a person enters (any case, spaces) and gets a test drawn for them: law questions and the questionnaire, due at the session’s end', async () => {
    const res = await first.enter(` ${code.slice(0, 3).toLowerCase()} ${code.slice(3)} `);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(first.device).toMatch(/^[A-Za-z0-9_-]{32}$/);
    attemptId = res.body.attemptId;
    const a = db().select().from(quizAttempts).where(eq(quizAttempts.id, attemptId)).get()!;
    expect(a.enrolmentId).toBeNull(); // counts toward no course
    expect(a.maxScore).toBe(4); // two law questions of 2 marks; the questionnaire carries none
    const view = await (await call(`/api/attempts/${attemptId}`, { cookie: first.cookie })).json();
    questions = view.questions;
    expect(questions.map((q) => q.kind).sort()).toEqual(['questionnaire', 'questionnaire', 'single', 'truefalse']);
    expect(JSON.stringify(view)).not.toMatch(/responsibility|reversed|"quality"/);
    // entering again on the same device resumes the same attempt
    expect((await first.enter(code)).body).toMatchObject({ attemptId, resumed: true });
  });

  it('one active device: another is refused entering, reading, saving and submitting', async () => {
    const other = await second.enter(code);
    expect([other.status, other.body.error.code]).toEqual([409, 'session_other_device']);
    const q = questions[0]!;
    expect((await call(`/api/attempts/${attemptId}`, { cookie: second.cookie })).status).toBe(409);
    const put = await second.put(attemptId, q.id, null, 1);
    expect([put.status, (await put.json()).error.code]).toEqual([409, 'session_other_device']);
    expect((await call(`/api/attempts/${attemptId}/submit`, { method: 'POST', cookie: second.cookie })).status).toBe(409);
    // a session cookie alone (no device cookie) is another device too
    expect((await call(`/api/attempts/${attemptId}`, { cookie: learner })).status).toBe(409);
    expect(db().select().from(quizAttempts).where(eq(quizAttempts.id, attemptId)).get()!.status).toBe('in_progress');
  });

  it('the device saves answers with the quiz engine’s guarantees (sequence numbers, idempotent)', async () => {
    const single = questions.find((q) => q.kind === 'single')!;
    const right = single.options.choices.find((c: any) => /Кыргыз/.test(c.text.ky))!.id;
    const ok = await first.put(attemptId, single.id, { choice: right }, 5);
    expect(ok.status).toBe(200);
    expect((await (await first.put(attemptId, single.id, null, 5)).json()).applied).toBe(false);
    expect((await first.put(attemptId, single.id, { choice: 'nope' }, 6)).status).toBe(400);
  });

  it('the officer sees who is in and how many answered; nobody else sees the live view', async () => {
    const live = await (await call(`/api/attestation/sessions/${sessionId}/live`, { cookie: officer })).json();
    const row = (email: string) => live.rows.find((r: { personId: number }) => r.personId === personOf.get(email));
    expect(row('learner@demo.kg')).toMatchObject({ state: 'answering', answered: 1, questions: 4, device: true, lawScorePercent: null });
    expect(row('municipal@demo.kg')).toMatchObject({ state: 'not_in', answered: 0 });
    expect(row('ayil@demo.kg')).toBeUndefined(); // not admitted: not in the room
    expect(live.counts).toEqual({ not_in: 1, answering: 1, finished: 0 });
    for (const cookie of [member, learner, hr]) expect((await call(`/api/attestation/sessions/${sessionId}/live`, { cookie })).status).toBe(403);
    expect((await call(`/api/attestation/sessions/999999/live`, { cookie: officer })).status).toBe(404);
  });

  it('after the officer releases the seat, the next device takes over with the answers saved so far; the first is refused', async () => {
    for (const cookie of [learner, member]) expect((await call(`/api/attestation/sessions/${sessionId}/seats/${personOf.get('learner@demo.kg')}/release`, { method: 'POST', cookie })).status).toBe(403);
    expect((await call(`/api/attestation/sessions/${sessionId}/seats/999999/release`, { method: 'POST', cookie: officer })).status).toBe(404);
    const released = await call(`/api/attestation/sessions/${sessionId}/seats/${personOf.get('learner@demo.kg')}/release`, { method: 'POST', cookie: officer });
    expect(released.status).toBe(200);
    // released: no device holds it, the old one included
    expect((await first.put(attemptId, questions[0]!.id, null, 50)).status).toBe(409);
    const taken = await second.enter(code);
    expect(taken.body).toMatchObject({ attemptId, resumed: true });
    const view = await (await call(`/api/attempts/${attemptId}`, { cookie: second.cookie })).json();
    expect(view.questions.filter((q: { response: unknown }) => q.response !== null)).toHaveLength(1);
    expect((await first.enter(code)).body.error.code).toBe('session_other_device');
    const actions = db().select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.targetId, String(personOf.get('learner@demo.kg')))).all().map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['attestation.session_entered', 'attestation.device_released', 'attestation.device_taken']));
  });

  it('two devices entering at the same moment: exactly one gets the seat', async () => {
    const a = new Device(municipal);
    const b = new Device(municipal);
    // each needs its own device cookie before the race (a browser has one)
    a.device = 'A'.repeat(32);
    b.device = 'B'.repeat(32);
    const results = await Promise.all([a.enter(code), b.enter(code)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(db().select().from(attestationSeats).where(eq(attestationSeats.personId, personOf.get('municipal@demo.kg')!)).all()).toHaveLength(1);
  });

  it('submitting puts the law score (the questionnaire not counted) and the profile in the campaign row', async () => {
    const tf = questions.find((q) => q.kind === 'truefalse')!;
    expect((await second.put(attemptId, tf.id, { value: false }, 1)).status).toBe(200); // wrong
    for (const q of questions.filter((x) => x.kind === 'questionnaire')) {
      // agrees fully with everything: straight (responsibility r1, stress s1) → 100, reversed (r2, s2) → 0
      const ratings = Object.fromEntries(q.options.statements.map((s: { id: string }) => [s.id, q.options.scale.length]));
      expect((await second.put(attemptId, q.id, { ratings }, 1)).status).toBe(200);
    }
    const submitted = await call(`/api/attempts/${attemptId}/submit`, { method: 'POST', cookie: second.cookie });
    expect(submitted.status).toBe(200);
    const result = await submitted.json();
    expect([result.attempt.percent, result.attempt.passed]).toEqual([50, true]);
    const p = db().select().from(attestationPeople).where(eq(attestationPeople.id, personOf.get('learner@demo.kg')!)).get()!;
    expect([p.stage2Status, p.lawScorePercent, p.lawPassed]).toEqual(['passed', 50, true]);
    expect(p.qualitiesProfile).toEqual({ responsibility: 50, stress: 50 });
    expect((await second.enter(code)).body.error.code).toBe('session_test_finished');
    const live = await (await call(`/api/attestation/sessions/${sessionId}/live`, { cookie: officer })).json();
    expect(live.rows.find((r: { personId: number }) => r.personId === personOf.get('learner@demo.kg'))).toMatchObject({ state: 'finished', answered: 4, lawScorePercent: 50, lawPassed: true });
  });

  it('the person sees their law result but never the profile; the commission and the officer see it against the thresholds', async () => {
    const personId = personOf.get('learner@demo.kg')!;
    const own = await (await call(`/api/attestation/people/${personId}`, { cookie: learner })).json();
    expect(own.participant.stage2).toMatchObject({ status: 'passed', lawScorePercent: 50, lawPassed: true, qualitiesProfile: null });
    const mine = JSON.stringify(await (await call('/api/me/attestations', { cookie: learner })).json());
    expect(mine).toContain('"lawScorePercent":50');
    expect(mine).not.toMatch(/responsibility|qualitiesProfile":\{/);
    const result = JSON.stringify(await (await call(`/api/attempts/${attemptId}/result`, { cookie: second.cookie })).json());
    expect(result).not.toMatch(/responsibility|profile/);
    expect((await call(`/api/attestation/people/${personId}/testing`, { cookie: learner })).status).toBe(403);
    for (const cookie of [hr, municipal, outsider]) expect((await call(`/api/attestation/people/${personId}/testing`, { cookie })).status).toBe(404);
    for (const cookie of [member, officer]) {
      const r = await (await call(`/api/attestation/people/${personId}/testing`, { cookie })).json();
      expect(r).toMatchObject({ lawScorePercent: 50, lawPassed: true, status: 'passed' });
      expect(r.qualities).toEqual([
        { key: 'responsibility', name: { ky: 'Жоопкерчилик', ru: 'Ответственность' }, score: 50, threshold: 60, meets: false },
        { key: 'stress', name: { ky: 'Стресске туруктуулук', ru: 'Стрессоустойчивость' }, score: 50, threshold: 40, meets: true },
      ]);
    }
  });

  it('an attempt left open is closed at the session’s end and its result recorded all the same', async () => {
    const seat = db().select().from(attestationSeats).where(eq(attestationSeats.personId, personOf.get('municipal@demo.kg')!)).get()!;
    const a = db().select().from(quizAttempts).where(eq(quizAttempts.id, seat.attemptId!)).get()!;
    expect(a.status).toBe('in_progress');
    expect(closeExpiredAttempts(db(), new Date(a.deadlineAt!.getTime() + 1000))).toBeGreaterThanOrEqual(1);
    const p = db().select().from(attestationPeople).where(eq(attestationPeople.id, personOf.get('municipal@demo.kg')!)).get()!;
    expect([p.stage2Status, p.lawScorePercent, p.lawPassed]).toEqual(['failed', 0, false]);
    expect(p.weakTopics).toEqual([]);
  });
});

describe('a competition’s candidate', () => {
  it('answers and submits with the candidate role alone', async () => {
    const email = 'cand-session@test.kg';
    await createPerson(db(), { email, password: 'candidate-password-2026', fullName: 'Талапкер Сыноо', locale: 'ky', roles: [{ role: 'candidate' }] });
    const cand = await signIn(email, 'candidate-password-2026');
    const comp = await (await call('/api/attestation/campaigns', { method: 'POST', cookie: officer, json: campaignBody({ kind: 'competition' }) })).json();
    expect((await call(`/api/competitions/${comp.id}/applications`, { method: 'POST', cookie: cand, json: { post: 'Райондук мамлекеттик администрациянын башчысы' } })).status).toBe(201);
    const personId = db().select().from(attestationPeople).where(and(eq(attestationPeople.campaignId, comp.id), eq(attestationPeople.userId, idOf(email)))).get()!.id;
    expect((await call(`/api/attestation/people/${personId}/stage1`, { method: 'POST', cookie: officer, json: { status: 'admitted' } })).status).toBe(200);
    const { session: s } = await (await session({}, officer, comp.id)).json();
    const d = new Device(cand);
    const entered = await d.enter(s.code);
    expect(entered.status).toBe(200);
    const view = await (await call(`/api/attempts/${entered.body.attemptId}`, { cookie: d.cookie })).json();
    const tf = view.questions.find((q: { kind: string }) => q.kind === 'truefalse');
    expect((await d.put(entered.body.attemptId, tf.id, { value: true }, 1)).status).toBe(200);
    expect((await call(`/api/attempts/${entered.body.attemptId}/submit`, { method: 'POST', cookie: d.cookie })).status).toBe(200);
    const p = db().select().from(attestationPeople).where(eq(attestationPeople.id, personId)).get()!;
    expect([p.stage2Status, p.lawScorePercent]).toEqual(['passed', 50]);
  });
});
