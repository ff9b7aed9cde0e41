/**
 * MailerSend webhook events → canonical events. One event per request, in either of MailerSend's
 * two payload shapes:
 * - `{type: "activity.<x>", created_at, data: {id, type, created_at, email: {message, recipient},
 *   morph}}`, the refusal in `morph.reason`;
 * - the flat one of newer webhooks: `data: {id, type, message_id, email_id, recipient, meta}`, the
 *   refusal in `meta.bounce_reason` and `meta.bounce_code`.
 * `data.id` is the activity's own id, stable across MailerSend's retries. Pure: no I/O.
 */
import { classifyBounce } from '../../core/classify.js';
import { eventIso } from '../../core/time.js';
import { EventSink, type EventFields } from '../shared/event-sink.js';
import { isJsonObject, lookup, malformed, parseJsonBody, scalar, text, type JsonObject } from '../shared/payload.js';
import type { ProviderParseResult } from '../types.js';

type EventBody = Omit<EventFields, 'occurred_at' | 'message_id'>;

/** What an event says of its message, recipient and refusal, in whichever shape it came. */
interface Activity {
  recipient: unknown;
  messageId: string | null;
  /** MailerSend's account of the remote refusal ("Host or domain name not found", "Unknown reason"). */
  reason: string | null;
  replyCode: string | null;
}

function activityOf(data: JsonObject): Activity | null {
  if (isJsonObject(data.email)) {
    const email = data.email;
    const morph = isJsonObject(data.morph) ? data.morph : {};
    return {
      recipient: isJsonObject(email.recipient) ? email.recipient.email : undefined,
      messageId: (isJsonObject(email.message) ? text(email.message.id) : null) ?? text(email.id),
      reason: text(morph.reason),
      replyCode: null,
    };
  }
  // The flat shape names the address `recipient` (MailerSend's "Webhooks 2.0" notes, Symfony's
  // fixtures) or `email`, a plain string (the payload example of MailerSend's webhook reference).
  const recipient = typeof data.recipient === 'string' ? data.recipient : typeof data.email === 'string' ? data.email : null;
  if (recipient === null) return null;
  // `meta` is an empty array when there is nothing to say.
  const meta = isJsonObject(data.meta) ? data.meta : {};
  return {
    recipient,
    messageId: text(data.message_id) ?? text(data.email_id),
    reason: text(meta.bounce_reason),
    // A string in some examples, a number ("bounce_code": 452) in others.
    replyCode: scalar(meta.bounce_code),
  };
}

/** The classifier reads the refusal; the event name gives the class when it says nothing. */
function failed(type: 'bounced' | 'deferred', klass: 'hard' | 'soft') {
  return (data: JsonObject, kind: string, activity: Activity): EventBody => ({
    type,
    bounce: classifyBounce({
      type,
      diagnostic: activity.reason,
      reply_code: activity.replyCode,
      provider_class: text(data.type) ?? kind.replace(/^activity\./, ''),
      provider_hint: { class: klass, reason: null },
    }),
  });
}

const BUILDERS: Readonly<Record<string, (data: JsonObject, kind: string, activity: Activity) => EventBody>> = {
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
  const activity = isJsonObject(data) ? activityOf(data) : null;
  if (!isJsonObject(data) || activity === null) throw malformed(`MailerSend ${kind} has no recipient (data.email or data.recipient)`);
  const when = eventIso(data.created_at) ?? eventIso(value.created_at);
  if (when === null) throw malformed(`MailerSend ${kind} has no created_at time`);
  const { messageId } = activity;
  const activityId = text(data.id);
  // The activity id alone is not enough: test payloads reuse one id for every kind of event.
  out.add(activity.recipient,
    (recipient) => (activityId !== null ? [activityId, kind, recipient] : [kind, when, messageId, recipient]),
    { ...build(data, kind, activity), occurred_at: when, message_id: messageId });
  return out.result();
}
