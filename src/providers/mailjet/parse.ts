/**
 * Mailjet Event API → canonical events. A "grouped" callback (Version 2) posts an array of
 * events of mixed types; an ungrouped one posts a bare object. MessageID exceeds 2^53, so the body
 * is parsed with big integers kept exact. Mailjet has no event id: an event is its message, name,
 * time and recipient. Pure: no I/O.
 */
import type { BounceReason, CanonicalEvent } from '../../core/event.js';
import { classifyBounce, type ProviderHint } from '../../core/classify.js';
import { eventIso } from '../../core/time.js';
import { EventSink, type EventFields } from '../shared/event-sink.js';
import { isJsonObject, lookup, malformed, parseJsonBody, text, type JsonObject } from '../shared/payload.js';
import type { ProviderParseResult } from '../types.js';

type EventBody = Omit<EventFields, 'occurred_at' | 'message_id'>;
type ProviderSuppression = NonNullable<CanonicalEvent['provider_suppression']>;

/**
 * Mailjet's `error` values (its "possible values for errors" table) as bounce reasons, for when
 * the raw SMTP text (`comment`) is absent or says nothing the classifier can read.
 */
const ERROR_REASONS: Readonly<Record<string, BounceReason>> = {
  'user unknown': 'userunknown',
  'mailbox inactive': 'suspend',
  'quota exceeded': 'mailboxfull',
  'invalid domain': 'hostunknown',
  'no mail host': 'hostunknown',
  typofix: 'hostunknown',
  'relay/access denied': 'rejected',
  // "A temporary error due to possible unrecognised senders": the receiver delays unknown senders.
  greylisted: 'blocked',
  'sender blocked': 'blocked',
  'content blocked': 'spamdetected',
  'policy issue': 'policyviolation',
  'system issue': 'systemerror',
  'protocol issue': 'systemerror',
  'connection issue': 'networkerror',
  'bad or empty template': 'contenterror',
  'error in template language': 'contenterror',
};

/**
 * `blocked` events (never sent) whose error means Mailjet already lists the address as bad:
 * preblocked = "recently (or repeatedly) bounced"; typofix / invalid domain / user unknown = the
 * address itself is wrong. Other errors (duplicate in campaign, sender or content blocked, a bare
 * "blocked") say nothing against the recipient.
 */
const BLOCKED_SUPPRESSIONS: Readonly<Record<string, ProviderSuppression>> = {
  preblocked: 'hard_bounce',
  typofix: 'hard_bounce',
  'invalid domain': 'hard_bounce',
  'no mail host': 'hard_bounce',
  'user unknown': 'hard_bounce',
  'mailbox inactive': 'hard_bounce',
  'spam reporter': 'complaint',
};

function errorOf(e: JsonObject): { error: string | null; relatedTo: string | null; reason: BounceReason | null } {
  const error = text(e.error)?.toLowerCase() ?? null;
  return { error, relatedTo: text(e.error_related_to), reason: lookup(ERROR_REASONS, error) };
}

function bounce(e: JsonObject): EventBody {
  const { error, relatedTo, reason } = errorOf(e);
  // hard_bounce is the switch; Mailjet's test events send "" for it, which says neither.
  const hard = e.hard_bounce === true || e.hard_bounce === 'true' ? true : e.hard_bounce === false || e.hard_bounce === 'false' ? false : null;
  const hint: ProviderHint = {
    class: hard === true ? 'hard' : hard === false ? 'soft' : null,
    // A reason that contradicts the switch (a "user unknown" Mailjet calls soft) is left out.
    reason: reason !== null && !(hard === false && (reason === 'userunknown' || reason === 'hostunknown')) ? reason : null,
  };
  const providerClass = [hard === null ? null : hard ? 'hard' : 'soft', relatedTo, error].filter((s) => s !== null).join('/');
  return {
    type: 'bounced',
    bounce: classifyBounce({
      type: 'bounced',
      // `comment` is the remote server's reply in newer payloads; the codes and words in it decide.
      diagnostic: text(e.comment),
      provider_class: providerClass !== '' ? providerClass : null,
      provider_hint: hint,
    }),
  };
}

function blocked(e: JsonObject): EventBody {
  const { error, relatedTo, reason } = errorOf(e);
  const suppression = lookup(BLOCKED_SUPPRESSIONS, error);
  const providerClass = [relatedTo, error].filter((s) => s !== null).join('/');
  return {
    type: 'dropped',
    bounce: classifyBounce({
      type: 'dropped',
      provider_class: providerClass !== '' ? providerClass : 'blocked',
      provider_hint: { class: suppression === 'hard_bounce' ? 'hard' : null, reason },
    }),
    ...(suppression !== null ? { provider_suppression: suppression } : {}),
  };
}

const BUILDERS: Readonly<Record<string, (e: JsonObject) => EventBody>> = {
  // Mailjet's "sent" is "the destination SMTP server has accepted the message": a delivery.
  sent: () => ({ type: 'delivered' }),
  bounce,
  blocked,
  spam: () => ({ type: 'complained', complaint: { feedback_type: null } }),
  unsub: () => ({ type: 'unsubscribed' }),
};

/** MessageID as exact digits (0 in Mailjet's test events means none), else the string ids. */
function messageIdOf(e: JsonObject): string | null {
  const id = e.MessageID;
  const exact = typeof id === 'string' ? text(id) : typeof id === 'number' && Number.isSafeInteger(id) ? String(id) : null;
  if (exact !== null && exact !== '0') return exact;
  return text(e.mj_message_id) ?? text(e.Message_GUID);
}

function one(e: unknown, out: EventSink): void {
  if (!isJsonObject(e)) throw malformed('a Mailjet event is not a JSON object');
  const event = text(e.event);
  if (event === null) throw malformed('a Mailjet event has no "event" name');
  // open, click, and anything new are not deliverability events.
  const build = lookup(BUILDERS, event);
  if (build === null) {
    out.ignore();
    return;
  }
  const when = eventIso(e.time);
  if (when === null) throw malformed(`Mailjet ${event} has no "time"`);
  const messageId = messageIdOf(e);
  out.add(e.email, (recipient) => [messageId, text(e.Message_GUID), event, String(e.time), recipient], {
    ...build(e),
    occurred_at: when,
    message_id: messageId,
  });
}

export function parseMailjet(body: Uint8Array): ProviderParseResult {
  const value = parseJsonBody(body, 'Mailjet', { exact: true });
  const out = new EventSink('mailjet');
  for (const e of Array.isArray(value) ? value : [value]) one(e, out);
  return out.result();
}
