/**
 * Severity: a CVSS 3.1 / 4.0 calculator whose metric buttons and vector text stay in sync, scored
 * live with the same strict parser and calculator the server uses (src/domain/severity/cvss.ts);
 * saving sends the vector to the server, which checks it again. And a CWE picker over MITRE's
 * catalogue (search by id, name or other names) that shows MITRE's usage guidance.
 */
import { useEffect, useId, useMemo, useState } from 'react';
import { type CvssVersion, cvssMetrics, parseCvss, scoreCvss } from '../../../../src/domain/severity/cvss.js';
import { answer, api, type Case, messageOf } from '../api.js';
import type { PanelProps } from '../pages/CasePage.js';
import { ErrorLine, useAction } from '../ui.js';

type Version = Extract<CvssVersion, '3.1' | '4.0'>;
const VERSIONS: Version[] = ['3.1', '4.0'];

const versionOf = (vector: string): string | null => /^CVSS:(\d\.\d)\//.exec(vector.trim())?.[1] ?? null;

/** METRIC:VALUE pairs as written, even when the vector is not (yet) valid, so the buttons follow the text. */
function looseMetrics(vector: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of vector.trim().split('/').slice(1)) {
    const [k, v] = part.split(':');
    if (k && v) out[k] = v;
  }
  return out;
}

/** The vector with the metrics in the specification's order. */
function buildVector(version: Version, metrics: Record<string, string>): string {
  const parts = cvssMetrics(version)
    .filter((d) => metrics[d.abbr] !== undefined)
    .map((d) => `${d.abbr}:${metrics[d.abbr]}`);
  return `CVSS:${version}/${parts.join('/')}`;
}

function live(vector: string): { ok: true; score: number; severity: string } | { ok: false; message: string } {
  try {
    parseCvss(vector);
    const s = scoreCvss(vector);
    return { ok: true, score: s.score, severity: s.severity };
  } catch (err) {
    return { ok: false, message: (err as Error).message };
  }
}

const patchSeverity = (c: Case, body: { cvss?: string[]; cwe?: string[] }) =>
  answer(api.PATCH('/api/v1/cases/{caseId}', { params: { path: { caseId: c.id }, header: { 'if-match': `"${c.revision}"` } }, body }));

export function SeverityPanel({ data, reload }: PanelProps) {
  return (
    <section className="panel" id="severity" aria-labelledby="severity-heading">
      <h2 id="severity-heading">Severity</h2>
      <Calculator c={data.case} reload={reload} />
      <CwePicker c={data.case} reload={reload} />
    </section>
  );
}

function Calculator({ c, reload }: { c: Case; reload(): Promise<void> }) {
  const saved = (v: Version) => c.severity.cvss.find((x) => versionOf(x) === v) ?? '';
  const [version, setVersion] = useState<Version>(() => (versionOf(c.severity.cvss[0] ?? '') === '4.0' ? '4.0' : '3.1'));
  const [vector, setVector] = useState(() => saved(version) || `CVSS:${version}/`);
  const action = useAction();
  const vectorId = useId();

  const savedVector = saved(version);
  // Start again from what is saved when the version or the saved vector changes, not on every edit.
  useEffect(() => {
    setVector(savedVector || `CVSS:${version}/`);
  }, [version, savedVector]);

  const metrics = useMemo(() => looseMetrics(vector), [vector]);
  const result = useMemo(() => live(vector), [vector]);
  const defs = cvssMetrics(version);
  const set = (abbr: string, value: string) => setVector(buildVector(version, { ...metrics, [abbr]: value }));
  const others = c.severity.cvss.filter((x) => versionOf(x) !== version);

  const save = () =>
    action.run(async () => {
      await patchSeverity(c, { cvss: [...others, vector.trim()] });
      await reload();
    });
  const remove = () =>
    action.run(async () => {
      await patchSeverity(c, { cvss: others });
      await reload();
    });

  const group = (name: string, filter: (g: string) => boolean) =>
    defs
      .filter((d) => filter(d.group))
      .map((d) => (
        <fieldset key={d.abbr}>
          <legend>
            {d.name} ({d.abbr})
          </legend>
          <div className="choices">
            {d.values.map((value) => (
              <label key={value}>
                <input
                  type="radio"
                  name={`${name}-${d.abbr}`}
                  value={value}
                  checked={metrics[d.abbr] === value}
                  onChange={() => set(d.abbr, value)}
                  aria-label={`${d.name}: ${value}`}
                />
                {value}
              </label>
            ))}
          </div>
        </fieldset>
      ));

  return (
    <div className="metrics">
      <fieldset>
        <legend>CVSS version</legend>
        <div className="choices">
          {VERSIONS.map((v) => (
            <label key={v}>
              <input type="radio" name="cvss-version" checked={version === v} onChange={() => setVersion(v)} /> CVSS {v}
            </label>
          ))}
        </div>
      </fieldset>
      <div className="field">
        <label htmlFor={vectorId}>CVSS {version} vector</label>
        <input id={vectorId} value={vector} onChange={(e) => setVector(e.target.value)} spellCheck={false} className="vector" />
      </div>
      <p aria-live="polite" className={result.ok ? 'score' : 'error'}>
        {result.ok ? (
          <>
            Score <strong>{result.score.toFixed(1)}</strong> {result.severity}
          </>
        ) : (
          result.message
        )}
      </p>
      {group(`base${version}`, (g) => g === 'base')}
      <details>
        <summary>{version === '4.0' ? 'Threat, environmental and supplemental metrics' : 'Temporal and environmental metrics'}</summary>
        {group(`more${version}`, (g) => g !== 'base')}
      </details>
      <div className="actions">
        <button
          type="button"
          className="primary"
          onClick={() => void save()}
          disabled={action.busy || !result.ok || vector.trim() === saved(version)}
        >
          Save the CVSS {version} vector
        </button>
        {saved(version) ? (
          <button type="button" onClick={() => void remove()} disabled={action.busy}>
            Remove the CVSS {version} vector
          </button>
        ) : null}
      </div>
      <ErrorLine message={action.error} />
    </div>
  );
}

type CweHit = Awaited<ReturnType<typeof searchCwe>>['results'][number];
const searchCwe = (q: string) => answer(api.GET('/api/v1/cwe', { params: { query: { q, limit: '8' } } }));

function CwePicker({ c, reload }: { c: Case; reload(): Promise<void> }) {
  const [q, setQ] = useState('');
  const [hits, setHits] = useState<CweHit[]>([]);
  const [searchError, setSearchError] = useState<string | null>(null);
  const action = useAction();
  const searchId = useId();

  useEffect(() => {
    const text = q.trim();
    if (!text) {
      setHits([]);
      return;
    }
    const timer = window.setTimeout(() => {
      searchCwe(text).then(
        (r) => {
          setHits(r.results);
          setSearchError(null);
        },
        (err) => setSearchError(messageOf(err)),
      );
    }, 200);
    return () => window.clearTimeout(timer);
  }, [q]);

  const setCwe = (cwe: string[]) =>
    action.run(async () => {
      await patchSeverity(c, { cwe });
      await reload();
    });

  return (
    <div className="cwe">
      <h3>Weakness (CWE)</h3>
      {c.severity.cwe.length ? (
        <ul>
          {c.severity.cwe.map((id) => (
            <li key={id}>
              {id}{' '}
              <button type="button" onClick={() => void setCwe(c.severity.cwe.filter((x) => x !== id))} disabled={action.busy}>
                Remove {id}
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="hint">No CWE yet.</p>
      )}
      <div className="field">
        <label htmlFor={searchId}>Search CWE</label>
        <input id={searchId} type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder="79, injection, XSS…" />
      </div>
      <ErrorLine message={searchError ?? action.error} />
      {hits.length ? (
        <ul className="cwe-hits" aria-label="CWE search results">
          {hits.map((h) => (
            <li key={h.id}>
              <strong>{h.id}</strong> {h.name}{' '}
              <span className={`usage ${h.usage.toLowerCase()}`}>MITRE: {h.usage.replaceAll('-', ' ')}</span>
              {h.terms?.length ? <span className="hint"> (also: {h.terms.join(', ')})</span> : null}{' '}
              <button
                type="button"
                onClick={() => void setCwe([...c.severity.cwe, h.id])}
                disabled={action.busy || c.severity.cwe.includes(h.id)}
              >
                Add {h.id}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
