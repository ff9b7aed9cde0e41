/**
 * Mailgun webhooks (JSON, one event per request: `{"signature": {...}, "event-data": {...}}`)
 * → canonical events. Pure. A bare `event-data` object (what Mailgun's docs and event logs show)
 * is accepted too, for /v1/inspect; the webhook route only gets here with a verified signature.
 */
import type { CanonicalEvent } from '../../core/event.js';
import { classifyBounce, type ProviderHint } from '../../core/classify.js';
import type { ProviderParseResult } from '../types.js';
import { EventSink, type EventFields } from '../shared/event-sink.js';
import { eventTime, isJsonObject, lookup, malformed, parseJsonBody, scalar, text, type JsonObject } from '../shared/payload.js';

type Suppression = NonNullable<CanonicalEvent['provider_suppression']>;

/**
 * Mailgun did not send because the address is on one of its suppression lists: `reason` names
 * the list. `delivery-status.code` carries Mailgun's own code, for payloads that only have that:
 * 605 (previously bounced) and 607 (previously complained) are the ones integrations document.
 */
const SUPPRESSED_BY_REASON: Readonly<Record<string, Suppression>> = {
  'suppress-bounce': 'hard_bounce',
  'suppress-unsubscribe': 'unsubscribed',
  'suppress-complaint': 'complaint',
};
const SUPPRESSED_BY_CODE: Readonly<Record<string, Suppression>> = {
  '605': 'hard_bounce',
  '606': 'unsubscribed',
  '607': 'complaint',
};

/** Adds the event of this request; `idType` is the canonical type it is filed under. */
type AddFn = (idType: string, fields: Omit<EventFields, 'occurred_at' | 'message_id'>) => void;

function object(v: unknown): JsonObject {
  return isJsonObject(v) ? v : {};
}

/** The event-data of a webhook body, or the body itself when it is a bare event. */
function eventData(json: unknown): JsonObject {
  if (!isJsonObject(json)) throw malformed('a Mailgun webhook body is a JSON object');
  if ('event-data' in json) {
    if (!isJsonObject(json['event-data'])) throw malformed('Mailgun "event-data" is not an object');
    return json['event-data'];
  }
  if (typeof json.event === 'string') return json;
  throw malformed('a Mailgun webhook body has "event-data"');
}

function failed(ed: JsonObject, add: AddFn): void {
  const reason = text(ed.reason);
  // Mailgun's words are compared in lower case.
  const severity = text(ed.severity)?.toLowerCase() ?? null;
  const why = reason?.toLowerCase() ?? null;
  const ds = object(ed['delivery-status']);
  const code = scalar(ds.code);
  const providerClass = [severity ?? 'failed', reason].filter((p) => p !== null).join('/');
  const suppression = lookup(SUPPRESSED_BY_REASON, why) ?? lookup(SUPPRESSED_BY_CODE, code);
  if (suppression !== null) {
    // No delivery was tried: `description` ("Not delivering to previously bounced address") is
    // Mailgun's own words, not a remote server's, and the code is Mailgun's, not SMTP's.
    add('dropped', {
      type: 'dropped',
      bounce: classifyBounce({
        type: 'dropped', provider_class: providerClass,
        provider_hint: { class: suppression === 'hard_bounce' ? 'hard' : 'undetermined', reason: null },
      }),
      provider_suppression: suppression,
    });
    return;
  }
  // Temporary: Mailgun keeps retrying, so this is a deferral, not a bounce (a final failure
  // comes later as `severity: permanent`).
  const type = severity === 'temporary' ? 'deferred' : 'bounced';
  // "old": Mailgun retried until the message was too old and gave up (a permanent failure of a
  // temporary problem, SPEC's expired). "espblock": the receiving provider blocked Mailgun's IPs.
  const hint: ProviderHint = why === 'old'
    ? { class: 'soft', reason: 'expired' }
    : {
      class: severity === 'permanent' ? 'hard' : severity === 'temporary' ? 'soft' : 'undetermined',
      reason: why === 'espblock' ? 'blocked' : null,
    };
  add(type, {
    type,
    bounce: classifyBounce({
      type,
      diagnostic: text(ds.message) ?? text(ds.description),
      reply_code: code,
      // "enhanced-code" may be ""; delayed (asynchronous) bounces carry "bounce-code" instead.
      status: text(ds['enhanced-code']) ?? text(ds['bounce-code']),
      provider_class: providerClass,
      provider_hint: hint,
    }),
  });
}

export function parseMailgun(body: Uint8Array): ProviderParseResult {
  const ed = eventData(parseJsonBody(body, 'Mailgun'));
  const event = text(ed.event);
  if (event === null) throw malformed('Mailgun "event-data.event" is missing');
  const sink = new EventSink('mailgun');
  // accepted, opened, clicked, stored, and `rejected` (Mailgun refused the message at the API,
  // e.g. a sandbox domain's recipient limit: nothing about the recipient) are not deliverability.
  if (!['delivered', 'failed', 'complained', 'unsubscribed'].includes(event)) {
    sink.ignore();
    return sink.result();
  }
  const occurred_at = eventTime(ed.timestamp, 'Mailgun "event-data.timestamp"');
  const message_id = text(object(object(ed.message).headers)['message-id']);
  const eventId = text(ed.id);
  const add: AddFn = (idType, fields) => sink.add(
    ed.recipient,
    // Mailgun's event id is only "unique within a day": the time makes it unique for good.
    (recipient) => eventId !== null
      ? [eventId, idType, recipient, occurred_at]
      : [idType, recipient, occurred_at, message_id],
    { occurred_at, message_id, ...fields },
  );
  switch (event) {
    case 'delivered': add('delivered', { type: 'delivered' }); break;
    case 'failed': failed(ed, add); break;
    case 'complained': add('complained', { type: 'complained', complaint: { feedback_type: null } }); break;
    default: add('unsubscribed', { type: 'unsubscribed' });
  }
  return sink.result();
}
