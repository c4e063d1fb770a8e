/**
 * Who may see the case (the need-to-know list; admins change it), the reporter's portal link and
 * what the reporter wrote back, and the exports (OSV, CVE 5, CSAF, the GHSA body, Markdown, the
 * case file) as downloads: plain GETs with the session cookie, the case id the only case data in the URL.
 */
import { type FormEvent, useEffect, useState } from 'react';
import { answer, api, detailed } from '../api.js';
import type { PanelProps } from '../pages/CasePage.js';
import { useSession } from '../session.js';
import { shortTime } from '../time.js';
import { ErrorLine, Field, useAction } from '../ui.js';

type Access = Awaited<ReturnType<typeof loadAccess>>['access'];
type Replies = Awaited<ReturnType<typeof loadReplies>>['replies'];
const loadAccess = (caseId: string) => answer(api.GET('/api/v1/cases/{caseId}/access', { params: { path: { caseId } } }));
const loadReplies = (caseId: string) => answer(api.GET('/api/v1/cases/{caseId}/replies', { params: { path: { caseId } } }));

export function AccessList({ data }: PanelProps) {
  const caseId = data.case.id;
  const { user } = useSession();
  const [access, setAccess] = useState<Access>([]);
  const action = useAction();

  // biome-ignore lint/correctness/useExhaustiveDependencies: load once per case
  useEffect(() => {
    void action.run(async () => setAccess((await loadAccess(caseId)).access));
  }, [caseId]);

  const grant = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const username = String(new FormData(form).get('username')).trim();
    void action.run(async () => {
      setAccess((await detailed(api.PUT('/api/v1/cases/{caseId}/access/{username}', { params: { path: { caseId, username } } }))).access);
      form.reset();
    });
  };
  const revoke = (username: string) =>
    action.run(async () =>
      setAccess(
        (await detailed(api.DELETE('/api/v1/cases/{caseId}/access/{username}', { params: { path: { caseId, username } } }))).access,
      ),
    );

  return (
    <section className="panel" id="access" aria-labelledby="access-heading">
      <h2 id="access-heading">Access list</h2>
      <p className="hint">Only these people (and admins) can see the case; for anyone else it does not exist.</p>
      <ul>
        {access.map((a) => (
          <li key={a.userId}>
            {a.username}{' '}
            <span className="hint">
              (added by {a.grantedBy}, {shortTime(a.grantedAt)})
            </span>{' '}
            {user.role === 'admin' ? (
              <button type="button" onClick={() => void revoke(a.username)} disabled={action.busy}>
                Remove {a.username}
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      {user.role === 'admin' ? (
        <form onSubmit={grant} aria-label="Add to the access list" className="inline-form">
          <Field label="Username to add" name="username" required />
          <button type="submit" disabled={action.busy}>
            Add to the case
          </button>
        </form>
      ) : null}
      <ErrorLine message={action.error} />
    </section>
  );
}

export function ReporterPortal({ data }: PanelProps) {
  const caseId = data.case.id;
  const [replies, setReplies] = useState<Replies>([]);
  const [link, setLink] = useState<string | null>(null);
  const action = useAction();

  // biome-ignore lint/correctness/useExhaustiveDependencies: load once per case
  useEffect(() => {
    void action.run(async () => setReplies((await loadReplies(caseId)).replies));
  }, [caseId]);

  const issue = () =>
    action.run(async () => {
      const issued = await detailed(api.POST('/api/v1/cases/{caseId}/portal-link', { params: { path: { caseId } }, body: {} }));
      setLink(issued.url);
    });
  const revoke = () =>
    action.run(async () => {
      await answer(api.DELETE('/api/v1/cases/{caseId}/portal-link', { params: { path: { caseId } } }));
      setLink(null);
    });

  return (
    <section className="panel" id="reporter" aria-labelledby="reporter-heading">
      <h2 id="reporter-heading">Reporter portal</h2>
      <div className="actions">
        <button type="button" onClick={() => void issue()} disabled={action.busy}>
          Issue a new portal link
        </button>
        <button type="button" onClick={() => void revoke()} disabled={action.busy}>
          Revoke the portal link
        </button>
      </div>
      {link ? (
        <p role="status">
          The new link (shown only now; the old one stopped working): <code className="secret-link">{link}</code>
        </p>
      ) : null}
      <h3>Replies</h3>
      {replies.length === 0 ? <p className="hint">The reporter has not written back.</p> : null}
      <ol>
        {replies.map((r) => (
          <li key={r.id}>
            <time dateTime={r.at}>{shortTime(r.at)}</time>
            <pre className="reply">{r.body}</pre>
          </li>
        ))}
      </ol>
      <ErrorLine message={action.error} />
    </section>
  );
}

const EXPORTS: [string, string][] = [
  ['osv', 'OSV'],
  ['cve5', 'CVE JSON 5'],
  ['csaf', 'CSAF 2.0'],
  ['ghsa', 'GitHub advisory body'],
  ['md', 'Markdown advisory'],
];
const EXTENSIONS: Record<string, string> = { osv: '.osv.json', cve5: '.cve.json', csaf: '.csaf.json', ghsa: '.ghsa.json', md: '.md' };

export function Exports({ data }: PanelProps) {
  const id = data.case.id;
  return (
    <section className="panel" id="exports" aria-labelledby="exports-heading">
      <h2 id="exports-heading">Exports</h2>
      <p className="hint">Each download is an audited read of the case.</p>
      {data.case.description.trim() ? null : (
        <p className="hint">The advisory formats wait for its description (Facts); the case file is always there.</p>
      )}
      <ul>
        {EXPORTS.map(([format, label]) => (
          <li key={format}>
            {data.case.description.trim() ? (
              <a href={`/api/v1/cases/${id}/export?format=${format}`} download={`${id}${EXTENSIONS[format]}`}>
                Download {label}
              </a>
            ) : (
              <span className="hint">{label}: no description yet</span>
            )}
          </li>
        ))}
        <li>
          <a href={`/api/v1/cases/${id}/case-file`} download={`${id}.case.yaml`}>
            Download the case file
          </a>
        </li>
      </ul>
    </section>
  );
}
