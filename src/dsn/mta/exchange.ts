/**
 * Microsoft Exchange non-delivery reports, in every language they are written in (the layout,
 * not the wording, is what is read):
 *
 * - Exchange 2007 and later, Exchange Online / Office 365, Outlook.com: a "Diagnostic
 *   information for administrators" section where each recipient is an address alone on a line,
 *   followed by the remote's reply: "#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##" or
 *   "Remote Server returned '550 5.1.10 ...'". When that section is missing, the first list
 *   ("Delivery has failed to these recipients or groups:") names them as "Name<mailto:a@b>".
 * - Exchange 5.5 to 2003: "did not reach the following recipient(s):", then "a@b on <date>" and
 *   indented lines with the reason and an "MSEXCH:IMS:..." line whose hex code names the cause.
 */
import type { BounceReason } from '../../core/event.js';
import { fromMailSystem } from '../mail-system.js';
import type { MailView } from '../mail-view.js';
import type { MtaDecoder, Notice } from '../types.js';
import { notice } from '../types.js';
import { addressLine, joinLines } from '../text.js';

/** The remote's reply in the administrators' section. */
// Only tested, so no trailing .*$; the leading white space only in front of the first three
// forms, whose words cannot start with it (as one regex they backtracked quadratically).
const MS_REPLY = /^(?:\s*(?:#\s*\d{3}[ -]\d\.\d{1,3}\.\d{1,3}\b|#\s*\d\.\d{1,3}\.\d{1,3}\b|Remote Server (?:at [^\n]*?\S )?\s*returned\s+')|.*\b\d\.\d{1,3}\.\d{1,3} (?:smtp;|(?:RESOLVER|QUEUE|ROUTING|STOREDRV|SMTPSEND)\.))/i;
const MAILTO = /<mailto:([^<>\s@]+@[^<>\s]+)>/i;
// In English ("Your message to" also reads "mx.example.org rejected your message to the following
// email addresses:"), French ("Échec de la remise pour ces destinataires ou groupes :", a space
// before the colon) and Italian ("Il recapito non è riuscito per i seguenti destinatari o gruppi:").
const FIRST_LIST = /(?:Delivery has failed to these recipients or (?:groups|distribution lists)|Your message (?:to|couldn't be delivered to)[^\n]*|The following recipient\(s\) cannot be reached|[ÉE]chec de la remise pour ces destinataires ou groupes|Il recapito non è riuscito per i seguenti destinatari o gruppi)[ \t]*(?::[ \t]*)?$/im;
const ORIGINAL = /^(?:Original message headers|En-têtes de message d'origine|Ursprüngliche Nachrichtenkopfzeilen|Encabezados del mensaje original|Intestazioni (?:messaggio originale|originali del messaggio)|Ursprungshuvuden)[ \t]*(?::[ \t]*)?$/im;

const LEGACY_START = /did not reach the following recipient\(s\):[ \t]*$/im;
/** "a@b on <date>" (no "@" in either half, so a long line of them is read in linear time). */
const LEGACY_RECIPIENT = /^\s*([^\s<>";@]+@[^\s<>";@]+);?\s+on\s+\S.*$/;
/** Exchange 5.5 writes an X.400 address there: "c=US;a= ;p=Org;o=Site;dda:SMTP=a@b; on <date>". */
const X400_DDA = /\bdda:(?:smtp|rfc-822)=/i;

function legacyRecipient(line: string): string | null {
  const dda = X400_DDA.exec(line);
  return LEGACY_RECIPIENT.exec(dda ? line.slice(dda.index + dda[0].length) : line)?.[1] ?? null;
}
/** Exchange 2000/2003 NDR codes (the hex in "MSEXCH:IMS:... (000C05A6)") whose cause is clear. */
const LEGACY_CODES: Readonly<Record<string, BounceReason>> = {
  '000C05A6': 'userunknown', // unknown recipient
  '00120270': 'networkerror', // too many hops (a mail loop)
};

function legacy(text: string, lower: string): Notice[] {
  if (!lower.includes('did not reach the following recipient(s):')) return [];
  const start = LEGACY_START.exec(text);
  if (!start) return [];
  const out: Notice[] = [];
  let current: { recipient: string; lines: string[] } | null = null;
  const flush = () => {
    if (!current) return;
    const diagnostic = joinLines(current.lines);
    const code = /\(([0-9A-F]{8})\)/.exec(diagnostic)?.[1];
    out.push(notice(current.recipient, { diagnostic: diagnostic || null, reason: code !== undefined && Object.hasOwn(LEGACY_CODES, code) ? LEGACY_CODES[code]! : null }));
    current = null;
  };
  let blank = 0;
  for (const line of text.slice(start.index + start[0].length).split('\n')) {
    const recipient = legacyRecipient(line);
    if (recipient !== null) {
      flush();
      current = { recipient, lines: [] };
      blank = 0;
    } else if (line.trim() === '') {
      if (current) flush();
      if (++blank > 2 && out.length > 0) break;
    } else if (current) {
      current.lines.push(line);
    } else if (out.length > 0) {
      break;
    }
  }
  flush();
  return out;
}

/** Every line MS_REPLY matches holds a "#" or one of these words: a text without any has no reply line. */
const MS_WORDS = /#|remote server|smtp;|resolver\.|queue\.|routing\.|storedrv\.|smtpsend\./i;

/** A line that is a host name alone: the remote server, between the address and its reply. */
const HOST_LINE = /^[ \t]*[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+\.?[ \t]*$/;

/**
 * Recipients of the administrators' section: an address line, then the remote's reply, which
 * Exchange 2013 and later precede with the remote server's name on a line of its own:
 *
 *   jane@example.org
 *   mx.example.org
 *   Remote Server returned '550 5.1.1 User unknown'
 */
function diagnosticSection(text: string): Notice[] {
  if (!MS_WORDS.test(text)) return [];
  const lines = text.split('\n');
  const out: Notice[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!MS_REPLY.test(lines[i]!)) continue;
    let j = i - 1;
    while (j >= 0 && lines[j]!.trim() === '') j--;
    if (j > 0 && HOST_LINE.test(lines[j]!)) j--;
    const address = j >= 0 ? addressLine(lines[j]!.replace(MAILTO, ' <$1>')) ?? mailto(lines[j]!) : null;
    if (address === null) continue;
    const reply = [lines[i]!];
    // Replies wrap onto following lines until a blank one.
    for (let k = i + 1; k < lines.length && lines[k]!.trim() !== '' && !addressLine(lines[k]!); k++) reply.push(lines[k]!);
    out.push(notice(address, { diagnostic: joinLines(reply).replace(/^#\s*/, '').replace(/\s*##\s*$/, '') }));
  }
  return out;
}

function mailto(line: string): string | null {
  return MAILTO.exec(line)?.[1] ?? null;
}

/** The first list: "Name<mailto:a@b>" or a bare address per line, up to the first paragraph. */
function firstList(text: string): Notice[] {
  const start = FIRST_LIST.exec(text);
  if (!start) return [];
  const out: Notice[] = [];
  const rest = text.slice(start.index + start[0].length).split('\n');
  let i = 0;
  while (i < rest.length && rest[i]!.trim() === '') i++;
  for (; i < rest.length; i++) {
    const line = rest[i]!;
    const address = mailto(line) ?? addressLine(line);
    if (address === null) break;
    // The sentence after the address explains the failure.
    const explanation = rest[i + 1] && !mailto(rest[i + 1]!) && !addressLine(rest[i + 1]!) ? rest[i + 1]! : '';
    out.push(notice(address, { diagnostic: explanation.trim() || null }));
    if (explanation) i++;
  }
  return out;
}

/**
 * Office 365's newer notice (also Azure Communication Services'), read without its report part:
 *
 *   Original Message Details
 *   Created Date:   9/23/2026 9:15:36 AM
 *   Sender Address: hello@example.com
 *   Recipient Address:      bounce@example.org
 *
 *   Error Details
 *   Error:  554 5.7.1 Message rejected due to local policy ...
 *   Message rejected by:    mx.example.org
 */
const DETAILS = /^[ \t]*Original Message Details[ \t]*$/m;
const RECIPIENT_ADDRESS = /^[ \t]*Recipient Address:[ \t]*(\S+)[ \t]*$/m;
const ERROR_DETAILS = /^[ \t]*Error Details[ \t]*$/m;
const ERROR_LINE = /^[ \t]*(?:Reported )?error:[ \t]*(\S.*)$/im;

function messageDetails(head: string): Notice[] {
  const details = DETAILS.exec(head);
  if (details === null) return [];
  const block = head.slice(details.index);
  const recipient = addressLine(RECIPIENT_ADDRESS.exec(block)?.[1] ?? '');
  if (recipient === null) return [];
  // The reply is under the "Error Details" heading, not anywhere in the text after it.
  const section = ERROR_DETAILS.exec(block);
  const errors = section === null ? '' : block.slice(section.index);
  const error = ERROR_LINE.exec(errors);
  if (error === null) return [notice(recipient)];
  // The reply wraps onto following lines, up to an empty line or the next "Label:" line.
  const lines = [error[1]!];
  for (const line of errors.slice(error.index + error[0].length + 1).split('\n')) {
    if (line.trim() === '' || /^[ \t]*[A-Za-z][A-Za-z ]{0,30}:[ \t]/.test(line)) break;
    lines.push(line);
  }
  return [notice(recipient, { diagnostic: joinLines(lines) })];
}

/**
 * Exchange's delay notice: its subject prefix "Delivery delayed:" and its headline "Delivery is
 * delayed to these recipients or groups:" (an NDR's subject goes on with the original subject,
 * which may say anything about delays).
 */
const DELAYED_SUBJECT = /^\s*delivery delayed\s*:/i;
const DELAYED = /delivery is delayed to these recipients or (?:groups|distribution lists)|hasn't been delivered yet/i;
/** Its relay notice: "Delivery to these recipients or groups is complete, but no delivery notification was sent". */
const RELAYED = /delivery to these recipients or (?:groups|distribution lists) is complete/i;

/** The notices as the report's kind says: a delay or a relay notice is no failure. */
function asReported(notices: Notice[], mail: MailView, head: string): Notice[] {
  // Its headline opens the notice; the remote's words further down are about something else.
  const top = head.slice(0, 600);
  const action = RELAYED.test(top) ? 'relayed' : DELAYED_SUBJECT.test(mail.subject) || DELAYED.test(top) ? 'delayed' : null;
  if (action !== null) for (const n of notices) n.action ??= action;
  return notices;
}

export const exchange: MtaDecoder = {
  name: 'exchange',
  decode(mail) {
    if (!fromMailSystem(mail)) return null;
    const old = legacy(mail.text, mail.lower);
    if (old.length > 0) return old;
    const original = ORIGINAL.exec(mail.text);
    const head = original ? mail.text.slice(0, original.index) : mail.text;
    const admin = diagnosticSection(head);
    if (admin.length > 0) return asReported(admin, mail, head);
    const detailed = messageDetails(head);
    if (detailed.length > 0) return asReported(detailed, mail, head);
    // The first list alone only counts in a message that says it is an Exchange NDR.
    const isExchange = mail.header('x-ms-exchange-message-is-ndr') !== null ||
      mail.headers('x-mailer').some((v) => /Microsoft Exchange/i.test(v)) ||
      /Microsoft Exchange|Generating server:/i.test(head);
    if (!isExchange) return null;
    const listed = firstList(head);
    return listed.length > 0 ? asReported(listed, mail, head) : null;
  },
};
