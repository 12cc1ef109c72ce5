import { sqliteTable, text, integer, index, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { users } from './accounts';
import { quizAttempts, quizzes } from './quiz';
import { attestationCampaigns, attestationPeople } from './attestation';

/**
 * Stage 2 of an attestation or a competition: computer testing at a scheduled session
 * (docs/attestation.md "Stage 2"). A session has a time window and a short code the officer hands out
 * in the test room; the test is a quiz of the quiz engine (law questions and the personal-qualities
 * questionnaire, drawn per person).
 */
export const attestationSessions = sqliteTable(
  'attestation_sessions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    campaignId: integer('campaign_id').notNull().references(() => attestationCampaigns.id, { onDelete: 'cascade' }),
    /** the test: a quiz of a published course (its draw rules pick law questions and the questionnaire) */
    quizId: integer('quiz_id').notNull().references(() => quizzes.id),
    /** where: the test room, as the officer writes it */
    place: text('place'),
    startsAt: integer('starts_at', { mode: 'timestamp_ms' }).notNull(),
    endsAt: integer('ends_at', { mode: 'timestamp_ms' }).notNull(),
    /** the code the officer hands out in the room (uppercase, no look-alike letters) */
    code: text('code').notNull(),
    createdBy: integer('created_by').notNull().references(() => users.id),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [uniqueIndex('attestation_sessions_code_uq').on(t.code), index('attestation_sessions_campaign_idx').on(t.campaignId)],
);

/**
 * A person's seat in a session: made when they enter the code; holds their attempt and the one device
 * that may use it (a hash of that browser's device cookie) until the officer releases it.
 */
export const attestationSeats = sqliteTable(
  'attestation_seats',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    sessionId: integer('session_id').notNull().references(() => attestationSessions.id, { onDelete: 'cascade' }),
    /** one seat per person in a campaign: one stage-2 test each */
    personId: integer('person_id').notNull().references(() => attestationPeople.id, { onDelete: 'cascade' }),
    attemptId: integer('attempt_id').references(() => quizAttempts.id),
    /** sha-256 of the active device's cookie; null after the officer released it (the next device to enter the code takes the seat) */
    deviceHash: text('device_hash'),
    enteredAt: integer('entered_at', { mode: 'timestamp_ms' }).notNull(),
    deviceAt: integer('device_at', { mode: 'timestamp_ms' }),
    releasedAt: integer('released_at', { mode: 'timestamp_ms' }),
    releasedBy: integer('released_by').references(() => users.id),
  },
  (t) => [uniqueIndex('attestation_seats_person_uq').on(t.personId), uniqueIndex('attestation_seats_attempt_uq').on(t.attemptId), index('attestation_seats_session_idx').on(t.sessionId)],
);
