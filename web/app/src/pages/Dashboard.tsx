/**
 * The dashboard: the cases the viewer may see with severity, the current step, the embargo
 * countdown (in the viewer's zone and the agreed one) and what blocks the next step; filters and
 * search run in the page over the one audited read.
 */
import { startTransition, useEffect, useMemo, useState } from 'react';
import { answer, api, messageOf } from '../api.js';
import { Link, useTitle } from '../router.js';
import { fromNow, inZone, viewerZone } from '../time.js';
import { ErrorLine } from '../ui.js';

const loadDashboard = () => answer(api.GET('/api/v1/dashboard'));

// Opened at the dashboard's address, the page asks for the cases while it still asks who is signed
// in, instead of one after the other (a signed-out visitor gets a 401 for it, and the sign-in page).
let early: ReturnType<typeof loadDashboard> | null = window.location.pathname === '/' ? loadDashboard() : null;
early?.catch(() => undefined);
const firstLoad = () => {
  const pending = early;
  early = null;
  // Refused (signed out when the page opened, signed in since): ask again.
  return pending ? pending.catch(() => loadDashboard()) : loadDashboard();
};

/** Rows drawn in the first paint; the rest follow right after, so the first screen does not wait for a thousand rows. */
const FIRST_ROWS = 60;
type DashboardAnswer = Awaited<ReturnType<typeof loadDashboard>>;
type Row = DashboardAnswer['cases'][number];

const needsAttention = (c: Row) =>
  c.newReport !== null || c.newReplies > 0 || c.mailProblems > 0 || c.unansweredDistributors.length > 0 || c.clocks.length > 0;

const REPORT_SOURCES: Record<string, string> = { form: 'the report form', mail: 'mail', GitHub: 'GitHub' };

const RATINGS = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'NONE'] as const;

export function Dashboard() {
  useTitle('Dashboard');
  const [data, setData] = useState<DashboardAnswer | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [q, setQ] = useState('');
  const [status, setStatus] = useState('');
  const [project, setProject] = useState('');
  const [rating, setRating] = useState('');
  const [blockedOnly, setBlockedOnly] = useState(false);
  const [attentionOnly, setAttentionOnly] = useState(false);
  const [now, setNow] = useState(() => new Date());

  const [allRows, setAllRows] = useState(false);

  useEffect(() => {
    firstLoad().then(setData, (err) => setError(messageOf(err)));
    const tick = window.setInterval(() => setNow(new Date()), 60_000);
    return () => window.clearInterval(tick);
  }, []);

  useEffect(() => {
    if (!data || allRows) return;
    const timer = window.setTimeout(() => startTransition(() => setAllRows(true)), 0);
    return () => window.clearTimeout(timer);
  }, [data, allRows]);

  const statuses = useMemo(() => [...new Set((data?.cases ?? []).map((c) => c.status))].sort(), [data]);
  const projects = useMemo(() => [...new Set((data?.cases ?? []).map((c) => c.project))].sort(), [data]);
  const shown = useMemo(() => {
    const needle = q.trim().toLowerCase();
    return (data?.cases ?? []).filter(
      (c) =>
        (!needle || [c.id, c.title, c.codename, c.cveId ?? '', c.ghsaId ?? '', c.project].some((v) => v.toLowerCase().includes(needle))) &&
        (!status || c.status === status) &&
        (!project || c.project === project) &&
        (!rating || (c.severity?.rating ?? 'unscored') === rating) &&
        (!blockedOnly || (c.next?.unmet.length ?? 0) > 0) &&
        (!attentionOnly || needsAttention(c)),
    );
  }, [data, q, status, project, rating, blockedOnly, attentionOnly]);

  return (
    <section aria-labelledby="dashboard-heading">
      <h1 id="dashboard-heading">Cases</h1>
      <search className="filters" aria-label="Filter cases">
        <label>
          Search
          <input type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder="id, title, codename, CVE" />
        </label>
        <label>
          Status
          <select value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="">any</option>
            {statuses.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        {projects.length > 1 ? (
          <label>
            Project
            <select value={project} onChange={(e) => setProject(e.target.value)}>
              <option value="">any</option>
              {projects.map((p) => (
                <option key={p}>{p}</option>
              ))}
            </select>
          </label>
        ) : null}
        <label>
          Severity
          <select value={rating} onChange={(e) => setRating(e.target.value)}>
            <option value="">any</option>
            {RATINGS.map((r) => (
              <option key={r}>{r}</option>
            ))}
            <option value="unscored">not scored</option>
          </select>
        </label>
        <label className="inline">
          <input type="checkbox" checked={blockedOnly} onChange={(e) => setBlockedOnly(e.target.checked)} /> Blocked only
        </label>
        <label className="inline">
          <input type="checkbox" checked={attentionOnly} onChange={(e) => setAttentionOnly(e.target.checked)} /> Needs attention (new
          reports and replies, failed mail, unanswered distributors, clocks at risk or overdue)
        </label>
      </search>
      <ErrorLine message={error} />
      {data === null && !error ? <p className="loading">Loading cases…</p> : null}
      {data ? (
        <>
          <p className="hint" aria-live="polite">
            {shown.length} of {data.cases.length} cases{data.truncated ? ' (the oldest are not shown)' : ''}. Times in {viewerZone}.
          </p>
          {shown.length === 0 ? <p>No case matches.</p> : <CaseTable rows={allRows ? shown : shown.slice(0, FIRST_ROWS)} now={now} />}
        </>
      ) : null}
    </section>
  );
}

function CaseTable({ rows, now }: { rows: Row[]; now: Date }) {
  return (
    <div className="table-wrap">
      <table className="cases">
        <caption className="visually-hidden">Cases you may see, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Case</th>
            <th scope="col">Severity</th>
            <th scope="col">Next step</th>
            <th scope="col">Embargo</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((c) => (
            <tr key={c.id}>
              <td>
                <Link to={`/cases/${c.id}`}>{c.id}</Link> <span className="codename">{c.codename}</span>
                <div className="title">{c.title}</div>
              </td>
              <td>
                <SeverityBadge severity={c.severity} />
              </td>
              <td>
                <NextStep row={c} />
              </td>
              <td>
                <Embargo embargo={c.embargo} now={now} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function SeverityBadge({ severity }: { severity: Row['severity'] }) {
  if (!severity) return <span className="badge none">not scored</span>;
  return (
    <span className={`badge ${severity.rating.toLowerCase()}`} title={severity.vector}>
      {severity.score.toFixed(1)} {severity.rating}
    </span>
  );
}

function NextStep({ row }: { row: Row }) {
  if (!row.next) return <span>all steps settled ({row.status})</span>;
  return (
    <div>
      <span className="phase">{row.status}</span> {row.next.number}. {row.next.title}
      {row.next.unmet.length > 0 ? (
        <ul className="blocked" aria-label={`What blocks step ${row.next.number}`}>
          {row.next.unmet.map((u) => (
            <li key={u}>{u}</li>
          ))}
        </ul>
      ) : (
        <div className="ready">ready to be done</div>
      )}
      {row.mailProblems > 0 ? <div className="warning">{row.mailProblems} mail(s) failed or unknown</div> : null}
      {row.newReport ? <div className="badge new">new report via {REPORT_SOURCES[row.newReport] ?? row.newReport}</div> : null}
      {row.newReplies > 0 ? <div className="warning">{row.newReplies} new reply(ies) from the reporter</div> : null}
      {row.unansweredDistributors.length > 0 ? (
        <div className="warning">Not answered on the date: {row.unansweredDistributors.join(', ')}</div>
      ) : null}
      {row.clocks.map((k) => (
        <div key={k.id} className={k.status === 'overdue' ? 'error' : 'warning'}>
          {k.title}: {k.status === 'overdue' ? 'overdue since' : 'due'} {k.dueLocal}
        </div>
      ))}
    </div>
  );
}

function Embargo({ embargo, now }: { embargo: Row['embargo']; now: Date }) {
  if (!embargo) return <span className="hint">not set</span>;
  const same = embargo.timeZone === viewerZone;
  return (
    <div>
      <strong>{fromNow(embargo.endsAt, now)}</strong>
      <div>{inZone(embargo.endsAt, viewerZone)}</div>
      {same ? null : <div className="hint">agreed: {inZone(embargo.endsAt, embargo.timeZone)}</div>}
    </div>
  );
}
