import { describe, expect, it } from 'vitest';
import { coveredSeconds, limitNewCoverage, mergeRanges, watchedFraction } from '@server/modules/learning/ranges';
import { completionState, isCourseComplete, lessonsRequired, DEFAULT_COMPLETION_RULE } from '@server/modules/learning/completion';

describe('watched-range merging', () => {
  it('sorts, merges overlapping and touching ranges, and keeps gaps', () => {
    expect(mergeRanges([[10, 20], [0, 5], [4, 8], [20.3, 25]], 100)).toEqual([[0, 8], [10, 25]]);
  });
  it('is idempotent and does not depend on order', () => {
    const a: [number, number][] = [[0, 3], [7, 9], [2, 5]];
    const once = mergeRanges(a, 60);
    expect(mergeRanges([...once, ...a], 60)).toEqual(once);
    expect(mergeRanges([...a].reverse(), 60)).toEqual(once);
  });
  it('clamps to the video, swaps reversed ranges and drops empty or invalid ones', () => {
    expect(mergeRanges([[-3, 2], [50, 70], [9, 6], [4, 4], [Number.NaN, 3]], 60)).toEqual([[0, 2], [6, 9], [50, 60]]);
  });
  it('measures coverage: skipping ahead does not count', () => {
    const merged = mergeRanges([[0, 5], [20, 25]], 25);
    expect(coveredSeconds(merged)).toBe(10);
    expect(watchedFraction(merged, 25)).toBeCloseTo(0.4);
    expect(watchedFraction([], 0)).toBe(0);
  });
  it('bounds new coverage by the time since the last save at double speed plus slack', () => {
    // 10 s elapsed: at most 2 × 10 + 5 = 25 s of new coverage
    const r = limitNewCoverage([[0, 10]], [[10, 100]], 200, 10);
    expect(coveredSeconds(r)).toBeCloseTo(35);
    // what was already covered costs nothing
    expect(limitNewCoverage([[0, 50]], [[0, 50], [50, 52]], 200, 0)).toEqual([[0, 52]]);
    // honest reports within the allowance pass untouched
    expect(limitNewCoverage([], [[0, 4], [10, 14]], 60, 5)).toEqual([[0, 4], [10, 14]]);
  });
});

describe('completion rules', () => {
  const input = { lessonsViewed: 9, lessonsTotal: 9, quizzes: [], feedbackGiven: false };
  it('by default needs every lesson viewed', () => {
    expect(isCourseComplete(DEFAULT_COMPLETION_RULE, input)).toBe(true);
    expect(isCourseComplete(DEFAULT_COMPLETION_RULE, { ...input, lessonsViewed: 8 })).toBe(false);
  });
  it('rounds a lesson share up', () => {
    expect(lessonsRequired({ ...DEFAULT_COMPLETION_RULE, lessonsPercent: 90 }, 9)).toBe(9);
    expect(lessonsRequired({ ...DEFAULT_COMPLETION_RULE, lessonsPercent: 50 }, 9)).toBe(5);
    expect(lessonsRequired({ ...DEFAULT_COMPLETION_RULE, lessonsPercent: 0 }, 9)).toBe(0);
  });
  it('needs every module quiz passed when the rule says so', () => {
    const rule = { ...DEFAULT_COMPLETION_RULE, moduleQuizzes: true };
    const quizzes = [
      { kind: 'module' as const, modulePosition: 1, passed: true },
      { kind: 'module' as const, modulePosition: 2, passed: false },
    ];
    expect(isCourseComplete(rule, { ...input, quizzes })).toBe(false);
    expect(isCourseComplete(rule, { ...input, quizzes: quizzes.map((q) => ({ ...q, passed: true })) })).toBe(true);
    expect(isCourseComplete(DEFAULT_COMPLETION_RULE, { ...input, quizzes })).toBe(true);
    expect(isCourseComplete(rule, input)).toBe(true); // no module quizzes in the course
  });
  it('needs a passed final test when required — a missing one is not passed', () => {
    const rule = { ...DEFAULT_COMPLETION_RULE, finalTest: true };
    expect(isCourseComplete(rule, input)).toBe(false);
    expect(isCourseComplete(rule, { ...input, quizzes: [{ kind: 'final', modulePosition: null, passed: false }] })).toBe(false);
    expect(isCourseComplete(rule, { ...input, quizzes: [{ kind: 'final', modulePosition: null, passed: true }] })).toBe(true);
  });
  it('needs feedback when required, and reports every requirement', () => {
    const rule = { ...DEFAULT_COMPLETION_RULE, feedback: true, lessonsPercent: 50 };
    const state = completionState(rule, { ...input, lessonsViewed: 5 });
    expect(state).toMatchObject({ complete: false, lessons: { required: 5, met: true }, feedback: { required: true, given: false, met: false } });
    expect(isCourseComplete(rule, { ...input, lessonsViewed: 5, feedbackGiven: true })).toBe(true);
  });
});
