/**
 * First run: the server printed /setup#<secret>. The secret stays in the fragment (browsers never
 * send it, so no log has it) and goes to the API once, in the request body.
 */
import { type FormEvent, useState } from 'react';
import { answer, api, messageOf } from '../api.js';
import { useTitle } from '../router.js';
import type { SessionUser } from '../session.js';
import { ErrorLine, Field } from '../ui.js';

export function SetupPage({ needed, onDone }: { needed: boolean; onDone(user: SessionUser, csrf?: string): void }) {
  useTitle('Set up Embargo');
  const [secret] = useState(() => window.location.hash.slice(1));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const password = String(form.get('password'));
    if (password !== String(form.get('repeat'))) {
      setError('the two passwords differ');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const displayName = String(form.get('displayName') ?? '').trim();
      const done = await answer(
        api.POST('/api/v1/setup', {
          body: { secret, username: String(form.get('username')), password, ...(displayName ? { displayName } : {}) },
        }),
      );
      window.history.replaceState(null, '', '/');
      onDone(done.user, done.csrfToken);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  if (!needed) {
    return (
      <main id="main" className="narrow">
        <h1>Embargo is already set up</h1>
        <p>
          <a href="/">Sign in</a>, or ask an admin for an account.
        </p>
      </main>
    );
  }
  return (
    <main id="main" className="narrow">
      <h1>Set up Embargo</h1>
      <p>You are the first person here: choose the username and password of the first admin.</p>
      {secret ? null : <p className="error">This address has no setup secret: open the whole link the server printed.</p>}
      <form onSubmit={submit} aria-label="First admin">
        <Field label="Username" name="username" autoComplete="username" required />
        <Field label="Display name" name="displayName" autoComplete="name" />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          minLength={12}
          required
          hint="12 characters or more."
        />
        <Field label="Repeat the password" name="repeat" type="password" autoComplete="new-password" required />
        <button type="submit" disabled={busy || !secret}>
          Create the admin and sign in
        </button>
        <ErrorLine message={error} />
      </form>
    </main>
  );
}
