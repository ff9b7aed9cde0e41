/**
 * KDDI's au mobile mail services (au one net / dion.ne.jp, EZweb): short reports in English
 * after a Japanese paragraph.
 *
 *   Your mail sent on: Thu, 29 Apr 2013 23:45:22 +0900
 *        Could not be delivered to: <user@example.jp>
 *        As their mailbox is full.
 *
 *   <user@ezweb.ne.jp>
 *   Each of the following recipients was rejected by a remote mail server.
 *       Recipient: <user@ezweb.ne.jp>
 *       >>> RCPT TO:<user@ezweb.ne.jp>
 *       <<< 550 <user@ezweb.ne.jp>: User unknown
 */
import type { MtaDecoder, Notice } from '../types.js';
import { notice } from '../types.js';
import { addressIn, firstParagraph, joinLines, leadingReply } from '../text.js';

const COULD_NOT = /^[ \t]*Could not be delivered to:\s*(<[^<>\n]+>|[^\s@]+@\S+)[ \t]*$/im;
const EZWEB = /(?:Each\s+of\s+the\s+following\s+recipients\s+was\s+rejected\s+by\s+a\s+remote\s+mail\s+server|The\s+user\(s\)\s+account\s+is\s+disabled|The\s+following\s+recipients?\s+(?:did|could)\s+not\s+receive\s+this\s+message)/i;
const BRACKETED = /^\s*(?:Recipient:\s*)?<([^<>\s@]+@[^<>\s]+)>\s*$/;
const REPLY = /^\s*<<<\s*([^\n]*)$/;
const SENT_RCPT = /^\s*>>>\s*RCPT TO/i;

function kddi(text: string): Notice[] {
  const m = COULD_NOT.exec(text);
  if (!m) return [];
  const recipient = addressIn(m[1]);
  if (recipient === null) return [];
  return [notice(recipient, { diagnostic: joinLines(firstParagraph(text.slice(m.index + m[0].length))) || null })];
}

function ezweb(text: string): Notice[] {
  // Cheap test first: the long alternation only runs on the few texts that can match it.
  if (!/recipient|account is disabled/i.test(text) || !EZWEB.test(text)) return [];
  const head = text.split(/^-{10,}[ \t]*$/m)[0]!;
  const recipients: string[] = [];
  const words: string[] = [];
  const replies: string[] = [];
  let command: string | null = null;
  // After a remote reply, an empty line ends the notice's words: free text after it is a footer.
  let footer = false;
  for (const line of head.split('\n')) {
    if (replies.length > 0 && line.trim() === '') footer = true;
    const b = BRACKETED.exec(line);
    if (b) {
      if (!recipients.some((r) => r.toLowerCase() === b[1]!.toLowerCase())) recipients.push(b[1]!);
      continue;
    }
    if (SENT_RCPT.test(line)) {
      command = 'RCPT';
      continue;
    }
    const reply = REPLY.exec(line);
    if (reply) {
      words.push(reply[1]!);
      replies.push(reply[1]!);
      continue;
    }
    // The English sentences explain the failure; the Japanese paragraph repeats them.
    if (!footer && /^[\x20-\x7e]+$/.test(line) && line.trim() !== '') words.push(line);
  }
  const diagnostic = joinLines(words) || null;
  // Without the remote's reply, au's "rejected by a remote mail server" is its own verdict: the
  // phone's reception filter (a recipient setting) refused the sender.
  const reason = replies.length === 0 && /rejected\s+by\s+a\s+remote\s+mail\s+server/i.test(head) ? 'filtered' as const : null;
  return recipients.map((r) => notice(r, { diagnostic, command, reply: leadingReply(replies), reason }));
}

export const au: MtaDecoder = {
  name: 'au',
  decode(mail) {
    const k = kddi(mail.text);
    if (k.length > 0) return k;
    const e = ezweb(mail.text);
    return e.length > 0 ? e : null;
  },
};
