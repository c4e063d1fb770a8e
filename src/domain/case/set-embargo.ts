import { invalidInput } from '../errors.js';
import { formatInZone, isValidTimeZone, relativeTo, zonedToInstant } from '../time.js';
import { decisionReason, requiredText } from './fields.js';
import { revise } from './revise.js';
import type { Case, CommandContext, CommandResult } from './types.js';
import { TIME_INPUT_MAX } from './limits.js';

export interface EmbargoInput {
  /** Wall-clock time in `timeZone` ("2026-12-01 17:00") or an instant with an offset. */
  endsAt: unknown;
  /** IANA zone the date was agreed in, e.g. Europe/Berlin. */
  timeZone: unknown;
  /** Why a time already past is right (replaying an old case); without it such a time is refused. */
  allowPast?: unknown;
}

/** Records the agreed disclosure time (checklist step 7: the date the distributors bought into). */
export function setEmbargo(c: Case, input: EmbargoInput, ctx: CommandContext): CommandResult {
  const timeZone = requiredText('timeZone', input.timeZone, TIME_INPUT_MAX);
  if (!isValidTimeZone(timeZone))
    throw invalidInput(`timeZone "${timeZone}" is not an IANA time zone like Europe/Berlin`, { field: 'timeZone' });
  const instant = zonedToInstant(requiredText('endsAt', input.endsAt, TIME_INPUT_MAX), timeZone);
  const embargo = { endsAt: instant.toISOString(), timeZone };
  if (c.embargo?.endsAt === embargo.endsAt && c.embargo.timeZone === timeZone) return { state: c, events: [] };
  // A disclosure date already past is almost always a typo (the year, the month); replaying an old
  // case says so, with a reason the event keeps (issue 13, item 12).
  const past = instant.getTime() <= ctx.now.getTime();
  const allowedPast = past ? pastReason(input.allowPast, instant, timeZone, ctx.now) : undefined;
  return {
    state: revise(c, ctx, { embargo }),
    events: [
      {
        action: 'case.embargo-set',
        caseId: c.id,
        details: {
          endsAt: embargo.endsAt,
          timeZone,
          local: formatInZone(instant, timeZone),
          previous: c.embargo,
          ...(allowedPast ? { allowedPast } : {}),
        },
      },
    ],
  };
}

function pastReason(value: unknown, instant: Date, timeZone: string, now: Date): string {
  if (value === undefined || value === null || value === '') {
    throw invalidInput(
      `the embargo time ${formatInZone(instant, timeZone)} is in the past (${relativeTo(instant, now)}); give a date to come, or, to replay an old case, say why with --allow-past REASON (allowPast in the API)`,
      { field: 'endsAt' },
    );
  }
  return decisionReason(value, 'set an embargo time in the past');
}
