import { createPrivateKey, createPublicKey, randomBytes } from 'node:crypto';
import { Router } from 'express';
import type { EmulatorProvider } from '../../provider';
import { ExpiringMap, TokenStore, randomToken } from '../../state';
import type { Notification } from '../../unlink-notify';
import { authorizeHandler, idTokenClaims } from './authorize';
import {
  APPLE_ISSUER,
  APPLE_PATHS,
  CODE_TTL_MS,
  TOKEN_PREFIX,
  findUser,
  type AppleContext,
} from './common';
import { revokeHandler, tokenHandler } from './token';
import { appleUsers, sharedEmail, type AppleUser } from './users';

export { APPLE_PATHS } from './common';
export type { AppleUser } from './users';

/**
 * The event types of Apple's server-to-server notifications ("Processing changes for Sign in
 * with Apple accounts", checked 2026-12-07; `account-deleted` was `account-delete` before).
 *
 * @example
 * ```ts
 * await emulator.sendUnlink('apple', { to, user, event: 'account-deleted' });
 * ```
 */
export type AppleNotificationType =
  'consent-revoked' | 'account-deleted' | 'email-disabled' | 'email-enabled';

// A public test credential, like every default client's: the .p8 key of the emulator's team.
const DEFAULT_PRIVATE_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgTldJtaGwwZ6qKQ9K
d2JwxGTXqiqsHtbFgvWpam6iyt2hRANCAATeRC7PhhNp0f+KWH2om2OWS+OQ/jcW
iPoo22Cak3t5jQmn/+w+W3hdK/m1ggYVD6/VbfSVbJO/4RKSBnVn+Dvm
-----END PRIVATE KEY-----
`;
const DEFAULT_PUBLIC_KEY = createPublicKey(createPrivateKey(DEFAULT_PRIVATE_KEY))
  .export({ type: 'spki', format: 'pem' })
  .toString();

function createRouter(a: AppleContext): Router {
  const router = Router({ caseSensitive: true, strict: true });
  router.get(APPLE_PATHS.authorize, authorizeHandler(a));
  router.post(APPLE_PATHS.token, tokenHandler(a));
  router.post(APPLE_PATHS.revoke, revokeHandler(a));
  router.get(APPLE_PATHS.jwks, (_req, res) => {
    res.json(a.key.jwks);
  });
  return router;
}

/**
 * Apple's notification: `{ "payload": "<JWT>" }`, signed with the key of Apple's JWKS; `aud` the
 * team's primary App ID, `events` a JSON string (as real notifications carry it).
 */
async function notification(
  a: AppleContext,
  audience: string,
  user: AppleUser,
  type: AppleNotificationType,
): Promise<Notification> {
  const email = type === 'email-disabled' || type === 'email-enabled';
  const events = JSON.stringify({
    type,
    sub: user.sub,
    ...(email && {
      email: sharedEmail(user),
      is_private_email: String(user.relayEmail !== undefined),
    }),
    event_time: a.now(),
  });
  const payload = await a.key.sign({
    iss: APPLE_ISSUER,
    aud: audience,
    iat: Math.floor(a.now() / 1000),
    jti: randomBytes(16).toString('hex'),
    events,
  });
  return { headers: {}, body: { json: { payload } } };
}

/** The emulated Sign in with Apple: form_post authorization, JWT client secrets, revoke, notices. */
export const apple = {
  name: 'apple',
  paths: APPLE_PATHS,
  defaultClient: Object.freeze({
    // A Services ID in real life (com.example.web); the bundle id below is its team's app.
    clientId: 'emulator-apple-client-id',
    teamId: 'emulator-apple-team',
    keyId: 'emulator-apple-key',
    privateKey: DEFAULT_PRIVATE_KEY,
    publicKey: DEFAULT_PUBLIC_KEY,
    appClientIds: Object.freeze(['emulator-apple-app-id']),
  }),
  defaultUsers: appleUsers,
  userKeyField: 'sub',
  userKey: (user) => user.sub,
  checkClient(client) {
    for (const field of ['teamId', 'keyId', 'publicKey'] as const) {
      if (typeof client[field] !== 'string' || client[field] === '') {
        throw new TypeError(
          `client.${field} must be a non-empty string (Apple's client secret is a JWT)`,
        );
      }
    }
    try {
      createPublicKey(client.publicKey!);
    } catch {
      throw new TypeError('client.publicKey must be a PEM public key');
    }
  },
  issuesIdTokens: true,
  consentTexts: {
    label: { en: 'Apple', ko: 'Apple' },
    scopes: { ko: { name: '이름', email: '이메일 주소' } },
  },
  banner: { label: 'authorize', path: APPLE_PATHS.authorize },
  create(shared) {
    const a: AppleContext = {
      ...shared,
      codes: new ExpiringMap(shared.now),
      tokens: new TokenStore(shared.now),
      authorized: new Set(),
    };
    const account = (sub: string) => {
      const found = findUser(a, sub);
      if (!found) throw new TypeError(`No apple user ${sub}`);
      return found;
    };
    return {
      router: createRouter(a),
      // ASAuthorizationAppleIDCredential.identityToken: for the app's bundle id, with the nonce
      // the app set (the hash of its raw nonce), the email claims as booleans.
      appIdToken({ user, clientId, nonce, claims }) {
        const scopes = ['name', 'email'];
        const extra = { real_user_status: 2, email_verified: true, ...claims };
        const token = idTokenClaims(a, account(user), clientId, scopes, nonce, extra);
        if (account(user).relayEmail !== undefined) token.is_private_email = true;
        for (const [k, v] of Object.entries(token)) if (v === undefined) delete token[k];
        return a.key.sign(token);
      },
      // ASAuthorizationAppleIDCredential.authorizationCode: issued to the bundle id, no
      // redirect_uri.
      appAuthorizationCode({ user, clientId, nonce }) {
        const code = randomToken(TOKEN_PREFIX.code);
        a.codes.set(
          code,
          {
            provider: 'apple',
            clientId,
            redirectUri: '',
            sub: account(user).sub,
            scopes: ['name', 'email'],
            offline: true,
            nonce,
            used: false,
          },
          CODE_TTL_MS,
        );
        return code;
      },
      unlink(client, user, _subject, { event = 'consent-revoked' }) {
        const type = event as AppleNotificationType;
        if (type === 'consent-revoked' || type === 'account-deleted') {
          // Apple ends the team's grants before it notifies.
          const ids = [client.clientId, ...(client.appClientIds ?? [])];
          a.tokens.revokeGrants(
            (grant) =>
              grant.provider === 'apple' && grant.sub === user && ids.includes(grant.clientId),
          );
          a.authorized.delete(`${client.clientId} ${user}`);
        }
        return notification(a, client.appClientIds?.[0] ?? client.clientId, account(user), type);
      },
    };
  },
} satisfies EmulatorProvider<'apple', AppleUser>;
