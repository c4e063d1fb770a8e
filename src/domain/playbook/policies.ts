/**
 * Policy rules across lists, declared by a playbook (issue 15, item 6) and checked two ways: as the
 * gate `policies: true` on a step (the refusal quotes the rule's text) and in the lint of an
 * embargoed mail (the notice that would break a rule is an error before it is sent). Pure: the
 * time is passed in.
 *
 * - noticeBeforeDisclosure {mail, days}: the embargo ends at least `days` after the mail went out
 *   ("distributors get at least 7 days' notice before disclosure").
 * - embargoWithinDaysOfNotice {mail, days}: once the mail went out, the embargo ends at most `days`
 *   after it ("if linux-distros is told, the embargo ends within 14 days of that notice").
 * - disclosureNotOn {weekdays, dayBeforeHoliday, holidays}: the embargo's end, in the zone it was
 *   agreed in, does not fall on those weekdays, on the day before a holiday, or on a holiday
 *   (the project's `holidays` setting).
 * A mail not sent yet counts as sent `now`: the rule then says what sending it now would break.
 */
import type { Case } from '../case/types.js';
import { MESSAGE_UNDERWAY } from '../messages/record.js';
import type { MessageKind } from '../messages/types.js';
import { formatInZone, isValidTimeZone } from '../time.js';
import type { Playbook } from './types.js';

export const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

interface PolicyBase {
  /** kebab-case, unique in the playbook. */
  id: string;
  /** The rule in the project's words: quoted in every refusal. */
  text: string;
}

export type PolicyRule = PolicyBase &
  (
    | { noticeBeforeDisclosure: { mail: MessageKind; days: number } }
    | { embargoWithinDaysOfNotice: { mail: MessageKind; days: number } }
    | { disclosureNotOn: { weekdays?: Weekday[]; dayBeforeHoliday?: boolean; holidays?: boolean } }
  );

export interface PolicyBreach {
  policy: string;
  /** "policy "…text…": why, in this case". */
  message: string;
}

const DAY = 86_400_000;

/** When the case's first mail of `kind` went out (or is on its way); null when none did. */
export function mailWentAt(c: Pick<Case, 'messages'>, kind: MessageKind): Date | null {
  const m = c.messages.find((x) => x.kind === kind && MESSAGE_UNDERWAY.includes(x.status));
  return m ? new Date(m.at) : null;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const days = (ms: number) => Math.floor((ms / DAY) * 10) / 10;
const dateOf = (d: Date) => d.toISOString().slice(0, 10);

function nextDay(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + DAY).toISOString().slice(0, 10);
}

/** Why `rule` does not hold for the case (null when it holds, or does not apply yet). */
function breachOf(rule: PolicyRule, pb: Playbook, c: Pick<Case, 'embargo' | 'messages'>, now: Date): string | null {
  if (c.embargo === null) return null; // the embargo field gates say that it is missing
  const endsAt = new Date(c.embargo.endsAt);
  const zone = isValidTimeZone(c.embargo.timeZone) ? c.embargo.timeZone : 'UTC';
  const local = formatInZone(endsAt, zone);
  if ('noticeBeforeDisclosure' in rule) {
    const { mail, days: min } = rule.noticeBeforeDisclosure;
    const sent = mailWentAt(c, mail);
    const from = sent ?? now;
    const gap = endsAt.getTime() - from.getTime();
    if (gap >= min * DAY) return null;
    const when = sent ? `the notice of ${dateOf(sent)}` : 'a notice sent now';
    return `the embargo ends ${local}, ${days(gap)} days after ${when}; at least ${plural(min, 'day')} are needed`;
  }
  if ('embargoWithinDaysOfNotice' in rule) {
    const { mail, days: max } = rule.embargoWithinDaysOfNotice;
    const sent = mailWentAt(c, mail);
    const from = sent ?? now;
    const gap = endsAt.getTime() - from.getTime();
    if (gap <= max * DAY) return null;
    const when = sent ? `the notice of ${dateOf(sent)}` : 'a notice sent now';
    return `the embargo ends ${local}, ${days(gap)} days after ${when}; it may last at most ${plural(max, 'day')}`;
  }
  const { weekdays = [], dayBeforeHoliday = false, holidays = false } = rule.disclosureNotOn;
  const date = local.slice(0, 10);
  const weekday = WEEKDAYS[new Date(`${date}T00:00:00Z`).getUTCDay()]!;
  const holidayList = pb.settings.holidays ?? [];
  if (weekdays.includes(weekday)) return `the embargo ends ${local}, a ${weekday[0]!.toUpperCase()}${weekday.slice(1)}`;
  if (holidays && holidayList.includes(date)) return `the embargo ends ${local}, a holiday`;
  if (dayBeforeHoliday && holidayList.includes(nextDay(date)))
    return `the embargo ends ${local}, the day before the holiday of ${nextDay(date)}`;
  return null;
}

/** Whether a rule concerns a mail of `kind` (the rules about a notice, that notice; the date rules, every embargoed mail). */
function concerns(rule: PolicyRule, kind: MessageKind): boolean {
  if ('noticeBeforeDisclosure' in rule) return rule.noticeBeforeDisclosure.mail === kind;
  if ('embargoWithinDaysOfNotice' in rule) return rule.embargoWithinDaysOfNotice.mail === kind;
  return true;
}

/**
 * Every rule of the playbook the case breaks now, each with the rule's text; with `forMail`, only
 * the rules that concern that mail (for its lint).
 */
export function policyBreaches(pb: Playbook, c: Pick<Case, 'embargo' | 'messages'>, now: Date, forMail?: MessageKind): PolicyBreach[] {
  const rules = (pb.policies ?? []).filter((r) => forMail === undefined || concerns(r, forMail));
  return rules.flatMap((rule) => {
    const why = breachOf(rule, pb, c, now);
    return why === null ? [] : [{ policy: rule.id, message: `policy "${rule.text}": ${why}` }];
  });
}
