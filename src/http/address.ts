/**
 * An address taken from a request (path or query): normalized, or a 400. The router has decoded
 * the %-escapes already; what is left is taken as written ("%" is a valid local-part character,
 * so "ab%E9@example.com" is an address, and the one an earlier request stored).
 */
import { normalizeAddress } from '../core/address.js';
import { badRequest } from './errors.js';

export function requestAddress(raw: string, what = 'the address'): string {
  const email = normalizeAddress(raw);
  if (email === null) throw badRequest(`${what} is not an email address`, 'invalid_address');
  return email;
}
