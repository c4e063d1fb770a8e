/** How a case's clocks read on a terminal. Pure: data in, lines out. */
import type { ClockView } from '../domain/clock/types.js';
import { formatInZone, relativeTo } from '../domain/time.js';
import type { Colors } from './output.js';

const WORDS: Record<ClockView['status'], string> = {
  'not-started': 'not started',
  due: 'due',
  'at-risk': 'AT RISK',
  overdue: 'OVERDUE',
  met: 'met',
  stopped: 'stopped',
};

/** One line per clock: "! AT RISK  Acknowledge the reporter — due 2026-12-11 00:00 Europe/Berlin (in 5 hours)". */
export function clockLines(clocks: readonly ClockView[], timeZone: string, colors: Colors, now: Date = new Date()): string[] {
  if (clocks.length === 0) return [colors.dim('  (the playbook declares no clocks)')];
  return clocks.map((k) => {
    const at = (iso: string) => `${formatInZone(new Date(iso), timeZone)} (${relativeTo(new Date(iso), now)})`;
    let when = '';
    if (k.status === 'met' && k.metAt) when = ` — met ${formatInZone(new Date(k.metAt), timeZone)}${k.late ? ', late' : ''}`;
    else if (k.dueAt && k.status !== 'met' && k.status !== 'stopped') when = ` — due ${at(k.dueAt)}`;
    const note = k.note ? colors.dim(`  (${k.note})`) : '';
    const word = WORDS[k.status].padEnd(11);
    const mark =
      k.status === 'overdue'
        ? colors.red(`✗ ${word}`)
        : k.status === 'at-risk'
          ? colors.yellow(`! ${word}`)
          : k.status === 'met'
            ? colors.green(`✓ ${word}`)
            : `· ${word}`;
    return `  ${mark} ${k.title}${when}${note}`;
  });
}
