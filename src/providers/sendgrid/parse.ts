/**
 * SendGrid Event Webhook batches (a JSON array of events, one recipient each) → canonical events.
 * Pure. SendGrid's own verdict (`bounce` vs `blocked`, `bounce_classification`, the `dropped`
 * reason) is kept in `provider_class` and only decides the class when the SMTP codes and text
 * decide nothing.
 */
import type { BounceClass, BounceReason, CanonicalEvent, EventType } from '../../core/event.js';
import { stableId } from '../../core/id.js';
import { classifyBounce, type ProviderHint } from '../../core/classify.js';
import { eventIso } from '../../core/time.js';
import type { ProviderParseResult } from '../types.js';
import { EventSink } from '../shared/event-sink.js';
import { isJsonObject, lookup, malformed, parseJsonBody, text, type JsonObject } from '../shared/payload.js';

type Suppression = NonNullable<CanonicalEvent['provider_suppression']>;

/**
 * `bounce_classification` (Twilio's documented values, compared in lower case) → what it says
 * about the cause. The sender-side ones make a `type: bounce` soft: SendGrid files "blocked by
 * reputation" as a bounce too, and suppressing the recipient for it would be wrong (SPEC §3).
 * "Mailbox Unavailable" (a full, disabled or inactive mailbox: the recipient's side, but no
 * missing address) is soft too, so it counts toward SOFT_BOUNCE_LIMIT. "Unclassified" says
 * nothing, so `type` decides.
 */
const CLASSIFICATION_HINTS: Readonly<Record<string, ProviderHint>> = {
  'invalid address': { class: 'hard', reason: 'userunknown' },
  'mailbox unavailable': { class: 'soft', reason: null },
  'technical failure': { class: 'soft', reason: null },
  content: { class: 'soft', reason: 'contenterror' },
  reputation: { class: 'soft', reason: 'badreputation' },
  'frequency or volume too high': { class: 'soft', reason: 'speeding' },
};

function bounceHint(type: string, classification: string | null): ProviderHint {
  const byClassification = lookup(CLASSIFICATION_HINTS, classification?.toLowerCase() ?? null);
  if (byClassification !== null) return byClassification;
  // Docs: `bounce` = the receiving server denied it permanently, `blocked` = temporarily,
  // `expired` = SendGrid gave up after deferring it for 72 hours ("Bounced - Expired"). A type
  // SendGrid does not document says nothing.
  const t = type.toLowerCase();
  if (t === 'expired') return { class: 'soft', reason: 'expired' };
  return { class: t === 'blocked' ? 'soft' : t === 'bounce' ? 'hard' : null, reason: null };
}

interface DropMeaning {
  suppression: Suppression | null;
  hint: ProviderHint;
}

/**
 * `dropped` reasons. The first four mean SendGrid already lists the address (SPEC §3 "dropped
 * because the provider already lists the address"); the rest are about the sender's message or
 * account and never suppress. Matched case-insensitively on SendGrid's exact phrases.
 */
function dropMeaning(reason: string | null): DropMeaning {
  const r = (reason ?? '').toLowerCase();
  const meaning = (suppression: Suppression | null, klass: BounceClass, why: BounceReason | null = null): DropMeaning =>
    ({ suppression, hint: { class: klass, reason: why } });
  if (r === 'bounced address') return meaning('hard_bounce', 'hard');
  if (r === 'spam reporting address') return meaning('complaint', 'undetermined');
  if (r === 'unsubscribed address') return meaning('unsubscribed', 'undetermined');
  // "Invalid" (also seen spelled "Invalid Address"): the address itself is not valid.
  if (r === 'invalid' || r === 'invalid address') return meaning('invalid', 'hard');
  if (r === 'spam content') return meaning(null, 'soft', 'spamdetected');
  if (r === 'invalid smtpapi header') return meaning(null, 'soft', 'mailererror');
  return meaning(null, 'undetermined');
}

/**
 * The deliverability events, each with its number in the id rule below; the rest (processed,
 * open, click, group_resubscribe, account_status_change, ...) are ignored.
 */
const HANDLED: ReadonlyMap<string, number> = new Map([
  ['delivered', 0], ['deferred', 1], ['bounce', 2], ['dropped', 3], ['spamreport', 4], ['unsubscribe', 5], ['group_unsubscribe', 6],
]);

/**
 * The id rule, one for every SendGrid event: SendGrid's own `sg_event_id` when it is there (SendGrid
 * documents it as unique per event, for deduplication), the event's content otherwise. The event's
 * kind seeds the hash of `sg_event_id`: the events of SendGrid's own sample batch (its docs and its
 * "test your integration" post) all share one id, and one kind each.
 */
function idOf(e: JsonObject, eventId: string | null, kind: number, type: EventType, recipient: string, occurred_at: string, message_id: string | null): string {
  return eventId !== null
    ? stableId('sendgrid', [eventId], kind)
    : stableId('sendgrid', [type, recipient, occurred_at, message_id, text(e.reason) ?? text(e.response)]);
}

/**
 * One SendGrid event. Each canonical event is built whole here, in one object literal (keys in
 * the order id, provider, recipient, occurred_at, message_id, type, then the details): this runs
 * for every event of a batch of up to thousands, so no per-event closures or spreads.
 */
function one(raw: unknown, index: number, sink: EventSink): void {
  if (!isJsonObject(raw)) throw malformed(`SendGrid event ${index} is not an object`);
  const e: JsonObject = raw;
  const event = text(e.event);
  if (event === null) throw malformed(`SendGrid event ${index} has no "event"`);
  const kind = HANDLED.get(event);
  if (kind === undefined) {
    sink.ignore();
    return;
  }
  const occurred_at = eventIso(e.timestamp);
  if (occurred_at === null) throw malformed(`SendGrid event ${index} timestamp is missing or not a time`);
  // The docs' own sample has a leading space in sg_message_id.
  const message_id = text(e.sg_message_id) ?? text(e['smtp-id']);
  const recipient = sink.recipient(e.email);
  if (recipient === null) return;
  const eventId = text(e.sg_event_id);
  const provider = 'sendgrid';

  switch (event) {
    case 'delivered':
      sink.push({
        id: idOf(e, eventId, kind, 'delivered', recipient, occurred_at, message_id), provider, recipient, occurred_at, message_id,
        type: 'delivered',
      });
      return;
    case 'deferred':
      sink.push({
        id: idOf(e, eventId, kind, 'deferred', recipient, occurred_at, message_id), provider, recipient, occurred_at, message_id,
        type: 'deferred',
        bounce: classifyBounce({
          type: 'deferred', diagnostic: text(e.response), status: text(e.status),
          provider_class: 'deferred', provider_hint: { class: 'soft', reason: null },
        }),
      });
      return;
    case 'bounce': {
      // Payloads from before `type` existed were all bounces.
      const type = text(e.type) ?? 'bounce';
      const classification = text(e.bounce_classification);
      sink.push({
        id: idOf(e, eventId, kind, 'bounced', recipient, occurred_at, message_id), provider, recipient, occurred_at, message_id,
        type: 'bounced',
        bounce: classifyBounce({
          type: 'bounced', diagnostic: text(e.reason), status: text(e.status),
          provider_class: classification !== null ? `${type}/${classification}` : type,
          provider_hint: bounceHint(type, classification),
        }),
      });
      return;
    }
    case 'dropped': {
      const reason = text(e.reason);
      const meaning = dropMeaning(reason);
      const dropped: CanonicalEvent = {
        id: idOf(e, eventId, kind, 'dropped', recipient, occurred_at, message_id), provider, recipient, occurred_at, message_id,
        type: 'dropped',
        // The reason is SendGrid's own words, not a remote server's: not a diagnostic.
        bounce: classifyBounce({
          type: 'dropped', status: text(e.status), provider_class: reason ?? 'dropped', provider_hint: meaning.hint,
        }),
      };
      if (meaning.suppression !== null) dropped.provider_suppression = meaning.suppression;
      sink.push(dropped);
      return;
    }
    case 'spamreport':
      sink.push({
        id: idOf(e, eventId, kind, 'complained', recipient, occurred_at, message_id), provider, recipient, occurred_at, message_id,
        type: 'complained', complaint: { feedback_type: null },
      });
      return;
    default:
      // unsubscribe, group_unsubscribe: Rebote keeps one list per address, so leaving one
      // SendGrid unsubscribe group suppresses the address (SPEC §3 has no per-group lists).
      sink.push({
        id: idOf(e, eventId, kind, 'unsubscribed', recipient, occurred_at, message_id), provider, recipient, occurred_at, message_id,
        type: 'unsubscribed',
      });
  }
}

export function parseSendgrid(body: Uint8Array): ProviderParseResult {
  const batch = parseJsonBody(body, 'SendGrid');
  if (!Array.isArray(batch)) throw malformed('a SendGrid Event Webhook body is a JSON array of events');
  const sink = new EventSink('sendgrid');
  for (let i = 0; i < batch.length; i++) one(batch[i], i, sink);
  return sink.result();
}
