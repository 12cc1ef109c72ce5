import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { authErrors, commonErrors, errorResponse, FILE_CONTENT, ListFormat, newRouter, requireUser, type AppEnv } from '@server/lib/http';
import { readScan, saveScan } from '@server/lib/uploads';
import { registerCandidate } from '../people/service';
import {
  AddPeopleBody, ApplyBody, CampaignInput, CampaignSchema, CommissionBody, DocumentForm, DocumentSchema, IdParam, MyParticipationSchema,
  OpenCompetitionSchema, ParticipantSchema, RegisterBody, Stage1Body,
  DecisionBody, PublicReserveSchema, PublishBody, RemoveReserveBody, ReserveEntrySchema, ReserveQuery, ScoresBody, ScoresSchema,
} from './schemas';
import {
  addDocument, addPeople, applyToCompetition, campaignFor, campaignPeople, commissionOf, createCampaign, decideStage1, documentFileFor, documentsOf,
  isOfficer, listCampaigns, myParticipations, openCompetitions, participantFor, participantView, peopleCount, removePerson, setCommission, updateCampaign,
  listReserve, publishReserve, recordDecision, removeFromReserve, scoresFor, submitScores,
  type Campaign, type ParticipantView, type ScoreView, type Viewer,
} from './service';
import type { DB } from '@db/client';
import { tableFile, XLSX_TYPE } from '@server/lib/table-file';
import { bishkekDay } from '@server/lib/time';
import { auditListDownload } from '../audit/service';
import { protocolPdf, protocolXlsx, reserveTable } from './protocol';

const TAG = ['Attestation'];
const ProtocolQuery = z.object({ lang: z.enum(['ky', 'ru']).default('ky') });
const json = <T extends z.ZodTypeAny>(schema: T) => ({ content: { 'application/json': { schema } } });
const body = <T extends z.ZodTypeAny>(schema: T) => ({ body: { required: true, ...json(schema) } });
const actorOf = (c: Context<AppEnv>, ...roles: Parameters<typeof requireUser>[1][]) => {
  const user = requireUser(c, ...roles);
  return { id: user.id, roles: user.roles, ip: c.env?.ip ?? null };
};

export function toCampaign(db: DB, c: Campaign): z.infer<typeof CampaignSchema> {
  return {
    id: c.id, kind: c.kind, status: c.status, titleKy: c.titleKy, titleRu: c.titleRu, posts: c.posts, region: c.region, requirements: c.requirements,
    stage1From: c.stage1From, stage1To: c.stage1To, stage2From: c.stage2From, stage2To: c.stage2To, stage3From: c.stage3From, stage3To: c.stage3To,
    criteria: c.criteria, qualityThresholds: c.qualityThresholds, commission: commissionOf(db, c.id), people: peopleCount(db, c.id),
  };
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);
export function toParticipant(p: ParticipantView, viewer: Viewer, own: boolean): z.infer<typeof ParticipantSchema> {
  return {
    id: p.id,
    campaignId: p.campaignId,
    person: { id: p.userId, fullName: p.fullName, organisation: p.organisation, positionTitle: p.positionTitle },
    post: p.post,
    addedAt: p.addedAt.toISOString(),
    stage1: { status: p.stage1Status, reason: p.stage1Reason, at: iso(p.stage1At) },
    stage2: {
      status: p.stage2Status, at: iso(p.stage2At), lawScorePercent: p.lawScorePercent, lawPassed: p.lawPassed,
      // the qualities profile is for the commission, not for the person
      qualitiesProfile: own && !isOfficer(viewer) ? null : p.qualitiesProfile,
    },
    stage3: { decision: p.decision, recommendedToReserve: p.recommendedToReserve, votesFor: p.votesFor, votesAgainst: p.votesAgainst, at: iso(p.decisionAt), scoresSubmitted: p.scoresSubmitted },
    documents: p.documents,
  };
}

export const attestationRoutes = newRouter()
  .openapi(
    createRoute({
      method: 'get', path: '/attestation/campaigns', tags: TAG,
      summary: 'Campaigns (attestations and reserve competitions), newest first: all for a personnel officer, those a commission member sits on',
      responses: { 200: { ...json(z.object({ campaigns: z.array(CampaignSchema) })), description: 'The campaigns' }, ...authErrors },
    }),
    (c) => {
      const viewer = actorOf(c);
      const db = c.get('db');
      return c.json({ campaigns: listCampaigns(db, viewer).map((x) => toCampaign(db, x)) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/attestation/campaigns', tags: TAG,
      summary: 'Create a campaign (personnel officer): kind, posts, region, the schedule of the three stages, interview criteria, quality thresholds',
      request: body(CampaignInput),
      responses: { 201: { ...json(CampaignSchema), description: 'Created' }, ...commonErrors, ...authErrors },
    }),
    (c) => {
      const db = c.get('db');
      return c.json(toCampaign(db, createCampaign(db, actorOf(c), c.req.valid('json'))), 201);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/attestation/campaigns/{id}', tags: TAG,
      summary: 'A campaign with its people and their progress (the officer; a commission member of this campaign)',
      request: { params: IdParam },
      responses: {
        200: { ...json(z.object({ campaign: CampaignSchema, people: z.array(ParticipantSchema) })), description: 'The campaign' },
        ...authErrors,
        404: errorResponse('`campaign_not_found` (also a campaign the member does not sit on)'),
      },
    }),
    (c) => {
      const viewer = actorOf(c);
      const db = c.get('db');
      const campaign = campaignFor(db, viewer, c.req.valid('param').id);
      return c.json({ campaign: toCampaign(db, campaign), people: campaignPeople(db, campaign.id).map((p) => toParticipant(p, viewer, false)) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'put', path: '/attestation/campaigns/{id}', tags: TAG,
      summary: 'Change a campaign’s settings and status (personnel officer)',
      description: 'The kind cannot change once people are in the campaign (409 `campaign_has_people`); a post someone is in it for stays (409 `post_in_use`); a criterion already scored stays (409 `criteria_in_use`).',
      request: { params: IdParam, ...body(CampaignInput) },
      responses: { 200: { ...json(CampaignSchema), description: 'Saved' }, ...commonErrors, ...authErrors, 404: errorResponse('`campaign_not_found`'), 409: errorResponse('see description') },
    }),
    (c) => {
      const db = c.get('db');
      return c.json(toCampaign(db, updateCampaign(db, actorOf(c), c.req.valid('param').id, c.req.valid('json'))), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'put', path: '/attestation/campaigns/{id}/commission', tags: TAG,
      summary: 'Set who sits on the commission (personnel officer); each must hold the commission-member role',
      request: { params: IdParam, ...body(CommissionBody) },
      responses: {
        200: { ...json(z.object({ commission: z.array(z.object({ id: z.number().int(), fullName: z.string() })) })), description: 'The commission now' },
        ...commonErrors, ...authErrors,
        404: errorResponse('`campaign_not_found`'),
        409: errorResponse('`member_has_scores`: a member who already scored someone cannot be taken off'),
        422: errorResponse('`not_commission_member`'),
      },
    }),
    (c) => c.json({ commission: setCommission(c.get('db'), actorOf(c), c.req.valid('param').id, c.req.valid('json').userIds) }, 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/attestation/campaigns/{id}/people', tags: TAG,
      summary: 'Add servants chosen from the organisation tree to an attestation, for one of its posts (personnel officer)',
      request: { params: IdParam, ...body(AddPeopleBody) },
      responses: {
        200: { ...json(z.object({ added: z.number().int().openapi({ description: 'People added (someone already in is left as is)' }) })), description: 'Added' },
        ...commonErrors, ...authErrors,
        404: errorResponse('`campaign_not_found`'),
        409: errorResponse('`campaign_is_competition` (people apply to those), `campaign_closed`'),
        422: errorResponse('`not_a_servant`, `post_not_in_campaign`'),
      },
    }),
    (c) => c.json(addPeople(c.get('db'), actorOf(c), c.req.valid('param').id, c.req.valid('json')), 200),
  )
  .openapi(
    createRoute({
      method: 'get', path: '/attestation/campaigns/{id}/protocol.pdf', tags: TAG,
      summary: 'The campaign’s protocol as an A4 PDF in Kyrgyz or Russian (the officer; a member of its commission)',
      request: { params: IdParam, query: ProtocolQuery },
      responses: {
        200: { content: { 'application/pdf': { schema: z.string().openapi({ format: 'binary' }) } }, description: 'Every person with the three stages, the interview averages, the vote and the decision; the commission with lines to sign' },
        ...commonErrors, ...authErrors,
        404: errorResponse('`campaign_not_found`'),
      },
    }),
    async (c) => {
      const actor = actorOf(c);
      const db = c.get('db');
      const campaign = campaignFor(db, actor, c.req.valid('param').id);
      const lang = c.req.valid('query').lang;
      auditListDownload(db, actor, 'attestation_protocol', { format: 'pdf', filters: { campaignId: campaign.id, lang }, rows: peopleCount(db, campaign.id) });
      const pdf = await protocolPdf(db, campaign, lang);
      return c.body(new Uint8Array(pdf), 200, { 'Content-Type': 'application/pdf', 'Content-Disposition': `attachment; filename="protocol-${campaign.id}-${lang}.pdf"` });
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/attestation/campaigns/{id}/protocol.xlsx', tags: TAG,
      summary: 'The campaign’s protocol as XLSX (the officer; a member of its commission)',
      request: { params: IdParam, query: ProtocolQuery },
      responses: {
        200: { content: { [XLSX_TYPE]: { schema: z.string().openapi({ format: 'binary' }) } }, description: 'One row per person; scores as numbers' },
        ...commonErrors, ...authErrors,
        404: errorResponse('`campaign_not_found`'),
      },
    }),
    async (c) => {
      const actor = actorOf(c);
      const db = c.get('db');
      const campaign = campaignFor(db, actor, c.req.valid('param').id);
      const lang = c.req.valid('query').lang;
      auditListDownload(db, actor, 'attestation_protocol', { format: 'xlsx', filters: { campaignId: campaign.id, lang }, rows: peopleCount(db, campaign.id) });
      const body = await protocolXlsx(db, campaign, lang);
      return c.body(body, 200, { 'Content-Type': XLSX_TYPE, 'Content-Disposition': `attachment; filename="protocol-${campaign.id}-${lang}.xlsx"` });
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/attestation/people/{id}', tags: TAG,
      summary: 'One person in a campaign: progress and documents (the officer, the campaign’s commission, the person)',
      description: 'The person sees their own progress and law-test result, but not the qualities profile.',
      request: { params: IdParam },
      responses: {
        200: { ...json(z.object({ participant: ParticipantSchema, documents: z.array(DocumentSchema) })), description: 'The person' },
        ...authErrors,
        404: errorResponse('`person_not_found`'),
      },
    }),
    (c) => {
      const viewer = actorOf(c);
      const db = c.get('db');
      const { person, own } = participantFor(db, viewer, c.req.valid('param').id);
      return c.json({
        participant: toParticipant(participantView(db, person.id), viewer, own),
        documents: documentsOf(db, person.id).map((d) => ({ id: d.id, author: { id: d.authorId, fullName: d.authorName }, note: d.note, fileName: d.fileName, hasFile: d.hasFile, createdAt: d.createdAt.toISOString() })),
      }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'delete', path: '/attestation/people/{id}', tags: TAG,
      summary: 'Take a person out of a campaign before any result (personnel officer)',
      request: { params: IdParam },
      responses: { 200: { ...json(z.object({ ok: z.literal(true) })), description: 'Removed' }, ...authErrors, 404: errorResponse('`person_not_found`'), 409: errorResponse('`person_has_results`') },
    }),
    (c) => {
      removePerson(c.get('db'), actorOf(c), c.req.valid('param').id);
      return c.json({ ok: true as const }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/attestation/people/{id}/documents', tags: TAG,
      summary: 'Add a note and/or a document to a person’s stage 1 (the officer; a candidate to their own application while it waits)',
      request: { params: IdParam, body: { required: true, content: { 'multipart/form-data': { schema: DocumentForm } } } },
      responses: {
        201: { ...json(DocumentSchema), description: 'Added' },
        ...commonErrors, ...authErrors,
        404: errorResponse('`person_not_found`'),
        409: errorResponse('`stage1_decided`, `too_many_documents`'),
        413: errorResponse('`file_too_large`'),
        415: errorResponse('`file_type_not_allowed`: only PDF, JPEG, PNG'),
      },
    }),
    async (c) => {
      const actor = actorOf(c);
      const db = c.get('db');
      const { note, file } = c.req.valid('form');
      const id = c.req.valid('param').id;
      // Who may add is checked before the file is stored, and again by the service.
      participantFor(db, actor, id);
      const stored = file ? { ...saveScan(new Uint8Array(await file.arrayBuffer())), name: file.name.slice(0, 200) } : null;
      const d = addDocument(db, actor, id, { note: note ?? null, file: stored });
      return c.json({ id: d.id, author: { id: d.authorId, fullName: d.authorName }, note: d.note, fileName: d.fileName, hasFile: d.hasFile, createdAt: d.createdAt.toISOString() }, 201);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/attestation/documents/{id}/file', tags: TAG,
      summary: 'The file of a stage-1 document (the officer, the campaign’s commission, the person)',
      request: { params: IdParam },
      responses: {
        200: { content: { 'application/pdf': { schema: z.string().openapi({ format: 'binary' }) }, 'image/jpeg': { schema: z.string().openapi({ format: 'binary' }) }, 'image/png': { schema: z.string().openapi({ format: 'binary' }) } }, description: 'The file' },
        ...authErrors,
        404: errorResponse('`document_not_found`'),
      },
    }),
    (c) => {
      const f = documentFileFor(c.get('db'), actorOf(c), c.req.valid('param').id);
      let bytes: Buffer;
      try {
        bytes = readScan(f.file);
      } catch {
        return c.json({ error: { code: 'document_not_found' } }, 404);
      }
      return c.body(new Uint8Array(bytes), 200, { 'Content-Type': f.type, 'Content-Disposition': 'attachment', 'X-Content-Type-Options': 'nosniff' });
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/attestation/people/{id}/stage1', tags: TAG,
      summary: 'Stage 1 decision (personnel officer): admitted to testing, or refused with a reason the person sees',
      request: { params: IdParam, ...body(Stage1Body) },
      responses: {
        200: { ...json(ParticipantSchema), description: 'Recorded' },
        ...commonErrors, ...authErrors,
        404: errorResponse('`person_not_found`'),
        409: errorResponse('`stage2_done`: testing already has a result'),
      },
    }),
    (c) => {
      const actor = actorOf(c);
      const db = c.get('db');
      const p = decideStage1(db, actor, c.req.valid('param').id, c.req.valid('json'));
      return c.json(toParticipant(participantView(db, p.id), actor, false), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/attestation/people/{id}/scores', tags: TAG,
      summary: 'Interview scores of a person: the officer sees all; a commission member sees the others’ only after submitting their own',
      request: { params: IdParam },
      responses: { 200: { ...json(ScoresSchema), description: 'The scores this viewer may see' }, ...authErrors, 404: errorResponse('`person_not_found`') },
    }),
    (c) => {
      const s = scoresFor(c.get('db'), actorOf(c), c.req.valid('param').id);
      return c.json({ mine: s.mine ? toScore(s.mine) : null, others: s.others.map(toScore), othersHidden: s.othersHidden, submitted: s.submitted, commission: s.commission }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/attestation/people/{id}/scores', tags: TAG,
      summary: 'Submit my interview scores for a person (a member of the campaign’s commission; once)',
      request: { params: IdParam, ...body(ScoresBody) },
      responses: {
        201: { ...json(ScoresSchema), description: 'Submitted; the answer now shows the others’ scores too' },
        ...commonErrors, ...authErrors,
        404: errorResponse('`person_not_found`'),
        409: errorResponse('`already_scored`, `not_ready_for_interview`, `decision_recorded`'),
      },
    }),
    (c) => {
      const actor = actorOf(c);
      const db = c.get('db');
      const id = c.req.valid('param').id;
      submitScores(db, actor, id, c.req.valid('json'));
      const s = scoresFor(db, actor, id);
      return c.json({ mine: s.mine ? toScore(s.mine) : null, others: s.others.map(toScore), othersHidden: s.othersHidden, submitted: s.submitted, commission: s.commission }, 201);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/attestation/people/{id}/decision', tags: TAG,
      summary: 'Record the commission’s decision with the vote (personnel officer; once)',
      description: 'Attestation: fits / does_not_fit (with `recommendedToReserve` when it fits); competition: reserve / not_reserve. A person put in the reserve gets an unpublished reserve entry.',
      request: { params: IdParam, ...body(DecisionBody) },
      responses: {
        200: { ...json(ParticipantSchema), description: 'Recorded' },
        ...commonErrors, ...authErrors,
        404: errorResponse('`person_not_found`'),
        409: errorResponse('`decision_recorded`, `not_ready_for_interview`'),
      },
    }),
    (c) => {
      const actor = actorOf(c);
      const db = c.get('db');
      const p = recordDecision(db, actor, c.req.valid('param').id, c.req.valid('json'));
      return c.json(toParticipant(participantView(db, p.id), actor, false), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/attestation/reserve', tags: TAG,
      summary: 'The personnel reserve with dates, campaigns and whether each entry is published (personnel officer)',
      description: 'Filters: `region`, `post` (exact), `campaignId`. `format` csv / csv-semicolon / xlsx downloads the same rows (in the officer’s language; the download is in the audit log).',
      request: { query: ReserveQuery.extend({ format: ListFormat }) },
      responses: { 200: { content: { ...json(z.object({ entries: z.array(ReserveEntrySchema) })).content, ...FILE_CONTENT }, description: 'By region, post and name' }, ...commonErrors, ...authErrors },
    }),
    async (c) => {
      const actor = actorOf(c);
      if (!isOfficer(actor)) return c.json({ error: { code: 'forbidden' } }, 403);
      const { format, ...q } = c.req.valid('query');
      const db = c.get('db');
      const rows = listReserve(db, { publishedOnly: false, region: q.region, post: q.post || null, campaignId: q.campaignId });
      if (format !== 'json') {
        auditListDownload(db, actor, 'reserve', { format, filters: q, rows: rows.length });
        const file = await tableFile(reserveTable(rows, requireUser(c).locale), format, `bilim-reserve-${bishkekDay(new Date())}`);
        return c.body(file.body, 200, file.headers);
      }
      return c.json({
        entries: rows.map((e) => ({
          id: e.id, person: { id: e.userId, fullName: e.fullName }, post: e.post, region: e.region, enteredOn: e.enteredOn,
          campaign: { id: e.campaignId, titleKy: e.campaignKy, titleRu: e.campaignRu }, published: e.published,
        })),
      }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/attestation/reserve/publish', tags: TAG,
      summary: 'Publish the reserve entries not yet published, of one campaign or all (personnel officer)',
      request: body(PublishBody),
      responses: { 200: { ...json(z.object({ published: z.number().int() })), description: 'How many were published' }, ...commonErrors, ...authErrors, 404: errorResponse('`campaign_not_found`') },
    }),
    (c) => c.json(publishReserve(c.get('db'), actorOf(c), c.req.valid('json').campaignId), 200),
  )
  .openapi(
    createRoute({
      method: 'delete', path: '/attestation/reserve/{id}', tags: TAG,
      summary: 'Take an entry out of the reserve with the reason (personnel officer); it leaves the public list at once',
      request: { params: IdParam, ...body(RemoveReserveBody) },
      responses: { 200: { ...json(z.object({ ok: z.literal(true) })), description: 'Taken out' }, ...commonErrors, ...authErrors, 404: errorResponse('`reserve_entry_not_found`') },
    }),
    (c) => {
      removeFromReserve(c.get('db'), actorOf(c), c.req.valid('param').id, c.req.valid('json').reason);
      return c.json({ ok: true as const }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/reserve', tags: TAG, security: [],
      summary: 'The published composition of the personnel reserve: name, post, region — nothing else (anyone)',
      request: { query: z.object({ region: ReserveQuery.shape.region }) },
      responses: { 200: { ...json(z.object({ entries: z.array(PublicReserveSchema) })), description: 'By region, post and name' }, ...commonErrors },
    }),
    (c) => {
      const entries = listReserve(c.get('db'), { publishedOnly: true, region: c.req.valid('query').region });
      return c.json({ entries: entries.map((e) => ({ fullName: e.fullName, post: e.post, region: e.region })) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/competitions', tags: TAG, security: [],
      summary: 'Reserve competitions taking applications now (anyone)',
      responses: { 200: { ...json(z.object({ competitions: z.array(OpenCompetitionSchema) })), description: 'Open competitions, the soonest deadline first' } },
    }),
    (c) => c.json({
      competitions: openCompetitions(c.get('db')).map((x) => ({ id: x.id, titleKy: x.titleKy, titleRu: x.titleRu, posts: x.posts, region: x.region, requirements: x.requirements, stage1To: x.stage1To })),
    }, 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/competitions/{id}/applications', tags: TAG,
      summary: 'Apply to an open reserve competition for one of its posts (a candidate or a servant; once)',
      request: { params: IdParam, ...body(ApplyBody) },
      responses: {
        201: { ...json(MyParticipationSchema), description: 'Applied; stage 1 waits for documents and the officer’s check' },
        ...commonErrors, ...authErrors,
        404: errorResponse('`campaign_not_found`: no open competition with this number'),
        409: errorResponse('`already_applied`, `applications_closed`'),
        422: errorResponse('`post_not_in_campaign`'),
      },
    }),
    (c) => {
      const actor = actorOf(c);
      const db = c.get('db');
      const p = applyToCompetition(db, actor, c.req.valid('param').id, c.req.valid('json'));
      const mine = myParticipations(db, actor.id).find((m) => m.person.id === p.id)!;
      return c.json(toMine(mine), 201);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/me/attestations', tags: TAG,
      summary: 'My attestations and competition applications: each stage’s status, a refusal’s reason, my law-test result, the decision',
      responses: { 200: { ...json(z.object({ items: z.array(MyParticipationSchema) })), description: 'Newest first' }, ...authErrors },
    }),
    (c) => {
      const user = requireUser(c);
      return c.json({ items: myParticipations(c.get('db'), user.id).map(toMine) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/auth/register', tags: TAG, security: [],
      summary: 'A citizen registers as a candidate for reserve competitions: e-mails a link that confirms the address and sets the password',
      description: 'The same answer whether the e-mail is new, known or over the limit (3 an hour per e-mail, 20 per address). The link is valid 72 hours and opens /{lang}/register/<token>.',
      request: body(RegisterBody),
      responses: { 202: { ...json(z.object({ ok: z.literal(true) })), description: 'Accepted (always, for a well-formed request)' }, ...commonErrors },
    }),
    (c) => {
      const b = c.req.valid('json');
      registerCandidate(c.get('db'), { ...b, ip: c.env?.ip ?? 'unknown' });
      return c.json({ ok: true as const }, 202);
    },
  );

function toScore(s: ScoreView) {
  return { member: { id: s.memberId, fullName: s.memberName }, scores: s.scores, comment: s.comment, submittedAt: s.submittedAt.toISOString() };
}

function toMine(m: ReturnType<typeof myParticipations>[number]): z.infer<typeof MyParticipationSchema> {
  const p = m.person;
  return {
    id: p.id,
    campaign: { id: m.campaign.id, kind: m.campaign.kind, titleKy: m.campaign.titleKy, titleRu: m.campaign.titleRu, status: m.campaign.status },
    post: p.post,
    stage1: { status: p.stage1Status, reason: p.stage1Reason, at: iso(p.stage1At) },
    stage2: { status: p.stage2Status, lawScorePercent: p.lawScorePercent, lawPassed: p.lawPassed },
    decision: p.decision,
    recommendedToReserve: p.recommendedToReserve,
  };
}
