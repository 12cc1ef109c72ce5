/**
 * A whole reserve competition and a whole attestation in Chromium, every stage through the pages with
 * JavaScript off (docs/attestation.md): an outside citizen registers, confirms the e-mail through the
 * link the outbox holds, applies and uploads a document; the personnel officer admits; the officer
 * schedules a testing session and reads its code, the candidate types it and takes the law test and the
 * questionnaire in Kyrgyz while the officer's live view (JavaScript on) shows them in and finished, and a
 * second device of the same account is refused; a commission member scores; the officer records the
 * decision, publishes, finds the person on the officers' reserve page, and the public page lists them.
 * Then an attestation of a servant chosen from the organisation tree, tested the same way, to "fits"
 * and recommended, whom the officer takes out of the reserve with a reason. axe on every page met.
 * The file's own server: it adds a test course to the library, campaigns and reserve entries.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { eq } from 'drizzle-orm';
import { DEMO_PASSWORD, launch, ownServer, seriousViolations, signIn as signInThroughApi } from './browser';
import { t } from '@server/lib/i18n';
import { openDatabase, type RootDB } from '@db/client';
import { attestationPeople, auditLog, reserveEntries, users, webhookOutbox } from '@db/schema';
import { importCourseLibrary } from '@server/modules/catalog/service';

let browser: Browser;
let db: RootDB;
let own: Awaited<ReturnType<typeof ownServer>>;
const baseURL = () => own.base;
const contexts: BrowserContext[] = [];
const ky = (key: string, vars?: Record<string, string | number>) => t('ky', key, vars);
const stamp = Date.now().toString(36);
const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
const PDF = Buffer.from('%PDF-1.4\n% diploma\n');

beforeAll(async () => {
  [browser, own] = await Promise.all([launch(), ownServer()]);
  db = openDatabase(own.databasePath);
  // the test: a course with law questions and the personal-qualities questionnaire, in the server's library
  importCourseLibrary(db, 'tests/fixtures/questionnaire-courses');
}, 60_000);
afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  db?.$client.close();
  own?.stop();
});

async function newPage(viewport = { width: 1280, height: 900 }): Promise<Page> {
  const context = await browser.newContext({ baseURL: baseURL(), javaScriptEnabled: false, viewport });
  contexts.push(context);
  context.setDefaultTimeout(10_000);
  return context.newPage();
}

/**
 * axe needs JavaScript: the same page with the same cookies (and size) in a context with it on. On a
 * phone-sized page, a page wider than the screen is reported too.
 */
async function axe(page: Page): Promise<string[]> {
  const viewport = page.viewportSize() ?? { width: 1280, height: 900 };
  const context = await browser.newContext({ baseURL: baseURL(), storageState: await page.context().storageState(), viewport });
  try {
    const withJs = await context.newPage();
    const url = new URL(page.url());
    await withJs.goto(url.pathname + url.search);
    const found = await seriousViolations(withJs);
    if (viewport.width < 500) {
      const width = await withJs.evaluate(() => document.documentElement.scrollWidth);
      if (width > viewport.width) found.push(`wider than the phone: ${width} px on ${url.pathname}`);
    }
    return found;
  } finally {
    await context.close();
  }
}

const PHONE = { width: 390, height: 844 };

/** A new page (JavaScript off, as newPage) signed in by the one helper; every caller opens its own page next. */
async function signIn(email: string, password = DEMO_PASSWORD, viewport?: { width: number; height: number }): Promise<Page> {
  return signInThroughApi(await newPage(viewport), email, { password, base: baseURL(), open: false });
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
  expect(await axe(officer)).toEqual([]);
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

/**
 * Stage 2 in the browser: the officer schedules a session on the campaign's sessions page (Bishkek time
 * in the form) and reads its code; the officer's live view opens in a context with JavaScript (it
 * refreshes itself). Returns the code and the live page.
 */
async function scheduleSession(officer: Page, campaignPath: string): Promise<{ code: string; live: Page }> {
  await officer.goto(campaignPath);
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
  expect(await officer.locator('main [role=status]').textContent()).toContain(code);
  expect(await axe(officer)).toEqual([]);
  const livePath = await officer.getByRole('link', { name: ky('qtest.sessions.live') }).first().getAttribute('href');
  const liveContext = await browser.newContext({ baseURL: baseURL(), storageState: await officer.context().storageState(), viewport: { width: 1280, height: 900 } });
  contexts.push(liveContext);
  const live = await liveContext.newPage();
  // The live view refreshes itself every 5 s (its own timer): the test moves the page's clock on instead
  // of waiting for it (liveShows).
  await live.clock.install();
  await live.goto(livePath!);
  return { code, live };
}

const row = (live: Page, personId: number, state: 'not_in' | 'answering' | 'finished') => live.locator(`tr[data-person="${personId}"][data-state="${state}"]`);

/** The live view shows the person in that state by itself, without a reload: its refresh timer fires, the table is swapped. */
async function liveShows(live: Page, personId: number, state: 'answering' | 'finished'): Promise<void> {
  const url = live.url();
  for (let tick = 0; tick < 10; tick++) {
    await live.clock.runFor(5_000);
    // not shown within a second: the refresh's request is still on its way, or the state has not changed yet
    if (await row(live, personId, state).waitFor({ timeout: 1_000 }).then(() => true, () => false)) {
      expect(live.url()).toBe(url); // swapped in, not reloaded
      return;
    }
  }
  throw new Error(`the live view never showed person ${personId} ${state}`);
}

/** The person types the code on their own page's link (no JavaScript); the attempt opens. */
async function enterCode(person: Page, code: string): Promise<string> {
  await person.goto('/ky/attestation/mine');
  await person.getByRole('link', { name: ky('qtest.enter.title') }).first().click();
  expect(await axe(person)).toEqual([]);
  await person.locator('#code').fill(` ${code.toLowerCase().replace(/^(...)/, '$1-')} `); // case, spaces and dashes do not matter
  await person.getByRole('button', { name: ky('qtest.enter.start') }).click();
  await person.waitForURL('**/ky/attempts/*');
  return new URL(person.url()).pathname;
}

/** Another device of the same account, signed in: refused at the code and at the attempt page. */
async function otherDeviceRefused(phone: Page, code: string, attemptPath: string) {
  await phone.goto('/ky/attestation/test');
  await phone.locator('#code').fill(code);
  await phone.getByRole('button', { name: ky('qtest.enter.start') }).click();
  expect(await phone.locator('.error-summary').textContent()).toContain(ky('errors.session_other_device'));
  await phone.goto(attemptPath);
  expect(await phone.locator('main').textContent()).toContain(ky('qtest.otherDeviceTitle'));
  expect(await phone.locator('input[type=radio]').count()).toBe(0);
  expect(await axe(phone)).toEqual([]);
}

/** The law questions right, every statement "fully agree"; finish, confirm, the result (100 %). */
async function answerAndSubmit(person: Page) {
  expect(await person.locator('html').getAttribute('lang')).toBe('ky');
  expect(await axe(person)).toEqual([]);
  await person.getByLabel('Кыргыз тили').check();
  await person.getByLabel(ky('attempt.true'), { exact: true }).check();
  for (const r of await person.locator('.likert-row').all()) await r.locator('input[type=radio]').last().check();
  await person.getByRole('button', { name: ky('attempt.finish') }).click();
  await person.waitForURL('**?confirm=1');
  await person.getByRole('button', { name: ky('attempt.submit') }).click();
  await person.waitForURL('**/result');
  expect(await person.locator('main').textContent()).toContain('100');
  expect(await axe(person)).toEqual([]);
}

async function memberScores(personPath: string) {
  const member = await signIn('commission@demo.kg');
  await member.goto(personPath);
  await member.getByText(ky('attest.scores.hidden')).waitFor();
  // the qualities profile is for the commission
  await member.getByRole('table', { name: ky('attest.stage2.profile') }).waitFor();
  expect(await axe(member)).toEqual([]);
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
  it('runs end to end in the browser: registered, applied, admitted, tested in a session, interviewed, in the reserve, on the public page', async () => {
    const officer = await signIn('officer@demo.kg');
    const title = `Талас облусунун резервине конкурс ${stamp}`;
    const campaignPath = await createCampaign(officer, 'competition', title, 'talas');

    // an outside citizen registers
    const email = `citizen-${stamp}@example.kg`;
    const password = 'candidate-password-2026';
    const name = `Айбек Токтосунов ${stamp}`;
    const citizen = await newPage(PHONE); // on their phone
    await citizen.goto('/ky/attestation/competitions');
    expect(await axe(citizen)).toEqual([]);
    await citizen.getByRole('link', { name: ky('attest.register.title') }).first().click();
    expect(await axe(citizen)).toEqual([]);
    await citizen.locator('#fullName').fill(name);
    await citizen.locator('#email').fill(email);
    await citizen.getByRole('button', { name: ky('attest.register.submit') }).click();
    expect(await citizen.locator('main [role=status]').textContent()).toContain(email);
    // confirms the e-mail with the link the outbox holds
    const mail = db.select().from(webhookOutbox).all().reverse().find((m) => (m.payload as { to?: string }).to === email)!;
    const link = /https?:\/\/\S+\/ky\/register\/[a-z2-7]+/.exec((mail.payload as { text: string }).text)![0];
    await citizen.goto(new URL(link).pathname);
    expect(await axe(citizen)).toEqual([]);
    await citizen.locator('#password').fill(password);
    await citizen.locator('#confirm').fill(password);
    await citizen.getByRole('button', { name: ky('register.submit') }).click();
    expect((await citizen.locator('main [role=status]').textContent())?.trim()).toBe(ky('register.done'));
    await citizen.locator('main').getByRole('link', { name: ky('login.submit') }).click();
    await citizen.locator('#email').fill(email);
    await citizen.locator('#password').fill(password);
    await citizen.locator('main form button[type=submit]').click();
    await citizen.waitForURL('**/ky/attestation/competitions');
    // applies and uploads a document
    await citizen.getByRole('link', { name: title }).click();
    expect(await axe(citizen)).toEqual([]);
    await citizen.getByRole('button', { name: ky('attest.apply.submit') }).click();
    await citizen.waitForURL('**/attestation/people/*?done=applied');
    const personPath = new URL(citizen.url()).pathname;
    const personId = Number(personPath.split('/').pop());
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
    expect(await axe(officer)).toEqual([]);

    // stage 2: the officer schedules the session and reads the code; the live view shows the candidate not in yet
    const { code, live } = await scheduleSession(officer, campaignPath);
    await row(live, personId, 'not_in').waitFor();
    expect(await seriousViolations(live)).toEqual([]);
    // in the test room the candidate signs in on the room's computer and types the code: the test opens,
    // and the live view shows them in, by itself
    const room = await signIn(email, password);
    const attemptPath = await enterCode(room, code);
    await liveShows(live, personId, 'answering');
    // one device only: the same account on their phone (a third browser) is refused
    await otherDeviceRefused(citizen, code, attemptPath);
    // the law test and the questionnaire, in Kyrgyz; the live view shows them finished
    await answerAndSubmit(room);
    await liveShows(live, personId, 'finished');
    expect(await row(live, personId, 'finished').textContent()).toContain('100');

    // the candidate sees their law result (on the phone too), never the profile
    await citizen.goto('/ky/attestation/mine');
    expect(await citizen.locator('main').textContent()).toContain(ky('attest.stage2.lawScore', { n: 100 }));
    expect(await axe(citizen)).toEqual([]);
    await citizen.goto(`/ky/attestation/people/${personId}/testing`);
    expect(await citizen.locator('h1').textContent()).toBe(ky('forbidden.title'));

    // stage 3: the commission member reads the profile against the thresholds, scores; the officer decides
    const member = await signIn('commission@demo.kg');
    await member.goto(personPath);
    await member.getByRole('link', { name: ky('qtest.result.title') }).click();
    const responsibility = member.locator('tr[data-quality="responsibility"]');
    expect(await responsibility.textContent()).toContain('Жоопкерчилик');
    expect(await responsibility.textContent()).toContain(ky('qtest.result.meetsNo')); // 50 < 60: one reversed statement
    expect(await axe(member)).toEqual([]);
    await memberScores(personPath);
    await decide(officer, personPath, 'reserve');
    expect(await axe(officer)).toEqual([]);
    await officer.goto(campaignPath);
    await officer.getByRole('button', { name: ky('attest.reserve.publish') }).click();
    await officer.waitForURL('**?done=published');

    // the officers' reserve page: by region and post, with the day and the campaign
    await officer.getByRole('navigation').getByRole('link', { name: ky('attest.nav.reserve') }).first().click();
    await officer.waitForURL('**/ky/attestation/reserve');
    await officer.locator('#region').selectOption('talas');
    await officer.locator('#post').selectOption('Райондук мамлекеттик администрациянын башчысынын орун басары');
    await officer.getByRole('button', { name: ky('attest.reserve.show') }).click();
    await officer.waitForURL('**/ky/attestation/reserve?region=talas&post=*');
    const entry = officer.getByRole('row', { name: new RegExp(name) });
    const text = (await entry.textContent())!;
    expect(text).toContain(title);
    expect(text).toContain(ky('attest.reserveList.publishedYes'));
    expect(text).toContain(ky('region.talas'));
    expect(await entry.getByRole('link', { name: title }).getAttribute('href')).toBe(campaignPath);
    expect(await axe(officer)).toEqual([]);
    // its download: the same rows
    const csv = await officer.request.get((await officer.getByRole('link', { name: ky('download.csv') }).getAttribute('href'))!);
    expect(csv.status()).toBe(200);
    expect(await csv.text()).toContain(name);
    // another region: not there
    await officer.locator('#region').selectOption('osh');
    await officer.getByRole('button', { name: ky('attest.reserve.show') }).click();
    await officer.waitForURL('**/ky/attestation/reserve?region=osh*');
    expect(await officer.locator('main').textContent()).not.toContain(name);

    // the public reserve: name, post, region
    const visitor = await newPage();
    await visitor.goto('/ky/reserve?region=talas');
    const publicRow = visitor.getByRole('row', { name: new RegExp(name) });
    expect(await publicRow.textContent()).toContain('Райондук мамлекеттик администрациянын башчысынын орун басары');
    await visitor.getByRole('heading', { name: ky('region.talas') }).waitFor();
    expect(await visitor.locator('main').textContent()).not.toContain(email);
    expect(await visitor.locator('main').textContent()).not.toContain(title);
    expect(await axe(visitor)).toEqual([]);
    // and the candidate sees the outcome on their own page
    await citizen.goto('/ky/attestation/mine');
    expect(await citizen.locator('main').textContent()).toContain(ky('attest.decision.reserve'));
  }, 240_000);
});

describe('an attestation of a servant', () => {
  it('runs end to end in the browser: chosen from the organisation tree, notes on the work, tested in a session, interviewed, fits and recommended; then taken out of the reserve with a reason', async () => {
    const officer = await signIn('officer@demo.kg');
    const title = `Аттестация ${stamp}`;
    const campaignPath = await createCampaign(officer, 'attestation', title, 'osh');
    expect(await axe(officer)).toEqual([]);
    // the servant, from the organisation tree
    const village = await officer.locator('#org option', { hasText: 'Кара-Суу айыл өкмөтү' }).getAttribute('value');
    await officer.locator('#org').selectOption(village!);
    await officer.getByRole('button', { name: ky('attest.people.show') }).click();
    await officer.getByLabel(/Эрлан Мамытов/).check();
    await officer.getByRole('button', { name: ky('attest.people.addSubmit') }).click();
    await officer.waitForURL('**?done=added');
    await officer.getByRole('link', { name: 'Эрлан Мамытов' }).click();
    const personPath = new URL(officer.url()).pathname;
    const personId = Number(personPath.split('/').pop());
    await officer.locator('#note').fill('Жер маселелери боюнча иши жакшы бааланат.');
    await officer.locator('#file').setInputFiles({ name: 'мүнөздөмө.pdf', mimeType: 'application/pdf', buffer: PDF });
    await officer.getByRole('button', { name: ky('attest.documents.add') }).click();
    await officer.waitForURL('**?done=document');
    await officer.getByRole('button', { name: ky('attest.stage1.admitAttestation') }).click();
    await officer.waitForURL('**?done=stage1');
    expect(await axe(officer)).toEqual([]);

    // stage 2: a session; the servant types the code on their computer and takes the test
    const { code, live } = await scheduleSession(officer, campaignPath);
    await row(live, personId, 'not_in').waitFor();
    const servant = await signIn('municipal@demo.kg');
    const attemptPath = await enterCode(servant, code);
    await liveShows(live, personId, 'answering');
    await otherDeviceRefused(await signIn('municipal@demo.kg', undefined, PHONE), code, attemptPath);
    await answerAndSubmit(servant);
    await liveShows(live, personId, 'finished');

    await memberScores(personPath);
    await decide(officer, personPath, 'fits', true);
    expect(await officer.locator('main').textContent()).toContain(ky('attest.decision.recommended'));

    // the protocol downloads, in both languages and as a spreadsheet
    await officer.goto(campaignPath);
    for (const label of [ky('attest.protocol.pdfKy'), ky('attest.protocol.pdfRu'), ky('attest.protocol.xlsx')]) {
      const href = await officer.getByRole('link', { name: label }).getAttribute('href');
      const res = await officer.request.get(href!);
      expect(res.status(), label).toBe(200);
    }
    // the servant sees the outcome, with the law score
    await servant.goto('/ky/attestation/mine');
    expect(await servant.locator('main').textContent()).toContain(ky('attest.decision.fits'));
    expect(await servant.locator('main').textContent()).toContain(ky('attest.stage2.lawScore', { n: 100 }));
    // and on their training record
    await servant.goto('/ky/my/record');
    expect(await servant.locator('#attestations-title').textContent()).toBe(ky('attest.record.title'));
    expect(await servant.locator('main').textContent()).toContain(title);
    const user = db.select().from(users).where(eq(users.email, 'municipal@demo.kg')).get()!;
    expect(db.select().from(attestationPeople).where(eq(attestationPeople.userId, user.id)).all().some((p) => p.decision === 'fits' && p.lawScorePercent === 100)).toBe(true);

    // recommended: in the reserve, not yet published; the officer takes the entry out with a reason
    await officer.goto('/ky/attestation/reserve?region=osh');
    const entry = officer.getByRole('row', { name: /Эрлан Мамытов/ }).filter({ hasText: title });
    expect(await entry.textContent()).toContain(ky('attest.reserveList.publishedNo'));
    await entry.getByRole('link', { name: new RegExp(ky('attest.reserveList.remove')) }).click();
    await officer.getByRole('heading', { name: ky('attest.reserveList.removeTitle', { name: 'Эрлан Мамытов' }) }).waitFor();
    expect(await axe(officer)).toEqual([]);
    await officer.locator('#reason').fill('Башка кызматка которулду');
    await officer.getByRole('button', { name: ky('attest.reserveList.removeSubmit') }).click();
    await officer.waitForURL('**/ky/attestation/reserve?region=osh&done=removed');
    expect((await officer.locator('main [role=status]').textContent())?.trim()).toBe(ky('attest.reserveList.removed'));
    expect(await officer.getByRole('row', { name: /Эрлан Мамытов/ }).filter({ hasText: title }).count()).toBe(0);
    const removed = db.select().from(reserveEntries).where(eq(reserveEntries.personId, personId)).get()!;
    expect(removed.removedAt).not.toBeNull();
    const audit = db.select().from(auditLog).where(eq(auditLog.action, 'reserve.removed')).all().at(-1)!;
    expect(audit.details).toMatchObject({ entryId: removed.id, reason: 'Башка кызматка которулду' });
  }, 240_000);
});

describe("the officers' reserve page", () => {
  it('is in Russian too, takes nobody out without a reason, and is refused to the commission and to servants', async () => {
    const officer = await signIn('officer@demo.kg');
    await officer.goto('/ru/attestation/reserve');
    expect((await officer.locator('h1').textContent())?.trim()).toBe(t('ru', 'attest.reserveList.title'));
    // the menu marks this page's item only, not Attestation above it
    expect(await officer.locator('nav [aria-current="page"]').allTextContents()).toEqual([t('ru', 'attest.nav.reserve')]);
    expect(await officer.locator('th').allTextContents()).toContain(t('ru', 'attest.reserveList.enteredOn'));
    expect(await axe(officer)).toEqual([]);
    // without a reason (the form requires one; a request without it anyway): refused with the reason why, nothing taken out
    const entry = db.select().from(reserveEntries).all().find((e) => e.removedAt === null)!;
    const res = await officer.request.post('/ru/attestation/reserve', { form: { action: 'remove', entry: String(entry.id), reason: '  ' }, headers: { origin: baseURL() } });
    expect(res.status()).toBe(400);
    expect(await res.text()).toContain(t('ru', 'errors.reason_required'));
    expect(db.select().from(reserveEntries).where(eq(reserveEntries.id, entry.id)).get()!.removedAt).toBeNull();
    for (const email of ['commission@demo.kg', 'learner@demo.kg']) {
      const page = await signIn(email);
      const res = await page.goto('/ky/attestation/reserve');
      expect(res!.status()).toBe(403);
      expect(await page.getByRole('navigation').getByRole('link', { name: ky('attest.nav.reserve') }).count()).toBe(0);
    }
  }, 60_000);
});
