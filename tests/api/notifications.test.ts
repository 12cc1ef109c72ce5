/**
 * Notifications end to end with a real SMTP server on loopback: every event that concerns a person
 * becomes an in-app notification and — by preference, only for people who can sign in — an e-mail
 * queued in the outbox in the same transaction, then delivered by deliverMail and read back parsed.
 * Both languages (learner@ reads Kyrgyz, osh@ Russian), the HR digest, preferences, the
 * no-mail-to-uninvited rule, the forgot-password flow, the outbox's never-twice guarantee, retry and
 * cancel, and the calendar feed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { call, getDb, signIn, withDemo, DEMO_PASSWORD } from '../helpers';
import { startSmtpInbox, type ReceivedMail } from '../support/smtp-inbox';
import { courses, notifications, organisations, quizAttemptItems, quizQuestions, quizzes, users, webhookOutbox } from '@db/schema';
import { formatDate } from '@server/lib/i18n';
import { importCourseLibrary } from '@server/modules/catalog/service';
import { issueCertificate, revokeCertificate } from '@server/modules/certificates/service';
import { assignByHr } from '@server/modules/learning/service';
import { loadSessionUser } from '@server/modules/auth/service';
import { deliverMail, MAIL_LEASE_MS } from '@server/modules/outbox/service';
import { createPerson } from '@server/modules/people/service';
import { setPolicy, currentPolicy } from '@server/modules/policy/service';
import { startAttempt, submitAttempt } from '@server/modules/quiz/service';
import { gradeEssay } from '@server/modules/quiz/grading';
import { addOutsideTraining, reviewOutsideTraining } from '@server/modules/records/service';
import { runReminders } from '@server/modules/reminders/service';
import { updateSettings } from '@server/modules/settings/service';
import { rightResponse } from '../helpers';

let inbox: ReceivedMail[] = [];
let port = 0;
let closeSmtp: () => Promise<void>;

const db = () => getDb();
const person = (email: string) => db().select().from(users).where(eq(users.email, email)).get()!;
const sessionUser = (email: string) => loadSessionUser(db(), person(email).id)!;
const mailsTo = (email: string) => inbox.filter((m) => m.to[0] === email);
const smtpOn = () => updateSettings(db(), { id: person('admin@demo.kg').id }, { smtpHost: '127.0.0.1', smtpPort: String(port), smtpFrom: 'Bilim <noreply@bilim.test>' });
/** Sends what is due (reminder runs below are dated in the future) and returns only the mails this round delivered. */
async function deliver(now = new Date('2030-01-01T00:00:00Z')): Promise<ReceivedMail[]> {
  const before = inbox.length;
  await deliverMail(db(), { now });
  return inbox.slice(before);
}
const linkIn = (text: string) => /https?:\/\/\S+/.exec(text)?.[0] ?? '';

beforeAll(async () => {
  await withDemo();
  importCourseLibrary(db(), 'tests/fixtures/courses');
  importCourseLibrary(db(), 'tests/fixtures/quiz-courses');
  ({ port, inbox, close: closeSmtp } = await startSmtpInbox());
});
afterAll(async () => {
  await closeSmtp();
});

describe('the outbox for e-mail', () => {
  it('without SMTP the mail waits; once configured it is sent exactly once, also when two rounds run at once', async () => {
    const learner = person('learner@demo.kg');
    const course = db().select().from(courses).where(eq(courses.slug, 'ru-digital')).get()!;
    issueCertificate(db(), { userId: learner.id, courseId: course.id, sourceRef: 'notify:1', completedAt: new Date('2026-03-01T10:00:00Z') });
    expect((await deliverMail(db())).skipped).toBe('smtp_not_configured');
    expect(inbox).toHaveLength(0);
    const queued = db().select().from(webhookOutbox).where(eq(webhookOutbox.channel, 'email')).all();
    expect(queued).toHaveLength(1);
    smtpOn();
    // Two rounds at the same moment (two processes, or a slow round overlapping the next): each row is reserved first.
    const [a, b] = await Promise.all([deliverMail(db()), deliverMail(db())]);
    expect(a.sent + b.sent).toBe(1);
    expect((await deliverMail(db(), { now: new Date(Date.now() + MAIL_LEASE_MS * 10) })).sent).toBe(0);
    expect(inbox).toHaveLength(1);
    const mail = inbox[0]!;
    expect(mail.to).toEqual(['learner@demo.kg']);
    expect(mail.subject).toBe('Сертификат берилди: «Цифровая грамотность»'.replace('Цифровая грамотность', mail.subject.match(/«(.+)»/)![1]!));
    expect(mail.text).toContain('Саламатсызбы, Айгүл Асанова!');
    expect(linkIn(mail.text)).toMatch(/^http:\/\/localhost\/ky\/verify\/BLM-/);
  });

  it('a refused delivery is retried with back-off; an administrator sees it, cancels it (never sent) or retries it (sent once)', async () => {
    const admin = await signIn('admin@demo.kg');
    updateSettings(db(), { id: person('admin@demo.kg').id }, { smtpPort: '1' }); // nothing listens there
    const learner = person('learner@demo.kg');
    const course = db().select().from(courses).where(eq(courses.slug, 'ru-digital')).get()!;
    const cert = issueCertificate(db(), { userId: learner.id, courseId: course.id, sourceRef: 'notify:1', completedAt: new Date() });
    revokeCertificate(db(), cert.code, sessionUser('admin@demo.kg'), 'Қате берилген');
    const t0 = new Date();
    const round = await deliverMail(db(), { now: t0 });
    expect(round.failed).toBe(1);
    let list = await (await call('/api/admin/outbox?channel=email&state=failed', { cookie: admin })).json();
    expect(list.items).toHaveLength(1);
    const row = list.items[0];
    expect(row).toMatchObject({ channel: 'email', state: 'failed', attempts: 1, recipient: 'learner@demo.kg' });
    expect(row.lastError).toBeTruthy();
    expect(JSON.stringify(list)).not.toContain('Саламатсызбы'); // never the text
    // Back-off: nothing is tried before 30 s.
    smtpOn();
    expect((await deliverMail(db(), { now: new Date(t0.getTime() + 10_000) })).sent).toBe(0);
    // Cancelled: never sent, even long after.
    expect((await call(`/api/admin/outbox/${row.id}/cancel`, { method: 'POST', cookie: admin })).status).toBe(200);
    expect((await deliverMail(db(), { now: new Date(t0.getTime() + 86_400_000) })).sent).toBe(0);
    list = await (await call('/api/admin/outbox?state=cancelled', { cookie: admin })).json();
    expect(list.items.map((i: { id: number }) => i.id)).toEqual([row.id]);
    // Retried: sent on the next round, once; a delivered row cannot be retried or cancelled.
    expect((await call(`/api/admin/outbox/${row.id}/retry`, { method: 'POST', cookie: admin })).status).toBe(200);
    const sent = await deliver();
    expect(sent.map((m) => m.subject)).toEqual([expect.stringContaining('Сертификат жокко чыгарылды')]);
    expect(sent[0]!.text).toContain('Қате берилген');
    expect((await call(`/api/admin/outbox/${row.id}/retry`, { method: 'POST', cookie: admin })).status).toBe(409);
    expect((await call(`/api/admin/outbox/${row.id}/cancel`, { method: 'POST', cookie: admin })).status).toBe(409);
    expect((await call('/api/admin/outbox', { cookie: await signIn('hr@demo.kg') })).status).toBe(403);
  });

  it('the settings "send a test mail" goes out at once and reports the SMTP answer', async () => {
    const admin = await signIn('admin@demo.kg');
    const ok = await (await call('/api/admin/settings/test-mail', { method: 'POST', cookie: admin, json: { to: 'ops@bilim.test' } })).json();
    expect(ok).toEqual({ status: 'sent' });
    expect(mailsTo('ops@bilim.test').map((m) => m.subject)).toEqual(['Билим: сыноо каты']);
    updateSettings(db(), { id: person('admin@demo.kg').id }, { smtpPort: '1' });
    const failed = await (await call('/api/admin/settings/test-mail', { method: 'POST', cookie: admin, json: { to: 'ops@bilim.test' } })).json();
    expect(failed.status).toBe('failed');
    expect(failed.error).toBeTruthy();
    smtpOn();
  });
});

describe('events, in app and by e-mail, in the reader’s language', () => {
  it('course assigned with its due date (Kyrgyz and Russian), then due soon and overdue', async () => {
    const hr = sessionUser('hr@demo.kg');
    const learner = person('learner@demo.kg');
    // osh@ (Russian) is not in hr@'s organisations: an officer of Osh city hall assigns her.
    const osh = person('osh@demo.kg');
    const oshOrg = osh.organisationId!;
    // assigned in November (a due date is never before the day it is set)
    const assignedAt = new Date('2026-11-20T06:00:00Z');
    assignByHr(db(), hr, { courseSlug: 'ru-digital', userIds: [learner.id], dueDate: '2026-12-20' }, assignedAt);
    assignByHr(db(), { id: hr.id, hrOrganisationIds: [oshOrg] }, { courseSlug: 'ru-digital', userIds: [osh.id], dueDate: '2026-12-20' }, assignedAt);
    const sent = await deliver();
    const ky = sent.find((m) => m.to[0] === 'learner@demo.kg')!;
    const ru = sent.find((m) => m.to[0] === 'osh@demo.kg')!;
    expect(ky.subject).toMatch(/^Сизге курс дайындалды: «.+»$/);
    expect(ky.text).toContain(formatDate('ky', '2026-12-20T12:00:00Z'));
    expect(ru.subject).toMatch(/^Вам назначен курс «.+»$/);
    expect(ru.text).toContain('Здравствуйте, Динара Юсупова!');
    expect(ru.text).toContain('20 декабря 2026');
    expect(linkIn(ru.text)).toBe('http://localhost/ru/courses/ru-digital');
    // The reminder run a few days before and after the due date.
    await runReminders(db(), new Date('2026-12-15T06:00:00Z'));
    const soon = (await deliver()).filter((m) => m.subject.includes('ru-digital') || /мөөнөтү жакындады|подходит/.test(m.subject));
    expect(soon.map((m) => m.to[0]).sort()).toEqual(['learner@demo.kg', 'osh@demo.kg']);
    expect(soon.find((m) => m.to[0] === 'osh@demo.kg')!.text).toContain('осталось 5 дней');
    await runReminders(db(), new Date('2026-12-15T07:00:00Z'));
    expect((await deliver()).filter((m) => /подходит|жакындады: /.test(m.subject))).toHaveLength(0); // not twice
    await runReminders(db(), new Date('2026-12-22T06:00:00Z'));
    const overdue = (await deliver()).filter((m) => /курсунун мөөнөтү өтүп кетти|истёк$/.test(m.subject));
    expect(overdue.map((m) => m.to[0]).sort()).toEqual(['learner@demo.kg', 'osh@demo.kg']);
    expect(overdue.find((m) => m.to[0] === 'learner@demo.kg')!.text).toContain('2 күн кечикти');
  });

  it('essay graded: the result is available (told once, when the last essay is graded)', async () => {
    const learner = person('learner@demo.kg');
    const quizCourse = db().select().from(courses).where(eq(courses.slug, 'quiz-demo')).get()!;
    await call('/api/courses/quiz-demo/enrolments', { method: 'POST', cookie: await signIn('learner@demo.kg') });
    const final = db().select().from(quizzes).where(and(eq(quizzes.courseId, quizCourse.id), eq(quizzes.kind, 'final'))).get()!;
    const attemptId = startAttempt(db(), final.id, learner.id).attemptId;
    const items = db().select().from(quizAttemptItems).where(eq(quizAttemptItems.attemptId, attemptId)).all();
    for (const item of items) {
      await call(`/api/attempts/${attemptId}/answers/${item.questionId}`, { method: 'PUT', cookie: await signIn('learner@demo.kg'), json: { response: rightResponse(item.questionId), seq: 1 } });
    }
    submitAttempt(db(), attemptId, learner.id);
    expect(await deliver()).toHaveLength(0); // essays wait: nothing to tell yet
    const essay = db().select({ id: quizAttemptItems.id, options: quizQuestions.options }).from(quizAttemptItems)
      .innerJoin(quizQuestions, eq(quizQuestions.id, quizAttemptItems.questionId))
      .where(and(eq(quizAttemptItems.attemptId, attemptId), eq(quizQuestions.kind, 'essay'))).get()!;
    const rubric = (essay.options as { rubric: { points: number }[] }).rubric;
    gradeEssay(db(), essay.id, person('trainer@demo.kg').id, { points: rubric.map((r) => r.points), comment: 'Жакшы' });
    const sent = await deliver();
    expect(sent).toHaveLength(1);
    expect(sent[0]!.subject).toMatch(/^Тесттин жыйынтыгы даяр/);
    expect(sent[0]!.text).toContain('100%');
    expect(linkIn(sent[0]!.text)).toBe(`http://localhost/ky/attempts/${attemptId}/result`);
    // Grading again changes nothing to tell.
    gradeEssay(db(), essay.id, person('trainer@demo.kg').id, { points: rubric.map(() => 0), comment: '' });
    expect(await deliver()).toHaveLength(0);
  });

  it('outside training verified and rejected (with the reason)', async () => {
    const hr = sessionUser('hr@demo.kg');
    const learner = person('learner@demo.kg');
    const fields = { kind: 'seminar' as const, term: 'short' as const, funding: 'donor' as const, provider: 'ПРООН', hours: 16, startDate: '2025-04-14', endDate: '2025-04-15', orderNumber: '45-к', orderDate: '2025-04-10' };
    const a = addOutsideTraining(db(), sessionUser('learner@demo.kg'), learner.id, { ...fields, title: 'Гендердик бюджеттөө' });
    const b = addOutsideTraining(db(), sessionUser('learner@demo.kg'), learner.id, { ...fields, title: 'Долбоорлорду башкаруу' });
    reviewOutsideTraining(db(), hr, a.id, { status: 'verified' });
    reviewOutsideTraining(db(), hr, b.id, { status: 'rejected', reason: 'Буйруктун көчүрмөсү жок' });
    const sent = await deliver();
    expect(sent.map((m) => m.subject).sort()).toEqual(['Окуу ырасталган жок: «Долбоорлорду башкаруу»', 'Окуу тарыхыңыз ырасталды: «Гендердик бюджеттөө»'].sort());
    expect(sent.find((m) => m.subject.startsWith('Окуу ырасталган жок'))!.text).toContain('Буйруктун көчүрмөсү жок');
  });

  it('the obligation reminder uses the policy’s period and due date; nothing twice; the period follows a policy change', async () => {
    db().update(users).set({ appointmentDate: '2025-01-01' }).run();
    db().update(users).set({ appointmentDate: '2023-12-10' }).where(eq(users.email, 'municipal@demo.kg')).run();
    db().update(users).set({ appointmentDate: '2023-11-01', locale: 'ru' }).where(eq(users.email, 'ayil@demo.kg')).run();
    const now = new Date('2026-11-22T06:00:00Z');
    await runReminders(db(), now);
    const sent = (await deliver()).filter((m) => /окуунун мөөнөтү|обязательного обучения/.test(m.subject));
    const ky = sent.find((m) => m.to[0] === 'municipal@demo.kg')!;
    expect(ky.subject).toBe(`Кесиптик окуунун мөөнөтү жакындап калды: ${formatDate('ky', '2026-12-10T12:00:00Z')}`);
    expect(ky.text).toContain('3 жылда кеминде бир жолу');
    expect(ky.text).toContain('18 күн калды');
    const ru = sent.find((m) => m.to[0] === 'ayil@demo.kg')!;
    expect(ru.subject).toBe(`Срок обязательного обучения истёк: ${formatDate('ru', '2026-11-01T12:00:00Z')}`);
    expect(ru.text).toContain('не реже одного раза в 3 года');
    expect(ru.text).toContain('просрочено на 21 день');
    // HR officers get no mail per servant.
    expect(sent.filter((m) => m.to[0] === 'hr@demo.kg')).toHaveLength(0);
    await runReminders(db(), now);
    expect((await deliver()).filter((m) => /окуунун мөөнөтү|обязательного обучения/.test(m.subject))).toHaveLength(0);
    // A five-year policy: municipal@'s due date moves (a new reminder), the text says five years.
    const admin = { id: person('admin@demo.kg').id };
    const values = (periodYears: number) => {
      const p = currentPolicy(db());
      return { periodYears, minHours: p.minHours, dueSoonDays: p.dueSoonDays, reminderDays: p.reminderDays, certificateFormat: p.certificateFormat };
    };
    setPolicy(db(), admin, values(5));
    db().update(users).set({ appointmentDate: '2021-12-05' }).where(eq(users.email, 'municipal@demo.kg')).run();
    await runReminders(db(), now);
    const five = (await deliver()).find((m) => m.to[0] === 'municipal@demo.kg')!;
    expect(five.text).toContain('5 жылда кеминде бир жолу');
    setPolicy(db(), admin, values(3));
    expect(currentPolicy(db()).periodYears).toBe(3);
  });
});

describe('nobody never invited or never activated gets anything but the invitation', () => {
  it('an imported person gets no reminder or notice by e-mail until they activate; the invitation reaches them', async () => {
    const ministry = db().select().from(organisations).where(eq(organisations.id, person('hr@demo.kg').organisationId!)).get()!;
    const newcomer = await createPerson(db(), {
      email: 'newcomer@demo.kg', fullName: 'Жаңы Кызматчы', organisationId: ministry.id, service: 'state', postKind: 'administrative', adminGroup: 'junior',
      appointmentDate: '2023-01-01', locale: 'ky', roles: [{ role: 'learner' }],
    });
    const hr = sessionUser('hr@demo.kg');
    assignByHr(db(), hr, { courseSlug: 'ru-digital', userIds: [newcomer.id], dueDate: '2026-01-10' }, new Date('2026-01-05T06:00:00Z'));
    await runReminders(db(), new Date('2026-11-22T06:00:00Z'));
    expect((await deliver()).filter((m) => m.to[0] === 'newcomer@demo.kg')).toHaveLength(0);
    // The officer invites by e-mail: that one arrives, with an absolute one-time link.
    const res = await call(`/api/hr/staff/${newcomer.id}/invitation`, { method: 'POST', cookie: await signIn('hr@demo.kg') });
    expect(res.status).toBe(200);
    const sent = (await deliver()).filter((m) => m.to[0] === 'newcomer@demo.kg');
    expect(sent.map((m) => m.subject)).toEqual(['Билим платформасына чакыруу']);
    const link = linkIn(sent[0]!.text);
    expect(link).toMatch(/^http:\/\/localhost\/ky\/invite\/[a-z2-7]{40,}$/);
    // Only the link's hash is kept: the sent row no longer holds the text.
    const stored = db().select().from(webhookOutbox).where(eq(webhookOutbox.type, 'email.invitation')).all();
    expect(JSON.stringify(stored)).not.toContain(link.split('/').pop()!);
    // Activated: from now on the reminders come.
    const token = link.split('/').pop()!;
    expect((await call('/api/auth/password-reset', { method: 'POST', json: { token, password: 'a-long-new-password-1' } })).status).toBe(200);
    await runReminders(db(), new Date('2026-11-23T06:00:00Z'));
    const after = (await deliver()).filter((m) => m.to[0] === 'newcomer@demo.kg').map((m) => m.subject);
    expect(after).toEqual(expect.arrayContaining([expect.stringContaining('Кесиптик окуунун мөөнөтү өтүп кетти'), expect.stringContaining('курсунун мөөнөтү өтүп кетти')]));
  });

  it('"send invitations by e-mail" after an import mails each new person once; the links stay downloadable', async () => {
    const hrCookie = await signIn('hr@demo.kg');
    const ministry = person('hr@demo.kg').organisationId!;
    const csv = `full_name,email,organisation,post_kind,admin_group,locale\nАсан Үсөнов,asan@demo.kg,${ministry},administrative,junior,ky\nОльга Петрова,olga@demo.kg,${ministry},administrative,senior,ru\n`;
    const checked = await (await call('/api/hr/staff/imports', { method: 'POST', cookie: hrCookie, json: { fileName: 'staff.csv', content: Buffer.from(csv).toString('base64') } })).json();
    expect(checked.invalid, JSON.stringify(checked.rows)).toBe(0);
    expect((await call(`/api/hr/staff/imports/${checked.id}/apply`, { method: 'POST', cookie: hrCookie, json: { mode: 'all' } })).status).toBe(200);
    const res = await (await call(`/api/hr/staff/imports/${checked.id}/invitations?send=email`, { method: 'POST', cookie: hrCookie })).json();
    expect(res.invitations.map((i: { email: string; emailed: boolean }) => [i.email, i.emailed]).sort()).toEqual([['asan@demo.kg', true], ['olga@demo.kg', true]]);
    const sent = await deliver();
    expect(sent.map((m) => [m.to[0], m.subject]).sort()).toEqual([['asan@demo.kg', 'Билим платформасына чакыруу'], ['olga@demo.kg', 'Приглашение на платформу «Билим»']]);
    expect(linkIn(sent.find((m) => m.to[0] === 'olga@demo.kg')!.text)).toBe(res.invitations.find((i: { email: string }) => i.email === 'olga@demo.kg').url);
  });
});

describe('the HR digest', () => {
  it('one mail per officer per period with counts by status, the newly overdue and a link to compliance — never one per servant', async () => {
    const hr = person('hr@demo.kg');
    // Several of the ministry's servants fall overdue during the week.
    // The newcomer (activated above, never trained) falls due on 8 January 2027.
    db().update(users).set({ appointmentDate: '2024-01-08' }).where(eq(users.email, 'newcomer@demo.kg')).run();
    await runReminders(db(), new Date('2027-01-04T06:00:00Z')); // a digest (weekly by default)
    await deliver();
    await runReminders(db(), new Date('2027-01-11T06:00:00Z'));
    const toHr = (await deliver()).filter((m) => m.to[0] === 'hr@demo.kg');
    expect(toHr).toHaveLength(1);
    const digest = toHr[0]!;
    expect(digest.subject).toMatch(/^Кызматчылардын окуусу: 2027-жылдын 4-январынан бери/);
    expect(digest.text).toMatch(/талапка ылайык — \d+, мөөнөтү жакындады — \d+, мөөнөтү өтүп кетти — \d+/);
    expect(digest.text).toContain('— Жаңы Кызматчы'); // newly overdue (due 8 January 2027)
    expect(digest.text).not.toContain('Айгүл Асанова'); // compliant (her certificate)
    expect(linkIn(digest.text)).toBe('http://localhost/ky/hr/compliance');
    // The next day: weekly, so nothing; switched to daily, the next day brings one.
    await runReminders(db(), new Date('2027-01-12T06:00:00Z'));
    expect((await deliver()).filter((m) => m.to[0] === 'hr@demo.kg')).toHaveLength(0);
    const cookie = await signIn('hr@demo.kg');
    expect((await call('/api/me/notification-preferences', { method: 'PUT', cookie, json: { emailOff: [], digestPeriod: 'daily' } })).status).toBe(200);
    await runReminders(db(), new Date('2027-01-13T07:00:00Z'));
    const daily = (await deliver()).filter((m) => m.to[0] === 'hr@demo.kg');
    expect(daily).toHaveLength(1);
    expect(daily[0]!.text).toContain('Акыркы маалыматтан бери эч кимдин мөөнөтү өткөн жок.');
  });
});

describe('in the app, preferences, self-service', () => {
  it('lists my notifications newest first with an unread count; mark one and all read; someone else’s is 404', async () => {
    const cookie = await signIn('learner@demo.kg');
    const res = await call('/api/me/notifications?lang=ru', { cookie });
    expect(res.status).toBe(200);
    const list = await res.json();
    expect(list.total).toBeGreaterThan(3);
    expect(list.unread).toBe(list.total);
    expect(list.notifications[0].createdAt >= list.notifications[1].createdAt).toBe(true);
    expect(list.notifications.some((n: { title: string }) => n.title.startsWith('Вам назначен курс'))).toBe(true);
    const first = list.notifications[0];
    expect((await call(`/api/me/notifications/${first.id}/read`, { method: 'POST', cookie })).status).toBe(200);
    expect((await (await call('/api/me/notifications', { cookie })).json()).unread).toBe(list.total - 1);
    expect((await call(`/api/me/notifications/${first.id}/read`, { method: 'POST', cookie: await signIn('osh@demo.kg') })).status).toBe(404);
    expect((await (await call('/api/me/notifications/read-all', { method: 'POST', cookie })).json()).marked).toBe(list.total - 1);
    expect((await call('/api/me/notifications')).status).toBe(401);
  });

  it('an optional e-mail switched off still shows in the app; a required one cannot be switched off', async () => {
    const cookie = await signIn('learner@demo.kg');
    const refused = await call('/api/me/notification-preferences', { method: 'PUT', cookie, json: { emailOff: ['obligation_reminder'] } });
    expect(refused.status).toBe(400);
    expect((await refused.json()).error.code).toBe('notification_required');
    expect((await call('/api/me/notification-preferences', { method: 'PUT', cookie, json: { emailOff: ['certificate_issued'] } })).status).toBe(200);
    const learner = person('learner@demo.kg');
    const course = db().select().from(courses).where(eq(courses.slug, 'quiz-demo')).get()!;
    issueCertificate(db(), { userId: learner.id, courseId: course.id, sourceRef: 'notify:prefs', completedAt: new Date() });
    expect((await deliver()).filter((m) => m.to[0] === 'learner@demo.kg')).toHaveLength(0);
    const inApp = db().select().from(notifications).where(and(eq(notifications.userId, learner.id), eq(notifications.kind, 'certificate_issued'))).all();
    expect(inApp.length).toBeGreaterThanOrEqual(2);
  });

  it('forgot password: the same answer for any e-mail, a link only to an active account, rate-limited, one use, ends other sessions', async () => {
    const other = await signIn('osh@demo.kg');
    const ask = (email: string) => call('/api/auth/forgot', { method: 'POST', json: { email } });
    for (const email of ['osh@demo.kg', 'nobody@demo.kg', 'asan@demo.kg' /* imported, never activated */]) {
      const res = await ask(email);
      expect(res.status).toBe(202);
      expect(await res.json()).toEqual({ ok: true });
    }
    const sent = await deliver();
    expect(sent.map((m) => m.to[0])).toEqual(['osh@demo.kg']);
    expect(sent[0]!.subject).toBe('«Билим»: восстановление пароля');
    const link = linkIn(sent[0]!.text);
    expect(link).toMatch(/^http:\/\/localhost\/ru\/reset\/[a-z2-7]+$/);
    // Three an hour per address: the fourth and fifth are answered the same and send nothing.
    for (let i = 0; i < 4; i++) expect((await ask('osh@demo.kg')).status).toBe(202);
    expect((await deliver()).filter((m) => m.to[0] === 'osh@demo.kg')).toHaveLength(2);
    // The newest link works (earlier ones died), once, and ends the other session.
    const newest = linkIn(inbox.filter((m) => m.to[0] === 'osh@demo.kg').at(-1)!.text).split('/').pop()!;
    expect((await call('/api/auth/password-reset', { method: 'POST', json: { token: link.split('/').pop(), password: 'another-long-password' } })).status).toBe(404);
    expect((await call('/api/auth/password-reset', { method: 'POST', json: { token: newest, password: 'another-long-password' } })).status).toBe(200);
    expect((await call('/api/auth/password-reset', { method: 'POST', json: { token: newest, password: 'another-long-password' } })).status).toBe(404);
    expect((await call('/api/me', { cookie: other })).status).toBe(401);
    await signIn('osh@demo.kg', 'another-long-password');
  });

  it('an administrator’s reset link is e-mailed too', async () => {
    const admin = await signIn('admin@demo.kg');
    const res = await (await call(`/api/admin/people/${person('municipal@demo.kg').id}/password-reset`, { method: 'POST', cookie: admin })).json();
    const sent = (await deliver()).filter((m) => m.to[0] === 'municipal@demo.kg');
    expect(sent.map((m) => m.subject)).toEqual(['Билим: сырсөздү калыбына келтирүү']);
    expect(linkIn(sent[0]!.text)).toBe(res.url);
  });

  it('change my password: the current one is required; my other sessions end, this one stays; language changes pages and mail', async () => {
    const here = await signIn('ayil@demo.kg');
    const elsewhere = await signIn('ayil@demo.kg');
    const wrong = await call('/api/me/password', { method: 'POST', cookie: here, json: { currentPassword: 'not-it', newPassword: 'a-brand-new-password' } });
    expect(wrong.status).toBe(400);
    expect((await wrong.json()).error).toEqual({ code: 'wrong_password', field: 'currentPassword' });
    const short = await call('/api/me/password', { method: 'POST', cookie: here, json: { currentPassword: DEMO_PASSWORD, newPassword: 'short' } });
    expect((await short.json()).error.code).toBe('password_too_short');
    expect((await call('/api/me/password', { method: 'POST', cookie: here, json: { currentPassword: DEMO_PASSWORD, newPassword: 'a-brand-new-password' } })).status).toBe(200);
    expect((await call('/api/me', { cookie: here })).status).toBe(200);
    expect((await call('/api/me', { cookie: elsewhere })).status).toBe(401);
    expect((await call('/api/me/locale', { method: 'PUT', cookie: here, json: { locale: 'ky' } })).status).toBe(200);
    expect((await (await call('/api/me', { cookie: here })).json()).locale).toBe('ky');
  });

  it('the calendar feed: a secret address with my due dates; renewing it kills the old one', async () => {
    const cookie = await signIn('learner@demo.kg');
    const { url } = await (await call('/api/me/calendar', { method: 'POST', cookie })).json();
    expect(url).toMatch(/^http:\/\/localhost\/api\/calendar\/[a-z2-7]+\.ics$/);
    const path = new URL(url).pathname;
    const feed = await call(path);
    expect(feed.status).toBe(200);
    expect(feed.headers.get('content-type')).toContain('text/calendar');
    const ics = await feed.text();
    expect(ics).toMatch(/^BEGIN:VCALENDAR\r\n/);
    expect(ics).toContain('DTSTART;VALUE=DATE:20261220');
    expect(ics).toContain('SUMMARY:Курстун мөөнөтү:');
    expect(ics.split('\r\n').every((l) => Buffer.byteLength(l) <= 75)).toBe(true);
    const renewed = await (await call('/api/me/calendar', { method: 'POST', cookie })).json();
    expect((await call(path)).status).toBe(404);
    expect((await call(new URL(renewed.url).pathname)).status).toBe(200);
    expect((await call('/api/calendar/nothing.ics')).status).toBe(404);
  });

  it('My learning lists assignments most urgent first', async () => {
    const cookie = await signIn('learner@demo.kg');
    const hr = sessionUser('hr@demo.kg');
    assignByHr(db(), hr, { courseSlug: 'quiz-demo', userIds: [person('learner@demo.kg').id], dueDate: '2026-12-01' }, new Date('2026-11-20T06:00:00Z'));
    const mine = await (await call('/api/me/enrolments', { cookie })).json();
    const due = mine.enrolments.filter((e: { dueDate: string | null; status: string }) => e.dueDate && e.status === 'active').map((e: { dueDate: string }) => e.dueDate);
    expect(due).toEqual([...due].sort());
    expect(due[0]).toBe('2026-12-01');
  });
});
