import express from 'express';
import { requireAuth, socialAuth, type SocialAuthConfig } from '@socialauth/core';
import { page, escape } from './html';

/** The whole example app: socialauth does the work, this file only renders pages. */
export function createApp(config: SocialAuthConfig) {
  const app = express();
  app.use(socialAuth({ ...config, redirects: { afterLogin: '/profile', afterLogout: '/' } }));

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

  app.get('/profile', requireAuth({ loginPath: '/' }), (req, res) => {
    const user = req.user!;
    const avatar = user.avatarUrl
      ? `<img class="avatar" alt="" src="${escape(user.avatarUrl)}" width="64" height="64" referrerpolicy="no-referrer">`
      : '';
    res.send(
      page(
        'Your profile',
        `<h1>Your profile</h1>${avatar}<dl>` +
          `<dt>Name</dt><dd id="name">${escape(user.name ?? '(not shared)')}</dd>` +
          `<dt>Email</dt><dd id="email">${escape(user.email ?? '(not shared)')}</dd>` +
          `<dt>Signed in with</dt><dd id="provider">${escape(user.provider)}</dd></dl>` +
          `<form method="post" action="/auth/logout"><button type="submit">Log out</button></form>`,
      ),
    );
  });

  return app;
}
