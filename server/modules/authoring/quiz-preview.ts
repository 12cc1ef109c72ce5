/**
 * Trying a draft's test as a learner would, before it is published: the trainer while writing it and
 * the academy's reviewer while checking it. The questions are drawn from the draft's bank by the
 * test's own rules, shown through the question types' learner view (no key), and graded by the
 * types' own graders — and nothing is stored: a preview is no attempt, so it never reaches item
 * analysis, results, records or certificates. The draw is made from a seed carried in the address, so
 * the answers sent are graded against the same questions that were shown.
 */
import type { DB } from '@db/client';
import { AppError } from '@server/lib/errors';
import type { SessionUser } from '@server/lib/session';
import { COMMON_KEYS, opaqueId } from '../quiz/package';
import { questionType, type QuestionKind } from '../quiz/types';
import type { Bilingual, FormReader, SummaryEntry } from '../quiz/types/common';
import { bankOf } from './bank';
import { fillMissing, type QuizJson } from './questions';
import { getDraft, mayRead } from './service';

export type PreviewQuestion = {
  /** its number in this preview (1…n), the form's field prefix `q<id>` */
  id: number;
  position: number;
  kind: QuestionKind;
  text: Bilingual;
  mark: number;
  /** what a learner's browser gets: no key */
  options: unknown;
  feedback: Bilingual | null;
  /** stored form, keys included: for grading only, never sent */
  stored: unknown;
};

export type PreviewResult = {
  score: number;
  maxScore: number;
  percent: number;
  /** null while an essay would wait for a trainer */
  passed: boolean | null;
  items: { question: PreviewQuestion; answered: SummaryEntry[]; right: SummaryEntry[]; fraction: number | null }[];
};

/** A small seeded generator (mulberry32): the same seed draws the same questions in the same order. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
function shuffled<T>(items: T[], next: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** The test drawn for a preview: who may read the draft may try its tests (its author, administrators, reviewers). */
export function previewQuiz(db: DB, draftId: number, quizId: string, user: SessionUser, seed: number): { draftId: number; quiz: QuizJson; questions: PreviewQuestion[] } {
  const draft = getDraft(db, draftId);
  if (!mayRead(draft, user)) throw new AppError('draft_not_found', 404);
  const bank = bankOf(draft);
  const quiz = bank.quizzes.quizzes.find((q) => q.id === quizId);
  if (!quiz) throw new AppError('quiz_not_found', 404);
  const next = random(seed);
  let drawn = quiz.draw.flatMap((rule) => shuffled(bank.questions.questions.filter((q) => q.category === rule.category), next).slice(0, rule.count));
  if (quiz.shuffleQuestions !== false) drawn = shuffled(drawn, next);
  // every question of a bank passed checkQuestion when it was saved; one that no longer reads (a kind's
  // rules changed since) is left out of the preview rather than failing it
  const readable = drawn.flatMap((raw) => {
    // a text still missing in one language is shown in the other, as the checks fill it
    const q = fillMissing(raw);
    const authored = questionType(q.kind).authored.safeParse(Object.fromEntries(Object.entries(q).filter(([k]) => !COMMON_KEYS.includes(k))));
    return authored.success ? [{ q, authored: authored.data }] : [];
  });
  const questions = readable.map(({ q, authored }, i): PreviewQuestion => {
    const type = questionType(q.kind);
    const stored = type.build(authored, (key) => opaqueId(draft.slug, q.id, key));
    const order = quiz.shuffleOptions !== false ? type.shuffleable(stored) : null;
    return {
      id: i + 1,
      position: i + 1,
      kind: q.kind,
      text: q.text,
      // a question without a right answer (questionnaire) carries no mark, as in a real attempt
      mark: type.ungraded ? 0 : typeof q.mark === 'number' ? q.mark : 1,
      options: type.forBrowser(stored, order ? shuffled(order, next) : null),
      feedback: (q.feedback as Bilingual | undefined) ?? null,
      stored,
    };
  });
  return { draftId, quiz, questions };
}

/** What was answered, to show back: the type's countable entries, or a written answer's text (an essay counts none). */
function answeredEntries(entries: SummaryEntry[], response: unknown): SummaryEntry[] {
  const text = (response as { text?: unknown }).text;
  return entries.length || typeof text !== 'string' ? entries : [{ key: 'text', label: { ky: text, ru: text } }];
}

/** Grades the answers of a preview form against the questions of the same seed; stores nothing. */
export function gradePreview(db: DB, draftId: number, quizId: string, user: SessionUser, seed: number, read: (name: string) => string[]): PreviewResult & { quiz: QuizJson } {
  const { quiz, questions } = previewQuiz(db, draftId, quizId, user, seed);
  let score = 0;
  let maxScore = 0;
  let waiting = false;
  const items = questions.map((question) => {
    const type = questionType(question.kind);
    const reader: FormReader = (suffix) => read(`q${question.id}${suffix}`);
    const given = type.fromForm(question.stored, reader);
    const parsed = given === null ? null : type.response.safeParse(given);
    const response = parsed?.success && type.fits(question.stored, parsed.data) ? parsed.data : null;
    const graded = response === null || type.ungraded ? { fraction: 0 } : type.grade(question.stored, response);
    if (graded === null) waiting = true;
    score += (graded?.fraction ?? 0) * question.mark;
    maxScore += question.mark;
    const right = type.correctResponse(question.stored);
    return {
      question,
      answered: response === null ? [] : answeredEntries(type.summary(question.stored, response), response),
      right: right === null ? [] : type.summary(question.stored, right),
      fraction: graded?.fraction ?? null,
    };
  });
  const percent = maxScore ? Math.round((score / maxScore) * 1000) / 10 : 0;
  return { quiz, score, maxScore, percent, passed: waiting ? null : percent >= Number(quiz.passPercent), items };
}
