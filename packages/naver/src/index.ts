/**
 * Naver sign-in (네이버 로그인) for `@socialauth/core`.
 *
 * @example
 * ```ts
 * import { naver } from '@socialauth/naver';
 * app.use(socialAuth({ ..., providers: [naver()] })); // reads NAVER_CLIENT_ID / NAVER_CLIENT_SECRET
 * ```
 * @packageDocumentation
 */
import { createDecipheriv, createHash, createHmac } from 'node:crypto';
import {
  SocialAuthError,
  parseProfileJson,
  postForm,
  providerBasics,
  rawProfileFetcher,
  refreshTokens,
  safeEqual,
  webhookParam,
  type ProviderOptionsBase,
  type ProviderPlugin,
  type SocialProfile,
  type WebhookEvent,
  type WebhookRequest,
} from '@socialauth/core';
import type OAuth2Strategy from 'passport-oauth2';
import { Strategy as NaverStrategyTyped } from 'passport-naver-v2';
import { naverAppTokenSignIn } from './app-token';

// passport-naver-v2's own typings hide that it is a passport-oauth2 strategy.
const NaverStrategy = NaverStrategyTyped as unknown as new (
  options: object,
  verify: unknown,
) => OAuth2Strategy;

// naver/naver-openapi-guide ko/login/api/api.md: the classic (non-OIDC) endpoints.
const HOSTS = { nid: 'https://nid.naver.com', openapi: 'https://openapi.naver.com' } as const;
const PATHS = {
  authorize: '/oauth2.0/authorize',
  token: '/oauth2.0/token',
  revoke: '/oauth2.0/revoke',
  profile: '/v1/nid/me',
} as const;

/** Options for {@link naver}. */
export interface NaverOptions extends ProviderOptionsBase {
  /** `reprompt` asks again for items the user declined; `reauthenticate` forces a password. */
  authType?: 'reprompt' | 'reauthenticate';
}

/** `GET /v1/nid/me`: Naver wraps the profile and reports errors in `resultcode`. */
export interface NaverProfileResponse {
  /** `"00"` on success; `"024"` authentication failed, `"028"` no token, ... */
  resultcode: string;
  message: string;
  response?: NaverProfile;
}

/** The profile items; every one but `id` is missing when the user declined it. */
export interface NaverProfile {
  /** Per-app id: base64-like (apps since 2021-05) or INT64 digits (older apps). */
  id: string;
  nickname?: string;
  name?: string;
  /** A contact address Naver does not vouch for: never treated as verified. */
  email?: string;
  gender?: 'F' | 'M' | 'U';
  /** An age band such as `"40-49"`. */
  age?: string;
  /** `"MM-DD"`. */
  birthday?: string;
  birthyear?: string;
  profile_image?: string;
  mobile?: string;
}

/**
 * Maps Naver's profile response (body text or parsed JSON) to the shared shape. A `resultcode`
 * other than `"00"` is `profile_fetch_failed` with Naver's message, whatever the HTTP status.
 *
 * @example
 * ```ts
 * toProfile('{"resultcode":"00","message":"success","response":{"id":"abc"}}').id; // 'abc'
 * ```
 */
export function toProfile(raw: unknown): SocialProfile {
  const body = parseProfileJson(raw, 'Naver') as Partial<NaverProfileResponse>;
  if (body.resultcode !== '00') {
    throw new SocialAuthError('profile_fetch_failed', naverError(body));
  }
  const profile = body.response;
  if (!profile || typeof profile.id !== 'string' || profile.id === '') {
    throw new SocialAuthError('profile_fetch_failed', 'Naver returned a profile without id');
  }
  return {
    provider: 'naver',
    id: profile.id,
    email: profile.email,
    emailVerified: false,
    name: profile.name,
    nickname: profile.nickname,
    avatarUrl: profile.profile_image,
    raw: body,
  };
}

/**
 * How far a notification's `timestamp` may be from now. Naver documents no window; it signs the
 * timestamp and never retries, so a short one costs nothing and stops a captured call from being
 * replayed later (after the user linked again).
 */
export const WEBHOOK_MAX_SKEW_MS = 5 * 60 * 1000;

/**
 * Naver's unlink notification (연결 끊기 알림, naver/naver-openapi-guide
 * ko/login/devguide/devguide.md §4.4): a form POST of `clientId`, `encryptUniqueId`, `timestamp`
 * (epoch seconds) and `signature`, answered 204. The key of both the signature and the
 * encryption is the first 16 bytes of MD5(client secret), Naver's choice (§4.4.2, §4.4.3):
 * - `signature` = URL-safe base64 (no padding) of HmacSHA256 over
 *   `clientId=<clientId>&encryptUniqueId=<encryptUniqueId>&timestamp=<timestamp>`;
 * - `encryptUniqueId` = base64(iv(16) + AES-128-CBC/PKCS5(the profile `id`)).
 */
function verifyUnlink(
  request: WebhookRequest,
  clientId: string,
  clientSecret: string,
  now = Date.now(),
): WebhookEvent {
  const sentClientId = webhookParam(request, 'clientId');
  const encrypted = webhookParam(request, 'encryptUniqueId');
  const timestamp = webhookParam(request, 'timestamp');
  const signature = webhookParam(request, 'signature');
  if (
    request.method !== 'POST' ||
    sentClientId === undefined ||
    encrypted === undefined ||
    timestamp === undefined ||
    signature === undefined
  ) {
    throw new SocialAuthError('webhook_invalid', 'Naver notification without its fields');
  }
  const key = createHash('md5').update(clientSecret, 'utf8').digest().subarray(0, 16);
  const expected = createHmac('sha256', key)
    .update(`clientId=${clientId}&encryptUniqueId=${encrypted}&timestamp=${timestamp}`, 'utf8')
    .digest('base64url');
  // Checked together, so a forged call learns nothing from which check failed.
  const signed = safeEqual(signature.replace(/=+$/, ''), expected);
  if (!signed || sentClientId !== clientId) {
    throw new SocialAuthError('webhook_invalid', 'Naver notification with a wrong signature');
  }
  if (
    !/^\d{1,12}$/.test(timestamp) ||
    Math.abs(now - Number(timestamp) * 1000) > WEBHOOK_MAX_SKEW_MS
  ) {
    throw new SocialAuthError('webhook_invalid', 'Naver notification too old or from the future');
  }
  return {
    event: 'unlink',
    subject: decryptUniqueId(encrypted, key),
    ackStatus: 204,
    // Signed over all of its fields: a replay carries the same signature. (It is refused after
    // WEBHOOK_MAX_SKEW_MS anyway; within it, core acts on each notification once.)
    id: expected,
  };
}

function decryptUniqueId(encrypted: string, key: Buffer): string {
  // Naver encodes URL-safe; Node's base64 decoder reads both alphabets.
  const raw = Buffer.from(encrypted, 'base64');
  const body = raw.subarray(16);
  if (body.length === 0 || body.length % 16 !== 0) {
    throw new SocialAuthError('invalid_request', 'Naver notification with a malformed id');
  }
  try {
    const decipher = createDecipheriv('aes-128-cbc', key, raw.subarray(0, 16));
    const id = Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
    if (id !== '') return id;
  } catch {
    // a bad padding: reported below
  }
  throw new SocialAuthError('invalid_request', 'Naver notification with a malformed id');
}

/**
 * The Naver provider. Credentials default to `NAVER_CLIENT_ID` / `NAVER_CLIENT_SECRET`.
 * Naver takes no PKCE on these endpoints; `state` is always sent (Naver requires it).
 * Naver's unlink notification is accepted at `<baseURL>/auth/naver/webhook`, verified with the
 * client secret. Apps signed in with the Naver login SDK send its tokens to
 * `POST <baseURL>/auth/naver/token` as `{ accessToken, refreshToken }`: the refresh token is
 * renewed with this app's credentials, which Naver does only for a grant of this app.
 *
 * @example
 * ```ts
 * naver({ authType: 'reprompt' });
 * ```
 */
export function naver(options: NaverOptions = {}): ProviderPlugin {
  const { clientId, clientSecret, url, issues } = providerBasics(options, 'NAVER');
  const tokenURL = url(HOSTS.nid, PATHS.token);
  const profileURL = url(HOSTS.openapi, PATHS.profile);

  return {
    id: 'naver',
    name: 'Naver',
    pkce: false,
    profileURL,
    validate: issues,
    createStrategy(ctx) {
      class Strategy extends NaverStrategy {
        override authorizationParams(opts: Record<string, unknown>): object {
          return super.authorizationParams({ authType: options.authType, ...opts }) as object;
        }

        // Naver's token request repeats the state of the authorization request (api.md, 2.4.2).
        override tokenParams(opts: { callbackState?: unknown }): object {
          return typeof opts.callbackState === 'string' ? { state: opts.callbackState } : {};
        }

        // passport-naver-v2 drops Naver's message and hard-codes the profile URL.
        override userProfile = rawProfileFetcher(profileURL, (status, body) =>
          body ? naverError(body) : `Naver answered ${status ?? 'nothing'}`,
        );
      }
      return new Strategy(
        {
          clientID: clientId,
          clientSecret,
          callbackURL: ctx.callbackURL,
          authorizationURL: url(HOSTS.nid, PATHS.authorize),
          tokenURL,
          store: ctx.store,
          passReqToCallback: true,
        },
        ctx.verify,
      );
    },
    toProfile,
    webhook: (request) => verifyUnlink(request, clientId, clientSecret),
    refresh: (tokens) => refreshTokens({ tokenURL, clientId, clientSecret }, tokens),
    tokenSignIn: (token) =>
      naverAppTokenSignIn(token, { tokenURL, profileURL, clientId, clientSecret }, toProfile),
    async revoke(tokens) {
      // Naver answers 200 with an empty body, even for a token it does not know.
      const { status } = await postForm(
        url(HOSTS.nid, PATHS.revoke),
        {
          client_id: clientId,
          client_secret: clientSecret,
          token: tokens.accessToken,
          token_type_hint: 'access_token',
        },
        'revoke_failed',
      );
      if (status !== 200) throw new SocialAuthError('revoke_failed', `Naver answered ${status}`);
    },
  };
}

function naverError(body: Partial<NaverProfileResponse>): string {
  return `Naver answered ${String(body.resultcode).slice(0, 8)}: ${String(body.message).slice(0, 200)}`;
}
