/**
 * Trying a draft's test as a learner, before publication (authoring/quiz-preview.ts): its author and the
 * academy's reviewers may; nobody else learns the draft exists; no key reaches the page; the same seed
 * shows the same questions; and a preview stores nothing — no attempt, no answer, no draft change —
 * so it never reaches analysis, results, records or certificates.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { getDb, withDemo } from '../helpers';
import { courseDrafts, users } from '@db/schema';
import { importCourseLibrary } from '@server/modules/catalog/service';
import { draftFromPublished, getDraft } from '@server/modules/authoring/service';
import { gradePreview, previewQuiz } from '@server/modules/authoring/quiz-preview';
import { questionType } from '@server/modules/quiz/types';
import type { SessionUser } from '@server/lib/session';

const actor = (email: string): SessionUser => {
  const u = getDb().select().from(users).where(eq(users.email, email)).get()!;
  const roles = getDb().all<{ role: string }>(sql`SELECT role FROM user_roles WHERE user_id = ${u.id}`).map((r) => r.role);
  return { ...u, roles } as unknown as SessionUser;
};
let draftId = 0;
let finalId = '';

beforeAll(async () => {
  await withDemo();
  const dir = mkdtempSync(join(tmpdir(), 'bilim-preview-'));
  cpSync(join('courses', 'ethics-conflict-of-interest'), join(dir, 'ethics-conflict-of-interest'), { recursive: true });
  cpSync('courses/providers.json', join(dir, 'providers.json'));
  importCourseLibrary(getDb(), dir);
  const d = draftFromPublished(getDb(), 'ethics-conflict-of-interest', actor('trainer@demo.kg'));
  draftId = d.id;
  finalId = (d.content.quizzes.quizzes as { id: string; kind: string }[]).find((q) => q.kind === 'final')!.id;
});

const counts = () => getDb().get<{ attempts: number; items: number }>(sql`SELECT (SELECT count(*) FROM quiz_attempts) AS attempts, (SELECT count(*) FROM quiz_attempt_items) AS items`)!;

describe('trying a draft’s test', () => {
  it('its author and a reviewer may; a learner, HR and another trainer are told it does not exist', () => {
    expect(previewQuiz(getDb(), draftId, finalId, actor('trainer@demo.kg'), 1).questions.length).toBe(15);
    expect(previewQuiz(getDb(), draftId, finalId, actor('reviewer@demo.kg'), 1).questions.length).toBe(15);
    for (const email of ['learner@demo.kg', 'hr@demo.kg']) {
      expect(() => previewQuiz(getDb(), draftId, finalId, actor(email), 1)).toThrow(expect.objectContaining({ code: 'draft_not_found', status: 404 }));
    }
    expect(() => previewQuiz(getDb(), draftId, 'no-such-test', actor('reviewer@demo.kg'), 1)).toThrow(expect.objectContaining({ code: 'quiz_not_found' }));
  });

  it('draws by the test’s rules from a seed: the same seed the same questions, another seed another draw; no key in what the page gets', () => {
    const reviewer = actor('reviewer@demo.kg');
    const a = previewQuiz(getDb(), draftId, finalId, reviewer, 42).questions;
    const b = previewQuiz(getDb(), draftId, finalId, reviewer, 42).questions;
    expect(a.map((q) => [q.text, q.options])).toEqual(b.map((q) => [q.text, q.options]));
    const draws = new Set(Array.from({ length: 5 }, (_, i) => JSON.stringify(previewQuiz(getDb(), draftId, finalId, reviewer, 100 + i).questions.map((q) => q.text.ky))));
    expect(draws.size).toBeGreaterThan(1);
    for (const q of a) {
      expect(JSON.stringify(q.options)).not.toMatch(/"correct"|"tolerance"/);
      const right = questionType(q.kind).correctResponse(q.stored) as { text?: string; value?: number } | null;
      if (right?.text) expect(JSON.stringify(q.options)).not.toContain(right.text);
    }
  });

  it('right answers pass, none fail; and nothing is stored: no attempt, no answer, the draft unchanged', () => {
    const reviewer = actor('reviewer@demo.kg');
    const before = counts();
    const revision = getDraft(getDb(), draftId).revision;
    const { questions } = previewQuiz(getDb(), draftId, finalId, reviewer, 7);
    // the form a learner who knows the answers would send (through each kind's own form reader)
    const form = new Map<string, string[]>();
    for (const q of questions) {
      const type = questionType(q.kind);
      const right = type.correctResponse(q.stored) as Record<string, unknown> | null;
      if (!right) {
        form.set(`q${q.id}`, ['Менин жообум: адегенде жетекчиге жазуу жүзүндө билдирем, анан чечимге катышпайм.']);
        continue;
      }
      if ('choice' in right) form.set(`q${q.id}`, [String(right.choice)]);
      else if ('choices' in right) form.set(`q${q.id}`, (right.choices as string[]).map(String));
      else if ('value' in right) form.set(`q${q.id}`, [String(right.value)]);
      else if ('text' in right) form.set(`q${q.id}`, [String(right.text)]);
      else if ('matches' in right) for (const [p, ans] of Object.entries(right.matches as Record<string, string>)) form.set(`q${q.id}.${p}`, [ans]);
      else if ('order' in right) (right.order as string[]).forEach((id, i) => form.set(`q${q.id}.${id}`, [String(i + 1)]));
    }
    const good = gradePreview(getDb(), draftId, finalId, reviewer, 7, (name) => form.get(name) ?? []);
    const unreadable = good.items.filter((i) => i.question.kind !== 'essay' && i.fraction !== 1).map((i) => `${i.question.kind}: ${i.fraction}`);
    expect(unreadable).toEqual([]);
    // an essay waits for a trainer: the preview says so rather than pass or fail
    const essays = good.items.filter((i) => i.question.kind === 'essay');
    expect(essays.every((i) => i.fraction === null && i.answered.length > 0)).toBe(true);
    expect(good.passed).toBe(essays.length ? null : true);
    if (!essays.length) expect(good.percent).toBe(100);
    const empty = gradePreview(getDb(), draftId, finalId, reviewer, 7, () => []);
    expect(empty).toMatchObject({ percent: 0, passed: false });
    expect(empty.items.every((i) => i.answered.length === 0 && (i.question.kind === 'essay' || i.right.length > 0))).toBe(true);
    expect(counts()).toEqual(before);
    expect(getDraft(getDb(), draftId).revision).toBe(revision);
    expect(getDb().select().from(courseDrafts).where(eq(courseDrafts.id, draftId)).get()!.state).toBe('draft');
  });
});
