/**
 * Complaint reports: RFC 5965 ARF (message/feedback-report) and Microsoft's JMRP/SNDS format,
 * which is a plain message/rfc822 attachment marked with X-HmXmrOriginalRecipient.
 *
 * The complaining recipient comes from the report's own fields (Original-Rcpt-To, RFC 6650
 * Removal-Recipient) when they are there; otherwise from the To of the returned message, and
 * only when it names exactly one address that is not the sender's own: a complaint must never
 * suppress a bystander.
 */
import type { MailView } from './mime.js';
import { addressIn, addressesIn, headerIn, parseFields } from './text.js';
import type { Complaint } from './types.js';

/** RFC 5965 §7.3 registry and common extensions; anything else is kept lower-cased as given. */
const FEEDBACK_TYPE = /^[a-z][a-z0-9-]*$/;

/** Quoted display names and comments, which may look like addresses ("\"john@x\" <jane@y>"). */
const NAMES_AND_COMMENTS = /"(?:[^"\\\n]|\\.)*"|\([^()\n]*\)/g;

/**
 * The feedback type token of a Feedback-Type value: the field allows comments around the token
 * ("not-spam (moved back to the inbox)"), which must not turn a known type into no type at all.
 */
function feedbackTypeOf(value: string | null): string | null {
  if (value === null) return null;
  const token = value.replace(NAMES_AND_COMMENTS, ' ').trim().toLowerCase().split(/[\s;,]+/)[0] ?? '';
  return FEEDBACK_TYPE.test(token) ? token : null;
}

/** The one address a header names, or null (none, or several). */
function single(header: string | null): string | null {
  if (header === null) return null;
  const found = [...new Set(addressesIn(header.replace(NAMES_AND_COMMENTS, ' ')).map((a) => a.toLowerCase()))];
  return found.length === 1 ? found[0]! : null;
}

/**
 * The To of the reported message, when it is the one who complained: not one of the sender's
 * own addresses (the message's From, Sender or Return-Path, the report's Original-Mail-From) nor
 * the feedback loop's mailbox the report was sent to.
 */
function reportedTo(mail: MailView, head: string, originalMailFrom: string | null): string | null {
  const to = single(headerIn(head, 'to'));
  if (to === null) return null;
  const own = [headerIn(head, 'from'), headerIn(head, 'sender'), headerIn(head, 'return-path'), originalMailFrom, mail.header('to')]
    .map((v) => addressIn(v)?.toLowerCase() ?? null);
  return own.includes(to) ? null : to;
}

export function decodeArf(mail: MailView): Complaint[] | null {
  if (mail.feedbackReports.length === 0) return null;
  const out: Complaint[] = [];
  for (const report of mail.feedbackReports) {
    const fields = parseFields(report);
    const get = (name: string) => fields.find((f) => f.name === name)?.value.replace(/\s+/g, ' ') ?? null;
    const feedbackType = feedbackTypeOf(get('feedback-type'));
    const date = get('arrival-date') ?? get('received-date');
    const listed = fields
      .filter((f) => f.name === 'original-rcpt-to' || f.name === 'removal-recipient')
      .map((f) => addressIn(f.value))
      .filter((a): a is string => a !== null);
    const recipients = listed.length > 0 ? listed : [];
    if (recipients.length === 0 && mail.returnedHead !== null) {
      const to = reportedTo(mail, mail.returnedHead, get('original-mail-from'));
      if (to !== null) recipients.push(to);
    }
    for (const recipient of new Set(recipients)) out.push({ recipient, feedbackType, date });
  }
  return out;
}

/** Microsoft JMRP: the reported message comes back whole, its recipient in a header of its own. */
export function decodeJmrp(mail: MailView): Complaint[] | null {
  // A delivery status notification that returns a message once handled by Hotmail is a bounce.
  if (mail.deliveryStatus.length > 0) return null;
  const block = mail.returnedHead;
  // Only the header block is looked at: the recipient is a header there, never a line below it.
  if (block === null || !/x-hmxmroriginalrecipient\s*:/i.test(block)) return null;
  const recipient = addressIn(headerIn(block, 'x-hmxmroriginalrecipient'));
  if (recipient === null) return null;
  // The report's own Date (when the complaint was made) is the event time, not the original's.
  return [{ recipient, feedbackType: 'abuse', date: null }];
}
