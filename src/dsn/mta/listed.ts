/**
 * Reports that introduce the failed recipients with a fixed sentence and list them under it, one
 * address per line, each optionally followed by indented lines with the reason. Mail servers
 * with no format of their own here write them (the sentences are theirs, in Mailman's bounce
 * collection among others):
 *
 *   MDaemon:            "The following addresses did NOT receive a copy of your message:" + "> a@b"
 *   Windows SMTP:       "Delivery to the following recipients failed." + "       a@b"
 *   hMailServer:        "The following recipient(s) could not be reached:" + "a@b" +
 *                       "   Remote server replied: 550 5.1.1 ..."
 *   Netscape Messaging: "The following recipients did not receive your message:" + "<a@b>"
 *   Symantec gateways:  "... could not be delivered to the following recipients:"
 *   and "A message could not be delivered to:", "Message not delivered to the following
 *   addresses:", "Failed addresses follow:", "------ Failed Recipients ------" (each line
 *   "<a@b>: reason"), "Your message could not be delivered to".
 *
 * A "for the following reason:" line under the list introduces the reason paragraph (X.400
 * gateways: "Your message was not delivered to:" + "a@b" + "for the following reason:").
 *
 * And one-line forms: "Did not reach the following recipient: a@b", "Intended recipient: a@b",
 * "Unable to deliver your message to a@b for the following reason:" (the reason is the next
 * paragraph), "undeliverable to a@b" (SMTP32).
 *
 * Like the line-label decoder, only a mail system's report counts (its sender is postmaster or
 * MAILER-DAEMON, or its subject says delivery failed), never an auto-reply, and only the text
 * before the returned message is read. A listed address with no reason gets no class.
 */
import { isAutoReply } from '../autoreply.js';
import type { MailView } from '../mail-view.js';
import type { MtaDecoder, Notice } from '../types.js';
import { notice } from '../types.js';
import { addressIn, addressLine, joinLines } from '../text.js';

const LIST_INTRO = new RegExp([
  String.raw`following addresses did not receive a copy of your message:?`,
  String.raw`delivery to the following recipients? (?:failed|was aborted[^\n]*?)[.:]?`,
  String.raw`following recipient\(s\) could not be reached:?`,
  String.raw`following recipients did not receive (?:your|this) message:?`,
  String.raw`could not be delivered to the following recipients?:?`,
  String.raw`a message could not be delivered to:?`,
  String.raw`message not delivered to the following(?: addresses)?:?`,
  String.raw`failed addresses follow:?[ \t|-]*`,
  String.raw`-{2,} ?failed recipients ?-{2,}`,
  String.raw`your message could not be delivered to:?`,
  String.raw`your message was not delivered to:?`,
].map((s) => `(?:${s})`).join('|') + String.raw`[ \t]*$`, 'gim');

const ADDR = String.raw`[^\s<>"()@,;:]+@[A-Za-z0-9][A-Za-z0-9.-]*[A-Za-z0-9]`;
const ONE_LINE = new RegExp(String.raw`^\s*(?:(?:did not reach the following recipient|intended recipient)s?:|undeliverable\s+to)\s*<?(${ADDR})>?\s*$`, 'gim');
const REASON_FOLLOWS = new RegExp(String.raw`unable to deliver (?:your )?message to\s+<?(${ADDR})>?\s+for\s+the\s+following\s+reasons?:?[ \t]*$`, 'gim');

/** Words each match of the regex holds (lower-cased text): the regex runs only when one is there. */
const LIST_WORDS = ['did not receive', 'delivery to the following', 'could not be reached', 'delivered to the following',
  'could not be delivered to\n', 'could not be delivered to:',
  'was not delivered to\n', 'was not delivered to:', 'failed recipients -', 'message not delivered to', 'failed addresses'];
const ONE_LINE_WORDS = ['did not reach the following recipient', 'intended recipient', 'undeliverable'];
const REASON_WORDS = ['the following reason'];
const any = (lower: string, words: readonly string[]) => words.some((w) => lower.includes(w));

/** Where the returned message (or the transcript after the list) starts. */
const END = /^[ \t]*(?:-{2,} ?(?:session transcript|original message|unsent message|this is a copy|below this line)|original message follows|a copy of the original message)/im;
/** The line that says what the remote replied (hMailServer), preferred over the rest. */
const REPLIED = /^\s*remote server replied:\s*/i;
const DELAY = /will continue to (?:try|attempt)|delivery attempts will continue|will be retried|still being retried|not yet been delivered|this is (?:just )?a warning/i;
const BOUNCE_SUBJECT = /undeliver|returned mail|failure|failed|not delivered|delivery (?:status|problem|notification)|non-?delivery|error/i;

function fromMailSystem(mail: MailView): boolean {
  const local = mail.from.slice(0, mail.from.indexOf('@')).toLowerCase();
  if (/^(?:postmaster|mailer-daemon|mail-daemon|mailerdaemon)$/.test(local)) return true;
  return BOUNCE_SUBJECT.test(mail.subject) && !isAutoReply(mail);
}

const REASON_HEADING = /^\s*for the following reasons?:?\s*$/i;
/** "a@b ... unknown host" (sendmail's way) or "<a@b>: 550 ...": an address and its reason on one line. */
const ADDRESS_DOTS = new RegExp(String.raw`^\s*(?:<?(${ADDR})>?\s*\.\.\.|<(${ADDR})>:)\s*(\S.*)$`);

/**
 * The addresses listed under an intro: the first line that is not empty must be one; each may
 * be followed, without an empty line, by indented lines with its reason. The list ends at the
 * first other line.
 */
function listUnder(lines: readonly string[]): Notice[] {
  const out: Notice[] = [];
  let current: { recipient: string; lines: string[] } | null = null;
  const flush = () => {
    if (current === null) return;
    const replied = current.lines.findIndex((l) => REPLIED.test(l));
    const reason = replied >= 0 ? [current.lines[replied]!.replace(REPLIED, ''), ...current.lines.slice(replied + 1)] : current.lines;
    out.push(notice(current.recipient, { diagnostic: joinLines(reason) || null }));
    current = null;
  };
  let blank = false;
  let i = 0;
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') {
      blank = true;
      continue;
    }
    const address = addressLine(line);
    const dots = address === null ? ADDRESS_DOTS.exec(line) : null;
    if (address !== null || dots !== null) {
      flush();
      current = { recipient: address ?? dots![1] ?? dots![2]!, lines: dots ? [dots[3]!] : [] };
    } else if (current !== null && !blank && /^\s/.test(line)) {
      current.lines.push(line);
    } else {
      break;
    }
    blank = false;
  }
  flush();
  // "Your message was not delivered to:" + addresses + "for the following reason:" + the reason.
  if (out.length > 0 && i < lines.length && REASON_HEADING.test(lines[i]!)) {
    const reason = paragraphAfter(lines, i + 1);
    if (reason !== null) for (const n of out) n.diagnostic ??= reason;
  }
  return out;
}

/** The first paragraph from line `from` on (leading empty lines skipped), joined; null if none. */
function paragraphAfter(lines: readonly string[], from: number): string | null {
  let i = from;
  while (i < lines.length && lines[i]!.trim() === '') i++;
  const parts: string[] = [];
  for (; i < lines.length && lines[i]!.trim() !== ''; i++) parts.push(lines[i]!);
  return joinLines(parts) || null;
}

export const listed: MtaDecoder = {
  name: 'listed',
  decode(mail) {
    const lower = mail.lower;
    const list = any(lower, LIST_WORDS);
    const oneLine = any(lower, ONE_LINE_WORDS);
    const reasonFollows = any(lower, REASON_WORDS);
    if (!(list || oneLine || reasonFollows) || !fromMailSystem(mail)) return null;
    const end = END.exec(mail.text);
    const head = end ? mail.text.slice(0, end.index) : mail.text;
    const found = new Map<string, Notice>();
    const add = (n: Notice) => {
      const key = n.recipient.toLowerCase();
      const seen = found.get(key);
      if (seen === undefined) found.set(key, n);
      else seen.diagnostic ??= n.diagnostic;
    };
    if (list) for (const m of head.matchAll(LIST_INTRO)) {
      for (const n of listUnder(head.slice(m.index + m[0].length).split('\n').slice(1))) add(n);
    }
    if (oneLine) for (const m of head.matchAll(ONE_LINE)) add(notice(addressIn(m[1]!) ?? m[1]!));
    if (reasonFollows) for (const m of head.matchAll(REASON_FOLLOWS)) {
      const after = head.slice(m.index + m[0].length).split('\n').slice(1);
      add(notice(addressIn(m[1]!) ?? m[1]!, { diagnostic: paragraphAfter(after, 0) }));
    }
    if (found.size === 0) return null;
    const delayed = DELAY.test(head);
    const notices = [...found.values()];
    if (delayed) for (const n of notices) n.action = 'delayed';
    return notices;
  },
};
