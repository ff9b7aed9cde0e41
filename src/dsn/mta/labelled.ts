/**
 * Reports that put each failure on one line as "<reason>: <address>" (Ipswitch IMail, several
 * appliance and webmail MTAs):
 *
 *   Unknown user: user@example.org
 *   Invalid final delivery userid: user@example.org
 *   User's mailbox is full: <user@example.org>
 *   Failed Recipient: user@example.org
 *   Reason: Remote host said: 550 unknown user <user@example.org>
 *
 *   Undeliverable Address: user@example.org       (HotPOP: the reason after an empty line,
 *                                                  on several lines)
 *   Reason: The email you sent ... has been returned
 *   because the recipient is over disk quota.
 *
 * Only before the returned message, only in a message that says it is a failure report, and
 * only when the label itself says what failed: a "To: a@b" line quoting the original is not one.
 */
import { fromMailSystem } from '../mail-system.js';
import type { MtaDecoder, Notice } from '../types.js';
import { notice } from '../types.js';

const LINE = /^\s*([A-Za-z][^:<>@\n]{2,80}?)\s*:\s*<?([^<>\s@]+@[^<>\s]+?)>?\s*(?:\.\s*)?$/;
const FAILURE_WORDS = /unknown|invalid|full|not |no such|fail|error|reject|denied|disabled|exceed|unable|undeliver|bad |over ?quota|refused|unavailable/i;
const UNKNOWN_USER = /^(?:unknown user|user unknown|no such user|invalid (?:final delivery )?user(?:id)?|invalid recipient|unknown recipient)$/i;
const HEADER_NAMES = /^(?:to|from|cc|bcc|sender|reply-to|return-path|delivered-to|x-[\w-]+|original-recipient|final-recipient|rcpt to|mail from)$/i;
/**
 * Labels with failure words that name someone else: the sender ("Undeliverable message sent
 * by:", "Rejected sender address:", "Undeliverable message from user:") or whom to ask ("Please
 * report delivery errors to:", "Questions about this failure? Contact the recipient
 * administrator:"). "From" names the recipient's server when "for recipient" follows it
 * ("Permanent failure from remote server for recipient:"); "please" and "administrator" name
 * someone else only without any word for the recipient ("Unknown recipient, please check the
 * address:", "Mailbox disabled by administrator:").
 */
const NAMES_OTHERS = /\b(?:sent by|sender|report|contact|questions?|support|help ?desk|postmaster)\b/i;
const FROM_WORD = /\bfrom\b/i;
const FROM_SERVER_FOR_RECIPIENT = /\bfrom\b.*\bfor (?:the )?recipient/i;
const NAMES_OTHERS_UNLESS_RECIPIENT = /\b(?:please|administrator)\b/i;
const RECIPIENT_WORD = /\b(?:recipient|user|address|mailbox|account)/i;
const namesSomeoneElse = (label: string): boolean =>
  NAMES_OTHERS.test(label) || (FROM_WORD.test(label) && !FROM_SERVER_FOR_RECIPIENT.test(label)) ||
  (NAMES_OTHERS_UNLESS_RECIPIENT.test(label) && !RECIPIENT_WORD.test(label));
const END = /^[ \t]*(?:-{2,}.*|Original message follows\.?|Below is a copy of the original message:?|The original message was:?)[ \t]*$/im;
const REASON_LINE = /^\s*Reason:[ \t]*(\S.*)$/i;
/** A line that starts another label ("System Contact: ...", "Failed Recipient: ..."). */
const NEXT_LABEL = /^[A-Za-z][\w' -]{0,40}:(?:\s|$)/;

/** Lines a reason may run on for ("Reason: The email you sent ... / above has been returned because ..."). */
const REASON_LINES = 8;

/**
 * The "Reason:" under a labelled line (after at most one empty line), with the lines that
 * continue it up to an empty line or the next label; null without one.
 */
function reasonAfter(lines: readonly string[], from: number): string | null {
  let i = from;
  if ((lines[i] ?? '').trim() === '') i++;
  const first = REASON_LINE.exec(lines[i] ?? '');
  if (!first) return null;
  const parts = [first[1]!.trim()];
  for (let k = i + 1; k < lines.length && k <= i + REASON_LINES; k++) {
    const line = lines[k]!.trim();
    if (line === '' || NEXT_LABEL.test(line)) break;
    parts.push(line);
  }
  return parts.join(' ');
}

export const labelled: MtaDecoder = {
  name: 'labelled-lines',
  decode(mail) {
    // A person's mail or auto-reply may quote "Unknown user: a@b" lines: only a mail system's report counts.
    if (!fromMailSystem(mail)) return null;
    const end = END.exec(mail.text);
    const head = end ? mail.text.slice(0, end.index) : mail.text;
    const out: Notice[] = [];
    const lines = head.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      // LINE needs an address: most lines have none, and that is cheaper to see than to match.
      if (line.indexOf('@') < 0) continue;
      const m = LINE.exec(line);
      if (!m) continue;
      const label = m[1]!.trim();
      if (HEADER_NAMES.test(label) || !FAILURE_WORDS.test(label) || namesSomeoneElse(label)) continue;
      // "Failed Recipient: a@b" then "Reason: Remote host said: 550 ...": the reason line has the words.
      const reason = reasonAfter(lines, i + 1);
      // The recipient's own server looked the address up: its "unknown user" is a verdict.
      out.push(notice(m[2]!, { diagnostic: reason ?? label, reason: UNKNOWN_USER.test(label) ? 'userunknown' : null }));
    }
    return out.length > 0 ? out : null;
  },
};
