/**
 * Amazon SES's bounce verdict (`bounceType` / `bounceSubType`) as a classifier hint. Used by the
 * SES plugin and by Resend, which sends through SES and passes the same verdict on in SES's
 * vocabulary. The hint decides only when the remote server's codes and words say nothing.
 */
import type { BounceReason } from '../../core/event.js';
import type { ProviderHint } from '../../core/classify.js';
import { lookup } from './payload.js';

const TRANSIENT_REASONS: Readonly<Record<string, BounceReason>> = {
  MailboxFull: 'mailboxfull',
  MessageTooLarge: 'mesgtoobig',
  ContentRejected: 'contenterror',
  AttachmentRejected: 'contenterror',
};

/**
 * Permanent → hard, Transient → soft, anything else (Undetermined: SES could not tell; the real
 * DSN went to the Return-Path) → undetermined.
 */
export function sesBounceHint(bounceType: string | null, subType: string | null): ProviderHint {
  switch (bounceType) {
    case 'Permanent':
      // MessageRejected (a subtype Resend documents): the message was refused, not the address.
      if (subType === 'MessageRejected') return { class: 'soft', reason: 'contenterror' };
      // NoEmail: "the intended recipient's email provider sent a bounce message indicating that
      // the email address doesn't exist". General: permanent, cause unknown: let codes decide.
      return { class: 'hard', reason: subType === 'NoEmail' ? 'userunknown' : null };
    case 'Transient':
      // Transient/General also covers auto-replies: soft, reason left to the text.
      return { class: 'soft', reason: lookup(TRANSIENT_REASONS, subType) };
    default:
      return { class: 'undetermined', reason: null };
  }
}

/**
 * SES did not even try: the address is on its global or the account's suppression list because
 * it bounced before.
 */
export const isSesSuppressed = (subType: string | null): boolean =>
  subType === 'Suppressed' || subType === 'OnAccountSuppressionList';
