/** An address taken from a request (path or query): normalized, or a 400. */
import { normalizeAddress } from '../core/address.js';
import { badRequest } from './errors.js';

export function requestAddress(raw: string, what = 'the address'): string {
  // %-escapes that are not UTF-8 reach us undecoded: not an address either.
  if (/%[0-9A-Fa-f]{2}/.test(raw)) {
    try {
      decodeURIComponent(raw);
    } catch {
      throw badRequest(`${what} is not valid UTF-8`, 'invalid_address');
    }
  }
  const email = normalizeAddress(raw);
  if (email === null) throw badRequest(`${what} is not an email address`, 'invalid_address');
  return email;
}
