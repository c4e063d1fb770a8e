/**
 * The GitHub advisory: where it stands, what a push would change (the difference against GitHub),
 * push, request the CVE, the private fork, sync, and publish — disabled with the gate's reasons until
 * allowed. Without a GitHub connection every action answers with the fields to paste (copy buttons)
 * and what to record afterwards.
 */
import { useEffect, useState } from 'react';
import { answer, api } from '../api.js';
import type { PanelProps } from '../pages/CasePage.js';
import { shortTime } from '../time.js';
import { CopyButton, ErrorLine, useAction } from '../ui.js';

const load = async (caseId: string) => {
  const path = { params: { path: { caseId } } };
  const [status, publication] = await Promise.all([
    answer(api.GET('/api/v1/cases/{caseId}/advisory', path)),
    answer(api.GET('/api/v1/cases/{caseId}/advisory/publication', path)),
  ]);
  return { status, publication };
};
type State = Awaited<ReturnType<typeof load>>;
type Push = Awaited<ReturnType<typeof push>>;
type Manual = NonNullable<Push['manual']>;
const push = (caseId: string, dryRun: boolean) =>
  answer(api.POST('/api/v1/cases/{caseId}/advisory/push', { params: { path: { caseId } }, body: { dryRun } }));

const show = (value: unknown) => (value === undefined ? '(absent)' : typeof value === 'string' ? value : JSON.stringify(value));

export function Advisory({ data, reload }: PanelProps) {
  const caseId = data.case.id;
  const [state, setState] = useState<State | null>(null);
  const [preview, setPreview] = useState<Push | null>(null);
  const [manual, setManual] = useState<Manual | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const action = useAction();
  const path = { params: { path: { caseId } } };

  // biome-ignore lint/correctness/useExhaustiveDependencies: reload when the case changed
  useEffect(() => {
    void action.run(async () => setState(await load(caseId)));
  }, [caseId, data.case.revision]);

  /** Runs an advisory action; a manual answer shows what to paste, anything else reloads the case. */
  const act = (label: string, run: () => Promise<{ mode: string; manual?: Manual }>) =>
    action.run(async () => {
      const result = await run();
      setManual(result.manual ?? null);
      setNote(result.manual ? `${label}: no GitHub connection, so do it by hand with the fields below.` : `${label}: done.`);
      await reload();
      setState(await load(caseId));
    });

  const blockers = state?.publication.blockers ?? [];
  return (
    <section className="panel" id="advisory" aria-labelledby="advisory-heading">
      <h2 id="advisory-heading">Advisory</h2>
      {state ? (
        <p>
          {state.status.mode === 'manual'
            ? 'No GitHub connection for this project: manual mode. '
            : `GitHub ${state.status.repository ?? ''}. `}
          GHSA {state.status.ghsaId ?? '—'}
          {state.status.remoteState ? ` (${state.status.remoteState} on GitHub)` : ''} · CVE {state.status.cveId ?? '—'}
          {state.status.lastPushedAt
            ? ` · last pushed ${shortTime(state.status.lastPushedAt)}${state.status.upToDate ? ', up to date' : ', the case changed since'}`
            : ''}
          {state.status.forkUrl ? ` · fork ${state.status.forkUrl}` : ''}
        </p>
      ) : null}
      <div className="actions">
        <button type="button" disabled={action.busy} onClick={() => void action.run(async () => setPreview(await push(caseId, true)))}>
          Show what a push would change
        </button>
        <button type="button" disabled={action.busy} onClick={() => void act('Push', () => push(caseId, false))}>
          Push the advisory draft
        </button>
        <button
          type="button"
          disabled={action.busy}
          onClick={() => void act('CVE request', () => answer(api.POST('/api/v1/cases/{caseId}/advisory/cve', { ...path, body: {} })))}
        >
          Request a CVE id
        </button>
        <button
          type="button"
          disabled={action.busy}
          onClick={() => void act('Private fork', () => answer(api.POST('/api/v1/cases/{caseId}/advisory/fork', { ...path, body: {} })))}
        >
          Create the private fork
        </button>
        <button
          type="button"
          disabled={action.busy}
          onClick={() => void act('Sync', () => answer(api.POST('/api/v1/cases/{caseId}/advisory/sync', { ...path, body: {} })))}
        >
          Sync from GitHub
        </button>
      </div>
      <h3>Publication</h3>
      {blockers.length ? (
        <ul className="blocked" aria-label="What blocks publication">
          {blockers.map((b) => (
            <li key={b}>{b}</li>
          ))}
        </ul>
      ) : (
        <p className="ready">Every condition for publication is met.</p>
      )}
      <button
        type="button"
        className="primary"
        disabled={action.busy || blockers.length > 0}
        onClick={() => void act('Publish', () => answer(api.POST('/api/v1/cases/{caseId}/advisory/publish', { ...path, body: {} })))}
      >
        Publish the advisory
      </button>
      <ErrorLine message={action.error} />
      {note ? <p role="status">{note}</p> : null}
      {preview ? (
        <div className="preview">
          <h3>
            A push would{' '}
            {preview.action === 'none' ? 'change nothing' : preview.action === 'create' ? 'create the draft' : 'update the draft'}
          </h3>
          {preview.manual ? <p className="hint">No GitHub connection: the fields to paste are below.</p> : null}
          <table>
            <caption className="visually-hidden">Difference against GitHub</caption>
            <thead>
              <tr>
                <th scope="col">Field</th>
                <th scope="col">On GitHub</th>
                <th scope="col">From the case</th>
              </tr>
            </thead>
            <tbody>
              {preview.diff.map((d) => (
                <tr key={d.field}>
                  <td>{d.field}</td>
                  <td>
                    <pre>{show(d.from)}</pre>
                  </td>
                  <td>
                    <pre>{show(d.to)}</pre>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {manual ? <ManualFields manual={manual} /> : null}
    </section>
  );
}

function ManualFields({ manual }: { manual: Manual }) {
  return (
    <section aria-label="Fields to paste into GitHub" className="copy">
      <p>
        Open <code>{manual.where}</code> and fill in:
      </p>
      {manual.fields.map((f) => (
        <div key={f.label}>
          <div className="actions">
            <strong>{f.label}</strong>
            <CopyButton text={f.value} label={`Copy ${f.label}`} />
          </div>
          <pre>{f.value}</pre>
        </div>
      ))}
      <p>Then:</p>
      <ul>
        {manual.then.map((t) => (
          <li key={t}>{t}</li>
        ))}
      </ul>
    </section>
  );
}
