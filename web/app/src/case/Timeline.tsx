/** Timeline: the case's milestones on a time axis, and its audit trail below (the read is audited). */
import { useEffect, useState } from 'react';
import { answer, api, messageOf } from '../api.js';
import type { PanelProps } from '../pages/CasePage.js';
import { shortTime } from '../time.js';
import { ErrorLine } from '../ui.js';

type Event = Awaited<ReturnType<typeof loadEvents>>['events'][number];
const loadEvents = (caseId: string) => answer(api.GET('/api/v1/cases/{caseId}/events', { params: { path: { caseId } } }));

const MILESTONES: Record<string, string> = {
  'case.created': 'case opened',
  'report.received': 'report received',
  'step.done': 'step done',
  'release.recorded': 'release',
  'case.embargo-set': 'embargo set',
  'message.sent': 'mail sent',
  'advisory.published': 'published',
};

function describe(e: Event): string {
  const d = e.details as Record<string, unknown>;
  const bits = [d.title, d.line, d.version, d.what, d.kind, d.reason].filter((x) => typeof x === 'string' || typeof x === 'number');
  return bits.join(' · ');
}

export function Timeline({ data }: PanelProps) {
  const [events, setEvents] = useState<Event[]>([]);
  const [error, setError] = useState<string | null>(null);
  const caseId = data.case.id;
  const revision = data.case.revision;

  // biome-ignore lint/correctness/useExhaustiveDependencies: reload when the case changed
  useEffect(() => {
    loadEvents(caseId).then(
      (r) => setEvents(r.events),
      (err) => setError(messageOf(err)),
    );
  }, [caseId, revision]);

  const milestones = events.filter((e) => e.action in MILESTONES);
  const first = milestones[0] ? Date.parse(milestones[0].at) : 0;
  const last = milestones.length ? Date.parse(milestones[milestones.length - 1]!.at) : 0;
  const span = Math.max(last - first, 1);
  return (
    <section className="panel" id="timeline" aria-labelledby="timeline-heading">
      <h2 id="timeline-heading">Timeline</h2>
      <ErrorLine message={error} />
      {milestones.length > 1 ? (
        <svg
          className="axis-drawing"
          viewBox="0 0 1000 40"
          preserveAspectRatio="none"
          role="img"
          aria-label={`${milestones.length} milestones from ${shortTime(milestones[0]!.at)} to ${shortTime(milestones[milestones.length - 1]!.at)}`}
        >
          <line x1="10" y1="20" x2="990" y2="20" />
          {milestones.map((e) => (
            <circle key={e.id} cx={10 + ((Date.parse(e.at) - first) / span) * 980} cy="20" r="6">
              <title>
                {shortTime(e.at)} {MILESTONES[e.action]}
              </title>
            </circle>
          ))}
        </svg>
      ) : null}
      <ol className="axis" aria-label="Milestones">
        {milestones.map((e) => (
          <li key={e.id}>
            <time dateTime={e.at}>{shortTime(e.at)}</time> {MILESTONES[e.action]} {describe(e)}
          </li>
        ))}
      </ol>
      <details>
        <summary>Audit trail ({events.length} events)</summary>
        <table>
          <caption className="visually-hidden">Audit trail</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">What</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
            {events.map((e) => (
              <tr key={e.id}>
                <td>{shortTime(e.at)}</td>
                <td>{e.actor}</td>
                <td>{e.action}</td>
                <td>{describe(e)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </section>
  );
}
