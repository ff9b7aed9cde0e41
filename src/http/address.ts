/** An address taken from a request (path or query): normalized, or a 400. */
import { normalizeAddress } from '../core/address.js';
import { badRequest } from './errors.js';

/** Whether the URL as sent holds %-escapes that are not UTF-8. */
function undecodable(url: string): boolean {
  for (const run of url.match(/(?:%[0-9A-Fa-f]{2})+/g) ?? []) {
    try {
      decodeURIComponent(run);
    } catch {
      return true;
    }
  }
  return false;
}

/**
 * `raw` as the router decoded it; `url` the request's URL as sent. The router leaves escapes it
 * cannot decode as they are, and "%" is a valid local-part character ("ab%E9@example.com" may be
 * stored), so the two are told apart in the URL: an escape there that is not UTF-8 is refused.
 */
export function requestAddress(raw: string, url: string, what = 'the address'): string {
  if (raw.includes('%') && undecodable(url)) throw badRequest(`${what} is not valid UTF-8`, 'invalid_address');
  const email = normalizeAddress(raw);
  if (email === null) throw badRequest(`${what} is not an email address`, 'invalid_address');
  return email;
}
