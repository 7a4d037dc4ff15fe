import type { Response } from 'express';

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Every value on a page comes from the request or from test data: escape all of it. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => ENTITIES[char] ?? char);
}

const STYLE = `body{font:15px/1.5 system-ui,sans-serif;word-break:keep-all;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#202124}
h1{font-size:1.4rem;font-weight:500}code{font-size:.85em;word-break:break-all}
.user,.item{display:block;border:1px solid #dadce0;border-radius:8px;padding:.6rem .8rem;margin:.4rem 0}
.item{border:0;padding:.2rem 0;margin:0}
.email{color:#5f6368;margin-left:.4rem}button{font:inherit;padding:.4rem 1.2rem;margin:1rem .5rem 0 0}`;

export function page(title: string, body: string, lang = 'en'): string {
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

const DEFAULT_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";

export function sendHtml(res: Response, status: number, html: string, csp = DEFAULT_CSP): void {
  res
    .status(status)
    .set({
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      // Nothing third-party, no script but a form_post page's own (RFC 9700 §4.2.4), and no
      // framing: a framed consent page is a clickjacking target (RFC 6749 §10.13, RFC 9700 §4.14).
      'Content-Security-Policy': csp,
      'X-Frame-Options': 'DENY',
      'Referrer-Policy': 'no-referrer',
    })
    .send(html);
}

/** The error page a provider shows when it cannot safely redirect back to the client. */
export function sendErrorPage(res: Response, status: number, error: string, message: string): void {
  const title = `Error ${status}: ${error}`;
  sendHtml(
    res,
    status,
    page(title, `<h1>${escapeHtml(title)}</h1>\n<p>${escapeHtml(message)}</p>`),
  );
}
