/** RFC 9700 §4.11: an open redirector lets an attacker bounce users (and codes) anywhere. */
const MAX_LENGTH = 2048;
// Backslash, ASCII control characters, and any whitespace (browsers strip or reinterpret them).
// eslint-disable-next-line no-control-regex
const FORBIDDEN_CHARS = /[\\\u0000-\u001f\u007f\s]/u;
// Encoded slash, backslash or control character: decoded again somewhere downstream, they
// turn a path into `//host` or split a header.
const FORBIDDEN_ENCODINGS = /%(2f|5c|[01][0-9a-f]|7f)/i;
const PROBE_BASES = ['http://socialauth.invalid', 'https://socialauth.invalid'] as const;

/** Where a post-login redirect may go besides this site. */
export interface RedirectPolicy {
  /** This site's origin (from `baseURL`). */
  origin: string;
  /** Other origins allowed as absolute targets, e.g. `https://admin.example.com`. */
  allowedOrigins: readonly string[];
  /**
   * Exact prefixes of native-app return URLs (a custom scheme such as `com.example.app:/signed-in`,
   * or a universal link), e.g. from `redirects.appReturnURLs`.
   */
  appReturnURLs?: readonly string[];
}

// After a listed prefix, the URL must go on at a boundary: `com.example.app:/in` does not admit
// `com.example.app:/inbox`, and `https://app.example.com` does not admit `…com@evil` or `…com.evil`.
const BOUNDARY = /^$|^[/?#]/;

function withinPrefix(value: string, prefix: string): boolean {
  if (!value.startsWith(prefix)) return false;
  const rest = value.slice(prefix.length);
  // `com.example.app:/` + `/evil.com` would turn the path into an authority.
  return prefix.endsWith('/') ? !rest.startsWith('/') : BOUNDARY.test(rest);
}

/**
 * A native-app return URL: it must start with a listed prefix both as sent and once normalized
 * (a dot segment or a case change cannot walk out of it), and carry no credentials.
 */
function appReturnURL(value: string, prefixes: readonly string[]): string | undefined {
  const url = parse(value);
  if (!url || url.username || url.password) return undefined;
  const listed = prefixes.some((p) => withinPrefix(value, p) && withinPrefix(url.href, p));
  return listed ? url.href : undefined;
}

function parse(value: string, base?: string): URL | undefined {
  try {
    return new URL(value, base);
  } catch {
    return undefined;
  }
}

/**
 * Decides whether `value` (typically `req.query.next`) is a safe place to send the user after
 * login. Returns the normalized target, or `undefined` when it must fall back to the default.
 *
 * Accepted: a same-site path (`/x?y#z`), an absolute http(s) URL whose origin is this site's or
 * an allow-listed one, or a URL under one of the policy's exact `appReturnURLs` prefixes (native
 * apps: RFC 8252 §7.1 custom schemes, §7.2 claimed https URLs). Everything else is refused:
 * arrays and objects, > 2 KB, `//host`, `/\host`, schemes such as `javascript:`, credentials in
 * the URL, whitespace, control characters, backslashes and their percent-encodings.
 *
 * @example
 * ```ts
 * safeRedirect('/dashboard', { origin: 'https://app.example.com', allowedOrigins: [] }); // '/dashboard'
 * safeRedirect('//evil.com', { origin: 'https://app.example.com', allowedOrigins: [] }); // undefined
 * ```
 */
export function safeRedirect(value: unknown, policy: RedirectPolicy): string | undefined {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_LENGTH)
    return undefined;
  if (FORBIDDEN_CHARS.test(value) || FORBIDDEN_ENCODINGS.test(value)) return undefined;

  if (value.startsWith('/')) {
    if (value.startsWith('//')) return undefined;
    // The path must stay on the probe origin whichever scheme the page was served with, and
    // must not normalize into a protocol-relative `//host` (`/..//evil.com`).
    let normalized: string | undefined;
    for (const base of PROBE_BASES) {
      const url = parse(value, base);
      if (!url || url.origin !== base || url.pathname.startsWith('//')) return undefined;
      normalized = url.pathname + url.search + url.hash;
    }
    return normalized;
  }

  const app = policy.appReturnURLs?.length ? appReturnURL(value, policy.appReturnURLs) : undefined;
  if (app) return app;

  const url = parse(value);
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) return undefined;
  if (url.username || url.password) return undefined;
  if (url.origin !== policy.origin && !policy.allowedOrigins.includes(url.origin)) return undefined;
  return url.href;
}
