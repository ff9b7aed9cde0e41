/**
 * Short reports of mail gateways and filters, one format each, all keyed on their own section
 * labels (the label, never free text, says where the recipient is):
 *
 * - m-FILTER (Digital Arts): the address, then "-------server message" and "-------SMTP command".
 * - MailFoundry: "Unable to deliver message to: <a@b>" + "Delivery failed for the following reason:".
 * - MailMarshal (Trustwave): "Could not be delivered because of" + "The following recipients were affected:".
 * - InterScan MSS (Trend Micro): "Sent <<< RCPT TO:<a@b>" / "Received >>> 550 ..." transcript, or
 *   "Unable to deliver message to <a@b>".
 * - McAfee's gateway: "--- The following addresses had delivery problems ---" + "<a@b>   (reply)".
 * - Mimecast: "... to the following address could not be delivered:" (or "an email you addressed
 *   to email address :") + "-- a@b", the reply under "Additional information follows :".
 * - Apache James: "Error message below:" + "Message details:" with the envelope "RCPT TO: a@b"
 *   (further recipients on the indented lines under it).
 * - Zoho Mail: "a@b Invalid Address, ERROR_CODE :550, ERROR_CODE :5.1.1 ...".
 * - A gateway that says "The following recipients returned permanent errors: a@b. Reason: ..."
 *   or "SMTP Server <host> rejected recipient <a@b> (Error following RCPT command). It responded
 *   as follows: [550 ...]".
 * - "Your delivery to the following address has been failed." + "Delivery failed: a@b", the reply
 *   after "Remote host said[Response Message]:" and the stage after "STEP:".
 * - L-Soft LSMTP: "Error-for: a@b" + "Error-Text: ...".
 * - MMS gateways: "Message could not be delivered to mobile." with the original's single To.
 */
import { fromMailSystem } from '../mail-system.js';
import type { MailView } from '../mime.js';
import type { MtaDecoder, Notice } from '../types.js';
import { notice } from '../types.js';
import { addressLine, addressesIn, joinLines } from '../text.js';

const ADDR = String.raw`[^\s<>"()@,;]+@[A-Za-z0-9_][A-Za-z0-9_.-]*[A-Za-z0-9]`;

function linesAfter(text: string, marker: RegExp, stop: RegExp = /^\s*$/): string[] {
  const m = marker.exec(text);
  if (!m) return [];
  const out: string[] = [];
  for (const line of text.slice(m.index + m[0].length).split('\n')) {
    if (out.length > 0 && stop.test(line)) break;
    if (line.trim() !== '') out.push(line);
  }
  return out;
}

// Each format first looks for its fixed words in the lower-cased text (cheap), then runs its
// regexes, whose every match holds those words.

function mfilter(text: string, lower: string): Notice[] | null {
  if (!lower.includes('server message')) return null;
  const server = /^-{5,}server message[ \t]*$/im.exec(text);
  if (!server) return null;
  const recipients = text.slice(0, server.index).split('\n').map(addressLine).filter((a): a is string => a !== null);
  const diagnostic = joinLines(linesAfter(text, /^-{5,}server message[ \t]*$/im, /^-{5,}/)) || null;
  const command = linesAfter(text, /^-{5,}SMTP command[ \t]*$/im, /^-{5,}/)[0]?.trim().split(/\s/)[0]?.toUpperCase() ?? null;
  return recipients.map((r) => notice(r, { diagnostic, command }));
}

function mailfoundry(text: string, lower: string): Notice[] | null {
  if (!lower.includes('unable to deliver message to:') || !lower.includes('delivery failed for the following reason:')) return null;
  const to = /^Unable to deliver message to:\s*<?([^\s@]+@[^\s>]+)>?[ \t]*$/im.exec(text);
  if (!to || !/Delivery failed for the following reason:/i.test(text)) return null;
  const diagnostic = joinLines(linesAfter(text, /Delivery failed for the following reason:[ \t]*$/im)) || null;
  return [notice(to[1]!, { diagnostic })];
}

function mailmarshal(text: string, lower: string): Notice[] | null {
  if (!lower.includes('could not be delivered because of')) return null;
  if (!/^Could not be delivered because of[ \t]*$/im.test(text)) return null;
  const diagnostic = joinLines(linesAfter(text, /^Could not be delivered because of[ \t]*$/im)) || null;
  const recipients = linesAfter(text, /The following recipients were affected:[ \t]*$/im).map(addressLine).filter((a): a is string => a !== null);
  return recipients.map((r) => notice(r, { diagnostic }));
}

const INTERSCAN_SENT = new RegExp(String.raw`^\s*Sent\s*<<<\s*RCPT TO:\s*<?(${ADDR})>?`, 'i');
/** With "Reason:" in front, or (newer versions) on its own line with InterScan's own parenthesis. */
const INTERSCAN_UNABLE = new RegExp(String.raw`^[ \t]*(?:Reason:[ \t]*)?Unable to deliver message to <(${ADDR})>(.*)$`, 'im');
const INTERSCAN_SAME_DOMAIN = /^[ \t]*\(and other recipients in the same domain\)/i;

function interscan(text: string): Notice[] | null {
  if (!text.includes('<<<') && !text.includes('Unable to deliver message to <')) return null;
  const out: Notice[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const sent = INTERSCAN_SENT.exec(lines[i]!);
    if (!sent) continue;
    const reply = /^\s*Received\s*>>>\s*([^\n]*)$/i.exec(lines[i + 1] ?? '');
    out.push(notice(sent[1]!, { diagnostic: reply?.[1]?.trim() || null, command: 'RCPT' }));
  }
  if (out.length > 0) return out;
  const unable = INTERSCAN_UNABLE.exec(text);
  if (!unable || !(/^\s*Reason:/i.test(unable[0]) || INTERSCAN_SAME_DOMAIN.test(unable[2]!))) return null;
  // This notice quotes no reply: it is InterScan's own verdict that the next hop refused the
  // recipient for good, and an unknown recipient is what it stands for. Sisimai reads it so in
  // every version, and 13 of the 21 InterScan bounces in its public and private test sets are
  // this notice, each labelled an unknown recipient. A hint only: a reply, if one is ever
  // quoted, still decides.
  return [notice(unable[1]!, { diagnostic: `Unable to deliver message to <${unable[1]}>${unable[2]}`.trim(), reason: 'userunknown' })];
}

/**
 * McAfee's email gateway (its `X-NAI-Header` on the report itself): its own heading, three dashes
 * each side (sendmail's has five), then one "<a@b>   (the reply)" line per recipient.
 */
const MCAFEE_HEADING = /^[ \t]*--- The following addresses had delivery problems ---[ \t]*$/im;
const MCAFEE_ENTRY = new RegExp(String.raw`^[ \t]*<(${ADDR})>[ \t]+\((.+)\)[ \t]*$`);
/** The gateway's words for a recipient it found missing (Sisimai's McAfee table reads the same). */
const MCAFEE_UNKNOWN = /\bunknown user\b|\buser (?:\(\S+\) )?unknown\b|\buser not exist|\bno such user\b/i;

function mcafee(text: string, lower: string, mail: MailView): Notice[] | null {
  if (!lower.includes('--- the following addresses had delivery problems ---')) return null;
  if (!/modified by mcafee/i.test(mail.header('x-nai-header') ?? '')) return null;
  const out: Notice[] = [];
  for (const line of linesAfter(text, MCAFEE_HEADING)) {
    const m = MCAFEE_ENTRY.exec(line);
    if (!m) break;
    // Its list names a missing recipient in its own words, at no SMTP stage: as Sisimai reads
    // McAfee's reports, those words prove the mailbox missing (a hint; codes still decide).
    out.push(notice(m[1]!, { diagnostic: m[2]!.trim(), reason: MCAFEE_UNKNOWN.test(m[2]!) ? 'userunknown' : null }));
  }
  return out;
}

/** Mimecast's "-- " item under a heading that ends with " :" (the list ends at an empty line). */
const MIMECAST_RECIPIENT = new RegExp(String.raw`(?:to the following address could not be delivered|addressed to email address)[ \t]*:[ \t]*\n(?:[ \t]*\n)?[ \t]*--[ \t]+<?(${ADDR})>?[ \t]*$`, 'im');

function mimecastItem(text: string, heading: RegExp): string | null {
  const lines = linesAfter(text, heading);
  return lines.length > 0 && /^[ \t]*--[ \t]/.test(lines[0]!) ? joinLines([lines[0]!.replace(/^[ \t]*--[ \t]+/, ''), ...lines.slice(1)]) || null : null;
}

function mimecast(text: string, lower: string): Notice[] | null {
  if (!lower.includes('to the following address could not be delivered') && !lower.includes('addressed to email address')) return null;
  const to = MIMECAST_RECIPIENT.exec(text);
  if (!to) return null;
  // The remote's reply, else Mimecast's own reading of it ("Recipient email address is possibly incorrect").
  const diagnostic = mimecastItem(text, /^[ \t]*Additional information follows[ \t]*:[ \t]*$/im) ??
    mimecastItem(text, /The problem appears to be[ \t]*:[ \t]*$/im);
  return [notice(to[1]!, { diagnostic })];
}

const JAMES_RCPT = new RegExp(String.raw`^[ \t]*RCPT TO:[ \t]*<?(${ADDR})>?[ \t]*$`, 'im');

function apacheJames(text: string, lower: string): Notice[] | null {
  if (!lower.includes('error message below:') || !lower.includes('message details:')) return null;
  if (!/^[ \t]*Error message below:[ \t]*$/im.test(text) || !/^[ \t]*Message details:[ \t]*$/im.test(text)) return null;
  const details = text.slice(/^[ \t]*Message details:[ \t]*$/im.exec(text)!.index);
  const rcpt = JAMES_RCPT.exec(details);
  if (!rcpt) return null;
  const diagnostic = joinLines(linesAfter(text, /^[ \t]*Error message below:[ \t]*$/im)) || null;
  // Further envelope recipients follow on lines of their own, indented under the first.
  const recipients = [rcpt[1]!];
  for (const line of details.slice(rcpt.index + rcpt[0].length).split('\n').slice(1)) {
    const more = /^[ \t]+\S/.test(line) ? addressLine(line) : null;
    if (more === null) break;
    recipients.push(more);
  }
  return recipients.map((r) => notice(r, { diagnostic }));
}

const ZOHO_LINE = new RegExp(String.raw`^[ \t]*(${ADDR})[ \t]+(\S.*ERROR_CODE\s*:.*)$`);

function zoho(text: string): Notice[] | null {
  if (!text.includes('ERROR_CODE')) return null;
  if (!/ERROR_CODE\s*:/.test(text)) return null;
  const out: Notice[] = [];
  const line = new RegExp(ZOHO_LINE.source, 'gim');
  for (let m = line.exec(text); m !== null; m = line.exec(text)) out.push(notice(m[1]!, { diagnostic: m[2]!.trim() }));
  return out.length > 0 ? out : null;
}

const REJECTED_RECIPIENT = new RegExp(String.raw`^[ \t]*SMTP Server <[^>\n]*> rejected recipient <(${ADDR})> \(Error following (\w+) command\)\.[ \t]*(.*)$`, 'gim');

/** The index of the first character at or after `at` that is not white space. */
function skipSpace(text: string, at: number): number {
  while (at < text.length && /\s/.test(text[at]!)) at++;
  return at;
}

/** The text from `at` to the end of its line. */
function lineFrom(text: string, at: number): string {
  const end = text.indexOf('\n', at);
  return text.slice(at, end < 0 ? text.length : end);
}

function returnedErrors(text: string, lower: string): Notice[] | null {
  if (lower.includes('rejected recipient <')) {
    const out: Notice[] = [];
    for (const m of text.matchAll(REJECTED_RECIPIENT)) {
      // "It responded as follows: [550 5.1.1 User unknown]"
      const said = /\[([^[\]\n]*)\]\s*$/.exec(m[3]!)?.[1] ?? m[3]!;
      out.push(notice(m[1]!, { diagnostic: said.trim() || null, command: m[2]!.toUpperCase() }));
    }
    if (out.length > 0) return out;
  }
  if (!lower.includes('the following recipients returned ')) return null;
  // The list and the reason on the rest of the line, cut by hand: as one regex, the runs of white
  // space around the list backtracked cubically.
  const m = /The following recipients returned (permanent|temporary) errors:/i.exec(text);
  if (!m) return null;
  // The list may start on a line of its own below, "Reason:" may start a line below the list,
  // and the reason a line below "Reason:", after nothing but white space.
  const start = skipSpace(text, m.index + m[0].length);
  const rest = lineFrom(text, start);
  let list: string;
  let reasonAt: number;
  const at = /\sReason:/i.exec(rest);
  if (at) {
    list = rest.slice(0, at.index);
    reasonAt = start + at.index + at[0].length;
  } else {
    const next = skipSpace(text, start + rest.length);
    if (next === start + rest.length || text.slice(next, next + 7).toLowerCase() !== 'reason:') return null;
    list = rest;
    reasonAt = next + 7;
  }
  list = list.trim().replace(/\.$/, '');
  const reason = lineFrom(text, skipSpace(text, reasonAt)).trim();
  if (list === '') return null;
  const temporary = m[1]!.toLowerCase() === 'temporary';
  const command = /\((DATA|RCPT|MAIL)\b/i.exec(reason)?.[1]?.toUpperCase() ?? null;
  return addressesIn(list).map((r) => notice(r, { diagnostic: reason, command, action: temporary ? 'delayed' : null }));
}

/**
 * L-Soft's LSMTP (LISTSERV's mailer) lists each failure in a form meant for software:
 * "Error-for: a@b", "Error-Code: n", "Error-Text: Mailer x said:" with continuation lines,
 * ended by "Error-End:".
 */
const ERROR_FOR = new RegExp(String.raw`^Error-for:[ \t]*<?(${ADDR})>?[ \t]*$`, 'gim');
const ERROR_TEXT = /^Error-Text:[ \t]*(.*(?:\n[ \t]+\S.*)*)/im;

function lsmtp(text: string, lower: string): Notice[] | null {
  if (!lower.includes('error-for:')) return null;
  const found = [...text.matchAll(ERROR_FOR)];
  if (found.length === 0) return null;
  return found.map((m, i) => {
    const section = text.slice(m.index + m[0].length, found[i + 1]?.index ?? text.length);
    const said = ERROR_TEXT.exec(section)?.[1];
    return notice(m[1]!, { diagnostic: said ? joinLines(said.split('\n').map((l) => l.replace(/^\s*"|"\s*$/g, ''))) || null : null });
  });
}

const DELIVERY_FAILED_LINE = new RegExp(String.raw`^[ \t]*Delivery failed:[ \t]*<?(${ADDR})>?[ \t]*$`, 'gim');
const REMOTE_SAID = /^[ \t]*Remote host said(?:\[[^\][\n]*\])?:[ \t]*(.*)$/im;
const STEP = /^[ \t]*STEP:[ \t]*(RCPT|MAIL|DATA|EHLO|HELO)\b/im;

function deliveryFailedLines(text: string, lower: string): Notice[] | null {
  if (!lower.includes('delivery to the following address')) return null;
  const found = [...text.matchAll(DELIVERY_FAILED_LINE)];
  return found.length === 0 ? null : found.map((m, i) => {
    const section = text.slice(m.index + m[0].length, found[i + 1]?.index ?? text.length);
    return notice(m[1]!, { diagnostic: REMOTE_SAID.exec(section)?.[1]?.trim() || null, command: STEP.exec(section)?.[1]?.toUpperCase() ?? null });
  });
}

function mms(text: string, lower: string): Notice[] | null {
  if (!lower.includes('message could not be delivered to mobile')) return null;
  if (!/^Message could not be delivered to mobile\.?[ \t]*$/im.test(text)) return null;
  const error = /^Error:\s*(.*)$/im.exec(text)?.[1] ?? null;
  const original = /^Original Message:[ \t]*$/im.exec(text);
  if (!original) return null;
  const to = /^To:\s*(.*)$/im.exec(text.slice(original.index))?.[1] ?? '';
  const found = [...new Set(addressesIn(to).map((a) => a.toLowerCase()))];
  // The gateway does not say which recipient failed: only a single one is certain.
  // "No valid recipients": the gateway found no subscriber for the number.
  const reason = error !== null && /no valid recipients?/i.test(error) ? 'userunknown' as const : null;
  return found.length === 1 ? [notice(found[0]!, { diagnostic: error, reason })] : null;
}

/**
 * Each format reads the notification text, of a mail system's report only (mail-system.ts): a
 * person's forward of a notice names no recipient.
 */
const FORMATS: readonly ((text: string, lower: string, mail: MailView) => Notice[] | null)[] = [
  mfilter, mailfoundry, mailmarshal, interscan, mcafee, mimecast, apacheJames, zoho, returnedErrors, deliveryFailedLines, lsmtp, mms,
];

export const appliances: MtaDecoder = {
  name: 'gateway',
  decode(mail) {
    if (!fromMailSystem(mail)) return null;
    for (const f of FORMATS) {
      const found = f(mail.text, mail.lower, mail);
      if (found && found.length > 0) return found;
    }
    return null;
  },
};
