/** An address taken from a request (path or query): normalized, or a 400. */
import { normalizeAddress } from '../core/address.js';
import { badRequest } from './errors.js';

/** Whether text as sent in a URL holds %-escapes that are not UTF-8. */
function undecodable(sent: string): boolean {
  for (const run of sent.match(/(?:%[0-9A-Fa-f]{2})+/g) ?? []) {
    try {
      decodeURIComponent(run);
    } catch {
      return true;
    }
  }
  return false;
}

/** The last path segment of a URL, as sent (not decoded). */
export function sentPathSegment(url: string): string {
  const path = new URL(url).pathname;
  return path.slice(path.lastIndexOf('/') + 1);
}

/** A query parameter's value as sent (not decoded), or '' when it is not there. */
export function sentQueryValue(url: string, name: string): string {
  for (const pair of new URL(url).search.slice(1).split('&')) {
    const eq = pair.indexOf('=');
    const key = eq < 0 ? pair : pair.slice(0, eq);
    if (key === name) return eq < 0 ? '' : pair.slice(eq + 1);
  }
  return '';
}

/**
 * `raw` as the router decoded it; `sent` the same value as it was in the URL. The router leaves
 * escapes it cannot decode as they are, and "%" is a valid local-part character ("ab%E9@x" may be
 * stored), so the two are told apart in what was sent: an escape there that is not UTF-8 is refused.
 */
export function requestAddress(raw: string, sent: string, what = 'the address'): string {
  if (raw.includes('%') && undecodable(sent)) throw badRequest(`${what} is not valid UTF-8`, 'invalid_address');
  const email = normalizeAddress(raw);
  if (email === null) throw badRequest(`${what} is not an email address`, 'invalid_address');
  return email;
}
