/**
 * The screenshots of the role guides (docs/guides/*.md), made by `npm run screenshots` from the running
 * app so they never go stale. A test (tests/browser/guides.test.ts) opens every page listed here as its
 * role and checks that every picture a guide shows is one of these.
 */
import { DEMO_PASSWORD } from './demo-server';

export type Role = 'learner' | 'trainer' | 'reviewer' | 'hr' | 'admin';
/** What the preparation made: a draft the trainer is editing, and one the reviewer has taken. */
export type Prepared = { editing: number; inReview: number };
export type Shot = {
  /** the file in docs/guides/img, without .png */
  name: string;
  /** who is signed in (none: a visitor) */
  role?: Role;
  path: (p: Prepared) => string;
  /** phone width (390 px) instead of an office screen (1280 px) */
  phone?: boolean;
};

const COURSE = 'ethics-conflict-of-interest';
const EDITED = 'anti-corruption';
const EDITED_LESSON = '01-what-is-corruption';

export const SHOTS: Shot[] = [
  // the servant
  { name: 'servant-home', role: 'learner', path: () => '/ky/' },
  { name: 'servant-catalog', role: 'learner', path: () => '/ky/courses' },
  { name: 'servant-course', role: 'learner', path: () => `/ky/courses/${COURSE}` },
  { name: 'servant-lesson-phone', role: 'learner', path: () => `/ky/courses/${COURSE}/lessons/02-principles-of-conduct`, phone: true },
  { name: 'servant-my', role: 'learner', path: () => '/ky/my' },
  { name: 'servant-record', role: 'learner', path: () => '/ky/my/record' },
  { name: 'servant-account', role: 'learner', path: () => '/ky/account' },
  { name: 'public-verify', path: () => '/ky/verify' },
  // the trainer
  { name: 'trainer-author', role: 'trainer', path: () => '/ky/author' },
  { name: 'trainer-draft', role: 'trainer', path: (p) => `/ky/author/drafts/${p.editing}` },
  { name: 'trainer-lesson-editor', role: 'trainer', path: (p) => `/ky/author/drafts/${p.editing}/lessons/${EDITED_LESSON}` },
  { name: 'trainer-questions', role: 'trainer', path: (p) => `/ky/author/drafts/${p.editing}/questions` },
  { name: 'trainer-grading', role: 'trainer', path: () => '/ky/trainer/grading' },
  { name: 'trainer-analysis', role: 'trainer', path: () => '/ky/trainer/analysis' },
  // the academy's reviewer
  { name: 'reviewer-queue', role: 'reviewer', path: () => '/ky/academy/reviews' },
  { name: 'reviewer-review', role: 'reviewer', path: (p) => `/ky/academy/reviews/${p.inReview}` },
  { name: 'reviewer-dashboard', role: 'reviewer', path: () => '/ky/academy' },
  // the HR officer
  { name: 'hr-staff', role: 'hr', path: () => '/ky/hr' },
  { name: 'hr-compliance', role: 'hr', path: () => '/ky/hr/compliance' },
  { name: 'hr-assignments', role: 'hr', path: () => '/ky/hr/assignments' },
  { name: 'hr-plan', role: 'hr', path: () => '/ky/hr/plan' },
  { name: 'hr-verification', role: 'hr', path: () => '/ky/hr/verification' },
  { name: 'hr-reports', role: 'hr', path: () => '/ky/hr/reports' },
  { name: 'hr-import', role: 'hr', path: () => '/ky/hr/import' },
  // the administrator
  { name: 'admin-home', role: 'admin', path: () => '/ky/admin' },
  { name: 'admin-people', role: 'admin', path: () => '/ky/admin/people' },
  { name: 'admin-policy', role: 'admin', path: () => '/ky/admin/policy' },
  { name: 'admin-settings', role: 'admin', path: () => '/ky/admin/settings' },
  { name: 'admin-outbox', role: 'admin', path: () => '/ky/admin/outbox' },
  { name: 'admin-tokens', role: 'admin', path: () => '/ky/admin/tokens' },
  { name: 'admin-audit', role: 'admin', path: () => '/ky/admin/audit' },
];

/** The session cookie ("name=value") of a demo account. */
export async function signIn(base: string, role: Role): Promise<string> {
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { origin: base, 'content-type': 'application/json' },
    body: JSON.stringify({ email: `${role}@demo.kg`, password: DEMO_PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`sign-in of ${role}@demo.kg: ${res.status} ${await res.text()}`);
  return (res.headers.get('set-cookie') ?? '').split(';')[0]!;
}

async function post(base: string, cookie: string, path: string): Promise<{ id?: number }> {
  const res = await fetch(`${base}${path}`, { method: 'POST', headers: { origin: base, cookie } });
  if (!res.ok) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as { id?: number };
}

/**
 * Puts the demo into the state the guides show, through the API as the people would: the learner is
 * enrolled in a course, the trainer edits one course and has submitted another, which the reviewer took.
 */
export async function prepare(base: string): Promise<Prepared> {
  const [learner, trainer, reviewer] = await Promise.all([signIn(base, 'learner'), signIn(base, 'trainer'), signIn(base, 'reviewer')]);
  await post(base, learner, `/api/courses/${COURSE}/enrolments`);
  const editing = (await post(base, trainer, `/api/author/courses/${EDITED}/draft`)).id!;
  const inReview = (await post(base, trainer, `/api/author/courses/${COURSE}/draft`)).id!;
  await post(base, trainer, `/api/review/drafts/${inReview}/submit`);
  await post(base, reviewer, `/api/review/drafts/${inReview}/take`);
  return { editing, inReview };
}
