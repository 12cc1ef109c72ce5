import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, like } from 'drizzle-orm';
import { call, getDb, signIn, withDemo } from '../helpers';
import { startSmtpInbox, type ReceivedMail } from '../support/smtp-inbox';
import { auditLog, courseDrafts, courses, notifications, organisations, reviewEvents, userRoles, users } from '@db/schema';
import { deliverMail } from '@server/modules/outbox/service';
import { createDraft, saveDraft } from '@server/modules/authoring/service';
import { emptyDraftContent } from '@server/modules/authoring/content';
import { updateSettings } from '@server/modules/settings/service';
import { AppError } from '@server/lib/errors';
import { assertCanEdit } from '@server/modules/authoring/service';

let inbox: ReceivedMail[] = [];
let port = 0;
let closeSmtp: () => Promise<void>;
let trainer = '';
let reviewer = '';
let admin = '';
let learner = '';

const user = (email: string) => {
  const u = getDb().select().from(users).where(eq(users.email, email)).get()!;
  const roles = getDb().select().from(userRoles).where(eq(userRoles.userId, u.id)).all().map((r) => r.role);
  return { id: u.id, roles };
};
const doc = (text: string) => ({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });

/** A small course a trainer has written, complete in Kyrgyz; Russian lesson text optional. */
function writeDraft(slug: string, email = 'trainer@demo.kg', ru = true) {
  const db = getDb();
  const author = user(email);
  const d = createDraft(db, { slug, titleKy: 'Кызматтык этика: практикум', titleRu: 'Служебная этика: практикум' }, author);
  const content = emptyDraftContent(slug, 'ethics');
  const m = content.manifest;
  m.title = { ky: 'Кызматтык этика: практикум', ru: 'Служебная этика: практикум' };
  m.summary = { ky: 'Кыска курс.', ru: 'Короткий курс.' };
  m.description = { ky: 'Курстун сүрөттөмөсү.', ru: 'Описание курса.' };
  m.provider = getDb().select({ id: organisations.id }).from(organisations).where(eq(organisations.kind, 'provider')).get()!.id;
  m.objectives = { ky: ['Этиканын принциптерин колдонуу'], ru: ['Применять принципы этики'] };
  m.modules = [
    {
      title: { ky: 'Негиздер', ru: 'Основы' },
      lessons: [
        { slug: 'principles', title: { ky: 'Принциптер', ru: 'Принципы' }, minutes: 10, kind: 'theory', doc: { ky: doc('Мамлекеттик кызматчы ак ниеттүү иштейт.'), ...(ru ? { ru: doc('Государственный служащий работает добросовестно.') } : {}) } },
        { slug: 'case', title: { ky: 'Кейс', ru: 'Кейс' }, minutes: 10, kind: 'practice', doc: { ky: doc('Кейсти талдаңыз.'), ...(ru ? { ru: doc('Разберите кейс.') } : {}) } },
      ],
    },
  ];
  return saveDraft(db, d.id, d.revision, { manifest: m }, author);
}

const draftRow = (id: number) => getDb().select().from(courseDrafts).where(eq(courseDrafts.id, id)).get()!;
const PASS_ALL = ['objectives', 'languages', 'practice', 'assessment', 'accessibility'].map((item) => ({ item, result: 'pass', comment: '' }));

async function api(path: string, cookie: string, method = 'POST', json?: unknown) {
  const res = await call(path, { method, cookie, ...(json !== undefined ? { json } : {}) });
  return { status: res.status, body: (await res.json()) as any };
}

beforeAll(async () => {
  await withDemo();
  ({ port, inbox, close: closeSmtp } = await startSmtpInbox());
  trainer = await signIn('trainer@demo.kg');
  reviewer = await signIn('reviewer@demo.kg');
  admin = await signIn('admin@demo.kg');
  learner = await signIn('learner@demo.kg');
});

afterAll(async () => {
  await closeSmtp();
});

describe('review workflow: draft → submitted → in review → changes requested → … → approved → published', () => {
  let id = 0;

  it('only the author (or an administrator) submits; then nobody edits', async () => {
    id = writeDraft('review-flow-course').id;
    expect((await api(`/api/review/drafts/${id}/submit`, reviewer)).status).toBe(403);
    expect((await api(`/api/review/drafts/${id}/submit`, learner)).status).toBe(403);
    const res = await api(`/api/review/drafts/${id}/submit`, trainer);
    expect(res.status).toBe(200);
    expect(res.body.state).toBe('submitted');
    expect((await api(`/api/review/drafts/${id}/submit`, trainer)).body.error.code).toBe('draft_state_invalid');
    // Locked while submitted: the author's save is refused, through the editor's own service.
    const d = draftRow(id);
    expect(() => saveDraft(getDb(), id, d.revision, { quizzes: { quizzes: [] } }, user('trainer@demo.kg'))).toThrowError(expect.objectContaining({ code: 'draft_locked' }));
    expect((await api(`/api/author/drafts/${id}/questions/categories`, trainer, 'POST', { revision: d.revision, category: { id: 'm1', title: { ky: 'А', ru: 'А' } } })).body.error.code).toBe('draft_locked');
  });

  it('a trainer cannot take a draft into review or decide', async () => {
    expect((await api(`/api/review/drafts/${id}/take`, trainer)).status).toBe(403);
    expect((await api(`/api/review/drafts/${id}/decision`, trainer, 'POST', { decision: 'approved', checklist: PASS_ALL })).status).toBe(403);
    expect(draftRow(id).state).toBe('submitted');
  });

  it('a reviewer takes it into review and cannot edit the content', async () => {
    const res = await api(`/api/review/drafts/${id}/take`, reviewer);
    expect(res.status).toBe(201);
    expect(res.body.checklist.map((e: any) => e.result)).toEqual([null, null, null, null, null]);
    expect(draftRow(id).state).toBe('in_review');
    expect((await api(`/api/review/drafts/${id}/take`, reviewer)).body.error.code).toBe('draft_state_invalid');
    const d = draftRow(id);
    const rev = user('reviewer@demo.kg');
    // Even holding the trainer role too, a reviewer who is not the author may not edit, in any state.
    for (const roles of [rev.roles, [...rev.roles, 'trainer']] as const) {
      expect(() => saveDraft(getDb(), id, d.revision, { quizzes: { quizzes: [] } }, { id: rev.id, roles: roles as never })).toThrow(AppError);
      expect(() => assertCanEdit({ ...d, state: 'draft' }, { id: rev.id, roles: roles as never })).toThrowError(expect.objectContaining({ code: 'draft_not_yours' }));
    }
    expect((await api(`/api/author/drafts/${id}/questions/categories`, reviewer, 'POST', { revision: d.revision, category: { id: 'm1', title: { ky: 'А', ru: 'А' } } })).status).toBe(403);
    expect(draftRow(id).revision).toBe(d.revision);
  });

  it('shows computed facts for the checklist', async () => {
    const res = await api(`/api/review/drafts/${id}`, reviewer, 'GET');
    expect(res.status).toBe(200);
    expect(res.body.facts.objectives).toEqual({ ky: 1, ru: 1 });
    expect(res.body.facts.practice).toEqual({ lessons: 2, practice: 1, percent: 50 });
    expect(res.body.facts.languages).toEqual({ missingKy: [], missingRu: [] });
    expect(res.body.facts.altText.images).toBe(0);
    expect((await api(`/api/review/drafts/${id}`, learner, 'GET')).status).toBe(403);
  });

  it('a decision needs every item answered, a comment on each failed one, and approval needs every item passed', async () => {
    const partial = await api(`/api/review/drafts/${id}/decision`, reviewer, 'POST', { decision: 'changes_requested', checklist: PASS_ALL.slice(0, 3) });
    expect(partial.body.error).toEqual({ code: 'checklist_incomplete', field: 'checklist.assessment.result' });
    const failNoComment = PASS_ALL.map((e) => (e.item === 'practice' ? { ...e, result: 'fail' } : e));
    expect((await api(`/api/review/drafts/${id}/decision`, reviewer, 'POST', { decision: 'changes_requested', checklist: failNoComment })).body.error).toEqual({ code: 'checklist_comment_required', field: 'checklist.practice.comment' });
    const failed = PASS_ALL.map((e) => (e.item === 'practice' ? { ...e, result: 'fail', comment: 'Практикалык сабак дагы бирөө керек.' } : e));
    expect((await api(`/api/review/drafts/${id}/decision`, reviewer, 'POST', { decision: 'approved', checklist: failed })).body.error.code).toBe('checklist_failed');
    // The checklist is saved between visits.
    const saved = await api(`/api/review/drafts/${id}/checklist`, reviewer, 'PUT', { checklist: failed, summary: 'Жалпысынан жакшы.' });
    expect(saved.status).toBe(200);
    expect(saved.body.checklist.find((e: any) => e.item === 'practice')).toEqual({ item: 'practice', result: 'fail', comment: 'Практикалык сабак дагы бирөө керек.' });
    expect(draftRow(id).state).toBe('in_review');
  });

  it('requesting changes unlocks the draft and tells the trainer by e-mail (real SMTP) and in the app', async () => {
    updateSettings(getDb(), user('admin@demo.kg'), { smtpHost: '127.0.0.1', smtpPort: String(port), smtpFrom: 'Bilim <noreply@bilim.test>' });
    const res = await api(`/api/review/drafts/${id}/decision`, reviewer, 'POST', { decision: 'changes_requested', checklist: [] });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.draft.state).toBe('changes_requested');
    expect(res.body.email).toBe('queued');
    // The outbox sends it; the reviewer's "draft submitted" notice (queued at submission, in their Russian) goes in the same round.
    await deliverMail(getDb());
    const toTrainer = () => inbox.filter((m) => m.to[0] === 'trainer@demo.kg');
    expect(toTrainer()).toHaveLength(1);
    expect(inbox.filter((m) => m.to[0] === 'reviewer@demo.kg').map((m) => m.subject)).toEqual(['На проверку поступил курс «Служебная этика: практикум»']);
    inbox.splice(0, inbox.length, ...toTrainer());
    expect(inbox[0]!.subject).toContain('Кызматтык этика: практикум');
    expect(inbox[0]!.text).toContain('Практикалык сабак дагы бирөө керек.');
    expect(inbox[0]!.text).toContain('Жалпысынан жакшы.');
    // The link back is a full address on this site (PUBLIC_URL).
    expect(inbox[0]!.text).toContain('http://localhost/ky/author/decisions');
    const mine = await api('/api/review/decisions', trainer, 'GET');
    expect(mine.body.decisions).toHaveLength(1);
    expect(mine.body.decisions[0]).toMatchObject({ draftId: id, decision: 'changes_requested', read: false, failed: [{ item: 'practice', comment: 'Практикалык сабак дагы бирөө керек.' }] });
    expect((await api('/api/review/decisions', reviewer, 'GET')).body.decisions).toHaveLength(0);
  });

  it('the trainer fixes and resubmits; the reviewer approves, which publishes the course at once', async () => {
    const d = draftRow(id);
    const m = d.content.manifest;
    m.modules[0]!.lessons.push({ slug: 'case-2', title: { ky: 'Экинчи кейс', ru: 'Второй кейс' }, minutes: 15, kind: 'practice', doc: { ky: doc('Экинчи кейсти талдаңыз.'), ru: doc('Разберите второй кейс.') } });
    saveDraft(getDb(), id, d.revision, { manifest: m }, user('trainer@demo.kg'));
    expect((await api(`/api/review/drafts/${id}/submit`, trainer)).body.state).toBe('submitted');
    expect((await api(`/api/review/drafts/${id}/take`, reviewer)).status).toBe(201);
    expect((await api(`/api/courses/review-flow-course`, learner, 'GET')).status).toBe(404);
    const res = await api(`/api/review/drafts/${id}/decision`, reviewer, 'POST', { decision: 'approved', checklist: PASS_ALL, summary: 'Рахмат!' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.draft.state).toBe('published');
    expect(draftRow(id).publishedVersionId).not.toBeNull();
    const course = await api(`/api/courses/review-flow-course`, learner, 'GET');
    expect(course.status).toBe(200);
    expect(getDb().select().from(courses).where(eq(courses.slug, 'review-flow-course')).get()!.status).toBe('published');
    await deliverMail(getDb());
    const decisionsMailed = inbox.filter((m) => m.to[0] === 'trainer@demo.kg');
    expect(decisionsMailed).toHaveLength(2);
    expect(decisionsMailed[1]!.text).toContain('Рахмат!');
  });

  it('records every step with who and when, in review events and the audit log', async () => {
    const events = getDb().select().from(reviewEvents).where(eq(reviewEvents.draftId, id)).orderBy(reviewEvents.id).all();
    expect(events.map((e) => [e.action, e.fromState, e.toState])).toEqual([
      ['submitted', 'draft', 'submitted'],
      ['taken', 'submitted', 'in_review'],
      ['changes_requested', 'in_review', 'changes_requested'],
      ['submitted', 'changes_requested', 'submitted'],
      ['taken', 'submitted', 'in_review'],
      ['approved', 'in_review', 'approved'],
      ['published', 'approved', 'published'],
    ]);
    const t = user('trainer@demo.kg').id;
    const r = user('reviewer@demo.kg').id;
    expect(events.map((e) => e.actorId)).toEqual([t, r, r, t, r, r, r]);
    expect(events.every((e) => e.at instanceof Date && e.at.getTime() > 0)).toBe(true);
    const audit = getDb().select().from(auditLog).where(and(like(auditLog.action, 'review.%'), eq(auditLog.targetId, String(id)))).all();
    expect(audit.map((a) => a.action)).toEqual(events.map((e) => `review.${e.action}`));
    const history = await api(`/api/review/drafts/${id}`, reviewer, 'GET');
    expect(history.body.history).toHaveLength(7);
    expect(history.body.history[0].actorName).toBeTruthy();
  });

  it('lists decisions for the trainer; without SMTP the decision is still told in the app and its e-mail waits in the outbox', async () => {
    updateSettings(getDb(), user('admin@demo.kg'), { smtpHost: '', smtpFrom: '' });
    const other = writeDraft('review-no-mail', 'trainer@demo.kg', false);
    await api(`/api/review/drafts/${other.id}/submit`, trainer);
    await api(`/api/review/drafts/${other.id}/take`, reviewer);
    const facts = (await api(`/api/review/drafts/${other.id}`, reviewer, 'GET')).body.facts;
    expect(facts.languages.missingRu).toEqual(['principles.text', 'case.text']);
    const res = await api(`/api/review/drafts/${other.id}/decision`, reviewer, 'POST', {
      decision: 'changes_requested',
      checklist: PASS_ALL.map((e) => (e.item === 'languages' ? { ...e, result: 'fail', comment: 'Орусча тексттер жок.' } : e)),
    });
    expect(res.body.email).toBe('queued');
    const before = inbox.length;
    expect((await deliverMail(getDb())).skipped).toBe('smtp_not_configured');
    expect(inbox).toHaveLength(before);
    const trainerId = user('trainer@demo.kg').id;
    const rows = getDb().select().from(notifications).where(and(eq(notifications.userId, trainerId), eq(notifications.kind, 'review_decision'))).all();
    expect(rows).toHaveLength(3);
    const mine = await api('/api/review/decisions', trainer, 'GET');
    expect(mine.body.decisions.map((d: any) => d.slug)).toEqual(['review-no-mail', 'review-flow-course', 'review-flow-course']);
  });

  it('a draft that could not be published is not submitted', async () => {
    const empty = createDraft(getDb(), { slug: 'review-empty', titleKy: 'Бош курс' }, user('trainer@demo.kg'));
    const res = await api(`/api/review/drafts/${empty.id}/submit`, trainer);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('draft_invalid');
    expect(draftRow(empty.id).state).toBe('draft');
  });

  it('nobody reviews their own draft', async () => {
    const own = writeDraft('review-own', 'admin@demo.kg');
    expect((await api(`/api/review/drafts/${own.id}/submit`, admin)).status).toBe(200);
    expect((await api(`/api/review/drafts/${own.id}/take`, admin)).body.error.code).toBe('review_own_draft');
    const queue = await api('/api/review/queue', reviewer, 'GET');
    expect(queue.body.drafts.map((d: any) => [d.slug, d.state])).toContainEqual(['review-own', 'submitted']);
    expect((await api('/api/review/queue', trainer, 'GET')).status).toBe(403);
  });

  it('four eyes everywhere: the author never saves the checklist or decides, even as an administrator finishing another reviewer\'s round', async () => {
    const own = writeDraft('review-own-four-eyes', 'admin@demo.kg');
    expect((await api(`/api/review/drafts/${own.id}/submit`, admin)).status).toBe(200);
    expect((await api(`/api/review/drafts/${own.id}/take`, reviewer)).status).toBe(201);
    const save = await api(`/api/review/drafts/${own.id}/checklist`, admin, 'PUT', { checklist: PASS_ALL });
    expect([save.status, save.body.error?.code]).toEqual([403, 'review_own_draft']);
    for (const decision of ['approved', 'changes_requested']) {
      const res = await api(`/api/review/drafts/${own.id}/decision`, admin, 'POST', { decision, checklist: PASS_ALL, summary: 'Өзүм' });
      expect([res.status, res.body.error?.code]).toEqual([403, 'review_own_draft']);
    }
    expect(draftRow(own.id).state).toBe('in_review');
    // Nothing the author sent was kept; the reviewer still decides.
    const round = getDb().select().from(reviewEvents).where(eq(reviewEvents.draftId, own.id)).all();
    expect(round.map((e) => e.action)).toEqual(['submitted', 'taken']);
    expect((await api(`/api/review/drafts/${own.id}/decision`, reviewer, 'POST', { decision: 'approved', checklist: PASS_ALL })).body.draft.state).toBe('published');
  });
});
