/**
 * Whether an email is a mail system's report, not a person's mail that quotes one: asked before
 * any bounce format is read. A report comes from postmaster, MAILER-DAEMON or Exchange's own
 * sender, carries Exchange's NDR header, is itself a delivery report (RFC 6522 multipart/report
 * with a delivery-status part, which only mail systems write; a person's forward wraps one in
 * another message), says in its subject that delivery failed, or was sent with the null reverse
 * path. A person's forward or reply of a bounce ("Fwd: Undeliverable: ...") and a vacation reply
 * are not reports.
 */
import { hasVacationHeaders, hasVacationSigns } from './autoreply.js';
import type { MailView } from './mime.js';

/** Mail systems' own senders; Exchange sends its reports as MicrosoftExchange<32 hex digits>. */
const SYSTEM_LOCAL_PART = /^(?:postmaster|mailer-daemon|mail-daemon|mailerdaemon|microsoftexchange[0-9a-f]{32})$/;
/**
 * A subject that says delivery failed, in English or in the words of Exchange's localized reports
 * (German, French, Spanish, Italian, Dutch, Portuguese, Swedish, Danish/Norwegian, Polish, Japanese).
 */
const BOUNCE_SUBJECT = /undeliver|returned mail|failure|failed|not delivered|could not be delivered|unable to deliver|delivery (?:status|problem|notification|report)|non-?deliver|error|unzustellbar|non remis|no se puede entregar|non recapitabile|onbestelbaar|n[aã]o (?:[eé] poss[ií]vel )?entreg|ej levererbart|kan ikke leveres|niedostarczalne|配信不能/i;
/** The same words opening the subject: what follows them is the original message's subject. */
const BOUNCE_SUBJECT_FIRST = new RegExp(`^\\s*(?:${BOUNCE_SUBJECT.source})`, 'i');
/** The null reverse path, which mail systems send their reports with (RFC 5321 §4.5.5). */
const NULL_SENDER = /^\s*<\s*>\s*$/;
/**
 * Reply and forward marks of common mail programs: "Re:", "Fwd:", "Fw:", "AW:", "WG:", "TR:",
 * "SV:", "VS:", "RV:", "ENC:", "Antw:", "Odp:", "R:", "RIF:" in front, "[Fwd: ...]", "... (fwd)".
 */
const REPLY_OR_FORWARD = /^\s*(?:(?:re|fwd?|aw|wg|tr|sv|vs|rv|enc|antw|odp|r|rif)\s*(?:\[\d+\]\s*)?:|\[fwd?:)|\(fwd?\)\s*$/i;

/** Whether an address is a mail system's own (postmaster, MAILER-DAEMON), not a person's. */
export function isSystemAddress(address: string): boolean {
  const at = address.lastIndexOf('@');
  return SYSTEM_LOCAL_PART.test((at < 0 ? address : address.slice(0, at)).toLowerCase());
}

/** Each email's answer, asked by several decoders in turn. */
const answers = new WeakMap<MailView, boolean>();

export function fromMailSystem(mail: MailView): boolean {
  let answer = answers.get(mail);
  if (answer === undefined) {
    answer = judge(mail);
    answers.set(mail, answer);
  }
  return answer;
}

function judge(mail: MailView): boolean {
  // "From: MAILER-DAEMON (Mail Delivery System)": a name and no address.
  if (isSystemAddress(mail.from) || (mail.from === '' && isSystemAddress(mail.fromName.trim()))) return true;
  if (mail.header('x-ms-exchange-message-is-ndr') !== null) return true;
  const forwarded = REPLY_OR_FORWARD.test(mail.subject);
  if (forwarded) return false;
  if (mail.contentType === 'multipart/report' && mail.deliveryStatus.length > 0) return true;
  // Not isAutoReply: MTAs (Exim, MDaemon) mark their own bounces "Auto-Submitted: auto-replied".
  // Nor the vacation words of a subject that opens with a bounce's: they are the original's.
  const vacation = BOUNCE_SUBJECT_FIRST.test(mail.subject) ? hasVacationHeaders(mail) : hasVacationSigns(mail);
  if (vacation) return false;
  return BOUNCE_SUBJECT.test(mail.subject) || NULL_SENDER.test(mail.header('return-path') ?? '');
}
