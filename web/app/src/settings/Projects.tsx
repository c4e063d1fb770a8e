/**
 * Projects in Settings: every project the viewer belongs to (instance admins: all, archived too).
 * A project's admins open it to change its settings — each blank field takes the playbook's value,
 * shown beside it — its members and its distributors list; instance admins add, archive and
 * restore projects. Every change goes through the API, which checks who may.
 */
import { type FormEvent, useState } from 'react';
import { answer, api } from '../api.js';
import { shortTime } from '../time.js';
import { ErrorLine, Field, TextArea, useAction } from '../ui.js';
import { formText, Section, useLoaded } from './parts.js';

type Project = Awaited<ReturnType<typeof loadProjects>>['projects'][number];

const loadProjects = (all: boolean) => answer(api.GET('/api/v1/projects', { params: { query: all ? { all: 'true' } : {} } }));
const loadPlaybooks = () => answer(api.GET('/api/v1/playbooks'));

/** The settings a project may set, as text fields: key, label, and how the text becomes the value. */
const TEXT_SETTINGS = [
  ['securityContact', 'Security contact'],
  ['distributorsList', 'Distributors list address'],
  ['usersList', 'Users list address'],
  ['mailFrom', 'Mail From address'],
  ['securityTag', 'Subject tag of the distributors mail'],
  ['timeZone', 'Time zone'],
] as const;

type Settings = Record<string, unknown>;

/** What the form's settings change: a filled field sets the key, a blank one that was set clears it (null). */
export function settingsEdit(form: FormData, own: Settings): Settings {
  const get = (name: string) => String(form.get(name) ?? '').trim();
  const edit: Settings = {};
  const put = (key: string, value: unknown, blank: boolean) => {
    if (blank) {
      if (own[key] !== undefined) edit[key] = null;
    } else if (JSON.stringify(value) !== JSON.stringify(own[key])) edit[key] = value;
  };
  for (const [key] of TEXT_SETTINGS) put(key, get(key), get(key) === '');
  const note = String(form.get('embargoNote') ?? '').trim();
  put('embargoNote', note, note === '');
  const holidays = get('holidays')
    .split(/[\s,]+/)
    .filter(Boolean)
    .sort();
  put('holidays', holidays, holidays.length === 0);
  const lines = get('supportedLines');
  const prefix = String(form.get('tagPrefix') ?? '').trim();
  put('releasePolicy', { supportedLines: Number(lines), tagPrefix: prefix }, lines === '');
  return edit;
}

const shown = (value: unknown) =>
  value === undefined || value === null ? 'none' : Array.isArray(value) ? value.join(', ') || 'none' : String(value);

export function Projects({ admin }: { admin: boolean }) {
  const { data, action, change } = useLoaded(async () => ({ ...(await loadProjects(admin)), ...(await loadPlaybooks()) }));
  const add = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const repository = formText(event, 'repository');
    const body = {
      id: formText(event, 'id'),
      name: formText(event, 'name') || formText(event, 'id'),
      playbook: formText(event, 'playbook'),
      ...(repository ? { repository } : {}),
    };
    change(async () => {
      await answer(api.POST('/api/v1/projects', { body }));
      form.reset();
    });
  };
  const projects = data?.projects ?? [];
  return (
    <Section id="projects" title="Projects" error={action.error}>
      {projects.length === 0 && data ? <p className="hint">You belong to no project yet; an admin adds you to one.</p> : null}
      {projects.map((p) => (
        <ProjectDetails
          key={`${p.id}@${p.revision}`}
          project={p}
          instanceAdmin={admin}
          playbooks={(data?.playbooks ?? []).map((b) => b.id)}
          onArchive={(archived) =>
            change(() =>
              answer(
                archived
                  ? api.POST('/api/v1/projects/{projectId}/archive', { params: { path: { projectId: p.id } } })
                  : api.POST('/api/v1/projects/{projectId}/restore', { params: { path: { projectId: p.id } } }),
              ),
            )
          }
        />
      ))}
      {admin ? (
        <form onSubmit={add} aria-label="Add a project">
          <h3>Add a project</h3>
          <Field label="Project id" name="id" required maxLength={64} pattern="[a-z0-9][a-z0-9._\-]*" hint="e.g. gatekeeper: lower case" />
          <Field label="Project name" name="name" maxLength={200} />
          <Field label="Repository" name="repository" maxLength={200} hint="owner/name on GitHub" />
          <div className="field">
            <label htmlFor="new-project-playbook">Playbook</label>
            <select id="new-project-playbook" name="playbook" defaultValue={data?.defaultPlaybook}>
              {(data?.playbooks ?? []).map((b) => (
                <option key={b.id} value={b.id}>
                  {b.name}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" disabled={action.busy}>
            Add the project
          </button>
          <p className="hint">Then set its security contact and lists below: a case can name it once it is configured.</p>
        </form>
      ) : null}
    </Section>
  );
}

function ProjectDetails({
  project: initial,
  instanceAdmin,
  playbooks,
  onArchive,
}: {
  project: Project;
  instanceAdmin: boolean;
  playbooks: string[];
  onArchive(archived: boolean): void;
}) {
  const [p, setProject] = useState(initial);
  const action = useAction();
  const own = p.settings as Settings;
  const inForce = p.effectiveSettings as Settings;
  const manage = p.role === 'admin';
  const save = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const name = String(form.get('name') ?? '').trim();
    const repository = String(form.get('repository') ?? '').trim();
    const playbook = String(form.get('playbook') ?? p.playbook);
    const body = {
      ...(name && name !== p.name ? { name } : {}),
      ...(repository !== (p.repository ?? '') ? { repository: repository || null } : {}),
      ...(instanceAdmin && playbook !== p.playbook ? { playbook } : {}),
      settings: settingsEdit(form, own),
    };
    void action.run(async () => {
      setProject(
        await answer(
          api.PATCH('/api/v1/projects/{projectId}', {
            params: { path: { projectId: p.id }, header: { 'if-match': `"${p.revision}"` } },
            body: body as never,
          }),
        ),
      );
    });
  };
  const policy = own.releasePolicy as { supportedLines: number; tagPrefix: string } | undefined;
  const hint = (key: string) => `In force: ${shown(inForce[key])}. Blank: the playbook's.`;
  return (
    <details className="project">
      <summary>
        {p.name} ({p.id}) · playbook {p.playbook}
        {p.repository ? ` · ${p.repository}` : ''} · you: {p.role}
        {p.archivedAt ? ` · archived ${shortTime(p.archivedAt)}` : ''}
      </summary>
      {manage ? (
        <form onSubmit={save} aria-label={`Settings of ${p.name}`}>
          <Field label="Name" name="name" defaultValue={p.name} maxLength={200} />
          <Field label="Repository" name="repository" defaultValue={p.repository ?? ''} maxLength={200} />
          {instanceAdmin ? (
            <div className="field">
              <label htmlFor={`playbook-${p.id}`}>Playbook of {p.name}</label>
              <select id={`playbook-${p.id}`} name="playbook" defaultValue={p.playbook}>
                {playbooks.map((b) => (
                  <option key={b} value={b}>
                    {b}
                  </option>
                ))}
              </select>
            </div>
          ) : null}
          {TEXT_SETTINGS.map(([key, label]) => (
            <Field key={key} label={label} name={key} defaultValue={String(own[key] ?? '')} hint={hint(key)} maxLength={320} />
          ))}
          <Field
            label="Holidays"
            name="holidays"
            defaultValue={((own.holidays as string[] | undefined) ?? []).join(', ')}
            hint={`YYYY-MM-DD, separated by commas; not business days. ${hint('holidays')}`}
          />
          <Field
            label="Supported lines"
            name="supportedLines"
            type="number"
            min={1}
            max={32}
            defaultValue={policy ? String(policy.supportedLines) : ''}
            hint={`How many recent minor lines get patches. ${hint('releasePolicy')}`}
          />
          <Field label="Tag prefix" name="tagPrefix" defaultValue={policy?.tagPrefix ?? 'v'} maxLength={64} hint='"v" for v1.33.3' />
          <TextArea
            label="Embargo note"
            name="embargoNote"
            defaultValue={String(own.embargoNote ?? '')}
            rows={3}
            hint={hint('embargoNote')}
          />
          <button type="submit" disabled={action.busy}>
            Save {p.name}
          </button>
          <ErrorLine message={action.error} />
        </form>
      ) : (
        <dl>
          {TEXT_SETTINGS.map(([key, label]) => (
            <div key={key}>
              <dt>{label}</dt>
              <dd>{shown(inForce[key])}</dd>
            </div>
          ))}
        </dl>
      )}
      {manage ? <Members projectId={p.id} name={p.name} /> : null}
      {manage ? <Distributors projectId={p.id} name={p.name} /> : null}
      {instanceAdmin ? (
        <button type="button" onClick={() => onArchive(!p.archivedAt)}>
          {p.archivedAt ? `Restore ${p.name}` : `Archive ${p.name}`}
        </button>
      ) : null}
    </details>
  );
}

function Members({ projectId, name }: { projectId: string; name: string }) {
  const path = { projectId };
  const { data, action, change } = useLoaded(() => answer(api.GET('/api/v1/projects/{projectId}/members', { params: { path } })));
  const put = (username: string, role: 'admin' | 'member') =>
    change(() =>
      answer(api.PUT('/api/v1/projects/{projectId}/members/{username}', { params: { path: { ...path, username } }, body: { role } })),
    );
  const add = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const username = formText(event, 'username');
    const role = formText(event, 'role') === 'admin' ? 'admin' : 'member';
    change(async () => {
      await answer(api.PUT('/api/v1/projects/{projectId}/members/{username}', { params: { path: { ...path, username } }, body: { role } }));
      form.reset();
    });
  };
  return (
    <section aria-label={`Members of ${name}`}>
      <h3>Members</h3>
      <ul>
        {(data?.members ?? []).map((m) => (
          <li key={m.username}>
            {m.displayName} ({m.username}), {m.role}{' '}
            <button type="button" onClick={() => put(m.username, m.role === 'admin' ? 'member' : 'admin')}>
              {m.role === 'admin' ? `Make ${m.username} a member of ${name}` : `Make ${m.username} an admin of ${name}`}
            </button>{' '}
            <button
              type="button"
              onClick={() =>
                change(() =>
                  answer(
                    api.DELETE('/api/v1/projects/{projectId}/members/{username}', { params: { path: { ...path, username: m.username } } }),
                  ),
                )
              }
            >
              Remove {m.username} from {name}
            </button>
          </li>
        ))}
      </ul>
      <form onSubmit={add} aria-label={`Add a member to ${name}`} className="inline-form">
        <Field label={`Username to add to ${name}`} name="username" required maxLength={64} />
        <div className="field">
          <label htmlFor={`member-role-${projectId}`}>Their role in {name}</label>
          <select id={`member-role-${projectId}`} name="role" defaultValue="member">
            <option value="member">member</option>
            <option value="admin">admin</option>
          </select>
        </div>
        <button type="submit" disabled={action.busy}>
          Add to {name}
        </button>
      </form>
      <ErrorLine message={action.error} />
    </section>
  );
}

function Distributors({ projectId, name }: { projectId: string; name: string }) {
  const { data, action, change } = useLoaded(() => answer(api.GET('/api/v1/distributors', { params: { query: { project: projectId } } })));
  const add = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const body = {
      project: projectId,
      organisation: formText(event, 'organisation'),
      contact: formText(event, 'contact'),
      ...(new FormData(form).get('terms') ? { termsAcceptedAt: new Date().toISOString() } : {}),
    };
    change(async () => {
      await answer(api.POST('/api/v1/distributors', { body }));
      form.reset();
    });
  };
  return (
    <section aria-label={`Distributors list of ${name}`}>
      <h3>Distributors list</h3>
      <ul>
        {(data?.distributors ?? []).map((d) => (
          <li key={d.id}>
            <strong>{d.organisation}</strong> {d.contact}
            {d.termsAcceptedAt ? ` — accepted the terms ${shortTime(d.termsAcceptedAt)}` : ' — terms not accepted yet'}{' '}
            <button
              type="button"
              onClick={() =>
                change(() => answer(api.DELETE('/api/v1/distributors/{distributorId}', { params: { path: { distributorId: d.id } } })))
              }
            >
              Remove {d.organisation}
            </button>
          </li>
        ))}
      </ul>
      <form onSubmit={add} aria-label={`Add a distributor to ${name}`} className="inline-form">
        <Field label="Organisation" name="organisation" required maxLength={200} />
        <Field label="Contact address" name="contact" required maxLength={320} />
        <div className="field checkbox">
          <input id={`terms-${projectId}`} type="checkbox" name="terms" value="yes" />
          <label htmlFor={`terms-${projectId}`}>They accepted the list's terms today</label>
        </div>
        <button type="submit" disabled={action.busy}>
          Add the member
        </button>
      </form>
      <ErrorLine message={action.error} />
    </section>
  );
}
