/**
 * The distributors notice's attachment: the agreed disclosure time as one calendar event, written in
 * the zone it was agreed in, so a member's calendar shows "17:00 Europe/Berlin" and not a converted
 * guess. It says no more than the notice: the project and that it is the embargo's end.
 */
import type { Case } from '../case/types.js';
import type { Playbook } from '../playbook/types.js';
import { icsCalendar } from './ics.js';

export function disclosureCalendar(c: Case, playbook: Playbook, now: Date): string {
  if (!c.embargo) throw new Error('disclosureCalendar needs an embargo');
  return icsCalendar(
    [
      {
        uid: `disclosure-${c.codename}@embargo`,
        summary: `${playbook.name} security disclosure: the embargo ends`,
        description: 'The agreed public disclosure time. Embargoed until then: do not share.',
        start: new Date(c.embargo.endsAt),
        timeZone: c.embargo.timeZone,
      },
    ],
    { name: `${playbook.name} security disclosure`, now },
  );
}
