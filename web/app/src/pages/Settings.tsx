/**
 * Settings: your API tokens (a new one shown once; revoke), the projects you administer (settings,
 * members; instance admins add and archive them), and for admins the users (add; role, name,
 * disable; GitHub logins), the projects' GitHub connections (the token checked,
 * stored encrypted, never shown) and the playbooks (read-only).
 */
import { type FormEvent, useState } from 'react';
import { answer, api } from '../api.js';
import { useTitle } from '../router.js';
import { useSession } from '../session.js';
import { shortTime } from '../time.js';
import { formText, Section, useLoaded } from '../settings/parts.js';
import { Projects } from '../settings/Projects.js';
import { Field } from '../ui.js';

export default function SettingsPage() {
  useTitle('Settings');
  const { user } = useSession();
  return (
    <div>
      <h1>Settings</h1>
      <Tokens />
      <Projects admin={user.role === 'admin'} />
      {user.role === 'admin' ? (
        <>
          <Users />
          <Connections />
          <Playbooks />
        </>
      ) : null}
    </div>
  );
}

function Tokens() {
  const { data, action, change } = useLoaded(() => answer(api.GET('/api/v1/tokens')));
  const [secret, setSecret] = useState<string | null>(null);
  const create = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const name = formText(event, 'name');
    const form = event.currentTarget;
    change(async () => {
      setSecret((await answer(api.POST('/api/v1/tokens', { body: { name } }))).token);
      form.reset();
    });
  };
  return (
    <Section id="tokens" title="Your API tokens" error={action.error}>
      <ul>
        {(data?.tokens ?? []).map((t) => (
          <li key={t.id}>
            {t.name} ({t.scopes.join(', ')}) — created {shortTime(t.createdAt)}
            {t.revokedAt ? `, revoked ${shortTime(t.revokedAt)}` : ''}{' '}
            {t.revokedAt ? null : (
              <button
                type="button"
                onClick={() => change(() => answer(api.DELETE('/api/v1/tokens/{tokenId}', { params: { path: { tokenId: t.id } } })))}
              >
                Revoke {t.name}
              </button>
            )}
          </li>
        ))}
      </ul>
      <form onSubmit={create} aria-label="New API token" className="inline-form">
        <Field label="Token name" name="name" required maxLength={64} />
        <button type="submit" disabled={action.busy}>
          Create the token
        </button>
      </form>
      {secret ? (
        <p role="status">
          The new token, shown only now: <code>{secret}</code>
        </p>
      ) : null}
    </Section>
  );
}

function Users() {
  const { data, action, change } = useLoaded(() => answer(api.GET('/api/v1/users')));
  const add = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const body = {
      username: formText(event, 'username'),
      password: String(new FormData(form).get('password')),
      role: formText(event, 'role') === 'admin' ? ('admin' as const) : ('member' as const),
    };
    change(async () => {
      await answer(api.POST('/api/v1/users', { body }));
      form.reset();
    });
  };
  const setLogin = (event: FormEvent<HTMLFormElement>, username: string) => {
    event.preventDefault();
    const login = formText(event, 'login');
    change(() =>
      answer(api.PUT('/api/v1/users/{username}/github-login', { params: { path: { username } }, body: { login: login || null } })),
    );
  };
  const saveAccount = (event: FormEvent<HTMLFormElement>, u: { username: string; role: string; displayName: string }) => {
    event.preventDefault();
    const role = formText(event, 'role') === 'admin' ? ('admin' as const) : ('member' as const);
    const displayName = formText(event, 'displayName');
    const body = { ...(role !== u.role ? { role } : {}), ...(displayName && displayName !== u.displayName ? { displayName } : {}) };
    if (Object.keys(body).length === 0) return;
    change(() => answer(api.PATCH('/api/v1/users/{username}', { params: { path: { username: u.username } }, body })));
  };
  const setDisabled = (username: string, disabled: boolean) =>
    change(() => answer(api.PATCH('/api/v1/users/{username}', { params: { path: { username } }, body: { disabled } })));
  return (
    <Section id="users" title="Users" error={action.error}>
      <ul className="settings-list">
        {(data?.users ?? []).map((u) => (
          <li key={u.id}>
            <strong>{u.username}</strong> ({u.disabledAt ? `disabled ${shortTime(u.disabledAt)}` : u.role}) — {u.displayName}
            {u.projects?.length ? ` · ${u.projects.map((p) => (p.role === 'admin' ? `${p.project} (admin)` : p.project)).join(', ')}` : ''}
            <form onSubmit={(e) => saveAccount(e, u)} aria-label={`Account of ${u.username}`} className="inline-form">
              <div className="field">
                <label htmlFor={`role-${u.id}`}>Role of {u.username}</label>
                <select id={`role-${u.id}`} name="role" defaultValue={u.role}>
                  <option value="member">member</option>
                  <option value="admin">admin</option>
                </select>
              </div>
              <Field label={`Display name of ${u.username}`} name="displayName" defaultValue={u.displayName} maxLength={200} />
              <button type="submit" disabled={action.busy}>
                Save {u.username}
              </button>{' '}
              <button type="button" disabled={action.busy} onClick={() => setDisabled(u.username, !u.disabledAt)}>
                {u.disabledAt ? `Enable ${u.username}` : `Disable ${u.username}`}
              </button>
            </form>
            <form onSubmit={(e) => setLogin(e, u.username)} aria-label={`GitHub login of ${u.username}`} className="inline-form">
              <Field label={`GitHub login of ${u.username}`} name="login" maxLength={40} defaultValue={u.githubLogin ?? ''} />
              <button type="submit" disabled={action.busy}>
                Save the login
              </button>
            </form>
          </li>
        ))}
      </ul>
      <form onSubmit={add} aria-label="Add a user">
        <h3>Add a user</h3>
        <Field label="New username" name="username" required maxLength={64} autoComplete="off" />
        <Field label="Their password" name="password" type="password" required minLength={12} autoComplete="new-password" />
        <div className="field">
          <label htmlFor="new-user-role">Role</label>
          <select id="new-user-role" name="role" defaultValue="member">
            <option value="member">member (sees the cases they are on)</option>
            <option value="admin">admin (sees every case)</option>
          </select>
        </div>
        <button type="submit" disabled={action.busy}>
          Add the user
        </button>
      </form>
    </Section>
  );
}

function Connections() {
  const { data, action, change } = useLoaded(() => answer(api.GET('/api/v1/github/connections')));
  const connect = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const project = formText(event, 'project');
    const apiUrl = formText(event, 'apiUrl');
    const body = {
      repository: formText(event, 'repository'),
      token: String(new FormData(form).get('token')),
      ...(apiUrl ? { apiUrl } : {}),
    };
    change(async () => {
      await answer(api.PUT('/api/v1/github/connections/{project}', { params: { path: { project } }, body }));
      form.reset();
    });
  };
  return (
    <Section id="connections" title="GitHub connections" error={action.error}>
      <ul>
        {(data?.connections ?? []).map((c) => (
          <li key={c.project}>
            <strong>{c.project}</strong> → {c.repository}: {c.status}{' '}
            <button
              type="button"
              onClick={() =>
                change(() => answer(api.POST('/api/v1/github/connections/{project}/check', { params: { path: { project: c.project } } })))
              }
            >
              Check {c.project}
            </button>{' '}
            <button
              type="button"
              onClick={() =>
                change(() => answer(api.DELETE('/api/v1/github/connections/{project}', { params: { path: { project: c.project } } })))
              }
            >
              Disconnect {c.project}
            </button>
          </li>
        ))}
      </ul>
      <form onSubmit={connect} aria-label="Connect a project">
        <Field label="Project" name="project" required maxLength={64} />
        <Field label="Repository (owner/name)" name="repository" required maxLength={140} />
        <Field
          label="Token"
          name="token"
          type="password"
          required
          autoComplete="off"
          hint="Checked against GitHub, stored encrypted, never shown again."
        />
        <Field label="API URL (GitHub Enterprise only)" name="apiUrl" />
        <button type="submit" disabled={action.busy}>
          Connect
        </button>
      </form>
    </Section>
  );
}

function Playbooks() {
  const { data, action } = useLoaded(() => answer(api.GET('/api/v1/playbooks')));
  return (
    <Section id="playbooks" title="Playbooks" error={action.error}>
      {(data?.playbooks ?? []).map((p) => (
        <details key={p.id}>
          <summary>
            {p.name} ({p.id}){p.id === data?.defaultPlaybook ? ', the default' : ''}
          </summary>
          <p>{p.description}</p>
          <ol>
            {(p.steps as { id: string; title: string; phase: string }[]).map((s) => (
              <li key={s.id}>
                {s.title} <span className="phase">{s.phase}</span>
              </li>
            ))}
          </ol>
        </details>
      ))}
    </Section>
  );
}
