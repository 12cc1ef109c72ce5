/**
 * Course completion as a pure function of the course's rule and the learner's outcomes. Quiz outcomes
 * come from outside (the quiz module, through `quizOutcomes` in ./service.ts): one entry per quiz of
 * the course, `passed: false` for a quiz not yet passed.
 */
import type { CompletionRule } from '@db/schema/catalog';
import type { Locale } from '@db/domain';
import { t } from '@server/lib/i18n';

export type QuizOutcome = { kind: 'module' | 'final'; modulePosition: number | null; passed: boolean };

export type CompletionInput = {
  lessonsViewed: number;
  lessonsTotal: number;
  quizzes: QuizOutcome[];
  feedbackGiven: boolean;
};

export type CompletionState = {
  complete: boolean;
  lessons: { viewed: number; total: number; required: number; met: boolean };
  moduleQuizzes: { required: boolean; passed: number; total: number; met: boolean };
  finalTest: { required: boolean; exists: boolean; passed: boolean; met: boolean };
  feedback: { required: boolean; given: boolean; met: boolean };
};

export const DEFAULT_COMPLETION_RULE: CompletionRule = { lessonsPercent: 100, moduleQuizzes: false, finalTest: false, feedback: false };

/** How many lessons the rule asks for (rounded up: 90% of 9 lessons is 9). */
export function lessonsRequired(rule: CompletionRule, total: number): number {
  return Math.max(0, Math.ceil((Math.min(100, Math.max(0, rule.lessonsPercent)) * total) / 100 - 1e-9));
}

/** Every requirement of the rule, and whether each is met. */
export function completionState(rule: CompletionRule, input: CompletionInput): CompletionState {
  const required = lessonsRequired(rule, input.lessonsTotal);
  const lessonsMet = input.lessonsViewed >= required;
  const moduleQuizzes = input.quizzes.filter((q) => q.kind === 'module');
  const modulePassed = moduleQuizzes.filter((q) => q.passed).length;
  const finals = input.quizzes.filter((q) => q.kind === 'final');
  const finalPassed = finals.some((q) => q.passed);
  const state: CompletionState = {
    complete: false,
    lessons: { viewed: input.lessonsViewed, total: input.lessonsTotal, required, met: lessonsMet },
    // Every module quiz the course has must be passed; a course without module quizzes meets this.
    moduleQuizzes: { required: rule.moduleQuizzes, passed: modulePassed, total: moduleQuizzes.length, met: !rule.moduleQuizzes || modulePassed === moduleQuizzes.length },
    // A required final test must exist and be passed.
    finalTest: { required: rule.finalTest, exists: finals.length > 0, passed: finalPassed, met: !rule.finalTest || finalPassed },
    feedback: { required: rule.feedback, given: input.feedbackGiven, met: !rule.feedback || input.feedbackGiven },
  };
  state.complete = state.lessons.met && state.moduleQuizzes.met && state.finalTest.met && state.feedback.met;
  return state;
}

/** True when the learner has met every requirement of the course's rule. */
export function isCourseComplete(rule: CompletionRule, input: CompletionInput): boolean {
  return completionState(rule, input).complete;
}

/** What a course has that its rule may ask for. */
export type CourseQuizCounts = { moduleQuizzes: number; finalTest: boolean };

export type RuleWords = {
  /** "To complete the course and get the certificate:" */
  lead: string;
  /** each requirement (required) and each test that does not count (not required), with its state when known */
  items: { part: 'lessons' | 'moduleQuizzes' | 'finalTest' | 'feedback'; text: string; required: boolean; met: boolean | null }[];
};

/**
 * The completion rule in words, in the reader's language — the one source of what the course page,
 * the lesson pages, My learning and the review checklist say about completion, so the text can never
 * disagree with the rule `completionState` applies. With a state, each requirement says whether it is met.
 */
export function completionRuleWords(locale: Locale, rule: CompletionRule, course: CourseQuizCounts, state?: CompletionState): RuleWords {
  const items: RuleWords['items'] = [];
  const percent = Math.min(100, Math.max(0, rule.lessonsPercent));
  if (percent > 0) items.push({ part: 'lessons', text: t(locale, percent === 100 ? 'completion.lessons.all' : 'completion.lessons.share', { percent }), required: true, met: state ? state.lessons.met : null });
  if (course.moduleQuizzes > 0 || rule.moduleQuizzes)
    items.push(
      rule.moduleQuizzes
        ? { part: 'moduleQuizzes', text: t(locale, 'completion.moduleQuizzes.required'), required: true, met: state ? state.moduleQuizzes.met : null }
        : { part: 'moduleQuizzes', text: t(locale, 'completion.moduleQuizzes.optional'), required: false, met: null },
    );
  if (course.finalTest || rule.finalTest)
    items.push(
      rule.finalTest
        ? { part: 'finalTest', text: t(locale, 'completion.finalTest.required'), required: true, met: state ? state.finalTest.met : null }
        : { part: 'finalTest', text: t(locale, 'completion.finalTest.optional'), required: false, met: null },
    );
  if (rule.feedback) items.push({ part: 'feedback', text: t(locale, 'completion.feedback.required'), required: true, met: state ? state.feedback.met : null });
  return { lead: t(locale, items.some((i) => i.required) ? 'completion.lead' : 'completion.leadNothing'), items };
}

/** The rule as one sentence (for the review checklist and plain lists). */
export function completionRuleSentence(locale: Locale, rule: CompletionRule, course: CourseQuizCounts): string {
  const w = completionRuleWords(locale, rule, course);
  const required = w.items.filter((i) => i.required).map((i) => i.text);
  const optional = w.items.filter((i) => !i.required).map((i) => i.text);
  return [w.lead, required.join('; ') + (required.length ? '.' : ''), optional.map((o) => o[0]!.toUpperCase() + o.slice(1) + '.').join(' ')].filter(Boolean).join(' ');
}
