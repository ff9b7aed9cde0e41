/**
 * Resend webhook events → canonical events, one per address in `data.to`. Resend sends through
 * Amazon SES and passes SES's bounce verdict on: `data.bounce.type`/`subType` use SES's
 * vocabulary, and `data.bounce.message` is SES's description of that subtype with "Amazon SES"
 * replaced by "Resend". Events of 2023 carried only the message, so the verdict is read back from
 * it when the fields are missing. Pure: no I/O.
 */
import { unattributed } from '../../core/event.js';
import { classifyBounce, type ProviderHint } from '../../core/classify.js';
import { eventIso } from '../../core/time.js';
import { EventSink, type EventFields } from '../shared/event-sink.js';
import { isJsonObject, lookup, malformed, parseJsonBody, text, type JsonObject } from '../shared/payload.js';
import { mailboxAddress } from '../shared/mailbox.js';
import { isSesSuppressed, sesBounceHint } from '../shared/ses-verdict.js';
import type { ProviderParseResult } from '../types.js';

interface Verdict {
  bounceType: 'Permanent' | 'Transient' | 'Undetermined' | null;
  subType: string | null;
}

/** SES's bounce types, and the words Resend's docs use for them ("Permanent", "Temporary"). */
const TYPES: Readonly<Record<string, Verdict['bounceType']>> = {
  permanent: 'Permanent', hard: 'Permanent', transient: 'Transient', temporary: 'Transient', soft: 'Transient', undetermined: 'Undetermined',
};

/**
 * SES's subtype descriptions, as Resend words them, newest wording first. Order matters: the
 * suppression-list texts also speak of "hard bounces".
 */
const MESSAGE_VERDICTS: ReadonlyArray<[RegExp, Verdict]> = [
  [/account-level suppression list/i, { bounceType: 'Permanent', subType: 'OnAccountSuppressionList' }],
  [/on the (?:\w+ )?suppression list because it has a (?:recent )?history of producing hard bounces/i, { bounceType: 'Permanent', subType: 'Suppressed' }],
  [/address doesn't exist|address does not exist/i, { bounceType: 'Permanent', subType: 'NoEmail' }],
  [/hard bounce/i, { bounceType: 'Permanent', subType: 'General' }],
  [/inbox was full/i, { bounceType: 'Transient', subType: 'MailboxFull' }],
  [/message you sent was too large/i, { bounceType: 'Transient', subType: 'MessageTooLarge' }],
  [/contains content that the provider doesn't allow/i, { bounceType: 'Transient', subType: 'ContentRejected' }],
  [/unacceptable attachment/i, { bounceType: 'Transient', subType: 'AttachmentRejected' }],
  [/general bounce/i, { bounceType: 'Transient', subType: 'General' }],
  [/unable to determine/i, { bounceType: 'Undetermined', subType: 'Undetermined' }],
];

/** SES's subtypes in SES's spelling, by their lower case. */
const SUB_TYPES: Readonly<Record<string, string>> = Object.fromEntries(
  ['General', 'NoEmail', 'Suppressed', 'OnAccountSuppressionList', 'MessageRejected', 'MailboxFull', 'MessageTooLarge',
    'ContentRejected', 'AttachmentRejected', 'Undetermined'].map((t) => [t.toLowerCase(), t]),
);

function verdictOf(bounce: JsonObject): Verdict {
  const type = text(bounce.type);
  const given = text(bounce.subType) ?? text(bounce.sub_type);
  if (type !== null || given !== null) {
    const subType = given === null ? null : lookup(SUB_TYPES, given.toLowerCase()) ?? given;
    return { bounceType: lookup(TYPES, type?.toLowerCase()), subType };
  }
  const message = text(bounce.message);
  const found = message !== null ? MESSAGE_VERDICTS.find(([re]) => re.test(message)) : undefined;
  return found ? found[1] : { bounceType: null, subType: null };
}

/**
 * The verdict as a hint for the classifier: used only when the remote server's words say nothing.
 * SES's own mapping, except that no verdict at all says nothing (SES always gives one).
 */
const hintOf = (v: Verdict): ProviderHint =>
  v.bounceType === null ? { class: null, reason: null } : sesBounceHint(v.bounceType, v.subType);

/** Resend forwards SES's `diagnosticCode` (the remote server's reply) as a string or a list of them. */
function diagnosticOf(bounce: JsonObject): string | null {
  const d = bounce.diagnosticCode ?? bounce.diagnostic_code;
  if (Array.isArray(d)) return d.map(text).find((s) => s !== null) ?? null;
  return text(d);
}

/** An event without the parts every Resend event shares (time, message id). */
type EventBody = Omit<EventFields, 'occurred_at' | 'message_id'>;

function bounced(data: JsonObject): EventBody {
  const bounce = isJsonObject(data.bounce) ? data.bounce : {};
  const v = verdictOf(bounce);
  // Resend did not try: the address is on its suppression list after earlier hard bounces.
  const suppressed = isSesSuppressed(v.subType);
  const type = suppressed ? 'dropped' : 'bounced';
  // Verbatim: Resend's own fields when it sent them, else its message (2023 events).
  const said = [text(bounce.type), text(bounce.subType) ?? text(bounce.sub_type)].filter((s) => s !== null);
  const providerClass = said.length > 0 ? said.join('/') : text(bounce.message);
  return {
    type,
    bounce: classifyBounce({
      type,
      // The message is Resend's explanation, not the remote server's reply, so it is never read
      // as a diagnostic (it speaks of "reputation" and "hard bounces" about every bounce).
      diagnostic: suppressed ? null : diagnosticOf(bounce),
      provider_class: providerClass,
      provider_hint: hintOf(v),
    }),
    ...(suppressed ? { provider_suppression: 'hard_bounce' as const } : {}),
  };
}

/** `email.suppressed`: not sent because the address is on the account's suppression list. */
function suppressedEvent(data: JsonObject): EventBody {
  const s = isJsonObject(data.suppressed) ? data.suppressed : {};
  const said = [text(s.type), text(s.message)].filter((x) => x !== null).join(': ');
  // Resend lists addresses for hard bounces and for complaints; only a complaint is named as such.
  const complaint = /complain|spam/i.test(said);
  return {
    type: 'dropped',
    bounce: classifyBounce({
      type: 'dropped',
      provider_class: said !== '' ? said : 'suppressed',
      provider_hint: { class: complaint ? null : 'hard', reason: null },
    }),
    provider_suppression: complaint ? 'complaint' : 'hard_bounce',
  };
}

type Builder = (data: JsonObject) => EventBody;

const BUILDERS: Readonly<Record<string, Builder>> = {
  'email.bounced': bounced,
  'email.suppressed': suppressedEvent,
  'email.complained': () => ({ type: 'complained', complaint: { feedback_type: null } }),
  'email.delivered': () => ({ type: 'delivered' }),
  'email.delivery_delayed': (data) => {
    const bounce = isJsonObject(data.bounce) ? data.bounce : {};
    return {
      type: 'deferred',
      bounce: classifyBounce({ type: 'deferred', diagnostic: diagnosticOf(bounce), provider_class: 'delivery_delayed', provider_hint: { class: 'soft', reason: null } }),
    };
  },
};

function recipients(to: unknown): unknown[] {
  if (typeof to === 'string') return [to];
  if (Array.isArray(to)) return to;
  throw malformed('Resend data.to is missing or not a list of addresses');
}

/**
 * `contact.created` / `contact.updated` of a contact that is unsubscribed (Resend's `unsubscribed`
 * flag is global, and Resend's own advice for learning of unsubscribes is to listen to
 * contact.updated): an unsubscribe of `data.email`. Any other contact change says nothing about
 * deliverability. Each such event is recorded; a contact edited while it stays unsubscribed gives
 * one more unsubscribe event, which changes no suppression.
 */
function contactEvent(kind: string, value: JsonObject, out: EventSink): void {
  const data = value.data;
  if (!isJsonObject(data)) throw malformed(`Resend ${kind} has no data object`);
  if (data.unsubscribed !== true) {
    out.ignore();
    return;
  }
  const occurredAt = eventIso(value.created_at) ?? eventIso(data.updated_at);
  if (occurredAt === null) throw malformed(`Resend ${kind} has no created_at time`);
  const createdAt = text(value.created_at) ?? text(data.updated_at);
  out.add(data.email, (recipient) => [kind, createdAt, text(data.id), recipient], {
    type: 'unsubscribed', occurred_at: occurredAt, message_id: null,
  });
}

const CONTACT_EVENTS: ReadonlySet<string> = new Set(['contact.created', 'contact.updated']);

/**
 * Parses one Resend webhook body. Events that are not about deliverability (sent, opened,
 * clicked, scheduled, received, contact.deleted, a contact change that leaves it subscribed,
 * domain.*, suppression.*, and email.failed, which is about the sender's account or request,
 * never the recipient) count as one ignored event. A suppression.added restates a bounce or
 * complaint already reported; Resend lists an address after any bounce it calls permanent,
 * block-list refusals included, so following it would overrule Rebote's own reading.
 */
export function parseResend(body: Uint8Array): ProviderParseResult {
  const value = parseJsonBody(body, 'Resend');
  if (!isJsonObject(value)) throw malformed('the Resend body is not a JSON object');
  const out = new EventSink('resend');
  const kind = text(value.type);
  if (kind !== null && CONTACT_EVENTS.has(kind)) {
    contactEvent(kind, value, out);
    return out.result();
  }
  const build = lookup(BUILDERS, kind);
  if (kind === null || build === null) {
    out.ignore();
    return out.result();
  }
  if (!isJsonObject(value.data)) throw malformed(`Resend ${kind} has no data object`);
  const data = value.data;
  // The event's own time; data.created_at is when the email was created.
  const occurredAt = eventIso(value.created_at) ?? eventIso(data.created_at);
  if (occurredAt === null) throw malformed(`Resend ${kind} has no created_at time`);
  const emailId = text(data.email_id);
  const fields = build(data);
  // Resend events carry no id of their own: the event is its type, time, email and recipient.
  const createdAt = text(value.created_at) ?? text(data.created_at);
  const to = recipients(data.to);
  for (const address of to) {
    out.add(address, (recipient) => [kind, createdAt, emailId, recipient], {
      ...(to.length > 1 ? forOneOfMany(fields, address) : fields),
      occurred_at: occurredAt,
      message_id: emailId ?? text(data.message_id),
    });
  }
  return out.result();
}

/**
 * A failure of an email sent to several addresses: Resend's event lists them all in `data.to`
 * and does not say which one failed. Each is recorded, with the verdict only for an address the
 * remote's reply names; for the others no class and no provider suppression, so that one bad
 * address never suppresses the rest.
 */
function forOneOfMany(fields: EventBody, address: unknown): EventBody {
  if (fields.bounce === undefined) return fields;
  const mailbox = mailboxAddress(address);
  const said = fields.bounce.diagnostic?.toLowerCase() ?? '';
  if (typeof mailbox === 'string' && mailbox.trim() !== '' && said.includes(mailbox.trim().toLowerCase())) return fields;
  const unnamed: EventBody = { ...fields, bounce: unattributed(fields.bounce, 'one-of-several') };
  delete unnamed.provider_suppression;
  return unnamed;
}
