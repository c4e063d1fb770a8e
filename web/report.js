// The public report form. It sends JSON to /api/v1/reports without cookies (credentials: 'omit'):
// reporting needs no account. The answer's private link is shown once and never stored here.
// Text goes in with textContent only, so nothing from the server is ever parsed as HTML.
const $ = (id) => document.getElementById(id);

$('report-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  const text = (name) => String(form.get(name) ?? '').trim();
  const body = {
    title: text('title'),
    description: text('description'),
    affectedVersions: text('affectedVersions'),
    reporter: { name: text('name'), contact: text('contact'), company: text('company') || null, credit: text('credit') || 'named' },
  };
  const button = event.target.querySelector('button[type="submit"]');
  button.disabled = true;
  $('report-error').textContent = '';
  try {
    const res = await fetch('/api/v1/reports', {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/json' },
      body: JSON.stringify(body),
      credentials: 'omit',
      cache: 'no-store',
    });
    const data = await res.json().catch(() => null);
    if (!res.ok) throw new Error(data?.error?.message ?? `The report could not be sent (HTTP ${res.status}).`);
    $('confirmation-message').textContent = data.message;
    $('next-steps').replaceChildren(
      ...data.nextSteps.map((s) => {
        const li = document.createElement('li');
        li.textContent = s;
        return li;
      }),
    );
    $('portal-link').href = data.portalUrl;
    $('portal-link').textContent = data.portalUrl;
    event.target.reset();
    event.target.hidden = true;
    $('confirmation').hidden = false;
  } catch (err) {
    $('report-error').textContent = err.message;
  } finally {
    button.disabled = false;
  }
});
