import type { JWTVerifyGetKey } from 'jose';
import { backChannelFetch } from '../net/back-channel';

/** Keys are read again after this long (jose's own default for remote key sets). */
const MAX_AGE_MS = 600_000;
/** An unknown `kid` reloads the set at most this often (jose's default cooldown). */
const COOLDOWN_MS = 30_000;
const TIMEOUT_MS = 5_000;

/**
 * A provider's JWKS (RFC 7517 §5), fetched as every back-channel answer is: no redirect
 * followed, at most MAX_PROVIDER_RESPONSE_BYTES read (jose's own remote key set reads any size).
 * Cached for ten minutes, reloaded once for all concurrent callers, and again when a token names
 * a key the set lacks (a rotation), at most every 30 seconds.
 */
export function remoteKeySet(
  url: string,
  jose: typeof import('jose'),
  now: () => number = Date.now,
): JWTVerifyGetKey {
  let local: { keys: JWTVerifyGetKey; at: number } | undefined;
  let inflight: Promise<JWTVerifyGetKey> | undefined;
  const load = async (): Promise<JWTVerifyGetKey> => {
    const { status, text } = await backChannelFetch(
      url,
      { headers: { Accept: 'application/json' } },
      'id_token_invalid',
      TIMEOUT_MS,
    );
    if (status !== 200) throw new Error(`The JWKS answered ${status}`);
    const keys = jose.createLocalJWKSet(
      JSON.parse(text) as Parameters<typeof jose.createLocalJWKSet>[0],
    );
    local = { keys, at: now() };
    return keys;
  };
  const reload = () => (inflight ??= load().finally(() => (inflight = undefined)));
  return async (header, token) => {
    const keys = local && now() - local.at < MAX_AGE_MS ? local.keys : await reload();
    try {
      return await keys(header, token);
    } catch (err) {
      const unknownKey = (err as { code?: string }).code === 'ERR_JWKS_NO_MATCHING_KEY';
      if (!unknownKey || !local || now() - local.at < COOLDOWN_MS) throw err;
      return (await reload())(header, token);
    }
  };
}
