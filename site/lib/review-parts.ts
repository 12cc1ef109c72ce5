import type { Translator } from '@server/lib/i18n';
import type { DraftContent } from '@server/modules/authoring/content';

/**
 * The review facts name the parts of a draft by code (`lesson-3.text`, `question:m1-single-1.text`,
 * as the API gives them); a reader sees words ("the text of lesson 3 of module 1", "the text of question 5").
 * Lessons are numbered within their module, questions, categories and quizzes by their place in the bank
 * (the order the bank page lists them in).
 */
/** What the namer needs: the course outline (when there is one) and the bank's lists in order. */
export type Parts = {
  modules?: { lessons: { slug: string }[] }[];
  categories: { id?: unknown }[];
  questions: { id?: unknown }[];
  quizzes: { id?: unknown }[];
};

/** The parts of a whole draft (review page). */
export const draftParts = (content: DraftContent): Parts => ({
  modules: content.manifest.modules,
  categories: content.questions.categories,
  questions: content.questions.questions,
  quizzes: content.quizzes.quizzes,
});

export function partNamer(tr: Translator, parts: Parts): (code: string) => string {
  const lessons = new Map<string, { module: number; lesson: number }>();
  (parts.modules ?? []).forEach((m, mi) => m.lessons.forEach((l, li) => lessons.set(l.slug, { module: mi + 1, lesson: li + 1 })));
  const place = (items: { id?: unknown }[]) => new Map(items.map((x, i) => [String(x.id), i + 1]));
  const questions = place(parts.questions);
  const categories = place(parts.categories);
  const quizzes = place(parts.quizzes);
  return (code) => {
    if (['title', 'summary', 'description', 'provider', 'objectives'].includes(code)) return tr.t(`review.part.${code}`);
    let m = /^modules\.(\d+)\.title$/.exec(code);
    if (m) return tr.t('review.part.moduleTitle', { module: Number(m[1]) });
    m = /^(category|question|quiz):(.+?)(?:\.(.+))?$/.exec(code);
    if (m) {
      const [, kind, id, path] = m;
      if (kind === 'category') return tr.t('review.part.category', { n: categories.get(id!) ?? '?' });
      if (kind === 'quiz') return tr.t('review.part.quiz', { n: quizzes.get(id!) ?? '?' });
      const n = questions.get(id!) ?? '?';
      if (path === 'text') return tr.t('review.part.questionText', { n });
      const choice = /^choices\.(\d+)\./.exec(path ?? '');
      if (choice) return tr.t('review.part.questionChoice', { n, choice: Number(choice[1]) + 1 });
      return tr.t('review.part.question', { n });
    }
    // lesson parts: <slug>, <slug>.title, <slug>.text, <slug>.ky|ru (images), <slug>.attachments.N
    const dot = code.indexOf('.');
    const slug = dot < 0 ? code : code.slice(0, dot);
    const rest = dot < 0 ? '' : code.slice(dot + 1);
    const at = lessons.get(slug);
    if (!at) return code;
    if (rest === 'title') return tr.t('review.part.lessonTitle', at);
    if (rest === 'text') return tr.t('review.part.lessonText', at);
    if (rest === 'ky' || rest === 'ru') return tr.t('review.part.lessonIn', { ...at, lang: tr.t(`lang.in.${rest}`) });
    m = /^attachments\.(\d+)$/.exec(rest);
    if (m) return tr.t('review.part.attachment', { ...at, n: Number(m[1]) });
    return tr.t('review.part.lesson', at);
  };
}
