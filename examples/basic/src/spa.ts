import { page } from './html';

// The SPA's whole client: plain script, no build step, only the JSON API. It starts a sign-in
// with `Accept: application/json` ({ redirectUrl }), comes back to /spa, reads GET /auth/session,
// and logs out with the CSRF token from GET /auth/csrf.
const SCRIPT = `
const json = { Accept: 'application/json' };
const out = document.getElementById('app');
async function show() {
  const res = await fetch('/auth/session', { headers: json });
  if (res.ok) {
    const { user } = await res.json();
    out.innerHTML = '';
    const who = document.createElement('p');
    who.id = 'who';
    who.textContent = 'Signed in as ' + (user.name || user.id) + ' with ' + user.provider;
    const logout = document.createElement('button');
    logout.textContent = 'Log out';
    logout.onclick = async () => {
      const { csrfToken } = await (await fetch('/auth/csrf', { headers: json })).json();
      await fetch('/auth/logout', { method: 'POST', headers: { ...json, 'X-CSRF-Token': csrfToken } });
      show();
    };
    out.append(who, logout);
    return;
  }
  const { providers } = await (await fetch('/auth/providers', { headers: json })).json();
  out.innerHTML = '<p id="who">Not signed in</p>';
  for (const p of providers) {
    const button = document.createElement('button');
    button.textContent = 'Sign in with ' + p.name;
    button.onclick = async () => {
      const res = await fetch(p.loginURL + '?next=/spa', { headers: json });
      const body = await res.json();
      if (body.redirectUrl) location.assign(body.redirectUrl);
      else out.append(Object.assign(document.createElement('p'), { textContent: body.error.message }));
    };
    out.append(button);
  }
}
show();
`;

/** `GET /spa`: a single-page app that signs in through socialauth's JSON API. */
export function spaPage(): string {
  return page(
    'socialauth SPA example',
    `<h1>SPA example</h1><p>This page uses only the JSON API.</p><div id="app"></div>` +
      `<script>${SCRIPT}</script>`,
  );
}
