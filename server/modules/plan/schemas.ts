import { z } from '@hono/zod-openapi';
import { TRAINING_KINDS, TRAINING_TERMS } from '@db/domain';

const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
/** A whole number as JSON sends it or a form field spells it; anything else (true, [], "1e3") stays wrong. */
const wholeNumber = (v: unknown) => (typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : v);

export const Year = z.coerce.number().int().min(2000).max(2100).openapi({ example: 2026 });

/**
 * A plan line as the API and the page's form send it. `type: course` needs `courseId`;
 * `type: topic` needs a topic in at least one language, and the kind and term of training.
 */
export const PlanLineInput = z
  .object({
    organisationId: z.preprocess(wholeNumber, z.number().int().positive()).openapi({ description: 'One of your organisations (the body or a sub-unit)' }),
    year: Year,
    quarter: z.preprocess(wholeNumber, z.number().int().min(1).max(4)),
    type: z.enum(['course', 'topic']),
    courseId: z.preprocess((v) => wholeNumber(blank(v)), z.number().int().positive().optional()),
    topicKy: z.preprocess(blank, z.string().trim().max(300).optional()),
    topicRu: z.preprocess(blank, z.string().trim().max(300).optional()),
    kind: z.preprocess(blank, z.enum(TRAINING_KINDS).optional()),
    term: z.preprocess(blank, z.enum(TRAINING_TERMS).optional()),
    people: z.preprocess(wholeNumber, z.number().int().min(1).max(100000)),
  })
  .openapi('PlanLineInput');
export type PlanLineInputT = z.infer<typeof PlanLineInput>;

export const PlanQuery = z.object({
  org: z.coerce.number().int().positive().optional().openapi({ description: 'Organisation id; default your first organisation' }),
  year: Year.optional().openapi({ description: 'Default: this year' }),
});

export const PlanLineOut = z
  .object({
    id: z.number().int(),
    organisationId: z.number().int(),
    year: z.number().int(),
    quarter: z.number().int(),
    type: z.enum(['course', 'topic']),
    course: z.object({ id: z.number().int(), slug: z.string(), titleKy: z.string().nullable(), titleRu: z.string().nullable() }).nullable(),
    topicKy: z.string().nullable(),
    topicRu: z.string().nullable(),
    kind: z.string().nullable(),
    term: z.string().nullable(),
    people: z.number().int().openapi({ description: 'Planned number of people' }),
    actual: z.number().int().openapi({ description: 'People of the organisation (with its sub-units) trained in that quarter on the course, or, for a topic line, in a verified outside training of the same kind and term' }),
  })
  .openapi('PlanLine');

export const PlanOut = z
  .object({
    organisation: z.object({ id: z.number().int(), nameKy: z.string(), nameRu: z.string() }),
    year: z.number().int(),
    lines: z.array(PlanLineOut),
    quarters: z.array(z.object({ quarter: z.number().int(), planned: z.number().int(), actual: z.number().int() })),
  })
  .openapi('Plan');
