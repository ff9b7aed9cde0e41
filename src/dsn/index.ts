/**
 * Raw bounce emails → canonical events (SPEC §1 `POST /webhooks/dsn`, the email() handler and
 * `rebote inspect`). The order of the decoders is the policy:
 *
 * 1. complaint reports (RFC 5965 ARF, Microsoft JMRP): one `complained` event per reported address;
 * 2. unsubscribe requests a mail client sends to a List-Unsubscribe mailto address: one
 *    `unsubscribed` event for their sender (see unsubscribe.ts);
 * 3. Amazon SNS notifications delivered by email (an SES bounce/delivery JSON in the body);
 * 4. RFC 3464 delivery status parts (or report fields pasted into the text), completed by the
 *    text decoder of the MTA that wrote the email where the report lacks the remote's words;
 * 5. one decoder per non-standard MTA format (qmail, Exim, Postfix, Sendmail, Exchange, Gmail...);
 * 6. the X-Failed-Recipients header, when nothing else named a recipient;
 * 7. a delivery status notification with no per-recipient block at all: the one mailbox the
 *    returned message was addressed to (see soleReturnedRecipient);
 * 8. anything else, auto-replies included, is not a bounce: no events, counted as ignored.
 *
 * A recipient is only ever taken from a place where its format puts failed recipients, never
 * from free text, so the sender, postmaster or a quoted address is never reported as bounced.
 * The returned message is read for a recipient only in case 7, where the report itself says
 * that message failed and names nobody else.
 */
import type { ParseResult } from '../core/event.js';
import { normalizeAddress } from '../core/address.js';
import { storableIso } from '../core/time.js';
import { matchCommand } from '../catalog/text-patterns.js';
import { parseSesMessage } from '../providers/ses/parse.js';
import { decodeArf, decodeJmrp } from './arf.js';
import { isAutoReply } from './autoreply.js';
import { fromMailSystem } from './mail-system.js';
import { bounceEvents, complaintEvents, firstTraceTime, traceDate, unsubscribeEvents, type EventContext } from './events.js';
import { contentKey } from './hash.js';
import { splitMbox } from './mbox.js';
import { readMail, withoutLeadingBlankLines, type MailView } from './mime.js';
import { MTA_DECODERS } from './mta/index.js';
import { labelled as labelledLines } from './mta/labelled.js';
import { parseDeliveryStatus, reportInText } from './rfc3464.js';
import { addressesIn, addressesOfList, parseFields } from './text.js';
import { notice, type Notice } from './types.js';
import { unsubscribeRequester } from './unsubscribe.js';

export type { MailView } from './mime.js';

export interface ParseOptions {
  /** When the email was received (ISO 8601); used only when the email itself carries no date. */
  receivedAt?: string | null;
}

/** A parse result with the name of the format that decided it (for `inspect` and scoring). */
export interface BounceParse extends ParseResult {
  /** 'arf', 'jmrp', 'ses-sns', 'rfc3464', 'rfc3464+<mta>', '<mta>', 'x-failed-recipients', 'autoreply' or 'none'. */
  format: string;
}

/** A file's emails (one, or the messages of a mailbox file): `format` of them all, and of each event. */
export interface FileParse extends BounceParse {
  messages: number;
  /** The format of the message each event came from, in the order of `events`. */
  eventFormats: string[];
}

const empty = (format: string, ignored = 1): BounceParse => ({ events: [], ignored, rejected: 0, format });

/** Parses raw email bytes (any line endings, charset or transfer encoding) into canonical events. */
export async function parseBounceEmail(raw: Uint8Array, opts: ParseOptions = {}): Promise<BounceParse> {
  const mail = await readMail(raw);
  // Only needed for an email without a Message-ID: made when asked.
  let key: string | undefined;
  const keyOf = () => (key ??= contentKeyOf(mail));
  const result = decodeMail(mail, { mail, get contentKey() { return keyOf(); }, receivedAt: opts.receivedAt ?? null });
  if (result.events.length > 0 || result.rejected > 0 || !wrapsReport(mail)) return result;
  // A relay or filter that forwards the real report as an attachment (its own text names no
  // recipient): the attached report is decoded instead, once, never deeper.
  const inner = await readMail(encoder.encode(mail.returned!));
  const nested = decodeMail(inner, { mail: inner, get contentKey() { return keyOf(); }, receivedAt: opts.receivedAt ?? null });
  return nested.events.length > 0 ? { ...nested, format: `wrapped:${nested.format}` } : result;
}

/**
 * A file of emails, for the command line and scoring: one email, or a mailbox file (mbox) read
 * message by message, whose events are given together (the same events of a message saved twice
 * once). The Worker takes one email per request and never splits one (see mbox.ts).
 */
export async function parseEmailFile(file: Uint8Array, opts: ParseOptions = {}): Promise<FileParse> {
  const raw = withoutLeadingBlankLines(file);
  const messages = splitMbox(raw);
  if (messages.length === 1) {
    const one = await parseBounceEmail(raw, opts);
    return { ...one, messages: 1, eventFormats: one.events.map(() => one.format) };
  }
  const all: FileParse = { events: [], ignored: 0, rejected: 0, format: '', messages: messages.length, eventFormats: [] };
  const formats = new Set<string>();
  const ids = new Set<string>();
  for (const message of messages) {
    const one = await parseBounceEmail(message, opts);
    formats.add(one.format);
    all.ignored += one.ignored;
    all.rejected += one.rejected;
    for (const e of one.events) {
      if (ids.has(e.id)) continue;
      ids.add(e.id);
      all.events.push(e);
      all.eventFormats.push(one.format);
    }
  }
  all.format = [...formats].join(',');
  return all;
}

const encoder = new TextEncoder();

/**
 * The identity of an email without a Message-ID: a hash of what it says (sender, recipient,
 * subject, date, text, report parts, returned message), not of its bytes. The same bounce piped in with LF line
 * ends, received by Email Routing with CRLF, in another transfer encoding or behind a relay's
 * added trace headers is one email, and its events are duplicates the second time, not new
 * bounces (three copies of one soft bounce would otherwise reach SOFT_BOUNCE_LIMIT).
 */
function contentKeyOf(mail: MailView): string {
  // Who it went to and its first relay's time tell apart separate bounces that say the same
  // words (a mailbox full on three days, to three VERP addresses); both survive a relay's added
  // trace. Of the returned message, its headers: they name it, and a body can be megabytes.
  const said = [
    mail.from, mail.to.join(','), mail.asRead.subject, mail.date ?? firstTraceTime(mail) ?? '', mail.asRead.text,
    ...mail.deliveryStatus, ...mail.feedbackReports, mail.returnedHead ?? mail.returned ?? '',
  ];
  return contentKey(encoder.encode(said.join('\u0000')));
}

/** Whether the attached message is itself a delivery report (multipart/report or a DSN part). */
function wrapsReport(mail: MailView): boolean {
  return mail.returned !== null && !isAutoReply(mail) && fromMailSystem(mail) && isReport(mail.returned);
}

function isReport(message: string): boolean {
  return /^content-type:\s*multipart\/report/im.test(message.slice(0, 4096)) || /^content-type:\s*message\/delivery-status/im.test(message);
}

/** The SNS email of an SES notification: the JSON message, then SNS's unsubscribe footer. */
function snsNotification(mail: MailView): string | null {
  if (!mail.from.endsWith('@sns.amazonaws.com')) return null;
  // From the first line that opens the JSON: a gateway may put a banner above it ("You don't
  // often get email from ...", "CAUTION: external sender"). JSON.parse decides the rest.
  const start = /^[ \t]*\{/m.exec(mail.text)?.index;
  if (start === undefined) return null;
  const end = mail.text.lastIndexOf('}');
  return end > start ? mail.text.slice(start, end + 1).trim() : null;
}

const key = (address: string) => normalizeAddress(address) ?? address.toLowerCase();

/**
 * A Diagnostic-Code with no words (a local mailer's exit status, "X-Unix; 77") says less than
 * the transcript in the human-readable part.
 */
function wordless(diagnostic: string | null): boolean {
  return diagnostic === null || !/[A-Za-z]{3,}/.test(diagnostic);
}

/** The text decoder's notices fill what the report lacks (remote's words, SMTP command). */
function complete(report: Notice[], mail: MailView): string | null {
  const needs = report.some((n) => wordless(n.diagnostic) || n.command === null);
  if (!needs) return null;
  for (const decoder of MTA_DECODERS) {
    const found = decoder.decode(mail);
    if (!found || found.length === 0) continue;
    const byRecipient = new Map(found.map((n) => [key(n.recipient), n]));
    // One recipient each side under different spellings (an alias, a pipe): the same failure.
    const single = found.length === 1 && report.length === 1 && decoder !== labelledLines ? found[0]! : null;
    for (const n of report) {
      const named = byRecipient.get(key(n.recipient));
      // The report names the alias or list the sender wrote to, the text the member generated
      // from it that failed (Exim with DSN): the alias only stands in for that member.
      const members = named ? [] : found.filter((f) => f.parent && key(f.parent) === key(n.recipient));
      if (members.length > 0) n.standIn = true;
      const t = named ?? (members.length === 1 ? members[0]! : single);
      if (!t) continue;
      // The text says this address only stands in for one it hides (Exim's undisclosed address).
      if (named?.standIn) n.standIn = true;
      if (wordless(n.diagnostic) && !wordless(t.diagnostic)) {
        n.diagnostic = t.diagnostic;
        n.reply = t.reply;
        n.local = t.local ?? false;
      }
      if (n.diagnostic === null) n.local = t.local ?? false;
      n.diagnostic ??= t.diagnostic;
      // Postfix and sendmail name the refused command only in their own text.
      n.command ??= t.command ?? (t.diagnostic ? matchCommand(t.diagnostic.toLowerCase()) : null);
      n.reason ??= t.reason ?? null;
    }
    return decoder.name;
  }
  return null;
}

/** Decodes an already parsed email. Pure and synchronous. */
export function decodeMail(mail: MailView, ctx: EventContext): BounceParse {
  const complaints = decodeArf(mail) ?? decodeJmrp(mail);
  if (complaints !== null) {
    const result = empty(mail.feedbackReports.length > 0 ? 'arf' : 'jmrp', 0);
    complaintEvents(ctx, complaints, result);
    if (result.events.length === 0 && result.rejected === 0) result.ignored = 1;
    return result;
  }

  const requester = unsubscribeRequester(mail);
  if (requester !== null) {
    const result = empty('unsubscribe', 0);
    unsubscribeEvents(ctx, requester, result);
    if (result.events.length === 0 && result.rejected === 0) result.ignored = 1;
    return result;
  }

  const sns = snsNotification(mail);
  if (sns !== null) {
    const parsed = parseSesMessageSafely(sns, storableIso(mail.date) ?? traceDate(mail, ctx.receivedAt) ?? ctx.receivedAt ?? new Date(0).toISOString());
    if (parsed !== null) return { ...parsed, format: 'ses-sns' };
  }

  const report = !fromMailSystem(mail) ? null : mail.deliveryStatus.length > 0 ? parseDeliveryStatus(mail.deliveryStatus) : reportInText(mail.text);
  if (report !== null && report.notices.length > 0) {
    const helper = complete(report.notices, mail);
    for (const n of report.notices) n.diagnostic ??= n.statusComment ?? null;
    const result = empty(helper ? `rfc3464+${helper}` : 'rfc3464', 0);
    bounceEvents(ctx, report.notices, report.arrival, result);
    return result;
  }

  for (const decoder of MTA_DECODERS) {
    const notices = decoder.decode(mail);
    if (notices === null || notices.length === 0) continue;
    const result = empty(decoder.name, 0);
    bounceEvents(ctx, notices, null, result);
    return result;
  }

  // An MTA header (Exim, Google): vacation programs do not write it, so no auto-reply check here
  // (Exim marks its own bounces Auto-Submitted: auto-replied); but anyone can write a header, so
  // only a mail system's is believed.
  const failed = fromMailSystem(mail) ? addressesOfList(mail.headers('x-failed-recipients')) : [];
  if (failed.length > 0) {
    const result = empty('x-failed-recipients', 0);
    bounceEvents(ctx, failed.map((r) => notice(r)), null, result);
    return result;
  }

  const sole = soleReturnedRecipient(mail);
  if (sole !== null) {
    const result = empty('rfc3464-returned-to', 0);
    bounceEvents(ctx, [notice(sole, { action: delayNotice(mail) ? 'delayed' : null })], null, result);
    if (result.events.length > 0 || result.rejected > 0) return result;
  }

  return empty(isAutoReply(mail) ? 'autoreply' : 'none');
}

const RECIPIENT_FIELD = /^[ \t]*(?:final|original)-recipient[ \t]*:/im;
const DELAY_WORDS = /\bdelayed\b|still being retried|will (?:be retried|keep trying|continue trying)|not yet been delivered/i;

/**
 * A delivery status notification (a message/delivery-status part) without a single
 * per-recipient block names nobody, though RFC 3464 requires at least one; Postfix sends such a
 * report when it has lost its delivery log ("Delivery report unavailable"). The report still
 * says that the attached message was not delivered. When that message was addressed to exactly
 * one mailbox (its To and Cc headers together name one address), that mailbox is the recipient
 * that failed. With several, which one failed is unknown, and the address the bounce itself is
 * sent to is the sender's own: nothing is reported then. The event carries no code and no
 * words, so the classifier decides no class: it never suppresses at once, and counts toward the
 * soft-bounce limit like any bounce nobody can read. Only a mail system's report counts: a
 * person's out-of-office reply can carry such a part and the message it answers.
 */
export function soleReturnedRecipient(mail: MailView): string | null {
  if (mail.deliveryStatus.length === 0 || mail.returned === null || !fromMailSystem(mail)) return null;
  if (mail.deliveryStatus.some((body) => RECIPIENT_FIELD.test(body))) return null;
  // A report about a report (a relay bouncing a bounce): its To is the original sender.
  if (isReport(mail.returned)) return null;
  const addresses = new Set<string>();
  for (const f of parseFields(mail.returnedHead!)) {
    if (f.name !== 'to' && f.name !== 'cc') continue;
    for (const a of addressesIn(f.value)) addresses.add(key(a));
  }
  if (addresses.size !== 1) return null;
  const sole = [...addresses][0]!;
  // The bounce goes back to the sender: a message the sender had sent to itself proves nothing.
  return mail.to.some((a) => key(a) === sole) ? null : sole;
}

/** Whether the notification says the message is still being retried (a delay warning). */
function delayNotice(mail: MailView): boolean {
  return DELAY_WORDS.test(mail.subject) || DELAY_WORDS.test(mail.text.slice(0, 4096));
}

function parseSesMessageSafely(message: string, fallback: string): ParseResult | null {
  // Sendmail-style relays break lines longer than 990 octets with "!", a line end and a space.
  for (const text of [message, message.replace(/![ \t]*\n /g, '')]) {
    try {
      const envelope = snsEnvelope(text);
      const parsed = envelope !== null ? parseSesMessage(envelope.message, envelope.timestamp ?? fallback) : parseSesMessage(text, fallback);
      if (parsed.events.length > 0) return parsed;
    } catch {
      // not SES JSON after all: fall through to the other decoders
    }
  }
  return null;
}

/**
 * An SNS subscription of the "email-json" kind mails the whole SNS envelope, with the SES
 * notification as its Message string; a plain "email" subscription mails the notification itself.
 */
function snsEnvelope(text: string): { message: string; timestamp: string | null } | null {
  if (!text.includes('"Type"')) return null;
  const outer: unknown = JSON.parse(text);
  if (typeof outer !== 'object' || outer === null) return null;
  const { Type, Message, Timestamp } = outer as Record<string, unknown>;
  if (Type !== 'Notification' || typeof Message !== 'string') return null;
  // A Timestamp that is not a date leaves the email's own Date to stand in.
  return { message: Message, timestamp: typeof Timestamp === 'string' && !Number.isNaN(Date.parse(Timestamp)) ? Timestamp : null };
}
