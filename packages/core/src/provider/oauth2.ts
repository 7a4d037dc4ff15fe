import { SocialAuthError } from '../errors';
import { refreshTokens } from '../tokens/endpoints';
import type {
  AuthCodeFlow,
  ClientAuthMethod,
  ConfigIssue,
  Endpoints,
  ProviderOptionsBase,
  ProviderPlugin,
  SocialProfile,
  TokenSet,
} from '../contract';
import { atOrigin } from './discovery';
import { describeAnswer, envPrefix, revokeAt, urlIssues } from './generic';
import { parseProfileJson, providerBasics } from './helpers';

/** What an {@link oauth2} provider's `toProfile` returns; `provider` and `raw` are filled in. */
export interface OAuth2ProfileFields {
  /** The provider's permanent user id. A number must be a safe integer (pass ids as text). */
  id: string | number;
  email?: string;
  /** True only when the provider says it verified `email`. Default false. */
  emailVerified?: boolean;
  name?: string;
  nickname?: string;
  avatarUrl?: string;
}

/** Options for {@link oauth2}. Credentials default to `<ID>_CLIENT_ID` / `<ID>_CLIENT_SECRET`. */
export interface OAuth2Options<User = Record<string, unknown>> extends ProviderOptionsBase {
  /** Route segment and key, e.g. `'github'`: lowercase letters, digits and dashes. */
  id: string;
  /** Shown on buttons. Default: the id. */
  name?: string;
  /** The authorization endpoint (RFC 6749 §3.1). */
  authorizationURL: string;
  /** The token endpoint (RFC 6749 §3.2); the client secret is sent in the body. */
  tokenURL: string;
  /** The API that returns the signed-in user as JSON (GET with the Bearer token). */
  userInfoURL: string;
  /**
   * Maps the user JSON to the shared profile. `text` is the body as received, for ids too
   * large for a JavaScript number.
   */
  toProfile(user: User, text: string | undefined): OAuth2ProfileFields;
  /** Scopes to ask for. Default none. */
  scopes?: string[];
  /** How scopes are joined. Default `' '` (RFC 6749 §3.3). */
  scopeSeparator?: string;
  /** Send PKCE S256 (RFC 7636). Default true: RFC 9700 §2.1.1; turn off only if the provider refuses it. */
  pkce?: boolean;
  /** Extra authorization request parameters, e.g. `{ allow_signup: 'false' }`. */
  authorizationParams?: Record<string, string>;
  /** How to ask for more scopes later (`AuthCodeFlow.moreScopes`). Default: a plain `scope`. */
  moreScopes?: AuthCodeFlow['moreScopes'];
  /**
   * How to have the user authenticate again (`requireRecentLogin`), in the provider's own
   * words, e.g. `{ params: { prompt: 'login' } }`. Default none: OAuth 2.0 has no standard way,
   * so the provider may answer at once from its own session.
   */
  reauthenticate?: AuthCodeFlow['reauthenticate'];
  /** A token revocation endpoint (RFC 7009); without it or `revoke`, the plugin has no `revoke`. */
  revocationURL?: string;
  /** Ends the grant where the provider does it its own way (GitHub's `DELETE .../grant`). */
  revoke?(tokens: TokenSet): Promise<void>;
  /** Let a verified email from this provider join an existing user. Default false. */
  trustsEmail?: boolean;
  /** `form_post`: the provider answers with a POST to the callback (Form Post Response Mode). */
  responseMode?: 'form_post';
  /**
   * How the client authenticates at the token and revocation endpoints (RFC 6749 §2.3.1).
   * Default `client_secret_post`.
   */
  clientAuth?: ClientAuthMethod;
}

/**
 * Any OAuth 2.0 provider without OpenID Connect (GitHub-style), by its endpoint URLs and a
 * profile mapping. Authorization code flow with state (and PKCE S256 by default), the profile
 * from `userInfoURL`, refresh with the refresh token when the provider issues one.
 *
 * @example
 * ```ts
 * const github = oauth2<{ id: number; login: string; name?: string; avatar_url?: string }>({
 *   id: 'github',
 *   name: 'GitHub',
 *   authorizationURL: 'https://github.com/login/oauth/authorize',
 *   tokenURL: 'https://github.com/login/oauth/access_token',
 *   userInfoURL: 'https://api.github.com/user',
 *   scopes: ['read:user'],
 *   toProfile: (u) => ({ id: u.id, name: u.name, nickname: u.login, avatarUrl: u.avatar_url }),
 * }); // GITHUB_CLIENT_ID / GITHUB_CLIENT_SECRET
 * ```
 */
export function oauth2<User = Record<string, unknown>>(
  options: OAuth2Options<User>,
): ProviderPlugin {
  const { clientId, clientSecret, origin, issues } = providerBasics(options, envPrefix(options.id));
  const name = options.name ?? options.id;
  const at = (url: string) => (URL.canParse(url) ? atOrigin(url, origin) : url);
  const tokenURL = at(options.tokenURL);
  const endpoints: Endpoints = {
    authorize: at(options.authorizationURL),
    token: tokenURL,
    profile: at(options.userInfoURL),
    pkce: options.pkce ?? true,
    ...(options.clientAuth && { clientAuth: options.clientAuth }),
  };
  const { clientAuth } = options;
  const revocationURL = options.revocationURL && at(options.revocationURL);

  function toProfile(raw: unknown): SocialProfile {
    const user = parseProfileJson(raw, name);
    let fields: OAuth2ProfileFields;
    try {
      fields = options.toProfile(user as User, typeof raw === 'string' ? raw : undefined);
    } catch (err) {
      throw new SocialAuthError('profile_fetch_failed', `${name}: toProfile failed`, {
        cause: err,
      });
    }
    const id = fields?.id;
    if (typeof id === 'number' && !Number.isSafeInteger(id)) {
      throw new SocialAuthError('profile_fetch_failed', `${name}: the id lost precision`);
    }
    if ((typeof id !== 'string' && typeof id !== 'number') || String(id) === '') {
      throw new SocialAuthError('profile_fetch_failed', `${name} returned a profile without id`);
    }
    return {
      provider: options.id,
      id: String(id),
      email: fields.email,
      emailVerified: fields.email !== undefined && fields.emailVerified === true,
      name: fields.name,
      nickname: fields.nickname,
      avatarUrl: fields.avatarUrl,
      raw: user,
    };
  }

  return {
    id: options.id,
    name,
    pkce: endpoints.pkce,
    trustsEmail: options.trustsEmail ?? false,
    profileURL: endpoints.profile,
    validate(): ConfigIssue[] {
      const list = [
        ...issues(),
        ...urlIssues(options.authorizationURL, 'authorizationURL'),
        ...urlIssues(options.tokenURL, 'tokenURL'),
        ...urlIssues(options.userInfoURL, 'userInfoURL'),
        ...(options.revocationURL === undefined
          ? []
          : urlIssues(options.revocationURL, 'revocationURL')),
      ];
      if (typeof options.toProfile !== 'function') {
        list.push({ field: 'toProfile', message: 'toProfile must map the user JSON to a profile' });
      }
      return list;
    },
    authCode: {
      clientId,
      clientSecret,
      scopes: options.scopes ?? [],
      scopeSeparator: options.scopeSeparator ?? ' ',
      authorizationParams: options.authorizationParams,
      ...(options.moreScopes && { moreScopes: options.moreScopes }),
      ...(options.reauthenticate && { reauthenticate: options.reauthenticate }),
      endpoints,
      ...(options.responseMode && { responseMode: options.responseMode }),
      describeProfileError: (status, body) => describeAnswer(name, status, body),
    },
    toProfile,
    refresh: (tokens) => refreshTokens({ tokenURL, clientId, clientSecret, clientAuth }, tokens),
    ...(revocationURL && {
      revoke: (tokens: TokenSet) =>
        revokeAt(revocationURL, { clientId, clientSecret, name, clientAuth }, tokens),
    }),
    ...(options.revoke && { revoke: options.revoke }),
  };
}
