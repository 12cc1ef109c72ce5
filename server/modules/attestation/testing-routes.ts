/** Stage 2 routes (computer testing sessions): thin callers of testing.ts. */
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { commitGrouped } from '@db/group-commit';
import { authErrors, commonErrors, errorResponse, newRouter, requireUser, type AppEnv } from '@server/lib/http';
import { servedOverHttps } from '@server/lib/client';
import { DEVICE_COOKIE, deviceCookieOptions, isDeviceToken, newDeviceToken } from '@server/lib/device';
import { createSession, enterSession, listSessions, liveView, releaseSeat, stage2Result, type SessionView } from './testing';

const TAG = ['Attestation testing'];
const json = <T extends z.ZodTypeAny>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });
const body = <T extends z.ZodTypeAny>(schema: T) => ({ body: { required: true, content: { 'application/json': { schema } } } });
const Id = z.coerce.number().int().positive().max(2_147_483_647);
const IdParam = z.object({ id: Id.openapi({ param: { name: 'id', in: 'path' }, example: 1 }) });
const SeatParams = z.object({ id: Id.openapi({ param: { name: 'id', in: 'path' }, example: 1 }), personId: Id.openapi({ param: { name: 'personId', in: 'path' }, example: 1 }) });
const Bi = z.object({ ky: z.string(), ru: z.string() });
const actorOf = (c: Context<AppEnv>) => {
  const user = requireUser(c);
  return { id: user.id, roles: user.roles, ip: c.env?.ip ?? null };
};
const iso = (d: Date | null) => (d ? d.toISOString() : null);

const SessionBody = z
  .object({
    quizId: z.number().int().positive().openapi({ description: 'The test: an active quiz of a published course (law questions and the questionnaire by its draw rules)' }),
    startsAt: z.string().openapi({ example: '2027-03-10T09:00:00+06:00' }),
    endsAt: z.string().openapi({ example: '2027-03-10T11:00:00+06:00', description: 'After startsAt, at most 12 hours later, in the future' }),
    place: z.string().nullable().optional().openapi({ description: 'The test room' }),
  })
  .openapi('TestingSessionInput');
const SessionSchema = z
  .object({
    id: z.number(),
    campaignId: z.number(),
    quizId: z.number(),
    quizTitle: Bi,
    place: z.string().nullable(),
    startsAt: z.string(),
    endsAt: z.string(),
    code: z.string().nullable().openapi({ description: 'The code to hand out in the room (the officer only; null for the commission)' }),
    seated: z.number().int(),
    finished: z.number().int(),
  })
  .openapi('TestingSession');
const toSession = (s: SessionView): z.infer<typeof SessionSchema> => ({
  id: s.id, campaignId: s.campaignId, quizId: s.quizId, quizTitle: s.quizTitle, place: s.place, startsAt: s.startsAt.toISOString(), endsAt: s.endsAt.toISOString(), code: s.code, seated: s.seated, finished: s.finished,
});
const LiveSchema = z
  .object({
    session: SessionSchema,
    at: z.string(),
    counts: z.object({ not_in: z.number(), answering: z.number(), finished: z.number() }),
    rows: z.array(
      z.object({
        personId: z.number(), fullName: z.string(), post: z.string(), state: z.enum(['not_in', 'answering', 'finished']), answered: z.number(), questions: z.number(),
        enteredAt: z.string().nullable(), deadlineAt: z.string().nullable(), device: z.boolean(), lawScorePercent: z.number().nullable(), lawPassed: z.boolean().nullable(),
      }),
    ),
  })
  .openapi('TestingLiveView');
const Stage2Schema = z
  .object({
    personId: z.number(),
    status: z.string(),
    testedAt: z.string().nullable(),
    lawScorePercent: z.number().nullable(),
    lawPassed: z.boolean().nullable(),
    weakTopics: z.array(z.string()),
    attemptId: z.number().nullable(),
    sessionId: z.number().nullable(),
    qualities: z.array(z.object({ key: z.string(), name: Bi, score: z.number().nullable(), threshold: z.number().nullable(), meets: z.boolean().nullable() })),
  })
  .openapi('TestingResult');

export const attestationTestingRoutes = newRouter()
  .openapi(
    createRoute({
      method: 'post', path: '/attestation/campaigns/{id}/sessions', tags: TAG, summary: 'Schedule a testing session (officer): time window, place, test; answers with its code',
      request: { params: IdParam, ...body(SessionBody) },
      responses: {
        201: json(z.object({ session: SessionSchema }), 'Scheduled'), ...commonErrors, ...authErrors,
        404: errorResponse('`campaign_not_found`, `quiz_not_found`'), 409: errorResponse('`campaign_closed`'),
      },
    }),
    (c) => {
      const actor = actorOf(c);
      const db = c.get('db');
      const s = createSession(db, actor, c.req.valid('param').id, c.req.valid('json'));
      return c.json({ session: toSession(listSessions(db, actor, s.campaignId).find((x) => x.id === s.id)!) }, 201);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/attestation/campaigns/{id}/sessions', tags: TAG, summary: 'A campaign’s testing sessions (officer with the codes; the campaign’s commission without)',
      request: { params: IdParam },
      responses: { 200: json(z.object({ sessions: z.array(SessionSchema) }), 'Earliest first'), ...authErrors, 404: errorResponse('`campaign_not_found`') },
    }),
    (c) => c.json({ sessions: listSessions(c.get('db'), actorOf(c), c.req.valid('param').id).map(toSession) }, 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/attestation/sessions/enter', tags: TAG,
      summary: 'Enter a session’s code (a person of the campaign admitted at stage 1): starts or resumes their test on this device',
      description: `The first device to enter holds the seat (the \`${DEVICE_COOKIE}\` cookie, set here when missing); another device is refused with \`session_other_device\` until the officer releases the seat.`,
      request: body(z.object({ code: z.string().max(40).openapi({ example: 'K7P3QX' }) })),
      responses: {
        200: json(z.object({ attemptId: z.number(), sessionId: z.number(), resumed: z.boolean() }), 'The attempt to open: /{lang}/attempts/{attemptId}'), ...commonErrors, ...authErrors,
        404: errorResponse('`session_code_unknown` (also for someone not in the campaign)'),
        409: errorResponse('`session_not_open`, `session_closed`, `not_admitted`, `session_other_device`, `session_other_session`, `session_test_finished`'),
      },
    }),
    async (c) => {
      const actor = actorOf(c);
      let device = getCookie(c, DEVICE_COOKIE);
      if (!isDeviceToken(device)) {
        device = newDeviceToken();
        setCookie(c, DEVICE_COOKIE, device, deviceCookieOptions(servedOverHttps(c.req.raw.headers)));
      }
      const db = c.get('db');
      const code = c.req.valid('json').code;
      const token = device;
      // a room of people entering at the same minute: one commit (one disk sync) per batch, as quiz starts
      return c.json(await commitGrouped(db, () => enterSession(db, actor, code, token)), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/attestation/sessions/{id}/live', tags: TAG, summary: 'The officer’s live view: who is in, answered count, finished',
      request: { params: IdParam },
      responses: { 200: json(LiveSchema, 'Now'), ...authErrors, 404: errorResponse('`session_not_found`') },
    }),
    (c) => {
      const live = liveView(c.get('db'), actorOf(c), c.req.valid('param').id);
      return c.json(
        {
          session: toSession(live.session),
          at: live.at.toISOString(),
          counts: live.counts,
          rows: live.rows.map((r) => ({ ...r, enteredAt: iso(r.enteredAt), deadlineAt: iso(r.deadlineAt) })),
        },
        200,
      );
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/attestation/sessions/{id}/seats/{personId}/release', tags: TAG,
      summary: 'Release a person’s seat from its device (officer): the next device that enters the code takes over; the first is refused',
      request: { params: SeatParams },
      responses: { 200: json(z.object({ released: z.literal(true) }), 'Released'), ...authErrors, 404: errorResponse('`session_not_found`, `seat_not_found`') },
    }),
    (c) => {
      const { id, personId } = c.req.valid('param');
      releaseSeat(c.get('db'), actorOf(c), id, personId);
      return c.json({ released: true as const }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/attestation/people/{id}/testing', tags: TAG,
      summary: 'A person’s stage-2 result with the qualities profile against the campaign’s thresholds (officer and the campaign’s commission only)',
      description: 'The person themself is refused (403): they see their law result, never the profile.',
      request: { params: IdParam },
      responses: { 200: json(Stage2Schema, 'The result'), ...authErrors, 404: errorResponse('`person_not_found`') },
    }),
    (c) => {
      const r = stage2Result(c.get('db'), actorOf(c), c.req.valid('param').id);
      return c.json({ ...r, status: r.status as string, testedAt: iso(r.testedAt) }, 200);
    },
  );
