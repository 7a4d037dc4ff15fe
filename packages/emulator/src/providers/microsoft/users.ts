/**
 * A Microsoft Entra ID (or personal Microsoft account) test user: the claims of its ID token.
 * `tid` is its tenant: a work or school directory, or `9188040d-6c67-4c5b-b112-36a304b66dad` for
 * personal accounts.
 *
 * @example
 * ```ts
 * const ada: MicrosoftUser = { oid: '…', tid: '…', name: 'Ada', preferred_username: 'ada@contoso.com' };
 * ```
 */
export interface MicrosoftUser {
  /** The user's object id in its tenant: the same for every app. */
  oid: string;
  tid: string;
  name: string;
  preferred_username: string;
  /** Sent with the `email` scope when the user has one. */
  email?: string;
  /** `xms_edov`: whether the email's domain owner is verified (an optional claim). */
  emailDomainVerified?: boolean;
}

/** Personal Microsoft accounts' tenant ("ID token claims reference", checked 2026-12-07). */
export const CONSUMER_TENANT = '9188040d-6c67-4c5b-b112-36a304b66dad';
/** The emulator's two work directories. */
export const CONTOSO = '72f988bf-86f1-41af-91ab-2d7cd011db47';
export const FABRIKAM = '3c7e1b64-5d2f-4a86-9b1e-0f2a6d8c4e10';

/** Microsoft's default test users: two work accounts in two tenants and a personal account. */
export const microsoftUsers: readonly MicrosoftUser[] = [
  {
    oid: '00000000-0000-0000-66f3-3332eca7ea81',
    tid: CONTOSO,
    name: 'Minji Kim',
    preferred_username: 'minji@contoso.onmicrosoft.com',
    email: 'minji@contoso.com',
    emailDomainVerified: true,
  },
  {
    oid: '5b8d2f6e-1c3a-4e7b-9a0d-2f4c6e8a1b3d',
    tid: FABRIKAM,
    name: 'Seo-yeon Park',
    preferred_username: 'seoyeon@fabrikam.onmicrosoft.com',
    // An unverified domain: no xms_edov, so the email is not to be trusted.
    email: 'seoyeon@fabrikam.example',
  },
  {
    oid: '00000000-0000-0000-a1b2-c3d4e5f60718',
    tid: CONSUMER_TENANT,
    name: 'Junho Lee',
    preferred_username: 'junho@outlook.com',
    email: 'junho@outlook.com',
    emailDomainVerified: true,
  },
].map((user) => Object.freeze(user));
