import { z } from '@hono/zod-openapi';
import { ADMIN_GROUPS, CATEGORIES, LESSON_KINDS, LOCALES, POST_KINDS, SERVICES } from '@db/domain';

const Bilingual = z.object({ ky: z.string().nullable(), ru: z.string().nullable() }).openapi('Bilingual');

/** Query of the catalog. Empty strings count as "not given", so a plain HTML form can be sent as is. */
const blankToUndefined = (v: unknown) => (v === '' ? undefined : v);
export const CatalogQuery = z.object({
  q: z.preprocess(blankToUndefined, z.string().max(200).optional()).openapi({ description: 'Words to find; case, ё/е and ң/ө/ү typed as н/о/у do not matter', example: 'кызматчылар учун' }),
  lang: z.preprocess(blankToUndefined, z.enum(LOCALES).optional()).openapi({ description: 'Only courses complete in this language' }),
  category: z.preprocess(blankToUndefined, z.enum(CATEGORIES).optional()),
  service: z.preprocess(blankToUndefined, z.enum(SERVICES).optional()).openapi({ description: 'Audience: state or municipal service' }),
  group: z.preprocess(blankToUndefined, z.enum(ADMIN_GROUPS).optional()).openapi({ description: 'Audience: administrative group' }),
  hoursMin: z.preprocess(blankToUndefined, z.coerce.number().int().min(0).max(1000).optional()),
  hoursMax: z.preprocess(blankToUndefined, z.coerce.number().int().min(0).max(1000).optional()),
});

export const CourseSummary = z
  .object({
    slug: z.string(),
    category: z.enum(CATEGORIES),
    hours: z.number().int(),
    languages: z.array(z.enum(LOCALES)).openapi({ description: 'Languages the course is complete in' }),
    title: Bilingual,
    summary: Bilingual,
    provider: Bilingual,
    audience: z.object({
      services: z.array(z.enum(SERVICES)),
      postKinds: z.array(z.enum(POST_KINDS)),
      groups: z.array(z.enum(ADMIN_GROUPS)),
    }),
  })
  .openapi('CourseSummary');

export const CourseDetail = CourseSummary.extend({
  description: Bilingual,
  objectives: z.object({ ky: z.array(z.string()), ru: z.array(z.string()) }),
  modules: z.array(
    z.object({
      position: z.number().int(),
      title: Bilingual,
      lessons: z.array(
        z.object({ id: z.number().int(), slug: z.string(), position: z.number().int(), title: Bilingual, minutes: z.number().int(), kind: z.enum(LESSON_KINDS) }),
      ),
    }),
  ),
}).openapi('CourseDetail');
