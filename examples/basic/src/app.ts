import express, { type Request } from 'express';
import { requireAuth, socialAuth, type SocialAuthConfig } from '@socialauth/core';
import { escape, page } from './html';
import { spaPage } from './spa';

/** The whole example app: socialauth does the work, this file only renders pages. */
export function createApp(config: SocialAuthConfig) {
  const app = express();
  app.use(socialAuth({ ...config, redirects: { afterLogin: '/profile', afterLogout: '/' } }));
  const signedIn = requireAuth({ loginPath: '/' });
  const nameOf = (id: string) => config.providers.find((p) => p.id === id)?.name ?? id;
  // Every POST form carries the session's CSRF token.
  const form = (req: Request, action: string, label: string, extra = '') =>
    `<form method="post" action="${escape(action)}"><input type="hidden" name="_csrf" value="${escape(req.socialAuth.csrfToken())}">` +
    `${extra}<button type="submit">${escape(label)}</button></form>`;
  const nav =
    '<p><a href="/profile">Profile</a> · <a href="/connections">Connections</a> · <a href="/api-check">Provider APIs</a></p>';

  app.get('/', (req, res) => {
    if (req.user) return res.redirect('/profile');
    const buttons = config.providers
      .map(
        (p) =>
          `<a class="btn btn-${p.id}" href="/auth/${p.id}?next=/profile">Sign in with ${escape(p.name)}</a>`,
      )
      .join('');
    res.send(
      page(
        'socialauth example',
        `<h1>socialauth example</h1><p>Sign in to see your profile.</p>${buttons}`,
      ),
    );
  });

  app.get('/spa', (_req, res) => {
    res.send(spaPage());
  });

  app.get('/profile', signedIn, (req, res) => {
    const user = req.user!;
    const avatar = user.avatarUrl
      ? `<img class="avatar" alt="" src="${escape(user.avatarUrl)}" width="64" height="64" referrerpolicy="no-referrer">`
      : '';
    res.send(
      page(
        'Your profile',
        `<h1>Your profile</h1>${nav}${avatar}<dl>` +
          `<dt>Name</dt><dd id="name">${escape(user.name ?? '(not shared)')}</dd>` +
          `<dt>Email</dt><dd id="email">${escape(user.email ?? '(not shared)')}</dd>` +
          `<dt>Signed in with</dt><dd id="provider">${escape(user.provider)}</dd></dl>` +
          form(req, '/auth/logout', 'Log out'),
      ),
    );
  });

  app.get('/connections', signedIn, (req, res) => {
    const linked = req.user!.identities;
    const rows = config.providers
      .map((p) => {
        const mine = linked.filter((i) => i.provider === p.id);
        const action = mine.length
          ? form(
              req,
              `/auth/${p.id}/disconnect`,
              `Disconnect ${p.name}`,
              '<input type="hidden" name="next" value="/connections">',
            )
          : form(req, `/auth/${p.id}/connect?next=/connections`, `Connect ${p.name}`);
        const who = mine.map((i) => escape(i.email ?? i.subject)).join(', ');
        return `<li class="connection" data-provider="${p.id}"><strong>${escape(p.name)}</strong> ${mine.length ? `connected: ${who}` : 'not connected'}${action}</li>`;
      })
      .join('');
    const error =
      typeof req.query.error === 'string' ? `<p class="error">${escape(req.query.error)}</p>` : '';
    res.send(page('Connections', `<h1>Connections</h1>${nav}${error}<ul>${rows}</ul>`));
  });

  // Calls each connected provider's profile API with the stored token (refreshed when due).
  app.get('/api-check', signedIn, async (req, res) => {
    const rows = await Promise.all(
      req.user!.identities.map(async (identity) => {
        const url = config.providers.find((p) => p.id === identity.provider)?.profileURL;
        if (!url) return `<li>${escape(nameOf(identity.provider))}: no profile API</li>`;
        try {
          const answer = await req.socialAuth.fetch(identity.provider, url);
          return `<li class="api" data-provider="${identity.provider}">${escape(nameOf(identity.provider))}: HTTP <span class="status">${answer.status}</span></li>`;
        } catch (err) {
          return `<li class="api" data-provider="${identity.provider}">${escape(nameOf(identity.provider))}: ${escape((err as { code?: string }).code ?? 'failed')}</li>`;
        }
      }),
    );
    res.send(page('Provider APIs', `<h1>Provider APIs</h1>${nav}<ul>${rows.join('')}</ul>`));
  });

  return app;
}
