/**
 * Attestation and reserve competitions, step 1 (docs/attestation.md): campaigns, who sees them, the
 * people of an attestation, candidate registration with e-mail confirmation, applying, stage-1
 * documents and the officer's check, and the stage-2 result the testing module records.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq, like } from 'drizzle-orm';
import { auditLog, users, webhookOutbox } from '@db/schema';
import { call, getDb, signIn, withDemo } from '../helpers';
import { createPerson } from '@server/modules/people/service';
import { setStage2Result } from '@server/modules/attestation/service';

const UPLOADS = mkdtempSync(join(tmpdir(), 'bilim-attest-'));
process.env.UPLOADS_DIR = UPLOADS;
const PDF = new Uint8Array([...Buffer.from('%PDF-1.4\n% diploma\n')]);

const today = new Date().toISOString().slice(0, 10);
const plus = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

export function campaignBody(extra: Record<string, unknown> = {}) {
  return {
    kind: 'attestation',
    status: 'open',
    titleKy: 'Райондук администрация башчыларын аттестациялоо',
    titleRu: 'Аттестация глав районных администраций',
    posts: ['Райондук мамлекеттик администрациянын башчысы', 'Башчынын орун басары'],
    region: 'osh',
    requirements: 'Мамлекеттик кызматта 5 жылдан кем эмес иш стажы',
    stage1From: today, stage1To: plus(10), stage2From: plus(11), stage2To: plus(12), stage3From: plus(13), stage3To: plus(20),
    criteria: [{ key: 'knowledge', ky: 'Кесиптик билими', ru: 'Профессиональные знания' }, { key: 'leadership', ky: 'Жетекчилик сапаттары', ru: 'Лидерские качества' }],
    qualityThresholds: { responsibility: 60 },
    ...extra,
  };
}

const db = () => getDb();
const idOf = (email: string) => db().select({ id: users.id }).from(users).where(eq(users.email, email)).get()!.id;
let officer: string, member: string, learner: string, hr: string, admin: string, member2: string;

beforeAll(async () => {
  await withDemo();
  await createPerson(db(), { email: 'member2@test.kg', password: 'commission-password-2026', fullName: 'Гүлмира Абдиева', locale: 'ru', roles: [{ role: 'commission_member' }] });
  [officer, member, learner, hr, admin, member2] = await Promise.all([
    signIn('officer@demo.kg'), signIn('commission@demo.kg'), signIn('learner@demo.kg'), signIn('hr@demo.kg'), signIn('admin@demo.kg'), signIn('member2@test.kg', 'commission-password-2026'),
  ]);
}, 60_000);

async function create(cookie: string, extra: Record<string, unknown> = {}) {
  const res = await call('/api/attestation/campaigns', { method: 'POST', cookie, json: campaignBody(extra) });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as { id: number; kind: string; commission: unknown[] };
}

describe('campaigns', () => {
  it('only a personnel officer (or an administrator) creates one; the schedule must run forward', async () => {
    expect((await call('/api/attestation/campaigns', { method: 'POST', json: campaignBody() })).status).toBe(401);
    for (const cookie of [learner, hr, member]) expect((await call('/api/attestation/campaigns', { method: 'POST', cookie, json: campaignBody() })).status).toBe(403);
    const bad = await call('/api/attestation/campaigns', { method: 'POST', cookie: officer, json: campaignBody({ stage2From: plus(5) }) });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.field).toBe('stage2From');
    const dupCriteria = await call('/api/attestation/campaigns', { method: 'POST', cookie: officer, json: campaignBody({ criteria: [{ key: 'a', ky: 'Бир', ru: 'Один' }, { key: 'a', ky: 'Эки', ru: 'Два' }] }) });
    expect(dupCriteria.status).toBe(400);
    const c = await create(officer);
    expect(c.kind).toBe('attestation');
    await create(admin, { kind: 'competition' });
    const audit = db().select().from(auditLog).where(and(eq(auditLog.action, 'attestation.campaign_created'), eq(auditLog.targetId, String(c.id)))).get();
    expect(audit?.actorId).toBe(idOf('officer@demo.kg'));
  });

  it('a commission member sees only the campaigns they sit on', async () => {
    const mine = await create(officer);
    const other = await create(officer);
    const set = await call(`/api/attestation/campaigns/${mine.id}/commission`, { method: 'PUT', cookie: officer, json: { userIds: [idOf('commission@demo.kg')] } });
    expect(set.status).toBe(200);
    const list = (await (await call('/api/attestation/campaigns', { cookie: member })).json()).campaigns as { id: number }[];
    expect(list.map((c) => c.id)).toEqual([mine.id]);
    expect((await call(`/api/attestation/campaigns/${mine.id}`, { cookie: member })).status).toBe(200);
    expect((await call(`/api/attestation/campaigns/${other.id}`, { cookie: member })).status).toBe(404);
    expect((await call(`/api/attestation/campaigns/${mine.id}`, { cookie: member2 })).status).toBe(404);
    // the officer sees both; a servant sees none
    const all = (await (await call('/api/attestation/campaigns', { cookie: officer })).json()).campaigns as { id: number }[];
    expect(all.map((c) => c.id)).toEqual(expect.arrayContaining([mine.id, other.id]));
    expect((await call('/api/attestation/campaigns', { cookie: learner })).status).toBe(403);
    expect((await call(`/api/attestation/campaigns/${mine.id}`, { cookie: learner })).status).toBe(403);
  });

  it('only commission members can sit on a commission', async () => {
    const c = await create(officer);
    const res = await call(`/api/attestation/campaigns/${c.id}/commission`, { method: 'PUT', cookie: officer, json: { userIds: [idOf('learner@demo.kg')] } });
    expect(res.status).toBe(422);
    expect((await res.json()).error.code).toBe('not_commission_member');
  });

  it('people of an attestation are servants chosen by the officer, for one of its posts; a competition takes none', async () => {
    const c = await create(officer);
    const ids = [idOf('learner@demo.kg'), idOf('municipal@demo.kg')];
    const add = (json: unknown, id = c.id) => call(`/api/attestation/campaigns/${id}/people`, { method: 'POST', cookie: officer, json });
    expect((await (await add({ userIds: ids, post: 'Башчынын орун басары' })).json()).added).toBe(2);
    expect((await (await add({ userIds: ids, post: 'Башчынын орун басары' })).json()).added).toBe(0);
    expect((await add({ userIds: [idOf('officer@demo.kg')], post: 'Башчынын орун басары' })).status).toBe(422);
    expect((await add({ userIds: ids, post: 'Министр' })).status).toBe(422);
    const comp = await create(officer, { kind: 'competition' });
    expect((await add({ userIds: ids, post: 'Башчынын орун басары' }, comp.id)).status).toBe(409);
    const detail = await (await call(`/api/attestation/campaigns/${c.id}`, { cookie: officer })).json();
    expect(detail.people).toHaveLength(2);
    expect(detail.people[0].stage1.status).toBe('pending');
    expect(detail.people[0].stage2.status).toBe('pending');
    // the kind stays once people are in; so does a post someone is in for
    expect((await call(`/api/attestation/campaigns/${c.id}`, { method: 'PUT', cookie: officer, json: campaignBody({ kind: 'competition' }) })).status).toBe(409);
    expect((await call(`/api/attestation/campaigns/${c.id}`, { method: 'PUT', cookie: officer, json: campaignBody({ posts: ['Райондук мамлекеттик администрациянын башчысы'] }) })).status).toBe(409);
    expect((await call(`/api/attestation/campaigns/${c.id}`, { method: 'PUT', cookie: officer, json: campaignBody({ titleRu: 'Аттестация 2027' }) })).status).toBe(200);
  });

  it('the officer writes notes with attached documents on a servant’s work; the commission and the person read them, others do not', async () => {
    const c = await create(officer);
    await call(`/api/attestation/campaigns/${c.id}/commission`, { method: 'PUT', cookie: officer, json: { userIds: [idOf('commission@demo.kg')] } });
    await call(`/api/attestation/campaigns/${c.id}/people`, { method: 'POST', cookie: officer, json: { userIds: [idOf('learner@demo.kg')], post: 'Башчынын орун басары' } });
    const personId = (await (await call(`/api/attestation/campaigns/${c.id}`, { cookie: officer })).json()).people[0].id as number;
    const form = new FormData();
    form.set('note', 'Бюджеттик пландоо боюнча иши жакшы бааланган.');
    form.set('file', new File([PDF], 'мүнөздөмө.pdf', { type: 'application/pdf' }));
    const added = await call(`/api/attestation/people/${personId}/documents`, { method: 'POST', cookie: officer, body: form });
    expect(added.status, await added.clone().text()).toBe(201);
    const doc = await added.json();
    expect(doc.hasFile).toBe(true);
    for (const cookie of [officer, member, learner]) expect((await call(`/api/attestation/documents/${doc.id}/file`, { cookie })).status).toBe(200);
    for (const cookie of [member2, hr]) expect((await call(`/api/attestation/documents/${doc.id}/file`, { cookie })).status).toBe(404);
    // a servant does not add to their own attestation; an empty document is refused and leaves no file
    const own = new FormData();
    own.set('note', 'Менин ишим');
    expect((await call(`/api/attestation/people/${personId}/documents`, { method: 'POST', cookie: learner, body: own })).status).toBe(403);
    const files = readdirSync(UPLOADS).length;
    const empty = new FormData();
    empty.set('note', '  ');
    expect((await call(`/api/attestation/people/${personId}/documents`, { method: 'POST', cookie: officer, body: empty })).status).toBe(400);
    expect(readdirSync(UPLOADS).length).toBe(files);
  });
});

describe('a competition: a citizen registers, confirms the e-mail, applies, and the officer checks the documents', () => {
  const email = 'citizen@example.kg';
  let competitionId: number;
  let candidate: string;

  it('registration answers the same for a new and a known e-mail, and mails a confirmation link only to the new one', async () => {
    const before = db().select().from(webhookOutbox).where(eq(webhookOutbox.channel, 'email')).all().length;
    const known = await call('/api/auth/register', { method: 'POST', json: { email: 'learner@demo.kg', fullName: 'Кимдир Бирөө', locale: 'ky' } });
    const fresh = await call('/api/auth/register', { method: 'POST', json: { email: 'Citizen@Example.kg', fullName: 'Нурлан Бакиров', locale: 'ru' } });
    expect([known.status, fresh.status]).toEqual([202, 202]);
    expect(await known.json()).toEqual(await fresh.json());
    const mails = db().select().from(webhookOutbox).where(eq(webhookOutbox.channel, 'email')).all().slice(before);
    expect(mails.map((m) => (m.payload as { to: string }).to)).toEqual([email]);
    expect((await call('/api/auth/register', { method: 'POST', json: { email: 'not-an-email', fullName: 'Нурлан Бакиров' } })).status).toBe(400);
  });

  it('the link confirms the e-mail by setting the password; then the candidate can sign in — and not before', async () => {
    expect((await call('/api/auth/login', { method: 'POST', json: { email, password: 'a-long-candidate-password' } })).status).toBe(401);
    const mail = db().select().from(webhookOutbox).where(and(eq(webhookOutbox.channel, 'email'), like(webhookOutbox.type, '%email_confirmation'))).all().at(-1)!;
    const token = /\/ru\/register\/([a-z2-7]+)/.exec((mail.payload as { text: string }).text)![1]!;
    expect((await call('/api/auth/password-reset', { method: 'POST', json: { token, password: 'a-long-candidate-password' } })).status).toBe(200);
    expect((await call('/api/auth/password-reset', { method: 'POST', json: { token, password: 'another-long-password' } })).status).toBe(404);
    candidate = await signIn(email, 'a-long-candidate-password');
    const me = await (await call('/api/me', { cookie: candidate })).json();
    expect(me.roles).toEqual(['candidate']);
    // registering again with a confirmed e-mail sends nothing
    const before = db().select().from(webhookOutbox).all().length;
    await call('/api/auth/register', { method: 'POST', json: { email, fullName: 'Нурлан Бакиров' } });
    expect(db().select().from(webhookOutbox).all().length).toBe(before);
  });

  it('open competitions are public; a candidate applies once, for one of its posts', async () => {
    competitionId = (await create(officer, { kind: 'competition', titleRu: 'Конкурс в региональный резерв' })).id;
    const draft = await create(officer, { kind: 'competition', status: 'draft' });
    const open = (await (await call('/api/competitions')).json()).competitions as { id: number }[];
    expect(open.map((c) => c.id)).toContain(competitionId);
    expect(open.map((c) => c.id)).not.toContain(draft.id);
    const apply = (post: string, id = competitionId) => call(`/api/competitions/${id}/applications`, { method: 'POST', cookie: candidate, json: { post } });
    expect((await apply('Башчынын орун басары', draft.id)).status).toBe(404);
    expect((await apply('Министр')).status).toBe(422);
    const ok = await apply('Башчынын орун басары');
    expect(ok.status).toBe(201);
    expect((await ok.json()).stage1.status).toBe('pending');
    expect((await apply('Башчынын орун басары')).status).toBe(409);
    expect((await call(`/api/competitions/${competitionId}/applications`, { method: 'POST', cookie: officer, json: { post: 'Башчынын орун басары' } })).status).toBe(403);
    // an attestation is not applied to
    const att = await create(officer);
    expect((await apply('Башчынын орун басары', att.id)).status).toBe(404);
  });

  it('the candidate uploads documents; the officer refuses with a reason the candidate sees; then no more uploads', async () => {
    const mine = (await (await call('/api/me/attestations', { cookie: candidate })).json()).items as { id: number; campaign: { id: number } }[];
    const personId = mine.find((m) => m.campaign.id === competitionId)!.id;
    const form = new FormData();
    form.set('note', 'Дипломдун көчүрмөсү');
    form.set('file', new File([PDF], 'diploma.pdf', { type: 'application/pdf' }));
    expect((await call(`/api/attestation/people/${personId}/documents`, { method: 'POST', cookie: candidate, body: form })).status).toBe(201);
    // the officer sees the document; the reason is required to refuse
    const seen = await (await call(`/api/attestation/people/${personId}`, { cookie: officer })).json();
    expect(seen.documents).toHaveLength(1);
    expect((await call(`/api/attestation/people/${personId}/stage1`, { method: 'POST', cookie: officer, json: { status: 'refused' } })).status).toBe(400);
    expect((await call(`/api/attestation/people/${personId}/stage1`, { method: 'POST', cookie: candidate, json: { status: 'admitted' } })).status).toBe(403);
    const refused = await call(`/api/attestation/people/${personId}/stage1`, { method: 'POST', cookie: officer, json: { status: 'refused', reason: 'Мамлекеттик кызматтагы иш стажы жетишсиз' } });
    expect(refused.status).toBe(200);
    const after = (await (await call('/api/me/attestations', { cookie: candidate })).json()).items.find((m: { id: number }) => m.id === personId);
    expect(after.stage1).toMatchObject({ status: 'refused', reason: 'Мамлекеттик кызматтагы иш стажы жетишсиз' });
    const late = new FormData();
    late.set('note', 'Дагы бир документ');
    expect((await call(`/api/attestation/people/${personId}/documents`, { method: 'POST', cookie: candidate, body: late })).status).toBe(409);
    // another candidate's application is not even visible
    expect((await call(`/api/attestation/people/${personId}`, { cookie: learner })).status).toBe(404);
  });
});

describe('stage 2 result (recorded by the testing module)', () => {
  it('needs admission; the person sees the law score but not the qualities profile, the commission sees both', async () => {
    const c = await create(officer);
    await call(`/api/attestation/campaigns/${c.id}/commission`, { method: 'PUT', cookie: officer, json: { userIds: [idOf('commission@demo.kg')] } });
    await call(`/api/attestation/campaigns/${c.id}/people`, { method: 'POST', cookie: officer, json: { userIds: [idOf('learner@demo.kg')], post: 'Башчынын орун басары' } });
    const personId = (await (await call(`/api/attestation/campaigns/${c.id}`, { cookie: officer })).json()).people[0].id as number;
    const result = { status: 'passed' as const, lawScorePercent: 82.5, lawPassed: true, qualitiesProfile: { responsibility: 71, stress_resistance: 55 } };
    expect(() => setStage2Result(db(), { id: null }, personId, result)).toThrow('not_admitted');
    await call(`/api/attestation/people/${personId}/stage1`, { method: 'POST', cookie: officer, json: { status: 'admitted' } });
    setStage2Result(db(), { id: null }, personId, result);
    const own = await (await call(`/api/attestation/people/${personId}`, { cookie: learner })).json();
    expect(own.participant.stage2).toMatchObject({ status: 'passed', lawScorePercent: 82.5, qualitiesProfile: null });
    const commission = await (await call(`/api/attestation/people/${personId}`, { cookie: member })).json();
    expect(commission.participant.stage2.qualitiesProfile).toEqual({ responsibility: 71, stress_resistance: 55 });
    // stage 1 is settled once testing has a result
    expect((await call(`/api/attestation/people/${personId}/stage1`, { method: 'POST', cookie: officer, json: { status: 'refused', reason: 'Жок' } })).status).toBe(409);
  });
});
