import { packageBuild } from '../../tsup.base';

// The provider kit (`@socialauth/core/provider`) is a second entry. One copy of core's modules
// for both entries in CJS too: a SocialAuthError thrown through the kit is the one core's
// `instanceof` knows.
export default packageBuild(['src/provider.ts'], { splitting: true });
