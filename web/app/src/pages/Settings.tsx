/**
 * Settings: your API tokens (a new one shown once; revoke), and for admins the users (add, GitHub
 * logins), the distributors list's members, the projects' GitHub connections (the token checked,
 * stored encrypted, never shown) and the playbooks (read-only).
 */
import { type FormEvent, type ReactNode, useEffect, useState } from 'react';
import { answer, api } from '../api.js';
import { useTitle } from '../router.js';
import { useSession } from '../session.js';
import { shortTime } from '../time.js';
import { ErrorLine, Field, useAction } from '../ui.js';

/** A settings section: loads its data, and reloads it after each change. */
function useLoaded<T>(load: () => Promise<T>): {
  data: T | null;
  action: ReturnType<typeof useAction>;
  change(run: () => Promise<unknown>): void;
} {
  const [data, setData] = useState<T | null>(null);
  const action = useAction();
  // biome-ignore lint/correctness/useExhaustiveDependencies: load once
  useEffect(() => {
    void action.run(async () => setData(await load()));
  }, []);
  return {
    data,
    action,
    change: (run) =>
      void action.run(async () => {
        await run();
        setData(await load());
      }),
  };
}

const formText = (event: FormEvent<HTMLFormElement>, name: string) => String(new FormData(event.currentTarget).get(name) ?? '').trim();

function Section({ id, title, children, error }: { id: string; title: string; children: ReactNode; error: string | null }) {
  return (
    <section className="panel" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{title}</h2>
      {children}
      <ErrorLine message={error} />
    </section>
  );
}

export default function SettingsPage() {
  useTitle('Settings');
  const { user } = useSession();
  return (
    <div>
      <h1>Settings</h1>
      <Tokens />
      {user.role === 'admin' ? (
        <>
          <Users />
          <Distributors />
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
  return (
    <Section id="users" title="Users" error={action.error}>
      <ul>
        {(data?.users ?? []).map((u) => (
          <li key={u.id}>
            <strong>{u.username}</strong> ({u.role}) — {u.displayName}
            <form onSubmit={(e) => setLogin(e, u.username)} aria-label={`GitHub login of ${u.username}`} className="inline-form">
              <Field label={`GitHub login of ${u.username}`} name="login" maxLength={40} />
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

function Distributors() {
  const { data, action, change } = useLoaded(() => answer(api.GET('/api/v1/distributors')));
  const add = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const body = { organisation: formText(event, 'organisation'), contact: formText(event, 'contact') };
    change(async () => {
      await answer(api.POST('/api/v1/distributors', { body }));
      form.reset();
    });
  };
  return (
    <Section id="distributors" title="Distributors list" error={action.error}>
      <ul>
        {(data?.distributors ?? []).map((d) => (
          <li key={d.id}>
            <strong>{d.organisation}</strong> {d.contact}
            {d.termsAcceptedAt ? ` — accepted the terms ${shortTime(d.termsAcceptedAt)}` : ' — terms not accepted'}{' '}
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
      <form onSubmit={add} aria-label="Add a member" className="inline-form">
        <Field label="Organisation" name="organisation" required maxLength={200} />
        <Field label="Contact address" name="contact" required maxLength={320} />
        <button type="submit" disabled={action.busy}>
          Add the member
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
