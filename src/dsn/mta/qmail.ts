/**
 * qmail's bounce layout (qmail-send, netqmail, indimail, notqmail) and the services built on it
 * that keep the layout with their own wording (Yahoo's "Sorry, we were unable to deliver your
 * message", "Unable to deliver message to the following address(es)"):
 *
 *   Hi. This is the qmail-send program at example.net.
 *   I'm afraid I wasn't able to deliver your message to the following addresses.
 *   <user@example.org>:
 *   192.0.2.1 does not like recipient.
 *   Remote host said: 550 5.1.1 ... User unknown
 *   Giving up on 192.0.2.1.
 *
 *   --- Below this line is a copy of the message.
 *
 * One block per recipient: a line "<address>:", then the diagnostic up to an empty line. The
 * copy marker is what makes a message this format; without it, qmail's intro, its "(#5.1.1)"
 * status mark under an address, or the trace qmail-send writes on the bounces it sends
 * ("Received: (qmail 123 invoked for bounce)", with the intro in a site's own words and language)
 * does, in a mail system's report. Derivatives that rename the program keep its trace ("(EYOU
 * MTA SYSTEM 8417 invoked for bounce)") and intro, and some of them list each address bare, with
 * no angle brackets or colon: when no "<address>:" line is there, the paragraphs after qmail's
 * intro that start with such a line, each with its reason under it, are the list (bareBlocks).
 */
import { fromMailSystem } from '../mail-system.js';
import type { MtaDecoder, Notice } from '../types.js';
import { notice } from '../types.js';
import { joinLines, leadingReply } from '../text.js';

const COPY_MARKER = /^--- ?(?:Below this line is a copy of the message|Attachment is a copy of the message|Below the next line is a copy of the message|Enclosed is a copy of the message|Original message follows|Below this line is the original (?:message|bounce)|Undelivered message follows|Below is a copy of the message)[^\n]*$/im;
const RECIPIENT = /^<([^<>\s@]+@[^<>\s]+)>:\s*$/;
/** A derivative's address line, with no brackets or colon: only the address on it. */
const BARE_RECIPIENT = /^([^<>\s@:]+@[A-Za-z0-9_][A-Za-z0-9_.-]*[A-Za-z0-9])$/;
/**
 * qmail's own failures end with their status in "(#5.1.1)": with it, a mail system's report in
 * a site's own words and language ("Your message could not be delivered.") is qmail's too.
 */
const QMAIL_STATUS = /^<[^<>\s@]+@[^<>\s]+>:[ \t]*\n[^\n]*\(#[245]\.\d{1,3}\.\d{1,3}\)/m;

const GIVING_UP = /^\s*Giving up on \S+\s*$/i;

const INVOKED_FOR_BOUNCE = /\([^()\n]{0,40}? \d+ invoked for bounce\)/i;
/** qmail-send's own intro, kept by its derivatives. */
const QMAIL_INTRO = /I'm afraid I wasn't able to deliver your message to the following addresses/i;

/** Whether COPY_MARKER can match: each of its alternatives holds one of these (lower-cased text). */
const hasCopyWords = (lower: string): boolean =>
  lower.includes('copy of the message') || lower.includes('original message follows') ||
  lower.includes('below this line is the original') || lower.includes('undelivered message follows');

/** qmail's own phrases for the SMTP stage that failed (qmail-remote). */
function commandOf(text: string): string | null {
  if (/sender was rejected|did not like our mail from|mail from command/i.test(text)) return 'MAIL';
  if (/does not like recipient|rcpt to command|most progress was RCPT TO/i.test(text)) return 'RCPT';
  if (/failed after I sent the message|did not like our data|most progress was DATA/i.test(text)) return 'DATA';
  if (/my name was rejected/i.test(text)) return 'HELO';
  if (/greeting failed/i.test(text)) return 'CONN';
  return null;
}

/** A recipient's block: its address and the lines under it, as qmail writes the reason. */
function blockNotice(recipient: string, lines: readonly string[]): Notice {
  // qmail-remote ends every permanent failure with "Giving up on <host>.": qmail's own words,
  // not the remote's, and no sign that anything expired.
  const diagnostic = joinLines(lines.filter((l) => !GIVING_UP.test(l)));
  const reply = leadingReply(lines.map((l) => l.replace(/^\s*Remote host said:\s*/i, '')));
  return notice(recipient, { diagnostic: diagnostic || null, command: commandOf(diagnostic), reply });
}

/**
 * A derivative's bare list, after qmail-send's intro: each entry a paragraph whose first line is
 * only the address and whose other lines are the reason. The list ends at the first paragraph
 * after it that does not start so (a contact address, an address inside a reason, is none).
 */
function bareBlocks(afterIntro: string): Notice[] {
  const out: Notice[] = [];
  for (const paragraph of afterIntro.split(/\n[ \t]*(?:\n|$)/)) {
    const lines = paragraph.split('\n').filter((l) => l.trim() !== '');
    const m = lines.length > 1 ? BARE_RECIPIENT.exec(lines[0]!.trim()) : null;
    if (m) out.push(blockNotice(m[1]!, lines.slice(1)));
    else if (out.length > 0) break;
  }
  return out;
}

export function qmailBlocks(head: string): Notice[] {
  const intro = QMAIL_INTRO.exec(head);
  if (intro !== null && !head.split('\n').some((line) => RECIPIENT.test(line.trim()))) return bareBlocks(head.slice(intro.index));
  const out: Notice[] = [];
  let current: { recipient: string; lines: string[] } | null = null;
  const flush = () => {
    if (current === null) return;
    out.push(blockNotice(current.recipient, current.lines));
    current = null;
  };
  for (const line of head.split('\n')) {
    const m = RECIPIENT.exec(line.trim());
    if (m) {
      flush();
      current = { recipient: m[1]!, lines: [] };
    } else if (line.trim() === '') {
      if (current !== null && current.lines.length > 0) flush();
    } else if (current !== null) {
      current.lines.push(line);
    }
  }
  flush();
  return out;
}

export const qmail: MtaDecoder = {
  name: 'qmail',
  decode(mail) {
    const m = hasCopyWords(mail.lower) ? COPY_MARKER.exec(mail.text) : null;
    // Without the copy marker, only a message whose returned copy is a MIME part, or that has
    // qmail-send's intro (Apache James's own notice keeps it and returns nothing), and whose text
    // says it is qmail (or a Yahoo/qmail-style notice) qualifies.
    const head = m ? mail.text.slice(0, m.index) : mail.returned !== null || QMAIL_INTRO.test(mail.text) ? mail.text : null;
    if (head === null || !fromMailSystem(mail)) return null;
    if (!m && !/This is the qmail-send program|Sorry, we were unable to deliver your message|Unable to deliver message to the following address/i.test(head) && !QMAIL_INTRO.test(head) &&
        !(QMAIL_STATUS.test(head) || mail.headers('received').some((v) => INVOKED_FOR_BOUNCE.test(v)))) return null;
    const notices = qmailBlocks(head);
    return notices.length > 0 ? notices : null;
  },
};
