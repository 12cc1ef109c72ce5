/**
 * The attestation demo data `npm start` fills in (scripts/seed.ts seedAttestationDemo,
 * docs/attestation.md "Demo data"): what the officer, the commission member, an outside candidate and
 * a visitor of the public reserve find — and that a second run adds nothing.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { attestationCampaigns, attestationPeople, attestationSessions, notifications, users } from '@db/schema';
import { call, getDb, signIn, withDemo } from '../helpers';
import { importCourseLibrary } from '@server/modules/catalog/service';
import { seedAttestationDemo } from '@scripts/seed';

const db = () => getDb();
const idOf = (email: string) => db().select({ id: users.id }).from(users).where(eq(users.email, email)).get()!.id;
const json = async (path: string, cookie?: string) => {
  const res = await call(path, cookie ? { cookie } : {});
  expect(res.status, path).toBe(200);
  return res.json();
};
let first: { campaigns: number; people: number };

beforeAll(async () => {
  await withDemo();
  importCourseLibrary(db(), 'courses');
  first = await seedAttestationDemo(db());
}, 120_000);

describe('the attestation demo', () => {
  it('makes three campaigns with their people once; a second run adds nothing', async () => {
    expect(first).toEqual({ campaigns: 3, people: 12 });
    const count = () => ({ campaigns: db().select().from(attestationCampaigns).all().length, people: db().select().from(attestationPeople).all().length, users: db().select().from(users).all().length });
    const before = count();
    expect(await seedAttestationDemo(db())).toEqual({ campaigns: 0, people: 0 });
    expect(count()).toEqual(before);
    expect(before.campaigns).toBe(3);
  });

  it('the officer sees the campaigns, a servant waiting for stage 1 and a session tomorrow', async () => {
    const officer = await signIn('officer@demo.kg');
    const { campaigns } = (await json('/api/attestation/campaigns', officer)) as { campaigns: { id: number; kind: string; status: string; region: string }[] };
    expect(campaigns.map((c) => `${c.kind}:${c.status}:${c.region}`).sort()).toEqual(['attestation:open:naryn', 'competition:closed:chui', 'competition:open:issyk_kul']);
    const naryn = campaigns.find((c) => c.region === 'naryn')!;
    const people = db().select().from(attestationPeople).where(eq(attestationPeople.campaignId, naryn.id)).all();
    expect(people.map((p) => p.stage1Status).sort()).toEqual(['admitted', 'admitted', 'admitted', 'admitted', 'pending', 'refused']);
    expect(people.map((p) => p.decision).filter(Boolean).sort()).toEqual(['does_not_fit', 'fits']);
    const [session, ...more] = db().select().from(attestationSessions).where(eq(attestationSessions.campaignId, naryn.id)).all();
    expect(more).toEqual([]);
    expect(session!.startsAt.getTime()).toBeGreaterThan(Date.now());
    // the admitted deputy was told of it, without the code
    const told = db().select().from(notifications).where(eq(notifications.userId, idOf('atbashy2@demo.kg'))).all();
    expect(told.map((n) => n.kind).sort()).toEqual(['attestation_admitted', 'attestation_session']);
    expect(JSON.stringify(told)).not.toContain(session!.code);
  });

  it('commission@demo.kg sits on every campaign and has one interview left to score', async () => {
    const member = await signIn('commission@demo.kg');
    const { campaigns } = (await json('/api/attestation/campaigns', member)) as { campaigns: { id: number; region: string }[] };
    expect(campaigns).toHaveLength(3);
    const toktobaeva = db().select().from(attestationPeople).where(eq(attestationPeople.userId, idOf('kochkor1@demo.kg'))).get()!;
    const scores = await json(`/api/attestation/people/${toktobaeva.id}/scores`, member);
    expect(scores).toMatchObject({ mine: null, othersHidden: true, submitted: 1, commission: 2 });
  });

  it('an outside candidate has applied to the open competition and waits for the check; the public reserve lists four names', async () => {
    const candidate = await signIn('candidate@demo.kg');
    const { items } = (await json('/api/me/attestations', candidate)) as { items: { campaign: { kind: string; status: string }; stage1: { status: string } }[] };
    expect(items.map((i) => [i.campaign.kind, i.campaign.status, i.stage1.status])).toEqual([['competition', 'open', 'pending']]);
    const open = JSON.stringify(await json('/api/competitions'));
    expect(open).toContain('Ысык-Көл облусунун');
    expect(open).not.toContain('Чүй облусунун');
    const reserve = JSON.stringify(await json('/api/reserve'));
    for (const name of ['Медер Сагынбаев', 'Канат Абдрахманов', 'Жаркынай Өмүрбекова', 'Тилек Усенов']) expect(reserve).toContain(name);
    expect(reserve).not.toContain('Роза Шамшиева');
  });
});
