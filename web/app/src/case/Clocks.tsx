/**
 * The case's clocks as its playbook declares them (acknowledge, update the reporter, disclosure
 * target, embargo end, …): due, at risk, overdue or met, with the deadline in the project's zone.
 */
import type { ClockView } from '../../../../src/domain/clock/types.js';
import { fromNow } from '../time.js';

const WORDS: Record<ClockView['status'], string> = {
  'not-started': 'not started',
  due: 'due',
  'at-risk': 'at risk',
  overdue: 'overdue',
  met: 'met',
  stopped: 'stopped',
};

export function Clocks({ clocks, timeZone }: { clocks: readonly ClockView[]; timeZone: string }) {
  if (clocks.length === 0) return null;
  const now = new Date();
  return (
    <section className="panel" id="clocks" aria-labelledby="clocks-heading">
      <h2 id="clocks-heading">Clocks</h2>
      <p className="hint">Business days in {timeZone}, without the project's holidays.</p>
      <ul>
        {clocks.map((k) => (
          <li key={k.id}>
            <strong>{WORDS[k.status]}</strong> {k.title}
            {k.status === 'met' && k.metAt ? ` — met ${fromNow(k.metAt, now)}${k.late ? ', late' : ''}` : null}
            {k.dueAt && k.dueLocal && k.status !== 'met' && k.status !== 'stopped'
              ? ` — due ${k.dueLocal} (${fromNow(k.dueAt, now)})`
              : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
