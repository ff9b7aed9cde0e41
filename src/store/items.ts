/** Item shapes: suppressions and soft-bounce histories to and from DynamoDB items (events: pages.ts). */
import { domainOf } from '../core/address.js';
import type { SoftHistory, Suppression } from '../core/policy.js';
import { DAY_MS } from '../core/time.js';
import { fromItem, toItem, type Item, type Plain } from './codec.js';
import { epochSeconds, key } from './schema.js';

export function suppressionKey(email: string): Item {
  return toItem({ pk: key.address(email), sk: key.suppressionSk });
}

export function suppressionItem(s: Suppression): Item {
  return toItem({
    pk: key.address(s.email),
    sk: key.suppressionSk,
    gsi1pk: key.suppressionReason(s.reason),
    gsi1sk: `${s.created_at}#${s.email}`,
    gsi2pk: key.suppressionDomain(domainOf(s.email)),
    gsi2sk: `${s.created_at}#${s.email}`,
    ...(s.expires_at ? { ttl: epochSeconds(s.expires_at) } : {}),
    ...(JSON.parse(JSON.stringify(s)) as Record<string, Plain>),
  });
}

export function suppressionFromItem(item: Item): Suppression {
  const o = fromItem(item);
  return {
    email: String(o.email),
    reason: o.reason as Suppression['reason'],
    created_at: String(o.created_at),
    updated_at: String(o.updated_at),
    expires_at: typeof o.expires_at === 'string' ? o.expires_at : null,
    note: typeof o.note === 'string' ? o.note : null,
    source: sourceFrom(o.source ?? null),
  };
}

/** Rebuilt field by field: a stored map comes back in no particular key order. */
function sourceFrom(v: Plain): Suppression['source'] {
  const o = (v !== null && typeof v === 'object' && !Array.isArray(v) ? v : {}) as Record<string, Plain>;
  const s = (x: Plain | undefined) => (typeof x === 'string' ? x : null);
  return {
    provider: (s(o.provider) ?? 'api') as Suppression['source']['provider'],
    event_id: s(o.event_id),
    reply_code: s(o.reply_code),
    status: s(o.status),
    reason: s(o.reason),
  };
}

export function softKey(email: string): Item {
  return toItem({ pk: key.address(email), sk: key.softSk });
}

export interface StoredSoft extends SoftHistory {
  version: number;
}

/** `keepDays`: how long after its last time the history may still matter (see planAddress's horizon). */
export function softItem(email: string, s: SoftHistory, version: number, keepDays: number): Item {
  const times = [...Object.values(s.bounces), s.delivered_at ?? ''].filter((t) => t !== '').sort();
  const last = times[times.length - 1];
  return toItem({
    pk: key.address(email),
    sk: key.softSk,
    bounces: s.bounces,
    delivered_at: s.delivered_at,
    version,
    ...(last ? { ttl: epochSeconds(last) + keepDays * (DAY_MS / 1000) } : {}),
  });
}

export function softFromItem(item: Item): StoredSoft {
  const o = fromItem(item);
  return {
    bounces: (o.bounces ?? {}) as Record<string, string>,
    delivered_at: typeof o.delivered_at === 'string' ? o.delivered_at : null,
    version: typeof o.version === 'number' ? o.version : 0,
  };
}
