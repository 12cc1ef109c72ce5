/**
 * A clock that steps back, for tests of guarantees that must not rest on wall-clock time. Loaded
 * with `node --import ./tests/support/clock-step.ts …`: the process keeps the real time until it
 * receives SIGUSR2, then its `Date` (new Date(), Date.now()) runs CLOCK_STEP_BACK_MS behind (as a
 * server whose clock NTP corrects backwards would). Prints `clock stepped back` when it happens.
 */
const RealDate = Date;
const back = Number(process.env.CLOCK_STEP_BACK_MS ?? 3 * 3600_000);
let offset = 0;

class SteppedDate extends RealDate {
  constructor(...args: unknown[]) {
    if (args.length === 0) super(RealDate.now() + offset);
    else super(...(args as [string | number | Date]));
  }
  static override now(): number {
    return RealDate.now() + offset;
  }
}
globalThis.Date = SteppedDate as DateConstructor;

process.on('SIGUSR2', () => {
  offset = -back;
  process.stdout.write('clock stepped back\n');
});
