import { sqliteTable, text, integer, real, index, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { users } from './accounts';
import type { Region } from '../domain';

/**
 * Attestation of servants and competitions for the personnel reserve (docs/attestation.md). Both run
 * in three stages: 1 a review (of the person's work, or of a candidate's documents), 2 computer testing
 * on the laws and on personal qualities, 3 an interview with the commission.
 */
export const CAMPAIGN_KINDS = ['attestation', 'competition'] as const;
export type CampaignKind = (typeof CAMPAIGN_KINDS)[number];
/** draft: being prepared (nobody but officers sees it); open: running (a competition takes applications); closed: finished */
export const CAMPAIGN_STATUSES = ['draft', 'open', 'closed'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

/** One criterion of the interview, scored by each commission member from 1 to CRITERION_MAX_SCORE. */
export type Criterion = { key: string; ky: string; ru: string };

export const attestationCampaigns = sqliteTable(
  'attestation_campaigns',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    kind: text('kind').$type<CampaignKind>().notNull(),
    status: text('status').$type<CampaignStatus>().notNull().default('draft'),
    titleKy: text('title_ky').notNull(),
    titleRu: text('title_ru').notNull(),
    /** the post(s) concerned, as written in the order: `["Райондук мамлекеттик администрациянын башчысы", …]` */
    posts: text('posts', { mode: 'json' }).$type<string[]>().notNull(),
    region: text('region').$type<Region>().notNull(),
    /** the post's qualification requirements (length of service, education…), shown to candidates */
    requirements: text('requirements'),
    /** schedule, YYYY-MM-DD, each stage from–to */
    stage1From: text('stage1_from').notNull(),
    stage1To: text('stage1_to').notNull(),
    stage2From: text('stage2_from').notNull(),
    stage2To: text('stage2_to').notNull(),
    stage3From: text('stage3_from').notNull(),
    stage3To: text('stage3_to').notNull(),
    /** the interview's criteria */
    criteria: text('criteria', { mode: 'json' }).$type<Criterion[]>().notNull(),
    /**
     * Stage 2 (testing, the quiz engine's questionnaires): the least score per personal quality the
     * commission compares the profile with, `{ "<quality key>": <0–100> }`. Set by the officer; read by stage 2.
     */
    qualityThresholds: text('quality_thresholds', { mode: 'json' }).$type<Record<string, number>>().notNull().default({}),
    createdBy: integer('created_by').notNull().references(() => users.id),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('attestation_campaigns_status_idx').on(t.status, t.kind)],
);

/** Who sits on a campaign's commission (they hold the commission_member role). */
export const attestationCommission = sqliteTable(
  'attestation_commission',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    campaignId: integer('campaign_id').notNull().references(() => attestationCampaigns.id, { onDelete: 'cascade' }),
    userId: integer('user_id').notNull().references(() => users.id),
  },
  (t) => [uniqueIndex('attestation_commission_uq').on(t.campaignId, t.userId), index('attestation_commission_user_idx').on(t.userId)],
);

export const STAGE1_STATUSES = ['pending', 'admitted', 'refused'] as const;
export type Stage1Status = (typeof STAGE1_STATUSES)[number];
/** pending: not tested yet; passed / failed: the law test's pass mark; absent: did not come */
export const STAGE2_STATUSES = ['pending', 'passed', 'failed', 'absent'] as const;
export type Stage2Status = (typeof STAGE2_STATUSES)[number];
/** attestation: fits / does_not_fit the post; competition: reserve (admitted to the reserve) / not_reserve */
export const DECISIONS = ['fits', 'does_not_fit', 'reserve', 'not_reserve'] as const;
export type Decision = (typeof DECISIONS)[number];

/**
 * One person in one campaign — a servant chosen for an attestation, or a candidate who applied to a
 * competition — with their progress through the three stages.
 */
export const attestationPeople = sqliteTable(
  'attestation_people',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    campaignId: integer('campaign_id').notNull().references(() => attestationCampaigns.id, { onDelete: 'cascade' }),
    userId: integer('user_id').notNull().references(() => users.id),
    /** the post this person is attested for or applies to (one of the campaign's posts) */
    post: text('post').notNull(),
    /** added by the officer (attestation) or applied (competition) */
    addedAt: integer('added_at', { mode: 'timestamp_ms' }).notNull(),
    // Stage 1: review of work / documents.
    stage1Status: text('stage1_status').$type<Stage1Status>().notNull().default('pending'),
    /** why the officer refused, shown to the candidate */
    stage1Reason: text('stage1_reason'),
    stage1At: integer('stage1_at', { mode: 'timestamp_ms' }),
    stage1By: integer('stage1_by').references(() => users.id),
    // Stage 2: computer testing, filled by the testing module (docs/attestation.md "Stage 2").
    stage2Status: text('stage2_status').$type<Stage2Status>().notNull().default('pending'),
    stage2At: integer('stage2_at', { mode: 'timestamp_ms' }),
    /** the law test's score, 0–100 (the person sees it) */
    lawScorePercent: real('law_score_percent'),
    /** whether the law test reached its pass mark */
    lawPassed: integer('law_passed', { mode: 'boolean' }),
    /** the personal-qualities profile `{ "<quality key>": <0–100> }` (for the commission only) */
    qualitiesProfile: text('qualities_profile', { mode: 'json' }).$type<Record<string, number>>(),
    /** law-test topics (course topic tags) answered weakly, for recommended courses */
    weakTopics: text('weak_topics', { mode: 'json' }).$type<string[]>(),
    // Stage 3: interview and decision.
    decision: text('decision').$type<Decision>(),
    /** attestation only: the commission recommends the person to the reserve */
    recommendedToReserve: integer('recommended_to_reserve', { mode: 'boolean' }).notNull().default(false),
    votesFor: integer('votes_for'),
    votesAgainst: integer('votes_against'),
    decisionAt: integer('decision_at', { mode: 'timestamp_ms' }),
    decisionBy: integer('decision_by').references(() => users.id),
  },
  (t) => [uniqueIndex('attestation_people_uq').on(t.campaignId, t.userId), index('attestation_people_user_idx').on(t.userId)],
);

/** A note on the person's work (attestation) or a document a candidate or officer attached (stage 1). */
export const attestationDocuments = sqliteTable(
  'attestation_documents',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    personId: integer('person_id').notNull().references(() => attestationPeople.id, { onDelete: 'cascade' }),
    authorId: integer('author_id').notNull().references(() => users.id),
    note: text('note'),
    /** the attached file: a name under UPLOADS_DIR (server/lib/uploads.ts), the name it was sent with, its type */
    file: text('file'),
    fileName: text('file_name'),
    fileType: text('file_type'),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('attestation_documents_person_idx').on(t.personId)],
);

/** One commission member's interview scores for one person: `{ "<criterion key>": 1–5 }`, once. */
export const attestationScores = sqliteTable(
  'attestation_scores',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    personId: integer('person_id').notNull().references(() => attestationPeople.id, { onDelete: 'cascade' }),
    memberId: integer('member_id').notNull().references(() => users.id),
    scores: text('scores', { mode: 'json' }).$type<Record<string, number>>().notNull(),
    comment: text('comment'),
    submittedAt: integer('submitted_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [uniqueIndex('attestation_scores_uq').on(t.personId, t.memberId)],
);

/**
 * The personnel reserve: a person entered by a competition (or recommended by an attestation) for a
 * post in a region, with the date and the campaign. Public (/reserve, GET /api/reserve) once published.
 */
export const reserveEntries = sqliteTable(
  'reserve_entries',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: integer('user_id').notNull().references(() => users.id),
    personId: integer('person_id').notNull().references(() => attestationPeople.id),
    campaignId: integer('campaign_id').notNull().references(() => attestationCampaigns.id),
    post: text('post').notNull(),
    region: text('region').$type<Region>().notNull(),
    /** YYYY-MM-DD the decision put the person in the reserve */
    enteredOn: text('entered_on').notNull(),
    publishedAt: integer('published_at', { mode: 'timestamp_ms' }),
    /** taken out of the reserve (the decision changed): no longer listed anywhere */
    removedAt: integer('removed_at', { mode: 'timestamp_ms' }),
  },
  (t) => [uniqueIndex('reserve_entries_person_uq').on(t.personId), index('reserve_entries_region_idx').on(t.region, t.post)],
);
