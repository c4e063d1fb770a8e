/** The retrospective's clock outcomes from the clocks' views: met on time, missed (overdue or met late), running, or none. */
import { describe, expect, it } from 'vitest';
import { clockOutcome } from '../../src/app/retro-clocks.js';
import type { ClockView } from '../../src/domain/clock/index.js';

const view = (over: Partial<ClockView>): ClockView => ({
  id: 'acknowledge',
  title: 'Acknowledge the reporter',
  status: 'due',
  repeats: false,
  startedAt: '2026-12-04T10:00:00.000Z',
  dueAt: '2026-12-09T23:00:00.000Z',
  atRiskAt: '2026-12-08T23:00:00.000Z',
  metAt: null,
  late: false,
  dueLocal: '2026-12-10 00:00 Europe/Berlin',
  note: null,
  ...over,
});

describe('clockOutcome', () => {
  it('says met, missed or running, and nothing for a clock without a deadline', () => {
    expect(clockOutcome(view({ status: 'met', metAt: '2026-12-05T09:00:00.000Z' }))).toEqual({
      id: 'acknowledge',
      label: 'Acknowledge the reporter',
      dueAt: '2026-12-09T23:00:00.000Z',
      metAt: '2026-12-05T09:00:00.000Z',
      outcome: 'met',
    });
    expect(clockOutcome(view({ status: 'met', late: true, metAt: '2026-12-11T09:00:00.000Z' }))?.outcome).toBe('missed');
    expect(clockOutcome(view({ status: 'overdue' }))?.outcome).toBe('missed');
    expect(clockOutcome(view({ status: 'at-risk' }))?.outcome).toBe('running');
    expect(clockOutcome(view({ status: 'not-started', dueAt: null }))).toBeNull();
    expect(clockOutcome(view({ status: 'stopped' }))).toBeNull();
  });
});
