/**
 * Brevo (formerly Sendinblue) transactional webhooks → canonical events. One event object per
 * request, or an array of them when "batched webhooks" is on. Brevo has no event id: an event is
 * its name, message, recipient and time. Pure: no I/O.
 */
import type { CanonicalEvent } from '../../core/event.js';
import { classifyBounce, type ProviderHint } from '../../core/classify.js';
import { eventIso } from '../../core/time.js';
import { EventSink, type EventFields } from '../shared/event-sink.js';
import { isJsonObject, lookup, malformed, parseJsonBody, text, type JsonObject } from '../shared/payload.js';
import type { ProviderParseResult } from '../types.js';

type EventBody = Omit<EventFields, 'occurred_at' | 'message_id'>;
type ProviderSuppression = NonNullable<CanonicalEvent['provider_suppression']>;

/** A failed delivery whose `reason` is the remote server's reply: the classifier reads it. */
function failure(type: 'bounced' | 'deferred', event: string, reason: string | null, hint: ProviderHint): EventBody {
  return { type, bounce: classifyBounce({ type, diagnostic: reason, provider_class: event, provider_hint: hint }) };
}

/**
 * Why Brevo keeps a blocked address on its list, from its reason text ("blocked : due to
 * unsubscribed user"). Only a named bounce, complaint or unsubscribe suppresses (SPEC §3); a bare
 * "blacklist" does not say which.
 */
function listedAs(reason: string | null): { suppression: ProviderSuppression | null; hint: ProviderHint } {
  const r = reason ?? '';
  if (/unsubscri/i.test(r)) return { suppression: 'unsubscribed', hint: { class: null, reason: null } };
  // The recipient's address invalid ("invalid email"), not anything invalid ("Invalid sender").
  if (/hard[\s_-]*bounce|invalid[\s_-]*(?:e-?mail|address|recipient|domain)/i.test(r)) return { suppression: 'hard_bounce', hint: { class: 'hard', reason: null } };
  if (/spam|complain/i.test(r)) return { suppression: 'complaint', hint: { class: null, reason: null } };
  return { suppression: null, hint: { class: null, reason: null } };
}

/**
 * A refusal by Brevo itself, before any delivery attempt. Its reason is Brevo's own wording, not
 * a remote reply, so it is kept as the provider's class and never read as a diagnostic ("blocked
 * : due to unsubscribed user" would read as a sender-side block).
 */
function dropped(reason: string | null, event: string, suppression: ProviderSuppression | null, hint: ProviderHint): EventBody {
  return {
    type: 'dropped',
    bounce: classifyBounce({ type: 'dropped', provider_class: reason ?? event, provider_hint: hint }),
    ...(suppression !== null ? { provider_suppression: suppression } : {}),
  };
}

type Builder = (reason: string | null, event: string) => EventBody;

const complained: Builder = () => ({ type: 'complained', complaint: { feedback_type: null } });
const unsubscribed: Builder = () => ({ type: 'unsubscribed' });

const BUILDERS: Readonly<Record<string, Builder>> = {
  delivered: () => ({ type: 'delivered' }),
  hard_bounce: (reason, event) => failure('bounced', event, reason, { class: 'hard', reason: null }),
  soft_bounce: (reason, event) => failure('bounced', event, reason, { class: 'soft', reason: null }),
  // Brevo retries after a deferral; SPEC §3 records a deferral only, whatever its code says (the
  // final hard_bounce, if it comes, is what suppresses).
  deferred: (reason, event) => failure('deferred', event, reason, { class: 'soft', reason: null }),
  blocked: (reason, event) => {
    const { suppression, hint } = listedAs(reason);
    return dropped(reason, event, suppression, hint);
  },
  // Not sent: Brevo judged the address invalid (SPEC §3 "provider lists the address as invalid").
  invalid_email: (reason, event) => dropped(reason, event, 'hard_bounce', { class: 'hard', reason: null }),
  spam: complained,
  complaint: complained,
  unsubscribed,
  // The name Brevo's marketing (campaign) webhooks give the same event.
  unsubscribe: unsubscribed,
};

/** Brevo's times, most precise first: `ts_epoch` (ms; seconds in some samples), `ts_event`, `ts`. */
function occurredAt(e: JsonObject): string | null {
  for (const v of [e.ts_epoch, e.ts_event, e.ts, e.date_event]) {
    const iso = typeof v === 'number' || (typeof v === 'string' && /^\d+$/.test(v.trim())) ? eventIso(v) : null;
    if (iso !== null) return iso;
  }
  // `date` is Brevo's local time (CET/CEST) without an offset: not usable as an instant.
  return null;
}

function one(e: unknown, out: EventSink): void {
  if (!isJsonObject(e)) throw malformed('a Brevo event is not a JSON object');
  const event = text(e.event);
  if (event === null) throw malformed('a Brevo event has no "event" name');
  // request (sent), opened, click, unique_opened, proxy_open, error (a sending error on the
  // account's side, never about the recipient), and anything new are not deliverability events.
  const build = lookup(BUILDERS, event);
  if (build === null) {
    out.ignore();
    return;
  }
  const when = occurredAt(e);
  if (when === null) throw malformed(`Brevo ${event} has no ts_epoch, ts_event or ts time`);
  const messageId = text(e['message-id']) ?? text(e.message_id);
  // Brevo pads some replies with a leading space and indents multi-line ones: text() trims.
  const reason = text(e.reason);
  out.add(e.email, (recipient) => [event, messageId, recipient, when], {
    ...build(reason, event),
    occurred_at: when,
    message_id: messageId,
  });
}

export function parseBrevo(body: Uint8Array): ProviderParseResult {
  const value = parseJsonBody(body, 'Brevo');
  const out = new EventSink('brevo');
  for (const e of Array.isArray(value) ? value : [value]) one(e, out);
  return out.result();
}
