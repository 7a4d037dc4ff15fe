import express, { type Request, type RequestHandler } from 'express';
import {
  maskSubject,
  requireAuth,
  requireRecentLogin,
  socialAuth,
  type SocialAuthConfig,
} from '@socialauth/core';
import { escape, page } from './html';
import { spaPage } from './spa';
import { textsOf } from './text';
import { returned } from './returned';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Opened at 127.0.0.1 when baseURL says localhost (or the other way round), a sign-in would start
 * with a cookie for one address and come back to the other, which never sees it. Say which
 * address to use instead of letting the sign-in fail.
 */
function sameAddress(baseURL: string): RequestHandler {
  const base = new URL(baseURL);
  return (req, res, next) => {
    const host = req.headers.host ?? '';
    const here = URL.canParse(`http://${host}`) ? new URL(`http://${host}`).hostname : '';
    if (here === base.hostname || !LOOPBACK.has(here) || !LOOPBACK.has(base.hostname))
      return next();
    if (req.accepts(['html', 'json']) !== 'html') return next();
    const { lang, t } = textsOf(req);
    const there = new URL(req.originalUrl, base).href;
    res
      .status(421)
      .send(
        page(
          t.wrongAddress,
          `<h1>${escape(t.wrongAddress)}</h1><p id="address-hint">${escape(t.wrongAddressBody(`${req.protocol}://${host}`, base.origin))}</p>` +
            `<p><a class="btn btn-go" href="${escape(there)}">${escape(base.origin)}</a></p>`,
          lang,
        ),
      );
  };
}

/** What the example's pages ask of a session. */
export interface AppOptions {
  /** How recent the sign-in must be for the security page, in seconds. Default 300. */
  recentLoginSeconds?: number;
}

/** The whole example app: socialauth does the work, this file only renders pages. */
export function createApp(config: SocialAuthConfig, options: AppOptions = {}) {
  const app = express();
  app.use(sameAddress(config.baseURL));
  const kakaoConfigured = config.providers.some((p) => p.id === 'kakao');
  app.use(
    socialAuth({
      ...config,
      redirects: { afterLogin: '/profile', afterLogout: '/' },
      // Asked for later, on the phone number page (Kakao's additional consent).
      ...(kakaoConfigured && { moreScopes: { kakao: ['phone_number'] } }),
    }),
  );
  const signedIn = requireAuth({ loginPath: '/' });
  const providerOf = (id: string) => config.providers.find((p) => p.id === id) ?? { id, name: id };
  // Every POST form carries the session's CSRF token.
  const form = (req: Request, action: string, label: string, extra = '') =>
    `<form method="post" action="${escape(action)}"><input type="hidden" name="_csrf" value="${escape(req.socialAuth.csrfToken())}">` +
    `${extra}<button type="submit">${escape(label)}</button></form>`;
  const nav = (req: Request) => {
    const { t } = textsOf(req);
    return `<p class="nav"><a href="/profile">${t.navProfile}</a> · <a href="/connections">${t.navConnections}</a> · <a href="/api-check">${t.navApis}</a> · <a href="/sessions">${t.navSessions}</a> · <a href="/phone">${t.navPhone}</a> · <a href="/security">${t.navSecurity}</a></p>`;
  };

  app.get('/', (req, res) => {
    if (req.user) return res.redirect('/profile');
    const { lang, t, signInLabel } = textsOf(req);
    const buttons = config.providers
      .map(
        (p) =>
          `<a class="btn btn-${p.id}" href="/auth/${p.id}?next=/profile">${escape(signInLabel(p))}</a>`,
      )
      .join('');
    res.send(page(t.appTitle, `<h1>${t.appTitle}</h1><p>${t.intro}</p>${buttons}`, lang));
  });

  app.get('/spa', (req, res) => {
    res.send(spaPage(req, config.providers));
  });

  app.get('/profile', signedIn, (req, res) => {
    const user = req.user!;
    const { lang, t, providerName } = textsOf(req);
    const avatar = user.avatarUrl
      ? `<img class="avatar" alt="" src="${escape(user.avatarUrl)}" width="64" height="64" referrerpolicy="no-referrer">`
      : '';
    // The sign-in's provider may have been disconnected since: say so rather than claim it.
    const still = user.identities.some((i) => i.provider === user.provider);
    const via =
      escape(providerName(providerOf(user.provider))) +
      (still ? '' : ` <small class="gone">(${t.disconnectedSince})</small>`);
    const linked = [...new Set(user.identities.map((i) => i.provider))]
      .map((id) => escape(providerName(providerOf(id))))
      .join(', ');
    res.send(
      page(
        t.profile,
        `<h1>${t.profile}</h1>${nav(req)}${avatar}<dl>` +
          `<dt>${t.name}</dt><dd id="name">${escape(user.name ?? t.notShared)}</dd>` +
          `<dt>${t.email}</dt><dd id="email">${escape(user.email ?? t.notShared)}</dd>` +
          `<dt>${t.signedInWith}</dt><dd id="provider">${via}</dd>` +
          `<dt>${t.connected}</dt><dd id="linked">${linked}</dd></dl>` +
          `<p><a id="export" href="/auth/account/export" download>${t.exportData}</a></p>` +
          `<p><a id="delete" href="/auth/account/delete">${t.deleteAccount}</a></p>` +
          form(req, '/auth/logout', t.logOut) +
          form(req, '/auth/logout/everywhere', t.logOutEverywhere),
        lang,
      ),
    );
  });

  app.get('/connections', signedIn, (req, res) => {
    const { lang, t, providerName } = textsOf(req);
    const linked = req.user!.identities;
    const rows = config.providers
      .map((p) => {
        const name = providerName(p);
        const mine = linked.filter((i) => i.provider === p.id);
        const action = mine.length
          ? form(
              req,
              `/auth/${p.id}/disconnect`,
              t.disconnect(name),
              '<input type="hidden" name="next" value="/connections">',
            )
          : form(req, `/auth/${p.id}/connect?next=/connections`, t.connect(name));
        // An email where the provider shared one, else the id with its middle hidden: some
        // providers' ids are 40-odd characters, and per-app secrets besides.
        const who = mine
          .map(
            (i) => `<span class="who">${escape(i.email ?? `ID ${maskSubject(i.subject)}`)}</span>`,
          )
          .join(', ');
        const state = mine.length ? `${t.isConnected} ${who}` : t.notConnected;
        return `<li class="connection${mine.length ? ' on' : ''}" data-provider="${p.id}"><strong>${escape(name)}</strong> ${state}${action}</li>`;
      })
      .join('');
    res.send(
      page(
        t.connections,
        `<h1>${t.connections}</h1>${nav(req)}<ul class="plain">${rows}</ul>`,
        lang,
      ),
    );
  });

  // Every session of the user (socialauth lists them by opaque handles), each with its own
  // sign-out button.
  app.get('/sessions', signedIn, async (req, res) => {
    const { lang, t, providerName } = textsOf(req);
    const sessions = await req.socialAuth.sessions();
    const when = (iso: string) => new Date(iso).toLocaleString(lang === 'ko' ? 'ko-KR' : 'en-US');
    const rows = sessions
      .map((s) => {
        const here = s.current ? ` <strong class="current">(${t.thisDevice})</strong>` : '';
        return (
          `<li class="session${s.current ? ' current' : ''}"><span class="device">${escape(s.device ?? t.unknownDevice)}</span>${here}` +
          `<br><small>${escape(providerName(providerOf(s.provider)))} · ${t.lastSeen} ${escape(when(s.lastSeenAt))}</small>` +
          form(
            req,
            '/auth/sessions/end',
            t.endSession,
            `<input type="hidden" name="session" value="${escape(s.id)}"><input type="hidden" name="next" value="/sessions">`,
          ) +
          '</li>'
        );
      })
      .join('');
    res.send(
      page(t.sessions, `<h1>${t.sessions}</h1>${nav(req)}<ul class="plain">${rows}</ul>`, lang),
    );
  });

  // Calls each connected provider's profile API with the stored token (refreshed when due) and
  // shows what came back.
  app.get('/api-check', signedIn, async (req, res) => {
    const { lang, t, providerName } = textsOf(req);
    const rows = await Promise.all(
      req.user!.identities.map(async (identity) => {
        const provider = providerOf(identity.provider);
        const name = escape(providerName(provider));
        const url = config.providers.find((p) => p.id === identity.provider)?.profileURL;
        if (!url) return `<li class="api">${name}: ${t.noApi}</li>`;
        const head = `<strong>${name}</strong> <code>GET ${escape(url)}</code>`;
        try {
          const answer = await req.socialAuth.fetch(identity.provider, url, {
            subject: identity.subject,
          });
          return (
            `<li class="api" data-provider="${identity.provider}">${head} → HTTP <span class="status">${answer.status}</span>` +
            `${returned(await answer.text())}</li>`
          );
        } catch (err) {
          const code = (err as { code?: string }).code;
          return `<li class="api" data-provider="${identity.provider}">${head} → <span class="status">${escape(code ?? t.failed)}</span></li>`;
        }
      }),
    );
    res.send(
      page(
        t.apis,
        `<h1>${t.apis}</h1>${nav(req)}<p>${t.apisIntro}</p><ul class="plain">${rows.join('')}</ul>`,
        lang,
      ),
    );
  });

  // "Ask for more": the phone number is not asked at sign-in, only here, when it is needed.
  app.get('/phone', signedIn, async (req, res) => {
    const { lang, t } = textsOf(req);
    const hasKakao = req.user!.identities.some((i) => i.provider === 'kakao');
    let body: string;
    if (!kakaoConfigured || !hasKakao) {
      body = `<p id="phone-state">${t.phoneNeedsKakao}</p><p><a href="/connections">${t.navConnections}</a></p>`;
    } else if ((await req.socialAuth.scopes('kakao')).includes('phone_number')) {
      const data = await req.socialAuth.providerData('kakao');
      const account = data?.kakao_account as { phone_number?: unknown } | undefined;
      const phone = typeof account?.phone_number === 'string' ? account.phone_number : t.notShared;
      body = `<p id="phone-state">${t.phoneShared}</p><p id="phone">${escape(phone)}</p>`;
    } else {
      body =
        `<p id="phone-state">${t.phoneNotShared}</p>` +
        `<p><a id="ask-more" class="btn btn-kakao" href="/auth/kakao?scope=phone_number&amp;next=/phone">${t.phoneAsk}</a></p>`;
    }
    res.send(page(t.phoneTitle, `<h1>${t.phoneTitle}</h1>${nav(req)}${body}`, lang));
  });

  // "Confirm it's you": a sensitive page opens only after a recent sign-in; otherwise the user
  // signs in again at their provider (asked to re-authenticate) and comes back here.
  const seconds = options.recentLoginSeconds ?? 300;
  app.get('/security', signedIn, requireRecentLogin({ maxAge: seconds }), (req, res) => {
    const { lang, t } = textsOf(req);
    const at = req.socialAuth.authenticatedAt!;
    const when = at.toLocaleString(lang === 'ko' ? 'ko-KR' : 'en-US');
    res.send(
      page(
        t.securityTitle,
        `<h1>${t.securityTitle}</h1>${nav(req)}<p id="confirmed">${t.securityConfirmed}</p>` +
          `<p>${escape(t.securityWhen(when, seconds))}</p>` +
          `<p><a id="security-delete" href="/auth/account/delete">${t.deleteAccount}</a></p>`,
        lang,
      ),
    );
  });

  return app;
}
