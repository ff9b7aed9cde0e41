/**
 * Amazon SES notifications → canonical events, one per recipient. Understands both inner
 * formats: legacy identity notifications (`notificationType`) and configuration-set event
 * publishing (`eventType`). Pure: the envelope has already been parsed (and, on the webhook
 * route, verified).
 */
import type { BounceReason, CanonicalEvent, ParseResult } from '../../core/event.js';
import { stableId } from '../../core/id.js';
import { classifyBounce, type ClassifyInput } from '../../core/classify.js';
import { eventIso } from '../../core/time.js';
import { isJsonObject, lookup, malformed, type JsonObject } from '../shared/payload.js';
import { isSesSuppressed, sesBounceHint } from '../shared/ses-verdict.js';
import { recipientAddress } from '../shared/mailbox.js';
import type { ProviderParseResult } from '../types.js';
import { isAllowedSubscribeUrl, type SnsEnvelope } from './sns.js';

type Hint = NonNullable<ClassifyInput['provider_hint']>;

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

function object(v: unknown, what: string): JsonObject {
  if (!isJsonObject(v)) throw malformed(`SES ${what} is missing or not an object`);
  return v;
}

function array(v: unknown, what: string): unknown[] {
  if (!Array.isArray(v)) throw malformed(`SES ${what} is missing or not an array`);
  return v;
}

/** DeliveryDelay.delayType → reason, for when the delayed recipient carries no code. */
const DELAY_REASONS: Readonly<Record<string, BounceReason>> = {
  MailboxFull: 'mailboxfull',
  SpamDetected: 'spamdetected',
  RecipientServerError: 'systemerror',
  IPFailure: 'blocked',
  TransientCommunicationFailure: 'networkerror',
  BYOIPHostNameLookupUnavailable: 'networkerror',
  // Both are SES holding the message on its own side, not the recipient's mailbox.
  InternalFailure: 'systemerror',
  SendingDeferral: 'systemerror',
};

interface Context {
  messageId: string;
  occurredAt: string;
  events: CanonicalEvent[];
  rejected: number;
  seen: Set<string>;
}

type EventBody = Omit<CanonicalEvent, 'id' | 'provider' | 'recipient' | 'occurred_at' | 'message_id'>;

/**
 * Adds one event for `address`, or counts it as rejected. `idParts` are SES-level keys, so the
 * same SES event reaching us twice (SNS retries, or two topics / both notification systems)
 * gets the same id.
 */
function emit(ctx: Context, address: unknown, idParts: (recipient: string) => Array<string | null>, body: EventBody): void {
  const recipient = recipientAddress(address);
  if (recipient === null) {
    ctx.rejected++;
    return;
  }
  const id = stableId('ses', idParts(recipient));
  // One SES message can list an address twice; one event is enough.
  if (ctx.seen.has(id)) return;
  ctx.seen.add(id);
  ctx.events.push({ id, provider: 'ses', recipient, occurred_at: ctx.occurredAt, message_id: ctx.messageId, ...body });
}

/** The first candidate that is a time the store can hold (years 1970 to 9999), else `fallback`. */
function occurredAt(fallback: string, ...candidates: unknown[]): string {
  for (const c of candidates) {
    const iso = eventIso(c);
    if (iso !== null) return iso;
  }
  return fallback;
}

function bounces(inner: JsonObject, ctx: Context): void {
  const bounce = object(inner.bounce, 'bounce');
  const bounceType = str(bounce.bounceType);
  const subType = str(bounce.bounceSubType);
  const providerClass = bounceType === null ? null : subType === null ? bounceType : `${bounceType}/${subType}`;
  // SES did not even try: the address is on its global or the account's suppression list
  // because it bounced before (complaint-listed addresses arrive as Complaint, see below).
  const suppressed = isSesSuppressed(subType);
  const type = suppressed ? 'dropped' : 'bounced';
  const key = str(bounce.feedbackId) ?? `${ctx.messageId}|${String(bounce.timestamp)}`;
  const hint = sesBounceHint(bounceType, subType);
  for (const r of array(bounce.bouncedRecipients, 'bounce.bouncedRecipients')) {
    const rec = isJsonObject(r) ? r : {};
    // A recipient the report says is only delayed (its DSN's "Action: delayed", listed beside
    // failed ones) is still being tried: a deferral, not a bounce of that address.
    if (!suppressed && str(rec.action)?.toLowerCase() === 'delayed') {
      emit(ctx, rec.emailAddress, (recipient) => [key, recipient, 'deferred'], {
        type: 'deferred',
        bounce: classifyBounce({
          type: 'deferred', diagnostic: str(rec.diagnosticCode), status: str(rec.status), provider_class: providerClass, provider_hint: { class: 'soft', reason: null },
        }),
      });
      continue;
    }
    const detail = classifyBounce({
      type,
      diagnostic: str(rec.diagnosticCode),
      status: str(rec.status),
      provider_class: providerClass,
      provider_hint: hint,
    });
    emit(ctx, rec.emailAddress, (recipient) => [key, recipient, type], {
      type,
      bounce: detail,
      ...(suppressed ? { provider_suppression: 'hard_bounce' as const } : {}),
    });
  }
}

function complaints(inner: JsonObject, ctx: Context): void {
  const complaint = object(inner.complaint, 'complaint');
  const key = str(complaint.feedbackId) ?? `${ctx.messageId}|${String(complaint.timestamp)}`;
  // OnAccountSuppressionList: nobody complained this time; SES did not send because the address
  // is on the account's list for an earlier complaint. That is SPEC §3's "dropped because the
  // provider already lists the address as complained", not a new complaint (which would inflate
  // complaint stats). The suppression it leads to is the same.
  const listed = str(complaint.complaintSubType) === 'OnAccountSuppressionList';
  for (const r of array(complaint.complainedRecipients, 'complaint.complainedRecipients')) {
    const address = isJsonObject(r) ? r.emailAddress : undefined;
    if (listed) {
      emit(ctx, address, (recipient) => [key, recipient, 'dropped'], {
        type: 'dropped',
        bounce: classifyBounce({
          type: 'dropped',
          provider_class: 'Complaint/OnAccountSuppressionList',
          provider_hint: { class: null, reason: null },
        }),
        provider_suppression: 'complaint',
      });
    } else {
      emit(ctx, address, (recipient) => [key, recipient, 'complained'], {
        type: 'complained',
        complaint: { feedback_type: str(complaint.complaintFeedbackType) },
      });
    }
  }
}

function deliveries(inner: JsonObject, ctx: Context): void {
  const delivery = object(inner.delivery, 'delivery');
  for (const address of array(delivery.recipients, 'delivery.recipients')) {
    emit(ctx, address, (recipient) => [ctx.messageId, recipient, 'delivered'], { type: 'delivered' });
  }
}

function delays(inner: JsonObject, ctx: Context): void {
  const delay = object(inner.deliveryDelay, 'deliveryDelay');
  const delayType = str(delay.delayType);
  const when = str(delay.timestamp);
  const hint: Hint = { class: 'soft', reason: lookup(DELAY_REASONS, delayType) };
  for (const r of array(delay.delayedRecipients, 'deliveryDelay.delayedRecipients')) {
    const rec = isJsonObject(r) ? r : {};
    emit(ctx, rec.emailAddress, (recipient) => [ctx.messageId, recipient, 'deferred', when], {
      type: 'deferred',
      bounce: classifyBounce({
        type: 'deferred',
        diagnostic: str(rec.diagnosticCode),
        status: str(rec.status),
        provider_class: delayType,
        provider_hint: hint,
      }),
    });
  }
}

/** The recipients SES was given, as the sender wrote them: maybe with a display name ("Jane <jane@example.com>"). */
function destinations(mail: JsonObject): unknown[] {
  return array(mail.destination, 'mail.destination');
}

function rejects(inner: JsonObject, mail: JsonObject, ctx: Context): void {
  const reason = isJsonObject(inner.reject) ? str(inner.reject.reason) : null;
  // SES documents one Reject reason, "Bad content": it found a virus and never sent the message.
  // Its words are SES's, not a remote server's, so they are not given as the diagnostic.
  const hint: Hint = reason === 'Bad content' ? { class: 'soft', reason: 'virusdetected' } : { class: null, reason: null };
  for (const address of destinations(mail)) {
    emit(ctx, address, (recipient) => [ctx.messageId, recipient, 'dropped'], {
      type: 'dropped',
      bounce: classifyBounce({
        type: 'dropped',
        provider_class: reason === null ? 'Reject' : `Reject/${reason}`,
        provider_hint: hint,
      }),
    });
  }
}

/**
 * A Subscription event is an unsubscribe when the contact left the whole list or opted out of a
 * topic they were not already out of. Rebote keeps one list per address, so a topic opt-out
 * suppresses the address like SendGrid's group unsubscribes do; an opt-in is not an event.
 */
function isUnsubscribe(subscription: JsonObject): boolean {
  const next = isJsonObject(subscription.newTopicPreferences) ? subscription.newTopicPreferences : {};
  const prev = isJsonObject(subscription.oldTopicPreferences) ? subscription.oldTopicPreferences : {};
  if (next.unsubscribeAll === true) return true;
  const optedOut = (prefs: JsonObject): Set<string> => new Set(
    (Array.isArray(prefs.topicSubscriptionStatus) ? prefs.topicSubscriptionStatus : [])
      .filter((t): t is JsonObject => isJsonObject(t) && t.subscriptionStatus === 'OptOut')
      .map((t) => String(t.topicName)),
  );
  const before = optedOut(prev);
  return [...optedOut(next)].some((topic) => !before.has(topic));
}

function subscriptions(inner: JsonObject, mail: JsonObject, ctx: Context): boolean {
  const subscription = object(inner.subscription, 'subscription');
  if (!isUnsubscribe(subscription)) return false;
  const when = str(subscription.timestamp);
  // The event names no contact of its own: it is about the recipient of the mail in `mail`.
  for (const address of destinations(mail)) {
    emit(ctx, address, (recipient) => [ctx.messageId, recipient, 'unsubscribed', when], { type: 'unsubscribed' });
  }
  return true;
}

const ignoredOne = (): ParseResult => ({ events: [], ignored: 1, rejected: 0 });

/**
 * The EventBridge detail-types of SES's sending events (EventBridge's event reference for SES)
 * that are about deliverability → the event-publishing kind each one carries.
 */
const EVENTBRIDGE_KINDS: Readonly<Record<string, string>> = {
  'Email Bounced': 'Bounce',
  'Email Complaint Received': 'Complaint',
  'Email Delivered': 'Delivery',
  'Email Delivery Delayed': 'DeliveryDelay',
  'Email Rejected': 'Reject',
  'Email Subscribed': 'Subscription',
};

/** The SES notification kinds that are about deliverability, and the key of each one's details. */
const SECTIONS: Readonly<Record<string, string>> = {
  Bounce: 'bounce', Complaint: 'complaint', Delivery: 'delivery', DeliveryDelay: 'deliveryDelay',
  Reject: 'reject', Subscription: 'subscription',
};

/**
 * One SES notification (the SNS `Message` string) → events. `snsTimestamp` is the envelope's
 * time, used when SES gives none. Anything that is not an SES deliverability notification
 * (plain text such as "Successfully validated SNS topic...", Send/Open/Click, inbound Received,
 * AmazonSnsSubscriptionSucceeded) counts as one ignored event.
 */
export function parseSesMessage(message: string, snsTimestamp: string): ParseResult {
  let inner: unknown;
  try {
    inner = JSON.parse(message);
  } catch {
    return ignoredOne();
  }
  if (!isJsonObject(inner)) return ignoredOne();
  // SES events sent to EventBridge (and from there to the SNS topic) wrap the event-publishing
  // record in an EventBridge envelope: {"source": "aws.ses", "detail-type": ..., "detail": {...}}.
  // The envelope's detail-type names the kind too, for a detail that does not repeat it.
  let detailKind: string | null = null;
  if (inner.source === 'aws.ses' && isJsonObject(inner.detail)) {
    detailKind = lookup(EVENTBRIDGE_KINDS, str(inner['detail-type']));
    inner = inner.detail;
  }
  if (!isJsonObject(inner)) return ignoredOne();
  const kind = str(inner.eventType) ?? str(inner.notificationType) ?? detailKind;
  const sectionKey = lookup(SECTIONS, kind);
  if (kind === null || sectionKey === null) return ignoredOne();

  const fallback = eventIso(snsTimestamp);
  if (fallback === null) throw malformed('SNS Timestamp is not a date between 1970 and 9999');
  const mail = object(inner.mail, 'mail');
  // Every SES notification carries it, and the ids of deliveries, delays and rejects hang on it.
  const messageId = str(mail.messageId);
  if (messageId === null) throw malformed('SES mail.messageId is missing');
  const section = inner[sectionKey];
  const ctx: Context = {
    messageId,
    // A Reject has no time of its own: it happened when SES accepted the mail (mail.timestamp).
    occurredAt: occurredAt(fallback, isJsonObject(section) ? section.timestamp : undefined, mail.timestamp),
    events: [],
    rejected: 0,
    seen: new Set(),
  };
  switch (kind) {
    case 'Bounce': bounces(inner, ctx); break;
    case 'Complaint': complaints(inner, ctx); break;
    case 'Delivery': deliveries(inner, ctx); break;
    case 'DeliveryDelay': delays(inner, ctx); break;
    case 'Reject': rejects(inner, mail, ctx); break;
    case 'Subscription':
      if (!subscriptions(inner, mail, ctx)) return ignoredOne();
      break;
  }
  return { events: ctx.events, ignored: 0, rejected: ctx.rejected };
}

/** A parsed SNS envelope → the result the webhook route stores and answers with. */
export function parseSnsEnvelope(env: SnsEnvelope): ProviderParseResult {
  switch (env.Type) {
    case 'SubscriptionConfirmation': {
      const url = env.SubscribeURL ?? '';
      // verify() refuses these already; checked again because this is what the route will GET.
      if (!isAllowedSubscribeUrl(url, env.TopicArn)) throw malformed('SubscribeURL is not an Amazon SNS ConfirmSubscription URL');
      return { events: [], ignored: 1, rejected: 0, handshake: { confirmUrl: url } };
    }
    case 'UnsubscribeConfirmation':
      return { events: [], ignored: 1, rejected: 0 };
    case 'Notification':
      return parseSesMessage(env.Message, env.Timestamp);
  }
}
