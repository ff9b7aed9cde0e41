/**
 * The suppression policy of SPEC §3 as pure functions: given what is known of an address and the
 * new events about it, say what its suppression and soft-bounce history become. The store module
 * is the only caller that writes the result, so every input obeys the same rules.
 */
import { SENDER_CAUSED_REASONS, type CanonicalEvent, type ProviderName } from './event.js';
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
 * A soft bounce that says something about the recipient's mailbox, not about the sender. Class
 * `undetermined` does not count: it is what a bounce is given when it may not be this address's
 * (a list's stand-in address, one unnamed recipient of several), so repeats of it never suppress.
 */
export function countsTowardSoftLimit(e: CanonicalEvent): boolean {
  return e.type === 'bounced' && e.bounce !== undefined && e.bounce.class === 'soft' &&
    !SENDER_CAUSED_REASONS.has(e.bounce.reason);
}

/** The suppression one event causes on its own, for an address with no history. */
export function immediateSuppression(e: CanonicalEvent, cfg: PolicyConfig): SuppressionReason | null {
  switch (e.type) {
    case 'bounced':
      return e.bounce?.class === 'hard' ? 'hard_bounce' : null;
    case 'complained':
      // RFC 5965 "not-spam": the recipient says the message is not spam (moved it out of junk).
      return e.complaint?.feedback_type?.toLowerCase() === 'not-spam' ? null : 'complaint';
    case 'dropped':
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

  // Soft-bounce history: a delivery clears the bounces before it; the limit is reached when
  // enough bounces after the last delivery fall within one window.
  const touchesSoft = sorted.some((e) => e.type === 'delivered' || countsTowardSoftLimit(e));
  if (!touchesSoft) return { suppression: wrote, soft: null };
  const before = current.soft ?? { bounces: {}, delivered_at: null };
  let deliveredAt = before.delivered_at;
  const bounces: Record<string, string> = { ...before.bounces };
  const fresh = new Map<string, CanonicalEvent>();
  for (const e of sorted) {
    if (e.type === 'delivered') {
      if (deliveredAt === null || e.occurred_at > deliveredAt) deliveredAt = e.occurred_at;
    } else if (countsTowardSoftLimit(e)) {
      // A time ahead of ours (a wrong clock, a forged Date header) counts as now: a bounce dated
      // years ahead would otherwise hold the window open, or make a suppression that never ends.
      bounces[e.id] = e.occurred_at > nowIso ? nowIso : e.occurred_at;
      fresh.set(e.id, e);
    }
  }
  const windowMs = cfg.softBounceWindowDays * DAY_MS;
  // What is kept: bounces after the last delivery that could still be in a window whose
  // suppression would not have ended, the newest few at most (the item stays small however
  // often an address bounces).
  const horizon = now.getTime() - windowMs - cfg.softSuppressionDays * DAY_MS;
  const times = Object.entries(bounces)
    .filter(([, t]) => (deliveredAt === null || t > deliveredAt) && Date.parse(t) >= horizon)
    .sort((a, b) => (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : a[0] < b[0] ? -1 : 1))
    .slice(-Math.max(SOFT_HISTORY_MIN, 2 * cfg.softBounceLimit));
  const soft: SoftHistory = { bounces: Object.fromEntries(times), delivered_at: deliveredAt };

  if (suppression === null && fresh.size > 0) {
    const trigger = latestTrigger(times, fresh, cfg.softBounceLimit, windowMs, now.getTime() - cfg.softSuppressionDays * DAY_MS);
    if (trigger !== null) {
      const [triggerId, triggerAt] = trigger;
      const e = fresh.get(triggerId);
      wrote = {
        email, reason: 'soft_bounce_limit', created_at: nowIso, updated_at: nowIso,
        expires_at: new Date(Date.parse(triggerAt) + cfg.softSuppressionDays * DAY_MS).toISOString(), note: null,
        source: e ? sourceOf(e) : { provider: 'api', event_id: triggerId, reply_code: null, status: null, reason: null },
      };
    }
  }
  return { suppression: wrote, soft };
}

/** Soft bounces an address's history keeps at least (twice SOFT_BOUNCE_LIMIT when that is more). */
const SOFT_HISTORY_MIN = 32;

/**
 * The bounce that completes the latest window of `windowMs` holding `limit` bounces (`times`,
 * oldest first), where the window holds one of this batch's bounces (`fresh`) and its suppression
 * would end after now (the trigger is later than `endsAfter`). Only new bounces can suppress, so a
 * batch of deliveries never does; and the answer is the same whatever order the bounces came in.
 */
function latestTrigger(
  times: readonly (readonly [string, string])[], fresh: ReadonlyMap<string, unknown>, limit: number, windowMs: number, endsAfter: number,
): readonly [string, string] | null {
  for (let end = times.length - 1; end >= limit - 1; end--) {
    const endMs = Date.parse(times[end]![1]);
    if (endMs <= endsAfter) return null;
    let start = end;
    while (start > 0 && endMs - Date.parse(times[start - 1]![1]) <= windowMs) start--;
    if (end - start + 1 < limit) continue;
    for (let i = start; i <= end; i++) if (fresh.has(times[i]![0])) return times[end]!;
  }
  return null;
}
