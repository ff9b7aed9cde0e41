/**
 * Mandrill / Mailchimp Transactional webhook batches (form field `mandrill_events`, a JSON
 * array of up to 1000 events) → canonical events. Pure. A bare JSON array, as Mandrill's docs
 * show a batch, is accepted too for /v1/inspect; the webhook route only gets here with a signed
 * form body.
 */
import type { BounceReason } from '../../core/event.js';
import { classifyBounce, type ProviderHint } from '../../core/classify.js';
import type { ProviderParseResult } from '../types.js';
import { EventSink } from '../shared/event-sink.js';
import { eventTime, isJsonObject, lookup, malformed, text, type JsonObject } from '../shared/payload.js';
import { readForm } from './form.js';

/** `msg.bounce_description` → reason, for when `msg.diag` has nothing the catalog can read. */
const BOUNCE_DESCRIPTIONS: Readonly<Record<string, BounceReason>> = {
  bad_mailbox: 'userunknown',
  invalid_domain: 'hostunknown',
  mailbox_full: 'mailboxfull',
};

/** The deliverability events; the rest (send, open, click, ...) are ignored. */
const HANDLED: ReadonlySet<string> = new Set(['hard_bounce', 'soft_bounce', 'deferral', 'reject', 'spam', 'unsub', 'delivered']);

/**
 * The JSON text of the batch: the form field; or the body itself when it is a bare array; or the
 * field of a JSON object {"mandrill_events": [...] or "[...]"}, as some libraries' fixtures and
 * relays hold it. (A form's first character starts a field name, never "[" or "{".)
 */
function batchText(body: Uint8Array): string {
  const raw = new TextDecoder().decode(body);
  const start = raw.trimStart();
  if (start.startsWith('[')) return raw;
  if (start.startsWith('{')) {
    let wrapped: unknown;
    try {
      wrapped = JSON.parse(raw);
    } catch {
      throw malformed('a Mandrill webhook body is a form with a "mandrill_events" field');
    }
    const events = isJsonObject(wrapped) ? wrapped.mandrill_events : undefined;
    if (typeof events === 'string') return events;
    if (Array.isArray(events)) return JSON.stringify(events);
    throw malformed('a Mandrill webhook body is a form with a "mandrill_events" field');
  }
  const field = readForm(body).get('mandrill_events');
  if (field === undefined) throw malformed('a Mandrill webhook body is a form with a "mandrill_events" field');
  return field;
}

/** The last SMTP reply Mandrill got for a deferred message (`msg.smtp_events[].diag`). */
function lastSmtpDiag(msg: JsonObject): string | null {
  const events = Array.isArray(msg.smtp_events) ? msg.smtp_events : [];
  for (let i = events.length - 1; i >= 0; i--) {
    const e: unknown = events[i];
    const diag = isJsonObject(e) ? text(e.diag) : null;
    if (diag !== null) return diag;
  }
  return null;
}

function one(e: JsonObject, index: number, sink: EventSink): void {
  const event = text(e.event);
  // Sync events (rejection or allow list changes) have `type` and `action` instead of `event`:
  // they restate list changes that the message events already report.
  if (event === null) {
    if (text(e.type) !== null) return sink.ignore();
    throw malformed(`Mandrill event ${index} has neither "event" nor "type"`);
  }
  if (!HANDLED.has(event)) return sink.ignore(); // send, open, click, ...
  if (!isJsonObject(e.msg)) throw malformed(`Mandrill event ${index} has no "msg" object`);
  const msg = e.msg;
  const occurred_at = eventTime(e.ts, `Mandrill event ${index} "ts"`);
  const message_id = text(e._id) ?? text(msg._id);
  // Mandrill has no event id: a message's event is its id, the event name and the time.
  const ids = (recipient: string) => [message_id, event, occurred_at, recipient];
  const base = { occurred_at, message_id };
  const description = text(msg.bounce_description);

  switch (event) {
    case 'delivered':
      return sink.add(msg.email, ids, { ...base, type: 'delivered' });
    case 'spam':
      return sink.add(msg.email, ids, { ...base, type: 'complained', complaint: { feedback_type: null } });
    case 'unsub':
      return sink.add(msg.email, ids, { ...base, type: 'unsubscribed' });
    case 'reject': {
      // Mandrill did not send, because the recipient (or the sender) is on its rejection list;
      // the event does not say which list entry, so it suppresses nothing by itself.
      return sink.add(msg.email, ids, {
        ...base,
        type: 'dropped',
        bounce: classifyBounce({ type: 'dropped', provider_class: 'reject', provider_hint: { class: 'undetermined', reason: null } }),
      });
    }
    default: {
      const kind = event === 'deferral' ? 'deferred' : 'bounced';
      const hint: ProviderHint = {
        class: event === 'hard_bounce' ? 'hard' : 'soft',
        reason: lookup(BOUNCE_DESCRIPTIONS, description),
      };
      sink.add(msg.email, ids, {
        ...base,
        type: kind,
        bounce: classifyBounce({
          type: kind,
          diagnostic: kind === 'deferred' ? lastSmtpDiag(msg) ?? text(msg.diag) : text(msg.diag),
          provider_class: description !== null ? `${event}/${description}` : event,
          provider_hint: hint,
        }),
      });
    }
  }
}

export function parseMandrill(body: Uint8Array): ProviderParseResult {
  let batch: unknown;
  try {
    batch = JSON.parse(batchText(body));
  } catch (err) {
    if (err instanceof SyntaxError) throw malformed('"mandrill_events" is not valid JSON');
    throw err;
  }
  if (!Array.isArray(batch)) throw malformed('"mandrill_events" is not a JSON array');
  const sink = new EventSink('mandrill');
  batch.forEach((e, i) => {
    if (!isJsonObject(e)) throw malformed(`Mandrill event ${i} is not an object`);
    one(e, i, sink);
  });
  return sink.result();
}
