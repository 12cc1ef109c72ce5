import { z } from '@hono/zod-openapi';
import { QUESTION_KINDS, type QuestionKind } from './types';

const Text = z.object({ ky: z.string(), ru: z.string() }).openapi('QuizText');
const Id = z.coerce.number().int().positive().max(2 ** 31);

export const QuizIdParam = z.object({ id: Id.openapi({ param: { name: 'id', in: 'path' }, example: 1 }) });
export const AttemptIdParam = QuizIdParam;
export const AnswerParams = z.object({
  id: Id.openapi({ param: { name: 'id', in: 'path' }, example: 1 }),
  questionId: Id.openapi({ param: { name: 'questionId', in: 'path' }, example: 12 }),
});
export const CourseSlugParam = z.object({ slug: z.string().max(100).openapi({ param: { name: 'slug', in: 'path' } }) });

export const QuizSummary = z
  .object({
    id: z.number().int(),
    courseSlug: z.string(),
    kind: z.enum(['module', 'final']),
    modulePosition: z.number().int().nullable().openapi({ description: '1-based module position; null for the final test' }),
    title: Text,
    intro: Text.nullable(),
    questionCount: z.number().int(),
    timeLimitSeconds: z.number().int().nullable(),
    attemptsAllowed: z.number().int().nullable().openapi({ description: 'null: unlimited' }),
    gradingMethod: z.enum(['highest', 'last', 'average']),
    passPercent: z.number(),
    opensAt: z.string().nullable(),
    closesAt: z.string().nullable(),
    review: z.enum(['immediately', 'after_last_attempt', 'after_close', 'never']).openapi({ description: 'When correct answers may be reviewed' }),
  })
  .openapi('QuizSummary');

export const AttemptSummary = z
  .object({
    id: z.number().int(),
    number: z.number().int(),
    status: z.enum(['in_progress', 'finished']),
    startedAt: z.string(),
    deadlineAt: z.string().nullable().openapi({ description: 'Fixed by the server at start; answers after it are refused' }),
    finishedAt: z.string().nullable(),
    closedBy: z.enum(['learner', 'deadline']).nullable(),
    score: z.number().nullable(),
    maxScore: z.number(),
    percent: z.number().nullable().openapi({ description: 'null while in progress or while an essay waits for a trainer' }),
    passed: z.boolean().nullable(),
    needsGrading: z.boolean(),
  })
  .openapi('AttemptSummary');

export const QuizDetail = z
  .object({ quiz: QuizSummary, attempts: z.array(AttemptSummary), canStart: z.boolean(), blocker: z.string().nullable(), grade: z.number().nullable(), passed: z.boolean() })
  .openapi('QuizDetail');

export const AttemptQuestion = z
  .object({
    id: z.number().int().openapi({ description: 'the questionId of the answer path' }),
    position: z.number().int(),
    kind: z.enum(QUESTION_KINDS as [QuestionKind, ...QuestionKind[]]),
    text: Text,
    mark: z.number(),
    options: z.unknown().openapi({ description: 'What the kind shows, in this attempt’s order, without any key: choices [{id,text}], prompts/answers, items, unit, minWords' }),
    response: z.unknown().nullable().openapi({ description: 'The saved response, or null' }),
    seq: z.number().int().openapi({ description: 'Sequence number of the saved response (0: none yet)' }),
    savedAt: z.string().nullable(),
  })
  .openapi('AttemptQuestion');

export const AttemptDetail = z.object({ attempt: AttemptSummary, quizId: z.number().int(), serverTime: z.string(), questions: z.array(AttemptQuestion) }).openapi('AttemptDetail');

export const AnswerBody = z
  .object({
    response: z.unknown().openapi({
      description:
        'By kind: single {choice}, multiple {choices:[]}, truefalse {value}, short {text}, numeric {value}, matching {matches:{promptId:answerId}}, ordering {order:[]}, essay {text}, questionnaire {ratings:{statementId:1..n}}; null clears the answer',
    }),
    seq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).openapi({ description: 'Client sequence number, increasing per question; a save with a seq not above the stored one changes nothing' }),
  })
  .openapi('AnswerBody');
export const AnswerSaved = z.object({ questionId: z.number().int(), seq: z.number().int(), savedAt: z.string().nullable(), applied: z.boolean() }).openapi('AnswerSaved');

const Entry = z.object({ key: z.string(), label: Text });
export const AttemptResult = z
  .object({
    attempt: AttemptSummary,
    quizId: z.number().int(),
    passPercent: z.number(),
    review: z.boolean().openapi({ description: 'Whether correct answers are included (the quiz’s review setting)' }),
    quizGrade: z.number().nullable(),
    quizPassed: z.boolean(),
    items: z.array(
      z.object({
        id: z.number().int(),
        position: z.number().int(),
        kind: z.string(),
        text: Text,
        mark: z.number(),
        response: z.unknown().nullable(),
        yourAnswer: z.array(Entry),
        keyWithheld: z.boolean().optional().openapi({ description: 'The key of this question is not shown yet: it can still be drawn in a test of the course the learner has not finished (the final test)' }),
        fraction: z.number().nullable().optional(),
        correctResponse: z.unknown().optional(),
        rightAnswer: z.array(Entry).optional(),
        feedback: Text.nullable().optional(),
        comment: z.string().nullable().optional(),
      }),
    ),
  })
  .openapi('AttemptResult');

export const QueueItem = z
  .object({
    itemId: z.number().int(),
    attemptId: z.number().int(),
    quizId: z.number().int(),
    quizTitle: Text,
    courseTitle: Text,
    learnerName: z.string(),
    finishedAt: z.string().nullable(),
    question: Text,
    response: z.string(),
    rubric: z.array(z.object({ criterion: Text, points: z.number().int() })),
  })
  .openapi('EssayQueueItem');

export const GradeBody = z
  .object({
    points: z.array(z.number().min(0).max(100)).min(1).max(10).openapi({ description: 'Points per rubric criterion, in the rubric’s order' }),
    comment: z.string().max(5000).default(''),
  })
  .openapi('EssayGrade');

export const Analysis = z
  .object({
    quizId: z.number().int(),
    attempts: z.number().int(),
    meanPercent: z.number().nullable(),
    items: z.array(
      z.object({
        questionId: z.number().int(),
        slug: z.string(),
        kind: z.string(),
        text: Text,
        versions: z.number().int(),
        attempts: z.number().int(),
        facility: z.number().nullable().openapi({ description: 'Mean score on the question, percent of its mark' }),
        discrimination: z.number().nullable().openapi({ description: 'Correlation ×100 between the question score and the rest of the test' }),
        options: z.array(z.object({ key: z.string(), label: Text, count: z.number().int(), correct: z.boolean() })),
        unanswered: z.number().int(),
      }),
    ),
  })
  .openapi('ItemAnalysis');
