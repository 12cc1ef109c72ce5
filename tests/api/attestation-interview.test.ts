/**
 * Attestation and reserve competitions, stage 3 and the reserve (docs/attestation.md): members score
 * without seeing each other's scores first (also when two submit at the same moment), the officer
 * records the decision with the vote, the reserve is published and the public list shows names, posts
 * and regions — nothing else.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { auditLog, reserveEntries, users } from '@db/schema';
import { call, getDb, signIn, withDemo } from '../helpers';
import { createPerson } from '@server/modules/people/service';
import { importCourseLibrary } from '@server/modules/catalog/service';
import { addPeople, applyToCompetition, campaignPeople, createCampaign, decideStage1, recommendedCourses, setCommission, setStage2Result } from '@server/modules/attestation/service';

const db = () => getDb();
const idOf = (email: string) => db().select({ id: users.id }).from(users).where(eq(users.email, email)).get()!.id;
const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
const POST = 'Райондук мамлекеттик администрациянын башчысы';
const PASSWORD = 'commission-password-2026';
const officerActor = () => ({ id: idOf('officer@demo.kg'), roles: ['personnel_officer' as const] });

function campaign(kind: 'attestation' | 'competition', members: number[]) {
  const c = createCampaign(db(), officerActor(), {
    kind, status: 'open', titleKy: 'Сынак', titleRu: 'Испытание', posts: [POST], region: 'naryn',
    stage1From: day(0), stage1To: day(5), stage2From: day(6), stage2To: day(7), stage3From: day(8), stage3To: day(9),
    criteria: [{ key: 'knowledge', ky: 'Кесиптик билими', ru: 'Профессиональные знания' }, { key: 'leadership', ky: 'Жетекчилик сапаттары', ru: 'Лидерские качества' }],
  });
  setCommission(db(), officerActor(), c.id, members);
  return c;
}

/** A person admitted and tested, ready for the interview. */
function readyPerson(campaignId: number, userId: number, kind: 'attestation' | 'competition' = 'attestation'): number {
  if (kind === 'competition') applyToCompetition(db(), { id: userId, roles: ['learner'] }, campaignId, { post: POST });
  else addPeople(db(), officerActor(), campaignId, { userIds: [userId], post: POST });
  const p = campaignPeople(db(), campaignId).find((x) => x.userId === userId)!;
  decideStage1(db(), officerActor(), p.id, { status: 'admitted' });
  setStage2Result(db(), { id: null }, p.id, { status: 'passed', lawScorePercent: 76, lawPassed: true, qualitiesProfile: { responsibility: 70 } });
  return p.id;
}

let officer: string, a: string, b: string, c: string, outsider: string, learner: string;
let memberIds: number[];

beforeAll(async () => {
  await withDemo();
  for (const [email, name] of [['m-b@test.kg', 'Бермет Алиева'], ['m-c@test.kg', 'Чынгыз Орозов'], ['m-out@test.kg', 'Эркин Сыдыков']] as const) {
    await createPerson(db(), { email, password: PASSWORD, fullName: name, locale: 'ky', roles: [{ role: 'commission_member' }] });
  }
  [officer, a, b, c, outsider, learner] = await Promise.all([
    signIn('officer@demo.kg'), signIn('commission@demo.kg'), signIn('m-b@test.kg', PASSWORD), signIn('m-c@test.kg', PASSWORD), signIn('m-out@test.kg', PASSWORD), signIn('learner@demo.kg'),
  ]);
  memberIds = [idOf('commission@demo.kg'), idOf('m-b@test.kg'), idOf('m-c@test.kg')];
}, 60_000);

const scores = (knowledge: number, leadership: number, comment?: string) => ({ scores: { knowledge, leadership }, ...(comment ? { comment } : {}) });
const submit = (cookie: string, personId: number, json: unknown) => call(`/api/attestation/people/${personId}/scores`, { method: 'POST', cookie, json });
const view = async (cookie: string, personId: number) => (await call(`/api/attestation/people/${personId}/scores`, { cookie })).json();

describe('interview scores', () => {
  it('a member cannot see the others’ scores before submitting their own — also when two submit at the same moment', async () => {
    const camp = campaign('attestation', memberIds);
    const personId = readyPerson(camp.id, idOf('learner@demo.kg'));

    // b scores first; a and c still see nothing of it but the count
    expect((await submit(b, personId, scores(4, 3, 'Мыйзамдарды жакшы билет'))).status).toBe(201);
    for (const cookie of [a, c]) {
      const v = await view(cookie, personId);
      expect(v).toMatchObject({ mine: null, others: [], othersHidden: true, submitted: 1, commission: 3 });
      expect(JSON.stringify(v)).not.toContain('Мыйзамдарды');
      // nor through the campaign or the person
      const camp1 = await (await call(`/api/attestation/campaigns/${camp.id}`, { cookie })).text();
      const person = await (await call(`/api/attestation/people/${personId}`, { cookie })).text();
      for (const text of [camp1, person]) expect(text).not.toContain('Мыйзамдарды');
    }
    // a and c submit at the same moment: both land, each answer then shows both others
    const [ra, rc] = await Promise.all([submit(a, personId, scores(5, 4, 'Тажрыйбалуу')), submit(c, personId, scores(3, 3))]);
    expect([ra.status, rc.status]).toEqual([201, 201]);
    const va = await view(a, personId);
    expect(va.othersHidden).toBe(false);
    expect(va.mine.scores).toEqual({ knowledge: 5, leadership: 4 });
    expect(va.others.map((o: { member: { fullName: string } }) => o.member.fullName).sort()).toEqual(['Бермет Алиева', 'Чынгыз Орозов']);
    // the officer sees all three; someone not on the commission sees nothing
    expect((await view(officer, personId)).others).toHaveLength(3);
    expect((await call(`/api/attestation/people/${personId}/scores`, { cookie: outsider })).status).toBe(404);
    // the person sees their own progress, never the scores
    expect((await call(`/api/attestation/people/${personId}/scores`, { cookie: learner })).status).toBe(404);
  });

  it('scores once, every criterion 1–5, only by members, only after testing', async () => {
    const camp = campaign('attestation', memberIds);
    const personId = readyPerson(camp.id, idOf('municipal@demo.kg'));
    expect((await submit(a, personId, { scores: { knowledge: 4 } })).status).toBe(400);
    expect((await submit(a, personId, scores(6, 3))).status).toBe(400);
    expect((await submit(a, personId, { scores: { knowledge: 4, leadership: 3, charm: 5 } })).status).toBe(400);
    expect((await submit(officer, personId, scores(4, 4))).status).toBe(403);
    expect((await submit(outsider, personId, scores(4, 4))).status).toBe(404);
    // the same member twice at the same moment: one lands
    const both = await Promise.all([submit(a, personId, scores(4, 4)), submit(a, personId, scores(2, 2))]);
    expect(both.map((r) => r.status).sort()).toEqual([201, 409]);
    // someone not yet tested
    addPeople(db(), officerActor(), camp.id, { userIds: [idOf('ayil@demo.kg')], post: POST });
    const untested = campaignPeople(db(), camp.id).find((p) => p.userId === idOf('ayil@demo.kg'))!.id;
    decideStage1(db(), officerActor(), untested, { status: 'admitted' });
    expect((await submit(a, untested, scores(4, 4))).status).toBe(409);
    expect(db().select().from(auditLog).where(eq(auditLog.action, 'attestation.scored')).all().length).toBeGreaterThan(0);
  });
});

describe('the decision and the reserve', () => {
  it('the officer records the decision with the vote; a competition’s winner enters the reserve; published, the public list shows name, post and region only', async () => {
    const comp = campaign('competition', memberIds);
    const winner = readyPerson(comp.id, idOf('osh@demo.kg'), 'competition');
    const loser = readyPerson(comp.id, idOf('ayil@demo.kg'), 'competition');
    const decide = (cookie: string, personId: number, json: unknown) => call(`/api/attestation/people/${personId}/decision`, { method: 'POST', cookie, json });
    expect((await decide(a, winner, { decision: 'reserve', votesFor: 3, votesAgainst: 0 })).status).toBe(403);
    expect((await decide(officer, winner, { decision: 'fits', votesFor: 3, votesAgainst: 0 })).status).toBe(400);
    expect((await decide(officer, winner, { decision: 'reserve', votesFor: 3, votesAgainst: 1 })).status).toBe(400);
    expect((await decide(officer, winner, { decision: 'reserve', votesFor: 0, votesAgainst: 0 })).status).toBe(400);
    const ok = await decide(officer, winner, { decision: 'reserve', votesFor: 2, votesAgainst: 1 });
    expect(ok.status).toBe(200);
    expect((await ok.json()).stage3).toMatchObject({ decision: 'reserve', votesFor: 2, votesAgainst: 1 });
    expect((await decide(officer, winner, { decision: 'not_reserve', votesFor: 1, votesAgainst: 2 })).status).toBe(409);
    expect((await decide(officer, loser, { decision: 'not_reserve', votesFor: 1, votesAgainst: 2 })).status).toBe(200);
    // once decided, no more scores and no change of testing
    expect((await submit(a, winner, scores(4, 4))).status).toBe(409);
    expect(() => setStage2Result(db(), { id: null }, winner, { status: 'failed' })).toThrow('decision_recorded');

    // not public until published
    const publicNames = async () => ((await (await call('/api/reserve')).json()).entries as { fullName: string }[]).map((e) => e.fullName);
    expect(await publicNames()).not.toContain('Динара Юсупова');
    const officerList = (await (await call(`/api/attestation/reserve?campaignId=${comp.id}`, { cookie: officer })).json()).entries;
    expect(officerList).toHaveLength(1);
    expect(officerList[0]).toMatchObject({ person: { fullName: 'Динара Юсупова' }, post: POST, region: 'naryn', published: false, campaign: { id: comp.id } });
    expect((await call('/api/attestation/reserve', { cookie: a })).status).toBe(403);
    expect((await call('/api/attestation/reserve/publish', { method: 'POST', cookie: a, json: { campaignId: comp.id } })).status).toBe(403);
    expect((await (await call('/api/attestation/reserve/publish', { method: 'POST', cookie: officer, json: { campaignId: comp.id } })).json()).published).toBe(1);

    const res = await call('/api/reserve');
    const text = await res.text();
    const entries = JSON.parse(text).entries as Record<string, unknown>[];
    const mine = entries.filter((e) => e.fullName === 'Динара Юсупова');
    expect(mine).toEqual([{ fullName: 'Динара Юсупова', post: POST, region: 'naryn' }]);
    for (const e of entries) expect(Object.keys(e).sort()).toEqual(['fullName', 'post', 'region']);
    // nothing else about the person or the campaign leaks
    const person = db().select().from(users).where(eq(users.email, 'osh@demo.kg')).get()!;
    for (const secret of [person.email, 'Испытание', 'Сынак', String(person.id), 'Гүлзат Сыдыкова', 'votes', 'enteredOn', 'campaign']) expect(text).not.toContain(secret);
    // the region filter; taking out removes from the public list at once
    expect(((await (await call('/api/reserve?region=talas')).json()).entries as unknown[]).length).toBe(0);
    expect((await call('/api/reserve?region=nowhere')).status).toBe(400);
    const entryId = db().select().from(reserveEntries).where(eq(reserveEntries.personId, winner)).get()!.id;
    expect((await call(`/api/attestation/reserve/${entryId}`, { method: 'DELETE', cookie: officer, json: { reason: 'Чечим кайра каралды' } })).status).toBe(200);
    expect(await publicNames()).not.toContain('Динара Юсупова');

    // the protocol, in both languages and as a spreadsheet, for the officer and the commission only
    for (const lang of ['ky', 'ru']) {
      const pdf = await call(`/api/attestation/campaigns/${comp.id}/protocol.pdf?lang=${lang}`, { cookie: officer });
      expect(pdf.status).toBe(200);
      expect(pdf.headers.get('content-type')).toBe('application/pdf');
      expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
    }
    expect((await call(`/api/attestation/campaigns/${comp.id}/protocol.pdf`, { cookie: a })).status).toBe(200);
    expect((await call(`/api/attestation/campaigns/${comp.id}/protocol.pdf`, { cookie: outsider })).status).toBe(404);
    expect((await call(`/api/attestation/campaigns/${comp.id}/protocol.xlsx`, { cookie: learner })).status).toBe(403);
    const xlsx = await call(`/api/attestation/campaigns/${comp.id}/protocol.xlsx?lang=ru`, { cookie: officer });
    expect(xlsx.status).toBe(200);
    const { default: ExcelJS } = await import('exceljs');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await xlsx.arrayBuffer());
    const rows = wb.worksheets[0]!.getSheetValues().filter(Boolean).map((r) => (r as unknown[]).slice(1));
    expect(rows[0]).toContain('Решение');
    const row = rows.find((r) => r[0] === 'Динара Юсупова')!;
    expect(row).toContain('Включён в кадровый резерв');
    expect(row).toContain(76);
    expect(rows.find((r) => r[0] === 'Гүлзат Сыдыкова')).toContain('Не включён в кадровый резерв');
  });

  it('an attestation decides fits / does not fit; a recommended person enters the reserve', async () => {
    const att = campaign('attestation', memberIds.slice(0, 2));
    const fits = readyPerson(att.id, idOf('osh@demo.kg'));
    const not = readyPerson(att.id, idOf('municipal@demo.kg'));
    const decide = (personId: number, json: unknown) => call(`/api/attestation/people/${personId}/decision`, { method: 'POST', cookie: officer, json });
    expect((await decide(not, { decision: 'does_not_fit', votesFor: 0, votesAgainst: 2, recommendedToReserve: true })).status).toBe(400);
    expect((await decide(not, { decision: 'does_not_fit', votesFor: 0, votesAgainst: 2 })).status).toBe(200);
    expect((await decide(fits, { decision: 'fits', votesFor: 2, votesAgainst: 0, recommendedToReserve: true })).status).toBe(200);
    const entries = db().select().from(reserveEntries).where(eq(reserveEntries.campaignId, att.id)).all();
    expect(entries.map((e) => e.personId)).toEqual([fits]);
    const mine = (await (await call('/api/me/attestations', { cookie: await signIn('municipal@demo.kg') })).json()).items;
    expect(mine.find((m: { id: number }) => m.id === not)).toMatchObject({ decision: 'does_not_fit', stage2: { lawScorePercent: 76 } });
  });
});

describe('recommended courses', () => {
  it('weak law-test topics of an attestation recommend the catalog’s courses of those topics, which HR assigns as usual', async () => {
    importCourseLibrary(db(), 'tests/fixtures/courses');
    const att = campaign('attestation', memberIds.slice(0, 1));
    addPeople(db(), officerActor(), att.id, { userIds: [idOf('learner@demo.kg')], post: POST });
    const personId = campaignPeople(db(), att.id).find((p) => p.userId === idOf('learner@demo.kg'))!.id;
    decideStage1(db(), officerActor(), personId, { status: 'admitted' });
    setStage2Result(db(), { id: null }, personId, { status: 'failed', lawScorePercent: 41, lawPassed: false, weakTopics: ['digital'] });
    const recommended = recommendedCourses(db(), idOf('learner@demo.kg'));
    expect(recommended.map((c) => c.slug)).toEqual(['ru-digital']);
    expect(recommended[0]!.campaignRu).toBe('Испытание');
    // nothing for someone without weak topics, nothing from a competition
    expect(recommendedCourses(db(), idOf('osh@demo.kg'))).toEqual([]);
    // the learner's HR assigns it with the ordinary assignment
    const hr = await signIn('hr@demo.kg');
    const res = await call('/api/hr/assignments', { method: 'POST', cookie: hr, json: { courseSlug: 'ru-digital', userIds: [idOf('learner@demo.kg')], dueDate: day(60) } });
    expect(res.status, await res.clone().text()).toBeLessThan(300);
  });
});
