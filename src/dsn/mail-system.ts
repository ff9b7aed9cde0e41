/**
 * Whether an email is a mail system's report, for the loose decoders (line labels, listed
 * recipients) whose sentences a person could also write or forward. A report comes from
 * postmaster or MAILER-DAEMON, says in its subject that delivery failed, or is itself a delivery
 * report (RFC 6522 multipart/report with a delivery-status part, which only mail systems write;
 * a person's forward wraps one in another message); a person's forward or reply of a bounce
 * ("Fwd: Undeliverable: ...") and a vacation reply are not reports.
 */
import { hasVacationSigns } from './autoreply.js';
import type { MailView } from './mime.js';

const SYSTEM_LOCAL_PART = /^(?:postmaster|mailer-daemon|mail-daemon|mailerdaemon)$/;
/** A subject that says delivery failed, in English or in the words of Exchange's localized reports. */
const BOUNCE_SUBJECT = /undeliver|returned mail|failure|failed|not delivered|delivery (?:status|problem|notification)|non-?delivery|error|unzustellbar|non remis|no se puede entregar|non recapitabile|onbestelbaar|n[aã]o (?:[eé] poss[ií]vel )?entreg/i;
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

export function fromMailSystem(mail: MailView): boolean {
  if (isSystemAddress(mail.from)) return true;
  if (mail.contentType === 'multipart/report' && mail.deliveryStatus.length > 0 && !REPLY_OR_FORWARD.test(mail.subject)) return true;
  // Not isAutoReply: MTAs (Exim, MDaemon) mark their own bounces "Auto-Submitted: auto-replied".
  return BOUNCE_SUBJECT.test(mail.subject) && !REPLY_OR_FORWARD.test(mail.subject) && !hasVacationSigns(mail);
}
