/**
 * Recipient fields that may be a whole mailbox (`Jane Doe <jane@example.com>`, as Resend echoes the
 * `to` it was given) rather than a bare address.
 */

/** The address inside `Name <address>`; anything else is returned unchanged for normalizeAddress to judge. */
export function mailboxAddress(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const m = /<([^<>]*)>\s*$/.exec(value);
  return m ? m[1] : value;
}
