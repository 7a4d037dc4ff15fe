import type { SocialAuthHooks } from '../accounts/hooks';
import type { AccountRules } from '../accounts/rules';
import type { AccountStore } from '../accounts/types';
import type { UserCache } from '../accounts/user-cache';
import type { Coordination } from '../coordination/types';
import type { SessionStoreAccess } from '../session/store-access';
import type { SessionIndex } from '../session/user-sessions';
import type { TokenAccess } from '../accounts/token-access';
import type { ProviderBreakers } from '../net/breaker';
import type { SignInContext } from './sign-in';

/**
 * What every user action needs, built once by the composition root (`socialauth.ts`) and handed
 * to each flow. Flows take plain inputs and return plain outcomes: no request, no response, so
 * the browser, JSON, token and webhook doors call them alike.
 */
export interface FlowContext {
  accounts: AccountStore;
  rules: AccountRules;
  access: TokenAccess;
  hooks: SocialAuthHooks;
  coordination: Coordination;
  /** Each user's signed-in sessions. */
  index: SessionIndex;
  /** `req.user` for each session's user, read from the account store once per TTL. */
  users: UserCache;
  /** The session store the sessions live in. */
  sessions: SessionStoreAccess;
  /** The first session secret: signs the handles `listSessions` gives out. */
  handleSecret: string;
  /** Which providers are down (the outage breaker), per process. */
  breakers: ProviderBreakers;
  /** What completing a sign-in needs (the account rules, redirect policy, paths). */
  signIn: SignInContext;
}
