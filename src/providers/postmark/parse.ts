/**
 * Postmark webhooks (JSON, one record per request, routed on `RecordType`) → canonical events.
 * Pure. Bounce `ID`s exceed 2^53, so the body is parsed with exact big integers.
 */
import type { BounceReason } from '../../core/event.js';
import { classifyBounce, type ProviderHint } from '../../core/classify.js';
import type { ProviderParseResult } from '../types.js';
import { EventSink } from '../shared/event-sink.js';
import { eventTime, isJsonObject, lookup, malformed, parseJsonBody, scalar, text, type JsonObject } from '../shared/payload.js';

type Kind =
  | { as: 'bounced' | 'deferred' | 'dropped'; hint: ProviderHint }
  | { as: 'complained' }
  | { as: 'unsubscribed' }
  | { as: 'ignored' };

const bounced = (klass: ProviderHint['class'], reason: BounceReason | null = null): Kind => ({ as: 'bounced', hint: { class: klass, reason } });
const IGNORED: Kind = { as: 'ignored' };

/**
 * Bounce `TypeCode` (the stable key; `Type` is its name) → what Rebote makes of it. The hint
 * decides only when `Details` has no code or words the catalog knows. Not failures at all
 * (auto-replies, subscribe requests, relay tests, inbound errors) are ignored.
 */
const TYPE_CODES: Readonly<Record<string, Kind>> = {
  1: bounced('hard'), // HardBounce
  // Transient, which Postmark names "Message delayed" ("could not temporarily deliver your
  // message"): a delay notice, recorded only (SPEC §3); the final failure, if it comes, is its own
  // bounce. Counted as a soft bounce, three notices for one slow message could suppress a mailbox.
  2: { as: 'deferred', hint: { class: 'soft', reason: null } },
  16: { as: 'unsubscribed' }, // Unsubscribe: the recipient asked to be removed
  32: IGNORED, // Subscribe
  64: IGNORED, // AutoResponder
  128: bounced('soft', 'hasmoved'), // AddressChange
  256: bounced('soft', 'networkerror'), // DnsError: Postmark documents it as temporary
  512: bounced('soft', 'spamdetected'), // SpamNotification
  1024: IGNORED, // OpenRelayTest
  2048: bounced('undetermined'), // Unknown
  4096: bounced('soft'), // SoftBounce
  8192: bounced('soft', 'virusdetected'), // VirusNotification
  16384: bounced('soft', 'filtered'), // ChallengeVerification
  100000: bounced('hard'), // BadEmailAddress
  100001: { as: 'complained' }, // SpamComplaint
  100002: bounced('hard'), // ManuallyDeactivated
  100003: bounced('soft', 'rejected'), // Unconfirmed: the sender signature is not confirmed
  100006: bounced('soft', 'blocked'), // Blocked
  100007: bounced('soft', 'mailererror'), // SMTPApiError
  100008: IGNORED, // InboundError
  100009: bounced('soft', 'authfailure'), // DMARCPolicy
  100010: { as: 'dropped', hint: { class: 'soft', reason: 'contenterror' } }, // TemplateRenderingFailed
};
const TYPE_NAMES: Readonly<Record<string, string>> = {
  HardBounce: '1', Transient: '2', Unsubscribe: '16', Subscribe: '32', AutoResponder: '64', AddressChange: '128',
  DnsError: '256', SpamNotification: '512', OpenRelayTest: '1024', Unknown: '2048', SoftBounce: '4096',
  VirusNotification: '8192', ChallengeVerification: '16384', BadEmailAddress: '100000', SpamComplaint: '100001',
  ManuallyDeactivated: '100002', Unconfirmed: '100003', Blocked: '100006', SMTPApiError: '100007',
  InboundError: '100008', DMARCPolicy: '100009', TemplateRenderingFailed: '100010',
};

function bounceKind(r: JsonObject): Kind {
  const code = scalar(r.TypeCode) ?? lookup(TYPE_NAMES, text(r.Type));
  return lookup(TYPE_CODES, code) ?? bounced('undetermined');
}

function bounce(r: JsonObject, sink: EventSink): void {
  const kind = bounceKind(r);
  if (kind.as === 'ignored') {
    sink.ignore();
    return;
  }
  const occurred_at = eventTime(r.BouncedAt, 'Postmark "BouncedAt"');
  const message_id = text(r.MessageID);
  // Postmark's bounce ID (exact, as a string) is unique per bounce.
  const id = scalar(r.ID);
  const ids = (recipient: string) => ['Bounce', id, recipient, id === null ? occurred_at : null, id === null ? message_id : null];
  const base = { occurred_at, message_id };
  if (kind.as === 'complained') return sink.add(r.Email, ids, { ...base, type: 'complained', complaint: { feedback_type: null } });
  if (kind.as === 'unsubscribed') return sink.add(r.Email, ids, { ...base, type: 'unsubscribed' });
  // `Inactive: true` means Postmark deactivated the address: its strongest "hard" signal, used
  // like the type when the details decide nothing.
  const hint: ProviderHint = r.Inactive === true ? { ...kind.hint, class: 'hard' } : kind.hint;
  sink.add(r.Email, ids, {
    ...base,
    type: kind.as,
    bounce: classifyBounce({
      // `Details` holds the remote server's reply; `Description` is Postmark's generic text for the type.
      type: kind.as, diagnostic: text(r.Details), provider_class: text(r.Type) ?? scalar(r.TypeCode), provider_hint: hint,
    }),
  });
}

function spamComplaint(r: JsonObject, sink: EventSink): void {
  const occurred_at = eventTime(r.BouncedAt, 'Postmark "BouncedAt"');
  const id = scalar(r.ID);
  const message_id = text(r.MessageID);
  sink.add(r.Email, (recipient) => ['SpamComplaint', id, recipient, id === null ? occurred_at : null, id === null ? message_id : null], {
    occurred_at, message_id, type: 'complained', complaint: { feedback_type: null },
  });
}

function delivery(r: JsonObject, sink: EventSink): void {
  const occurred_at = eventTime(r.DeliveredAt, 'Postmark "DeliveredAt"');
  const message_id = text(r.MessageID);
  sink.add(r.Recipient, (recipient) => ['Delivery', message_id, recipient, occurred_at], { occurred_at, message_id, type: 'delivered' });
}

/**
 * A change to the address's standing on a message stream. Reactivations (SuppressSending false)
 * are ignored: an event never lifts a suppression (SPEC §3). A suppression for a hard bounce is
 * filed as a hard bounce, one for a complaint as a complaint, and a manual one (the recipient
 * unsubscribed, or the account holder suppressed the address) as an unsubscribe.
 */
function subscriptionChange(r: JsonObject, sink: EventSink): void {
  if (r.SuppressSending !== true) {
    sink.ignore();
    return;
  }
  const occurred_at = eventTime(r.ChangedAt, 'Postmark "ChangedAt"');
  const message_id = text(r.MessageID);
  const why = text(r.SuppressionReason);
  const ids = (recipient: string) => ['SubscriptionChange', message_id, recipient, occurred_at, why];
  const base = { occurred_at, message_id };
  switch (why) {
    case 'HardBounce':
      sink.add(r.Recipient, ids, {
        ...base,
        type: 'bounced',
        bounce: classifyBounce({ type: 'bounced', provider_class: 'SubscriptionChange/HardBounce', provider_hint: { class: 'hard', reason: null } }),
      });
      return;
    case 'SpamComplaint':
      sink.add(r.Recipient, ids, { ...base, type: 'complained', complaint: { feedback_type: null } });
      return;
    default:
      sink.add(r.Recipient, ids, { ...base, type: 'unsubscribed' });
  }
}

export function parsePostmark(body: Uint8Array): ProviderParseResult {
  const record = parseJsonBody(body, 'Postmark', { exact: true });
  if (!isJsonObject(record)) throw malformed('a Postmark webhook body is one JSON object');
  // Bounce webhooks from before RecordType existed carry the bounce fields only.
  const recordType = text(record.RecordType) ?? ('TypeCode' in record && 'BouncedAt' in record ? 'Bounce' : null);
  if (recordType === null) throw malformed('a Postmark webhook record has a "RecordType"');
  const sink = new EventSink('postmark');
  switch (recordType) {
    case 'Bounce': bounce(record, sink); break;
    // Routed on RecordType, not TypeCode: Postmark's own sample complaint says TypeCode 512.
    case 'SpamComplaint': spamComplaint(record, sink); break;
    case 'Delivery': delivery(record, sink); break;
    case 'SubscriptionChange': subscriptionChange(record, sink); break;
    default: sink.ignore(); // Open, Click, Inbound, ...
  }
  return sink.result();
}
