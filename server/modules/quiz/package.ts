import { z } from 'zod';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PackageError } from '@server/lib/package-error';
import { Bilingual } from './types/common';
import { QUESTION_KINDS, questionType, type QuestionKind } from './types';

/** courses/<slug>/questions.json and quizzes.json (documented in courses/README.md). */
const slug = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'lowercase latin letters, digits and hyphens').max(80);

export const QuestionCommon = z.object({
  id: slug,
  category: slug,
  tags: z.array(z.string().regex(/^(topic|competency):[a-z0-9-]+$/, 'topic:<slug> or competency:<slug>')).max(10).default([]),
  kind: z.enum(QUESTION_KINDS as [QuestionKind, ...QuestionKind[]]),
  mark: z.number().positive().max(100).default(1),
  text: Bilingual,
  feedback: Bilingual.optional(),
});
export const COMMON_KEYS = ['id', 'category', 'tags', 'kind', 'mark', 'text', 'feedback'];

const QuestionsFile = z.strictObject({
  categories: z.array(z.strictObject({ id: slug, title: Bilingual })).min(1),
  questions: z.array(z.record(z.string(), z.unknown())).min(1),
});

export const QuizEntry = z
  .strictObject({
    id: slug,
    kind: z.enum(['module', 'final']),
    modulePosition: z.number().int().min(1).nullable().default(null),
    title: Bilingual,
    intro: Bilingual.optional(),
    draw: z.array(z.strictObject({ category: slug, count: z.number().int().min(1).max(200) })).min(1),
    shuffleQuestions: z.boolean().default(true),
    shuffleOptions: z.boolean().default(true),
    timeLimitMinutes: z.number().int().min(1).max(600).nullable().default(null),
    attempts: z.number().int().min(1).max(100).nullable().default(null),
    grading: z.enum(['highest', 'last', 'average']).default('highest'),
    passPercent: z.number().min(0).max(100),
    opensAt: z.iso.datetime({ offset: true }).nullable().default(null),
    closesAt: z.iso.datetime({ offset: true }).nullable().default(null),
    review: z.enum(['immediately', 'after_last_attempt', 'after_close', 'never']).default('after_last_attempt'),
  })
  .refine((q) => (q.kind === 'final') === (q.modulePosition === null), { message: 'a module quiz needs modulePosition; the final test has none', path: ['modulePosition'] });
const QuizzesFile = z.strictObject({ quizzes: z.array(QuizEntry).min(1) });

export type LoadedQuestion = {
  slug: string;
  category: string;
  tags: string[];
  kind: QuestionKind;
  mark: number;
  stem: Bilingual;
  feedback: Bilingual | null;
  options: unknown;
  hash: string;
};
export type LoadedQuiz = z.infer<typeof QuizEntry>;
export type LoadedQuizPackage = {
  categories: { id: string; title: Bilingual }[];
  questions: LoadedQuestion[];
  quizzes: LoadedQuiz[];
  /** the raw files, for the course package's hash */
  raw: string;
};

function readJson(file: string): { raw: string; json: unknown } {
  const raw = readFileSync(file, 'utf8');
  try {
    return { raw, json: JSON.parse(raw) };
  } catch (e) {
    throw new PackageError(file, `not valid JSON: ${(e as Error).message}`);
  }
}

function fail(file: string, error: z.ZodError, prefix = ''): never {
  const issue = error.issues[0]!;
  const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
  throw new PackageError(file, `${path || '(root)'}: ${issue.message}`);
}

/** An id for a choice, prompt or item that tells nothing about order or pairing, stable across edits. */
export function opaqueId(courseSlug: string, questionSlug: string, key: string): string {
  return 'x' + createHash('sha256').update(`${courseSlug}/${questionSlug}/${key}`).digest('hex').slice(0, 12);
}

/**
 * Reads and checks the quiz files of a course package. Returns null when the package has neither
 * file; throws PackageError naming the file and the reason for anything wrong.
 */
export function loadQuizPackage(dir: string, courseSlug: string, moduleCount: number): LoadedQuizPackage | null {
  const qFile = join(dir, 'questions.json');
  const zFile = join(dir, 'quizzes.json');
  const hasQ = existsSync(qFile);
  const hasZ = existsSync(zFile);
  if (!hasQ && !hasZ) return null;
  if (!hasQ) throw new PackageError(qFile, 'missing: quizzes.json needs a question bank');
  if (!hasZ) throw new PackageError(zFile, 'missing: questions.json needs quizzes.json');

  const q = readJson(qFile);
  const z1 = readJson(zFile);
  return { ...checkQuizPackage(q.json, z1.json, courseSlug, moduleCount, { questions: qFile, quizzes: zFile }), raw: q.raw + '\n' + z1.raw };
}

/**
 * Checks a question bank and quizzes given as JSON values (the contents of questions.json and
 * quizzes.json, from a package or a course draft). Throws PackageError naming `files` and the field.
 */
export function checkQuizPackage(
  questionsJson: unknown,
  quizzesJson: unknown,
  courseSlug: string,
  moduleCount: number,
  files: { questions: string; quizzes: string } = { questions: 'questions.json', quizzes: 'quizzes.json' },
): Omit<LoadedQuizPackage, 'raw'> {
  const qFile = files.questions;
  const zFile = files.quizzes;
  const q = { json: questionsJson };
  const qParsed = QuestionsFile.safeParse(q.json);
  if (!qParsed.success) fail(qFile, qParsed.error);
  const categoryIds = new Set<string>();
  for (const c of qParsed.data.categories) {
    if (categoryIds.has(c.id)) throw new PackageError(qFile, `category "${c.id}" is defined twice`);
    categoryIds.add(c.id);
  }
  const seen = new Set<string>();
  const questions = qParsed.data.questions.map((raw, i): LoadedQuestion => {
    const common = QuestionCommon.safeParse(Object.fromEntries(Object.entries(raw).filter(([k]) => COMMON_KEYS.includes(k))));
    if (!common.success) fail(qFile, common.error, `questions.${i}`);
    const c = common.data;
    if (seen.has(c.id)) throw new PackageError(qFile, `questions.${i}: question id "${c.id}" is used twice`);
    seen.add(c.id);
    if (!categoryIds.has(c.category)) throw new PackageError(qFile, `questions.${i}: unknown category "${c.category}"`);
    const type = questionType(c.kind);
    const specific = type.authored.safeParse(Object.fromEntries(Object.entries(raw).filter(([k]) => !COMMON_KEYS.includes(k))));
    if (!specific.success) fail(qFile, specific.error, `questions.${i}`);
    const options = type.build(specific.data, (key) => opaqueId(courseSlug, c.id, key));
    const hash = createHash('sha256').update(JSON.stringify([c, options])).digest('hex');
    return { slug: c.id, category: c.category, tags: c.tags, kind: c.kind, mark: c.mark, stem: c.text, feedback: c.feedback ?? null, options, hash };
  });

  const z1 = { json: quizzesJson };
  const zParsed = QuizzesFile.safeParse(z1.json);
  if (!zParsed.success) fail(zFile, zParsed.error);
  const quizIds = new Set<string>();
  let finals = 0;
  zParsed.data.quizzes.forEach((quiz, i) => {
    if (quizIds.has(quiz.id)) throw new PackageError(zFile, `quizzes.${i}: quiz id "${quiz.id}" is used twice`);
    quizIds.add(quiz.id);
    if (quiz.kind === 'final' && ++finals > 1) throw new PackageError(zFile, `quizzes.${i}: a course has at most one final test`);
    if (quiz.modulePosition !== null && quiz.modulePosition > moduleCount)
      throw new PackageError(zFile, `quizzes.${i}.modulePosition: the course has ${moduleCount} modules`);
    if (quiz.opensAt && quiz.closesAt && Date.parse(quiz.opensAt) >= Date.parse(quiz.closesAt))
      throw new PackageError(zFile, `quizzes.${i}.closesAt: must be after opensAt`);
    const drawn = new Set<string>();
    quiz.draw.forEach((rule, j) => {
      if (!categoryIds.has(rule.category)) throw new PackageError(zFile, `quizzes.${i}.draw.${j}: unknown category "${rule.category}"`);
      if (drawn.has(rule.category)) throw new PackageError(zFile, `quizzes.${i}.draw.${j}: category "${rule.category}" is drawn twice`);
      drawn.add(rule.category);
      const available = questions.filter((x) => x.category === rule.category).length;
      if (rule.count > available) throw new PackageError(zFile, `quizzes.${i}.draw.${j}: ${rule.count} questions wanted, category "${rule.category}" has ${available}`);
    });
  });
  return { categories: qParsed.data.categories, questions, quizzes: zParsed.data.quizzes };
}
