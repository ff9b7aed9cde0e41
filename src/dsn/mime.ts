/**
 * MIME decoding of a bounce email, reduced to what the bounce decoders read (MailView, see
 * mail-view.ts): the top-level headers, the human-readable text, the machine-readable report
 * parts (message/delivery-status, message/feedback-report) and the returned message.
 *
 * Two readers build the same view. The fast one (mime-fast.ts) covers the shapes bounces come
 * in and declines anything it is not sure of; mailparser (mime-mailparser.ts, keepDeliveryStatus)
 * reads the rest. mailparser is imported lazily, so the CLI and the Worker only load it when an
 * email needs it.
 */
import { normalizeLineEnds, type MailView } from './mail-view.js';
import { readMailFast } from './mime-fast.js';

export type { MailView } from './mail-view.js';
export { decodeBytes, htmlToText, normalizeLineEnds, toLf } from './mail-view.js';

/** Parses raw email bytes into a MailView. Throws only when mailparser itself fails. */
export async function readMail(raw: Uint8Array): Promise<MailView> {
  const bytes = normalizeLineEnds(raw);
  const fast = readMailFast(bytes);
  if (fast !== null) return fast;
  const { readWithMailparser } = await import('./mime-mailparser.js');
  return readWithMailparser(bytes);
}
