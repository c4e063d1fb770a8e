/**
 * The retrospective: the case's timeline from the event log with the time between milestones, the
 * clocks met or missed, the team's notes (what the retrospective step waits for) and action items,
 * which stay on the open list across cases until done. One audited read when the panel opens.
 */
import { type FormEvent, useState } from 'react';
import { formatDuration } from '../../../../src/domain/retro/timeline.js';
import { answer, api } from '../api.js';
import type { PanelProps } from '../pages/CasePage.js';
import { shortTime } from '../time.js';
import { ErrorLine, Field, TextArea, useAction } from '../ui.js';

type Retro = Awaited<ReturnType<typeof loadRetro>>;
const loadRetro = (caseId: string) => answer(api.GET('/api/v1/cases/{caseId}/retrospective', { params: { path: { caseId } } }));

export function Retrospective({ data, reload }: PanelProps) {
  const caseId = data.case.id;
  const action = useAction();
  const [retro, setRetro] = useState<Retro | null>(null);
  const refresh = async () => setRetro(await loadRetro(caseId));
  // Read when opened (an audited read of the whole timeline), not on every visit to the case.
  const toggled = (open: boolean) => {
    if (open && !retro) void action.run(refresh);
  };

  const writeNotes = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const notes = String(new FormData(event.currentTarget).get('notes') ?? '').trim();
    void action.run(async () => {
      await answer(api.PUT('/api/v1/cases/{caseId}/retrospective', { params: { path: { caseId } }, body: { notes } }));
      // The retrospective step's gate reads the notes.
      await Promise.all([refresh(), reload()]);
    });
  };
  const addAction = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const values = new FormData(form);
    const text = String(values.get('text') ?? '').trim();
    const owner = String(values.get('owner') ?? '').trim();
    void action.run(async () => {
      await answer(
        api.POST('/api/v1/cases/{caseId}/retrospective/actions', {
          params: { path: { caseId } },
          body: { text, ...(owner ? { owner } : {}) },
        }),
      );
      form.reset();
      await refresh();
    });
  };
  const finish = (actionId: string) =>
    void action.run(async () => {
      await answer(api.POST('/api/v1/retrospective/actions/{actionId}/done', { params: { path: { actionId } } }));
      await refresh();
    });

  return (
    <section className="panel" id="retrospective" aria-labelledby="retro-heading">
      <h2 id="retro-heading">Retrospective</h2>
      <details onToggle={(e) => toggled((e.target as HTMLDetailsElement).open)}>
        <summary>Timeline, notes and action items</summary>
        {retro ? (
          <>
            <table>
              <caption className="visually-hidden">Milestones</caption>
              <thead>
                <tr>
                  <th scope="col">Milestone</th>
                  <th scope="col">When</th>
                  <th scope="col">After the previous</th>
                  <th scope="col">After the report</th>
                </tr>
              </thead>
              <tbody>
                {retro.timeline.map((m) => (
                  <tr key={`${m.kind}-${m.line ?? ''}-${m.at}`}>
                    <td>
                      {m.label}
                      {m.state === 'queued' ? ' (queued, not sent)' : ''}
                    </td>
                    <td>{shortTime(m.at)}</td>
                    <td>{formatDuration(m.sincePrevious)}</td>
                    <td>{formatDuration(m.sinceReport)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {retro.clocks ? (
              <ul aria-label="Clocks">
                {retro.clocks.map((k) => (
                  <li key={k.id}>
                    {k.label}: <strong>{k.outcome}</strong> (due {shortTime(k.dueAt)}
                    {k.metAt ? `, met ${shortTime(k.metAt)}` : ''})
                  </li>
                ))}
              </ul>
            ) : null}
            <form onSubmit={writeNotes} aria-label="Retrospective notes">
              <TextArea
                label="Notes: what went well, what to change"
                name="notes"
                required
                rows={5}
                maxLength={20000}
                defaultValue={retro.written?.notes ?? ''}
                hint={
                  retro.written
                    ? `Written by ${retro.written.writtenBy} at ${shortTime(retro.written.writtenAt)}.`
                    : 'The retrospective step waits for them.'
                }
              />
              <button type="submit" disabled={action.busy}>
                Save the notes
              </button>
            </form>
            <h3>Action items</h3>
            <ul>
              {retro.actions.map((a) => (
                <li key={a.id}>
                  {a.doneAt ? <s>{a.text}</s> : a.text}
                  {a.owner ? ` (${a.owner})` : ''}
                  {a.doneAt ? ` — done by ${a.doneBy} at ${shortTime(a.doneAt)}` : null}{' '}
                  {a.doneAt ? null : (
                    <button type="button" onClick={() => finish(a.id)} disabled={action.busy}>
                      Done: {a.text}
                    </button>
                  )}
                </li>
              ))}
            </ul>
            <form onSubmit={addAction} aria-label="Add an action item" className="inline-form">
              <Field label="Action item" name="text" required maxLength={500} />
              <Field label="Owner" name="owner" maxLength={100} />
              <button type="submit" disabled={action.busy}>
                Add the action item
              </button>
            </form>
          </>
        ) : null}
      </details>
      <ErrorLine message={action.error} />
    </section>
  );
}
