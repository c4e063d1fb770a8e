/**
 * A report that gets no advisory: close it as rejected (not a vulnerability, out of scope, cannot
 * reproduce), a duplicate of another case, or withdrawn by the reporter — with the reason, and the
 * reporter told from the playbook's template unless the team says not to. A closed case shows its
 * outcome, and the project's admins can reopen it with a reason. Closing is a deliberate act, so
 * the form stays folded away until someone opens it.
 */
import { type FormEvent, useState } from 'react';
import { answer, api, detailed } from '../api.js';
import type { PanelProps } from '../pages/CasePage.js';
import { shortTime } from '../time.js';
import { ErrorLine, Field, TextArea, useAction } from '../ui.js';

const OUTCOMES = {
  rejected: 'Rejected: no advisory',
  duplicate: 'Duplicate of another case',
  withdrawn: 'Withdrawn by the reporter',
} as const;
type Outcome = keyof typeof OUTCOMES;

const CATEGORIES = {
  'not-a-vulnerability': 'not a vulnerability',
  'out-of-scope': 'out of scope',
  'cannot-reproduce': 'cannot reproduce',
} as const;

export function CaseOutcome({ data, reload }: PanelProps) {
  const c = data.case;
  const action = useAction();
  const [outcome, setOutcome] = useState<Outcome>('rejected');
  const [told, setTold] = useState<string | null>(null);
  const params = { path: { caseId: c.id }, header: { 'if-match': `"${c.revision}"` } };

  const close = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const reason = String(form.get('reason') ?? '').trim();
    const category = String(form.get('category') ?? '') as keyof typeof CATEGORIES;
    const duplicateOf = String(form.get('duplicateOf') ?? '').trim();
    const tell = form.get('tell') === 'yes';
    void action.run(async () => {
      const closed = await detailed(
        api.POST('/api/v1/cases/{caseId}/resolution', {
          params,
          body: {
            outcome,
            reason,
            ...(outcome === 'rejected' ? { category } : {}),
            ...(outcome === 'duplicate' ? { duplicateOf } : {}),
          },
        }),
      );
      if (tell && closed.reporter?.contact) {
        const mail = await detailed(
          api.POST('/api/v1/cases/{caseId}/messages', { params: { path: { caseId: c.id } }, body: { kind: 'reporter-closed' } }),
        );
        setTold(`The reporter's mail is queued (${mail.message.to.join(', ')}); see the outbox below.`);
      } else setTold(tell ? 'The case has no reporter contact, so no one was told.' : null);
      await reload();
    });
  };
  const reopen = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const reason = String(new FormData(event.currentTarget).get('reason') ?? '').trim();
    void action.run(async () => {
      await answer(api.POST('/api/v1/cases/{caseId}/reopen', { params, body: { reason } }));
      setTold(null);
      await reload();
    });
  };

  const r = c.resolution;
  if (r) {
    return (
      <section className="panel" id="outcome" aria-labelledby="outcome-heading">
        <h2 id="outcome-heading">Closed without an advisory</h2>
        <p>
          <strong>{OUTCOMES[r.outcome]}</strong>
          {r.category ? ` (${CATEGORIES[r.category]})` : ''}
          {r.duplicateOf ? ` of ${r.duplicateOf}` : ''} — by {r.by} at {shortTime(r.at)}: “{r.reason}”
        </p>
        <p className="hint">Its codename and guard terms no longer block commits.</p>
        {told ? <p role="status">{told}</p> : null}
        <form onSubmit={reopen} aria-label="Reopen the case">
          <TextArea label="Why reopen it?" name="reason" required rows={2} maxLength={2000} hint="The project's admins can reopen it." />
          <button type="submit" disabled={action.busy}>
            Reopen {c.id}
          </button>
        </form>
        <ErrorLine message={action.error} />
      </section>
    );
  }
  return (
    <section className="panel" id="outcome" aria-labelledby="outcome-heading">
      <h2 id="outcome-heading">Outcome</h2>
      <details>
        <summary>Close this report without an advisory…</summary>
        <form onSubmit={close} aria-label="Close the report">
          <fieldset>
            <legend>Outcome</legend>
            {(Object.keys(OUTCOMES) as Outcome[]).map((o) => (
              <label key={o} className="attestation">
                <input type="radio" name="outcome" value={o} checked={outcome === o} onChange={() => setOutcome(o)} /> {OUTCOMES[o]}
              </label>
            ))}
          </fieldset>
          {outcome === 'rejected' ? (
            <div className="field">
              <label htmlFor="reject-category">Why it is rejected</label>
              <select id="reject-category" name="category" defaultValue="not-a-vulnerability">
                {Object.entries(CATEGORIES).map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </select>
            </div>
          ) : null}
          {outcome === 'duplicate' ? (
            <Field label="Duplicate of (case id)" name="duplicateOf" required placeholder="EMB-2026-0001" />
          ) : null}
          <TextArea
            label="Reason, for the team and the audit log"
            name="reason"
            required
            rows={3}
            maxLength={2000}
            hint="The reporter gets the playbook's template, not this text."
          />
          <label className="attestation">
            <input type="checkbox" name="tell" value="yes" defaultChecked /> Queue the mail that tells the reporter
          </label>
          <button type="submit" className="danger" disabled={action.busy}>
            Close {c.id}
          </button>
        </form>
      </details>
      {told ? <p role="status">{told}</p> : null}
      <ErrorLine message={action.error} />
    </section>
  );
}
