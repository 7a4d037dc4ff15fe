import type { SocialProfile, TokenSet } from '../contract';

/** RFC 6749 §3.3: `scope-token = 1*( %x21 / %x23-5B / %x5D-7E )`, here at most 256 of them. */
const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]{1,256}$/;

/** True for one scope value RFC 6749 §3.3 allows. */
export function isScopeToken(value: unknown): value is string {
  return typeof value === 'string' && SCOPE_TOKEN.test(value);
}

/**
 * The scope values in a provider's `scope` text, split on spaces (RFC 6749 §3.3) and commas
 * (Kakao's requests, GitHub's token responses); anything RFC 6749 does not allow is left out.
 */
export function scopeList(text: unknown): string[] {
  if (typeof text !== 'string') return [];
  return text.split(/[\s,]+/).filter(isScopeToken);
}

/** `grant` added to `current`, then `revoke` removed: sorted and unique, as every store keeps it. */
export function mergeScopes(
  current: readonly string[] | undefined,
  change: { grant?: readonly string[]; revoke?: readonly string[] },
): string[] {
  const set = new Set([...(current ?? []), ...(change.grant ?? []).filter(isScopeToken)]);
  for (const scope of change.revoke ?? []) set.delete(scope);
  return [...set].sort();
}

/**
 * What one sign-in was granted: the plugin's reading when it has one (Naver's token response
 * names none), else the token response's `scope`, else the scopes asked for, which RFC 6749
 * §5.1 says is what an answer without `scope` means.
 */
export function grantedScopes(
  read:
    | ((answer: {
        tokens?: TokenSet;
        requested: readonly string[];
        profile: SocialProfile;
      }) => readonly string[])
    | undefined,
  answer: { tokens?: TokenSet; requested: readonly string[]; profile: SocialProfile },
): string[] {
  if (read) {
    try {
      return mergeScopes([], { grant: read(answer) });
    } catch {
      return []; // a plugin's reading is a record, never a reason to fail a sign-in
    }
  }
  const { tokens, requested } = answer;
  if (tokens?.scope !== undefined) return mergeScopes([], { grant: scopeList(tokens.scope) });
  return tokens ? mergeScopes([], { grant: requested }) : [];
}
