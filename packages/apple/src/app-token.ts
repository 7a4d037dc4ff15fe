import { createHash } from 'node:crypto';
import {
  SocialAuthError,
  appIdTokenVerifier,
  postForm,
  toTokenSet,
  type IdTokenPolicy,
  type NativeToken,
  type SocialProfile,
  type TokenSet,
} from '@socialauth/core/provider';
import { nameFromUser, toProfile } from './profile';

/** What native sign-in needs of the plugin. */
export interface AppleNative {
  policy: IdTokenPolicy;
  /** The Services ID and the apps' bundle ids: the identity token's `aud` must be one. */
  audiences: readonly string[];
  tokenURL: string;
  /** The client secret for a client id (its `sub`). */
  secret(clientId: string): string;
}

const sha256hex = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Sign-in with what `ASAuthorizationAppleIDProvider` handed a native app:
 * `{ idToken, nonce, authorizationCode?, user? }`.
 *
 * - The nonce: the app puts the SHA-256 (hex) of a random raw nonce in its request, Apple copies
 *   that into the token's `nonce` claim, and the app sends the raw nonce here. The claim must be
 *   the hash of what is sent (the scheme Firebase and Supabase document; comparing the raw nonce
 *   with the claim, better-auth's bug fixed in its PR #8870, refuses every genuine token). Only
 *   the app knows the raw value, so a copied token cannot be replayed with it. A token that
 *   carries a nonce is refused without one.
 * - The authorization code, when sent, is exchanged as the app's own client (`client_id` = the
 *   token's `aud`, the bundle id), for the refresh token that revoking the account at Apple needs
 *   later (TN3194); the tokens remember that client.
 * - `user` is the name the SDK gave on the first authorization, used only as a display name.
 */
export function appleTokenSignIn(native: AppleNative) {
  let verify: ReturnType<typeof appIdTokenVerifier> | undefined;
  return async (token: NativeToken): Promise<{ profile: SocialProfile; tokens?: TokenSet }> => {
    if (!token.idToken) {
      throw new SocialAuthError('invalid_request', 'Apple signs apps in with an idToken');
    }
    verify ??= appIdTokenVerifier(native.policy, native.audiences);
    const expected = token.nonce === undefined ? undefined : sha256hex(token.nonce);
    const claims = await verify(token.idToken, expected);
    if (claims.nonce !== undefined && expected === undefined) {
      throw new SocialAuthError(
        'id_token_invalid',
        'The Apple ID token carries a nonce: send the raw nonce whose SHA-256 the app sent Apple',
      );
    }
    const profile = toProfile(claims);
    const name = nameFromUser(token.user);
    if (name !== undefined) profile.name = name;
    if (!token.authorizationCode) return { profile };
    // The audience that is one of ours (verify checked that every one is): the app's bundle id.
    const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    const client = String(audiences.find((a) => a !== undefined && native.audiences.includes(a)));
    const tokens = await exchange(native, verify, token.authorizationCode, client, claims.sub);
    return { profile, tokens };
  };
}

/** The native app's code, exchanged as that app's client; its tokens must name the same user. */
async function exchange(
  native: AppleNative,
  verify: ReturnType<typeof appIdTokenVerifier>,
  code: string,
  clientId: string,
  subject: string | undefined,
): Promise<TokenSet> {
  const { body } = await postForm(
    native.tokenURL,
    {
      grant_type: 'authorization_code',
      code,
      client_id: clientId,
      client_secret: native.secret(clientId),
    },
    'token_exchange_failed',
  );
  const tokens = toTokenSet(body);
  const fresh = tokens.idToken ? await verify(tokens.idToken) : undefined;
  if (!fresh || fresh.sub !== subject) {
    throw new SocialAuthError('id_token_invalid', 'The code was issued for another Apple user');
  }
  return native.policy.clientId === clientId ? tokens : { ...tokens, clientId };
}
