/**
 * Opening a case from the team's side: a report that came by phone, chat or a meeting (title,
 * project, reporter), a case file (YAML or JSON: a case kept in a repository, or moved from another
 * install; one that names a case you may see updates it), or the project's private vulnerability
 * reports on GitHub. Each lands on the new case's page; the reporter's own form stays at /report.
 */
import { type FormEvent, useEffect, useState } from 'react';
import { answer, api, detailed } from '../api.js';
import { Link, navigate, useTitle } from '../router.js';
import { ErrorLine, Field, TextArea, useAction } from '../ui.js';

type ProjectChoice = { id: string; name: string };

/** The projects a case may name: the viewer's, not archived. */
function useProjects(): ProjectChoice[] {
  const [projects, setProjects] = useState<ProjectChoice[]>([]);
  useEffect(() => {
    answer(api.GET('/api/v1/projects')).then(
      (r) => setProjects(r.projects.filter((p) => !p.archivedAt).map((p) => ({ id: p.id, name: p.name }))),
      () => setProjects([]),
    );
  }, []);
  return projects;
}

function ProjectSelect({ id, projects }: { id: string; projects: ProjectChoice[] }) {
  if (projects.length <= 1) return null;
  return (
    <div className="field">
      <label htmlFor={id}>Project</label>
      <select id={id} name="project" defaultValue={projects[0]?.id}>
        {projects.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
          </option>
        ))}
      </select>
    </div>
  );
}

const value = (form: FormData, name: string) => String(form.get(name) ?? '').trim();

export default function NewCasePage() {
  useTitle('New case');
  const projects = useProjects();
  return (
    <div>
      <h1>New case</h1>
      <p className="hint">
        A reporter writes through the public <a href="/report">report form</a>; its reports appear on the <Link to="/">dashboard</Link>.
      </p>
      <OpenCase projects={projects} />
      <ImportCaseFile />
      <ImportFromGitHub projects={projects} />
    </div>
  );
}

function OpenCase({ projects }: { projects: ProjectChoice[] }) {
  const action = useAction();
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const name = value(form, 'reporterName');
    const contact = value(form, 'reporterContact');
    const project = value(form, 'project');
    const body = {
      title: value(form, 'title'),
      ...(project ? { project } : {}),
      ...(name || contact ? { reporter: { name, contact, company: value(form, 'reporterCompany') || null } } : {}),
    };
    void action.run(async () => {
      const opened = await detailed(api.POST('/api/v1/cases', { body }));
      navigate(`/cases/${opened.id}`);
    });
  };
  return (
    <section className="panel" aria-labelledby="open-heading">
      <h2 id="open-heading">Open a case</h2>
      <form onSubmit={submit} aria-label="Open a case">
        <Field label="Title" name="title" required maxLength={200} hint="Internal; it stays private until publication." />
        <ProjectSelect id="open-project" projects={projects} />
        <Field label="Reporter's name" name="reporterName" maxLength={200} />
        <Field label="Reporter's private contact" name="reporterContact" maxLength={320} hint="Never published." />
        <Field label="Reporter's company" name="reporterCompany" maxLength={200} />
        <button type="submit" className="primary" disabled={action.busy}>
          Open the case
        </button>
      </form>
      <ErrorLine message={action.error} />
    </section>
  );
}

function ImportCaseFile() {
  const action = useAction();
  const [text, setText] = useState('');
  const pick = (file: File | undefined) => {
    if (file) void file.text().then(setText);
  };
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    void action.run(async () => {
      const imported = await answer(api.POST('/api/v1/case-files', { body: { file: text } }));
      navigate(`/cases/${'receipt' in imported ? imported.id : imported.case.id}`);
    });
  };
  return (
    <section className="panel" aria-labelledby="import-heading">
      <h2 id="import-heading">Import a case file</h2>
      <form onSubmit={submit} aria-label="Import a case file">
        <div className="field">
          <label htmlFor="case-file-pick">Case file (YAML or JSON)</label>
          <input
            id="case-file-pick"
            type="file"
            accept=".yaml,.yml,.json,text/yaml,application/json"
            onChange={(e) => pick(e.target.files?.[0])}
          />
        </div>
        <TextArea
          label="Case file text"
          value={text}
          onChange={(e) => setText(e.target.value)}
          rows={8}
          hint="Or paste it here. A file that names a case you may see updates that case; otherwise a new one opens."
        />
        <button type="submit" disabled={action.busy || text.trim() === ''}>
          Import the case file
        </button>
      </form>
      <ErrorLine message={action.error} />
    </section>
  );
}

function ImportFromGitHub({ projects }: { projects: ProjectChoice[] }) {
  const action = useAction();
  const [result, setResult] = useState<string | null>(null);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const project = value(new FormData(event.currentTarget), 'project');
    void action.run(async () => {
      const r = await answer(api.POST('/api/v1/github/imports', { body: project ? { project } : {} }));
      setResult(
        r.imported.length === 0
          ? 'No new private report on GitHub.'
          : `Opened ${r.imported.map((i) => `${i.caseId} (${i.ghsaId})`).join(', ')}.`,
      );
    });
  };
  return (
    <section className="panel" aria-labelledby="github-import-heading">
      <h2 id="github-import-heading">Private reports on GitHub</h2>
      <form onSubmit={submit} aria-label="Import from GitHub" className="inline-form">
        <ProjectSelect id="github-project" projects={projects} />
        <button type="submit" disabled={action.busy}>
          Import new private reports
        </button>
      </form>
      <p className="hint">Needs the project's GitHub connection (Settings). Reports already imported are skipped.</p>
      {result ? <p role="status">{result}</p> : null}
      <ErrorLine message={action.error} />
    </section>
  );
}
