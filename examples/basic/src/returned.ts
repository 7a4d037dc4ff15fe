import { maskSubject } from '@socialauth/core';
import { escape } from './html';

const MAX_ROWS = 10;
// Fields that are a user's id at the provider: shown masked, as the Connections page does.
const ID_FIELDS = new Set(['id', 'sub']);

/** A field's value fit for a table cell: an id masked, an inline picture by its type only. */
function display(key: string, text: string): string {
  if (ID_FIELDS.has(key)) return maskSubject(text);
  if (text.startsWith('data:')) {
    const end = text.search(/[;,]/);
    return `${text.slice(0, end > 0 ? end : 20)} (inline picture)`;
  }
  return text.length > 48 ? `${text.slice(0, 45)}…` : text;
}

/**
 * Quotes every integer too large for a JavaScript number (Kakao's user ids are 64-bit, sent bare:
 * `{"id":9007199254740993}`), so `JSON.parse` keeps its digits instead of rounding them.
 * Tokenized, so the same digits inside a JSON string stay untouched.
 */
function quoteBigIntegers(body: string): string {
  // A JSON string (escapes included), or a number; anything else passes one character at a time.
  const token = /"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|[^]/gy;
  return body.replace(token, (text) =>
    /^-?\d+$/.test(text) && !Number.isSafeInteger(Number(text)) ? `"${text}"` : text,
  );
}

/**
 * What a profile API returned, as a small table of its fields (`response.nickname`,
 * `kakao_account.email`): ids masked, long values cut, at most ten rows.
 */
export function returned(body: string): string {
  let json: unknown;
  try {
    json = JSON.parse(quoteBigIntegers(body));
  } catch {
    return `<pre class="returned">${escape(body.slice(0, 200))}</pre>`;
  }
  const rows: [string, string][] = [];
  const walk = (value: unknown, path: string) => {
    if (rows.length >= MAX_ROWS) return;
    if (value !== null && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) walk(inner, path ? `${path}.${key}` : key);
      return;
    }
    const key = path.split('.').pop() ?? path;
    if (key.endsWith('_needs_agreement')) return; // Kakao's consent flags: noise here
    rows.push([path, display(key, String(value))]);
  };
  walk(json, '');
  const cells = rows
    .map(([k, v]) => `<tr><th>${escape(k)}</th><td>${escape(v)}</td></tr>`)
    .join('');
  return `<table class="returned">${cells}</table>`;
}
