/**
 * Access control, generated from /api/openapi.json: every route × every role against the expectation
 * table below. A route the API documents without a line here fails the suite, and so does a line for a
 * route that no longer exists. Every request runs inside a rolled-back transaction, so each one sees
 * the same fixtures (tests/security.ts builds them: the learner's enrolment, attempts, outside
 * training, certificate; another body's HR officer; a reset link…).
 *
 * HOW TO ADD A ROUTE: one line in ACCESS, columns in the order of the header comment. A cell is the
 * expected status, or 'A|B' when either is right (say why in a comment). Path parameters the line does
 * not fill get a nonexistent id (999999); pass real ones with the optional last element, which also
 * carries the body: (f) => ({ params: { id: f.outsideId }, json: {...} | form: {...}, query: {...} }).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { call } from '../helpers';
import { loginLimiter } from '../../server/modules/auth/rate-limit';
import { DEMO_PASSWORD } from '../../db/seed';
import {
  buildFixtures, fillPath, openapiOperations, outsideFields, PDF_BYTES, rolledBack, ROLES,
  type Fixtures, type Operation, type RoleName,
} from '../security';

type Cell = number | `${number}|${number}`;
type Req = { params?: Record<string, string | number>; query?: Record<string, string>; json?: unknown; form?: Record<string, string>; scan?: boolean };
type Row = [route: string, anon: Cell, learner: Cell, trainer: Cell, hr: Cell, hrOther: Cell, reviewer: Cell, admin: Cell, req?: (f: Fixtures) => Req];

const policy = { periodYears: 3, minHours: null, dueSoonDays: 90, reminderDays: [30, 7], certificateFormat: 'BLM-{YYYY}-{CODE}' };
const orgBody = { nameKy: 'Сыноо мекемеси', nameRu: 'Тестовое учреждение', kind: 'state_body', service: 'state', region: 'bishkek' };

// prettier-ignore
const ACCESS: Row[] = [
  // route                                          anon learner trainer hr  hrOther reviewer admin  request
  // ---- public ----
  ['GET /api/health',                               200, 200, 200, 200, 200, 200, 200],
  ['GET /api/courses',                              200, 200, 200, 200, 200, 200, 200],
  ['GET /api/courses/{slug}',                       200, 200, 200, 200, 200, 200, 200, (f) => ({ params: { slug: f.courseSlug } })],
  ['GET /api/courses/{slug}/quizzes',               200, 200, 200, 200, 200, 200, 200, (f) => ({ params: { slug: f.quizCourseSlug } })],
  ['GET /api/certificates/{code}/verify',           200, 200, 200, 200, 200, 200, 200, (f) => ({ params: { code: f.certCode } })],
  ['POST /api/auth/login',                          200, 200, 200, 200, 200, 200, 200, () => ({ json: { email: 'learner@demo.kg', password: DEMO_PASSWORD } })],
  // a valid one-time link sets the password whoever sends it: the token is the proof
  ['POST /api/auth/password-reset',                 200, 200, 200, 200, 200, 200, 200, (f) => ({ json: { token: f.resetToken, password: 'a-new-long-password' } })],
  // ---- any signed-in user ----
  ['POST /api/auth/logout',                         401, 200, 200, 200, 200, 200, 200],
  ['GET /api/me',                                   401, 200, 200, 200, 200, 200, 200],
  ['GET /api/me/certificates',                      401, 200, 200, 200, 200, 200, 200],
  ['GET /api/me/record',                            401, 200, 200, 200, 200, 200, 200],
  ['GET /api/me/record.pdf',                        401, 200, 200, 200, 200, 200, 200],
  ['GET /api/media/{sha256}',                       401, 200, 200, 200, 200, 200, 200, (f) => ({ params: { sha256: f.mediaSha } })],
  ['GET /api/quizzes/{id}',                         401, 200, 200, 200, 200, 200, 200, (f) => ({ params: { id: f.quizId } })],
  // the holder, HR over the holder, reviewer and admin; anyone else is told it does not exist
  ['GET /api/certificates/{file}',                  401, 200, 404, 200, 404, 200, 200, (f) => ({ params: { file: `${f.certCode}.pdf` } })],
  // for yourself, or as HR for your own servants (here: userId = the learner)
  ['POST /api/records/outside',                     401, 201, 404, 201, 404, 404, 404, (f) => ({ form: outsideFields({ userId: String(f.learnerId) }), scan: true })],
  ['GET /api/records/outside/{id}/scan',            401, 200, 404, 200, 404, 404, 404, (f) => ({ params: { id: f.outsideId } })],
  // the learner's own self-enrolment, or HR over the learner
  ['POST /api/enrolments/{id}/withdrawal',          401, 200, 404, 200, 404, 404, 404, (f) => ({ params: { id: f.enrolmentId } })],
  // staff (trainer, reviewer, admin) see any attempt; other learners are told it does not exist
  ['GET /api/attempts/{id}',                        401, 200, 200, 404, 404, 200, 200, (f) => ({ params: { id: f.attemptOpenId } })],
  // staff see any finished attempt's result with the review; other learners are told it does not exist
  ['GET /api/attempts/{id}/result',                 401, 200, 200, 404, 404, 200, 200, (f) => ({ params: { id: f.attemptDoneId } })],
  // ---- learners ----
  ['GET /api/me/enrolments',                        401, 200, 200, 200, 200, 403, 403],
  // the learner is already enrolled (200); the trainer's profile has no service or group (403 eligibility_profile_incomplete)
  ['POST /api/courses/{slug}/enrolments',           401, 200, 403, 201, 201, 403, 403, (f) => ({ params: { slug: f.courseSlug } })],
  // learners not enrolled in the lesson's course: 403 not_enrolled
  ['POST /api/lessons/{id}/progress',               401, 200, 403, 403, 403, 403, 403, (f) => ({ params: { id: f.lessonId }, json: { seq: 1, read: true } })],
  ['POST /api/enrolments/{id}/feedback',            401, 200, 404, 404, 404, 403, 403, (f) => ({ params: { id: f.enrolmentId }, json: { rating: 5 } })],
  ['POST /api/quizzes/{id}/attempts',               401, 201, 201, 201, 201, 403, 403, (f) => ({ params: { id: f.quizId } })],
  ['PUT /api/attempts/{id}/answers/{questionId}',   401, 200, 404, 404, 404, 403, 403, (f) => ({ params: { id: f.attemptOpenId, questionId: f.openQuestionId }, json: { response: null, seq: 1 } })],
  ['POST /api/attempts/{id}/submit',                401, 200, 404, 404, 404, 403, 403, (f) => ({ params: { id: f.attemptOpenId } })],
  // ---- trainers, reviewers, admins ----
  ['GET /api/grading/essays',                       401, 403, 200, 403, 403, 200, 200],
  ['POST /api/grading/essays/{id}',                 401, 403, 200, 403, 403, 200, 200, (f) => ({ params: { id: f.essayItemId }, json: { points: [2, 1], comment: 'Жакшы' } })],
  ['GET /api/quizzes/{id}/analysis',                401, 403, 200, 403, 403, 200, 200, (f) => ({ params: { id: f.quizId } })],
  ['POST /api/questions/{id}/regrade',              401, 403, 200, 403, 403, 403, 200, (f) => ({ params: { id: f.autoQuestionId } })],
  ['POST /api/certificates/{code}/revoke',          401, 403, 403, 403, 403, 200, 200, (f) => ({ params: { code: f.certCode }, json: { reason: 'Ошибка в документе' } })],
  // ---- HR, scoped to its organisations ----
  ['GET /api/hr/staff',                             401, 403, 403, 200, 200, 403, 403],
  ['GET /api/hr/records',                           401, 403, 403, 200, 200, 403, 403],
  ['POST /api/hr/records/{id}/review',              401, 403, 403, 200, 404, 403, 403, (f) => ({ params: { id: f.outsideId }, json: { status: 'verified' } })],
  ['POST /api/hr/assignments',                      401, 403, 403, 200, 404, 403, 403, (f) => ({ json: { courseSlug: f.courseSlug, userIds: [f.learnerId], dueDate: '2099-12-31' } })],
  ['GET /api/hr/export/completions',                401, 403, 403, 200, 200, 403, 403],
  // ---- administration ----
  ['GET /api/admin/people',                         401, 403, 403, 403, 403, 403, 200],
  ['GET /api/admin/people/{id}',                    401, 403, 403, 403, 403, 403, 200, (f) => ({ params: { id: f.personId } })],
  ['POST /api/admin/people/{id}/roles',             401, 403, 403, 403, 403, 403, 200, (f) => ({ params: { id: f.personId }, json: { role: 'trainer' } })],
  ['DELETE /api/admin/people/{id}/roles/{grantId}', 401, 403, 403, 403, 403, 403, 200, (f) => ({ params: { id: f.personId, grantId: f.grantId } })],
  ['POST /api/admin/people/{id}/lock',              401, 403, 403, 403, 403, 403, 200, (f) => ({ params: { id: f.personId } })],
  // not locked: 409 is the admin's answer, everyone else is stopped before
  ['POST /api/admin/people/{id}/unlock',            401, 403, 403, 403, 403, 403, 409, (f) => ({ params: { id: f.personId } })],
  ['POST /api/admin/people/{id}/password-reset',    401, 403, 403, 403, 403, 403, 200, (f) => ({ params: { id: f.personId } })],
  ['GET /api/admin/organisations',                  401, 403, 403, 403, 403, 403, 200],
  ['POST /api/admin/organisations',                 401, 403, 403, 403, 403, 403, 201, () => ({ json: orgBody })],
  ['PATCH /api/admin/organisations/{id}',           401, 403, 403, 403, 403, 403, 200, (f) => ({ params: { id: f.organisationId }, json: { nameRu: 'Айыл окмоту Кара-Суу (новое)' } })],
  // people work there: closing is refused with 409 only once the admin is through
  ['POST /api/admin/organisations/{id}/close',      401, 403, 403, 403, 403, 403, 200, (f) => ({ params: { id: f.organisationId } })],
  ['POST /api/admin/organisations/{id}/reopen',     401, 403, 403, 403, 403, 403, 409, (f) => ({ params: { id: f.organisationId } })],
  ['POST /api/admin/organisations/import',          401, 403, 403, 403, 403, 403, 200, () => ({ json: { csv: 'name_ky,name_ru,kind,service,region,parent\nСыноо,Тест,state_body,state,bishkek,\n', apply: false } })],
  ['GET /api/admin/policy',                         401, 403, 403, 403, 403, 403, 200],
  ['PUT /api/admin/policy',                         401, 403, 403, 403, 403, 403, 200, () => ({ json: policy })],
  ['POST /api/admin/policy/preview',                401, 403, 403, 403, 403, 403, 200, () => ({ json: policy })],
  ['GET /api/admin/settings',                       401, 403, 403, 403, 403, 403, 200],
  ['PUT /api/admin/settings',                       401, 403, 403, 403, 403, 403, 200, () => ({ json: { smtpHost: 'mail.example.kg' } })],
  ['GET /api/admin/audit',                          401, 403, 403, 403, 403, 403, 200],
  ['GET /api/admin/audit/export',                   401, 403, 403, 403, 403, 403, 200],
];

export const ACCESS_TABLE = ACCESS;

let f: Fixtures;
let ops: Operation[];

beforeAll(async () => {
  f = await buildFixtures();
  ({ ops } = await openapiOperations());
}, 60_000);

/** The request a line describes, as `role` would send it. */
async function send(op: Operation, role: RoleName, row: Row | undefined): Promise<Response> {
  const req = row?.[8]?.(f) ?? {};
  let url = fillPath(op.path, req.params);
  if (req.query) url += `?${new URLSearchParams(req.query)}`;
  let body: BodyInit | undefined;
  if (req.form) {
    const form = new FormData();
    for (const [k, v] of Object.entries(req.form)) form.set(k, v);
    if (req.scan) form.set('scan', new File([PDF_BYTES], 'scan.pdf', { type: 'application/pdf' }));
    body = form;
  }
  loginLimiter.reset();
  return call(url, { method: op.method, cookie: f.cookies[role], json: req.json, body });
}

const matches = (cell: Cell, status: number) => String(cell).split('|').map(Number).includes(status);
const routeOf = (row: Row) => row[0].replace(/\s+/, ' ');

describe('access control (generated from /api/openapi.json)', () => {
  it('has exactly one expectation line per documented route', () => {
    const documented = new Set(ops.map((o) => o.key));
    const lines = ACCESS.map(routeOf);
    const missing = [...documented].filter((k) => !lines.includes(k));
    const stale = lines.filter((k) => !documented.has(k));
    const twice = lines.filter((k, i) => lines.indexOf(k) !== i);
    const template = (k: string) => `  ['${k}', 401, 403, 403, 403, 403, 403, 200], // fill in: anon learner trainer hr hrOther reviewer admin`;
    expect(
      [
        ...missing.map((k) => `route without an expectation — add to ACCESS in tests/api/access-control.test.ts:\n${template(k)}`),
        ...stale.map((k) => `expectation for a route that openapi.json no longer has — remove its line: ${k}`),
        ...twice.map((k) => `two lines for ${k}`),
      ],
    ).toEqual([]);
  });

  it('answers every route for every role as the table says', async () => {
    const byKey = new Map(ACCESS.map((r) => [routeOf(r), r]));
    const wrong: string[] = [];
    let checked = 0;
    for (const op of ops) {
      const row = byKey.get(op.key);
      if (!row) continue; // reported by the test above
      for (const [i, role] of ROLES.entries()) {
        const expected = row[i + 1] as Cell;
        const res = await rolledBack(() => send(op, role, row));
        const text = await res.text();
        checked++;
        if (!matches(expected, res.status)) {
          const code = res.headers.get('content-type')?.includes('json') ? text.slice(0, 120) : res.headers.get('content-type');
          wrong.push(`${op.key} as ${role}: expected ${expected}, got ${res.status} ${code}`);
        }
        if (res.status >= 400 && res.status !== 416) {
          expect(JSON.parse(text), `${op.key} as ${role}`).toMatchObject({ error: { code: expect.any(String) } });
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(checked).toBe(ops.filter((o) => byKey.has(o.key)).length * ROLES.length);
  }, 60_000);

  it('an unsafe request from another origin is refused before anything else, on every unsafe route', async () => {
    for (const op of ops.filter((o) => o.method !== 'GET')) {
      const res = await rolledBack(() =>
        call(fillPath(op.path), { method: op.method, cookie: f.cookies.admin, headers: { origin: 'https://evil.example' }, json: {} }),
      );
      expect(res.status, op.key).toBe(403);
      expect(await res.json(), op.key).toEqual({ error: { code: 'origin_mismatch' } });
    }
  });

  it('fixtures are real: the ids point at the learner’s own things', () => {
    expect(f.essayItemId).not.toBe(999999);
    expect(f.certCode).toMatch(/^BLM-/);
    expect(f.attemptDoneId).not.toBe(f.attemptOpenId);
  });
});
