import { z } from '@hono/zod-openapi';
import { CATEGORIES } from '@db/domain';
import { FEEDBACK_QUESTIONS } from '../feedback/schemas';

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'a real date');

export const PeriodQuery = z.object({
  from: isoDate.optional().openapi({ description: 'Enrolments made on or after this day (YYYY-MM-DD, Bishkek time)', example: '2026-01-01' }),
  to: isoDate.optional().openapi({ description: 'Enrolments made on or before this day (inclusive)', example: '2026-12-31' }),
});

export const QualityQuery = PeriodQuery.extend({
  category: z.enum(CATEGORIES).optional().openapi({ description: 'Only courses of this direction' }),
  provider: z.string().regex(/^\d{1,12}$/).optional().openapi({ description: 'Only courses of this training provider: its `key` from `options.providers` (the organisation\'s id)', example: '7' }),
});

const Bilingual = z.object({ ky: z.string().nullable(), ru: z.string().nullable() });
/** A training provider: an organisation of the tree (kind `provider`); `key` is its id ('' for courses without one). */
const ProviderRef = z.object({ key: z.string(), code: z.string().nullable().openapi({ description: 'The organisation\'s e-Kyzmat code (what packages name it by)' }), name: Bilingual });
const Rating = z.object({
  average: z.number().nullable(),
  count: z.number().int(),
  distribution: z.array(z.number().int()).length(5).openapi({ description: 'How many answered 1, 2, 3, 4, 5' }),
});

export const FiguresSchema = z
  .object({
    enrolments: z.number().int().openapi({ description: 'Enrolments made in the period (withdrawn included)' }),
    started: z.number().int().openapi({ description: '…of which at least one lesson was viewed' }),
    completed: z.number().int(),
    completionRate: z.number().nullable().openapi({ description: 'completed / enrolments, percent' }),
    finalTakers: z.number().int().openapi({ description: 'Learners with a graded final-test attempt (once per learner and test)' }),
    finalPassed: z.number().int(),
    passRate: z.number().nullable().openapi({ description: 'finalPassed / finalTakers, percent' }),
    averageScore: z.number().nullable().openapi({ description: 'Mean final-test grade in percent, by the test’s grading method' }),
    medianDays: z.number().nullable().openapi({ description: 'Median days from enrolment to completion' }),
    feedback: z.object({
      count: z.number().int(),
      legacy: z.number().int().openapi({ description: 'Feedback from the earlier single-rating form (no answers to the four questions)' }),
      questions: z.object(Object.fromEntries(FEEDBACK_QUESTIONS.map((q) => [q, Rating])) as Record<(typeof FEEDBACK_QUESTIONS)[number], typeof Rating>),
    }),
  })
  .openapi('QualityFigures');

const CoverageSchema = z
  .object({
    lessons: z.number().int(),
    lessonsKy: z.number().int().openapi({ description: 'Lessons of the current version with Kyrgyz text' }),
    questions: z.number().int(),
    questionsKy: z.number().int().openapi({ description: 'Current bank questions with a Kyrgyz stem' }),
    lessonsPercent: z.number().nullable(),
    questionsPercent: z.number().nullable(),
  })
  .openapi('KyrgyzCoverage');

export const CourseQualitySchema = z
  .object({
    id: z.number().int(),
    slug: z.string(),
    title: Bilingual,
    category: z.enum(CATEGORIES),
    published: z.boolean(),
    provider: ProviderRef,
    figures: FiguresSchema,
    coverage: CoverageSchema,
    finalQuizzes: z.array(z.object({ id: z.number().int(), title: Bilingual })).openapi({ description: 'Item analysis of each: `/{ky,ru}/trainer/analysis/<id>`' }),
  })
  .openapi('CourseQuality');

export const QualityReportSchema = z
  .object({
    filter: QualityQuery,
    total: FiguresSchema,
    courses: z.array(CourseQualitySchema),
    providers: z.array(ProviderRef.extend({ courses: z.number().int(), figures: FiguresSchema, coverage: CoverageSchema })),
    options: z.object({ providers: z.array(ProviderRef), categories: z.array(z.enum(CATEGORIES)) }),
  })
  .openapi('QualityReport');

export const CourseDetailSchema = z
  .object({
    course: CourseQualitySchema,
    versions: z.array(z.object({ number: z.number().int(), createdAt: z.string(), current: z.boolean(), figures: FiguresSchema })),
    comments: z
      .array(
        z.object({
          text: z.string(),
          date: z.string(),
          version: z.number().int(),
          ...Object.fromEntries(FEEDBACK_QUESTIONS.map((q) => [q, z.number().int().nullable()])),
        }),
      )
      .openapi({ description: 'Survey comments, newest first, without names' }),
  })
  .openapi('CourseQualityDetail');
