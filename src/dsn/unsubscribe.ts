/**
 * Unsubscribe requests that arrive by email: a mail client acting on a message's
 * `List-Unsubscribe: <mailto:...>` (RFC 2369) sends a message of its own to that address, which
 * is often the same mailbox that receives the bounces. Only a request the client marks as such
 * counts: Apple Mail sends it with `X-Apple-Unsubscribe: true` in its own header. Its sender is
 * the person who asked to be removed: exactly one From address, never a mail system's. A
 * subject or body that merely says "unsubscribe" is not read, and neither is a report (a
 * delivery status part or a returned message), whatever its header says.
 */
import { isSystemAddress } from './mail-system.js';
import type { MailView } from './mime.js';
import { addressesIn } from './text.js';

/** The address that asked to be unsubscribed, or null when the email is not such a request. */
export function unsubscribeRequester(mail: MailView): string | null {
  if (mail.header('x-apple-unsubscribe')?.trim().toLowerCase() !== 'true') return null;
  if (mail.deliveryStatus.length > 0 || mail.feedbackReports.length > 0 || mail.returned !== null) return null;
  const from = addressesIn(mail.headers('from').join(','));
  if (from.length !== 1 || isSystemAddress(from[0]!)) return null;
  return from[0]!;
}
