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
import { isReplyOrForward } from '../mail-system.js';
import { addressIn, firstParagraph, joinLines, leadingReply } from '../text.js';

const COULD_NOT = /^[ \t]*Could not be delivered to:\s*(<[^<>\n]+>|[^\s@]+@\S+)[ \t]*$/im;
const EZWEB = /(?:Each\s+of\s+the\s+following\s+recipients\s+was\s+rejected\s+by\s+a\s+remote\s+mail\s+server|The\s+user\(s\)\s+account\s+is\s+disabled|The\s+following\s+recipients?\s+(?:did|could)\s+not\s+receive\s+this\s+message)/i;
const BRACKETED = /^\s*(?:Recipient:\s*)?<([^<>\s@]+@[^<>\s]+)>\s*$/;
/** "<user@ezweb.ne.jp>: user unknown": a recipient and what became of it, on one line. */
const BRACKETED_SAID = /^\s*<([^<>\s@]+@[^<>\s]+)>:[ \t]*(\S[^\n]*)$/;
const RECIPIENT_LABEL = /^\s*Recipient:/i;
const REPLY_CODE = /^[245]\d\d\b/;
const REPLY = /^\s*<<<\s*([^\n]*)$/;
const SENT_RCPT = /^\s*>>>\s*RCPT TO/i;

function kddi(text: string): Notice[] {
  const m = COULD_NOT.exec(text);
  if (!m) return [];
  const recipient = addressIn(m[1]);
  if (recipient === null) return [];
  return [notice(recipient, { diagnostic: joinLines(firstParagraph(text.slice(m.index + m[0].length))) || null })];
}

/** One recipient of an EZweb notice: its address, its lines (the remote's reply among them) and the command. */
interface Block {
  recipient: string;
  lines: string[];
  replies: string[];
  command: string | null;
}

const SENT_TO = /<([^<>\s@]+@[^<>\s]+)>/;
const MAX_SENTENCE_LINES = 8;
const MAX_LEAD = 1000;

function ezweb(text: string): Notice[] {
  // Cheap test first: the long alternation only runs on the few texts that can match it.
  if (!/recipient|account is disabled/i.test(text) || !EZWEB.test(text)) return [];
  const head = text.split(/^-{10,}[ \t]*$/m)[0]!;
  /** The notice's own English sentences before the first recipient (the Japanese paragraph repeats them). */
  const sentences: string[] = [];
  const blocks = new Map<string, Block>();
  const open = (address: string): Block => {
    const key = address.toLowerCase();
    const block = blocks.get(key) ?? { recipient: address, lines: [], replies: [], command: null };
    blocks.set(key, block);
    return block;
  };
  let current: Block | null = null;
  // After an empty line that follows what the notice said of its recipients (a reply, the
  // notice's sentence, words under one), more addresses may follow; free text there starts a
  // footer, where only a "Recipient:" line, a command or a reply still belongs to the notice.
  let gap = false;
  let footer = false;
  let said = false;
  /** Whether the last line with words was "<addr>: words". */
  let saidLast = false;
  for (const line of head.split('\n')) {
    if (line.trim() === '') {
      if (said || (current !== null && (current.lines.length > 0 || sentences.length > 0))) gap = true;
      continue;
    }
    const b = BRACKETED.exec(line);
    if (b) {
      saidLast = false;
      if (footer && !RECIPIENT_LABEL.test(line)) continue;
      if (RECIPIENT_LABEL.test(line)) footer = gap = false;
      current = open(b[1]!);
      continue;
    }
    const bs = BRACKETED_SAID.exec(line);
    // After the recipients and an empty line, "<support@...>: contact us" is a footer's, unless
    // it goes on a list of such lines or its words are a server's reply.
    if (bs && !footer && !(gap && blocks.size > 0 && !saidLast && !REPLY_CODE.test(bs[2]!))) {
      current = open(bs[1]!);
      current.lines.push(line.trim());
      said = saidLast = true;
      continue;
    }
    saidLast = false;
    if (SENT_RCPT.test(line)) {
      const to = SENT_TO.exec(line)?.[1];
      if (to !== undefined) current = open(to);
      if (current !== null) current.command = 'RCPT';
      continue;
    }
    const reply = REPLY.exec(line);
    if (reply) {
      // A reply that names one of the recipients is that recipient's.
      const named = SENT_TO.exec(reply[1]!)?.[1]?.toLowerCase();
      const to = named !== undefined ? blocks.get(named) ?? current : current;
      to?.replies.push(reply[1]!);
      to?.lines.push(reply[1]!);
      said ||= to !== null;
      continue;
    }
    if (footer || !/^[\x20-\x7e]+$/.test(line)) continue;
    if (gap) {
      footer = true;
      continue;
    }
    // (The notice's own sentences are a line or two: a page of text there is not the notice's.)
    if (current === null) {
      if (sentences.length < MAX_SENTENCE_LINES) sentences.push(line);
    } else current.lines.push(line);
  }
  // Without the remote's reply, au's "rejected by a remote mail server" is its own verdict: the
  // phone's reception filter (a recipient setting) refused the sender.
  const filtered = /rejected\s+by\s+a\s+remote\s+mail\s+server/i.test(head);
  // Given to every recipient: bounded, so that thousands of them cost no more than their own lines.
  const lead = joinLines(sentences).slice(0, MAX_LEAD);
  return [...blocks.values()].map((b) => notice(b.recipient, {
    diagnostic: joinLines([lead, ...b.lines]) || null,
    command: b.command,
    reply: leadingReply(b.replies),
    reason: b.replies.length === 0 && filtered ? 'filtered' as const : null,
  }));
}

export const au: MtaDecoder = {
  name: 'au',
  decode(mail) {
    // No mail-system check: au's notices come from a no-reply address, under subjects such as
    // "Mail". A person's reply or forward quoting one is still no notice.
    if (isReplyOrForward(mail)) return null;
    const k = kddi(mail.text);
    if (k.length > 0) return k;
    // The notice goes back to the sender: beside other recipients, an address it names that is
    // the notice's own To (a line quoting the sender) is not one that failed.
    const all = ezweb(mail.text);
    const e = all.length > 1 ? all.filter((n) => !mail.to.includes(n.recipient.toLowerCase())) : all;
    return e.length > 0 ? e : null;
  },
};
