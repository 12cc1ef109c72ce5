import { beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { call, DEMO_PASSWORD, getDb, signIn, withDemo } from '../helpers';
import { auditLog, courses, outsideTrainings, planLines, users } from '@db/schema';
import { seedHrReportsDemo } from '@scripts/seed';
import { importCourseLibrary } from '@server/modules/catalog/service';
import { issueCertificate } from '@server/modules/certificates/service';
import { createPerson } from '@server/modules/people/service';

const db = () => getDb();
const person = (email: string) => db().select().from(users).where(eq(users.email, email)).get()!;
const NOW = new Date('2026-10-15T12:00:00Z');

type Line = { id: number; quarter: number; type: string; course: { id: number } | null; kind: string | null; term: string | null; people: number; actual: number };
type Plan = { organisation: { id: number }; year: number; lines: Line[]; quarters: { quarter: number; planned: number; actual: number }[] };

let ministryId: number;
let courseId: number;
let oshOrg: number;

beforeAll(async () => {
  await withDemo();
  importCourseLibrary(db(), 'tests/fixtures/courses');
  await seedHrReportsDemo(db(), NOW);
  ministryId = person('hr@demo.kg').organisationId!;
  courseId = db().select().from(courses).where(eq(courses.slug, 'ru-digital')).get()!.id;
  oshOrg = person('osh@demo.kg').organisationId!;
  await createPerson(db(), {
    email: 'hr-osh@demo.kg', password: DEMO_PASSWORD, fullName: 'Ош кадр', organisationId: oshOrg, locale: 'ru',
    roles: [{ role: 'learner' }, { role: 'hr', organisationId: oshOrg }],
  });
  // Osh city hall's servant took the course in Q3: never counted in the ministry's plan
  issueCertificate(db(), { userId: person('osh@demo.kg').id, courseId, sourceRef: 'plan:osh', completedAt: new Date('2026-08-05T08:00:00Z') }, NOW);
  // learner@ (ministry, budget unit) took it in Q3 too, and again the same quarter: one person
  issueCertificate(db(), { userId: person('learner@demo.kg').id, courseId, sourceRef: 'plan:1', completedAt: new Date('2026-08-01T08:00:00Z') }, NOW);
  issueCertificate(db(), { userId: person('learner@demo.kg').id, courseId, sourceRef: 'plan:2', completedAt: new Date('2026-09-01T08:00:00Z') }, NOW);
});

/** Different people of the ministry's subtree with a valid certificate of the course in that quarter, by SQL. */
function actualCourse(rootId: number, course: number, year: number, quarter: number): number {
  return db().get<{ n: number }>(sql`
    WITH RECURSIVE tree(id) AS (SELECT id FROM organisations WHERE id = ${rootId} UNION SELECT o.id FROM organisations o JOIN tree ON o.parent_id = tree.id)
    SELECT COUNT(DISTINCT c.user_id) AS n FROM certificates c JOIN users u ON u.id = c.user_id
    WHERE u.organisation_id IN (SELECT id FROM tree) AND c.revoked_at IS NULL AND c.course_id = ${course}
      AND substr(c.completed_on, 1, 4) = ${String(year)} AND (CAST(substr(c.completed_on, 6, 2) AS INTEGER) + 2) / 3 = ${quarter}`)!.n;
}
function actualTopic(rootId: number, kind: string, term: string, year: number, quarter: number): number {
  return db().get<{ n: number }>(sql`
    WITH RECURSIVE tree(id) AS (SELECT id FROM organisations WHERE id = ${rootId} UNION SELECT o.id FROM organisations o JOIN tree ON o.parent_id = tree.id)
    SELECT COUNT(DISTINCT x.user_id) AS n FROM outside_trainings x JOIN users u ON u.id = x.user_id
    WHERE u.organisation_id IN (SELECT id FROM tree) AND x.status = 'verified' AND x.kind = ${kind} AND x.term = ${term}
      AND substr(x.end_date, 1, 4) = ${String(year)} AND (CAST(substr(x.end_date, 6, 2) AS INTEGER) + 2) / 3 = ${quarter}`)!.n;
}

async function plan(cookie: string, query = `org=${ministryId}&year=2026`): Promise<Plan> {
  const res = await call(`/api/hr/plan?${query}`, { cookie });
  expect(res.status).toBe(200);
  return (await res.json()) as Plan;
}

describe('HR annual training plan', () => {
  it('the demo plan: every line’s actual equals the count from the database', async () => {
    const hr = await signIn('hr@demo.kg');
    const p = await plan(hr);
    expect(p.lines.length).toBe(5);
    for (const l of p.lines) {
      const want = l.type === 'course' ? actualCourse(ministryId, l.course!.id, 2026, l.quarter) : actualTopic(ministryId, l.kind!, l.term!, 2026, l.quarter);
      expect(l.actual, `line ${l.id}`).toBe(want);
    }
    expect(p.lines.some((l) => l.actual > 0)).toBe(true);
    // the revoked certificate of the demo does not count, the rejected retraining neither
    const total = p.quarters.reduce((n, q) => n + q.actual, 0);
    expect(total).toBe(p.lines.reduce((n, l) => n + l.actual, 0));
    for (const q of p.quarters) expect(q.planned).toBe(p.lines.filter((l) => l.quarter === q.quarter).reduce((n, l) => n + l.people, 0));
  });

  it('adds, changes and deletes lines, each recorded in the audit log', async () => {
    const hr = await signIn('hr@demo.kg');
    const add = await call('/api/hr/plan/lines', { method: 'POST', cookie: hr, json: { organisationId: ministryId, year: 2026, quarter: 3, type: 'course', courseId, people: 10 } });
    expect(add.status).toBe(201);
    const { id } = (await add.json()) as { id: number };
    let line = (await plan(hr)).lines.find((l) => l.id === id)!;
    // learner@ twice in Q3 = one person; the Osh servant is another body's
    expect(line).toMatchObject({ quarter: 3, type: 'course', people: 10, actual: actualCourse(ministryId, courseId, 2026, 3) });
    expect(line.actual).toBeGreaterThanOrEqual(1);
    const withOsh = db().get<{ n: number }>(sql`SELECT COUNT(DISTINCT user_id) AS n FROM certificates WHERE course_id = ${courseId} AND completed_on BETWEEN '2026-07-01' AND '2026-09-30' AND revoked_at IS NULL`)!.n;
    expect(line.actual).toBe(withOsh - 1);

    const put = await call(`/api/hr/plan/lines/${id}`, { method: 'PUT', cookie: hr, json: { organisationId: ministryId, year: 2026, quarter: 4, type: 'topic', topicKy: 'Гендердик бюджеттөө', kind: 'seminar', term: 'short', people: 3 } });
    expect(put.status).toBe(200);
    line = (await plan(hr)).lines.find((l) => l.id === id)!;
    expect(line).toMatchObject({ quarter: 4, type: 'topic', course: null, kind: 'seminar', term: 'short', people: 3, actual: actualTopic(ministryId, 'seminar', 'short', 2026, 4) });
    const stored = db().select().from(planLines).where(eq(planLines.id, id)).get()!;
    expect(stored).toMatchObject({ courseId: null, topicKy: 'Гендердик бюджеттөө', topicRu: null, updatedBy: person('hr@demo.kg').id });

    const del = await call(`/api/hr/plan/lines/${id}`, { method: 'DELETE', cookie: hr });
    expect(del.status).toBe(204);
    expect(db().select().from(planLines).where(eq(planLines.id, id)).get()).toBeUndefined();
    const trail = db().select().from(auditLog).where(eq(auditLog.targetId, String(id))).all().filter((a) => a.targetType === 'plan_line');
    expect(trail.map((a) => a.action)).toEqual(['plan.line_added', 'plan.line_changed', 'plan.line_deleted']);
    expect((trail[1]!.details as { before: { courseId: number } }).before.courseId).toBe(courseId);
    expect((await call(`/api/hr/plan/lines/${id}`, { method: 'DELETE', cookie: hr })).status).toBe(404);
  });

  it('a topic line counts verified outside trainings of its kind and term only', async () => {
    const hr = await signIn('hr@demo.kg');
    const before = db().select().from(outsideTrainings).all().length;
    expect(before).toBeGreaterThan(0);
    const res = await call('/api/hr/plan/lines', { method: 'POST', cookie: hr, json: { organisationId: ministryId, year: 2026, quarter: 2, type: 'topic', topicRu: 'Аудит', kind: 'retraining', term: 'long', people: 1 } });
    const { id } = (await res.json()) as { id: number };
    const line = (await plan(hr)).lines.find((l) => l.id === id)!;
    // the demo's only retraining was rejected
    expect(line.actual).toBe(0);
    expect(actualTopic(ministryId, 'retraining', 'long', 2026, 2)).toBe(0);
    expect(db().get<{ n: number }>(sql`SELECT COUNT(*) AS n FROM outside_trainings WHERE kind = 'retraining' AND status = 'rejected'`)!.n).toBe(1);
  });

  it('validates input with field codes', async () => {
    const hr = await signIn('hr@demo.kg');
    const base = { organisationId: ministryId, year: 2026, quarter: 1, people: 5 };
    const cases: [Record<string, unknown>, number, { code: string; field?: string }][] = [
      [{ ...base, type: 'course' }, 400, { code: 'course_required', field: 'courseId' }],
      [{ ...base, type: 'course', courseId: 999999 }, 400, { code: 'course_not_found', field: 'courseId' }],
      [{ ...base, type: 'topic', kind: 'seminar', term: 'short' }, 400, { code: 'topic_required', field: 'topicKy' }],
      [{ ...base, type: 'topic', topicKy: 'Тема', term: 'short' }, 400, { code: 'kind_required', field: 'kind' }],
      [{ ...base, type: 'topic', topicKy: 'Тема', kind: 'seminar' }, 400, { code: 'term_required', field: 'term' }],
      [{ ...base, type: 'topic', topicKy: 'Тема', kind: 'webinar', term: 'short' }, 400, { code: 'invalid_input', field: 'kind' }],
      [{ ...base, type: 'course', courseId, quarter: 5 }, 400, { code: 'invalid_input', field: 'quarter' }],
      [{ ...base, type: 'course', courseId, people: 0 }, 400, { code: 'invalid_input', field: 'people' }],
      [{ ...base, type: 'course', courseId, year: 1990 }, 400, { code: 'invalid_input', field: 'year' }],
      [{ ...base, type: 'x', courseId }, 400, { code: 'invalid_input', field: 'type' }],
    ];
    for (const [json, status, error] of cases) {
      const res = await call('/api/hr/plan/lines', { method: 'POST', cookie: hr, json });
      expect(res.status, JSON.stringify(json)).toBe(status);
      expect(await res.json()).toEqual({ error });
    }
    expect((await call('/api/hr/plan/lines', { method: 'POST', cookie: hr, body: '{', headers: { 'content-type': 'application/json' } })).status).toBe(400);
  });

  it('scope: another body’s HR officer gets 404 for this body’s plan and lines, and a learner 403', async () => {
    const hr = await signIn('hr@demo.kg');
    const ours = (await plan(hr)).lines[0]!;
    const osh = await signIn('hr-osh@demo.kg');
    const get = await call(`/api/hr/plan?org=${ministryId}&year=2026`, { cookie: osh });
    expect(get.status).toBe(404);
    expect(await get.json()).toEqual({ error: { code: 'organisation_not_found', field: 'org' } });
    const body = { organisationId: ministryId, year: 2026, quarter: 1, type: 'course', courseId, people: 1 };
    expect((await call('/api/hr/plan/lines', { method: 'POST', cookie: osh, json: body })).status).toBe(404);
    const put = await call(`/api/hr/plan/lines/${ours.id}`, { method: 'PUT', cookie: osh, json: { ...body, organisationId: oshOrg } });
    expect(put.status).toBe(404);
    expect(await put.json()).toEqual({ error: { code: 'plan_line_not_found' } });
    expect((await call(`/api/hr/plan/lines/${ours.id}`, { method: 'DELETE', cookie: osh })).status).toBe(404);
    expect(db().select().from(planLines).where(eq(planLines.id, ours.id)).get()).toMatchObject({ organisationId: ministryId, people: ours.people });
    // and the ministry's officer cannot move a line into another body either
    expect((await call(`/api/hr/plan/lines/${ours.id}`, { method: 'PUT', cookie: hr, json: { ...body, organisationId: oshOrg } })).status).toBe(404);
    // its own plan is its own: empty
    expect((await plan(osh, `org=${oshOrg}&year=2026`)).lines).toEqual([]);
    const learner = await signIn('learner@demo.kg');
    expect((await call(`/api/hr/plan?org=${ministryId}`, { cookie: learner })).status).toBe(403);
    expect((await call('/api/hr/plan/lines', { method: 'POST', cookie: learner, json: body })).status).toBe(403);
    expect((await call(`/api/hr/plan?org=${ministryId}`)).status).toBe(401);
  });

  it('scope of verification: another body’s officer can neither list, decide nor open this body’s outside trainings', async () => {
    const pending = db().select().from(outsideTrainings).where(eq(outsideTrainings.status, 'pending')).all();
    expect(pending.length).toBe(1);
    const item = pending[0]!;
    expect(item.scanFile).not.toBeNull();
    const osh = await signIn('hr-osh@demo.kg');
    const list = await call('/api/hr/records', { cookie: osh });
    expect(((await list.json()) as { records: unknown[] }).records).toEqual([]);
    const review = await call(`/api/hr/records/${item.id}/review`, { method: 'POST', cookie: osh, json: { status: 'verified' } });
    expect(review.status).toBe(404);
    expect((await call(`/api/records/outside/${item.id}/scan`, { cookie: osh })).status).toBe(404);
    expect(db().select().from(outsideTrainings).where(eq(outsideTrainings.id, item.id)).get()!.status).toBe('pending');
    // the body's own officer sees it, opens the scan, and must give a reason to reject
    const hr = await signIn('hr@demo.kg');
    const ours = (await (await call('/api/hr/records', { cookie: hr })).json()) as { records: { id: number; hasScan: boolean }[] };
    expect(ours.records).toEqual([expect.objectContaining({ id: item.id, hasScan: true })]);
    const scan = await call(`/api/records/outside/${item.id}/scan`, { cookie: hr });
    expect(scan.status).toBe(200);
    expect(new TextDecoder().decode((await scan.arrayBuffer()).slice(0, 5))).toBe('%PDF-');
    const noReason = await call(`/api/hr/records/${item.id}/review`, { method: 'POST', cookie: hr, json: { status: 'rejected', reason: ' ' } });
    expect(await noReason.json()).toEqual({ error: { code: 'reason_required', field: 'reason' } });
  });
});
