/**
 * The playbook as a checklist: each step's state, who changed it and when, its guidance; an open
 * step lists what blocks it (each with a link to the panel that fixes it) and its attestations as
 * checkboxes; done, skip with a reason, reopen with a reason.
 */
import { useState } from 'react';
import { answer, api, type StepView } from '../api.js';
import type { PanelProps } from '../pages/CasePage.js';
import { shortTime } from '../time.js';
import { ErrorLine, TextArea, useAction } from '../ui.js';

const EARLIER_STEP = /^step \d+ ".*" is not done$/;

/** The panel that fixes an unmet condition, from its wording (the API gives sentences, not gate ids). */
export function fixFor(unmet: string): { href: string; label: string } | null {
  const u = unmet.toLowerCase();
  if (/mail|message|notice|follow-up|announcement|\(kind /.test(u)) return { href: '#composer', label: 'Open the composer' };
  if (/reporter|credit|title|description|package|ghsa|cve|reference|affected/.test(u)) return { href: '#facts', label: 'Edit the facts' };
  if (/cvss|cwe|severity/.test(u)) return { href: '#severity', label: 'Set the severity' };
  if (/release|line|patch|tag|verif|embargo/.test(u)) return { href: '#release-plan', label: 'Open the release plan' };
  if (/step/.test(u)) return { href: '#checklist', label: 'See the earlier steps' };
  return null;
}

export function Checklist({ data, reload }: PanelProps) {
  const current = data.steps.find((s) => s.status === 'open')?.id;
  return (
    <section className="panel" id="checklist" aria-labelledby="checklist-heading">
      <h2 id="checklist-heading">Checklist</h2>
      <ol className="checklist">
        {data.steps.map((step) => (
          <Step key={step.id} caseId={data.case.id} step={step} current={step.id === current} reload={reload} />
        ))}
      </ol>
    </section>
  );
}

function Step({ caseId, step, current, reload }: { caseId: string; step: StepView; current: boolean; reload(): Promise<void> }) {
  const [confirmed, setConfirmed] = useState<string[]>([]);
  const [asking, setAsking] = useState<'skip' | 'reopen' | null>(null);
  const [reason, setReason] = useState('');
  const action = useAction();
  const path = { caseId, stepId: step.id };
  const headingId = `step-${step.id}`;

  const done = () =>
    action.run(async () => {
      await answer(api.POST('/api/v1/cases/{caseId}/steps/{stepId}/done', { params: { path }, body: { confirm: confirmed } }));
      setConfirmed([]);
      await reload();
    });
  const withReason = (kind: 'skip' | 'reopen') =>
    action.run(async () => {
      const url = kind === 'skip' ? '/api/v1/cases/{caseId}/steps/{stepId}/skip' : '/api/v1/cases/{caseId}/steps/{stepId}/reopen';
      await answer(api.POST(url, { params: { path }, body: { reason } }));
      setAsking(null);
      setReason('');
      await reload();
    });

  const allConfirmed = step.confirmations.every((c) => confirmed.includes(c.id));
  // Attestations are unmet until given; the checkboxes below give them, so they do not block the button.
  const isAttestation = (u: string) => step.confirmations.some((c) => u === `confirm: ${c.text}`);
  const blocking = step.unmet.filter((u) => !isAttestation(u));
  // A later step waits for the earlier ones anyway: say so once, and list only its own conditions.
  const earlier = blocking.filter((u) => EARLIER_STEP.test(u));
  const own = blocking.filter((u) => !EARLIER_STEP.test(u));
  return (
    <li aria-labelledby={headingId} className={current ? 'current' : undefined}>
      <h3 id={headingId} className="step-title">
        {step.number}. {step.title}{' '}
        <span className={`state ${step.status}`}>{step.status === 'open' ? (current ? 'next' : 'open') : step.status}</span>
      </h3>
      {step.by ? (
        <p className="hint">
          {step.status === 'open' ? 'reopened' : step.status} by {step.by} at {shortTime(step.at)}
          {step.reason ? <> — “{step.reason}”</> : null}
        </p>
      ) : null}
      <details open={current}>
        <summary>Guidance</summary>
        <ul>
          {step.guidance.map((g) => (
            <li key={g}>{g}</li>
          ))}
        </ul>
      </details>
      {step.status === 'open' && blocking.length > 0 ? (
        <div className="unmet">
          {earlier.length > 0 && !current ? (
            <p className="hint">Waits for {earlier.length === 1 ? 'an earlier step' : `${earlier.length} earlier steps`}.</p>
          ) : null}
          {own.length > 0 || current ? (
            <>
              <p>Blocked until:</p>
              <ul className="blocked">
                {(current ? blocking : own).map((u) => {
                  const fix = fixFor(u);
                  return (
                    <li key={u}>
                      {u}
                      {fix ? (
                        <>
                          {' '}
                          <a href={fix.href}>{fix.label}</a>
                        </>
                      ) : null}
                    </li>
                  );
                })}
              </ul>
            </>
          ) : null}
        </div>
      ) : null}
      {step.status === 'open' && step.confirmations.length > 0 ? (
        <fieldset className="attestations">
          <legend>Before marking it done, confirm:</legend>
          {step.confirmations.map((c) => (
            <label key={c.id} className="attestation">
              <input
                type="checkbox"
                checked={confirmed.includes(c.id)}
                onChange={(e) => setConfirmed((all) => (e.target.checked ? [...all, c.id] : all.filter((x) => x !== c.id)))}
              />{' '}
              {c.text}
            </label>
          ))}
        </fieldset>
      ) : null}
      {step.status === 'done' && step.confirmed.length > 0 ? (
        <p className="hint">
          Attested:{' '}
          {step.confirmations
            .filter((c) => step.confirmed.includes(c.id))
            .map((c) => c.text)
            .join('; ')}
        </p>
      ) : null}
      <div className="actions">
        {step.status === 'open' ? (
          <>
            <button
              type="button"
              className="primary"
              disabled={action.busy || blocking.length > 0 || !allConfirmed}
              onClick={() => void done()}
            >
              Mark step {step.number} done
            </button>
            {step.skippable ? (
              <button type="button" onClick={() => setAsking('skip')} disabled={action.busy}>
                Skip step {step.number}…
              </button>
            ) : null}
          </>
        ) : (
          <button type="button" onClick={() => setAsking('reopen')} disabled={action.busy}>
            Reopen step {step.number}…
          </button>
        )}
      </div>
      {asking ? (
        <form
          className="reason"
          onSubmit={(e) => {
            e.preventDefault();
            void withReason(asking);
          }}
        >
          <TextArea
            label={`Why ${asking} step ${step.number}?`}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            required
            rows={2}
            maxLength={2000}
          />
          <div className="actions">
            <button type="submit" disabled={action.busy || !reason.trim()}>
              {asking === 'skip' ? 'Skip' : 'Reopen'} step {step.number}
            </button>
            <button type="button" onClick={() => setAsking(null)}>
              Cancel
            </button>
          </div>
        </form>
      ) : null}
      <ErrorLine message={action.error} />
    </li>
  );
}
