/**
 * GitHub sign-in for `@socialauth/core`.
 *
 * @example
 * ```ts
 * import { github } from '@socialauth/github';
 * app.use(socialAuth({ ..., providers: [github()] })); // reads GITHUB_CLIENT_ID / GITHUB_CLIENT_SECRET
 * ```
 * @packageDocumentation
 */
import {
  SocialAuthError,
  backChannelFetch,
  basicCredentials,
  bearerGet,
  describeAnswer,
  providerBasics,
  refreshTokens,
  type ProviderOptionsBase,
  type ProviderPlugin,
  revokeRefused,
} from '@socialauth/core/provider';
import { toProfile, type GitHubEmail, type GitHubUser } from './profile';

// docs.github.com, "Authorizing OAuth apps" and the REST API (checked 2026-12-07).
const HOSTS = { web: 'https://github.com', api: 'https://api.github.com' } as const;
const PATHS = {
  authorize: '/login/oauth/authorize',
  token: '/login/oauth/access_token',
  user: '/user',
  emails: '/user/emails',
} as const;
/** REST API requests: a User-Agent is required ("Requests with no User-Agent header will be rejected"). */
const API_HEADERS = {
  Accept: 'application/vnd.github+json',
  'User-Agent': 'socialauth',
  // Supported until 2028-03-10 (the API versions page).
  'X-GitHub-Api-Version': '2022-11-28',
};

/** An error answer's JSON for a log line; undefined when it is none. */
function json(text: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** Options for {@link github}. */
export interface GitHubOptions extends ProviderOptionsBase {
  /** Default `['read:user', 'user:email']`. */
  scopes?: string[];
  /**
   * Ask for an expiring token and a refresh token (`offline_access`): eight hours and six
   * months, as GitHub Apps' user tokens are by default.
   */
  expiringTokens?: boolean;
  /** `select_account`: GitHub shows its account picker. */
  prompt?: 'select_account';
}

export { toProfile, type GitHubEmail, type GitHubProfile, type GitHubUser } from './profile';

/**
 * The GitHub provider (an OAuth app, or a GitHub App's user sign-in). Credentials default to
 * `GITHUB_CLIENT_ID` / `GITHUB_CLIENT_SECRET`.
 *
 * @example
 * ```ts
 * github({ expiringTokens: true });
 * github({ ...DEFAULT_CLIENTS.github, origin: emulator.origin });
 * ```
 */
export function github(options: GitHubOptions = {}): ProviderPlugin {
  const { clientId, clientSecret, url, issues } = providerBasics(options, 'GITHUB');
  const tokenURL = url(HOSTS.web, PATHS.token);
  const scopes = [
    ...(options.scopes ?? ['read:user', 'user:email']),
    ...(options.expiringTokens ? ['offline_access'] : []),
  ];
  const api = async <T>(path: string, accessToken: string): Promise<T> => {
    const { status, text } = await bearerGet(
      url(HOSTS.api, path),
      accessToken,
      'GitHub',
      API_HEADERS,
    );
    if (status !== 200) {
      throw new SocialAuthError(
        'profile_fetch_failed',
        describeAnswer('GitHub', status, json(text)),
      );
    }
    try {
      return JSON.parse(text) as T;
    } catch (err) {
      throw new SocialAuthError('profile_fetch_failed', 'GitHub returned malformed JSON', {
        cause: err,
      });
    }
  };

  return {
    id: 'github',
    name: 'GitHub',
    pkce: true,
    // Only the primary address, and only when GitHub verified it (toProfile).
    trustsEmail: true,
    profileURL: url(HOSTS.api, PATHS.user),
    validate: issues,
    authCode: {
      clientId,
      clientSecret,
      endpoints: {
        authorize: url(HOSTS.web, PATHS.authorize),
        token: tokenURL,
        profile: url(HOSTS.api, PATHS.user),
        // S256 only, on github.com since 2025-07-14 (GitHub Enterprise Server has none).
        pkce: true,
      },
      scopes,
      authorizationParams: { prompt: options.prompt },
      // Without it the token answer is form-encoded.
      headers: { Accept: 'application/json' },
      describeProfileError: (status, body) => describeAnswer('GitHub', status, body),
      // GitHub has no OpenID Connect: the verified primary email is only in /user/emails.
      async loadProfile(accessToken) {
        const user = await api<GitHubUser>(PATHS.user, accessToken);
        const emails =
          scopes.includes('user:email') || scopes.includes('user')
            ? await api<GitHubEmail[]>(PATHS.emails, accessToken)
            : [];
        return { user, emails };
      },
    },
    toProfile,
    // A lapsed or spent refresh token is `bad_refresh_token`, answered with HTTP 200.
    refresh: (tokens) =>
      refreshTokens(
        {
          tokenURL,
          clientId,
          clientSecret,
          headers: { Accept: 'application/json' },
          reauthErrors: ['bad_refresh_token'],
        },
        tokens,
      ),
    // DELETE /applications/{client_id}/grant: the grant and all its tokens, Basic-authenticated.
    async revoke(tokens) {
      const { status, text } = await backChannelFetch(
        url(HOSTS.api, `/applications/${encodeURIComponent(clientId)}/grant`),
        {
          method: 'DELETE',
          headers: {
            ...API_HEADERS,
            Authorization: basicCredentials(clientId, clientSecret),
            'Content-Type': 'application/json',
          },
          body: JSON.stringify({ access_token: tokens.accessToken }),
        },
        'revoke_failed',
        10_000,
      );
      if (status !== 204) {
        throw revokeRefused(status, describeAnswer('GitHub', status, json(text)));
      }
    },
  };
}
