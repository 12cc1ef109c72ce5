/**
 * A whole reserve competition and a whole attestation in Chromium with JavaScript off
 * (docs/attestation.md): an outside citizen registers, confirms the e-mail through the link the
 * outbox holds, applies and uploads a document; the personnel officer admits; stage 2's result is
 * recorded through the attestation service (as the testing module does); a commission member scores;
 * the officer records the decision and publishes the reserve; the person appears on the public page.
 * Then an attestation of a servant chosen from the organisation tree, to "fits" and recommended.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { eq } from 'drizzle-orm';
import { baseURL, launch, seriousViolations, server } from './browser';
import { t } from '@server/lib/i18n';
import { openDatabase, type RootDB } from '@db/client';
import { attestationPeople, users, webhookOutbox } from '@db/schema';
import { addPeople, campaignPeople, createCampaign as createCampaignRow, decideStage1, setCommission, setStage2Result } from '@server/modules/attestation/service';
import { importCourseLibrary } from '@server/modules/catalog/service';

let browser: Browser;
let db: RootDB;
const contexts: BrowserContext[] = [];
const ky = (key: string, vars?: Record<string, string | number>) => t('ky', key, vars);
const stamp = Date.now().toString(36);
const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
const PDF = Buffer.from('%PDF-1.4\n% diploma\n');

beforeAll(async () => {
  browser = await launch();
  db = openDatabase(server().databasePath);
});
afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  db?.$client.close();
});

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ baseURL: baseURL(), javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
  contexts.push(context);
  context.setDefaultTimeout(10_000);
  return context.newPage();
}

/** axe needs JavaScript: the same page with the same cookies in a context with it on. */
async function axe(page: Page): Promise<string[]> {
  const context = await browser.newContext({ baseURL: baseURL(), storageState: await page.context().storageState(), viewport: { width: 1280, height: 900 } });
  try {
    const withJs = await context.newPage();
    const url = new URL(page.url());
    await withJs.goto(url.pathname + url.search);
    return await seriousViolations(withJs);
  } finally {
    await context.close();
  }
}

async function signIn(email: string, password = 'demo-password-2026'): Promise<Page> {
  const page = await newPage();
  await page.goto('/ky/login');
  await page.locator('#email').fill(email);
  await page.locator('#password').fill(password);
  await page.locator('main form button[type=submit]').click();
  await page.waitForURL('**/ky/');
  return page;
}

/** The officer fills the new-campaign form; returns the campaign page's path. */
async function createCampaign(officer: Page, kind: 'attestation' | 'competition', title: string, region: string): Promise<string> {
  await officer.goto('/ky/attestation/new');
  await officer.locator(`#kind-${kind}`).check();
  await officer.locator('#status').selectOption('open');
  await officer.locator('#titleKy').fill(title);
  await officer.locator('#titleRu').fill(`${title} (ru)`);
  await officer.locator('#posts').fill('Райондук мамлекеттик администрациянын башчысынын орун басары');
  await officer.locator('#region').selectOption(region);
  await officer.locator('#requirements').fill('Мамлекеттик кызматта 3 жылдан кем эмес иш стажы');
  const dates = [0, 7, 8, 9, 10, 14];
  for (const [i, f] of ['stage1From', 'stage1To', 'stage2From', 'stage2To', 'stage3From', 'stage3To'].entries()) await officer.locator(`#${f}`).fill(day(dates[i]!));
  await officer.locator('#criteria').fill('Кесиптик билими | Профессиональные знания\nЖетекчилик сапаттары | Лидерские качества');
  await officer.locator('#thresholds').fill('responsibility = 60');
  await officer.getByRole('button', { name: ky('attest.form.create') }).click();
  await officer.waitForURL('**/attestation/campaigns/*?done=created');
  expect((await officer.locator('h1').textContent())?.trim()).toBe(title);
  const path = new URL(officer.url()).pathname;
  // the commission: the demo member
  await officer.getByLabel(/Асан Мурзаев/).check();
  await officer.getByRole('button', { name: ky('attest.commission.save') }).click();
  await officer.waitForURL('**?done=commission');
  return path;
}

/** Stage 2 through the service, as the testing module records it. */
function tested(personId: number) {
  setStage2Result(db, { id: null }, personId, { status: 'passed', lawScorePercent: 84, lawPassed: true, qualitiesProfile: { responsibility: 72 } });
}

async function memberScores(personPath: string) {
  const member = await signIn('commission@demo.kg');
  await member.goto(personPath);
  await member.getByText(ky('attest.scores.hidden')).waitFor();
  // the qualities profile is for the commission
  await member.getByRole('table', { name: ky('attest.stage2.profile') }).waitFor();
  await member.locator('#score-c1').selectOption('5');
  await member.locator('#score-c2').selectOption('4');
  await member.locator('#comment').fill('Мыйзамдарды жакшы билет');
  await member.getByRole('button', { name: ky('attest.scores.submit') }).click();
  await member.waitForURL('**?done=scores');
  expect(await member.getByRole('table', { name: ky('attest.scores.title') }).textContent()).toContain('Мыйзамдарды жакшы билет');
}

async function decide(officer: Page, personPath: string, decision: string, recommend = false) {
  await officer.goto(personPath);
  await officer.locator(`#decision-${decision}`).check();
  if (recommend) await officer.locator('#recommended').check();
  await officer.locator('#votesFor').fill('1');
  await officer.locator('#votesAgainst').fill('0');
  await officer.getByRole('button', { name: ky('attest.decision.submit') }).click();
  await officer.waitForURL('**?done=decision');
  expect(await officer.locator('main').textContent()).toContain(ky('attest.decision.votes', { for: 1, against: 0 }));
}

describe('a reserve competition, from registration to the public reserve', () => {
  it('runs end to end without JavaScript', async () => {
    const officer = await signIn('officer@demo.kg');
    const title = `Талас облусунун резервине конкурс ${stamp}`;
    const campaignPath = await createCampaign(officer, 'competition', title, 'talas');

    // an outside citizen registers
    const email = `citizen-${stamp}@example.kg`;
    const name = `Айбек Токтосунов ${stamp}`;
    const citizen = await newPage();
    await citizen.goto('/ky/attestation/competitions');
    await citizen.getByRole('link', { name: ky('attest.register.title') }).first().click();
    await citizen.locator('#fullName').fill(name);
    await citizen.locator('#email').fill(email);
    await citizen.getByRole('button', { name: ky('attest.register.submit') }).click();
    expect(await citizen.locator('main [role=status]').textContent()).toContain(email);
    // confirms the e-mail with the link the outbox holds
    const mail = db.select().from(webhookOutbox).all().reverse().find((m) => (m.payload as { to?: string }).to === email)!;
    const link = /https?:\/\/\S+\/ky\/register\/[a-z2-7]+/.exec((mail.payload as { text: string }).text)![0];
    await citizen.goto(new URL(link).pathname);
    await citizen.locator('#password').fill('candidate-password-2026');
    await citizen.locator('#confirm').fill('candidate-password-2026');
    await citizen.getByRole('button', { name: ky('register.submit') }).click();
    expect((await citizen.locator('main [role=status]').textContent())?.trim()).toBe(ky('register.done'));
    await citizen.locator('main').getByRole('link', { name: ky('login.submit') }).click();
    await citizen.locator('#email').fill(email);
    await citizen.locator('#password').fill('candidate-password-2026');
    await citizen.locator('main form button[type=submit]').click();
    await citizen.waitForURL('**/ky/attestation/competitions');
    // applies and uploads a document
    await citizen.getByRole('link', { name: title }).click();
    await citizen.getByRole('button', { name: ky('attest.apply.submit') }).click();
    await citizen.waitForURL('**/attestation/people/*?done=applied');
    const personPath = new URL(citizen.url()).pathname;
    await citizen.locator('#note').fill('Дипломдун көчүрмөсү');
    await citizen.locator('#file').setInputFiles({ name: 'diploma.pdf', mimeType: 'application/pdf', buffer: PDF });
    await citizen.getByRole('button', { name: ky('attest.documents.add') }).click();
    await citizen.waitForURL('**?done=document');
    await citizen.getByRole('link', { name: 'diploma.pdf' }).waitFor();
    expect(await axe(citizen)).toEqual([]);

    // the officer sees the application and admits
    await officer.goto(campaignPath);
    await officer.getByRole('link', { name }).click();
    await officer.getByRole('link', { name: 'diploma.pdf' }).waitFor();
    await officer.getByRole('button', { name: ky('attest.stage1.admit') }).click();
    await officer.waitForURL('**?done=stage1');
    expect(await officer.locator('main').textContent()).toContain(ky('attest.stage1.admitted'));

    // stage 2, then the interview and the decision
    const personId = Number(personPath.split('/').pop());
    tested(personId);
    await memberScores(personPath);
    await decide(officer, personPath, 'reserve');
    await officer.goto(campaignPath);
    await officer.getByRole('button', { name: ky('attest.reserve.publish') }).click();
    await officer.waitForURL('**?done=published');

    // the public reserve: name, post, region
    const visitor = await newPage();
    await visitor.goto('/ky/reserve?region=talas');
    const row = visitor.getByRole('row', { name: new RegExp(name) });
    expect(await row.textContent()).toContain('Райондук мамлекеттик администрациянын башчысынын орун басары');
    await visitor.getByRole('heading', { name: ky('region.talas') }).waitFor();
    expect(await visitor.locator('main').textContent()).not.toContain(email);
    expect(await axe(visitor)).toEqual([]);
    // and the candidate sees the outcome on their own page
    await citizen.goto('/ky/attestation/mine');
    expect(await citizen.locator('main').textContent()).toContain(ky('attest.decision.reserve'));
    expect(await citizen.locator('main').textContent()).toContain(ky('attest.stage2.lawScore', { n: 84 }));
  }, 120_000);
});

describe('an attestation of a servant', () => {
  it('runs end to end: chosen from the organisation tree, notes on the work, tested, interviewed, fits and recommended', async () => {
    const officer = await signIn('officer@demo.kg');
    const title = `Аттестация ${stamp}`;
    const campaignPath = await createCampaign(officer, 'attestation', title, 'osh');
    // the servant, from the organisation tree
    const village = await officer.locator('#org option', { hasText: 'Кара-Суу айыл өкмөтү' }).getAttribute('value');
    await officer.locator('#org').selectOption(village!);
    await officer.getByRole('button', { name: ky('attest.people.show') }).click();
    await officer.getByLabel(/Эрлан Мамытов/).check();
    await officer.getByRole('button', { name: ky('attest.people.addSubmit') }).click();
    await officer.waitForURL('**?done=added');
    await officer.getByRole('link', { name: 'Эрлан Мамытов' }).click();
    const personPath = new URL(officer.url()).pathname;
    await officer.locator('#note').fill('Жер маселелери боюнча иши жакшы бааланат.');
    await officer.locator('#file').setInputFiles({ name: 'мүнөздөмө.pdf', mimeType: 'application/pdf', buffer: PDF });
    await officer.getByRole('button', { name: ky('attest.documents.add') }).click();
    await officer.waitForURL('**?done=document');
    await officer.getByRole('button', { name: ky('attest.stage1.admitAttestation') }).click();
    await officer.waitForURL('**?done=stage1');
    expect(await axe(officer)).toEqual([]);

    tested(Number(personPath.split('/').pop()));
    await memberScores(personPath);
    await decide(officer, personPath, 'fits', true);
    expect(await officer.locator('main').textContent()).toContain(ky('attest.decision.recommended'));

    // the protocol downloads, in both languages and as a spreadsheet
    await officer.goto(campaignPath);
    for (const name of [ky('attest.protocol.pdfKy'), ky('attest.protocol.pdfRu'), ky('attest.protocol.xlsx')]) {
      const href = await officer.getByRole('link', { name }).getAttribute('href');
      const res = await officer.request.get(href!);
      expect(res.status(), name).toBe(200);
    }
    // the servant sees the outcome
    const servant = await signIn('municipal@demo.kg');
    await servant.goto('/ky/attestation/mine');
    expect(await servant.locator('main').textContent()).toContain(ky('attest.decision.fits'));
    // and on their training record
    await servant.goto('/ky/my/record');
    expect(await servant.locator('#attestations-title').textContent()).toBe(ky('attest.record.title'));
    expect(await servant.locator('main').textContent()).toContain(title);
    const user = db.select().from(users).where(eq(users.email, 'municipal@demo.kg')).get()!;
    expect(db.select().from(attestationPeople).where(eq(attestationPeople.userId, user.id)).all().some((p) => p.decision === 'fits')).toBe(true);
  }, 120_000);
});

describe('stage 2: a testing session', () => {
  it('the officer schedules it and watches live; the person enters the code and answers without JavaScript; a second device is refused; the profile is for the commission', async () => {
    // the test: a course with law questions and the personal-qualities questionnaire, in the server's library
    importCourseLibrary(db, 'tests/fixtures/questionnaire-courses');
    const officerId = db.select().from(users).where(eq(users.email, 'officer@demo.kg')).get()!.id;
    const learnerId = db.select().from(users).where(eq(users.email, 'learner@demo.kg')).get()!.id;
    const memberId = db.select().from(users).where(eq(users.email, 'commission@demo.kg')).get()!.id;
    const actor = { id: officerId, roles: ['personnel_officer' as const] };
    const post = 'Райондук мамлекеттик администрациянын башчысы';
    const campaign = createCampaignRow(db, actor, {
      kind: 'attestation', status: 'open', titleKy: `Тестирлөө ${stamp}`, titleRu: `Тестирование ${stamp}`, posts: [post], region: 'osh', requirements: null,
      stage1From: day(0), stage1To: day(1), stage2From: day(1), stage2To: day(2), stage3From: day(3), stage3To: day(4),
      criteria: [{ key: 'knowledge', ky: 'Кесиптик билими', ru: 'Профессиональные знания' }], qualityThresholds: { responsibility: 60 },
    });
    setCommission(db, actor, campaign.id, [memberId]);
    addPeople(db, actor, campaign.id, { userIds: [learnerId], post });
    const personId = campaignPeople(db, campaign.id).find((p) => p.userId === learnerId)!.id;
    decideStage1(db, actor, personId, { status: 'admitted' });

    // the officer schedules a session (Bishkek time in the form) and reads its code
    const officer = await signIn('officer@demo.kg');
    await officer.goto(`/ky/attestation/campaigns/${campaign.id}`);
    await officer.getByRole('link', { name: ky('qtest.sessions.title') }).click();
    const bishkek = (ms: number) => new Date(Date.now() + ms + 6 * 3600_000).toISOString().slice(0, 16);
    await officer.locator('#quizId').selectOption({ label: 'Мыйзамдар жана жеке сапаттар — Жыйынтыктоочу тест' });
    await officer.locator('#startsAt').fill(bishkek(-5 * 60_000));
    await officer.locator('#endsAt').fill(bishkek(2 * 3600_000));
    await officer.locator('#place').fill('204-бөлмө');
    await officer.getByRole('button', { name: ky('qtest.sessions.schedule') }).click();
    await officer.waitForURL('**/sessions?created=*');
    const code = (await officer.locator('[data-code]').first().textContent())!.trim();
    expect(code).toMatch(/^[A-HJ-NP-Z2-9]{6}$/);
    expect(await axe(officer)).toEqual([]);
    const livePath = await officer.getByRole('link', { name: ky('qtest.sessions.live') }).first().getAttribute('href');

    // the live view with JavaScript: it refreshes itself
    const liveContext = await browser.newContext({ baseURL: baseURL(), storageState: await officer.context().storageState(), viewport: { width: 1280, height: 900 } });
    contexts.push(liveContext);
    const live = await liveContext.newPage();
    await live.goto(livePath!);
    await live.locator(`tr[data-person="${personId}"][data-state="not_in"]`).waitFor();

    // the person enters the code on their computer (no JavaScript) and the test opens
    const person = await signIn('learner@demo.kg');
    await person.goto('/ky/attestation/mine');
    await person.getByRole('link', { name: ky('qtest.enter.title') }).first().click();
    await person.locator('#code').fill(` ${code.toLowerCase()} `);
    await person.getByRole('button', { name: ky('qtest.enter.start') }).click();
    await person.waitForURL('**/ky/attempts/*');
    const attemptPath = new URL(person.url()).pathname;
    // a second device of the same person is refused, and cannot open the attempt either
    const phone = await signIn('learner@demo.kg');
    await phone.goto('/ky/attestation/test');
    await phone.locator('#code').fill(code);
    await phone.getByRole('button', { name: ky('qtest.enter.start') }).click();
    expect(await phone.locator('.error-summary').textContent()).toContain(t('ky', 'errors.session_other_device'));
    await phone.goto(attemptPath);
    expect(await phone.locator('main').textContent()).toContain(ky('qtest.otherDeviceTitle'));
    expect(await phone.locator('input[type=radio]').count()).toBe(0);
    // the live view shows the person in, by itself
    await live.locator(`tr[data-person="${personId}"][data-state="answering"]`).waitFor({ timeout: 15_000 });

    // answers: the law questions right, every statement "fully agree"
    await person.getByLabel('Кыргыз тили').check();
    await person.getByLabel(ky('attempt.true'), { exact: true }).check();
    for (const row of await person.locator('.likert-row').all()) await row.locator('input[type=radio]').last().check();
    await person.getByRole('button', { name: ky('attempt.finish') }).click();
    await person.waitForURL('**?confirm=1');
    await person.getByRole('button', { name: ky('attempt.submit') }).click();
    await person.waitForURL('**/result');
    expect(await person.locator('main').textContent()).toContain('100');
    await live.locator(`tr[data-person="${personId}"][data-state="finished"]`).waitFor({ timeout: 15_000 });

    // the person sees their law result, never the profile
    await person.goto('/ky/attestation/mine');
    expect(await person.locator('main').textContent()).toContain(ky('attest.stage2.lawScore', { n: 100 }));
    await person.goto(`/ky/attestation/people/${personId}/testing`);
    expect(await person.locator('h1').textContent()).toBe(ky('forbidden.title'));
    // the commission reads it against the thresholds
    const member = await signIn('commission@demo.kg');
    await member.goto(`/ky/attestation/people/${personId}`);
    await member.getByRole('link', { name: ky('qtest.result.title') }).click();
    const responsibility = member.locator('tr[data-quality="responsibility"]');
    expect(await responsibility.textContent()).toContain('Жоопкерчилик');
    expect(await responsibility.textContent()).toContain(ky('qtest.result.meetsNo')); // 50 < 60: one reversed statement
    expect(await axe(member)).toEqual([]);
  }, 150_000);
});
