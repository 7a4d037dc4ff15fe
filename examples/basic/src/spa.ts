import type { Request } from 'express';
import { page } from './html';
import { textsOf } from './text';

// The SPA's whole client: plain script, no build step, only the JSON API. It starts a sign-in
// with `Accept: application/json` ({ redirectUrl }), comes back to /spa, reads GET /auth/session,
// and logs out with the CSRF token from GET /auth/csrf.
const SCRIPT = `
const T = JSON.parse(document.getElementById('texts').textContent);
const json = { Accept: 'application/json' };
const out = document.getElementById('app');
async function show() {
  const res = await fetch('/auth/session', { headers: json });
  if (res.ok) {
    const { user } = await res.json();
    out.innerHTML = '';
    const who = document.createElement('p');
    who.id = 'who';
    who.textContent = T.signedInAs.replace('{who}', user.name || user.id).replace('{provider}', T.names[user.provider] || user.provider);
    const logout = document.createElement('button');
    logout.textContent = T.logOut;
    logout.onclick = async () => {
      const { csrfToken } = await (await fetch('/auth/csrf', { headers: json })).json();
      await fetch('/auth/logout', { method: 'POST', headers: { ...json, 'X-CSRF-Token': csrfToken } });
      show();
    };
    out.append(who, logout);
    return;
  }
  const { providers } = await (await fetch('/auth/providers', { headers: json })).json();
  out.innerHTML = '';
  out.append(Object.assign(document.createElement('p'), { id: 'who', textContent: T.notSignedIn }));
  for (const p of providers) {
    const button = document.createElement('button');
    button.textContent = T.signIn[p.id] || p.name;
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
export function spaPage(req: Request, providers: readonly { id: string; name: string }[]): string {
  const { lang, t, providerName, signInLabel } = textsOf(req);
  const texts = {
    notSignedIn: t.notSignedIn,
    logOut: t.logOut,
    signedInAs: t.signedInAs('{who}', '{provider}'),
    names: Object.fromEntries(providers.map((p) => [p.id, providerName(p)])),
    signIn: Object.fromEntries(providers.map((p) => [p.id, signInLabel(p)])),
  };
  // JSON in a script element: `<` escaped so no text can close the element.
  const data = JSON.stringify(texts).replace(/</g, '\\u003c');
  return page(
    t.spa,
    `<h1>${t.spa}</h1><p>${t.spaIntro}</p><div id="app"></div>` +
      `<script type="application/json" id="texts">${data}</script><script>${SCRIPT}</script>`,
    lang,
  );
}
