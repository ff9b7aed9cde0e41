/**
 * Reports that introduce the failed recipients with a fixed sentence and list them under it, one
 * address per line, each optionally followed by indented lines with the reason. Mail servers
 * with no format of their own here write them (the sentences are theirs, in Mailman's bounce
 * collection among others):
 *
 *   MDaemon:            "The following addresses did NOT receive a copy of your message:" + "> a@b"
 *   Windows SMTP:       "Delivery to the following recipients failed." + "       a@b"
 *   hMailServer:        "The following recipient(s) could not be reached:" + "a@b" +
 *                       "   hMailServer sent: RCPT TO:<a@b>" + "   Remote server replied: 550 ..."
 *   Netscape Messaging: "The following recipients did not receive your message:" + "<a@b>"
 *   GroupWise:          "The message that you sent was undeliverable to the following:" +
 *                       "        a@b (user not found)"
 *   Symantec gateways:  "... could not be delivered to the following recipients:" (or "user:",
 *                       "addresses:", as other servers word it)
 *   and "A message could not be delivered to:", "Message not delivered to the following
 *   addresses:", "Failed addresses follow:", "------ Failed Recipients ------" (each line
 *   "<a@b>: reason"), "Your message could not be delivered to".
 *
 * The sentence must end its line. Under it, the first line that is not empty must be an address;
 * more addresses may follow (empty lines between them allowed), and the list ends at the first
 * other line. A "for the following reason:" line under the list introduces the reason paragraph
 * (X.400 gateways: "Your message was not delivered to:" + "a@b" + "for the following reason:").
 *
 * And one-line forms: "Did not reach the following recipient: a@b", "undeliverable to a@b"
 * (SMTP32 and IMail, whose "Body of message generated response:" paragraph is the reply),
 * "Unable to deliver your message to a@b for the following reason:" (the reason is the next
 * paragraph).
 *
 * Only a mail system's report is read (see mail-system.ts), and only its text before the returned
 * message or session transcript. A listed address with no reason gets no class.
 */
import { fromMailSystem } from '../mail-system.js';
import type { MtaDecoder, Notice } from '../types.js';
import { notice } from '../types.js';
import { addressIn, addressLine, joinLines } from '../text.js';

const LIST_INTRO = new RegExp(`(?:${[
  String.raw`following addresses did not receive a copy of your message`,
  String.raw`del[ei]very to the following recipients? (?:failed|was aborted after [^\n]{0,40}?)`,
  String.raw`following recipient\(s\) could not be reached`,
  String.raw`following recipients did not receive (?:your|this) message`,
  String.raw`could not be delivered to the following (?:recipients?|users?|addresses|address)`,
  String.raw`a message could not be delivered to`,
  String.raw`message not delivered to the following(?: addresses)?`,
  String.raw`failed addresses follow`,
  String.raw`failed recipients`,
  String.raw`your message could not be delivered to`,
  String.raw`your message was not delivered to`,
  String.raw`was undeliverable to the following`,
].join('|')})[ \t|:.-]*$`, 'gim');

const ADDR = String.raw`[^\s<>"()@,;:]+@[A-Za-z0-9_][A-Za-z0-9_.-]*[A-Za-z0-9]`;
const ONE_LINE = new RegExp(String.raw`^[ \t]*(?:did not reach the following recipients?:|undeliverable[ \t]+to)[ \t]*<?(${ADDR})>?[ \t]*$`, 'gim');
const REASON_FOLLOWS = new RegExp(String.raw`unable to deliver (?:your )?message to[ \t]+<?(${ADDR})>?\s{1,3}for\s{1,3}the\s{1,3}following\s{1,3}reasons?:?[ \t]*$`, 'gim');

/**
 * Each match of a regex holds one of its words (in the lower-cased text), so the regex runs only
 * when one is there. (Exim's "A message that you sent could not be delivered to one or more of
 * its recipients", in an eighth of all bounces, holds none of them.)
 */
const LIST_WORDS = ['did not receive', 'delivery to the following', 'delevery to the following', 'could not be reached', 'delivered to the following',
  'message could not be delivered to', 'message not delivered to', 'message was not delivered to', 'failed addresses',
  'failed recipients', 'undeliverable to the following'];
const ONE_LINE_WORDS = ['did not reach the following recipient', 'undeliverable'];
const REASON_WORDS = ['unable to deliver your message to', 'unable to deliver message to'];
const any = (lower: string, words: readonly string[]) => words.some((w) => lower.includes(w));

/** Where the returned message (or the session transcript after the list) starts. */
const END = /^[ \t]*\|?(?:-{2,} ?)?(?:session transcript|original message follows|unsent message|this is a copy of|below this line|the header of the original message|below is a copy of the original message|the original message was|a copy of the original message|message (?:header|text) follows|contents of the undelivered)/im;
/** hMailServer's lines: the reply, preferred over the rest, and the command it answered. */
const REPLIED = /^\s*remote server replied:\s*/i;
const SENT = /\bsent:\s*(RCPT TO|MAIL FROM|DATA|EHLO|HELO)\b/i;
const DELAY = /will continue to (?:try|attempt)|delivery attempts will continue|will be retried|(?:server|system|we|it) will retry (?:the )?(?:delivery|delivering|sending|to deliver|your message|for|later|again|until)\b|still being retried|not yet been delivered|this is (?:just )?a warning|(?:do not|don't) need to resend(?: (?:your|the|this) message)?[ \t]*[.!]/i;
const REASON_HEADING = /^\s*for the following reasons?:?\s*$/i;
const GENERATED_RESPONSE = /^\s*body of message generated response:\s*$/i;
/**
 * An address and its reason on one line: "a@b ... unknown host" (sendmail's way), "<a@b>: 550 ..."
 * or "a@b (user not found)" (GroupWise).
 */
const ADDRESS_AND_REASON = new RegExp(String.raw`^\s*(?:<?(${ADDR})>?[ \t]*\.\.\.|<(${ADDR})>:)[ \t]*(\S[^\n]*)$|^\s*<?(${ADDR})>?[ \t]+\(([^()\n]+)\)[ \t]*$`);

/**
 * A line that is one mailbox with its display name: `"Jane Doe" <a@b>` or `Jane Doe <a@b>`. An
 * unquoted name holds no colon, so a detail line ("hMailServer sent: RCPT TO:<a@b>") is none.
 */
const MAILBOX_LINE = new RegExp(String.raw`^\s*(?:"[^"\n]{0,200}"|[^<>"@:\n]{1,200})[ \t]*<(${ADDR})>[ \t]*$`);

/** The text's lines with the offset each starts at, to find the line after a match. */
class Lines {
  readonly lines: string[];
  private readonly starts: number[] = [];

  constructor(text: string) {
    this.lines = text.split('\n');
    let at = 0;
    for (const line of this.lines) {
      this.starts.push(at);
      at += line.length + 1;
    }
  }

  /** Index of the first line that starts after `offset`. */
  after(offset: number): number {
    let lo = 0;
    let hi = this.starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.starts[mid]! <= offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

function listUnder(lines: readonly string[], from: number): Notice[] {
  const out: Notice[] = [];
  let current: { recipient: string; lines: string[]; whole: boolean; mailbox: boolean } | null = null;
  const flush = () => {
    if (current === null) return;
    const replied = current.lines.findIndex((l) => REPLIED.test(l));
    const reason = replied >= 0 ? [current.lines[replied]!.replace(REPLIED, ''), ...current.lines.slice(replied + 1)] : current.lines;
    let command: string | null = null;
    for (const l of current.lines) command ??= SENT.exec(l)?.[1] ?? null;
    out.push(notice(current.recipient, { diagnostic: joinLines(reason) || null, command }));
    current = null;
  };
  let blank = false;
  let i = from;
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') {
      blank = true;
      continue;
    }
    // A "Name <address>" line is an entry only first in the list, or right under another such
    // entry: elsewhere it is a signature or a contact ("For help: Helpdesk <help@…>").
    const mailboxFits: boolean = current === null || (current.mailbox && !blank);
    const lone: string | null = addressLine(line);
    const mailbox: string | null = lone === null && mailboxFits ? MAILBOX_LINE.exec(line)?.[1] ?? null : null;
    const address: string | null = lone ?? mailbox;
    const inline: RegExpExecArray | null = address === null ? ADDRESS_AND_REASON.exec(line) : null;
    if (address !== null || inline !== null) {
      flush();
      // GroupWise's "a@b (reason)" is whole on its line: the lines under it are other entries.
      current = {
        recipient: address ?? inline![1] ?? inline![2] ?? inline![4]!, lines: inline ? [inline[3] ?? inline[5]!] : [],
        whole: inline?.[5] !== undefined, mailbox: mailbox !== null,
      };
    } else if (current !== null && !current.whole && !blank && /^\s/.test(line)) {
      current.lines.push(line);
    } else {
      break;
    }
    blank = false;
  }
  flush();
  if (out.length > 0 && i < lines.length && REASON_HEADING.test(lines[i]!)) {
    const reason = paragraphAfter(lines, i + 1);
    if (reason !== null) for (const n of out) n.diagnostic ??= reason;
  }
  return out;
}

/** A reason paragraph is a few lines; reading at most this many keeps many matches linear. */
const PARAGRAPH_LINES = 20;

/** The first paragraph from line `from` on (leading empty lines skipped), joined; null if none. */
function paragraphAfter(lines: readonly string[], from: number): string | null {
  let i = from;
  while (i < lines.length && i < from + PARAGRAPH_LINES && lines[i]!.trim() === '') i++;
  const parts: string[] = [];
  for (const end = i + PARAGRAPH_LINES; i < lines.length && i < end && lines[i]!.trim() !== ''; i++) parts.push(lines[i]!);
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
    const text = new Lines(head);
    const found = new Map<string, Notice>();
    const add = (n: Notice) => {
      const key = n.recipient.toLowerCase();
      const seen = found.get(key);
      if (seen === undefined) found.set(key, n);
      else seen.diagnostic ??= n.diagnostic;
    };
    if (list) for (const m of head.matchAll(LIST_INTRO)) for (const n of listUnder(text.lines, text.after(m.index))) add(n);
    if (oneLine) {
      for (const m of head.matchAll(ONE_LINE)) {
        // IMail: "undeliverable to a@b" + "Body of message generated response:" + the reply.
        let next = text.after(m.index + m[0].length - 1);
        if ((text.lines[next] ?? '').trim() === '') next++;
        const diagnostic = GENERATED_RESPONSE.test(text.lines[next] ?? '') ? paragraphAfter(text.lines, next + 1) : null;
        add(notice(addressIn(m[1]!) ?? m[1]!, { diagnostic }));
      }
    }
    if (reasonFollows) {
      for (const m of head.matchAll(REASON_FOLLOWS)) {
        add(notice(addressIn(m[1]!) ?? m[1]!, { diagnostic: paragraphAfter(text.lines, text.after(m.index + m[0].length - 1)) }));
      }
    }
    if (found.size === 0) return null;
    const notices = [...found.values()];
    if (DELAY.test(head)) for (const n of notices) n.action = 'delayed';
    return notices;
  },
};
