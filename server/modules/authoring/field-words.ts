/**
 * The one way a field of a draft is named to a person: a validation path (`choices.1.text.ru`,
 * `manifest.modules.0.lessons.1.doc`, `questions.questions.3.feedback.ru`) becomes the words of the
 * form's own label ("2-вариант (орусча)", "1-модулдун 2-сабагы: Сабактын тексти", "4-суроо:
 * Түшүндүрмө (орусча)"). Used by every authoring page's error summary, so no page ever shows a path.
 */
import type { Locale } from '@db/domain';
import { t } from '@server/lib/i18n';

/** A form label without its "(optional)" remark, to name the field in a sentence. */
const label = (locale: Locale, key: string, vars?: Record<string, string | number>) => t(locale, key, vars).replace(/\s*\([^()]*\)$/, '');

const LANGS = new Set(['ky', 'ru']);

/** The fields of a question, a quiz or a category, by their key in the bank (courses/README.md). */
function bankField(locale: Locale, parts: string[]): string {
  const [first, second, third] = parts;
  const n = (s: string | undefined) => Number(s) + 1;
  switch (first) {
    case 'text': return label(locale, 'bank.q.text');
    case 'category': return label(locale, 'bank.q.category');
    case 'kind': return label(locale, 'bank.quiz.kind');
    case 'mark': return label(locale, 'bank.q.mark');
    case 'tags': return label(locale, 'bank.q.tags');
    case 'feedback': return label(locale, 'bank.q.feedback');
    case 'choices': return second === undefined ? label(locale, 'bank.q.choices') : label(locale, 'bank.q.choiceN', { n: n(second) });
    case 'correct': return label(locale, 'bank.q.statementIs');
    case 'answers': return label(locale, 'bank.q.answers');
    case 'value': return label(locale, 'bank.q.value');
    case 'tolerance': return label(locale, 'bank.q.tolerance');
    case 'unit': return label(locale, 'bank.q.unit');
    case 'pairs':
      if (second === undefined) return label(locale, 'bank.q.pairs');
      return label(locale, third === 'answer' ? 'bank.q.answerN' : 'bank.q.promptN', { n: n(second) });
    case 'distractors': return second === undefined ? label(locale, 'bank.q.distractors') : label(locale, 'bank.q.distractorN', { n: n(second) });
    case 'items': return second === undefined ? label(locale, 'bank.q.items') : label(locale, 'bank.q.itemN', { n: n(second) });
    case 'rubric':
      if (second === undefined) return label(locale, 'bank.q.rubric');
      return `${label(locale, 'bank.q.criterionN', { n: n(second) })}${third === 'points' ? `: ${label(locale, 'bank.q.points')}` : ''}`;
    case 'minWords': return label(locale, 'bank.q.minWords');
    case 'title': return label(locale, 'bank.col.title');
    case 'intro': return label(locale, 'bank.quiz.intro');
    case 'modulePosition': return label(locale, 'bank.quiz.modulePosition');
    case 'draw':
      if (second === undefined) return label(locale, 'bank.col.draw');
      return label(locale, third === 'count' ? 'bank.quiz.drawCount' : 'bank.quiz.drawCategory', { n: n(second) });
    case 'passPercent': return label(locale, 'quiz.passMarkLabel');
    case 'timeLimitMinutes': return label(locale, 'quiz.timeLimit');
    case 'attempts': return label(locale, 'quiz.attemptsLabel');
    case 'grading': return label(locale, 'quiz.gradingLabel');
    case 'review': return label(locale, 'quiz.reviewLabel');
    case 'opensAt': return label(locale, 'bank.quiz.opensAt');
    case 'closesAt': return label(locale, 'bank.quiz.closesAt');
    default: return label(locale, 'author.part.questions');
  }
}

/** The course settings and the outline (the draft page's form; `manifest.` may be left off). */
function manifestField(locale: Locale, parts: string[]): string {
  const [first, second, third, fourth, fifth] = parts;
  switch (first) {
    case 'title': case 'summary': case 'description': case 'provider': case 'objectives': case 'hours': case 'enrolment': case 'repeatable':
      return label(locale, `author.field.${first}`);
    case 'category': return label(locale, 'author.category');
    case 'audience': return label(locale, `author.field.${second === 'postKinds' || second === 'groups' ? second : 'services'}`);
    case 'completion':
      if (second === 'lessonsPercent') return label(locale, 'author.field.lessonsPercent');
      if (second === 'moduleQuizzes' || second === 'finalTest' || second === 'feedback') return label(locale, `author.completion.${second}`);
      return label(locale, 'author.field.completion');
    case 'modules': {
      if (second === undefined) return label(locale, 'author.structure');
      const module = Number(second) + 1;
      if (third !== 'lessons') return label(locale, 'review.part.moduleTitle', { module });
      if (fourth === undefined) return label(locale, 'author.part.lessons');
      const at = { module, lesson: Number(fourth) + 1 };
      const what: Record<string, string> = { title: 'review.part.lessonTitle', doc: 'review.part.lessonText' };
      if (fifth && what[fifth]) return label(locale, what[fifth]!, at);
      const part = fifth === 'video' ? label(locale, 'author.video') : fifth === 'attachments' ? label(locale, 'author.attachments') : '';
      return part ? `${label(locale, 'review.part.lesson', at)}: ${part}` : label(locale, 'review.part.lesson', at);
    }
    default: return label(locale, 'author.field.title');
  }
}

/** A path of a draft's validation in words, in the reader's language; a trailing `ky`/`ru` says which text. */
export function fieldWords(locale: Locale, path: string): string {
  const words = describe(locale, path);
  return words.charAt(0).toLocaleUpperCase(locale) + words.slice(1);
}

function describe(locale: Locale, path: string): string {
  const parts = path.split('.').filter(Boolean);
  const lang = LANGS.has(parts.at(-1) ?? '') ? (parts.pop() as 'ky' | 'ru') : null;
  const inLang = (words: string) => (lang ? `${words} (${t(locale, `lang.in.${lang}`)})` : words);
  if (parts[0] === 'manifest') return inLang(manifestField(locale, parts.slice(1)));
  // the whole bank, as the publication check names it: questions.questions.N.…, quizzes.quizzes.N.…, questions.categories.N.…
  if (parts[0] === 'questions' && parts[1] === 'questions' && parts[2] !== undefined) {
    const rest = parts.slice(3);
    return inLang(`${t(locale, 'review.part.question', { n: Number(parts[2]) + 1 })}${rest.length ? `: ${bankField(locale, rest)}` : ''}`);
  }
  if (parts[0] === 'quizzes' && parts[1] === 'quizzes' && parts[2] !== undefined) {
    const rest = parts.slice(3);
    return inLang(`${t(locale, 'review.part.quiz', { n: Number(parts[2]) + 1 })}${rest.length ? `: ${bankField(locale, rest)}` : ''}`);
  }
  if (parts[0] === 'questions' && parts[1] === 'categories' && parts[2] !== undefined) return inLang(t(locale, 'review.part.category', { n: Number(parts[2]) + 1 }));
  if (parts[0] === 'questions' || parts[0] === 'quizzes') return inLang(label(locale, 'author.part.questions'));
  // one question, quiz or category of the bank's own forms
  return inLang(bankField(locale, parts));
}
