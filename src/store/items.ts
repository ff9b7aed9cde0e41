/** Item shapes: canonical events, suppressions and soft-bounce histories to and from DynamoDB items. */
import type { CanonicalEvent } from '../core/event.js';
import { domainOf } from '../core/address.js';
import type { SoftHistory, Suppression } from '../core/policy.js';
import { DAY_MS, dayOf } from '../core/time.js';
import { fromItem, toItem, type Item, type Plain } from './codec.js';
import { epochSeconds, key } from './schema.js';

export interface StoredEvent extends CanonicalEvent {
  received_at: string;
}

export function eventKey(e: Pick<CanonicalEvent, 'recipient' | 'occurred_at' | 'id'>): Item {
  return toItem({ pk: key.address(e.recipient), sk: key.eventSk(e.occurred_at, e.id) });
}

/** An event, or an audit record that shares its layout (id, recipient, occurred_at + fields). */
export type EventRecord = Pick<CanonicalEvent, 'id' | 'recipient' | 'occurred_at'> & object;

export function eventItem(e: EventRecord, receivedAt: string, retentionDays: number): Item {
  const ttl = epochSeconds(receivedAt) + retentionDays * (DAY_MS / 1000);
  return toItem({
    pk: key.address(e.recipient),
    sk: key.eventSk(e.occurred_at, e.id),
    gsi1pk: key.eventDay(dayOf(e.occurred_at)),
    gsi1sk: `${e.occurred_at}#${e.id}`,
    ttl,
    ...(JSON.parse(JSON.stringify(e)) as Record<string, Plain>),
    received_at: receivedAt,
  });
}

export function eventFromItem(item: Item): StoredEvent {
  const { pk: _pk, sk: _sk, gsi1pk: _g, gsi1sk: _s, ttl: _t, ...rest } = fromItem(item);
  return rest as unknown as StoredEvent;
}

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

export function softItem(email: string, s: SoftHistory, version: number, windowDays: number): Item {
  const times = [...Object.values(s.bounces), s.delivered_at ?? ''].filter((t) => t !== '').sort();
  const last = times[times.length - 1];
  return toItem({
    pk: key.address(email),
    sk: key.softSk,
    bounces: s.bounces,
    delivered_at: s.delivered_at,
    version,
    ...(last ? { ttl: epochSeconds(last) + windowDays * (DAY_MS / 1000) } : {}),
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
