/**
 * SparkPost event webhook batches (a JSON array of `{"msys": {"<class>": {event}}}`) →
 * canonical events. Pure. SparkPost's `bounce_class` is kept verbatim in `provider_class` and
 * decides only when the SMTP code and text decide nothing.
 */
import type { BounceReason } from '../../core/event.js';
import { classifyBounce, type ProviderHint } from '../../core/classify.js';
import type { ProviderParseResult } from '../types.js';
import { EventSink } from '../shared/event-sink.js';
import { eventTime, isJsonObject, lookup, malformed, parseJsonBody, scalar, text, type JsonObject } from '../shared/payload.js';

const hint = (klass: ProviderHint['class'], reason: BounceReason | null = null): ProviderHint => ({ class: klass, reason });

/**
 * SparkPost's bounce classes (its "Bounce Classification Codes" page) → what they say. SparkPost
 * itself advises suppressing only its Hard and Admin categories; Rebote goes further only where
 * the code and text say so.
 */
const BOUNCE_CLASSES: Readonly<Record<string, ProviderHint>> = {
  1: hint('undetermined'), // Undetermined
  10: hint('hard', 'userunknown'), // Invalid Recipient
  20: hint('soft'), // Soft Bounce
  21: hint('soft', 'networkerror'), // DNS Failure
  22: hint('soft', 'mailboxfull'), // Mailbox Full
  23: hint('soft', 'mesgtoobig'), // Too Large
  24: hint('soft', 'expired'), // Timeout
  25: hint('soft', 'policyviolation'), // Admin Failure: refused by SparkPost's own policies
  26: hint('undetermined'), // Smart Send Suppression
  30: hint('hard'), // Generic Bounce: No RCPT
  40: hint('soft'), // Generic Bounce
  50: hint('soft', 'blocked'), // Mail Block
  51: hint('soft', 'blocked'), // Spam Block
  52: hint('soft', 'spamdetected'), // Spam Content
  53: hint('soft', 'contenterror'), // Prohibited Attachment
  54: hint('soft', 'norelaying'), // Relaying Denied
  70: hint('soft'), // Transient Failure
  100: hint('soft', 'filtered'), // Challenge-Response
};
/** Classes that are not delivery failures: an auto-reply, a subscribe request. */
const NOT_FAILURES: ReadonlySet<string> = new Set(['60', '80']);
/** Class 90: the "bounce" is the recipient's emailed unsubscribe request. */
const UNSUBSCRIBE_CLASS = '90';

/** Event types that mean SparkPost did not send (its policy, or the message could not be built). */
const NOT_SENT: ReadonlySet<string> = new Set(['policy_rejection', 'generation_rejection', 'generation_failure']);
/**
 * Bounce classes of SparkPost's own refusals, reported as bounces though nothing was sent: 25,
 * its policies (its suppression list among them: "subsequent attempts ... result in an Admin
 * Failure"), and 26, its Smart Send suppression. Drops: never a soft bounce of the mailbox.
 */
const REFUSED_CLASSES: ReadonlySet<string> = new Set(['25', '26']);
/** The deliverability events; the rest (injection, open, click, amp_*, relay_*, ...) are ignored. */
const HANDLED: ReadonlySet<string> = new Set([
  'delivery', 'bounce', 'out_of_band', 'delay', 'spam_complaint', 'list_unsubscribe', 'link_unsubscribe', ...NOT_SENT,
]);

function one(ev: JsonObject, where: string, sink: EventSink): void {
  const type = text(ev.type);
  if (type === null) throw malformed(`SparkPost ${where} has no "type"`);
  if (!HANDLED.has(type)) {
    sink.ignore();
    return;
  }
  const bounceClass = scalar(ev.bounce_class);
  const isBounce = type === 'bounce' || type === 'out_of_band';
  if (isBounce && bounceClass !== null && NOT_FAILURES.has(bounceClass)) {
    sink.ignore();
    return;
  }
  // `timestamp` arrives as a string or a number.
  const occurred_at = eventTime(ev.timestamp, `SparkPost ${where} timestamp`);
  const message_id = text(ev.message_id);
  const eventId = scalar(ev.event_id);
  // rcpt_to is SparkPost's normalized form of raw_rcpt_to (what the sender wrote).
  const address = text(ev.rcpt_to) ?? ev.raw_rcpt_to;
  const ids = (kind: string) => (recipient: string) =>
    eventId !== null ? [eventId, kind, recipient] : [kind, recipient, occurred_at, message_id];
  const base = { occurred_at, message_id };

  if (type === 'delivery') return sink.add(address, ids('delivered'), { ...base, type: 'delivered' });
  if (type === 'spam_complaint') {
    return sink.add(address, ids('complained'), { ...base, type: 'complained', complaint: { feedback_type: text(ev.fbtype) } });
  }
  if (type === 'list_unsubscribe' || type === 'link_unsubscribe' || (isBounce && bounceClass === UNSUBSCRIBE_CLASS)) {
    return sink.add(address, ids('unsubscribed'), { ...base, type: 'unsubscribed' });
  }
  // bounce and out_of_band (an asynchronous bounce) are bounces; delay a deferral; the rest drops.
  const refused = NOT_SENT.has(type) || (isBounce && bounceClass !== null && REFUSED_CLASSES.has(bounceClass));
  const kind = type === 'delay' ? 'deferred' : refused ? 'dropped' : 'bounced';
  sink.add(address, ids(kind), {
    ...base,
    type: kind,
    bounce: classifyBounce({
      type: kind,
      // raw_reason is the full reply; `reason` is SparkPost's copy with the address redacted.
      diagnostic: text(ev.raw_reason) ?? text(ev.reason),
      reply_code: scalar(ev.error_code),
      provider_class: bounceClass ?? type,
      provider_hint: lookup(BOUNCE_CLASSES, bounceClass) ?? hint(kind === 'deferred' ? 'soft' : 'undetermined'),
    }),
  });
}

const EVENT_CLASS = /_event$/;

export function parseSparkpost(body: Uint8Array): ProviderParseResult {
  const batch = parseJsonBody(body, 'SparkPost');
  if (!Array.isArray(batch)) throw malformed('a SparkPost webhook body is a JSON array');
  const sink = new EventSink('sparkpost');
  batch.forEach((item, i) => {
    if (!isJsonObject(item) || !isJsonObject(item.msys)) throw malformed(`SparkPost item ${i} has no "msys" object`);
    // `[{"msys": {}}]` is the test SparkPost sends when a webhook is created or updated.
    for (const [cls, ev] of Object.entries(item.msys)) {
      // Events come in classes named "<kind>_event" (message_event, track_event, ...). Anything
      // else is not an event: a relay webhook's inbound `relay_message`, posted here when both
      // webhooks share this URL. It is ignored, not allowed to refuse the events beside it.
      if (!EVENT_CLASS.test(cls)) {
        sink.ignore();
        continue;
      }
      if (!isJsonObject(ev)) throw malformed(`SparkPost item ${i} "${cls}" is not an object`);
      one(ev, `item ${i} ${cls}`, sink);
    }
  });
  return sink.result();
}
