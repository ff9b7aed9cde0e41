/**
 * RFC 3834 automatic responses (out-of-office, vacation, "auto reply"): never a bounce. They are
 * recognised so they can be counted as ignored, and checked only after the bounce decoders,
 * because MTAs mark their own bounces "Auto-Submitted: auto-replied" too (Exim does).
 */
import type { MailView } from './mime.js';

/** Header signals used by vacation programs and mail services besides RFC 3834's own. */
const FLAG_HEADERS = ['x-autoreply', 'x-autorespond', 'x-autoresponse', 'x-auto-reply', 'x-vacation'];

const AUTO_SUBJECT = new RegExp([
  /^(?:auto(?:matic)?[- ]?(?:reply|response|antwort|risposta)|autoreply|autoresponse)\b/.source,
  /\bout of (?:the )?office\b/.source,
  /\bon vacation\b/.source,
  /^vacation\b/.source,
  /^away\b/.source,
  /\babwesenheits?(?:notiz|nachricht)\b/.source,
  /^r[ée]ponse automatique\b/.source,
  /^respuesta autom[áa]tica\b/.source,
  /^resposta autom[áa]tica\b/.source,
  /^absence\b/.source,
].join('|'), 'i');

export function isAutoReply(mail: MailView): boolean {
  const submitted = mail.header('auto-submitted')?.toLowerCase() ?? '';
  return submitted.startsWith('auto-replied') || hasVacationSigns(mail);
}

/**
 * The signs of a person's automatic answer besides RFC 3834's Auto-Submitted, which mail systems
 * put on their own bounces too: vacation headers and subjects.
 */
export function hasVacationSigns(mail: MailView): boolean {
  return hasVacationHeaders(mail) || AUTO_SUBJECT.test(mail.subject.trim());
}

/** hasVacationSigns without the subject (a bounce's subject quotes the original one). */
export function hasVacationHeaders(mail: MailView): boolean {
  for (const name of FLAG_HEADERS) {
    const v = mail.header(name);
    if (v !== null && !/^\s*(?:no|false|0)\s*$/i.test(v)) return true;
  }
  if (/^auto_reply$/i.test(mail.header('precedence')?.trim() ?? '')) return true;
  // RFC 3834 vacation responders (Sieve's vacation in Pigeonhole and Cyrus, among others) say so in
  // a comment: "Auto-Submitted: auto-replied (vacation)". MTAs mark their own bounces with a bare
  // "auto-replied" (Exim, MDaemon), so only the comment counts, not the keyword alone.
  if (/^\s*auto-replied\s*\(\s*vacation\s*\)/i.test(mail.header('auto-submitted') ?? '')) return true;
  return /vacation/i.test(mail.header('x-apple-action') ?? '');
}
