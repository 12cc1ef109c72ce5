import type { Reporter, TestModule } from 'vitest/node';

/**
 * Ends every run with the slowest test files (so the slow ones stay visible) and one plain line,
 * `N passed, N failed`, that any CI log reader understands.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') counts.passed++;
        else if (state === 'failed') counts.failed++;
        else counts.skipped++;
      }
    }
    const timed = testModules
      .map((m) => ({ file: m.relativeModuleId, ms: m.diagnostic().duration, project: m.project.name }))
      .sort((a, b) => b.ms - a.ms);
    if (timed.length > 1) {
      const total = timed.reduce((n, t) => n + t.ms, 0);
      process.stdout.write(`\nSlowest test files (of ${timed.length}, ${(total / 1000).toFixed(0)} s in all):\n`);
      for (const t of timed.slice(0, 12)) process.stdout.write(`  ${(t.ms / 1000).toFixed(1).padStart(6)} s  ${t.project}  ${t.file}\n`);
    }
    const skipped = counts.skipped ? `, ${counts.skipped} skipped` : '';
    process.stdout.write(`\n${counts.passed} passed, ${counts.failed} failed${skipped}\n`);
  }
}
