/**
 * Who knows: the register (everyone who received embargoed information, from the sent mails, the
 * list's members at that moment and recorded disclosures), recording a disclosure, the members'
 * answers on the proposed date and marking it agreed, and leak incidents with their follow-up.
 */
import { type FormEvent, useEffect, useState } from 'react';
import { answer, api, detailed } from '../api.js';
import type { PanelProps } from '../pages/CasePage.js';
import { shortTime } from '../time.js';
import { ErrorLine, Field, TextArea, useAction } from '../ui.js';

const loadAll = async (caseId: string) => {
  const path = { params: { path: { caseId } } };
  const [register, acks, leaks] = await Promise.all([
    answer(api.GET('/api/v1/cases/{caseId}/register', path)),
    answer(api.GET('/api/v1/cases/{caseId}/acks', path)),
    answer(api.GET('/api/v1/cases/{caseId}/leaks', path)),
  ]);
  return { register, acks, leaks: leaks.leaks };
};
type State = Awaited<ReturnType<typeof loadAll>>;

const CHANNELS = ['mail', 'phone', 'chat', 'meeting', 'other'] as const;

export function WhoKnows({ data, reload }: PanelProps) {
  const caseId = data.case.id;
  const [state, setState] = useState<State | null>(null);
  const [warnings, setWarnings] = useState<string[]>([]);
  const action = useAction();
  const refresh = async () => setState(await loadAll(caseId));

  // biome-ignore lint/correctness/useExhaustiveDependencies: reload when the case changed
  useEffect(() => {
    void action.run(refresh);
  }, [caseId, data.case.revision]);

  const submit = (event: FormEvent<HTMLFormElement>, send: (form: FormData) => Promise<unknown>) => {
    event.preventDefault();
    const element = event.currentTarget;
    const form = new FormData(element);
    void action.run(async () => {
      await send(form);
      element.reset();
      await refresh();
    });
  };
  const path = { caseId };
  const text = (form: FormData, name: string) => String(form.get(name) ?? '').trim();

  const disclose = (form: FormData) =>
    answer(
      api.POST('/api/v1/cases/{caseId}/disclosures', {
        params: { path },
        body: {
          recipient: text(form, 'recipient'),
          what: text(form, 'what'),
          channel: text(form, 'channel') as (typeof CHANNELS)[number],
          acceptedTerms: form.get('acceptedTerms') === 'on',
        },
      }),
    );
  const leak = (form: FormData) =>
    answer(
      api.POST('/api/v1/cases/{caseId}/leaks', {
        params: { path },
        body: {
          what: text(form, 'what'),
          leakedTo: text(form, 'leakedTo'),
          reportedBy: text(form, 'reportedBy'),
          followUp: text(form, 'followUp'),
        },
      }),
    );
  const answerFor = (distributorId: string, kind: 'ack' | 'objection', reason?: string) =>
    action.run(async () => {
      await answer(
        api.PUT('/api/v1/cases/{caseId}/acks/{distributorId}', {
          params: { path: { caseId, distributorId } },
          body: { answer: kind, ...(reason ? { reason } : {}) },
        }),
      );
      await refresh();
    });
  const agree = () =>
    action.run(async () => {
      const agreed = await detailed(api.POST('/api/v1/cases/{caseId}/embargo/agree', { params: { path } }));
      setWarnings(agreed.warnings);
      // The agreement shows in this panel's answers, and the checklist's gates read it too.
      await Promise.all([refresh(), reload()]);
    });
  const closeLeak = (leakId: string) =>
    action.run(async () => {
      await answer(
        api.PATCH('/api/v1/cases/{caseId}/leaks/{leakId}', { params: { path: { caseId, leakId } }, body: { status: 'closed' } }),
      );
      await refresh();
    });

  return (
    <section className="panel" id="who-knows" aria-labelledby="who-knows-heading">
      <h2 id="who-knows-heading">Who knows</h2>
      <ErrorLine message={action.error} />
      {state ? (
        <>
          <h3>Register</h3>
          {state.register.entries.length === 0 ? <p className="hint">Nobody outside the team has been told yet.</p> : null}
          <ul>
            {state.register.entries.map((e) => (
              <li key={`${e.at}-${e.who}-${e.messageId ?? e.disclosureId ?? ''}`}>
                {shortTime(e.at)}: <strong>{e.who}</strong> — {e.what} ({e.source}
                {e.channel ? `, ${e.channel}` : ''}
                {e.acceptedTerms === false ? ', terms not accepted' : ''})
              </li>
            ))}
          </ul>
          <form onSubmit={(e) => submit(e, disclose)} aria-label="Record a disclosure">
            <h4>Record a disclosure</h4>
            <Field label="Told whom" name="recipient" required maxLength={200} />
            <TextArea label="What they were told" name="what" required rows={2} maxLength={2000} />
            <div className="field">
              <label htmlFor="disclosure-channel">How</label>
              <select id="disclosure-channel" name="channel" defaultValue="mail">
                {CHANNELS.map((c) => (
                  <option key={c}>{c}</option>
                ))}
              </select>
            </div>
            <label className="inline">
              <input type="checkbox" name="acceptedTerms" /> They accepted the embargo terms
            </label>
            <div className="actions">
              <button type="submit" disabled={action.busy}>
                Record the disclosure
              </button>
            </div>
          </form>

          <h3>Answers on the date</h3>
          {state.acks.members.length === 0 ? <p className="hint">The distributors list has no members.</p> : null}
          <ul>
            {state.acks.members.map((m) => (
              <li key={m.distributorId}>
                {m.organisation}: <strong>{m.state}</strong>
                {m.reason ? ` (“${m.reason}”)` : ''}{' '}
                <button type="button" onClick={() => void answerFor(m.distributorId, 'ack')} disabled={action.busy}>
                  {m.organisation} agrees
                </button>{' '}
                <details className="inline">
                  <summary>{m.organisation} objects…</summary>
                  <form
                    onSubmit={(e) => {
                      e.preventDefault();
                      const reason = String(new FormData(e.currentTarget).get('reason') ?? '').trim();
                      void answerFor(m.distributorId, 'objection', reason);
                    }}
                  >
                    <Field label={`Why ${m.organisation} objects`} name="reason" required maxLength={2000} />
                    <button type="submit" disabled={action.busy}>
                      Record the objection
                    </button>
                  </form>
                </details>
              </li>
            ))}
          </ul>
          <p>
            {state.acks.agreement ? (
              <>
                Agreed by {state.acks.agreement.agreedBy} at {shortTime(state.acks.agreement.agreedAt)}.{' '}
              </>
            ) : null}
            <button type="button" onClick={() => void agree()} disabled={action.busy || !data.case.embargo}>
              Mark the embargo date as agreed
            </button>
          </p>
          {warnings.length ? (
            <ul className="warning" aria-label="Agreement warnings">
              {warnings.map((w) => (
                <li key={w}>{w}</li>
              ))}
            </ul>
          ) : null}

          <h3>Leaks</h3>
          {state.leaks.length === 0 ? <p className="hint">No leak recorded.</p> : null}
          <ul>
            {state.leaks.map((l) => (
              <li key={l.id}>
                <strong>{l.status}</strong> {l.what} — to {l.leakedTo}, reported by {l.reportedBy} ({shortTime(l.reportedAt)})
                {l.followUp ? <div className="hint">Follow-up: {l.followUp}</div> : null}
                {l.status === 'open' ? (
                  <button type="button" onClick={() => void closeLeak(l.id)} disabled={action.busy}>
                    Close the leak
                  </button>
                ) : null}
              </li>
            ))}
          </ul>
          <form onSubmit={(e) => submit(e, leak)} aria-label="Record a leak">
            <h4>Record a leak</h4>
            <TextArea label="What leaked" name="what" required rows={2} maxLength={2000} />
            <Field label="Leaked to" name="leakedTo" required maxLength={500} />
            <Field label="Reported by" name="reportedBy" required maxLength={200} />
            <TextArea label="Follow-up" name="followUp" rows={2} maxLength={5000} />
            <div className="actions">
              <button type="submit" disabled={action.busy}>
                Record the leak
              </button>
            </div>
          </form>
        </>
      ) : null}
    </section>
  );
}
