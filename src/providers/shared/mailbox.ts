/**
 * Recipient fields that may be a whole mailbox (`Jane Doe <jane@example.com>`: Resend echoes the
 * `to` it was given, SES may report a recipient the way the sender wrote it) rather than a bare
 * address.
 */
import { normalizeAddress } from '../../core/address.js';

/** The address inside `Name <address>`; anything else is returned unchanged for normalizeAddress to judge. */
export function mailboxAddress(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const m = /<([^<>]*)>\s*$/.exec(value);
  return m ? m[1] : value;
}

/**
 * A webhook's recipient, normalized: a bare address, or the address of a mailbox. The mailbox
 * form is tried only when the value is no address as it is, so a plain address costs one check.
 */
export function recipientAddress(value: unknown): string | null {
  return normalizeAddress(value) ?? normalizeAddress(mailboxAddress(value));
}
