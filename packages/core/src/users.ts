import { randomUUID } from 'node:crypto';
import type { SocialProfile } from './provider';
import type { SocialAuthUser } from './types';

/**
 * Users keyed on (provider, subject), never on email (OIDC Core §5.7: email is not a stable key).
 * In memory for now; the account store replaces it.
 */
export class MemoryUsers {
  private readonly byIdentity = new Map<string, SocialAuthUser>();

  /** The user who owns this identity, created on first sign-in. */
  signIn(profile: SocialProfile): SocialAuthUser {
    const key = `${profile.provider}\u0000${profile.id}`;
    let user = this.byIdentity.get(key);
    if (!user) {
      user = {
        id: randomUUID(),
        provider: profile.provider,
        identities: [
          {
            provider: profile.provider,
            subject: profile.id,
            email: profile.email,
            linkedAt: new Date().toISOString(),
          },
        ],
      };
      this.byIdentity.set(key, user);
    }
    // The profile may have changed at the provider since the last sign-in.
    user.name = profile.name ?? profile.nickname;
    user.email = profile.email;
    user.avatarUrl = profile.avatarUrl;
    return { ...user, provider: profile.provider, identities: [...user.identities] };
  }
}
