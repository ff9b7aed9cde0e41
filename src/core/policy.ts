/**
 * The suppression policy of SPEC §3 as pure functions: given what is known of an address and the
 * new events about it, say what its suppression and soft-bounce history become. The store module
 * is the only caller that writes the result, so every input obeys the same rules.
 */
import { isUnattributed, NOT_FAILURE_REASONS, SENDER_CAUSED_REASONS, type CanonicalEvent, type ProviderName } from './event.js';
import { DAY_MS } from './time.js';

export type SuppressionReason =
  | 'hard_bounce' | 'complaint' | 'unsubscribed' | 'soft_bounce_limit' | 'invalid' | 'manual';
export const SUPPRESSION_REASONS: readonly SuppressionReason[] = [
  'hard_bounce', 'complaint', 'unsubscribed', 'soft_bounce_limit', 'invalid', 'manual',
];

export interface SuppressionSource {
  provider: ProviderName | 'api';
  event_id: string | null;
  reply_code: string | null;
  status: string | null;
  reason: string | null;
}

export interface Suppression {
  email: string;
  reason: SuppressionReason;
  created_at: string;
  updated_at: string;
  expires_at: string | null;
  note: string | null;
  source: SuppressionSource;
}

/** Soft bounces on the recipient's side since the last delivery, by event id (so replays count once). */
export interface SoftHistory {
  bounces: Record<string, string>;
  delivered_at: string | null;
}

export interface PolicyConfig {
  softBounceLimit: number;
  softBounceWindowDays: number;
  softSuppressionDays: number;
  suppressUnsubscribes: boolean;
}

export interface AddressPlan {
  /** A suppression to write (new, or a permanent one replacing a time-limited one). */
  suppression: Suppression | null;
  /** The new soft-bounce history, or null when it does not change. */
  soft: SoftHistory | null;
}

/**
 * When a suppression added by hand or by import ends: a soft_bounce_limit one after
 * SOFT_SUPPRESSION_DAYS, as one the policy writes; every other reason never.
 */
export function handAddedExpiry(reason: SuppressionReason, now: Date, cfg: Pick<PolicyConfig, 'softSuppressionDays'>): string | null {
  return reason === 'soft_bounce_limit' ? new Date(now.getTime() + cfg.softSuppressionDays * DAY_MS).toISOString() : null;
}

/**
 * A soft bounce that says something about the recipient's mailbox, not about the sender (one of
 * class `undetermined` too: an address that keeps failing for reasons nobody can read is still
 * suppressed in the end). A failure that may not be this address's (isUnattributed) never
 * counts, nor does what is no failure at all (an out-of-office reply that came as a bounce).
 */
export function countsTowardSoftLimit(e: CanonicalEvent): boolean {
  return e.type === 'bounced' && e.bounce !== undefined && e.bounce.class !== 'hard' &&
    !SENDER_CAUSED_REASONS.has(e.bounce.reason) && !NOT_FAILURE_REASONS.has(e.bounce.reason) && !isUnattributed(e.bounce);
}

/**
 * Feedback reports that are no complaint about the mail: "not-spam" (the recipient says it is
 * not spam, RFC 6430; "miscategorized" in the ARF drafts before it), "auth-failure" (a receiver's automatic DKIM/SPF/DMARC failure report,
 * RFC 6591: nobody complained) and "virus" (a receiver's scanner found a virus in the message,
 * RFC 5965: the sender's problem, as a `virusdetected` bounce is, and nobody asked to stop).
 * Raw reports and providers' complaint webhooks alike.
 */
const NOT_A_COMPLAINT: ReadonlySet<string> = new Set(['not-spam', 'miscategorized', 'auth-failure', 'virus']);

function isPersonsComplaint(e: CanonicalEvent): boolean {
  const type = e.complaint?.feedback_type?.toLowerCase() ?? null;
  return type === null || !NOT_A_COMPLAINT.has(type);
}

/** The suppression one event causes on its own, for an address with no history. */
export function immediateSuppression(e: CanonicalEvent, cfg: PolicyConfig): SuppressionReason | null {
  switch (e.type) {
    case 'bounced':
      return e.bounce?.class === 'hard' ? 'hard_bounce' : null;
    case 'complained':
      return isPersonsComplaint(e) ? 'complaint' : null;
    case 'dropped':
      // A provider that lists the address as unsubscribed: an unsubscribe, which the setting governs.
      if (e.provider_suppression === 'unsubscribed') return cfg.suppressUnsubscribes ? 'unsubscribed' : null;
      return e.provider_suppression ?? null;
    case 'unsubscribed':
      return cfg.suppressUnsubscribes ? 'unsubscribed' : null;
    default:
      return null;
  }
}

/** What `e` would do to an address with no history (for /v1/inspect). */
export function suppressionWithoutHistory(e: CanonicalEvent, cfg: PolicyConfig): SuppressionReason | null {
  return immediateSuppression(e, cfg) ??
    (countsTowardSoftLimit(e) && cfg.softBounceLimit <= 1 ? 'soft_bounce_limit' : null);
}

export function isActive(s: Suppression | null, now: Date): s is Suppression {
  return s !== null && (s.expires_at === null || Date.parse(s.expires_at) > now.getTime());
}

function sourceOf(e: CanonicalEvent): SuppressionSource {
  return {
    provider: e.provider,
    event_id: e.id,
    reply_code: e.bounce?.reply_code ?? null,
    status: e.bounce?.status ?? null,
    reason: e.bounce?.reason ?? (e.type === 'complained' ? 'feedback' : null),
  };
}

const byTime = (a: CanonicalEvent, b: CanonicalEvent) =>
  a.occurred_at < b.occurred_at ? -1 : a.occurred_at > b.occurred_at ? 1 : a.id < b.id ? -1 : 1;

/**
 * Plans the effect of `events` (all about `email`, none seen before) on an address.
 * Deterministic in its inputs: replays and reorderings of the same events end in the same state.
 */
export function planAddress(
  email: string,
  current: { suppression: Suppression | null; soft: SoftHistory | null },
  events: readonly CanonicalEvent[],
  cfg: PolicyConfig,
  now: Date,
): AddressPlan {
  const nowIso = now.toISOString();
  const sorted = [...events].sort(byTime);
  let suppression = isActive(current.suppression, now) ? current.suppression : null;
  let wrote: Suppression | null = null;

  // Permanent suppressions: the first event that calls for one wins; a permanent one replaces a
  // time-limited one, and nothing ever lifts a suppression.
  for (const e of sorted) {
    const reason = immediateSuppression(e, cfg);
    if (reason === null) continue;
    if (suppression !== null && suppression.expires_at === null) break;
    wrote = suppression = {
      email, reason, created_at: nowIso, updated_at: nowIso, expires_at: null, note: null, source: sourceOf(e),
    };
    break;
  }

  // Soft-bounce history: the limit is reached when enough bounces fall within one window with no
  // delivery in between; a delivery clears the bounces before it from what is kept.
  const touchesSoft = sorted.some((e) => e.type === 'delivered' || countsTowardSoftLimit(e));
  if (!touchesSoft) return { suppression: wrote, soft: null };
  const nowMs = now.getTime();
  // A time ahead of ours (a wrong clock, a forged Date header) counts as now: a bounce dated years
  // ahead would hold a window open or make a suppression that never ends, a delivery dated ahead
  // would stop every later bounce from counting.
  const notAhead = (t: string) => (Date.parse(t) > nowMs ? nowIso : t);
  const before = current.soft ?? { bounces: {}, delivered_at: null };
  let deliveredAt = before.delivered_at;
  const deliveries = deliveredAt !== null ? [Date.parse(deliveredAt)] : [];
  const bounces: Record<string, string> = { ...before.bounces };
  const fresh = new Map<string, CanonicalEvent>();
  for (const e of sorted) {
    if (e.type === 'delivered') {
      const at = notAhead(e.occurred_at);
      deliveries.push(Date.parse(at));
      if (deliveredAt === null || Date.parse(at) > Date.parse(deliveredAt)) deliveredAt = at;
    } else if (countsTowardSoftLimit(e)) {
      bounces[e.id] = notAhead(e.occurred_at);
      fresh.set(e.id, e);
    }
  }
  const windowMs = cfg.softBounceWindowDays * DAY_MS;
  const lastingMs = cfg.softSuppressionDays * DAY_MS;
  // Bounces that could still be in a window whose suppression would not have ended, oldest first.
  const horizon = nowMs - windowMs - lastingMs;
  const times: Bounce[] = Object.entries(bounces)
    .map(([id, at]): Bounce => ({ id, at, ms: Date.parse(at) }))
    .filter((b) => b.ms >= horizon)
    .sort((a, b) => a.ms - b.ms || (a.id < b.id ? -1 : 1));

  // A time-limited suppression ends SOFT_SUPPRESSION_DAYS after the latest bounce that reached the
  // limit; a later window reached while one is active extends it (extending lifts nothing). So the
  // same bounces end it on the same day whatever order they arrive in.
  const extendable = suppression === null || (suppression.reason === 'soft_bounce_limit' && suppression.expires_at !== null);
  if (fresh.size > 0 && extendable) {
    const hit = limitReached(times, deliveries, fresh, cfg.softBounceLimit, windowMs, nowMs - lastingMs);
    const ends = hit !== null ? hit.at + lastingMs : null;
    if (hit !== null && ends !== null && (suppression === null || ends > Date.parse(suppression.expires_at!))) {
      wrote = {
        email, reason: 'soft_bounce_limit', created_at: suppression?.created_at ?? nowIso, updated_at: nowIso,
        expires_at: new Date(ends).toISOString(), note: suppression?.note ?? null, source: sourceOf(hit.event),
      };
    }
  }
  // Kept: the bounces after the last delivery, the newest few at most (the item stays small
  // however often an address bounces).
  const kept = times
    .filter((b) => deliveredAt === null || b.ms > Date.parse(deliveredAt))
    .slice(-Math.max(SOFT_HISTORY_MIN, 2 * cfg.softBounceLimit));
  return { suppression: wrote, soft: { bounces: Object.fromEntries(kept.map((b) => [b.id, b.at])), delivered_at: deliveredAt } };
}

interface Bounce {
  id: string;
  at: string;
  ms: number;
}

/** Soft bounces an address's history keeps at least (twice SOFT_BOUNCE_LIMIT when that is more). */
const SOFT_HISTORY_MIN = 32;

/**
 * When the limit was last reached: the latest bounce (of `times`, oldest first) that ends a
 * window of `windowMs` holding `limit` bounces with no delivery in between, one of them new in
 * this batch (`fresh`: so a batch of deliveries never suppresses), and whose suppression would
 * not have ended already (the bounce is later than `endsAfter`). The suppression lasts from its
 * time, and the newest of the batch's bounces in that window is its source.
 */
function limitReached(
  times: readonly Bounce[], deliveries: readonly number[], fresh: ReadonlyMap<string, CanonicalEvent>,
  limit: number, windowMs: number, endsAfter: number,
): { at: number; event: CanonicalEvent } | null {
  for (let end = times.length - 1; end >= limit - 1; end--) {
    const endMs = times[end]!.ms;
    if (endMs <= endsAfter) continue;
    // The last delivery at or before this bounce: one at the same instant counts as before it, as
    // the kept history takes it (a bounce is kept only when later than the last delivery).
    let floor = -Infinity;
    for (const d of deliveries) if (d <= endMs && d > floor) floor = d;
    if (endMs <= floor) continue;
    let start = end;
    while (start > 0 && endMs - times[start - 1]!.ms <= windowMs && times[start - 1]!.ms > floor) start--;
    if (end - start + 1 < limit) continue;
    for (let i = end; i >= start; i--) {
      const event = fresh.get(times[i]!.id);
      if (event) return { at: endMs, event };
    }
  }
  return null;
}
