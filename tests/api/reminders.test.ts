import { describe, expect, it } from 'vitest';
import { reminderKind } from '@server/modules/reminders/service';

// The reminder run itself (obligation, assignments, HR digest, read back from a real SMTP server) is
// tested in tests/api/notifications.test.ts.
describe('which obligation reminder applies', () => {
  it('picks one window: overdue, the smallest reminder day, or none', () => {
    expect(reminderKind('2026-12-10', '2026-11-22', [90, 30, 7])).toBe('before_30');
    expect(reminderKind('2026-11-25', '2026-11-22', [90, 30, 7])).toBe('before_7');
    expect(reminderKind('2027-01-20', '2026-11-22', [90, 30, 7])).toBe('before_90');
    expect(reminderKind('2027-06-01', '2026-11-22', [90, 30, 7])).toBeNull();
    expect(reminderKind('2026-11-22', '2026-11-22', [90, 30, 7])).toBe('before_7');
    expect(reminderKind('2026-11-21', '2026-11-22', [90, 30, 7])).toBe('overdue');
  });
});
