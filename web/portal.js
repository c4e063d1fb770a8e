// The reporter's page. The secret is the last part of this page's address; it goes to the API in
// a header, never in an API URL. Cookies are left out (credentials: 'omit'): the portal needs no
// account, and a team member's session in the same browser must not be mixed in.
// Text goes in with textContent only, so nothing from the server is ever parsed as HTML.
const $ = (id) => document.getElementById(id);
const secret = decodeURIComponent(location.pathname.split('/').filter(Boolean).pop() ?? '');

async function api(method, url, body) {
  const headers = { accept: 'application/json', 'x-portal-token': secret };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(url, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'omit',
    cache: 'no-store',
  });
  const data = await res.json().catch(() => null);
  if (!res.ok) {
    const err = new Error(data?.error?.message ?? `The request failed (HTTP ${res.status}).`);
    err.status = res.status;
    throw err;
  }
  return data;
}

const when = (iso) => (iso ? new Date(iso).toLocaleString() : '');

function item(heading, meta, body) {
  const li = document.createElement('li');
  const h = document.createElement('h3');
  h.textContent = heading;
  const m = document.createElement('p');
  m.className = 'hint';
  m.textContent = meta;
  const pre = document.createElement('pre');
  pre.className = 'text';
  pre.textContent = body;
  li.append(h, m, pre);
  return li;
}

function render(view) {
  $('reference').textContent = view.case.reference;
  $('status').textContent = view.case.status;
  $('disclosure').textContent = view.disclosure
    ? `${view.disclosure.local} (${new Date(view.disclosure.at).toLocaleString()} your time), ${view.disclosure.agreed ? 'agreed' : 'proposed, not agreed yet'}`
    : 'not set yet; the security team will propose one.';
  $('expires').hidden = !view.link.expiresAt;
  $('expires').textContent = view.link.expiresAt ? `This link works until ${when(view.link.expiresAt)}.` : '';
  $('title').textContent = view.case.title;
  $('description').textContent = view.case.description || '(no text)';
  $('no-messages').hidden = view.messages.length > 0;
  $('messages').replaceChildren(...view.messages.map((m) => item(m.subject, m.sentAt ? `Sent ${when(m.sentAt)}` : '', m.body)));
  $('no-replies').hidden = view.replies.length > 0;
  $('replies').replaceChildren(...view.replies.map((r) => item('Your reply', `Written ${when(r.at)}`, r.body)));
  $('reply-body').maxLength = view.limits.replyCharacters;
  $('reply-limit').textContent = `At most ${view.limits.replyCharacters.toLocaleString()} characters.`;
  $('credit-choices').replaceChildren(
    ...view.creditChoices.map((choice) => {
      const label = document.createElement('label');
      const input = document.createElement('input');
      input.type = 'radio';
      input.name = 'credit';
      input.value = choice.value;
      input.checked = choice.value === view.reporter.credit;
      label.append(input, choice.label);
      return label;
    }),
  );
  $('loading').hidden = true;
  $('report').hidden = false;
}

async function load() {
  try {
    render(await api('GET', '/api/v1/portal'));
  } catch (err) {
    $('loading').hidden = true;
    $('report').hidden = true;
    $('gone').hidden = false;
    $('gone').textContent = err.message;
  }
}

$('reply-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const out = $('reply-result');
  out.className = '';
  out.textContent = 'Sending…';
  try {
    await api('POST', '/api/v1/portal/replies', { body: $('reply-body').value });
    $('reply-body').value = '';
    await load();
    out.className = 'ok';
    out.textContent = 'Sent. The security team will see your reply.';
  } catch (err) {
    out.className = 'error';
    out.textContent = err.message;
  }
});

$('credit-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const out = $('credit-result');
  const chosen = new FormData(event.target).get('credit');
  if (!chosen) return;
  try {
    await api('PUT', '/api/v1/portal/credit', { credit: chosen });
    out.className = 'ok';
    out.textContent = 'Saved.';
  } catch (err) {
    out.className = 'error';
    out.textContent = err.message;
  }
});

load();
