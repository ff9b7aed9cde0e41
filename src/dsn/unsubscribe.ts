/**
 * Unsubscribe requests that arrive by email: a mail client acting on a message's
 * `List-Unsubscribe: <mailto:...>` (RFC 2369) sends a message of its own to that address, which
 * is often the same mailbox that receives the bounces. Only a request the client marks as such
 * counts: Apple Mail sends it with `X-Apple-Unsubscribe: true`. Its sender is the person who
 * asked to be removed. A subject or body that merely says "unsubscribe" is not read: anyone can
 * write one, and the policy acts on the request.
 */
import type { MailView } from './mime.js';

/** The address that asked to be unsubscribed, or null when the email is not such a request. */
export function unsubscribeRequester(mail: MailView): string | null {
  if (mail.header('x-apple-unsubscribe')?.trim().toLowerCase() !== 'true') return null;
  return mail.from !== '' ? mail.from : null;
}
