/**
 * The shell: find out who is signed in (or whether Embargo needs its first admin), then show the
 * page for the path. Pages other than the dashboard load on demand to keep the first load small.
 */
import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { api, setCsrfToken } from './api.js';
import { Dashboard } from './pages/Dashboard.js';
import { SetupPage } from './pages/Setup.js';
import { SignInPage } from './pages/SignIn.js';
import { Link, navigate, usePath } from './router.js';
import { type Session, SessionContext, type SessionUser } from './session.js';

const CasePage = lazy(() => import('./pages/CasePage.js'));
const SettingsPage = lazy(() => import('./pages/Settings.js'));
const NewCasePage = lazy(() => import('./pages/NewCase.js'));

type State = { kind: 'loading' } | { kind: 'signed-out'; setupNeeded: boolean } | { kind: 'signed-in'; user: SessionUser };

export function App() {
  const [state, setState] = useState<State>({ kind: 'loading' });
  const path = usePath();

  const load = useCallback(async () => {
    const { data, response } = await api.GET('/api/v1/session');
    if (response.ok && data) {
      setCsrfToken(data.csrfToken);
      setState({ kind: 'signed-in', user: data.user });
      return;
    }
    const setup = await api.GET('/api/v1/setup');
    setState({ kind: 'signed-out', setupNeeded: setup.data?.needed ?? false });
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  const session = useMemo<Session | null>(
    () =>
      state.kind === 'signed-in'
        ? {
            user: state.user,
            signOut: async () => {
              await api.DELETE('/api/v1/session');
              setCsrfToken(undefined);
              setState({ kind: 'signed-out', setupNeeded: false });
              navigate('/', { replace: true });
            },
          }
        : null,
    [state],
  );

  if (state.kind === 'loading') return <p className="loading">Loading…</p>;
  if (state.kind === 'signed-out') {
    const signedIn = (user: SessionUser, csrfToken?: string) => {
      setCsrfToken(csrfToken);
      setState({ kind: 'signed-in', user });
      if (path === '/setup') navigate('/', { replace: true });
    };
    if (path === '/setup') return <SetupPage needed={state.setupNeeded} onDone={signedIn} />;
    return <SignInPage setupNeeded={state.setupNeeded} onSignedIn={signedIn} />;
  }
  return (
    <SessionContext.Provider value={session}>
      <Header />
      <main id="main">
        <Suspense fallback={<p className="loading">Loading…</p>}>
          <Page path={path} />
        </Suspense>
      </main>
    </SessionContext.Provider>
  );
}

function Page({ path }: { path: string }) {
  const caseMatch = /^\/cases\/(EMB-\d{4}-\d{4,8})\/?$/.exec(path);
  if (caseMatch) return <CasePage caseId={caseMatch[1]!} />;
  if (path === '/' || path === '/setup') return <Dashboard />;
  if (path === '/settings') return <SettingsPage />;
  if (path === '/cases/new') return <NewCasePage />;
  return (
    <section>
      <h1>Page not found</h1>
      <p>
        There is nothing at this address. <Link to="/">Go to the dashboard</Link>.
      </p>
    </section>
  );
}

function Header() {
  return (
    <SessionContext.Consumer>
      {(session) => (
        <header className="top">
          <a className="skip" href="#main">
            Skip to content
          </a>
          <Link to="/" className="brand">
            Embargo
          </Link>
          <nav aria-label="Main">
            <Link to="/">Dashboard</Link> <Link to="/cases/new">New case</Link> <Link to="/settings">Settings</Link>
          </nav>
          <span className="who">
            {session?.user.displayName} ({session?.user.role})
          </span>
          <button type="button" onClick={() => void session?.signOut()}>
            Sign out
          </button>
        </header>
      )}
    </SessionContext.Consumer>
  );
}
