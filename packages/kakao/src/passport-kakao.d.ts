// passport-kakao ships no typings. It is a passport-oauth2 strategy (Strategy.js inherits it).
declare module 'passport-kakao' {
  import OAuth2Strategy from 'passport-oauth2';
  export class Strategy extends OAuth2Strategy {
    constructor(options: object, verify: unknown);
  }
}
