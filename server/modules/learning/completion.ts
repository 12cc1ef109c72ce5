/**
 * Course completion as a pure function of the course's rule and the learner's outcomes. Quiz outcomes
 * come from outside (the quiz module, through `quizOutcomes` in ./service.ts): one entry per quiz of
 * the course, `passed: false` for a quiz not yet passed.
 */
import type { CompletionRule } from '../../../db/schema/catalog';

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
