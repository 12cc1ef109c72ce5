/** zod schemas of attestation and reserve competitions (docs/attestation.md): the service checks its input with these, the routes document them. */
import { z } from '@hono/zod-openapi';
import { REGIONS } from '@db/domain';
import { CAMPAIGN_KINDS, CAMPAIGN_STATUSES, DECISIONS, STAGE1_STATUSES, STAGE2_STATUSES } from '@db/schema';

const Id = z.coerce.number().int().positive().max(2_147_483_647);
/** An id inside a JSON body: a number, never coerced */
const BodyId = z.number().int().positive().max(2_147_483_647);
export const IdParam = z.object({ id: Id.openapi({ param: { name: 'id', in: 'path' }, example: 1 }) });
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'not a day').openapi({ example: '2027-03-01' });
const Line = (min: number, max: number) => z.string().trim().min(min).max(max).refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'one line');

/** Interview criteria are scored from 1 to this. */
export const CRITERION_MAX_SCORE = 5;

export const CriterionSchema = z
  .strictObject({
    key: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/).openapi({ example: 'leadership' }),
    ky: Line(2, 200).openapi({ example: 'Жетекчилик сапаттары' }),
    ru: Line(2, 200).openapi({ example: 'Лидерские качества' }),
  })
  .openapi('InterviewCriterion');

export const CampaignInput = z
  .strictObject({
    kind: z.enum(CAMPAIGN_KINDS),
    status: z.enum(CAMPAIGN_STATUSES).default('draft'),
    titleKy: Line(3, 300),
    titleRu: Line(3, 300),
    posts: z.array(Line(2, 300)).min(1).max(20).openapi({ description: 'The post(s) concerned' }),
    region: z.enum(REGIONS),
    requirements: z.string().trim().max(4000).nullable().default(null).openapi({ description: 'Qualification requirements of the post (shown to candidates)' }),
    stage1From: Day,
    stage1To: Day,
    stage2From: Day,
    stage2To: Day,
    stage3From: Day,
    stage3To: Day,
    criteria: z.array(CriterionSchema).min(1).max(20),
    qualityThresholds: z.record(z.string().regex(/^[a-z][a-z0-9_]{0,39}$/), z.number().min(0).max(100)).default({}).openapi({ description: 'Least score (0–100) per personal quality, for stage 2' }),
  })
  .superRefine((c, ctx) => {
    const order: [keyof typeof c, keyof typeof c][] = [['stage1From', 'stage1To'], ['stage1To', 'stage2From'], ['stage2From', 'stage2To'], ['stage2To', 'stage3From'], ['stage3From', 'stage3To']];
    for (const [a, b] of order) if (String(c[a]) > String(c[b])) ctx.addIssue({ code: 'custom', path: [b], message: 'schedule_order' });
    const keys = c.criteria.map((k) => k.key);
    if (new Set(keys).size !== keys.length) ctx.addIssue({ code: 'custom', path: ['criteria'], message: 'duplicate key' });
    if (new Set(c.posts).size !== c.posts.length) ctx.addIssue({ code: 'custom', path: ['posts'], message: 'duplicate post' });
  })
  .openapi('CampaignInput');
export type CampaignInputT = z.input<typeof CampaignInput>;

const Person = z.object({ id: z.number().int(), fullName: z.string() });

export const CampaignSchema = z
  .object({
    id: z.number().int(),
    kind: z.enum(CAMPAIGN_KINDS),
    status: z.enum(CAMPAIGN_STATUSES),
    titleKy: z.string(),
    titleRu: z.string(),
    posts: z.array(z.string()),
    region: z.enum(REGIONS),
    requirements: z.string().nullable(),
    stage1From: z.string(),
    stage1To: z.string(),
    stage2From: z.string(),
    stage2To: z.string(),
    stage3From: z.string(),
    stage3To: z.string(),
    criteria: z.array(CriterionSchema),
    qualityThresholds: z.record(z.string(), z.number()),
    commission: z.array(Person),
    people: z.number().int().openapi({ description: 'How many people the campaign has' }),
  })
  .openapi('Campaign');

export const ParticipantSchema = z
  .object({
    id: z.number().int(),
    campaignId: z.number().int(),
    person: z.object({ id: z.number().int(), fullName: z.string(), organisation: z.object({ nameKy: z.string(), nameRu: z.string() }).nullable(), positionTitle: z.string().nullable() }),
    post: z.string(),
    addedAt: z.string(),
    stage1: z.object({ status: z.enum(STAGE1_STATUSES), reason: z.string().nullable(), at: z.string().nullable() }),
    stage2: z.object({
      status: z.enum(STAGE2_STATUSES),
      at: z.string().nullable(),
      lawScorePercent: z.number().nullable(),
      lawPassed: z.boolean().nullable(),
      qualitiesProfile: z.record(z.string(), z.number()).nullable().openapi({ description: 'For the officer and the commission only' }),
    }),
    stage3: z.object({
      decision: z.enum(DECISIONS).nullable(),
      recommendedToReserve: z.boolean(),
      votesFor: z.number().int().nullable(),
      votesAgainst: z.number().int().nullable(),
      at: z.string().nullable(),
      scoresSubmitted: z.number().int().openapi({ description: 'How many commission members have scored' }),
    }),
    documents: z.number().int(),
  })
  .openapi('CampaignParticipant');

export const AddPeopleBody = z
  .strictObject({
    userIds: z.array(BodyId).min(1).max(500),
    post: Line(2, 300).openapi({ description: 'One of the campaign’s posts' }),
  })
  .openapi('AddCampaignPeople');

export const CommissionBody = z.strictObject({ userIds: z.array(BodyId).max(50) }).openapi('CampaignCommission');

export const ApplyBody = z.strictObject({ post: Line(2, 300).openapi({ description: 'One of the competition’s posts' }) }).openapi('CompetitionApplication');

export const Stage1Body = z
  .strictObject({
    status: z.enum(['admitted', 'refused']),
    reason: z.string().trim().max(1000).optional().openapi({ description: 'Required when refused; the candidate sees it' }),
  })
  .openapi('Stage1Decision');

export const DocumentForm = z
  .object({
    note: z.preprocess((v) => (v === '' ? undefined : v), z.string().trim().max(4000).optional()),
    file: z
      .preprocess((v) => (v instanceof File && v.size === 0 ? undefined : v), z.instanceof(File).optional())
      .openapi({ type: 'string', format: 'binary', description: 'PDF, JPEG or PNG, at most 5 MB' }),
  })
  .openapi('AttestationDocumentForm');

export const DocumentSchema = z
  .object({ id: z.number().int(), author: Person, note: z.string().nullable(), fileName: z.string().nullable(), hasFile: z.boolean(), createdAt: z.string() })
  .openapi('AttestationDocument');

export const RegisterBody = z
  .strictObject({
    email: z.string().trim().min(3).max(254).openapi({ example: 'citizen@example.kg' }),
    fullName: Line(3, 200),
    locale: z.enum(['ky', 'ru']).default('ky'),
  })
  .openapi('CandidateRegistration');

export const MyParticipationSchema = z
  .object({
    id: z.number().int(),
    campaign: z.object({ id: z.number().int(), kind: z.enum(CAMPAIGN_KINDS), titleKy: z.string(), titleRu: z.string(), status: z.enum(CAMPAIGN_STATUSES) }),
    post: z.string(),
    stage1: z.object({ status: z.enum(STAGE1_STATUSES), reason: z.string().nullable(), at: z.string().nullable() }),
    stage2: z.object({ status: z.enum(STAGE2_STATUSES), lawScorePercent: z.number().nullable(), lawPassed: z.boolean().nullable() }),
    decision: z.enum(DECISIONS).nullable(),
    recommendedToReserve: z.boolean(),
  })
  .openapi('MyAttestation');

export const OpenCompetitionSchema = z
  .object({ id: z.number().int(), titleKy: z.string(), titleRu: z.string(), posts: z.array(z.string()), region: z.enum(REGIONS), requirements: z.string().nullable(), stage1To: z.string() })
  .openapi('OpenCompetition');

export const ScoresBody = z
  .strictObject({
    scores: z.record(z.string().max(40), z.number().int().min(1).max(CRITERION_MAX_SCORE)).openapi({ description: 'Every criterion of the campaign: `{ "<key>": 1–5 }`' }),
    comment: z.string().trim().max(2000).optional(),
  })
  .openapi('InterviewScores');

const ScoreRow = z.object({ member: Person, scores: z.record(z.string(), z.number().int()), comment: z.string().nullable(), submittedAt: z.string() });
export const ScoresSchema = z
  .object({
    mine: ScoreRow.nullable(),
    others: z.array(ScoreRow).openapi({ description: 'Empty while `othersHidden`' }),
    othersHidden: z.boolean().openapi({ description: 'true for a member who has not submitted their own scores yet' }),
    submitted: z.number().int(),
    commission: z.number().int(),
  })
  .openapi('InterviewScoresView');

export const DecisionBody = z
  .strictObject({
    decision: z.enum(DECISIONS).openapi({ description: 'attestation: fits | does_not_fit; competition: reserve | not_reserve' }),
    votesFor: z.number().int().min(0).max(100),
    votesAgainst: z.number().int().min(0).max(100),
    recommendedToReserve: z.boolean().optional().openapi({ description: 'attestation with `fits` only: the commission recommends the person to the reserve' }),
  })
  .openapi('CommissionDecision');

export const PublicReserveSchema = z
  .object({ fullName: z.string(), post: z.string(), region: z.enum(REGIONS) })
  .openapi('PublicReserveEntry');

export const ReserveEntrySchema = z
  .object({
    id: z.number().int(), person: Person, post: z.string(), region: z.enum(REGIONS), enteredOn: z.string(),
    campaign: z.object({ id: z.number().int(), titleKy: z.string(), titleRu: z.string() }), published: z.boolean(),
  })
  .openapi('ReserveEntry');

export const PublishBody = z.strictObject({ campaignId: BodyId.nullable().default(null).openapi({ description: 'One campaign’s entries, or every unpublished entry (null)' }) }).openapi('PublishReserve');
export const ReserveQuery = z.object({
  region: z.enum(REGIONS).optional(),
  post: z.string().trim().max(300).optional().openapi({ description: 'Only entries for this post (exact)' }),
  campaignId: Id.optional(),
});
export const RemoveReserveBody = z
  .strictObject({ reason: z.string().max(1000).openapi({ description: 'Why the entry is taken out (required; kept in the audit log)' }) })
  .openapi('RemoveReserveEntry');
