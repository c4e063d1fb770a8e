// A minimal page until the web interface lands: sign in, see your cases, sign out.
// Text goes in with textContent only, so nothing from the server is ever parsed as HTML.
const $ = (id) => document.getElementById(id);
let csrfToken = '';

async function api(method, url, body) {
  const headers = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') headers['x-csrf-token'] = csrfToken;
  const res = await fetch(url, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
  });
  const data = res.status === 204 ? null : await res.json();
  if (!res.ok) throw new Error(data?.error?.message ?? `request failed (${res.status})`);
  return data;
}

async function show() {
  let session = null;
  try {
    session = await api('GET', '/api/v1/session');
  } catch {
    session = null;
  }
  $('sign-in').hidden = Boolean(session);
  $('signed-in').hidden = !session;
  if (!session) return;
  csrfToken = session.csrfToken ?? '';
  $('who').textContent = `${session.user.displayName} (${session.user.role})`;
  const { cases } = await api('GET', '/api/v1/cases');
  const rows = cases.map((c) => {
    const tr = document.createElement('tr');
    for (const value of [c.id, c.codename, c.title, c.status]) {
      const td = document.createElement('td');
      td.textContent = value;
      tr.append(td);
    }
    return tr;
  });
  $('cases').replaceChildren(...rows);
}

$('sign-in').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  $('sign-in-error').textContent = '';
  try {
    await api('POST', '/api/v1/session', { username: form.get('username'), password: form.get('password') });
    event.target.reset();
    await show();
  } catch (err) {
    $('sign-in-error').textContent = err.message;
  }
});

$('sign-out').addEventListener('click', async () => {
  await api('DELETE', '/api/v1/session').catch(() => undefined);
  await show();
});

show();
