/**
 * The questionnaire kind (personal qualities): statements rated on a scale, no right answer. It
 * scores into a profile (reversed items counted from the other end), never into the test's score,
 * pass, review or item analysis, and the person taking the test never sees the profile, nor which
 * quality a statement measures.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { call, getDb, signIn, withDemo } from '../helpers';
import { quizAttemptItems, quizAttempts, quizQuestions } from '@db/schema';
import { importCourseLibrary } from '@server/modules/catalog/service';
import { attemptProfile, saveAnswersFromForm } from '@server/modules/quiz/service';
import { checkQuestion, emptyBank, questionFromForm, type Bank } from '@server/modules/authoring/questions';
import { readXlsxTemplate, writeMoodleXml, writeXlsxTemplate } from '@server/modules/authoring/bank-formats';

const T = (ky: string, ru = ky) => ({ ky, ru });
// The kind itself (grading, profile, browser view, author form): server/modules/quiz/types/questionnaire/questionnaire.test.ts

describe('in a test', () => {
  let learner: string;
  let trainer: string;
  let quizId: number;
  let attempt: { attempt: { id: number }; questions: { id: number; kind: string; options: any; mark: number }[] };

  beforeAll(async () => {
    await withDemo();
    importCourseLibrary(getDb(), 'tests/fixtures/questionnaire-courses');
    learner = await signIn('learner@demo.kg');
    trainer = await signIn('trainer@demo.kg');
    expect((await call('/api/courses/qualities-demo/enrolments', { method: 'POST', cookie: learner })).status).toBe(201);
    quizId = (await (await call('/api/courses/qualities-demo/quizzes')).json()).quizzes[0].id;
    const res = await call(`/api/quizzes/${quizId}/attempts`, { method: 'POST', cookie: learner });
    expect(res.status).toBe(201);
    attempt = await res.json();
  });

  it('carries no mark: the attempt’s maximum is the law questions’ marks only', () => {
    const q = attempt.questions.filter((x) => x.kind === 'questionnaire');
    expect(q).toHaveLength(2);
    expect(q.every((x) => x.mark === 0)).toBe(true);
    expect(getDb().select().from(quizAttempts).where(eq(quizAttempts.id, attempt.attempt.id)).get()!.maxScore).toBe(4);
    expect(JSON.stringify(attempt)).not.toMatch(/responsibility|"stress"|reversed|"quality"|Жоопкерчилик/);
  });

  it('saves ratings by sequence number like any answer, and refuses ratings that do not fit', async () => {
    const q1 = attempt.questions.find((x) => x.kind === 'questionnaire' && x.options.statements.length === 3)!;
    const ids = q1.options.statements.map((s: { id: string }) => s.id) as string[];
    const put = (json: unknown) => call(`/api/attempts/${attempt.attempt.id}/answers/${q1.id}`, { method: 'PUT', json, cookie: learner });
    expect((await put({ response: { ratings: { [ids[0]!]: 9 } }, seq: 1 })).status).toBe(400);
    expect((await put({ response: { ratings: { 'not-a-statement': 3 } }, seq: 1 })).status).toBe(400);
    expect((await put({ response: { ratings: 'x' }, seq: 1 })).status).toBe(400);
    const ok = await put({ response: { ratings: { [ids[0]!]: 4 } }, seq: 1 });
    expect(ok.status).toBe(200);
    expect((await (await put({ response: { ratings: { [ids[0]!]: 1 } }, seq: 1 })).json()).applied).toBe(false); // a repeated seq changes nothing
  });

  it('is read from a plain form too (JavaScript off): one radio group per statement', async () => {
    const rows = getDb().select({ item: quizAttemptItems, question: quizQuestions }).from(quizAttemptItems).innerJoin(quizQuestions, eq(quizQuestions.id, quizAttemptItems.questionId)).where(eq(quizAttemptItems.attemptId, attempt.attempt.id)).all();
    const form = new Map<string, string[]>();
    for (const { question } of rows) {
      const o = question.options as any;
      if (question.kind === 'questionnaire') {
        // the person agrees fully with every statement: responsibility r1 → 1, r2 (reversed) → 0; stress s1 → 1, s2 (reversed, 2-point) → 0
        for (const s of o.statements) form.set(`q${question.id}.${s.id}`, [String(o.scale.length)]);
      } else if (question.kind === 'single') form.set(`q${question.id}`, [o.choices.find((c: any) => c.correct).id]); // right
      else form.set(`q${question.id}`, ['false']); // wrong
    }
    const userId = getDb().select().from(quizAttempts).where(eq(quizAttempts.id, attempt.attempt.id)).get()!.userId;
    expect(saveAnswersFromForm(getDb(), attempt.attempt.id, userId, (name) => form.get(name) ?? [])).toBe(4);
  });

  it('does not count toward the percent or the pass, and the result shows no mark or verdict for it', async () => {
    const res = await call(`/api/attempts/${attempt.attempt.id}/submit`, { method: 'POST', cookie: learner });
    expect(res.status).toBe(200);
    const a = getDb().select().from(quizAttempts).where(eq(quizAttempts.id, attempt.attempt.id)).get()!;
    expect([a.score, a.maxScore, a.percent, a.passed, a.needsGrading]).toEqual([2, 4, 50, true, false]);
    const result = await (await call(`/api/attempts/${attempt.attempt.id}/result`, { cookie: learner })).json();
    const items = result.items.filter((i: any) => i.kind === 'questionnaire');
    expect(items).toHaveLength(2);
    for (const i of items) {
      expect(i.fraction).toBeUndefined();
      expect(i.correctResponse).toBeUndefined();
      expect(i.mark).toBe(0);
    }
    // the person sees their own ratings, never the profile, the qualities or the reversal
    expect(JSON.stringify(result)).not.toMatch(/responsibility|"stress"|reversed|"quality"|Жоопкерчилик|profile/);
  });

  it('gives the profile only through the service a commission calls', () => {
    expect(attemptProfile(getDb(), attempt.attempt.id).map((q) => [q.key, q.score])).toEqual([
      ['responsibility', 50],
      ['stress', 50],
    ]);
  });

  it('is left out of item analysis and cannot be regraded', async () => {
    const res = await call(`/api/quizzes/${quizId}/analysis`, { cookie: trainer });
    expect(res.status).toBe(200);
    const kinds = (await res.json()).items.map((i: any) => i.kind);
    expect(kinds.length).toBeGreaterThan(0);
    expect(kinds).not.toContain('questionnaire');
    const qid = getDb().select().from(quizQuestions).where(eq(quizQuestions.slug, 'qual-1')).get()!.id;
    const regrade = await call(`/api/questions/${qid}/regrade`, { method: 'POST', cookie: trainer });
    expect(regrade.status).toBe(409);
    expect((await regrade.json()).error.code).toBe('question_not_autograded');
  });
});

describe('authoring and bank files', () => {
  const categories = [{ id: 'qualities', title: T('Сапаттар') }];
  const form = (extra: [string, string][]): [string, string][] => [
    ['kind', 'questionnaire'], ['id', 'q1'], ['category', 'qualities'], ['mark', '1'], ['text.ky', 'Өзүңүз жөнүндө'], ['text.ru', 'О себе'],
    ...[1, 2, 3, 4, 5].flatMap((n, i): [string, string][] => [[`scale.${i}.ky`, `к${n}`], [`scale.${i}.ru`, `р${n}`]]),
    ['qualities.0.key', 'responsibility'], ['qualities.0.name.ky', 'Жоопкерчилик'], ['qualities.0.name.ru', 'Ответственность'],
    ['qualities.1.key', ''], ['qualities.1.name.ky', ''], ['qualities.1.name.ru', ''],
    ['statements.0.text.ky', 'Бүтүрөм'], ['statements.0.text.ru', 'Заканчиваю'], ['statements.0.quality', 'responsibility'],
    ['statements.1.text.ky', 'Калтырам'], ['statements.1.text.ru', 'Откладываю'], ['statements.1.quality', 'responsibility'], ['statements.1.reversed', 'on'],
    ['statements.2.text.ky', ''], ['statements.2.text.ru', ''], ['statements.2.quality', ''],
    ...extra,
  ];

  it('the author’s plain form reads back into a question (empty rows ignored, reversed ticked)', () => {
    const q = checkQuestion(questionFromForm(form([])), categories) as any;
    expect(q.kind).toBe('questionnaire');
    expect(q.scale).toHaveLength(5);
    expect(q.qualities).toEqual([{ key: 'responsibility', name: T('Жоопкерчилик', 'Ответственность') }]);
    expect(q.statements.map((s: any) => [s.quality, s.reversed])).toEqual([['responsibility', false], ['responsibility', true]]);
  });

  it('the form names the field of a statement whose quality is not listed', () => {
    let field = '';
    try {
      checkQuestion(questionFromForm(form([['statements.2.text.ky', 'Үчүнчү'], ['statements.2.text.ru', 'Третье'], ['statements.2.quality', 'nope']])), categories);
    } catch (e: any) {
      field = JSON.stringify(e);
    }
    expect(field).toMatch(/statements/);
  });

  it('Moodle XML and the XLSX template leave a questionnaire out rather than break; its XLSX row is refused on import', async () => {
    const q = checkQuestion(questionFromForm(form([])), categories);
    const single = checkQuestion({ id: 's1', category: 'qualities', kind: 'truefalse', text: T('Туура'), correct: true }, categories);
    const bank: Bank = { ...emptyBank(), questions: { categories, questions: [q, single] } };
    const xml = writeMoodleXml(bank);
    expect(xml).toContain('<question type="truefalse">');
    expect(xml).toContain('q1: a questionnaire');
    expect(xml).not.toContain('Бүтүрөм');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await writeXlsxTemplate(bank)) as unknown as ArrayBuffer);
    const kinds: string[] = [];
    wb.worksheets[0]!.eachRow((row, n) => n > 1 && kinds.push(String(row.getCell(5).value)));
    expect(kinds).toEqual(['truefalse']);
    const help: string[] = [];
    wb.getWorksheet('help')!.eachRow((row) => help.push(String(row.getCell(1).value)));
    expect(help).toContain('questionnaire');
    // a hand-written row of kind questionnaire reads as "kind not supported", never as a broken question
    const sheet = wb.worksheets[0]!;
    sheet.addRow(['x1', 'qualities', '', '', 'questionnaire', 1, '', 'Текст', 'Текст']);
    const parsed = await readXlsxTemplate(new Uint8Array(await wb.xlsx.writeBuffer()));
    expect(parsed.find((p) => p.sourceKind === 'questionnaire')!.problems).toContain('import_kind_unsupported');
  });
});
