/**
 * The officer's whole personnel reserve (docs/attestation.md "The reserve"): filters by region and post,
 * each entry with its day and campaign, the download (CSV/XLSX, in the audit log, formulas neutralised),
 * and taking an entry out — only with a reason, which the audit log keeps — for officers only.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { auditLog, reserveEntries, users } from '@db/schema';
import { call, getDb, signIn, withDemo } from '../helpers';
import { createPerson } from '@server/modules/people/service';
import { addPeople, applyToCompetition, campaignPeople, createCampaign, decideStage1, recordDecision, removeFromReserve, setCommission, setStage2Result } from '@server/modules/attestation/service';
import { bishkekDay } from '@server/lib/time';

const db = () => getDb();
const idOf = (email: string) => db().select({ id: users.id }).from(users).where(eq(users.email, email)).get()!.id;
const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
const POST_A = 'Нарын районунун мамлекеттик администрациясынын башчысынын орун басары';
const POST_B = 'Талас районунун мамлекеттик администрациясынын башчысы';
const PASSWORD = 'reserve-password-2026';
const officerActor = () => ({ id: idOf('officer@demo.kg'), roles: ['personnel_officer' as const] });

type Entry = { id: number; person: { id: number; fullName: string }; post: string; region: string; enteredOn: string; campaign: { id: number; titleKy: string; titleRu: string }; published: boolean };

let officer: string, member: string, learner: string, hr: string;
let competitionId: number, attestationId: number;
const names = { a1: 'Азамат Бекназаров', a2: 'Жылдыз Осмонова', b1: 'Нурлан Жумабеков' };

/** Admitted, tested, interviewed and decided into the reserve. */
function intoReserve(personId: number, kind: 'attestation' | 'competition') {
  decideStage1(db(), officerActor(), personId, { status: 'admitted' });
  setStage2Result(db(), { id: null }, personId, { status: 'passed', lawScorePercent: 80, lawPassed: true, qualitiesProfile: {} });
  recordDecision(db(), officerActor(), personId, kind === 'competition' ? { decision: 'reserve', votesFor: 1, votesAgainst: 0 } : { decision: 'fits', votesFor: 1, votesAgainst: 0, recommendedToReserve: true });
}

beforeAll(async () => {
  await withDemo();
  for (const [email, fullName] of [['r-a1@test.kg', names.a1], ['r-a2@test.kg', names.a2]] as const) {
    await createPerson(db(), { email, password: PASSWORD, fullName, locale: 'ky', roles: [{ role: 'learner' }] });
  }
  const criteria = [{ key: 'knowledge', ky: 'Кесиптик билими', ru: 'Профессиональные знания' }];
  const dates = { stage1From: day(0), stage1To: day(5), stage2From: day(6), stage2To: day(7), stage3From: day(8), stage3To: day(9) };
  // a competition in Naryn (post A) with two winners; a formula-looking title must leave the download as text
  const comp = createCampaign(db(), officerActor(), { kind: 'competition', status: 'open', titleKy: '=HYPERLINK("http://x.kg","Нарын конкурсу")', titleRu: 'Конкурс Нарын', posts: [POST_A], region: 'naryn', criteria, ...dates });
  const att = createCampaign(db(), officerActor(), { kind: 'attestation', status: 'open', titleKy: 'Талас аттестациясы', titleRu: 'Аттестация Талас', posts: [POST_B], region: 'talas', criteria, ...dates });
  competitionId = comp.id;
  attestationId = att.id;
  for (const c of [comp, att]) setCommission(db(), officerActor(), c.id, [idOf('commission@demo.kg')]);
  for (const email of ['r-a1@test.kg', 'r-a2@test.kg']) applyToCompetition(db(), { id: idOf(email), roles: ['learner'] }, comp.id, { post: POST_A });
  for (const p of campaignPeople(db(), comp.id)) intoReserve(p.id, 'competition');
  addPeople(db(), officerActor(), att.id, { userIds: [idOf('osh@demo.kg')], post: POST_B });
  for (const p of campaignPeople(db(), att.id)) intoReserve(p.id, 'attestation');
  names.b1 = campaignPeople(db(), att.id)[0]!.fullName;
  [officer, member, learner, hr] = await Promise.all([signIn('officer@demo.kg'), signIn('commission@demo.kg'), signIn('learner@demo.kg'), signIn('hr@demo.kg')]);
}, 60_000);

const list = async (query = '') => {
  const res = await call(`/api/attestation/reserve${query}`, { cookie: officer });
  expect(res.status).toBe(200);
  return (await res.json()).entries as Entry[];
};
const ours = (entries: Entry[]) => entries.filter((e) => e.campaign.id === competitionId || e.campaign.id === attestationId);

describe("the officer's reserve list", () => {
  it('gives every entry, published or not, with the day and the campaign that put the person there', async () => {
    const entries = ours(await list());
    expect(entries.map((e) => e.person.fullName).sort()).toEqual([names.a1, names.a2, names.b1].sort());
    const a1 = entries.find((e) => e.person.fullName === names.a1)!;
    expect(a1).toMatchObject({ post: POST_A, region: 'naryn', enteredOn: bishkekDay(new Date()), published: false, campaign: { id: competitionId, titleRu: 'Конкурс Нарын' } });
    expect(entries.find((e) => e.person.fullName === names.b1)).toMatchObject({ post: POST_B, region: 'talas', campaign: { id: attestationId } });
  });

  it('filters by post and by region, alone and together', async () => {
    expect(ours(await list(`?post=${encodeURIComponent(POST_A)}`)).map((e) => e.person.fullName).sort()).toEqual([names.a1, names.a2].sort());
    expect((await list(`?post=${encodeURIComponent(POST_A)}`)).every((e) => e.post === POST_A)).toBe(true);
    expect((await list('?region=talas')).every((e) => e.region === 'talas')).toBe(true);
    expect(ours(await list('?region=talas')).map((e) => e.person.fullName)).toEqual([names.b1]);
    expect(await list(`?region=talas&post=${encodeURIComponent(POST_A)}`)).toEqual([]);
    expect(await list('?post=Жок%20мындай%20кызмат')).toEqual([]);
    expect((await call('/api/attestation/reserve?region=nowhere', { cookie: officer })).status).toBe(400);
    expect((await call('/api/attestation/reserve?format=pdf', { cookie: officer })).status).toBe(400);
  });

  it('is for officers only, also as a download', async () => {
    for (const cookie of [member, learner, hr]) {
      expect((await call('/api/attestation/reserve', { cookie })).status).toBe(403);
      expect((await call('/api/attestation/reserve?format=csv', { cookie })).status).toBe(403);
    }
    expect((await call('/api/attestation/reserve?format=xlsx')).status).toBe(401);
  });

  it('downloads the filtered rows as CSV and XLSX, in the audit log, a formula-looking title as text', async () => {
    const csv = await call(`/api/attestation/reserve?format=csv&post=${encodeURIComponent(POST_A)}`, { cookie: officer });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const text = await csv.text();
    const lines = text.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toContain('Резервге алынган күнү'); // the officer's language (Kyrgyz)
    expect(lines).toHaveLength(1 + (await list(`?post=${encodeURIComponent(POST_A)}`)).length);
    const a1 = lines.find((l) => l.startsWith(names.a1))!;
    expect(a1).toContain(`'=HYPERLINK`);
    expect(a1).toContain(bishkekDay(new Date()));
    expect(text).not.toContain(names.b1);
    const audit = db().select().from(auditLog).where(and(eq(auditLog.action, 'hr.list_exported'), eq(auditLog.targetType, 'reserve'))).all().at(-1)!;
    expect(audit.actorId).toBe(idOf('officer@demo.kg'));
    expect(audit.details).toMatchObject({ format: 'csv', filters: { post: POST_A }, rows: lines.length - 1 });

    const xlsx = await call('/api/attestation/reserve?format=xlsx&region=talas', { cookie: officer });
    expect(xlsx.status).toBe(200);
    const { default: ExcelJS } = await import('exceljs');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await xlsx.arrayBuffer());
    const rows = wb.worksheets[0]!.getSheetValues().filter(Boolean).map((r) => (r as unknown[]).slice(1));
    const b1 = rows.find((r) => r[0] === names.b1)!;
    expect(b1).toContain(POST_B);
    expect(b1).toContain('Талас аттестациясы');
    expect(b1[3]).toBeInstanceOf(Date); // the day as a date cell
    expect(rows.some((r) => r[0] === names.a1)).toBe(false);
  });
});

describe('taking an entry out of the reserve', () => {
  const entryOf = (name: string) => db().select().from(reserveEntries).innerJoin(users, eq(users.id, reserveEntries.userId)).where(eq(users.fullName, name)).all().find((r) => r.reserve_entries.campaignId === competitionId)!.reserve_entries;
  const remove = (id: number, cookie: string, json: unknown) => call(`/api/attestation/reserve/${id}`, { method: 'DELETE', cookie, json });

  it('needs a reason; others cannot; it leaves both lists at once and the audit log keeps the reason', async () => {
    // published first: the public list has the person
    expect((await call('/api/attestation/reserve/publish', { method: 'POST', cookie: officer, json: { campaignId: competitionId } })).status).toBe(200);
    const publicNames = async () => ((await (await call('/api/reserve')).json()).entries as { fullName: string }[]).map((e) => e.fullName);
    expect(await publicNames()).toContain(names.a2);
    const entry = entryOf(names.a2);

    for (const json of [{ reason: '' }, { reason: '   ' }, {}]) {
      const res = await remove(entry.id, officer, json);
      expect(res.status).toBe(400);
    }
    expect((await (await remove(entry.id, officer, { reason: ' ' })).json()).error.code).toBe('reason_required');
    expect((await remove(entry.id, officer, { reason: 'ы'.repeat(1001) })).status).toBe(400);
    expect(() => removeFromReserve(db(), officerActor(), entry.id, 'ы'.repeat(1001))).toThrow('reason_too_long');
    for (const cookie of [member, learner, hr]) expect((await remove(entry.id, cookie, { reason: 'Башка себеп' })).status).toBe(403);
    expect((await remove(entry.id, '', { reason: 'Башка себеп' })).status).toBe(401);
    // nothing changed so far
    expect(db().select().from(reserveEntries).where(eq(reserveEntries.id, entry.id)).get()!.removedAt).toBeNull();

    expect((await remove(entry.id, officer, { reason: '  Башка кызматка дайындалды  ' })).status).toBe(200);
    expect(await publicNames()).not.toContain(names.a2);
    expect(ours(await list()).map((e) => e.person.fullName)).not.toContain(names.a2);
    expect(ours(await list()).map((e) => e.person.fullName)).toContain(names.a1); // the other winner stays
    const audit = db().select().from(auditLog).where(eq(auditLog.action, 'reserve.removed')).all().at(-1)!;
    expect(audit).toMatchObject({ actorId: idOf('officer@demo.kg'), targetType: 'user', targetId: String(entry.userId) });
    expect(audit.details).toEqual({ entryId: entry.id, campaignId: competitionId, reason: 'Башка кызматка дайындалды' });

    // once: a second time, and an entry that does not exist, are 404
    expect((await remove(entry.id, officer, { reason: 'Дагы бир жолу' })).status).toBe(404);
    expect((await (await remove(999_999, officer, { reason: 'Жок' })).json()).error.code).toBe('reserve_entry_not_found');
  });
});
