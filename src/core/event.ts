/**
 * The canonical event (SPEC §2): every input becomes zero or more of these, one per recipient.
 * Pure data: no I/O here.
 */

export const PROVIDERS = [
  'ses', 'sendgrid', 'mailgun', 'postmark', 'sparkpost', 'mandrill', 'resend', 'brevo',
  'mailjet', 'mailersend', 'azure', 'dsn',
] as const;
export type ProviderName = (typeof PROVIDERS)[number];

export const EVENT_TYPES = ['delivered', 'bounced', 'deferred', 'complained', 'dropped', 'unsubscribed'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export type BounceClass = 'hard' | 'soft' | 'undetermined';

/** Bounce-reason vocabulary of shared/corpus/dsn/reasons.json (Sisimai 5.1 names). */
export const BOUNCE_REASONS = [
  'userunknown', 'hostunknown', 'hasmoved', 'notaccept', 'mailboxfull', 'suspend', 'systemfull',
  'rejected', 'blocked', 'badreputation', 'requireptr', 'authfailure', 'norelaying',
  'policyviolation', 'securityerror', 'filtered', 'spamdetected', 'virusdetected',
  'contenterror', 'mesgtoobig', 'exceedlimit', 'notcompliantrfc', 'expired', 'networkerror',
  'toomanyconn', 'speeding', 'syntaxerror', 'systemerror', 'mailererror', 'onhold',
  'undefined', 'delivered', 'feedback', 'vacation',
] as const;
export type BounceReason = (typeof BOUNCE_REASONS)[number];

/** Reasons whose cause is the sender's side: recorded, never suppress the recipient (SPEC §3). */
export const SENDER_CAUSED_REASONS: ReadonlySet<BounceReason> = new Set<BounceReason>([
  'blocked', 'badreputation', 'requireptr', 'authfailure', 'norelaying', 'policyviolation',
  'securityerror', 'spamdetected', 'virusdetected', 'contenterror', 'filtered', 'toomanyconn',
  'speeding', 'rejected', 'syntaxerror', 'systemerror', 'networkerror', 'mailererror',
  // Not in SPEC §3's list, but of its kind: the message itself was refused (too large, too many
  // recipients or over an administrative limit, not RFC 5322 compliant), as for contenterror, in
  // the same "content" group of the reason vocabulary. Another message to the address would go
  // through: three oversized attachments must not suppress a good customer.
  'mesgtoobig', 'exceedlimit', 'notcompliantrfc',
]);

/** The reasons that mean the address itself is bad (reasons.json "hard_rule"). */
export const HARD_REASONS: ReadonlySet<BounceReason> = new Set<BounceReason>(['userunknown', 'hostunknown', 'hasmoved', 'notaccept']);

/** Reasons that are not failures at all: an auto-reply, or a report of a delivery or a complaint that reached the bounce path. */
export const NOT_FAILURE_REASONS: ReadonlySet<BounceReason> = new Set<BounceReason>(['delivered', 'feedback', 'vacation']);

export interface BounceDetail {
  class: BounceClass;
  reason: BounceReason;
  /** Basic SMTP reply code, e.g. "550", or null when the input carries none. */
  reply_code: string | null;
  /** Enhanced status code, e.g. "5.1.1", or null. */
  status: string | null;
  /** The remote server's text, as given. */
  diagnostic: string | null;
  /** What the provider itself said, e.g. "Permanent/General" (SES) or "blocked" (SendGrid). */
  provider_class: string | null;
  /** Names what decided `class` and `reason`, so a user can see why. */
  rule: string;
}

/**
 * A failure that may not be this address's: a list's stand-in address in a bounce (the codes are
 * another mailbox's), or one unnamed recipient of a failed email to several. It has no class, and
 * its `rule` says why, so that the policy never counts it toward the soft-bounce limit.
 */
export type Unattributed = 'stand-in' | 'one-of-several';
const UNATTRIBUTED_MARKS: readonly string[] = ['+stand-in', '+one-of-several'];

export function unattributed(bounce: BounceDetail, why: Unattributed): BounceDetail {
  return { ...bounce, class: 'undetermined', rule: `${bounce.rule}+${why}` };
}

export function isUnattributed(bounce: BounceDetail): boolean {
  return bounce.class === 'undetermined' && UNATTRIBUTED_MARKS.some((m) => bounce.rule.includes(m));
}

export interface ComplaintDetail {
  feedback_type: string | null;
}

export interface CanonicalEvent {
  id: string;
  provider: ProviderName;
  type: EventType;
  recipient: string;
  occurred_at: string;
  message_id: string | null;
  bounce?: BounceDetail;
  complaint?: ComplaintDetail;
  /**
   * For `dropped`: the suppression the provider already holds for the address
   * (SPEC §3 "dropped because the provider already lists the address as ...").
   */
  provider_suppression?: 'hard_bounce' | 'complaint' | 'unsubscribed' | 'invalid';
}

/** What a provider plugin's parser returns for one input. */
export interface ParseResult {
  events: CanonicalEvent[];
  /** Provider events that are not about deliverability (open, click, send, ...). */
  ignored: number;
  /** Addresses that were not addresses: counted, logged, never stored. */
  rejected: number;
}
