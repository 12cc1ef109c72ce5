/**
 * Stage 2 of attestation and reserve competitions: computer testing at a scheduled session
 * (docs/attestation.md "Stage 2: computer testing"). Every rule of sessions lives here; routes and
 * pages only call it.
 *
 * - The officer schedules a session of a campaign: a time window, a place, the test (a quiz of a
 *   published course whose draw rules pick law questions and the personal-qualities questionnaire)
 *   and gets a short random code to hand out in the room.
 * - A person of the campaign admitted at stage 1 enters the code during the window: they get a seat
 *   and an attempt drawn for them by the quiz engine (startStandaloneAttempt: the same draw, saves with
 *   sequence numbers, group commit, offline queue and deadline sweep as any quiz), due at the session's
 *   end (or the quiz's time limit if sooner). One test per person per campaign.
 * - One active device per person: the browser that entered the code holds the seat (a device cookie,
 *   kept as a hash). Another device is refused (409 `session_other_device`) — for entering the code and
 *   for every read, save and submit of the attempt — until the officer releases the seat; then the next
 *   device that enters the code takes it over and the first is refused. No silent takeover: a stolen
 *   code and password cannot push the person out in the middle of the test.
 * - The officer's live view: who is in, how many questions answered, who finished.
 * - When the attempt finishes (submitted, or closed at the deadline), the law score (the attempt's
 *   percent: the questionnaire carries no mark) and pass go to the person's campaign row with the
 *   qualities profile and the weak law topics (setStage2Result). The profile, against the campaign's
 *   thresholds, is read only by the officer and the campaign's commission (stage2Result).
 */
import { createHash, randomInt } from 'node:crypto';
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { DB } from '@db/client';
import { attestationPeople, attestationSeats, attestationSessions, quizAttemptItems, quizAttempts, quizQuestions, quizzes, users } from '@db/schema';
import { AppError, invalidInput } from '@server/lib/errors';
import { isDeviceToken } from '@server/lib/device';
import { provide } from '@server/lib/hooks';
import { prepared } from '@db/statements';
import { recordAudit } from '../audit/service';
import { attemptProfile, getQuiz, startStandaloneAttempt } from '../quiz/service';
import { questionType } from '../quiz/types';
import { campaignFor, isOfficer, notifySession, participantFor, setStage2Result, type Viewer } from './service';

type Actor = Viewer & { ip?: string | null };
export type Session = typeof attestationSessions.$inferSelect;
export type Seat = typeof attestationSeats.$inferSelect;

export const hashDevice = (token: string) => createHash('sha256').update(token).digest('hex');
/** Codes: six characters without look-alikes (no I, O, 0, 1), about a billion of them. */
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const CODE_LENGTH = 6;
/** A session lasts at most this long. */
const MAX_SESSION_MS = 12 * 3600_000;
/** A law topic is weak when its questions scored less than this share on average. */
const WEAK_TOPIC_BELOW = 0.5;

export const SessionInput = z.strictObject({
  quizId: z.number().int().positive().max(2_147_483_647),
  startsAt: z.iso.datetime({ offset: true }),
  endsAt: z.iso.datetime({ offset: true }),
  place: z.string().trim().max(200).nullable().default(null),
});
export type SessionInputT = z.input<typeof SessionInput>;

function requireOfficer(v: Viewer): void {
  if (!isOfficer(v)) throw new AppError('forbidden', 403);
}

/** A code as a person types it: case, spaces and dashes do not matter. */
export const normaliseCode = (code: string) => code.toUpperCase().replace(/[\s-]+/g, '');

function newCode(db: DB): string {
  for (let i = 0; i < 20; i++) {
    const code = Array.from({ length: CODE_LENGTH }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
    if (!db.select({ id: attestationSessions.id }).from(attestationSessions).where(eq(attestationSessions.code, code)).get()) return code;
  }
  throw new Error('no free session code');
}

/** The officer schedules a testing session of a campaign (not a closed one) and gets its code. */
export function createSession(db: DB, actor: Actor, campaignId: number, raw: unknown, now = new Date()): Session {
  requireOfficer(actor);
  const campaign = campaignFor(db, actor, campaignId);
  if (campaign.status === 'closed') throw new AppError('campaign_closed', 409);
  const parsed = SessionInput.safeParse(raw);
  if (!parsed.success) throw invalidInput(parsed.error.issues);
  const input = parsed.data;
  const startsAt = new Date(input.startsAt);
  const endsAt = new Date(input.endsAt);
  if (endsAt <= startsAt || endsAt.getTime() - startsAt.getTime() > MAX_SESSION_MS) throw new AppError('session_window', 400, 'endsAt');
  if (endsAt <= now) throw new AppError('session_window', 400, 'endsAt');
  getQuiz(db, input.quizId); // an active quiz of a published course, or 404 quiz_not_found
  return db.transaction((tx) => {
    const row = tx
      .insert(attestationSessions)
      .values({ campaignId, quizId: input.quizId, place: input.place || null, startsAt, endsAt, code: newCode(tx), createdBy: actor.id, createdAt: now })
      .returning()
      .get();
    recordAudit(tx, { actorId: actor.id, action: 'attestation.session_created', targetType: 'attestation_session', targetId: row.id, details: { campaignId, quizId: input.quizId, startsAt: input.startsAt, endsAt: input.endsAt }, ip: actor.ip }, now);
    // Told: everyone admitted at stage 1 who is still to be tested (no seat in any session of the campaign, no result).
    const toTest = tx
      .select({ userId: attestationPeople.userId })
      .from(attestationPeople)
      .leftJoin(attestationSeats, eq(attestationSeats.personId, attestationPeople.id))
      .where(and(eq(attestationPeople.campaignId, campaignId), eq(attestationPeople.stage1Status, 'admitted'), eq(attestationPeople.stage2Status, 'pending'), isNull(attestationPeople.decision), isNull(attestationSeats.id)))
      .all();
    for (const p of toTest) notifySession(tx, p.userId, campaign, row, now);
    return row;
  });
}

export type SessionView = Omit<Session, 'code'> & { quizTitle: { ky: string; ru: string }; seated: number; finished: number; code: string | null };

/** A campaign's sessions, earliest first, for the officer (with the code) and its commission (without). */
export function listSessions(db: DB, viewer: Viewer, campaignId: number): SessionView[] {
  campaignFor(db, viewer, campaignId);
  const rows = db.select().from(attestationSessions).where(eq(attestationSessions.campaignId, campaignId)).orderBy(asc(attestationSessions.startsAt), asc(attestationSessions.id)).all();
  return rows.map((s) => viewOf(db, viewer, s));
}

function viewOf(db: DB, viewer: Viewer, s: Session): SessionView {
  const quiz = getQuizRow(db, s.quizId);
  const counts = db
    .select({ seated: sql<number>`count(*)`, finished: sql<number>`coalesce(sum(${quizAttempts.status} = 'finished'), 0)` })
    .from(attestationSeats)
    .leftJoin(quizAttempts, eq(quizAttempts.id, attestationSeats.attemptId))
    .where(eq(attestationSeats.sessionId, s.id))
    .get();
  return { ...s, code: isOfficer(viewer) ? s.code : null, quizTitle: { ky: quiz.titleKy, ru: quiz.titleRu }, seated: counts?.seated ?? 0, finished: counts?.finished ?? 0 };
}

const getQuizRow = (db: DB, quizId: number) => db.select({ titleKy: quizzes.titleKy, titleRu: quizzes.titleRu }).from(quizzes).where(eq(quizzes.id, quizId)).get()!;

/** One session its viewer may see (officer, or a commission member of its campaign). */
export function sessionFor(db: DB, viewer: Viewer, sessionId: number): SessionView {
  const s = db.select().from(attestationSessions).where(eq(attestationSessions.id, sessionId)).get();
  if (!s) throw new AppError('session_not_found', 404);
  try {
    campaignFor(db, viewer, s.campaignId);
  } catch (e) {
    if (e instanceof AppError && e.status === 404) throw new AppError('session_not_found', 404);
    throw e;
  }
  return viewOf(db, viewer, s);
}

/**
 * A person enters a session's code on a device: during the window, if they are in the campaign and
 * admitted at stage 1. Returns their attempt (started now, or the one they already have). The device
 * that entered first holds the seat; another is refused until the officer releases it.
 */
export function enterSession(db: DB, user: Actor, rawCode: string, device: string, now = new Date()): { attemptId: number; sessionId: number; resumed: boolean } {
  const code = normaliseCode(String(rawCode ?? ''));
  if (!/^[A-Z0-9]{4,12}$/.test(code)) throw new AppError('invalid_input', 400, 'code');
  if (!isDeviceToken(device)) throw new AppError('invalid_input', 400, 'device');
  const session = db.select().from(attestationSessions).where(eq(attestationSessions.code, code)).get();
  if (!session) throw new AppError('session_code_unknown', 404, 'code');
  const person = db.select().from(attestationPeople).where(and(eq(attestationPeople.campaignId, session.campaignId), eq(attestationPeople.userId, user.id))).get();
  // Someone outside the campaign learns nothing about it: the same answer as a wrong code.
  if (!person) throw new AppError('session_code_unknown', 404, 'code');
  if (person.stage1Status !== 'admitted') throw new AppError('not_admitted', 409);
  const hash = hashDevice(device);
  return db.transaction(
    (tx) => {
      const seat = tx.select().from(attestationSeats).where(eq(attestationSeats.personId, person.id)).get();
      if (seat && seat.sessionId !== session.id) throw new AppError('session_other_session', 409);
      const attempt = seat?.attemptId ? tx.select().from(quizAttempts).where(eq(quizAttempts.id, seat.attemptId)).get() : undefined;
      if (attempt && attempt.status === 'finished') throw new AppError('session_test_finished', 409);
      if (seat?.deviceHash && seat.deviceHash !== hash) throw new AppError('session_other_device', 409);
      if (now < session.startsAt) throw new AppError('session_not_open', 409);
      if (now >= session.endsAt) throw new AppError('session_closed', 409);
      if (seat && attempt) {
        if (seat.deviceHash !== hash) {
          tx.update(attestationSeats).set({ deviceHash: hash, deviceAt: now }).where(eq(attestationSeats.id, seat.id)).run();
          recordAudit(tx, { actorId: user.id, action: 'attestation.device_taken', targetType: 'attestation_person', targetId: person.id, details: { sessionId: session.id }, ip: user.ip }, now);
        }
        return { attemptId: attempt.id, sessionId: session.id, resumed: true };
      }
      const attemptId = startStandaloneAttempt(tx, session.quizId, user.id, session.endsAt, now);
      if (seat) tx.update(attestationSeats).set({ attemptId, deviceHash: hash, deviceAt: now }).where(eq(attestationSeats.id, seat.id)).run();
      else tx.insert(attestationSeats).values({ sessionId: session.id, personId: person.id, attemptId, deviceHash: hash, enteredAt: now, deviceAt: now }).run();
      recordAudit(tx, { actorId: user.id, action: 'attestation.session_entered', targetType: 'attestation_person', targetId: person.id, details: { sessionId: session.id, attemptId }, ip: user.ip }, now);
      return { attemptId, sessionId: session.id, resumed: false };
    },
  );
}

/** The officer frees a person's seat from its device (a broken computer): the next device that enters the code takes it. */
export function releaseSeat(db: DB, actor: Actor, sessionId: number, personId: number, now = new Date()): void {
  requireOfficer(actor);
  sessionFor(db, actor, sessionId);
  db.transaction((tx) => {
    const seat = tx.select().from(attestationSeats).where(and(eq(attestationSeats.sessionId, sessionId), eq(attestationSeats.personId, personId))).get();
    if (!seat) throw new AppError('seat_not_found', 404);
    tx.update(attestationSeats).set({ deviceHash: null, releasedAt: now, releasedBy: actor.id }).where(eq(attestationSeats.id, seat.id)).run();
    recordAudit(tx, { actorId: actor.id, action: 'attestation.device_released', targetType: 'attestation_person', targetId: personId, details: { sessionId }, ip: actor.ip }, now);
  });
}

export type LiveRow = {
  personId: number;
  fullName: string;
  post: string;
  /** not_in: has not entered the code; answering; finished */
  state: 'not_in' | 'answering' | 'finished';
  answered: number;
  questions: number;
  enteredAt: Date | null;
  deadlineAt: Date | null;
  /** a device holds the seat (false after the officer released it) */
  device: boolean;
  lawScorePercent: number | null;
  lawPassed: boolean | null;
};

/**
 * The officer's live view of a session: every person of the campaign admitted at stage 1 and not
 * seated in another of its sessions, with their state and answered count. Three reads, whatever the
 * number of people (2,000 in one room-day is the bench's case).
 */
export function liveView(db: DB, actor: Viewer, sessionId: number, now = new Date()): { session: SessionView; rows: LiveRow[]; counts: Record<LiveRow['state'], number>; at: Date } {
  requireOfficer(actor);
  const session = sessionFor(db, actor, sessionId);
  const people = db
    .select({ p: attestationPeople, fullName: users.fullName, seat: attestationSeats })
    .from(attestationPeople)
    .innerJoin(users, eq(users.id, attestationPeople.userId))
    .leftJoin(attestationSeats, eq(attestationSeats.personId, attestationPeople.id))
    .where(and(eq(attestationPeople.campaignId, session.campaignId), eq(attestationPeople.stage1Status, 'admitted')))
    .orderBy(asc(users.fullName))
    .all()
    .filter((r) => !r.seat || r.seat.sessionId === sessionId);
  const attemptIds = people.map((r) => r.seat?.attemptId).filter((x): x is number => !!x);
  const attempts = new Map<number, { status: string; deadlineAt: Date | null; percent: number | null; passed: boolean | null }>();
  const answered = new Map<number, { answered: number; questions: number }>();
  for (let i = 0; i < attemptIds.length; i += 500) {
    const chunk = attemptIds.slice(i, i + 500);
    for (const a of db.select({ id: quizAttempts.id, status: quizAttempts.status, deadlineAt: quizAttempts.deadlineAt, percent: quizAttempts.percent, passed: quizAttempts.passed }).from(quizAttempts).where(inArray(quizAttempts.id, chunk)).all()) attempts.set(a.id, a);
    for (const c of db
      .select({ attemptId: quizAttemptItems.attemptId, questions: sql<number>`count(*)`, answered: sql<number>`coalesce(sum(${quizAttemptItems.response} is not null), 0)` })
      .from(quizAttemptItems)
      .where(inArray(quizAttemptItems.attemptId, chunk))
      .groupBy(quizAttemptItems.attemptId)
      .all())
      answered.set(c.attemptId, { answered: c.answered, questions: c.questions });
  }
  const rows = people.map(({ p, fullName, seat }): LiveRow => {
    const a = seat?.attemptId ? attempts.get(seat.attemptId) : undefined;
    const n = seat?.attemptId ? answered.get(seat.attemptId) : undefined;
    // past its deadline an attempt is over even before the sweeper closes it
    const finished = a?.status === 'finished' || (!!a?.deadlineAt && now >= a.deadlineAt);
    return {
      personId: p.id,
      fullName,
      post: p.post,
      state: !a ? 'not_in' : finished ? 'finished' : 'answering',
      answered: n?.answered ?? 0,
      questions: n?.questions ?? 0,
      enteredAt: seat?.enteredAt ?? null,
      deadlineAt: a?.deadlineAt ?? null,
      device: !!seat?.deviceHash,
      lawScorePercent: a?.status === 'finished' ? a.percent : null,
      lawPassed: a?.status === 'finished' ? a.passed : null,
    };
  });
  const counts = { not_in: 0, answering: 0, finished: 0 };
  for (const r of rows) counts[r.state]++;
  return { session, rows, counts, at: now };
}

export type QualityResult = { key: string; name: { ky: string; ru: string }; score: number | null; threshold: number | null; meets: boolean | null };

/**
 * A person's stage-2 result with the qualities profile against the campaign's thresholds: for the
 * officer and the campaign's commission only. The person themself is refused (they see their law
 * result on their own page and on the attempt's result page); anyone else is told it does not exist.
 */
export function stage2Result(db: DB, viewer: Viewer, personId: number) {
  const { person, campaign, own, member } = participantFor(db, viewer, personId);
  if (!isOfficer(viewer) && !member) throw new AppError(own ? 'forbidden' : 'person_not_found', own ? 403 : 404);
  const seat = db.select().from(attestationSeats).where(eq(attestationSeats.personId, personId)).get();
  const thresholds = campaign.qualityThresholds ?? {};
  let qualities: QualityResult[] = [];
  if (seat?.attemptId) {
    qualities = attemptProfile(db, seat.attemptId).map((q) => {
      const threshold = thresholds[q.key] ?? null;
      return { key: q.key, name: q.name, score: q.score, threshold, meets: threshold === null || q.score === null ? null : q.score >= threshold };
    });
  } else if (person.qualitiesProfile) {
    qualities = Object.entries(person.qualitiesProfile).map(([key, score]) => ({ key, name: { ky: key, ru: key }, score, threshold: thresholds[key] ?? null, meets: thresholds[key] === undefined ? null : score >= thresholds[key]! }));
  }
  // thresholds set for qualities the test did not measure still show, without a score
  for (const [key, threshold] of Object.entries(thresholds)) if (!qualities.some((q) => q.key === key)) qualities.push({ key, name: { ky: key, ru: key }, score: null, threshold, meets: null });
  return {
    personId,
    status: person.stage2Status,
    testedAt: person.stage2At,
    lawScorePercent: person.lawScorePercent,
    lawPassed: person.lawPassed,
    weakTopics: person.weakTopics ?? [],
    attemptId: seat?.attemptId ?? null,
    sessionId: seat?.sessionId ?? null,
    qualities,
  };
}

/** The seat of an attempt, if it is a testing session's (one indexed read on the hot path of every save). */
function seatOfAttempt(db: DB, attemptId: number): Pick<Seat, 'id' | 'personId' | 'deviceHash'> | undefined {
  return prepared(db, prepareSeat).seat.get({ attemptId });
}
function prepareSeat(d: DB) {
  return {
    seat: d.select({ id: attestationSeats.id, personId: attestationSeats.personId, deviceHash: attestationSeats.deviceHash }).from(attestationSeats).where(eq(attestationSeats.attemptId, sql.placeholder('attemptId'))).prepare(),
  };
}

/** The law topics (questions' `topic:` tags) the person answered weakly in an attempt. */
function weakTopicsOf(db: DB, attemptId: number): string[] {
  const rows = db
    .select({ fraction: quizAttemptItems.fraction, kind: quizQuestions.kind, tags: quizQuestions.tags })
    .from(quizAttemptItems)
    .innerJoin(quizQuestions, eq(quizQuestions.id, quizAttemptItems.questionId))
    .where(eq(quizAttemptItems.attemptId, attemptId))
    .all();
  const byTopic = new Map<string, { sum: number; n: number }>();
  for (const r of rows) {
    if (questionType(r.kind).ungraded) continue;
    for (const tag of r.tags ?? []) {
      if (!tag.startsWith('topic:')) continue;
      const t = byTopic.get(tag) ?? { sum: 0, n: 0 };
      t.sum += r.fraction ?? 0;
      t.n++;
      byTopic.set(tag, t);
    }
  }
  return [...byTopic.entries()].filter(([, t]) => t.sum / t.n < WEAK_TOPIC_BELOW).map(([tag]) => tag).sort();
}

provide('attemptDevice', (db, attemptId, device) => {
  const seat = seatOfAttempt(db, attemptId);
  if (!seat) return;
  if (!seat.deviceHash || !device || hashDevice(device) !== seat.deviceHash) throw new AppError('session_other_device', 409);
});

provide('attemptFinished', (db, attemptId, now) => {
  const seat = seatOfAttempt(db, attemptId);
  if (!seat) return;
  const attempt = db.select().from(quizAttempts).where(eq(quizAttempts.id, attemptId)).get()!;
  // a law test with an essay waits for the trainer; its result is recorded by the officer then
  if (attempt.percent === null) return;
  const profile: Record<string, number> = {};
  for (const q of attemptProfile(db, attemptId)) if (q.score !== null) profile[q.key] = q.score;
  try {
    setStage2Result(
      db,
      { id: null },
      seat.personId,
      { status: attempt.passed ? 'passed' : 'failed', lawScorePercent: attempt.percent, lawPassed: !!attempt.passed, qualitiesProfile: profile, weakTopics: weakTopicsOf(db, attemptId) },
      now,
    );
  } catch (e) {
    // The answers are saved and the attempt graded whatever happens here: a person no longer admitted,
    // or decided on meanwhile, keeps their attempt; the officer sees it in the live view.
    if (!(e instanceof AppError)) throw e;
    console.warn(`attestation: stage-2 result of person ${seat.personId} not recorded: ${e.code}`);
  }
});

/** The tests an officer may schedule: every active quiz of a published course, by course and quiz title. */
export function testChoices(db: DB, actor: Viewer): { id: number; title: { ky: string; ru: string }; course: { ky: string; ru: string } }[] {
  requireOfficer(actor);
  return db
    .select({ id: quizzes.id, titleKy: quizzes.titleKy, titleRu: quizzes.titleRu, courseId: quizzes.courseId })
    .from(quizzes)
    .where(eq(quizzes.active, true))
    .all()
    .flatMap((q) => {
      try {
        const quiz = getQuiz(db, q.id);
        return [{ id: q.id, title: { ky: q.titleKy, ru: q.titleRu }, course: { ky: quiz.course.titleKy ?? quiz.course.titleRu ?? '', ru: quiz.course.titleRu ?? quiz.course.titleKy ?? '' } }];
      } catch {
        return []; // not of a published course
      }
    })
    .sort((a, b) => a.course.ru.localeCompare(b.course.ru) || a.id - b.id);
}
