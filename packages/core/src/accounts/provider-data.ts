/** The most a stored provider profile may take, as JSON text. */
export const PROVIDER_DATA_MAX_BYTES = 8 * 1024;
/** Longer strings (an inline picture's data URL) are left out rather than stored. */
const MAX_STRING = 1024;
const MAX_DEPTH = 6;
const MAX_ITEMS = 50;
/** Keys whose values are credentials, wherever they appear: never stored. */
const SECRET_KEY = /token|secret|password|credential|code_verifier|assertion/i;

function clean(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return value.length > MAX_STRING ? undefined : value;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return value;
  if (depth >= MAX_DEPTH || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) {
    return value
      .slice(0, MAX_ITEMS)
      .map((item) => clean(item, depth + 1))
      .filter((item) => item !== undefined);
  }
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (SECRET_KEY.test(key)) continue;
    const kept = clean(item, depth + 1);
    if (kept !== undefined) out[key] = kept;
  }
  return out;
}

/**
 * The provider's profile as an identity keeps it (allauth's `extra_data`): JSON text of the
 * profile the provider answered (`SocialProfile.raw`), without any key that names a credential
 * (`token`, `secret`, `password`...), without strings over 1 KB (inline pictures), at most
 * 8 KB; `undefined` when nothing is left or it would not fit.
 *
 * @example
 * ```ts
 * providerData({ sub: '1', name: 'Ada', access_token: 'x' }); // '{"sub":"1","name":"Ada"}'
 * ```
 */
export function providerData(raw: unknown): string | undefined {
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      return undefined;
    }
  }
  const kept = clean(value, 0);
  if (typeof kept !== 'object' || kept === null || Array.isArray(kept)) return undefined;
  if (Object.keys(kept).length === 0) return undefined;
  const text = JSON.stringify(kept);
  return Buffer.byteLength(text, 'utf8') <= PROVIDER_DATA_MAX_BYTES ? text : undefined;
}
