/**
 * Sendmail's human-readable report (V8 before DSNs, V5, and the many MTAs that copied it:
 * InterScan, Biglobe, Activehunter...), also present next to the DSN of modern sendmail:
 *
 *      ----- The following addresses had permanent fatal errors -----
 *   <user@example.org>
 *       (reason: 550 5.1.1 <user@example.org>... User Unknown)
 *
 *      ----- Transcript of session follows -----
 *   ... while talking to mx.example.org.:
 *   >>> RCPT To:<user@example.org>
 *   <<< 550 5.1.1 <user@example.org>... User Unknown
 *   550 5.1.1 <user@example.org>... User unknown
 *
 * Recipients come from the address list and from the transcript (a ">>> RCPT To:" line, or
 * sendmail's own "NNN <address>... text" summary line), never from ">>> MAIL From:", whose
 * address is the sender's. The reply that followed a command is its diagnostic.
 */
import { fromMailSystem } from '../mail-system.js';
import type { MtaDecoder, Notice } from '../types.js';
import { notice } from '../types.js';
import { joinLines, leadingReply } from '../text.js';

/**
 * sendmail's delay warning, and its return receipt. (Each address listed under "transient
 * non-fatal errors" is a delay in any notice: see sendmailReport.)
 */
const WARNING = /THIS IS A WARNING MESSAGE ONLY|^Warning: could not send message for past/im;
const SUCCESS = /following addresses? (?:had|has) successful delivery notifications/i;
const PERMANENT = /permanent fatal errors/i;
const ERRORS = /fatal errors/i;
// Words joined by single spaces or hyphens ("permanent fatal errors", "transient non-fatal
// errors"): with [a-z -]+? a long run of dashes after "had " backtracked quadratically.
const MARKER = /^[ \t]*-{2,} ?(?:The following addresses? (?:had|has) [a-z]+(?: [a-z]+|-[a-z]+)*|Transcript of (?:the )?session follows|Non-delivered information) ?-{2,}[ \t]*$/im;
/**
 * The title of a section line ("----- Transcript of session follows -----"): the text between
 * its runs of two or more dashes, one space each side left out; five or more dashes (and
 * spaces) alone make a section titled "-". Written out rather than as the regex
 * /^[ \t]*-{2,} ?(.+?) ?-{2,}[ \t]*$/, whose quantifiers backtracked cubically over a long run
 * of dashes; a random test compares the two on short lines.
 */
export function sectionTitle(line: string): string | null {
  let start = 0;
  let end = line.length;
  while (start < end && (line.charCodeAt(start) === 32 || line.charCodeAt(start) === 9)) start++;
  while (end > start && (line.charCodeAt(end - 1) === 32 || line.charCodeAt(end - 1) === 9)) end--;
  let open = start;
  while (open < end && line.charCodeAt(open) === 45) open++;
  if (open - start < 2) return null;
  if (open === end) return end - start >= 5 ? '-' : null;
  let close = end;
  while (close > open && line.charCodeAt(close - 1) === 45) close--;
  if (end - close < 2) return null;
  if (line.charCodeAt(open) === 32) open++;
  if (close > open && line.charCodeAt(close - 1) === 32) close--;
  if (close > open) return line.slice(open, close);
  // Only dashes and a space or two ("-- --"): a section all the same, its title of no interest.
  return end - start >= 5 ? '-' : null;
}
const END = /^[ \t]*-{2,} ?(?:Unsent message follows|Original message follows|Message header follows|Returned message|Original message|Message-ID:?)/i;

/**
 * A footer's rule or a signature separator ("-- "), or an empty line under a bare reply: the words
 * under it, up to the session's next command, reply or summary line, are no mailer's output but a
 * gateway's or list's footer ("This email has been scanned for spam and viruses by ...").
 */
const FOOTER = /^(?:-- |_{5,}|\*{5,}|={5,})[ \t]*$/;
const BARE_REPLY = /^[ \t]*[245]\d\d[ -]/;
/** Sendmail's and local mailers' own words, which go on after an empty line in a transcript. */
const SESSION_WORDS = /^\s*(?:[245]\d\d[ -]|Message (?:could not be delivered|will be deleted)|Warning: (?:message still undelivered|could not send)|Will keep trying|(?:mail\.local|procmail|maildrop|deliver|dovecot-lda): )/i;

const ADDR = String.raw`[^\s<>"()@]+@[A-Za-z0-9_][A-Za-z0-9_.-]*[A-Za-z0-9]`;
/** "<a@b>", "a@b", ">>> a@b <a@b>", "a@b [User unknown]", "a@b... reason" */
const LIST_LINE = new RegExp(String.raw`^\s*(?:>>>\s*)?<?(${ADDR})>?(?:\s+<${ADDR}>)?(?:\s*\[([^\]]*)\]|\.\.\.\s*([^\n]*))?\s*$`);
/** "(reason: 550 ...)": the words (see reasonOf), read to the end of the line in one pass. */
const REASON_LINE = /^\s*\(reason:\s*([^\n]*)$/i;
/** The words of a REASON_LINE match, without the closing parenthesis and the space around it. */
function reasonOf(m: RegExpExecArray): string {
  const words = m[1]!.trimEnd();
  return words.endsWith(')') ? words.slice(0, -1) : words;
}
const EXPANDED = /^\s*\(expanded from:?/i;
const SENT = /^\s*(?:>>>|Sent\s*<<<)\s*(RCPT|MAIL|DATA|EHLO|HELO|QUIT|RSET)\b\s*(?:TO|FROM)?\s*:?\s*<?([^>\s]*)>?/i;
const RECEIVED = /^\s*(?:<<<|Received\s*>>>)\s*([^\n]*)$/i;
/** sendmail's own line about a recipient: "550 5.1.1 <a@b>... User unknown" or "<a@b>... Deferred: ...". */
const SUMMARY = new RegExp(String.raw`^\s*(?:(\d{3})\s+(\d\.\d{1,3}\.\d{1,3}\s+)?)?<?(${ADDR})>?\.\.\.\s*([^\n]*)$`);
/** What sendmail says after "<a@b>... " of a delivery that was made. */
const SENT_OK = /^Sent\b/;
/** "... while talking to mx.example.org.:" (V5 sendmail: "While talking to example.org:"). */
const TALKING = /^\s*(?:\.\.\.\s*)?while talking to\s+\[?([^\s:\]]*)/i;
/** sendmail's own line about a host: "550 example.org (smtp)... 550 Host unknown". */
const HOST_LINE = /^\s*\d{3}\s+\[?([A-Za-z0-9.-]+)\]?\s+\([^)\n]*\)\.\.\./;
const hostName = (h: string) => h.toLowerCase().replace(/\.$/, '');
/**
 * The server's answer to DATA when it took no recipient: any 503, "bad sequence of commands"
 * (sendmail's "503 5.0.0 Need RCPT (recipient)", Exim's "503 Valid RCPT command must precede
 * DATA"), and Postfix's "554 5.5.1 Error: no valid recipients". With PIPELINING, sendmail sends
 * RCPT and DATA together and shows the refusals of RCPT under ">>> DATA": this answer says they
 * were RCPT's.
 */
const NO_RECIPIENT = /^503[ -]|^554[ -](?:5\.5\.1 )?(?:error: )?no valid recipients\b/i;
/** A local delivery in the address list: a pipe or a file, named by the alias it was expanded from. */
const LOCAL = /^\s*"?[|/]/;
const PROGRAM = /^"?\|/;
const EXPANDED_FROM = new RegExp(String.raw`^\s*\(expanded from:?\s*<?(${ADDR})>?\s*\)`, 'i');

function commandWord(w: string): string {
  const u = w.toUpperCase();
  return u === 'EHLO' || u === 'HELO' ? 'HELO' : u;
}

interface Found {
  recipient: string;
  diagnostic: string[];
  command: string | null;
  summary: string | null;
  /** Delivered to a program ("|/usr/bin/prog"), whose failure is a mailer error. */
  program?: boolean;
  /** A local mailer's output right above this recipient's summary line (see transcript()). */
  output?: string[];
  /** Listed under "transient non-fatal errors" (still being tried); `other` under any other list. */
  transient?: boolean;
  other?: boolean;
}

export function sendmailReport(text: string): Notice[] {
  const sections = new Map<string, string[]>();
  let name: string | null = null;
  for (const line of text.split('\n')) {
    if (END.test(line)) break;
    const title = sectionTitle(line);
    if (title !== null) {
      name = title.toLowerCase();
      sections.set(name, []);
      continue;
    }
    if (name !== null) sections.get(name)!.push(line);
  }

  const found: Found[] = [];
  const byAddress = new Map<string, Found>();
  const add = (recipient: string): Found => {
    const key = recipient.toLowerCase();
    let f = byAddress.get(key);
    if (!f) {
      f = { recipient, diagnostic: [], command: null, summary: null };
      byAddress.set(key, f);
      found.push(f);
    }
    return f;
  };

  let reasons: string[] = [];
  const free: string[] = [];
  for (const [title, body] of sections) {
    if (/^the following address/.test(title)) {
      const transient = /transient|non-fatal/.test(title);
      const mark = (f: Found) => {
        if (transient) f.transient = true;
        else f.other = true;
      };
      let last: Found | null = null;
      let local: string | null = null;
      let localReason: string | null = null;
      for (const line of body) {
        if (line.trim() === '') continue;
        const reason = REASON_LINE.exec(line);
        if (reason) {
          if (last) last.summary = reasonOf(reason);
          else if (local !== null) localReason = reasonOf(reason);
          continue;
        }
        const expanded = EXPANDED_FROM.exec(line);
        if (expanded && local !== null) {
          // "|/usr/bin/prog" (expanded from: <a@b>): the program failed for a@b.
          last = add(expanded[1]!);
          mark(last);
          last.summary = localReason ?? local;
          last.program = PROGRAM.test(local);
          local = null;
          continue;
        }
        if (EXPANDED.test(line)) continue;
        const m = LIST_LINE.exec(line);
        if (m) {
          last = add(m[1]!);
          mark(last);
          local = null;
          if (m[2] || m[3]) last.summary = (m[2] ?? m[3])!;
        } else if (LOCAL.test(line)) {
          last = null;
          local = line.trim();
          localReason = null;
        }
      }
    } else if (/^non-delivered information/.test(title)) {
      reasons = body.filter((l) => l.trim() !== '');
    } else if (/^transcript of/.test(title)) {
      // One by one: push(...lines) overflows the stack on a transcript of 200,000 lines.
      for (const line of transcript(body, add)) free.push(line);
    }
  }

  // A local mailer's output is the failure of the recipient whose summary line it precedes only
  // when the report names that one recipient: with several, a mailer run for all of them may
  // print one's failure above another's summary line.
  const alone = found.length === 1;
  return found.map((f) => {
    const own = alone && f.output !== undefined ? [...f.output, ...f.diagnostic] : f.diagnostic;
    const words = own.length > 0
      ? joinLines(own)
      : free.length > 0 ? joinLines(free) : f.summary ?? joinLines(reasons);
    const source = own.length > 0 ? own : free;
    const reason = f.program ? 'mailererror' as const : alone && saysUnknownUser(f.output, f.recipient) ? 'userunknown' as const : null;
    // An address still being tried is a delay, whatever the notice says of the others.
    const action = f.transient === true && f.other !== true ? 'delayed' as const : null;
    return notice(f.recipient, { action, diagnostic: words || null, command: f.command, reply: leadingReply(source), reason });
  });
}

/** BSD mail.local's verdict on this recipient's own name: "mail.local: unknown user: jane". */
const MAIL_LOCAL_UNKNOWN = /^\s*mail\.local: unknown user: (\S{1,64})\s*$/i;

function saysUnknownUser(output: readonly string[] | undefined, recipient: string): boolean {
  const local = recipient.slice(0, recipient.lastIndexOf('@')).toLowerCase();
  return output?.some((line) => MAIL_LOCAL_UNKNOWN.exec(line)?.[1]?.toLowerCase() === local) ?? false;
}

/** Whether `reply` is the next line of the multi-line reply whose lines end `kept` ("553-..."). */
function continues(kept: readonly string[], reply: string): boolean {
  const last = kept[kept.length - 1];
  return last !== undefined && last.charAt(3) === '-' && /^[2-5]\d\d[ -]/.test(reply) && reply.startsWith(last.slice(0, 3));
}

/**
 * Replies follow the command they answer; a summary line names the recipient they were about.
 * Lines that are neither are a local mailer's own output ("mail.local: unknown user: name"):
 * those right above a summary line that follows no reply are kept with that recipient
 * (Found.output), since sendmail's summary only translates the mailer's exit status ("554 ...
 * Service unavailable"); all of them are also kept for recipients that end up with no words of
 * their own. sendmail's own lines about a host are not mailer output.
 */
function transcript(body: string[], add: (recipient: string) => Found): string[] {
  let command: string | null = null;
  /** The address of the session's MAIL command: sendmail repeats its refusal as "<sender>... ". */
  let sender: string | null = null;
  let target: Found | null = null;
  let pending: string[] = [];
  /** Whether a summary line took the pending reply: a new reply then replaces it (LMTP answers DATA per recipient). */
  let taken = false;
  let host: string | null = null;
  const free: string[] = [];
  /** Mailer output since the last command, reply or summary line. */
  let output = 0;
  /** Recipients given a reply since ">>> DATA" (see NO_RECIPIENT). */
  let sinceData: Found[] = [];
  /** Under a footer's rule (FOOTER), or an empty line after a bare reply, since the session's last line. */
  let footer = false;
  /** The footer began at an empty line, not a rule: the session's own words end it (SESSION_WORDS). */
  let footerByBlank = false;
  /** Whether the last line was a reply the mailer wrote without "<<<" ("550 5.1.1 no mailbox here"). */
  let bareReply = false;
  for (const line of body) {
    if (line.trim() === '') {
      // The reply was the session's last word: what follows an empty line under it is a footer.
      if (bareReply) footer = footerByBlank = true;
      continue;
    }
    bareReply = false;
    if (FOOTER.test(line)) {
      footer = true;
      footerByBlank = false;
      continue;
    }
    if (footer && footerByBlank && SESSION_WORDS.test(line)) footer = footerByBlank = false;
    const talking = TALKING.exec(line);
    if (talking) {
      host = hostName(talking[1]!);
      target = null;
      pending = [];
      output = 0;
      footer = false;
      continue;
    }
    // A reply to DATA belongs to that host's recipients: sendmail's lines about another host
    // (V5 lists every host's failures after the one session it shows) end its scope.
    const other = HOST_LINE.exec(line);
    if (other && host !== null && hostName(other[1]!) !== host) pending = [];
    const sent = SENT.exec(line);
    if (sent) {
      command = commandWord(sent[1]!);
      if (command === 'MAIL') sender = sent[2]?.toLowerCase() ?? null;
      if (command === 'DATA') sinceData = [];
      target = command === 'RCPT' && sent[2] && sent[2].includes('@') ? add(sent[2]) : null;
      pending = [];
      output = 0;
      footer = false;
      continue;
    }
    const received = RECEIVED.exec(line);
    if (received) {
      output = 0;
      footer = false;
      const reply = received[1]!.trim();
      if (command === 'DATA' && NO_RECIPIENT.test(reply)) {
        for (const f of sinceData) f.command = 'RCPT';
        command = 'RCPT';
        continue;
      }
      // Pipelined sessions repeat "503 Need RCPT" after the real refusal: keep the first failure,
      // all of its lines ("553-..." up to "553 ...").
      if (target) {
        if (target.diagnostic.length === 0 || !/^[45]/.test(target.diagnostic[0]!) || continues(target.diagnostic, reply)) {
          target.diagnostic.push(reply);
          target.command ??= command;
        }
      } else if (pending.length === 0 || taken) {
        pending = [reply];
        taken = false;
      } else if (continues(pending, reply)) {
        pending.push(reply);
      }
      continue;
    }
    const summary = SUMMARY.exec(line);
    // Not a failed recipient: sendmail's echo of a refused MAIL FROM (the sender's address), and
    // a delivery it reports as done ("<a@b>... Sent (...)").
    if (summary && ((command === 'MAIL' && summary[3]!.toLowerCase() === sender) || (!summary[1] && SENT_OK.test(summary[4]!)))) {
      free.push(line);
      output = 0;
      footer = false;
      continue;
    }
    if (summary) {
      const f = add(summary[3]!);
      if (f.diagnostic.length === 0) {
        if (pending.length > 0) {
          taken = true;
          f.diagnostic.push(...pending);
          f.command ??= command;
          if (command === 'DATA') sinceData.push(f);
        } else {
          if (output > 0) f.output = free.slice(free.length - output);
          f.diagnostic.push(summary[1] ? `${summary[1]} ${summary[2] ?? ''}${summary[4]}` : summary[4]!);
        }
      }
      output = 0;
      footer = false;
      continue;
    }
    if (footer) continue;
    bareReply = BARE_REPLY.test(line);
    free.push(line);
    // sendmail's own line about a host is no mailer's output, and ends any before it.
    output = other ? 0 : output + 1;
  }
  return free;
}

export const sendmail: MtaDecoder = {
  name: 'sendmail',
  decode(mail) {
    if (!fromMailSystem(mail)) return null;
    if (!MARKER.test(mail.text)) return null;
    const notices = sendmailReport(mail.text);
    if (notices.length === 0) return null;
    // A warning that delivery is still being tried, or a return receipt, is no failure; but one
    // notice may list permanent failures beside the addresses still being tried.
    const action = !PERMANENT.test(mail.text) && (WARNING.test(mail.subject) || WARNING.test(mail.text.slice(0, 2000))) ? 'delayed'
      : !ERRORS.test(mail.text) && SUCCESS.test(mail.text) ? 'delivered' : null;
    if (action !== null) for (const n of notices) n.action ??= action;
    return notices;
  },
};
