/**
 * Azure Communication Services Email delivery reports, delivered by Event Grid, → canonical
 * events. Accepts the Event Grid schema (an array of events), the CloudEvents 1.0 schema (one
 * event, or an array in batch mode) and, for /v1/inspect, a bare delivery-report `data` object as
 * Azure's portal and logs show it. A subscription validation event is answered through the
 * handshake. Pure: no I/O.
 */
import { classifyBounce, type ProviderHint } from '../../core/classify.js';
import { eventIso } from '../../core/time.js';
import { EventSink, type EventFields } from '../shared/event-sink.js';
import { isJsonObject, malformed, parseJsonBody, text, type JsonObject } from '../shared/payload.js';
import type { Handshake, ProviderParseResult } from '../types.js';

export const VALIDATION_EVENT = 'Microsoft.EventGrid.SubscriptionValidationEvent';
export const DELIVERY_REPORT = 'Microsoft.Communication.EmailDeliveryReportReceived';

type EventBody = Omit<EventFields, 'occurred_at' | 'message_id'>;

const SPAM: ProviderHint = { class: 'soft', reason: 'spamdetected' };

/**
 * ACS's statuses (lower-cased). ACS gives no hard/soft flag; its status is the provider's verdict
 * and `deliveryStatusDetails.statusMessage` the remote server's words, which decide when readable.
 */
function body(status: string, statusMessage: string | null): EventBody | null {
  const failure = (hint: ProviderHint): EventBody => ({
    type: 'bounced',
    bounce: classifyBounce({ type: 'bounced', diagnostic: statusMessage, provider_class: status, provider_hint: hint }),
  });
  switch (status.toLowerCase()) {
    case 'delivered':
      // A delivery whatever the message says (Azure's SDK samples pair Delivered with odd texts).
      return { type: 'delivered' };
    case 'expanded':
      // Older API: a distribution list was expanded into its members; each gets its own report.
      return null;
    case 'bounced':
      // "Hard bounce detected while sending the email."
      return failure({ class: 'hard', reason: null });
    case 'suppressed':
      // Not sent: the address is on ACS's managed suppression list, which holds addresses that
      // hard bounced. ACS's own words here are not a remote reply.
      return {
        type: 'dropped',
        bounce: classifyBounce({ type: 'dropped', provider_class: status, provider_hint: { class: 'hard', reason: null } }),
        provider_suppression: 'hard_bounce',
      };
    case 'filteredspam':
    case 'quarantined':
      // Refused or quarantined as spam, bulk or phishing: about the message, not the mailbox.
      return failure(SPAM);
    default:
      // Failed, and any status Azure adds later ("any value other than Delivered is considered
      // failed"): the text decides, else undetermined.
      return failure({ class: null, reason: null });
  }
}

/** A bare `data` object of a delivery report (no Event Grid or CloudEvents envelope). */
const isBareReport = (v: JsonObject): boolean => 'recipient' in v && 'status' in v && !('data' in v);

function report(data: unknown, envelope: JsonObject | null, out: EventSink): void {
  if (!isJsonObject(data)) throw malformed('an Azure delivery report has no data object');
  const status = text(data.status);
  if (status === null) throw malformed('an Azure delivery report has no status');
  const details = isJsonObject(data.deliveryStatusDetails) ? data.deliveryStatusDetails : {};
  const fields = body(status, text(details.statusMessage));
  if (fields === null) {
    out.ignore();
    return;
  }
  // Older docs spell it deliveryAttemptTimeStamp.
  const attempt = data.deliveryAttemptTimestamp ?? data.deliveryAttemptTimeStamp;
  const when = eventIso(attempt) ?? eventIso(envelope?.eventTime) ?? eventIso(envelope?.time);
  if (when === null) throw malformed('an Azure delivery report has no deliveryAttemptTimestamp or event time');
  const messageId = text(data.messageId) ?? text(data.internetMessageId);
  // Event Grid's event id is the same on every retry of the event; a bare report has only its content.
  const eventId = envelope !== null ? text(envelope.id) : null;
  out.add(data.recipient,
    (recipient) => (eventId !== null ? [eventId, recipient] : [messageId, recipient, status, String(attempt)]),
    { ...fields, occurred_at: when, message_id: messageId });
}

/**
 * Event Grid schema names the type `eventType`; CloudEvents names it `type`. Azure's own SDK
 * samples carry both, one of them a placeholder ("type": "type"), so a known type wins wherever
 * it is.
 */
function eventTypeOf(item: JsonObject): string | null {
  const named = [text(item.eventType), text(item.type)];
  return named.find((t) => t === DELIVERY_REPORT || t === VALIDATION_EVENT) ?? named.find((t) => t !== null) ?? null;
}

export function parseAzure(input: Uint8Array): ProviderParseResult {
  const value = parseJsonBody(input, 'Azure Event Grid');
  const out = new EventSink('azure');
  let handshake: Handshake | undefined;
  for (const item of Array.isArray(value) ? value : [value]) {
    if (!isJsonObject(item)) throw malformed('an Event Grid event is not a JSON object');
    const type = eventTypeOf(item);
    if (type === null) {
      if (!isBareReport(item)) throw malformed('not an Event Grid or CloudEvents event (no eventType or type)');
      report(item, null, out);
    } else if (type === VALIDATION_EVENT) {
      const code = isJsonObject(item.data) ? text(item.data.validationCode) : null;
      if (code === null) throw malformed('the subscription validation event has no data.validationCode');
      // Answered synchronously: Event Grid wants this body back with a 200 within 30 s.
      handshake = { response: { validationResponse: code } };
      out.ignore();
    } else if (type === DELIVERY_REPORT) {
      report(item.data, item, out);
    } else {
      // Engagement tracking (opens, clicks), subscription deletion, other ACS events.
      out.ignore();
    }
  }
  return handshake !== undefined ? { ...out.result(), handshake } : out.result();
}
