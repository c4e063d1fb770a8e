import { type FormEvent, useState } from 'react';
import { api, messageOf, answer } from '../api.js';
import { useTitle } from '../router.js';
import type { SessionUser } from '../session.js';
import { ErrorLine, Field } from '../ui.js';

export function SignInPage({ setupNeeded, onSignedIn }: { setupNeeded: boolean; onSignedIn(user: SessionUser, csrf?: string): void }) {
  useTitle('Sign in');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      const signedIn = await answer(
        api.POST('/api/v1/session', { body: { username: String(form.get('username')), password: String(form.get('password')) } }),
      );
      onSignedIn(signedIn.user, signedIn.csrfToken);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="main" className="narrow">
      <h1>Embargo</h1>
      <p>Security response, from the first private report to the retrospective.</p>
      <form onSubmit={submit} aria-labelledby="sign-in-heading">
        <h2 id="sign-in-heading">Sign in</h2>
        <Field label="Username" name="username" autoComplete="username" required />
        <Field label="Password" name="password" type="password" autoComplete="current-password" required />
        <button type="submit" disabled={busy}>
          Sign in
        </button>
        <ErrorLine message={error} />
      </form>
      {setupNeeded ? (
        <p className="hint">
          Nobody is set up yet. Open the one-time setup link the server printed when it started (restart it for a new one), or run{' '}
          <code>npx embargo user add --admin --username YOU</code> on the server.
        </p>
      ) : null}
      <p className="hint">
        Reporting a vulnerability? Use the <a href="/report">report form</a>.
      </p>
    </main>
  );
}
