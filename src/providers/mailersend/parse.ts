/**
 * MailerSend webhook events → canonical events. One event per request:
 * `{type: "activity.<x>", created_at, data: {id, type, created_at, email: {message, recipient},
 * morph}}`. `data.id` is the activity's own id, stable across MailerSend's retries. Pure: no I/O.
 */
import { classifyBounce } from '../../core/classify.js';
import { eventIso } from '../../core/time.js';
import { EventSink, type EventFields } from '../shared/event-sink.js';
import { isJsonObject, lookup, malformed, parseJsonBody, text, type JsonObject } from '../shared/payload.js';
import type { ProviderParseResult } from '../types.js';

type EventBody = Omit<EventFields, 'occurred_at' | 'message_id'>;

/**
 * `morph.reason` is MailerSend's account of the remote refusal ("Host or domain name not found",
 * "Unknown reason"): the classifier reads it, and the event name gives the class when it says
 * nothing.
 */
function failed(type: 'bounced' | 'deferred', klass: 'hard' | 'soft') {
  return (data: JsonObject, kind: string): EventBody => {
    const morph = isJsonObject(data.morph) ? data.morph : {};
    return {
      type,
      bounce: classifyBounce({
        type,
        diagnostic: text(morph.reason),
        provider_class: text(data.type) ?? kind.replace(/^activity\./, ''),
        provider_hint: { class: klass, reason: null },
      }),
    };
  };
}

const BUILDERS: Readonly<Record<string, (data: JsonObject, kind: string) => EventBody>> = {
  'activity.delivered': () => ({ type: 'delivered' }),
  'activity.hard_bounced': failed('bounced', 'hard'),
  'activity.soft_bounced': failed('bounced', 'soft'),
  // A delivery MailerSend will try again (named in its SDKs' event lists).
  'activity.deferred': failed('deferred', 'soft'),
  'activity.spam_complaint': () => ({ type: 'complained', complaint: { feedback_type: null } }),
  'activity.unsubscribed': () => ({ type: 'unsubscribed' }),
};

/** The event name; payloads trimmed by integrations sometimes keep only `data.type`. */
function kindOf(value: JsonObject): string | null {
  const top = text(value.type);
  if (top !== null) return top;
  const inner = isJsonObject(value.data) ? text(value.data.type) : null;
  return inner !== null ? `activity.${inner}` : null;
}

/**
 * Parses one MailerSend webhook body. `webhook.test` (the ping sent when a webhook is saved),
 * activity.sent / opened / clicked / survey_*, and non-email events (sender_identity.*, sms.*,
 * maintenance, ...) count as one ignored event.
 */
export function parseMailerSend(body: Uint8Array): ProviderParseResult {
  const value = parseJsonBody(body, 'MailerSend');
  if (!isJsonObject(value)) throw malformed('the MailerSend body is not a JSON object');
  const out = new EventSink('mailersend');
  const kind = kindOf(value);
  const build = lookup(BUILDERS, kind);
  if (kind === null || build === null) {
    out.ignore();
    return out.result();
  }
  const data = value.data;
  if (!isJsonObject(data) || !isJsonObject(data.email)) throw malformed(`MailerSend ${kind} has no data.email object`);
  const email = data.email;
  const when = eventIso(data.created_at) ?? eventIso(value.created_at);
  if (when === null) throw malformed(`MailerSend ${kind} has no created_at time`);
  const message = isJsonObject(email.message) ? text(email.message.id) : null;
  const messageId = message ?? text(email.id);
  const activityId = text(data.id);
  // The activity id alone is not enough: test payloads reuse one id for every kind of event.
  out.add(isJsonObject(email.recipient) ? email.recipient.email : undefined,
    (recipient) => (activityId !== null ? [activityId, kind, recipient] : [kind, when, messageId, recipient]),
    { ...build(data, kind), occurred_at: when, message_id: messageId });
  return out.result();
}
