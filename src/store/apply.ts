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
  eventItem, softFromItem, softItem, softKey, suppressionFromItem, suppressionItem, suppressionKey,
  type StoredSoft,
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

/** One address's share of a transaction: its events and the state writes they plan. */
interface Unit {
  events: CanonicalEvent[];
  stateWrites: TransactWriteItem[];
  counterKeys: string[];
}

/** Which of an address's items an event needs to read: a delivery only resets a soft-bounce history. */
function stateNeeds(e: CanonicalEvent, cfg: PolicyConfig): { suppression: boolean; soft: boolean } {
  if (e.type === 'delivered') return { suppression: false, soft: true };
  const soft = countsTowardSoftLimit(e);
  return { suppression: soft || immediateSuppression(e, cfg) !== null, soft };
}

export async function applyEvents(
  db: DynamoDBClient, cfg: Config, input: readonly CanonicalEvent[], now: Date,
): Promise<ApplyOutcome> {
  const unique = new Map<string, CanonicalEvent>();
  for (const e of input) if (!unique.has(e.id)) unique.set(e.id, e);
  let pending = [...unique.values()];
  let accepted = 0;

  // No read ahead for duplicates: the event put's condition finds them, and the first delivery
  // of an input (the common case) pays nothing for it.
  for (let conflicts = 0; pending.length > 0;) {
    if (conflicts > MAX_CONFLICTS) throw storeUnavailable('the store stayed busy; retry later');
    const state = await readState(db, cfg, pending);
    const { units, later } = plan(cfg, pending, state, now);
    const retry: CanonicalEvent[] = [...later];
    let conflicted = false;
    for (const chunk of chunked(units)) {
      const outcome = await writeChunk(db, cfg, chunk, now);
      accepted += outcome.written;
      retry.push(...outcome.retry);
      conflicted ||= outcome.conflicted;
    }
    pending = retry;
    if (conflicted) await backoff(conflicts++);
  }
  // Repeats inside the input and events stored before both count as duplicates.
  return { accepted, duplicates: input.length - accepted };
}

async function readState(db: DynamoDBClient, cfg: Config, events: CanonicalEvent[]): Promise<Map<string, AddressState>> {
  const wanted = new Map<string, { suppression: boolean; soft: boolean }>();
  for (const e of events) {
    const need = stateNeeds(e, cfg);
    const w = wanted.get(e.recipient) ?? { suppression: false, soft: false };
    wanted.set(e.recipient, { suppression: w.suppression || need.suppression, soft: w.soft || need.soft });
  }
  const state = new Map<string, AddressState>();
  const keys: Item[] = [];
  for (const [email, need] of wanted) {
    if (!need.suppression && !need.soft) continue;
    state.set(email, { suppression: null, soft: null });
    if (need.suppression) keys.push(suppressionKey(email));
    if (need.soft) keys.push(softKey(email));
  }
  for (const item of await batchGet(db, cfg.ddbTable, keys, { consistent: true })) {
    const s = state.get(item.pk!.S!.slice(2))!;
    if (item.sk?.S === key.suppressionSk) s.suppression = suppressionFromItem(item);
    else s.soft = softFromItem(item);
  }
  return state;
}

/** Plans every address (pure policy on the state read), at most PER_ADDRESS events each per round. */
function plan(cfg: Config, events: CanonicalEvent[], state: Map<string, AddressState>, now: Date): { units: Unit[]; later: CanonicalEvent[] } {
  const byAddress = new Map<string, CanonicalEvent[]>();
  for (const e of events) {
    const list = byAddress.get(e.recipient);
    if (list) list.push(e);
    else byAddress.set(e.recipient, [e]);
  }
  const units: Unit[] = [];
  const later: CanonicalEvent[] = [];
  for (const [email, group] of byAddress) {
    const mine = group.slice(0, PER_ADDRESS);
    later.push(...group.slice(PER_ADDRESS));
    const current = state.get(email);
    units.push({
      events: mine,
      stateWrites: current ? stateWrites(cfg, email, mine, current, now) : [],
      counterKeys: mine.flatMap(counterKeysOf),
    });
  }
  return { units, later };
}

/** Packs units into transactions of at most 100 items: events, state writes and distinct counters. */
function chunked(units: Unit[]): Unit[][] {
  const chunks: Unit[][] = [];
  let current: Unit[] = [];
  let items = 0;
  let counters = new Set<string>();
  const newCounters = (u: Unit) => new Set(u.counterKeys.filter((k) => !counters.has(k)));
  for (const u of units) {
    let fresh = newCounters(u);
    if (current.length > 0 && items + u.events.length + u.stateWrites.length + fresh.size > TX_LIMIT) {
      chunks.push(current);
      current = [];
      items = 0;
      counters = new Set();
      fresh = newCounters(u);
    }
    current.push(u);
    items += u.events.length + u.stateWrites.length + fresh.size;
    for (const k of fresh) counters.add(k);
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

interface ChunkOutcome {
  written: number;
  retry: CanonicalEvent[];
  conflicted: boolean;
}

async function writeChunk(db: DynamoDBClient, cfg: Config, units: Unit[], now: Date): Promise<ChunkOutcome> {
  const nowIso = now.toISOString();
  const events = units.flatMap((u) => u.events);
  const items: TransactWriteItem[] = events.map((e) => ({
    Put: {
      TableName: cfg.ddbTable,
      Item: eventItem(e, nowIso, cfg.eventRetentionDays),
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  }));
  items.push(...units.flatMap((u) => u.stateWrites));
  items.push(...counterWrites(cfg, events));

  try {
    await storeCall('TransactWriteItems', () => db.send(new TransactWriteItemsCommand({ TransactItems: items })));
    return { written: events.length, retry: [], conflicted: false };
  } catch (err) {
    const reasons = cancellationReasons(err);
    if (reasons === null) throw err;
    // A failed condition on an event put (the first items) means it is stored already: a
    // duplicate, dropped. Any other cancellation (state changed under us, a conflicting
    // transaction, throttling) retries the rest with fresh state, after a backoff.
    const dup = new Set(events.filter((_, i) => reasons[i] === 'ConditionalCheckFailed').map((e) => e.id));
    const conflicted = reasons.some((r, i) => r !== undefined && r !== 'None' && !(i < events.length && r === 'ConditionalCheckFailed'));
    return { written: 0, retry: events.filter((e) => !dup.has(e.id)), conflicted };
  }
}

function cancellationReasons(err: unknown): (string | undefined)[] | null {
  if (err instanceof TransactionCanceledException) {
    const reasons = err.CancellationReasons ?? [];
    return reasons.map((r) => r.Code);
  }
  return null;
}

function stateWrites(cfg: Config, email: string, events: CanonicalEvent[], current: AddressState, now: Date): TransactWriteItem[] {
  const writes: TransactWriteItem[] = [];
  const plan = planAddress(email, current, events, cfg, now);
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
  // A delivery to an address with no soft-bounce history has nothing to reset.
  if (plan.soft && (current.soft || Object.keys(plan.soft.bounces).length > 0)) {
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
  return writes;
}

/** The counters an event adds one to: `pk\u0000sk`. */
function counterKeysOf(e: CanonicalEvent): string[] {
  const day = dayOf(e.occurred_at);
  const cls = e.bounce?.class ?? '-';
  const reason = e.bounce?.reason ?? (e.type === 'complained' ? 'feedback' : '-');
  const keys = [`${key.counterDay(day)}\u0000${[hourOf(e.occurred_at), e.provider, e.type, cls, reason].join('|')}`];
  if (e.type !== 'delivered' && e.type !== 'deferred') keys.push(`${key.domainCounterDay(day)}\u0000${domainOf(e.recipient)}|${e.type}`);
  return keys;
}

/** Stats counters, aggregated per transaction: one ADD per distinct counter. */
function counterWrites(cfg: Config, events: CanonicalEvent[]): TransactWriteItem[] {
  const counts = new Map<string, number>();
  for (const k of events.flatMap(counterKeysOf)) counts.set(k, (counts.get(k) ?? 0) + 1);
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
