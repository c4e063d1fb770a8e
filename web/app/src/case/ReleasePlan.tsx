/**
 * Release plan: the embargo, the lines that get a patch (the latest release of each and the next
 * patch), what is released under which tag and whether the tag was checked to carry the fix. A
 * release recorded by mistake is corrected or undone here with a reason; both reset the line's
 * verification, which the git check (`embargo plan verify`, it needs the repository) gives again.
 */
import { type FormEvent, useState } from 'react';
import { releaseTagWarning } from '../../../../src/domain/case/release-correction.js';
import { answer, api } from '../api.js';
import type { PanelProps } from '../pages/CasePage.js';
import { inZone, shortTime, viewerZone } from '../time.js';
import { CopyButton, ErrorLine, Field, TextArea, useAction } from '../ui.js';

export function ReleasePlan({ data, reload }: PanelProps) {
  const c = data.case;
  const action = useAction();
  const [planText, setPlanText] = useState(() =>
    c.releasePlan.map((l) => `${l.line}=${l.version}${l.plannedAt ? `@${l.plannedAt.slice(0, 10)}` : ''}`).join('\n'),
  );
  const path = { caseId: c.id };
  const header = { 'if-match': `"${c.revision}"` };

  const setEmbargo = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    void action.run(async () => {
      await answer(
        api.PUT('/api/v1/cases/{caseId}/embargo', {
          params: { path, header },
          body: {
            endsAt: String(form.get('endsAt')),
            timeZone: String(form.get('timeZone')),
            ...(String(form.get('allowPast') ?? '').trim() ? { allowPast: String(form.get('allowPast')).trim() } : {}),
          },
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
        const [spec = '', plannedAt = ''] = l.split('@').map((x) => x.trim());
        const [line = '', version = ''] = spec.split('=').map((x) => x.trim());
        return { line, version, ...(plannedAt ? { plannedAt } : {}) };
      });
    void action.run(async () => {
      await answer(api.PUT('/api/v1/cases/{caseId}/release-plan', { params: { path, header }, body: { lines } }));
      await reload();
    });
  };
  const release = (event: FormEvent<HTMLFormElement>, line: string) => {
    event.preventDefault();
    const tag = String(new FormData(event.currentTarget).get('tag') ?? '').trim();
    void action.run(async () => {
      await answer(api.POST('/api/v1/cases/{caseId}/releases', { params: { path, header }, body: { line, ...(tag ? { tag } : {}) } }));
      await reload();
    });
  };
  const released = c.releasePlan.filter((l) => l.releasedAt);
  const unverified = released.filter((l) => !l.verifiedAt);
  const warnings = released.map((l) => releaseTagWarning(l)).filter((w): w is string => w !== null);
  const verifyCommand = `npx embargo plan verify --case ${c.id} --repo PATH --fix FIX_COMMIT --tag ${released.map((l) => l.tag ?? `v${l.version}`).join(' ')}`;

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
        <Field
          label="Why a past time is right"
          name="allowPast"
          maxLength={2000}
          hint="Only when replaying an old case: a time already past is refused without a reason."
        />
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
              <th scope="col">Latest</th>
              <th scope="col">Next patch</th>
              <th scope="col">Planned</th>
              <th scope="col">Released</th>
              <th scope="col">Fix verified</th>
            </tr>
          </thead>
          <tbody>
            {c.releasePlan.map((l) => (
              <tr key={l.line}>
                <td>{l.line}</td>
                <td>{l.latest ?? '—'}</td>
                <td>{l.version}</td>
                <td>{l.plannedAt ? shortTime(l.plannedAt) : '—'}</td>
                <td>
                  {l.releasedAt ? (
                    `${shortTime(l.releasedAt)}${l.tag ? ` as ${l.tag}` : ''}`
                  ) : (
                    <form onSubmit={(e) => release(e, l.line)} aria-label={`Release of ${l.line}`} className="inline-form">
                      <Field label={`Tag of ${l.version}`} name="tag" defaultValue={`v${l.version}`} maxLength={128} />
                      <button type="submit" disabled={action.busy}>
                        Record {l.version} as released
                      </button>
                    </form>
                  )}
                </td>
                <td>{l.verifiedAt ? `yes, ${shortTime(l.verifiedAt)}` : l.releasedAt ? 'not yet' : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="hint">No release lines planned yet: plan them below, or from the repository with npx embargo plan --case {c.id}.</p>
      )}
      {warnings.map((w) => (
        <p key={w} className="warning">
          Check: {w}. Correct it below if it is wrong.
        </p>
      ))}
      {unverified.length > 0 ? (
        <p className="hint">
          Publishing needs every released tag checked to carry the fix. In a clone of the repository: <code>{verifyCommand}</code>{' '}
          <CopyButton text={verifyCommand} label="Copy the verify command" />
        </p>
      ) : null}
      {released.length > 0 && !c.publishedAt ? <CorrectRelease data={data} reload={reload} /> : null}
      <form onSubmit={plan} aria-label="Plan the releases">
        <TextArea
          label="Release lines"
          value={planText}
          onChange={(e) => setPlanText(e.target.value)}
          rows={3}
          hint="One per line: LINE=VERSION, and @DATE for the planned day, e.g. 1.28=1.28.3@2026-12-10 (it goes to the team calendar)"
        />
        <button type="submit" disabled={action.busy}>
          Save the release plan
        </button>
      </form>
      <ErrorLine message={action.error} />
    </section>
  );
}

/** Correct a recorded release (the right tag, or the version that really shipped) or undo it, with the reason. */
function CorrectRelease({ data, reload }: PanelProps) {
  const c = data.case;
  const action = useAction();
  const released = c.releasePlan.filter((l) => l.releasedAt);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const get = (name: string) => String(form.get(name) ?? '').trim();
    const line = get('line');
    const reason = get('reason');
    const params = { path: { caseId: c.id, line }, header: { 'if-match': `"${c.revision}"` } };
    void action.run(async () => {
      if (get('what') === 'undo') {
        await answer(api.POST('/api/v1/cases/{caseId}/releases/{line}/undo', { params, body: { reason } }));
      } else {
        const tag = get('tag');
        const version = get('version');
        await answer(
          api.POST('/api/v1/cases/{caseId}/releases/{line}/correction', {
            params,
            body: { reason, ...(tag ? { tag } : {}), ...(version ? { version } : {}) },
          }),
        );
      }
      await reload();
    });
  };
  return (
    <details>
      <summary>Correct or undo a recorded release…</summary>
      <form onSubmit={submit} aria-label="Correct a release">
        <div className="field">
          <label htmlFor="correct-line">Release line to correct</label>
          <select id="correct-line" name="line">
            {released.map((l) => (
              <option key={l.line} value={l.line}>
                {l.line} ({l.tag ?? l.version})
              </option>
            ))}
          </select>
        </div>
        <fieldset>
          <legend>What is right</legend>
          <label className="attestation">
            <input type="radio" name="what" value="correct" defaultChecked /> It shipped, under another tag or version
          </label>
          <label className="attestation">
            <input type="radio" name="what" value="undo" /> It is not released yet
          </label>
        </fieldset>
        <Field label="Right tag" name="tag" maxLength={128} hint="e.g. v1.33.4; blank keeps the recorded one" />
        <Field label="Version that shipped" name="version" maxLength={64} hint="blank keeps the planned one" />
        <TextArea label="Why, for the audit log" name="reason" required rows={2} maxLength={2000} />
        <button type="submit" disabled={action.busy}>
          Save the correction
        </button>
        <p className="hint">Either resets the line's verification: check the tag again afterwards.</p>
      </form>
      <ErrorLine message={action.error} />
    </details>
  );
}
