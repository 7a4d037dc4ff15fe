import { createHmac } from 'node:crypto';
import { Router, type Response } from 'express';
import { safeEqual } from '../../clients';
import type { ConsentDecision } from '../../consent';
import { sendErrorPage } from '../../html';
import { queryParams, readForm, sendJson, withParams, type Params } from '../../http';
import { checkVerifier } from '../../pkce';
import type { EmulatorProvider, ProviderContext } from '../../provider';
import {
  ExpiringMap,
  TokenStore,
  randomToken,
  type AuthorizationCode,
  type Grant,
} from '../../state';
import type { EmulatorEndpoint } from '../../types';
import { lineUsers, type LineUser } from './users';

export type { LineUser } from './users';

/** LINE Login v2.1's paths (developers.line.biz, LINE Login API reference, checked 2026-12-07). */
export const LINE_PATHS = {
  authorize: '/oauth2/v2.1/authorize',
  token: '/oauth2/v2.1/token',
  userinfo: '/v2/profile',
  revoke: '/oauth2/v2.1/revoke',
} as const satisfies Partial<Record<EmulatorEndpoint, string>>;

/** The `iss` of LINE's ID tokens. */
const LINE_ISSUER = 'https://access.line.me';
/** Access tokens live 30 days (`expires_in` 2592000). */
const ACCESS_SECONDS = 2_592_000;

interface LineContext extends ProviderContext<LineUser> {
  readonly codes: ExpiringMap<AuthorizationCode>;
  readonly tokens: TokenStore;
}

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A web login's ID token: HS256 keyed with the channel secret, no `kid` (verify-id-token). */
function webIdToken(secret: string, claims: Record<string, unknown>): string {
  const input = `${b64({ typ: 'JWT', alg: 'HS256' })}.${b64(claims)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

/** The channel of a token or revoke request: its ID and secret in the form body. */
function channelOf(l: LineContext, p: Params) {
  const client = l.clients.find('line', p.get('client_id') ?? '');
  return client && safeEqual(p.get('client_secret') ?? '', client.clientSecret ?? '')
    ? client
    : undefined;
}

const lineError = (res: Response, error: string, description: string, status = 400) =>
  sendJson(res, status, { error, error_description: description });

function createRouter(l: LineContext): Router {
  const router = Router({ caseSensitive: true, strict: true });
  router.get(LINE_PATHS.authorize, (req, res) => {
    const q = queryParams(req);
    const client = l.clients.find('line', q.get('client_id') ?? '');
    const redirectUri = q.get('redirect_uri');
    if (!client) return sendErrorPage(res, 400, 'invalid_client', 'The channel was not found.');
    if (!redirectUri || !l.clients.allowsRedirect(client, redirectUri)) {
      return sendErrorPage(res, 400, 'invalid_request', 'Invalid redirect_uri value.');
    }
    const state = q.get('state');
    const scopes = (q.get('scope') ?? '').split(' ').filter(Boolean);
    const challenge = q.get('code_challenge');
    if (challenge && q.get('code_challenge_method') !== 'S256') {
      return res.redirect(302, withParams(redirectUri, { error: 'invalid_request', state }));
    }
    l.consent.show(res, {
      provider: 'line',
      appName: client.name ?? client.clientId,
      scopes: scopes.map((scope) => ({ scope })),
      users: l.users.map((u) => ({ id: u.userId, name: u.displayName, email: u.email })),
      complete: (decision: ConsentDecision) => {
        const user = decision.approved
          ? l.users.find((u) => u.userId === decision.userId)
          : undefined;
        if (!user) {
          return withParams(redirectUri, {
            error: 'access_denied',
            error_description: 'The user has denied the approval',
            state,
          });
        }
        const code = randomToken().slice(0, 20);
        l.codes.set(
          code,
          {
            provider: 'line',
            clientId: client.clientId,
            redirectUri,
            sub: user.userId,
            scopes,
            offline: true,
            nonce: q.get('nonce'),
            ...(challenge && { codeChallenge: challenge, codeChallengeMethod: 'S256' as const }),
            used: false,
          },
          10 * 60 * 1000,
        );
        return withParams(redirectUri, { code, state });
      },
    });
  });

  router.post(LINE_PATHS.token, async (req, res) => {
    const form = await readForm(req);
    if (!form.ok) return lineError(res, 'invalid_request', form.description);
    const p = form.params;
    const client = channelOf(l, p);
    if (!client) {
      return lineError(res, 'invalid_client', 'invalid client_secret', 401);
    }
    let grant: Grant;
    let nonce: string | undefined;
    if (p.get('grant_type') === 'refresh_token') {
      const token = l.tokens.find(p.get('refresh_token') ?? '');
      if (!token || token.kind !== 'refresh' || token.grant.clientId !== client.clientId) {
        return lineError(res, 'invalid_grant', 'invalid refresh token');
      }
      grant = token.grant;
    } else {
      const code = l.codes.get(p.get('code') ?? '');
      if (
        !code ||
        code.used ||
        code.clientId !== client.clientId ||
        code.redirectUri !== p.get('redirect_uri')
      ) {
        return lineError(res, 'invalid_grant', 'invalid authorization code');
      }
      code.used = true;
      if (checkVerifier(code, p.get('code_verifier'))) {
        return lineError(res, 'invalid_grant', 'invalid code_verifier');
      }
      grant = {
        provider: 'line',
        clientId: client.clientId,
        sub: code.sub,
        scopes: code.scopes,
        revoked: false,
      };
      nonce = code.nonce;
    }
    const user = l.users.find((u) => u.userId === grant.sub);
    if (!user) return lineError(res, 'invalid_grant', 'user not found');
    const accessToken = l.tokens.issue(
      { kind: 'access', grant, scopes: grant.scopes },
      'eyJ',
      ACCESS_SECONDS * 1000,
    );
    const refreshToken = l.tokens.issue({ kind: 'refresh', grant, scopes: grant.scopes }, '');
    let idToken: string | undefined;
    if (grant.scopes.includes('openid')) {
      const iat = Math.floor(l.now() / 1000);
      const claims = l.idTokenOverrides.apply('line', {
        iss: LINE_ISSUER,
        sub: user.userId,
        aud: client.clientId,
        exp: iat + 3600,
        iat,
        nonce,
        amr: ['linesso'],
        ...(grant.scopes.includes('profile') && {
          name: user.displayName,
          picture: user.pictureUrl,
        }),
        ...(grant.scopes.includes('email') && user.email !== undefined && { email: user.email }),
      });
      if (claims) {
        for (const [k, v] of Object.entries(claims)) if (v === undefined) delete claims[k];
        idToken = webIdToken(client.clientSecret ?? '', claims);
      }
    }
    sendJson(res, 200, {
      access_token: accessToken,
      expires_in: ACCESS_SECONDS,
      id_token: idToken,
      refresh_token: refreshToken,
      scope: grant.scopes.join(' '),
      token_type: 'Bearer',
    });
  });

  router.get(LINE_PATHS.userinfo, (req, res) => {
    const token = l.tokens.find(
      /^Bearer +(\S+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '',
    );
    const user = token?.kind === 'access' && l.users.find((u) => u.userId === token.grant.sub);
    if (!token || !user)
      return sendJson(res, 401, {
        message:
          'Authentication failed. Confirm that the access token in the authorization header is valid.',
      });
    sendJson(res, 200, {
      userId: user.userId,
      displayName: user.displayName,
      pictureUrl: user.pictureUrl,
      statusMessage: user.statusMessage,
    });
  });

  // POST /oauth2/v2.1/revoke: client_id, client_secret and access_token in the body.
  router.post(LINE_PATHS.revoke, async (req, res) => {
    const form = await readForm(req);
    if (!form.ok) return lineError(res, 'invalid_request', form.description);
    const p = form.params;
    const client = channelOf(l, p);
    if (!client) {
      return lineError(res, 'invalid_client', 'invalid client_secret', 401);
    }
    const token = l.tokens.find(p.get('access_token') ?? '');
    if (token && token.grant.clientId === client.clientId) token.grant.revoked = true;
    res.status(200).end();
  });
  return router;
}

/** The emulated LINE Login v2.1: authorize, token (HS256 ID tokens), profile, revoke. */
export const line = {
  name: 'line',
  paths: LINE_PATHS,
  defaultClient: Object.freeze({
    // LINE calls them the channel ID and the channel secret.
    clientId: 'emulator-line-channel-id',
    clientSecret: 'emulator-line-channel-secret',
  }),
  defaultUsers: lineUsers,
  userKeyField: 'userId',
  userKey: (user) => user.userId,
  issuesIdTokens: true,
  consentTexts: {
    label: { en: 'LINE', ko: 'LINE' },
    scopes: { ko: { profile: '프로필 정보', openid: '내부 식별자', email: '이메일 주소' } },
  },
  banner: { label: 'authorize', path: LINE_PATHS.authorize },
  create(shared) {
    const l: LineContext = {
      ...shared,
      codes: new ExpiringMap(shared.now),
      tokens: new TokenStore(shared.now),
    };
    return { router: createRouter(l) };
  },
} satisfies EmulatorProvider<'line', LineUser>;
