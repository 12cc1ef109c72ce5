/**
 * Access control of the pages' own writes: every page that takes a form POST, requested by every role
 * with an empty form, against the table below — what SHOULD be, as the API's table (tests/api/
 * access-control.test.ts) states it for the API. An empty form changes nothing even where it is
 * allowed, so the table tests only who is let in. A page that handles POST (openPage's `isPost`, site/lib/page.ts)
 * without a line here fails the suite. Its own demo server, as its fixtures (a draft, an attempt) would disturb other files.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ownServer } from './browser';
import { signIn, type Role } from '@scripts/screenshot-list';
import { ATTESTATION_POST, attestationCampaignBody } from '../security';

type Who = 'anon' | Role;
const WHO: Who[] = ['anon', 'learner', 'trainer', 'hr', 'reviewer', 'admin'];
/** `ok`: let in (the page answers its form: 200, 303 or its own 400/409/422). A number: exactly that status. */
type Cell = 'ok' | 303 | 403 | 404;

const files = (dir: string): string[] => readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : [join(dir, f)]));
const postPages = files('site/pages')
  .filter((f) => f.endsWith('.astro') && /\bisPost\b|request\.method === 'POST'/.test(readFileSync(f, 'utf8')))
  .map((f) => '/' + relative('site/pages', f).replace(/\.astro$/, '').replace(/\/index$/, ''));

let server: { base: string; stop: () => void };
const cookies = new Map<Who, string>();
let ids: Record<string, string> = {};

async function api(path: string, who: Role, init: { method?: string; json?: unknown } = {}) {
  const res = await fetch(`${server.base}${path}`, {
    method: init.method ?? 'GET',
    headers: { origin: server.base, cookie: cookies.get(who)!, ...(init.json ? { 'content-type': 'application/json' } : {}) },
    body: init.json ? JSON.stringify(init.json) : undefined,
  });
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path} as ${who}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<any>;
}

beforeAll(async () => {
  server = await ownServer();
  for (const who of WHO) if (who !== 'anon') cookies.set(who, await signIn(server.base, who));
  const me = async (who: Role) => (await api('/api/me', who)).user?.id ?? (await api('/api/me', who)).id;
  const learnerId = String(await me('learner'));
  const draft = await api('/api/author/courses/anti-corruption/draft', 'trainer', { method: 'POST' });
  await api('/api/courses/ethics-conflict-of-interest/enrolments', 'learner', { method: 'POST' });
  const quizzes = await api('/api/courses/ethics-conflict-of-interest/quizzes', 'learner');
  const quiz = (quizzes.quizzes ?? quizzes).find((q: { kind: string }) => q.kind === 'module');
  const attempt = await api(`/api/quizzes/${quiz.id}/attempts`, 'learner', { method: 'POST' });
  ids = {
    '[lang]': 'ky', '[id]': String(draft.id), '[slug]': 'ethics-conflict-of-interest', '[lesson]': '01-why-service-ethics',
    '[qid]': 'new', '[quizId]': 'new', '[code]': 'BLM-2026-AAAA-AAAA-AAAA',
  };
  ids.learnerId = learnerId;
  ids.draftQuiz = (await api(`/api/author/drafts/${draft.id}/questions`, 'trainer')).quizzes[0].id;
  ids.attempt = String(attempt.id ?? attempt.attempt?.id);
  ids.quiz = String(quiz.id);
  // an attestation with the learner in it, and an open reserve competition, made by the administrator
  // (who may run campaigns as a personnel officer does)
  const attestation = await api('/api/attestation/campaigns', 'admin', { method: 'POST', json: attestationCampaignBody() });
  await api(`/api/attestation/campaigns/${attestation.id}/people`, 'admin', { method: 'POST', json: { userIds: [Number(learnerId)], post: ATTESTATION_POST } });
  const campaign = await api(`/api/attestation/campaigns/${attestation.id}`, 'admin');
  ids.campaign = String(attestation.id);
  ids.campaignPerson = String((campaign.people ?? campaign.campaign?.people)[0].id);
  ids.competition = String((await api('/api/attestation/campaigns', 'admin', { method: 'POST', json: attestationCampaignBody({ kind: 'competition' }) })).id);
}, 120_000);
afterAll(() => server?.stop());

/** The address of a page with the ids of this file's fixtures. */
function address(page: string): string {
  const specific: Record<string, string> = {
    '/[lang]/hr/staff/[id]': `/ky/hr/staff/${ids.learnerId}`,
    '/[lang]/admin/people/[id]': `/ky/admin/people/${ids.learnerId}`,
    '/[lang]/admin/organisations/[id]': '/ky/admin/organisations/1',
    '/[lang]/attempts/[id]': `/ky/attempts/${ids.attempt}`,
    '/[lang]/quizzes/[id]': `/ky/quizzes/${ids.quiz}`,
    '/[lang]/trainer/analysis/[quizId]': `/ky/trainer/analysis/${ids.quiz}`,
    '/[lang]/author/drafts/[id]/lessons/[lesson]': `/ky/author/drafts/${ids['[id]']}/lessons/01-what-is-corruption`,
    '/[lang]/attestation/campaigns/[id]': `/ky/attestation/campaigns/${ids.campaign}`,
    '/[lang]/attestation/campaigns/[id]/edit': `/ky/attestation/campaigns/${ids.campaign}/edit`,
    '/[lang]/attestation/campaigns/[id]/sessions': `/ky/attestation/campaigns/${ids.campaign}/sessions`,
    '/[lang]/attestation/people/[id]': `/ky/attestation/people/${ids.campaignPerson}`,
    '/[lang]/attestation/competitions/[id]': `/ky/attestation/competitions/${ids.competition}`,
    // no such session: the session's rules are tested in tests/api/attestation-session.test.ts
    '/[lang]/attestation/sessions/[id]': '/ky/attestation/sessions/999999',
    '/[lang]/author/drafts/[id]/quizzes/[quizId]/try': `/ky/author/drafts/${ids['[id]']}/quizzes/${ids.draftQuiz}/try?seed=1`,
  };
  return specific[page] ?? page.replace(/\[[a-zA-Z]+\]/g, (p) => ids[p] ?? p);
}

/**
 * The form each page is sent: empty (nothing to change, so the answer is only about who is let in),
 * or, where the page lets every staff role in and the service decides who may write, a valid one —
 * so the service's own rule is what answers (a reviewer reads a draft's bank but never changes it).
 */
async function form(page: string): Promise<string> {
  const bank = async () => api(`/api/author/drafts/${ids['[id]']}/questions`, 'trainer');
  const encode = (o: Record<string, string | number>) => new URLSearchParams(Object.entries(o).map(([k, v]) => [k, String(v)])).toString();
  if (page === '/[lang]/author/drafts/[id]/questions') {
    const b = await bank();
    return encode({ _action: 'addCategory', revision: b.revision, 'categoryTitle.ky': 'Жаңы бөлүм', 'categoryTitle.ru': 'Новый раздел' });
  }
  if (page === '/[lang]/author/drafts/[id]/questions/[qid]') {
    const b = await bank();
    return encode({ revision: b.revision, kind: 'truefalse', category: b.categories[0].id, 'text.ky': 'Суроо', 'text.ru': 'Вопрос', correct: 'true' });
  }
  if (page === '/[lang]/author/drafts/[id]/quizzes/[quizId]') {
    const b = await bank();
    return encode({ revision: b.revision, kind: 'module', modulePosition: 1, 'title.ky': 'Тест', 'title.ru': 'Тест', 'draw.0.category': b.categories[0].id, 'draw.0.count': 1, passPercent: 70 });
  }
  if (page === '/[lang]/trainer/analysis/[quizId]') {
    // a question of the learner's attempt (no finished answers yet: a regrade changes nothing)
    const attempt = await api(`/api/attempts/${ids.attempt}`, 'learner');
    return encode({ questionId: attempt.questions.find((q: { kind: string }) => q.kind !== 'essay').id });
  }
  return '';
}

async function post(page: string, who: Who): Promise<number> {
  const res = await fetch(`${server.base}${address(page)}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { origin: server.base, 'content-type': 'application/x-www-form-urlencoded', ...(who === 'anon' ? {} : { cookie: cookies.get(who)! }) },
    body: await form(page),
  });
  return res.status;
}

// prettier-ignore
const ACCESS: [page: string, anon: Cell, learner: Cell, trainer: Cell, hr: Cell, reviewer: Cell, admin: Cell][] = [
  // page (POST)                                   anon  learner trainer hr   reviewer admin
  ['/[lang]/academy/reviews/[id]',                 303, 403, 403, 403, 'ok', 'ok'],
  ['/[lang]/account',                              303, 'ok', 'ok', 'ok', 'ok', 'ok'],
  ['/[lang]/admin',                                303, 403, 403, 403, 403, 'ok'],
  ['/[lang]/admin/import',                         303, 403, 403, 403, 403, 'ok'],
  ['/[lang]/admin/organisations/[id]',             303, 403, 403, 403, 403, 'ok'],
  ['/[lang]/admin/outbox',                         303, 403, 403, 403, 403, 'ok'],
  // the account, roles, training provider (_action=provider), access: administrators only
  ['/[lang]/admin/people/[id]',                    303, 403, 403, 403, 403, 'ok'],
  ['/[lang]/admin/people/new',                     303, 403, 403, 403, 403, 'ok'],
  ['/[lang]/admin/policy',                         303, 403, 403, 403, 403, 'ok'],
  ['/[lang]/admin/roles',                          303, 403, 403, 403, 403, 'ok'],
  ['/[lang]/admin/settings',                       303, 403, 403, 403, 403, 'ok'],
  ['/[lang]/admin/tokens',                         303, 403, 403, 403, 403, 'ok'],
  // attestation and competitions: campaigns, their sessions and people are the personnel officers'
  // (and administrators', who may do what an officer does); the campaign's commission reads them
  ['/[lang]/attestation/new',                      303, 403, 403, 403, 403, 'ok'],
  ['/[lang]/attestation/campaigns/[id]',           303, 403, 403, 403, 403, 'ok'],
  ['/[lang]/attestation/campaigns/[id]/edit',      303, 403, 403, 403, 403, 'ok'],
  ['/[lang]/attestation/campaigns/[id]/sessions',  303, 403, 403, 403, 403, 'ok'],
  // the whole reserve (taking an entry out with a reason): the officers'
  ['/[lang]/attestation/reserve',                  303, 403, 403, 403, 403, 'ok'],
  // a person's page: the person (here the learner) posts their documents; to anyone else it does not exist
  ['/[lang]/attestation/people/[id]',              303, 'ok', 404, 404, 404, 'ok'],
  // any signed-in citizen may apply to an open competition
  ['/[lang]/attestation/competitions/[id]',        303, 'ok', 'ok', 'ok', 'ok', 'ok'],
  // (no such session: refused to everyone but officers, who are told it does not exist)
  ['/[lang]/attestation/sessions/[id]',            303, 403, 403, 403, 403, 404],
  ['/[lang]/attestation/register',                 'ok', 'ok', 'ok', 'ok', 'ok', 'ok'],
  // the session code typed in the test room: anyone signed in (a wrong code is refused with the reason)
  ['/[lang]/attestation/test',                     303, 'ok', 'ok', 'ok', 'ok', 'ok'],
  // the learner's own attempt; anyone else is told it does not exist
  ['/[lang]/attempts/[id]',                        303, 'ok', 404, 404, 404, 404],
  ['/[lang]/author',                               303, 403, 'ok', 403, 403, 'ok'],
  // the trainer's draft: its author and administrators write; a reviewer reads it, never writes it
  // the course form (its provider chosen from the training providers), the tree: the draft's editors
  ['/[lang]/author/drafts/[id]',                   303, 403, 'ok', 403, 403, 'ok'],
  ['/[lang]/author/drafts/[id]/lessons/[lesson]',  303, 403, 'ok', 403, 403, 'ok'],
  ['/[lang]/author/drafts/[id]/questions',         303, 403, 'ok', 403, 403, 'ok'],
  ['/[lang]/author/drafts/[id]/questions/[qid]',   303, 403, 'ok', 403, 403, 'ok'],
  // question-bank files: only the draft's editors import; a reviewer may only download
  ['/[lang]/author/drafts/[id]/questions/import',  303, 403, 'ok', 403, 403, 'ok'],
  ['/[lang]/author/drafts/[id]/quizzes/[quizId]',  303, 403, 'ok', 403, 403, 'ok'],
  // a Word document made a lesson: the draft's editors only
  ['/[lang]/author/drafts/[id]/word',              303, 403, 'ok', 403, 403, 'ok'],
  // trying a test: whoever may read the draft (its author, reviewers, administrators); it stores nothing
  ['/[lang]/author/drafts/[id]/quizzes/[quizId]/try', 303, 404, 'ok', 404, 'ok', 'ok'],
  // (the author submits; anyone who may not is told the draft does not exist, as in the editor)
  ['/[lang]/author/drafts/[id]/submit',            303, 404, 'ok', 404, 404, 'ok'],
  ['/[lang]/courses/[slug]',                       303, 'ok', 'ok', 'ok', 'ok', 'ok'],
  ['/[lang]/courses/[slug]/feedback',              303, 'ok', 'ok', 'ok', 'ok', 'ok'],
  ['/[lang]/courses/[slug]/lessons/[lesson]',      303, 'ok', 'ok', 'ok', 'ok', 'ok'],
  ['/[lang]/forgot',                               'ok', 'ok', 'ok', 'ok', 'ok', 'ok'],
  ['/[lang]/hr/assignments',                       303, 403, 403, 'ok', 403, 403],
  ['/[lang]/hr/import',                            303, 403, 403, 'ok', 403, 403],
  ['/[lang]/hr/plan',                              303, 403, 403, 'ok', 403, 403],
  ['/[lang]/hr/staff/[id]',                        303, 403, 403, 'ok', 403, 403],
  ['/[lang]/hr/verification',                      303, 403, 403, 'ok', 403, 403],
  ['/[lang]/login',                                'ok', 'ok', 'ok', 'ok', 'ok', 'ok'],
  ['/[lang]/my/record',                            303, 'ok', 'ok', 'ok', 'ok', 'ok'],
  ['/[lang]/notifications',                        303, 'ok', 'ok', 'ok', 'ok', 'ok'],
  // a test is taken by learners (as POST /api/quizzes/{id}/attempts)
  ['/[lang]/quizzes/[id]',                         303, 'ok', 403, 403, 403, 403],
  // reviewers read the analysis; regrading is for trainers and administrators (the quiz's course)
  ['/[lang]/trainer/analysis/[quizId]',            303, 403, 'ok', 403, 403, 'ok'],
  ['/[lang]/trainer/grading',                      303, 403, 'ok', 403, 'ok', 'ok'],
  // learners' questions: trainers answer, the academy (reviewer, administrator) reads and hides
  ['/[lang]/trainer/questions',                    303, 403, 'ok', 403, 'ok', 'ok'],
  // revoking: reviewers and administrators; the number here does not exist, so 404 for everyone
  ['/[lang]/verify/[code]',                        404, 404, 404, 404, 404, 404],
  ['/[lang]/logout',                               'ok', 'ok', 'ok', 'ok', 'ok', 'ok'],
];

const LET_IN = new Set([200, 303, 400, 409, 422]);
const matches = (cell: Cell, status: number) => (cell === 'ok' ? LET_IN.has(status) : status === cell);

describe('who may post each page’s form', () => {
  it('every page that takes a form has a line in the table, and no line is for a page that is gone', () => {
    expect(postPages.filter((p) => !ACCESS.some(([page]) => page === p))).toEqual([]);
    expect(ACCESS.filter(([page]) => !postPages.includes(page)).map(([page]) => page)).toEqual([]);
  });

  it('each role gets what the table says (signing out last: it ends the sessions the other rows use)', async () => {
    const wrong: string[] = [];
    for (const [page, ...cells] of ACCESS) {
      for (const [i, who] of WHO.entries()) {
        const status = await post(page, who);
        if (!matches(cells[i]!, status)) wrong.push(`${page} as ${who}: ${status}, expected ${cells[i]}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
