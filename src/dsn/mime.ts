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

/**
 * The email (or mailbox file) without blank lines in front of its first header field or mbox
 * "From " line, which files saved or piped by some tools have: read as they are, the blank line
 * would end the header before it began. Any line ends (LF, CRLF, CR).
 */
export function withoutLeadingBlankLines(bytes: Uint8Array): Uint8Array {
  let i = 0;
  let lineStart = 0;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)) {
    if (bytes[i] === 0x0a || (bytes[i] === 0x0d && bytes[i + 1] !== 0x0a)) lineStart = i + 1;
    i++;
  }
  if (lineStart === 0) return bytes;
  // Only when a header field or an mbox postmark follows.
  return headerLineAt(bytes, lineStart) ? bytes.subarray(lineStart) : bytes;
}

/**
 * Whether a header field (a name of printable characters other than ":", then ":") or an mbox
 * postmark ("From " and the envelope sender) starts at `at`.
 */
function headerLineAt(bytes: Uint8Array, at: number): boolean {
  let j = at;
  while (j < bytes.length && bytes[j]! > 0x20 && bytes[j]! < 0x7f && bytes[j] !== 0x3a) j++;
  if (j > at && bytes[j] === 0x3a) return true;
  return j === at + 4 && bytes[j] === 0x20 && String.fromCharCode(...bytes.subarray(at, j)) === 'From';
}

/**
 * Whether the bytes start (after a UTF-8 byte order mark and blank lines) like an email or a
 * mailbox file: a header field or an mbox "From " line. An empty file, an image or a program does not.
 */
export function startsLikeEmail(bytes: Uint8Array): boolean {
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)) i++;
  return headerLineAt(bytes, i);
}

/** Parses raw email bytes into a MailView. Throws only when mailparser itself fails. */
export async function readMail(raw: Uint8Array): Promise<MailView> {
  const bytes = withoutLeadingBlankLines(normalizeLineEnds(raw));
  const fast = readMailFast(bytes);
  if (fast !== null) return fast;
  const { readWithMailparser } = await import('./mime-mailparser.js');
  return readWithMailparser(bytes);
}
