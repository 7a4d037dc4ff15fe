import { apple } from './apple';
import { github } from './github';
import { google } from './google';
import { kakao } from './kakao';
import { line } from './line';
import { microsoft } from './microsoft';
import { naver } from './naver';

/** Every emulated provider, registered here and only here. */
export const providers = [google, naver, kakao, apple, github, microsoft, line] as const;

/** The registered providers' type: what defaults.ts and users.ts derive their maps from. */
export type Providers = typeof providers;
