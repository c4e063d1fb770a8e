/** The leak guard's terms for the case: words that would give it away (the hooks and CI see only their salted hashes). */
import { type FormEvent, useEffect, useState } from 'react';
import { answer, api, detailed } from '../api.js';
import type { PanelProps } from '../pages/CasePage.js';
import { ErrorLine, Field, useAction } from '../ui.js';

type Terms = Awaited<ReturnType<typeof loadTerms>>['terms'];
const loadTerms = (caseId: string) => answer(api.GET('/api/v1/cases/{caseId}/guard-terms', { params: { path: { caseId } } }));

export function GuardTerms({ data }: PanelProps) {
  const caseId = data.case.id;
  const [terms, setTerms] = useState<Terms>([]);
  const action = useAction();

  // biome-ignore lint/correctness/useExhaustiveDependencies: load once per case
  useEffect(() => {
    void action.run(async () => setTerms((await loadTerms(caseId)).terms));
  }, [caseId]);

  const add = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const term = String(new FormData(form).get('term') ?? '').trim();
    void action.run(async () => {
      setTerms(
        (await detailed(api.POST('/api/v1/cases/{caseId}/guard-terms', { params: { path: { caseId } }, body: { terms: [term] } }))).terms,
      );
      form.reset();
    });
  };
  const remove = (termId: string) =>
    action.run(async () =>
      setTerms((await detailed(api.DELETE('/api/v1/cases/{caseId}/guard-terms/{termId}', { params: { path: { caseId, termId } } }))).terms),
    );

  return (
    <section className="panel" id="guard-terms" aria-labelledby="guard-heading">
      <h2 id="guard-heading">Leak guard terms</h2>
      <p className="hint">Commit messages, branch names and changelogs that contain these are stopped while the case is embargoed.</p>
      <ul>
        {terms.map((t) => (
          <li key={t.id}>
            <code>{t.term}</code>{' '}
            <button type="button" onClick={() => void remove(t.id)} disabled={action.busy}>
              Remove “{t.term}”
            </button>
          </li>
        ))}
      </ul>
      <form onSubmit={add} aria-label="Add a guard term" className="inline-form">
        <Field label="Term to guard" name="term" required maxLength={200} hint="One to three words, or one identifier." />
        <button type="submit" disabled={action.busy}>
          Add the term
        </button>
      </form>
      <ErrorLine message={action.error} />
    </section>
  );
}
