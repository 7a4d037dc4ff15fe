import type { JWTPayload } from 'jose';

/** The providers whose token endpoint issues ID tokens (with `openid`). */
export type IdTokenProvider = 'google' | 'kakao' | 'apple' | 'microsoft' | 'line';

/**
 * Test-only: how {@link Emulator.nextIdTokenClaims} changes the next ID token a provider issues.
 * An object is laid over the claims the emulator would sign: a value replaces a claim (or adds
 * one), `undefined` removes it. `'omit'` sends the token response without `id_token` at all.
 * The token is still signed with the emulator's key, so only the claims are wrong.
 *
 * @example
 * ```ts
 * const several: IdTokenOverride = { aud: ['emulator-google-client-id', 'other'], azp: undefined };
 * const none: IdTokenOverride = 'omit';
 * ```
 */
export type IdTokenOverride = Readonly<Record<string, unknown>> | 'omit';

/** Per-provider FIFO queues of ID token overrides, each used by one token response. */
export class IdTokenOverrides {
  private readonly queues = new Map<IdTokenProvider, IdTokenOverride[]>();

  /** `providers`: the names of the providers whose token endpoints issue ID tokens. */
  constructor(private readonly providers: readonly string[]) {}

  push(provider: IdTokenProvider, override: IdTokenOverride): void {
    if (!this.providers.includes(provider)) {
      const only = this.providers.join(' and ');
      throw new TypeError(`${String(provider)} issues no ID tokens (only ${only} do)`);
    }
    const isObject = typeof override === 'object' && override !== null && !Array.isArray(override);
    if (override !== 'omit' && !isObject) {
      throw new TypeError("the override must be an object of claims or 'omit'");
    }
    const queue = this.queues.get(provider) ?? [];
    queue.push(override === 'omit' ? override : Object.freeze({ ...override }));
    this.queues.set(provider, queue);
  }

  clear(): void {
    this.queues.clear();
  }

  /**
   * The claims to sign for this token response, the next override applied: undefined when the
   * response must carry no ID token.
   */
  apply(provider: IdTokenProvider, claims: JWTPayload): JWTPayload | undefined {
    const override = this.queues.get(provider)?.shift();
    if (override === 'omit') return undefined;
    if (!override) return claims;
    const result: Record<string, unknown> = { ...claims };
    for (const [name, value] of Object.entries(override)) {
      if (value === undefined) delete result[name];
      else result[name] = value;
    }
    return result as JWTPayload;
  }
}
