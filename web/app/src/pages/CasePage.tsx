/**
 * One case: the playbook as a checklist beside the panels that fix what blocks it — Facts,
 * Severity, Release plan — and the composer with its outbox below. Every change goes through the
 * API and the page reloads the one audited overview afterwards.
 */
import { useCallback, useEffect, useState } from 'react';
import { answer, api, messageOf, type Case, type StepView } from '../api.js';
import type { ClockView } from '../../../../src/domain/clock/types.js';
import { Advisory } from '../case/Advisory.js';
import { Checklist } from '../case/Checklist.js';
import { Clocks } from '../case/Clocks.js';
import { Composer } from '../case/Composer.js';
import { CaseOutcome } from '../case/Outcome.js';
import { Facts } from '../case/Facts.js';
import { GuardTerms } from '../case/GuardTerms.js';
import { ReleasePlan } from '../case/ReleasePlan.js';
import { Retrospective } from '../case/Retrospective.js';
import { SeverityPanel } from '../case/Severity.js';
import { AccessList, Exports, ReporterPortal } from '../case/Sharing.js';
import { Timeline } from '../case/Timeline.js';
import { WhoKnows } from '../case/WhoKnows.js';
import { Link, useTitle } from '../router.js';
import { fromNow, inZone, viewerZone } from '../time.js';
import { ErrorLine } from '../ui.js';

export interface CaseData {
  case: Case;
  steps: StepView[];
  clocks?: { timeZone: string; clocks: ClockView[] };
}

/** What a panel gets: the case, and a way to say it changed (the page reloads). */
export interface PanelProps {
  data: CaseData;
  reload(): Promise<void>;
}

export default function CasePage({ caseId }: { caseId: string }) {
  useTitle(caseId);
  const [data, setData] = useState<CaseData | null>(null);
  const [error, setError] = useState<string | null>(null);

  const reload = useCallback(async () => {
    try {
      const overview = await answer(api.GET('/api/v1/cases/{caseId}/overview', { params: { path: { caseId } } }));
      setData({ case: overview.case, steps: overview.steps, clocks: overview.clocks });
      setError(null);
    } catch (err) {
      setError(messageOf(err));
    }
  }, [caseId]);

  useEffect(() => {
    void reload();
  }, [reload]);

  if (!data) {
    return error ? (
      <section>
        <h1>{caseId}</h1>
        <ErrorLine message={error} />
        <Link to="/">Back to the dashboard</Link>
      </section>
    ) : (
      <p className="loading">Loading {caseId}…</p>
    );
  }
  const c = data.case;
  const now = new Date();
  return (
    <article aria-labelledby="case-heading">
      <header className="case-head">
        <h1 id="case-heading">
          {c.id} <span className="codename">{c.codename}</span>
        </h1>
        <p className="case-title">{c.title}</p>
        <p>
          <span className="phase">{c.status}</span> · project {c.project} · playbook {c.playbook}
          {c.embargo ? (
            <>
              {' '}
              · embargo ends <strong>{fromNow(c.embargo.endsAt, now)}</strong>: {inZone(c.embargo.endsAt, viewerZone)}
              {c.embargo.timeZone === viewerZone ? null : <> (agreed: {inZone(c.embargo.endsAt, c.embargo.timeZone)})</>}
            </>
          ) : (
            ' · no embargo set yet'
          )}
        </p>
      </header>
      <ErrorLine message={error} />
      <div className="case-layout">
        <div>
          <Checklist data={data} reload={reload} />
          <CaseOutcome data={data} reload={reload} />
          {data.clocks ? <Clocks clocks={data.clocks.clocks} timeZone={data.clocks.timeZone} /> : null}
        </div>
        <div>
          <Facts data={data} reload={reload} />
          <SeverityPanel data={data} reload={reload} />
          <ReleasePlan data={data} reload={reload} />
          <Advisory data={data} reload={reload} />
        </div>
      </div>
      <Composer data={data} reload={reload} />
      <div className="case-layout">
        <div>
          <WhoKnows data={data} reload={reload} />
        </div>
        <div>
          <AccessList data={data} reload={reload} />
          <ReporterPortal data={data} reload={reload} />
          <Exports data={data} reload={reload} />
          <GuardTerms data={data} reload={reload} />
        </div>
      </div>
      <Retrospective data={data} reload={reload} />
      <Timeline data={data} reload={reload} />
    </article>
  );
}
