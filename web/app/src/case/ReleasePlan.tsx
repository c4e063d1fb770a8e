/** Release plan: the embargo, the lines that get a patch, what is released and whether the tag was verified. */
import { type FormEvent, useState } from 'react';
import { answer, api } from '../api.js';
import type { PanelProps } from '../pages/CasePage.js';
import { inZone, shortTime, viewerZone } from '../time.js';
import { ErrorLine, Field, TextArea, useAction } from '../ui.js';

export function ReleasePlan({ data, reload }: PanelProps) {
  const c = data.case;
  const action = useAction();
  const [planText, setPlanText] = useState(() => c.releasePlan.map((l) => `${l.line}=${l.version}`).join('\n'));
  const path = { caseId: c.id };
  const header = { 'if-match': `"${c.revision}"` };

  const setEmbargo = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    void action.run(async () => {
      await answer(
        api.PUT('/api/v1/cases/{caseId}/embargo', {
          params: { path, header },
          body: { endsAt: String(form.get('endsAt')), timeZone: String(form.get('timeZone')) },
        }),
      );
      await reload();
    });
  };
  const plan = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const lines = planText
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .map((l) => {
        const [line = '', version = ''] = l.split('=').map((x) => x.trim());
        return { line, version };
      });
    void action.run(async () => {
      await answer(api.PUT('/api/v1/cases/{caseId}/release-plan', { params: { path, header }, body: { lines } }));
      await reload();
    });
  };
  const release = (line: string, tag: string) =>
    action.run(async () => {
      await answer(api.POST('/api/v1/cases/{caseId}/releases', { params: { path, header }, body: { line, ...(tag ? { tag } : {}) } }));
      await reload();
    });

  return (
    <section className="panel" id="release-plan" aria-labelledby="release-heading">
      <h2 id="release-heading">Release plan</h2>
      <form onSubmit={setEmbargo} aria-label="Embargo" className="inline-form">
        <Field
          label="Embargo ends (local time)"
          name="endsAt"
          defaultValue={c.embargo ? inZone(c.embargo.endsAt, c.embargo.timeZone).replace(/ \S+$/, '') : ''}
          placeholder="2026-12-01 17:00"
          required
        />
        <Field label="Agreed time zone" name="timeZone" defaultValue={c.embargo?.timeZone ?? viewerZone} required />
        <button type="submit" disabled={action.busy}>
          Set the embargo
        </button>
      </form>
      {c.releasePlan.length ? (
        <table>
          <caption className="visually-hidden">Release lines</caption>
          <thead>
            <tr>
              <th scope="col">Line</th>
              <th scope="col">Patch</th>
              <th scope="col">Released</th>
              <th scope="col">Verified</th>
            </tr>
          </thead>
          <tbody>
            {c.releasePlan.map((l) => (
              <tr key={l.line}>
                <td>{l.line}</td>
                <td>{l.version}</td>
                <td>
                  {l.releasedAt ? (
                    `${shortTime(l.releasedAt)}${l.tag ? ` (${l.tag})` : ''}`
                  ) : (
                    <button type="button" onClick={() => void release(l.line, `v${l.version}`)} disabled={action.busy}>
                      Record {l.version} as released
                    </button>
                  )}
                </td>
                <td>{l.verifiedAt ? `yes, ${shortTime(l.verifiedAt)}` : 'no'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="hint">No release lines planned yet.</p>
      )}
      <form onSubmit={plan} aria-label="Plan the releases">
        <TextArea
          label="Release lines"
          value={planText}
          onChange={(e) => setPlanText(e.target.value)}
          rows={3}
          hint="One per line: LINE=VERSION, e.g. 1.28=1.28.3"
        />
        <button type="submit" disabled={action.busy}>
          Save the release plan
        </button>
      </form>
      <ErrorLine message={action.error} />
    </section>
  );
}
