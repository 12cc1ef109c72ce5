// The whole course library under courses/: every package loads with the importer's own loaders and is
// complete in both languages, with captions on every video and tests for every module and a final test.
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { listPackageDirs, loadCoursePackage, loadLibraryProviders } from '@server/modules/catalog/package';
import { completionRuleOf } from '@server/modules/catalog/service';

const ROOT = fileURLToPath(new URL('../../courses', import.meta.url));
const LANGS = ['ky', 'ru'] as const;
const dirs = listPackageDirs(ROOT);

type Texts = { ky?: string; ru?: string } | null | undefined;
/** the languages in which a bilingual text is missing or blank */
const missing = (t: Texts) => LANGS.filter((lang) => !(typeof t?.[lang] === 'string' && t[lang]!.trim() !== ''));

describe('course library', () => {
  it('has the five courses', () => {
    expect(dirs.length).toBeGreaterThanOrEqual(5);
  });

  const declared = loadLibraryProviders('courses').map((p) => p.code);
  describe.each(dirs.map((dir) => [basename(dir), dir]))('%s', (slug, dir) => {
    const course = loadCoursePackage(dir);
    const lessons = course.modules.flatMap((m) => m.lessons);

    it('is complete in Kyrgyz and in Russian', () => {
      expect(course.slug).toBe(slug);
      const gaps: string[] = [];
      const check = (where: string, t: Texts) => missing(t).forEach((lang) => gaps.push(`${where} (${lang})`));
      check('title', course.title);
      check('summary', course.summary);
      check('description', course.description);
      // the provider is named by code, and the library declares it (courses/providers.json)
      if (!('code' in course.provider) || !declared.includes(course.provider.code)) gaps.push('provider: not a code of courses/providers.json');
      for (const lang of LANGS) {
        const list = course.objectives[lang] ?? [];
        if (list.length === 0) gaps.push(`objectives (${lang})`);
        list.forEach((o, i) => (o.trim() ? null : gaps.push(`objectives.${i} (${lang})`)));
      }
      if ((course.objectives.ky ?? []).length !== (course.objectives.ru ?? []).length) gaps.push('objectives: not the same count in ky and ru');
      course.modules.forEach((m, i) => {
        check(`module ${i + 1} title`, m.title);
        for (const l of m.lessons) {
          check(`lesson ${l.slug} title`, l.title);
          for (const lang of LANGS) if (!l.doc[lang]) gaps.push(`lesson ${l.slug} body (${lang})`);
          l.attachments.forEach((a) => check(`lesson ${l.slug} attachment ${a.fileName} title`, a.title));
        }
      });
      expect(gaps).toEqual([]);
      expect(course.hasKy && course.hasRu).toBe(true);
    });

    it('has at least 3 modules and 8 lessons', () => {
      expect(course.modules.length).toBeGreaterThanOrEqual(3);
      for (const m of course.modules) expect(m.lessons.length, `module "${m.title.ky}"`).toBeGreaterThan(0);
      expect(lessons.length).toBeGreaterThanOrEqual(8);
    });

    it('captions every video in both languages', () => {
      for (const l of lessons.filter((x) => x.video)) {
        expect(l.video!.seconds, `${l.slug}: video length`).toBeGreaterThan(0);
        expect(missing(l.video!.captions), `${l.slug}: captions`).toEqual([]);
      }
    });

    it('has a quiz for each module and a final test with enough questions', () => {
      const quiz = course.quiz;
      expect(quiz, 'questions.json and quizzes.json').not.toBeNull();
      if (!quiz) return;
      const inCategory = new Map<string, number>();
      for (const q of quiz.questions) inCategory.set(q.category, (inCategory.get(q.category) ?? 0) + 1);

      course.modules.forEach((_, i) => {
        const moduleQuizzes = quiz.quizzes.filter((z) => z.kind === 'module' && z.modulePosition === i + 1);
        expect(moduleQuizzes.length, `quiz for module ${i + 1}`).toBeGreaterThanOrEqual(1);
      });
      for (const z of quiz.quizzes) {
        expect(missing(z.title), `quiz ${z.id} title`).toEqual([]);
        for (const rule of z.draw) {
          expect(inCategory.get(rule.category) ?? 0, `quiz ${z.id}: category ${rule.category}`).toBeGreaterThanOrEqual(rule.count);
        }
      }

      const finals = quiz.quizzes.filter((z) => z.kind === 'final');
      expect(finals.length, 'final test').toBe(1);
      const final = finals[0]!;
      const drawn = final.draw.reduce((sum, rule) => sum + rule.count, 0);
      const bank = final.draw.reduce((sum, rule) => sum + (inCategory.get(rule.category) ?? 0), 0);
      expect(drawn, 'questions drawn by the final test').toBeGreaterThanOrEqual(15);
      expect(bank, 'bank the final test draws from').toBeGreaterThan(drawn);
    });

    it('requires its final test and states whether module quizzes count', () => {
      expect(course.completion?.finalTest, 'completion.finalTest stated and true').toBe(true);
      expect(typeof course.completion?.moduleQuizzes, 'completion.moduleQuizzes stated').toBe('boolean');
      expect(completionRuleOf(course).finalTest).toBe(true);
    });

    it('writes every question, choice and category in both languages', () => {
      if (!course.quiz) return;
      const gaps: string[] = [];
      for (const c of course.quiz.categories) missing(c.title).forEach((lang) => gaps.push(`category ${c.id} (${lang})`));
      for (const q of course.quiz.questions) missing(q.stem).forEach((lang) => gaps.push(`question ${q.slug} (${lang})`));
      expect(gaps).toEqual([]);
    });
  });
});
