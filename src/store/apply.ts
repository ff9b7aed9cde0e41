/**
 * The one place where events become state. Every input (webhook, raw email, API) goes through
 * `applyEvents`: it drops events already stored, plans each address's suppression and soft-bounce
 * history with the pure policy, and writes events, state and counters in transactions, so a
 * redelivery changes nothing and a failure part-way leaves nothing half-counted.
 */
import {
  TransactWriteItemsCommand, TransactionCanceledException,
  type DynamoDBClient, type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import type { CanonicalEvent } from '../core/event.js';
import { domainOf } from '../core/address.js';
import {
  countsTowardSoftLimit, immediateSuppression, planAddress, type PolicyConfig, type Suppression,
} from '../core/policy.js';
import { dayOf, hourOf } from '../core/time.js';
import type { Config } from '../config.js';
import { storeUnavailable } from '../http/errors.js';
import { backoff, batchGet, storeCall } from './client.js';
import { toAttr, type Item } from './codec.js';
import {
  eventItem, eventKey, softFromItem, softItem, softKey, suppressionFromItem, suppressionItem,
  suppressionKey, type StoredSoft,
} from './items.js';
import { key } from './schema.js';

export interface ApplyOutcome {
  accepted: number;
  duplicates: number;
}

const TX_LIMIT = 100;
const MAX_CONFLICTS = 8;
/** Events of one address per transaction; more wait for the next round. */
const PER_ADDRESS = 30;

interface AddressState {
  suppression: Suppression | null;
  soft: StoredSoft | null;
}

const needsState = (e: CanonicalEvent, cfg: PolicyConfig) =>
  e.type === 'delivered' || countsTowardSoftLimit(e) || immediateSuppression(e, cfg) !== null;

export async function applyEvents(
  db: DynamoDBClient, cfg: Config, input: readonly CanonicalEvent[], now: Date,
): Promise<ApplyOutcome> {
  const unique = new Map<string, CanonicalEvent>();
  for (const e of input) if (!unique.has(e.id)) unique.set(e.id, e);
  let pending = [...unique.values()];
  let accepted = 0;

  for (let conflicts = 0; pending.length > 0;) {
    if (conflicts > MAX_CONFLICTS) throw storeUnavailable('the store stayed busy; retry later');
    const stored = await findStored(db, cfg, pending);
    const fresh = pending.filter((e) => !stored.has(e.id));
    const state = await readState(db, cfg, fresh);
    const { chunks, later } = chunkByAddress(fresh);
    const retry: CanonicalEvent[] = [...later];
    let conflicted = false;
    for (const chunk of chunks) {
      const outcome = await writeChunk(db, cfg, chunk, state, now);
      accepted += outcome.written;
      retry.push(...outcome.retry);
      conflicted ||= outcome.retry.length > 0;
    }
    pending = retry;
    if (conflicted) await backoff(conflicts++);
  }
  // Repeats inside the input and events stored before both count as duplicates.
  return { accepted, duplicates: input.length - accepted };
}

/** Ids among `events` whose items already exist (a pre-check: the transaction condition is the guard). */
async function findStored(db: DynamoDBClient, cfg: Config, events: CanonicalEvent[]): Promise<Set<string>> {
  const byKey = new Map(events.map((e) => [`${key.address(e.recipient)}|${key.eventSk(e.occurred_at, e.id)}`, e.id]));
  const found = new Set<string>();
  for (const item of await batchGet(db, cfg.ddbTable, events.map(eventKey), { consistent: true, projection: 'pk, sk' })) {
    const id = byKey.get(`${item.pk?.S}|${item.sk?.S}`);
    if (id) found.add(id);
  }
  return found;
}

async function readState(db: DynamoDBClient, cfg: Config, events: CanonicalEvent[]): Promise<Map<string, AddressState>> {
  const emails = [...new Set(events.filter((e) => needsState(e, cfg)).map((e) => e.recipient))];
  const state = new Map<string, AddressState>(emails.map((e) => [e, { suppression: null, soft: null }]));
  const keys = emails.flatMap((e) => [suppressionKey(e), softKey(e)]);
  for (const item of await batchGet(db, cfg.ddbTable, keys, { consistent: true })) {
    const email = item.pk!.S!.slice(2);
    const s = state.get(email)!;
    if (item.sk?.S === key.suppressionSk) s.suppression = suppressionFromItem(item);
    else s.soft = softFromItem(item);
  }
  return state;
}

/**
 * Groups events into transactions of at most 100 items: an address's events, its state items and
 * the counters they touch stay in one transaction; an address with very many events spreads over
 * later rounds (its state must be re-read between them).
 */
function chunkByAddress(events: CanonicalEvent[]): { chunks: CanonicalEvent[][]; later: CanonicalEvent[] } {
  const byAddress = new Map<string, CanonicalEvent[]>();
  for (const e of events) byAddress.set(e.recipient, [...(byAddress.get(e.recipient) ?? []), e]);
  const chunks: CanonicalEvent[][] = [];
  let current: CanonicalEvent[] = [];
  // Each event costs at most 3 items (event, stat counter, domain counter); each address 2 (state).
  const cost = (n: number, addresses: number) => n * 3 + addresses * 2;
  let addresses = 0;
  const later: CanonicalEvent[] = [];
  for (const group of byAddress.values()) {
    const part = group.slice(0, PER_ADDRESS);
    later.push(...group.slice(PER_ADDRESS));
    if (current.length > 0 && cost(current.length + part.length, addresses + 1) > TX_LIMIT) {
      chunks.push(current);
      current = [];
      addresses = 0;
    }
    current.push(...part);
    addresses++;
  }
  if (current.length > 0) chunks.push(current);
  return { chunks, later };
}

interface ChunkOutcome {
  written: number;
  retry: CanonicalEvent[];
}

async function writeChunk(
  db: DynamoDBClient, cfg: Config, events: CanonicalEvent[], state: Map<string, AddressState>, now: Date,
): Promise<ChunkOutcome> {
  const nowIso = now.toISOString();
  const items: TransactWriteItem[] = [];
  const eventAt: number[] = [];
  for (const e of events) {
    eventAt.push(items.length);
    items.push({
      Put: {
        TableName: cfg.ddbTable,
        Item: eventItem(e, nowIso, cfg.eventRetentionDays),
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    });
  }
  items.push(...stateWrites(cfg, events, state, now));
  items.push(...counterWrites(cfg, events));

  try {
    await storeCall('TransactWriteItems', () => db.send(new TransactWriteItemsCommand({ TransactItems: items })));
    return { written: events.length, retry: [] };
  } catch (err) {
    const reasons = cancellationReasons(err);
    if (reasons === null) throw err;
    // A failed condition on an event put means it was stored meanwhile: a duplicate, dropped.
    // Any other cancellation (state changed under us, a conflicting transaction, throttling)
    // retries the rest of the chunk with fresh state.
    const dup = new Set(eventAt.filter((i) => reasons[i] === 'ConditionalCheckFailed'));
    return { written: 0, retry: events.filter((_, n) => !dup.has(eventAt[n]!)) };
  }
}

function cancellationReasons(err: unknown): (string | undefined)[] | null {
  if (err instanceof TransactionCanceledException) {
    const reasons = err.CancellationReasons ?? [];
    return reasons.map((r) => r.Code);
  }
  return null;
}

function stateWrites(
  cfg: Config, events: CanonicalEvent[], state: Map<string, AddressState>, now: Date,
): TransactWriteItem[] {
  const writes: TransactWriteItem[] = [];
  const byAddress = new Map<string, CanonicalEvent[]>();
  for (const e of events) {
    if (state.has(e.recipient)) byAddress.set(e.recipient, [...(byAddress.get(e.recipient) ?? []), e]);
  }
  for (const [email, list] of byAddress) {
    const current = state.get(email)!;
    const plan = planAddress(email, current, list, cfg, now);
    if (plan.suppression) {
      writes.push({
        Put: {
          TableName: cfg.ddbTable,
          Item: suppressionItem(plan.suppression),
          // Written only over what was read: nothing, or the same (time-limited) suppression.
          ...(current.suppression
            ? {
              ConditionExpression: 'updated_at = :seen',
              ExpressionAttributeValues: { ':seen': toAttr(current.suppression.updated_at) },
            }
            : { ConditionExpression: 'attribute_not_exists(pk)' }),
        },
      });
    }
    if (plan.soft) {
      const version = (current.soft?.version ?? 0) + 1;
      writes.push({
        Put: {
          TableName: cfg.ddbTable,
          Item: softItem(email, plan.soft, version, cfg.softBounceWindowDays),
          ...(current.soft
            ? { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': toAttr(current.soft.version) } }
            : { ConditionExpression: 'attribute_not_exists(pk)' }),
        },
      });
    }
  }
  return writes;
}

/** Stats counters, aggregated per transaction: one ADD per distinct counter. */
function counterWrites(cfg: Config, events: CanonicalEvent[]): TransactWriteItem[] {
  const counts = new Map<string, number>();
  const bump = (pk: string, sk: string) => {
    const k = `${pk}\u0000${sk}`;
    counts.set(k, (counts.get(k) ?? 0) + 1);
  };
  for (const e of events) {
    const day = dayOf(e.occurred_at);
    const cls = e.bounce?.class ?? '-';
    const reason = e.bounce?.reason ?? (e.type === 'complained' ? 'feedback' : '-');
    bump(key.counterDay(day), [hourOf(e.occurred_at), e.provider, e.type, cls, reason].join('|'));
    if (e.type !== 'delivered' && e.type !== 'deferred') {
      bump(key.domainCounterDay(day), `${domainOf(e.recipient)}|${e.type}`);
    }
  }
  return [...counts].map(([k, n]) => {
    const [pk, sk] = k.split('\u0000') as [string, string];
    return {
      Update: {
        TableName: cfg.ddbTable,
        Key: { pk: { S: pk }, sk: { S: sk } },
        UpdateExpression: 'ADD n :n',
        ExpressionAttributeValues: { ':n': { N: String(n) } },
      },
    };
  });
}

