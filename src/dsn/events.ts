/**
 * Decoded notices and complaints → canonical events. One place for what every format shares:
 * address normalization and the addresses that can never be a failed recipient, the event type
 * from the RFC 3464 Action, the classifier call, the event time and the stable id.
 */
import { normalizeAddress } from '../core/address.js';
import { classifyBounce } from '../core/classify.js';
import { unattributed, type CanonicalEvent, type EventType, type ParseResult } from '../core/event.js';
import { stableId } from '../core/id.js';
import { DAY_MS, eventIso, storableIso } from '../core/time.js';
import type { MailView } from './mime.js';
import { headerIn } from './text.js';
import type { Complaint, DsnAction, Notice } from './types.js';

export interface EventContext {
  mail: MailView;
  /** Identifies the email when it has no Message-ID: a hash of its bytes. */
  contentKey: string;
  /** When the email arrived (the route's clock), used only if the email carries no date at all (no Date, no Received). */
  receivedAt: string | null;
}

const EPOCH = new Date(0).toISOString();

/** Local parts that are mail systems, never a person who could have bounced. */
const SYSTEM_LOCAL = /^(?:mailer-daemon|mail-daemon|mailerdaemon)$/i;

/** The event a notice is: its Action, or with none, a success status (2.x.x) is a delivery. */
function typeOf(action: DsnAction | null, status: string | null): EventType {
  switch (action) {
    case 'delayed': return 'deferred';
    case 'delivered': case 'relayed': case 'expanded': return 'delivered';
    case null: return status !== null && status.startsWith('2.') ? 'delivered' : 'bounced';
    default: return 'bounced';
  }
}

/** The original message's Message-ID: from the returned part, else from a returned header in the text. */
export function originalMessageId(mail: MailView): string | null {
  const fromPart = mail.returnedHead !== null ? headerIn(mail.returnedHead, 'message-id') : null;
  const raw = fromPart ?? /^message-id:[ \t]*(\S.*)$/im.exec(mail.text)?.[1] ?? null;
  const id = raw?.trim().split(/\s+/)[0] ?? '';
  return id !== '' ? id : null;
}

/**
 * A date without the comment at its end ("Thu, 2 Jul 2020 12:05:05 -0400 (EDT)"): what
 * replace(/\s*\([^)]*\)\s*$/, '') does, found from the end instead of trying every "(".
 */
export function withoutTrailingComment(date: string): string {
  const t = date.trimEnd();
  if (!t.endsWith(')')) return date;
  const open = t.indexOf('(', t.lastIndexOf(')', t.length - 2) + 1);
  return open < 0 ? date : t.slice(0, open).trimEnd();
}

/**
 * A date outside the years the store can hold (garbled or forged) would be stored where no query
 * reaches: the next candidate is taken instead.
 */
function occurredAt(ctx: EventContext, ...candidates: (string | null | undefined)[]): string {
  for (const c of candidates) {
    const iso = c ? eventIso(withoutTrailingComment(c)) : null;
    if (iso !== null) return iso;
  }
  return storableIso(ctx.mail.date) ?? tracedAt(ctx) ?? ctx.receivedAt ?? EPOCH;
}

/** traceDate of the context's email, worked out once per email, not once per recipient. */
const traced = new WeakMap<EventContext, string | null>();
function tracedAt(ctx: EventContext): string | null {
  let at = traced.get(ctx);
  if (at === undefined) traced.set(ctx, (at = traceDate(ctx.mail, ctx.receivedAt)));
  return at;
}

/** How far a relay's clock may run ahead of a later hop's, or of the arrival. */
const TRACE_AHEAD_MS = DAY_MS;
/** No relay of a bounce Rebote reads wrote a trace before this: an earlier one is a reset clock (1970). */
const TRACE_FLOOR_MS = Date.UTC(2000, 0, 1);

/** How many of the lowest Received traces are read (a real email has a few dozen at most). */
const MAX_TRACES = 100;

/**
 * The times of the email's lowest Received traces ("...; Tue, 2 Jul 2024 10:00:00 +0000"),
 * newest (top) first. The lowest, so that traces added on top of a long chain change nothing.
 */
function traceTimes(mail: MailView): number[] {
  const times: number[] = [];
  for (const trace of mail.headers('received').slice(-MAX_TRACES)) {
    const semicolon = trace.lastIndexOf(';');
    const iso = semicolon < 0 ? null : eventIso(withoutTrailingComment(trace.slice(semicolon + 1).trim()));
    if (iso !== null) times.push(Date.parse(iso));
  }
  return times;
}

/**
 * The time the first relay took the email, from the lowest believable Received trace: part of
 * the email, so a redelivery on another day gives the same time, and with it the same event page
 * (the route's clock would not). The lowest, because each later hop adds its trace on top: the
 * same bounce reaching Rebote by another path, or forwarded once more (even months later), keeps
 * its first trace. A trace is not believed when its relay's clock cannot be right: before 2000
 * (a reset clock), or more than a day after a trace above it or after the arrival (`receivedAt`),
 * which a trace can never be. The arrival only rules traces out, so a copy posted again later is
 * dated as the first was. Null when no trace is believable.
 */
export function traceDate(mail: MailView, receivedAt: string | null = null): string | null {
  const times = traceTimes(mail);
  const arrival = receivedAt === null ? Number.NaN : Date.parse(receivedAt);
  // The earliest believed trace above each one (or the arrival): not to be exceeded by more than a day.
  let ceiling = Number.isNaN(arrival) ? Number.POSITIVE_INFINITY : arrival;
  let found: number | null = null;
  for (const t of times) {
    if (t < TRACE_FLOOR_MS || t > ceiling + TRACE_AHEAD_MS) continue;
    found = t;
    ceiling = Math.min(ceiling, t);
  }
  return found === null ? null : new Date(found).toISOString();
}

/**
 * The time of the lowest Received trace, whatever it says: part of the identity of an email
 * without a Message-ID (contentKeyOf), which no trace added on top may change.
 */
export function firstTraceTime(mail: MailView): string | null {
  const times = traceTimes(mail);
  return times.length > 0 ? new Date(times[times.length - 1]!).toISOString() : null;
}

/** Whether an address may be reported at all (a mail system or the bounce's own sender may not). */
function admissible(address: string, mail: MailView): boolean {
  const local = address.slice(0, address.lastIndexOf('@'));
  if (SYSTEM_LOCAL.test(local)) return false;
  return address !== mail.from;
}

/**
 * Two notices for one address and event type: the first fills its gaps from the second. A notice
 * that names the address itself wins over one where it only stands in for a hidden mailbox, and
 * takes nothing from it (the stand-in's codes are another mailbox's).
 */
function merge(into: Notice, from: Notice): void {
  if ((into.standIn ?? false) !== (from.standIn ?? false)) {
    if (into.standIn) Object.assign(into, from);
    return;
  }
  into.status ??= from.status;
  into.reply ??= from.reply;
  // Whose words the diagnostic is goes with the diagnostic.
  if (into.diagnostic === null) into.local = from.local ?? false;
  into.diagnostic ??= from.diagnostic;
  into.command ??= from.command;
  into.date ??= from.date;
  into.reason ??= from.reason ?? null;
}

export function bounceEvents(ctx: EventContext, notices: readonly Notice[], arrival: string | null, result: ParseResult): void {
  const messageId = originalMessageId(ctx.mail);
  const seen = new Map<string, Notice>();
  const order: [string, EventType][] = [];
  for (const n of notices) {
    const recipient = normalizeAddress(n.recipient);
    if (recipient === null) {
      result.rejected++;
      continue;
    }
    if (!admissible(recipient, ctx.mail)) continue;
    const type = typeOf(n.action, n.status);
    const key = `${type}\u0000${recipient}`;
    const prior = seen.get(key);
    if (prior) {
      merge(prior, n);
      continue;
    }
    seen.set(key, { ...n });
    order.push([recipient, type]);
  }

  for (const [recipient, type] of order) {
    const n = seen.get(`${type}\u0000${recipient}`)!;
    const at = occurredAt(ctx, n.date, arrival);
    // The bounce's identity (its Message-ID or bytes) and what it says about this recipient.
    const id = stableId('dsn', [ctx.mail.messageId ?? ctx.contentKey, recipient, type, n.status]);
    const base: CanonicalEvent = { id, provider: 'dsn', type, recipient, occurred_at: at, message_id: messageId };
    if (type === 'bounced' || type === 'deferred') {
      base.bounce = classifyBounce({
        type,
        diagnostic: n.diagnostic,
        status: n.status,
        reply_code: n.reply,
        smtp_command: n.command,
        strict_user_unknown: true,
        local_verdict: n.local === true,
        provider_class: null,
        provider_hint: n.reason ? { reason: n.reason } : null,
      });
      if (n.standIn) base.bounce = unattributed(base.bounce, 'stand-in');
    }
    result.events.push(base);
  }
}

export function complaintEvents(ctx: EventContext, complaints: readonly Complaint[], result: ParseResult): void {
  const messageId = originalMessageId(ctx.mail);
  const seen = new Set<string>();
  for (const c of complaints) {
    const recipient = normalizeAddress(c.recipient);
    if (recipient === null) {
      result.rejected++;
      continue;
    }
    if (!admissible(recipient, ctx.mail) || seen.has(recipient)) continue;
    seen.add(recipient);
    result.events.push({
      id: stableId('dsn', [ctx.mail.messageId ?? ctx.contentKey, recipient, 'complained', c.feedbackType]),
      provider: 'dsn',
      type: 'complained',
      recipient,
      occurred_at: occurredAt(ctx, c.date),
      message_id: messageId,
      complaint: { feedback_type: c.feedbackType },
    });
  }
}

/**
 * The event of an unsubscribe request (unsubscribe.ts, which vets the address): its sender is
 * the address to remove.
 */
export function unsubscribeEvents(ctx: EventContext, requester: string, result: ParseResult): void {
  const recipient = normalizeAddress(requester);
  if (recipient === null) {
    result.rejected++;
    return;
  }
  result.events.push({
    id: stableId('dsn', [ctx.mail.messageId ?? ctx.contentKey, recipient, 'unsubscribed']),
    provider: 'dsn',
    type: 'unsubscribed',
    recipient,
    occurred_at: occurredAt(ctx),
    message_id: null,
  });
}
