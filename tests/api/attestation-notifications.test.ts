/**
 * What an attestation or competition tells the person (docs/attestation.md "Notices to the person"):
 * admitted / refused at stage 1 (with the reason), a testing session scheduled (day, time window and
 * place — never the code), the commission's decision, and the entry on the public reserve. Each event:
 * one in-app notification and one e-mail in the outbox, for that person only, in their language, in
 * the transaction of the write; the same write again tells nobody twice; no score or profile leaks.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { and, eq, like } from 'drizzle-orm';
import { notifications, users, webhookOutbox } from '@db/schema';
import { call, getDb, signIn, withDemo } from '../helpers';
import { createPerson } from '@server/modules/people/service';
import { importCourseLibrary } from '@server/modules/catalog/service';
import { listNotifications } from '@server/modules/notifications/service';
import {
  addPeople, applyToCompetition, campaignPeople, createCampaign, decideStage1, listReserve, publishReserve, recordDecision, removeFromReserve, setCommission, setStage2Result, submitScores,
} from '@server/modules/attestation/service';
import { bishkekDay } from '@server/lib/time';

const db = () => getDb();
const idOf = (email: string) => db().select({ id: users.id }).from(users).where(eq(users.email, email)).get()!.id;
const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
const POST = 'Райондук мамлекеттик администрациянын башчысы';
const officer = () => ({ id: idOf('officer@demo.kg'), roles: ['personnel_officer' as const] });
const KINDS = ['attestation_admitted', 'attestation_refused', 'attestation_session', 'attestation_decision', 'reserve_entered', 'reserve_removed'] as const;

/** The attestation notices a person has, rendered in their language, oldest first. */
function told(email: string, kind?: (typeof KINDS)[number]) {
  const u = db().select().from(users).where(eq(users.email, email)).get()!;
  return listNotifications(db(), u.id, u.locale).items.filter((n) => (kind ? n.kind === kind : (KINDS as readonly string[]).includes(n.kind))).reverse();
}
/** The e-mails queued for a person of a kind. */
function mails(email: string, kind: (typeof KINDS)[number]) {
  return db().select().from(webhookOutbox).where(and(eq(webhookOutbox.type, `email.${kind}`), like(webhookOutbox.payload, `%"to":"${email}"%`))).all()
    .map((m) => m.payload as { to: string; subject: string; text: string });
}

function campaign(kind: 'attestation' | 'competition', title: string) {
  const c = createCampaign(db(), officer(), {
    kind, status: 'open', titleKy: `${title} (кырг.)`, titleRu: `${title} (рус.)`, posts: [POST], region: 'naryn',
    stage1From: day(0), stage1To: day(5), stage2From: day(6), stage2To: day(7), stage3From: day(8), stage3To: day(9),
    criteria: [{ key: 'knowledge', ky: 'Кесиптик билими', ru: 'Профессиональные знания' }],
  });
  setCommission(db(), officer(), c.id, [idOf('commission@demo.kg')]);
  return c;
}
const personIn = (campaignId: number, email: string) => campaignPeople(db(), campaignId).find((p) => p.userId === idOf(email))!.id;

let officerCookie: string;
let quizId: number;
/** Everyone who must never get a notice about someone else's campaign. */
const BYSTANDERS = ['officer@demo.kg', 'commission@demo.kg', 'bystander@test.kg'];

beforeAll(async () => {
  await withDemo();
  importCourseLibrary(db(), 'tests/fixtures/questionnaire-courses');
  await createPerson(db(), { email: 'candidate-ru@test.kg', password: 'candidate-password-2026', fullName: 'Айбек Токтосунов', locale: 'ru', roles: [{ role: 'candidate' }] });
  await createPerson(db(), { email: 'bystander@test.kg', password: 'bystander-password-2026', fullName: 'Бактыгүл Эсенова', locale: 'ky', roles: [{ role: 'learner' }] });
  officerCookie = await signIn('officer@demo.kg');
  quizId = (await (await call('/api/courses/qualities-demo/quizzes')).json()).quizzes[0].id;
}, 60_000);

describe('stage 1', () => {
  it('admitted: one notice and one e-mail to the person, in Kyrgyz; the same decision again tells nobody twice', () => {
    const c = campaign('attestation', 'Нарын: аттестация 1');
    addPeople(db(), officer(), c.id, { userIds: [idOf('learner@demo.kg'), idOf('municipal@demo.kg')], post: POST });
    const id = personIn(c.id, 'learner@demo.kg');
    decideStage1(db(), officer(), id, { status: 'admitted' });
    decideStage1(db(), officer(), id, { status: 'admitted' }); // the form sent twice
    const [n, ...more] = told('learner@demo.kg');
    expect(more).toEqual([]);
    expect(n!.kind).toBe('attestation_admitted');
    expect(n!.title).toBe('Тестирлөөгө жиберилдиңиз: «Нарын: аттестация 1 (кырг.)»');
    expect(n!.link).toBe('/ky/attestation/mine');
    const [mail, ...moreMails] = mails('learner@demo.kg', 'attestation_admitted');
    expect(moreMails).toEqual([]);
    expect(mail!.subject).toBe(n!.title);
    expect(mail!.text).toContain('компьютердик тестирлөөгө жиберилдиңиз');
    expect(mail!.text).toMatch(/https?:\/\/\S+\/ky\/attestation\/mine/);
    // the other person of the campaign (still pending) and the officials: nothing
    for (const other of ['municipal@demo.kg', ...BYSTANDERS]) expect(told(other), other).toEqual([]);
  });

  it('refused: the reason, in Russian for a Russian reader; changing the decision is a new event, repeating it is not', () => {
    const c = campaign('attestation', 'Нарын: аттестация 2');
    addPeople(db(), officer(), c.id, { userIds: [idOf('osh@demo.kg')], post: POST });
    const id = personIn(c.id, 'osh@demo.kg');
    decideStage1(db(), officer(), id, { status: 'refused', reason: 'Нет характеристики с места работы' });
    decideStage1(db(), officer(), id, { status: 'refused', reason: ' Нет характеристики с места работы ' });
    let list = told('osh@demo.kg');
    expect(list.map((n) => n.kind)).toEqual(['attestation_refused']);
    expect(list[0]!.title).toBe('Вы не допущены к тестированию: «Нарын: аттестация 2 (рус.)»');
    expect(list[0]!.text).toContain('Причина: Нет характеристики с места работы');
    const [mail] = mails('osh@demo.kg', 'attestation_refused');
    expect(mail!.text).toContain('Причина: Нет характеристики с места работы');
    expect(mail!.text).toMatch(/\/ru\/attestation\/mine/);
    // the characterisation arrived: the officer admits — that is news
    decideStage1(db(), officer(), id, { status: 'admitted' });
    list = told('osh@demo.kg');
    expect(list.map((n) => n.kind)).toEqual(['attestation_refused', 'attestation_admitted']);
    expect(mails('osh@demo.kg', 'attestation_admitted')).toHaveLength(1);
    for (const other of BYSTANDERS) expect(told(other), other).toEqual([]);
  });

  it('a bad stage-1 decision tells nobody', () => {
    const c = campaign('attestation', 'Нарын: аттестация 3');
    addPeople(db(), officer(), c.id, { userIds: [idOf('ayil@demo.kg')], post: POST });
    const id = personIn(c.id, 'ayil@demo.kg');
    expect(() => decideStage1(db(), officer(), id, { status: 'refused', reason: '  ' })).toThrow(/reason_required/);
    expect(() => decideStage1(db(), { id: idOf('commission@demo.kg'), roles: ['commission_member'] }, id, { status: 'admitted' })).toThrow(/forbidden/);
    expect(told('ayil@demo.kg')).toEqual([]);
  });
});

describe('a testing session', () => {
  const tomorrow = bishkekDay(new Date(Date.now() + 86_400_000));
  const schedule = (campaignId: number, extra: Record<string, unknown> = {}) =>
    call(`/api/attestation/campaigns/${campaignId}/sessions`, {
      method: 'POST', cookie: officerCookie, json: { quizId, startsAt: `${tomorrow}T09:00:00+06:00`, endsAt: `${tomorrow}T12:30:00+06:00`, place: 'Нарын ш., Ленин көч. 42, 204-бөлмө', ...extra },
    });

  it('everyone admitted and still to be tested is told the day, the time window and the place — never the code; the others nothing', async () => {
    const c = campaign('attestation', 'Нарын: аттестация 4');
    const emails = ['trainer@demo.kg', 'reviewer@demo.kg', 'hr@demo.kg'];
    addPeople(db(), officer(), c.id, { userIds: emails.map(idOf), post: POST });
    decideStage1(db(), officer(), personIn(c.id, 'trainer@demo.kg'), { status: 'admitted' }); // ky
    decideStage1(db(), officer(), personIn(c.id, 'reviewer@demo.kg'), { status: 'admitted' }); // ru
    // hr@ stays pending
    const res = await schedule(c.id);
    expect(res.status, await res.clone().text()).toBe(201);
    const { code } = (await res.json()) as { code: string };

    const [ky, ...moreKy] = told('trainer@demo.kg', 'attestation_session');
    expect(moreKy).toEqual([]);
    expect(ky!.title).toBe('Компьютердик тестирлөө дайындалды: «Нарын: аттестация 4 (кырг.)»');
    expect(ky!.text).toContain(`Башталышы: ${Number(tomorrow.slice(0, 4))}-жылдын ${Number(tomorrow.slice(8))}-`);
    expect(ky!.text).toMatch(/Башталышы: .*, 09:00\nБүтүшү: 12:30\nОрду: Нарын ш\., Ленин көч\. 42, 204-бөлмө/);
    const [ru] = told('reviewer@demo.kg', 'attestation_session');
    expect(ru!.text).toMatch(/Начало: \d+ [а-я]+ \d{4} г\., 09:00\nОкончание: 12:30\nМесто: Нарын ш\., Ленин көч\. 42, 204-бөлмө/);
    for (const email of ['trainer@demo.kg', 'reviewer@demo.kg']) {
      const [mail, ...more] = mails(email, 'attestation_session');
      expect(more, email).toEqual([]);
      expect(mail!.text).toContain('204-бөлмө');
      expect(mail!.text).not.toContain(code);
      expect(told(email, 'attestation_session')[0]!.text).not.toContain(code);
    }
    expect(told('hr@demo.kg')).toEqual([]);
    for (const other of ['officer@demo.kg', 'commission@demo.kg', 'learner@demo.kg']) expect(told(other, 'attestation_session'), other).toEqual([]);
  });

  it('someone admitted after the session was scheduled is told of it then, once; a second session is a new notice; no place yet is said so', async () => {
    const c = campaign('attestation', 'Нарын: аттестация 5');
    addPeople(db(), officer(), c.id, { userIds: [idOf('admin@demo.kg')], post: POST });
    const id = personIn(c.id, 'admin@demo.kg');
    expect((await schedule(c.id, { place: null })).status).toBe(201);
    expect(told('admin@demo.kg')).toEqual([]); // not admitted yet
    decideStage1(db(), officer(), id, { status: 'admitted' });
    let list = told('admin@demo.kg');
    expect(list.map((n) => n.kind)).toEqual(['attestation_admitted', 'attestation_session']);
    expect(list[1]!.text).toContain('Орду: кийинчерээк билдирилет');
    // refused, admitted again: the admission is news, the same session is not told twice — even when
    // both decisions fall in the same millisecond (the full suite once lost the second notice so)
    const sameMoment = new Date();
    decideStage1(db(), officer(), id, { status: 'refused', reason: 'Документтер толук эмес' }, sameMoment);
    decideStage1(db(), officer(), id, { status: 'admitted' }, sameMoment);
    list = told('admin@demo.kg');
    expect(list.map((n) => n.kind)).toEqual(['attestation_admitted', 'attestation_session', 'attestation_refused', 'attestation_admitted']);
    expect(mails('admin@demo.kg', 'attestation_session')).toHaveLength(1);
    // a second session of the campaign
    expect((await schedule(c.id, { startsAt: `${tomorrow}T14:00:00+06:00`, endsAt: `${tomorrow}T16:00:00+06:00` })).status).toBe(201);
    expect(told('admin@demo.kg', 'attestation_session').map((n) => /, (\d\d:\d\d)\n/.exec(n.text)![1])).toEqual(['09:00', '14:00']);
    // a refused session (bad window) tells nobody
    expect((await schedule(c.id, { startsAt: `${tomorrow}T16:00:00+06:00`, endsAt: `${tomorrow}T15:00:00+06:00` })).status).toBe(400);
    expect(told('admin@demo.kg', 'attestation_session')).toHaveLength(2);
  });

  it('a person with a testing result is not told of later sessions', async () => {
    const c = campaign('attestation', 'Нарын: аттестация 6');
    addPeople(db(), officer(), c.id, { userIds: [idOf('ayil@demo.kg')], post: POST });
    const id = personIn(c.id, 'ayil@demo.kg');
    decideStage1(db(), officer(), id, { status: 'admitted' });
    setStage2Result(db(), { id: null }, id, { status: 'passed', lawScorePercent: 80, lawPassed: true });
    expect((await schedule(c.id)).status).toBe(201);
    expect(told('ayil@demo.kg', 'attestation_session').filter((n) => n.title.includes('аттестация 6'))).toEqual([]);
  });
});

describe('the decision and the reserve', () => {
  /** Admitted, tested (law 76 %, a profile) and scored with a comment: everything a notice must not carry. */
  function interviewed(campaignId: number, personId: number) {
    decideStage1(db(), officer(), personId, { status: 'admitted' });
    setStage2Result(db(), { id: null }, personId, { status: 'passed', lawScorePercent: 76, lawPassed: true, qualitiesProfile: { responsibility: 58 } });
    submitScores(db(), { id: idOf('commission@demo.kg'), roles: ['commission_member'] }, personId, { scores: { knowledge: 4 }, comment: 'Жетекчилик тажрыйбасы аз' });
  }
  const leaks = (text: string) => ['76', '58', 'Жетекчилик тажрыйбасы аз', 'responsibility', 'Жоопкерчилик', 'Ответственность'].filter((s) => text.replace(/https?:\/\/\S+/g, '').includes(s));

  it('attestation: fits and recommended — one notice with the outcome, no scores, no profile, no votes; recording again is refused and tells nothing', () => {
    const c = campaign('attestation', 'Нарын: аттестация 7');
    addPeople(db(), officer(), c.id, { userIds: [idOf('municipal@demo.kg')], post: POST });
    const id = personIn(c.id, 'municipal@demo.kg');
    interviewed(c.id, id);
    recordDecision(db(), officer(), id, { decision: 'fits', votesFor: 1, votesAgainst: 0, recommendedToReserve: true });
    expect(() => recordDecision(db(), officer(), id, { decision: 'fits', votesFor: 1, votesAgainst: 0 })).toThrow(/decision_recorded/);
    const [n, ...more] = told('municipal@demo.kg', 'attestation_decision');
    expect(more).toEqual([]);
    expect(n!.title).toBe('Комиссиянын чечими: «Нарын: аттестация 7 (кырг.)»');
    expect(n!.text).toBe('«Нарын: аттестация 7 (кырг.)» боюнча комиссиянын чечими: ээлеген кызмат ордуна ылайык; кадрлар резервине сунушталды.');
    const [mail, ...moreMails] = mails('municipal@demo.kg', 'attestation_decision');
    expect(moreMails).toEqual([]);
    expect(leaks(mail!.text)).toEqual([]);
    expect(mail!.text).not.toMatch(/макул|каршы/i);
    // not yet on the public list: nothing about the reserve until it is published
    expect(told('municipal@demo.kg', 'reserve_entered')).toEqual([]);
    for (const other of BYSTANDERS) expect(told(other, 'attestation_decision'), other).toEqual([]);
  });

  it('a competition: the outside candidate is told the decision in Russian, then — once — that the reserve is published with their entry', () => {
    const c = campaign('competition', 'Нарын: конкурс');
    const candidate = { id: idOf('candidate-ru@test.kg'), roles: ['candidate' as const] };
    const loser = { id: idOf('ayil@demo.kg'), roles: ['learner' as const] };
    applyToCompetition(db(), candidate, c.id, { post: POST });
    applyToCompetition(db(), loser, c.id, { post: POST });
    const winnerId = personIn(c.id, 'candidate-ru@test.kg');
    const loserId = personIn(c.id, 'ayil@demo.kg');
    interviewed(c.id, winnerId);
    interviewed(c.id, loserId);
    recordDecision(db(), officer(), winnerId, { decision: 'reserve', votesFor: 1, votesAgainst: 0 });
    recordDecision(db(), officer(), loserId, { decision: 'not_reserve', votesFor: 0, votesAgainst: 1 });
    const [won] = told('candidate-ru@test.kg', 'attestation_decision');
    expect(won!.text).toBe('Решение комиссии («Нарын: конкурс (рус.)»): включить в кадровый резерв.');
    expect(leaks(won!.text)).toEqual([]);
    const lost = told('ayil@demo.kg', 'attestation_decision').filter((n) => n.title.includes('конкурс'));
    expect(lost.map((n) => n.text)).toEqual(['«Нарын: конкурс (кырг.)» боюнча комиссиянын чечими: кадрлар резервине алынган жок.']);

    expect(publishReserve(db(), officer(), c.id).published).toBe(1);
    expect(publishReserve(db(), officer(), c.id).published).toBe(0); // again: nothing new, nobody told twice
    const [entered, ...more] = told('candidate-ru@test.kg', 'reserve_entered');
    expect(more).toEqual([]);
    expect(entered!.title).toBe('Вы в кадровом резерве');
    expect(entered!.text).toContain(`${POST}, Нарынская область`);
    const [mail, ...moreMails] = mails('candidate-ru@test.kg', 'reserve_entered');
    expect(moreMails).toEqual([]);
    expect(mail!.text).toContain('Нарынская область');
    expect(told('ayil@demo.kg', 'reserve_entered')).toEqual([]);
    for (const other of BYSTANDERS) expect(told(other), other).toEqual([]);
  });

  it('publishing every campaign at once tells each new entry once', () => {
    // the recommended servant of "аттестация 7" is still unpublished
    expect(told('municipal@demo.kg', 'reserve_entered')).toEqual([]);
    publishReserve(db(), officer(), null);
    publishReserve(db(), officer(), null);
    const [n, ...more] = told('municipal@demo.kg', 'reserve_entered');
    expect(more).toEqual([]);
    expect(n!.text).toContain(`${POST}, Нарын облусу`);
    expect(told('candidate-ru@test.kg', 'reserve_entered')).toHaveLength(1);
    // the in-app rows and the outbox agree: one each per event and person
    const rows = db().select().from(notifications).where(eq(notifications.kind, 'reserve_entered')).all();
    expect(rows.map((r) => r.userId).sort()).toEqual([idOf('municipal@demo.kg'), idOf('candidate-ru@test.kg')].sort());
  });

  it('taken out of the reserve: the person is told once, with the reason, in their language; a refused removal tells nobody', () => {
    const entry = listReserve(db(), { publishedOnly: false }).find((r) => r.userId === idOf('candidate-ru@test.kg'))!;
    expect(() => removeFromReserve(db(), officer(), entry.id, '  ')).toThrow(expect.objectContaining({ code: 'reason_required' }));
    expect(told('candidate-ru@test.kg', 'reserve_removed')).toEqual([]);
    removeFromReserve(db(), officer(), entry.id, 'Переведён на другую должность');
    expect(() => removeFromReserve(db(), officer(), entry.id, 'ещё раз')).toThrow(expect.objectContaining({ code: 'reserve_entry_not_found' }));
    const [n, ...more] = told('candidate-ru@test.kg', 'reserve_removed');
    expect(more).toEqual([]);
    expect(n!.title).toBe('Вы исключены из кадрового резерва');
    expect(n!.text).toContain(`${POST}, Нарынская область`);
    expect(n!.text).toContain('Причина: Переведён на другую должность');
    const [mail, ...moreMails] = mails('candidate-ru@test.kg', 'reserve_removed');
    expect(moreMails).toEqual([]);
    expect(mail!.text).toContain('Переведён на другую должность');
    // still the entry told of when it was published: the two notices do not swallow each other
    expect(told('candidate-ru@test.kg', 'reserve_entered')).toHaveLength(1);
    expect(told('municipal@demo.kg', 'reserve_removed')).toEqual([]);
    for (const other of BYSTANDERS) expect(told(other), other).toEqual([]);
  });
});
