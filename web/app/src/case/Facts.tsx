/**
 * Facts: title, description (Markdown, rendered safely), affected ranges, package, references,
 * reporter and credits, and the original report as the reporter sent it (shown, never edited). Editing sends only the fields that changed, with If-Match on the revision
 * read, so a change made meanwhile by someone else is refused (naming what changed) instead of lost.
 */
import { type FormEvent, useState } from 'react';
import { answer, api, type Case } from '../api.js';
import { Markdown } from '../markdown.js';
import type { PanelProps } from '../pages/CasePage.js';
import { shortTime } from '../time.js';
import { ErrorLine, Field, TextArea, useAction } from '../ui.js';

type Edit = NonNullable<Parameters<typeof patchCase>[1]>;
const patchCase = (c: Case, body: Record<string, unknown>) =>
  answer(
    api.PATCH('/api/v1/cases/{caseId}', {
      params: { path: { caseId: c.id }, header: { 'if-match': `"${c.revision}"` } },
      body: body as never,
    }),
  );

const rangesText = (c: Case) => c.affected.map((r) => `${r.introduced}..${r.fixed ?? ''}`).join('\n');
const lines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

/** The form's values as a CaseEdit holding only what differs from the case. */
function changes(c: Case, form: FormData): Record<string, unknown> {
  const get = (name: string) => String(form.get(name) ?? '').trim();
  const edit: Record<string, unknown> = {};
  if (get('title') !== c.title) edit.title = get('title');
  if (String(form.get('description') ?? '') !== c.description) edit.description = String(form.get('description') ?? '');
  if (String(form.get('workarounds') ?? '') !== c.workarounds) edit.workarounds = String(form.get('workarounds') ?? '');
  if (get('ghsaId') !== (c.ghsaId ?? '')) edit.ghsaId = get('ghsaId') || null;
  if (get('cveId') !== (c.cveId ?? '')) edit.cveId = get('cveId') || null;
  const refs = lines(String(form.get('references') ?? ''));
  if (refs.join('\n') !== c.references.join('\n')) edit.references = refs;
  const ranges = lines(String(form.get('affected') ?? ''));
  if (ranges.join('\n') !== rangesText(c)) {
    edit.affected = ranges.map((r) => {
      const [introduced = '', fixed = ''] = r.split('..').map((x) => x.trim());
      return { introduced, fixed: fixed || null };
    });
  }
  const ecosystem = get('ecosystem');
  const name = get('packageName');
  if (ecosystem !== (c.package?.ecosystem ?? '') || name !== (c.package?.name ?? '')) {
    edit.package = ecosystem || name ? { ecosystem, name } : null;
  }
  const reporter = {
    name: get('reporterName'),
    contact: get('reporterContact'),
    company: get('reporterCompany') || null,
    credit: get('credit'),
  };
  const before = c.reporter;
  if (
    reporter.name !== (before?.name ?? '') ||
    reporter.contact !== (before?.contact ?? '') ||
    reporter.company !== (before?.company ?? null) ||
    (before && reporter.credit !== before.credit)
  ) {
    edit.reporter = reporter.name || reporter.contact ? reporter : null;
  }
  return edit;
}

export function Facts({ data, reload }: PanelProps) {
  const c = data.case;
  const [editing, setEditing] = useState(false);
  const action = useAction();

  const save = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const edit = changes(c, new FormData(event.currentTarget)) as Edit;
    if (Object.keys(edit).length === 0) {
      setEditing(false);
      return;
    }
    void action.run(async () => {
      await patchCase(c, edit);
      setEditing(false);
      await reload();
    });
  };

  return (
    <section className="panel" id="facts" aria-labelledby="facts-heading">
      <h2 id="facts-heading">Facts</h2>
      {editing ? (
        <form onSubmit={save} aria-label="Edit the facts">
          <Field label="Title" name="title" defaultValue={c.title} required maxLength={200} />
          <TextArea label="Description (Markdown)" name="description" defaultValue={c.description} rows={6} />
          <TextArea label="Workarounds (Markdown)" name="workarounds" defaultValue={c.workarounds} rows={3} />
          <TextArea
            label="Affected ranges"
            name="affected"
            defaultValue={rangesText(c)}
            rows={3}
            hint="One per line: introduced..fixed (1.19.0..1.27.4), or introduced.. when no fix is planned."
          />
          <Field label="Package ecosystem" name="ecosystem" defaultValue={c.package?.ecosystem ?? ''} hint="OSV's name: Go, npm, PyPI…" />
          <Field label="Package name" name="packageName" defaultValue={c.package?.name ?? ''} />
          <TextArea label="References" name="references" defaultValue={c.references.join('\n')} rows={3} hint="One URL per line." />
          <Field label="GHSA id" name="ghsaId" defaultValue={c.ghsaId ?? ''} />
          <Field label="CVE id" name="cveId" defaultValue={c.cveId ?? ''} />
          <fieldset>
            <legend>Reporter</legend>
            <Field label="Reporter name" name="reporterName" defaultValue={c.reporter?.name ?? ''} />
            <Field
              label="Reporter contact"
              name="reporterContact"
              defaultValue={c.reporter?.contact ?? ''}
              hint="Private; never published."
            />
            <Field label="Reporter company" name="reporterCompany" defaultValue={c.reporter?.company ?? ''} />
            <div className="field">
              <label htmlFor="credit">Credit preference</label>
              <select id="credit" name="credit" defaultValue={c.reporter?.credit ?? 'named'}>
                <option value="named">named</option>
                <option value="anonymous">anonymous</option>
                <option value="name-without-company">name without company</option>
              </select>
            </div>
          </fieldset>
          <div className="actions">
            <button type="submit" className="primary" disabled={action.busy}>
              Save the facts
            </button>
            <button type="button" onClick={() => setEditing(false)}>
              Cancel
            </button>
          </div>
          <ErrorLine message={action.error} />
        </form>
      ) : (
        <>
          <dl className="facts">
            <dt>Title</dt>
            <dd>{c.title}</dd>
            <dt>Reporter</dt>
            <dd>
              {c.reporter ? (
                <>
                  {c.reporter.name}
                  {c.reporter.company ? ` (${c.reporter.company})` : ''} — {c.reporter.contact}; credit: {c.reporter.credit}
                </>
              ) : (
                'not recorded'
              )}
            </dd>
            <dt>Package</dt>
            <dd>{c.package ? `${c.package.ecosystem}: ${c.package.name}` : 'not set'}</dd>
            <dt>Affected</dt>
            <dd>{c.affected.length ? c.affected.map((r) => `${r.introduced} → ${r.fixed ?? 'no fix'}`).join(', ') : 'not set'}</dd>
            <dt>Ids</dt>
            <dd>
              GHSA {c.ghsaId ?? '—'} · CVE {c.cveId ?? '—'}
            </dd>
            <dt>Credits</dt>
            <dd>
              {c.credits.length
                ? c.credits.map((cr) => (cr.anonymous ? `anonymous (${cr.type})` : `${cr.name} (${cr.type})`)).join(', ')
                : 'none besides the reporter'}
            </dd>
          </dl>
          <h3>Description</h3>
          {c.description.trim() ? (
            <Markdown text={c.description} label="Description" />
          ) : (
            <p className="hint">
              Not written yet. The advisory is pushed and exported only once it is: write it in your words
              {c.report ? '; the reporter’s own are in the original report below' : ''}.
            </p>
          )}
          <h3>Workarounds</h3>
          <Markdown text={c.workarounds} label="Workarounds" />
          <h3>References</h3>
          {c.references.length ? (
            <ul>
              {c.references.map((r) => (
                <li key={r}>{r}</li>
              ))}
            </ul>
          ) : (
            <p className="hint">None yet.</p>
          )}
          <button type="button" onClick={() => setEditing(true)}>
            Edit the facts
          </button>
          {c.report ? <OriginalReport report={c.report} /> : null}
        </>
      )}
    </section>
  );
}

/** The report as the reporter sent it: kept apart from the advisory and never edited. */
function OriginalReport({ report }: { report: NonNullable<Case['report']> }) {
  return (
    <details className="original-report">
      <summary>Original report ({report.source === 'mail' ? 'by mail' : 'from the report form'})</summary>
      <dl className="facts">
        <dt>Subject</dt>
        <dd>{report.title}</dd>
        <dt>From</dt>
        <dd>{report.sender ? `${report.sender.name ? `${report.sender.name} ` : ''}<${report.sender.address}>` : 'not recorded'}</dd>
        <dt>Sent</dt>
        <dd>{report.sentAt ? shortTime(report.sentAt) : 'not recorded'}</dd>
        {report.messageId ? (
          <>
            <dt>Message-ID</dt>
            <dd>
              <code>{report.messageId}</code>
            </dd>
          </>
        ) : null}
        {report.attachments.length ? (
          <>
            <dt>Attachments</dt>
            <dd>{report.attachments.join(', ')} (left in the original mail)</dd>
          </>
        ) : null}
      </dl>
      <pre className="report-text">{report.text}</pre>
    </details>
  );
}
