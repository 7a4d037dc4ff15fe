import { randomBytes } from 'node:crypto';
import type { Response } from 'express';
import { sendJson } from '../../http';
import { accessTokenHash } from '../../keys';
import type { Grant } from '../../state';
import type { GoogleUser } from './users';
import {
  ACCESS_TOKEN_SECONDS,
  EMAIL_SCOPE,
  ID_TOKEN_SECONDS,
  PROFILE_SCOPE,
  TOKEN_PREFIX,
  type GoogleContext,
} from './common';

/**
 * The user's claims as Google releases them: email claims only with the email scope, profile
 * claims only with the profile scope, `hd` whenever the account belongs to a Workspace domain.
 */
export function userClaims(user: GoogleUser, scopes: readonly string[]): GoogleUser {
  const email = scopes.includes(EMAIL_SCOPE);
  const profile = scopes.includes(PROFILE_SCOPE);
  return {
    sub: user.sub,
    ...(profile && {
      name: user.name,
      given_name: user.given_name,
      family_name: user.family_name,
      picture: user.picture,
    }),
    ...(email && { email: user.email, email_verified: user.email_verified }),
    hd: user.hd,
    ...(profile && { locale: user.locale }),
  };
}

interface TokenIssue {
  grant: Grant;
  user: GoogleUser;
  scopes: readonly string[];
  refreshToken?: string;
  nonce?: string;
}

/** Issues an access token (and an ID token with `openid`) and sends Google's token response. */
export async function sendTokens(
  g: GoogleContext,
  res: Response,
  issue: TokenIssue,
): Promise<void> {
  const { grant, user, scopes } = issue;
  const accessToken = g.tokens.issue(
    { kind: 'access', grant, scopes },
    TOKEN_PREFIX.access,
    ACCESS_TOKEN_SECONDS * 1000,
  );
  let idToken: string | undefined;
  if (scopes.includes('openid')) {
    const iat = Math.floor(g.now() / 1000);
    const { sub, hd, email, email_verified, ...profile } = userClaims(user, scopes);
    // Google's claim order; OIDC Core §2 and §3.1.3.7 are what clients check.
    const claims = g.idTokenOverrides.apply('google', {
      iss: g.issuer,
      azp: grant.clientId,
      aud: grant.clientId,
      sub,
      hd,
      email,
      email_verified,
      at_hash: accessTokenHash(accessToken),
      nonce: issue.nonce,
      ...profile,
      iat,
      exp: iat + ID_TOKEN_SECONDS,
    });
    if (claims) idToken = await g.key.sign(claims);
  }
  sendJson(res, 200, {
    access_token: accessToken,
    expires_in: ACCESS_TOKEN_SECONDS,
    refresh_token: issue.refreshToken,
    scope: scopes.join(' '),
    token_type: 'Bearer',
    id_token: idToken,
  });
}

/**
 * An ID token as Google Sign-In hands it to an Android, iOS or web app for its own client id (no
 * authorization code, no access token): `aud` and `azp` are that client. `claims` changes the
 * claims (a value replaces, `undefined` removes) for tests of what a server must refuse.
 */
export function appIdToken(
  g: GoogleContext,
  user: GoogleUser,
  clientId: string,
  options: { nonce?: string; claims?: Readonly<Record<string, unknown>> } = {},
): Promise<string> {
  const iat = Math.floor(g.now() / 1000);
  const { sub, hd, email, email_verified, ...profile } = userClaims(user, [
    'openid',
    EMAIL_SCOPE,
    PROFILE_SCOPE,
  ]);
  const claims: Record<string, unknown> = {
    iss: g.issuer,
    azp: clientId,
    aud: clientId,
    sub,
    hd,
    email,
    email_verified,
    nonce: options.nonce,
    ...profile,
    iat,
    exp: iat + ID_TOKEN_SECONDS,
    // A token id of its own (RFC 7519 §4.1.7), so that two tokens minted for one user in the same
    // second differ (RS256 signatures are deterministic): a server that accepts each ID token once
    // must not mistake the second for a replay. (Google's example credential payloads carry a
    // `jti`; not confirmed in Google's reference pages, 2026-12-02.)
    jti: randomBytes(12).toString('hex'),
    ...options.claims,
  };
  for (const [k, v] of Object.entries(claims)) if (v === undefined) delete claims[k];
  return g.key.sign(claims);
}
