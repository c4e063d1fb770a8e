/**
 * Opening a case from the team's side: a report that came by phone, chat or a meeting (title,
 * project, reporter), a report mail saved as .eml (read by the server and shown before anything is
 * stored; the mail is kept as the case's original report), a case file (YAML or JSON: a case kept in a repository, or moved from another
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
      <ImportMail projects={projects} />
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

type MailPreview = Awaited<ReturnType<typeof previewMail>>;
const previewMail = (eml: string) => answer(api.POST('/api/v1/reports/mail-preview', { body: { eml } }));
const TITLE_MAX = 200;

function ImportMail({ projects }: { projects: ProjectChoice[] }) {
  const action = useAction();
  const [mail, setMail] = useState<MailPreview | null>(null);
  const pick = (file: File | undefined) => {
    setMail(null);
    if (file) void action.run(async () => setMail(await previewMail(await file.text())));
  };
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!mail) return;
    const form = new FormData(event.currentTarget);
    const project = value(form, 'project');
    const body = {
      title: value(form, 'title'),
      description: mail.text,
      // The sender is the reporter unless the team edits the facts afterwards (a forwarded report).
      ...(mail.from
        ? {
            sender: mail.from,
            reporter: { name: mail.from.name ?? mail.from.address.split('@')[0]!, contact: mail.from.address, company: null },
          }
        : {}),
      ...(project ? { project } : {}),
      reportedAt: mail.date,
      messageId: mail.messageId,
      attachments: mail.attachments.map((a) => a.filename),
    };
    void action.run(async () => {
      const opened = await detailed(api.POST('/api/v1/reports/import', { body }));
      navigate(`/cases/${opened.id}`);
    });
  };
  return (
    <section className="panel" aria-labelledby="mail-heading">
      <h2 id="mail-heading">Import a report mail</h2>
      <div className="field">
        <label htmlFor="eml-pick">Report mail (.eml)</label>
        <input id="eml-pick" type="file" accept=".eml,message/rfc822" onChange={(e) => pick(e.target.files?.[0])} />
        <p className="hint">Saved from the list archive or a mail client. Nothing is stored until you open the case.</p>
      </div>
      {mail ? (
        <form onSubmit={submit} aria-label="Open a case from the mail">
          <dl className="facts">
            <dt>From</dt>
            <dd>{mail.from ? `${mail.from.name ? `${mail.from.name} ` : ''}<${mail.from.address}>` : 'no From address'}</dd>
            <dt>Date</dt>
            <dd>{mail.date ?? 'none'}</dd>
            {mail.attachments.length ? (
              <>
                <dt>Attachments</dt>
                <dd>{mail.attachments.map((a) => a.filename).join(', ')} (not imported: they stay in the mail)</dd>
              </>
            ) : null}
          </dl>
          <pre className="report-text">{mail.text}</pre>
          {mail.cut ? <p className="warning">The mail's text is longer than a case keeps; the rest stays in the mail.</p> : null}
          <Field label="Case title" name="title" required maxLength={TITLE_MAX} defaultValue={mail.subject.slice(0, TITLE_MAX)} />
          <ProjectSelect id="mail-project" projects={projects} />
          <button type="submit" className="primary" disabled={action.busy}>
            Open the case from this mail
          </button>
          <p className="hint">
            The mail is kept as the original report and its sender as the reporter; the advisory's description is yours to write.
          </p>
        </form>
      ) : null}
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
