import { SocialAuthError } from '../errors';

/** When a provider counts as down, and for how long it is then left alone. */
export interface OutageOptions {
  /** Consecutive failed back-channel calls (no answer, a timeout, a 5xx) that open it. Default 3. */
  failures?: number;
  /** Milliseconds every call for it answers at once, before one is let through. Default 30 000. */
  pauseMs?: number;
}

/** A provider's state change, for `onError` and the log: each change is told once. */
export type OutageChange = 'down' | 'recovered';

interface State {
  failures: number;
  /** Set while the provider is down: when the last failure opened the breaker. */
  openedAt?: number;
}

/**
 * Per provider, a circuit breaker over its back-channel calls (token exchange, profile,
 * refresh): after `failures` in a row, sign-ins and refreshes for it answer at once with
 * `provider_unavailable` for `pauseMs`, instead of each waiting for the timeout; then calls go
 * through again, and the first answer decides: a success closes it, a failure opens it for
 * another pause. Only no answer, timeouts and 5xx count; any other answer shows the provider up.
 * Per process: each instance finds out by itself, within `failures` calls.
 */
export class ProviderBreakers {
  private readonly states = new Map<string, State>();
  private readonly failures: number;
  private readonly pauseMs: number;

  constructor(
    options: OutageOptions,
    private readonly onChange: (provider: string, change: OutageChange) => void,
    private readonly now: () => number = Date.now,
  ) {
    this.failures = options.failures ?? 3;
    this.pauseMs = options.pauseMs ?? 30_000;
  }

  /** True while `provider` is down and its pause has not run out. */
  isDown(provider: string): boolean {
    const openedAt = this.states.get(provider)?.openedAt;
    return openedAt !== undefined && this.now() - openedAt < this.pauseMs;
  }

  /** Throws `provider_unavailable` while the provider is down (its pause running). */
  check(provider: string, name = provider): void {
    if (this.isDown(provider)) {
      throw new SocialAuthError(
        'provider_unavailable',
        `${name} failed ${this.failures} times in a row: it is left alone for a moment`,
      );
    }
  }

  /** One back-channel call's outcome: `true` when the provider answered (anything but a 5xx). */
  record(provider: string, answered: boolean): void {
    const state = this.states.get(provider) ?? { failures: 0 };
    if (answered) {
      const wasDown = state.openedAt !== undefined;
      this.states.delete(provider);
      if (wasDown) this.onChange(provider, 'recovered');
      return;
    }
    state.failures += 1;
    const wasDown = state.openedAt !== undefined;
    if (wasDown || state.failures >= this.failures) state.openedAt = this.now();
    this.states.set(provider, state);
    if (!wasDown && state.openedAt !== undefined) this.onChange(provider, 'down');
  }
}

/** Whether a failed call's error means the provider did not answer (the breaker counts it). */
export function providerFailed(err: unknown): boolean {
  const reason = (err as { reason?: unknown } | null)?.reason;
  return reason === 'provider_unreachable' || reason === 'provider_down';
}
