/**
 * The one place where events become state. Every input (webhook, raw email, API) goes through
 * `applyEvents`: it groups the events into pages (pages.ts), plans each address's suppression and
 * soft-bounce history with the pure policy, and writes pages, state and counters in transactions.
 * A page that exists already means its events were stored and counted before, so a redelivery
 * changes nothing, and a failure part-way leaves nothing half-counted.
 */
import {
  TransactWriteItemsCommand,
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
import { backoff, batchGet, cancellationReasons, storeCall } from './client.js';
import { toAttr, type Item } from './codec.js';
import {
  softFromItem, softItem, softKey, suppressionFromItem, suppressionItem, suppressionKey, type StoredSoft,
} from './items.js';
import { markLatePages } from './markers.js';
import { buildPages, type Page } from './pages.js';
import { counterShardOf, counterSk, key } from './schema.js';

export interface ApplyOutcome {
  accepted: number;
  duplicates: number;
}

const TX_LIMIT = 100;
/** DynamoDB allows 4 MB per transaction; pages are the only big items. */
const TX_BYTES = 3 * 1024 * 1024;
/** Room a small item (state, counter) takes in that budget. */
const SMALL_ITEM_BYTES = 2048;
const MAX_CONFLICTS = 8;

interface AddressState {
  suppression: Suppression | null;
  soft: StoredSoft | null;
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
  let accepted = 0;
  const receivedAt = now.toISOString();

  // No read ahead for duplicates: the page put's condition finds them, and the first delivery
  // of an input (the common case) pays nothing for it. The pages are cut once: a retry writes the
  // same pages, so a later redelivery of the input finds every one of them and changes nothing
  // (pages cut again from what was left would have other ids, and store their events twice).
  let pending = await buildPages([...unique.values()], receivedAt, cfg.eventRetentionDays, (group) => worstCost(cfg, group) <= TX_LIMIT);
  // Late pages' markers first (markers.ts): a stored page is then always found by the listings.
  await markLatePages(db, cfg, pending, receivedAt);
  for (let conflicts = 0; pending.length > 0;) {
    if (conflicts > MAX_CONFLICTS) throw storeUnavailable('the store stayed busy; retry later');
    const state = await readState(db, cfg, pending.flatMap((p) => p.events));
    const retry: Page<CanonicalEvent>[] = [];
    let conflicted = false;
    for (const chunk of chunked(cfg, pending, state)) {
      const outcome = await writeChunk(db, cfg, chunk, state, now);
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

/**
 * The most items a page can bring into a transaction, whatever the state: itself, the state
 * writes its addresses may need (suppression, soft-bounce history) and its distinct counters.
 * Pages are cut to fit one transaction by this, so that how a page is cut never depends on state.
 */
function worstCost(cfg: PolicyConfig, events: readonly CanonicalEvent[]): number {
  const perAddress = new Map<string, number>();
  const counters = new Set<string>();
  for (const e of events) {
    const needs = stateNeeds(e, cfg);
    perAddress.set(e.recipient, (perAddress.get(e.recipient) ?? 0) | (needs.suppression ? 1 : 0) | (needs.soft ? 2 : 0));
    for (const k of counterKeysOf(e)) counters.add(k);
  }
  let n = 1 + counters.size;
  for (const bits of perAddress.values()) n += (bits & 1) + (bits >> 1);
  return n;
}

function byRecipient(events: readonly CanonicalEvent[]): Map<string, CanonicalEvent[]> {
  const groups = new Map<string, CanonicalEvent[]>();
  for (const e of events) {
    const list = groups.get(e.recipient);
    if (list) list.push(e);
    else groups.set(e.recipient, [e]);
  }
  return groups;
}

/** The most state writes an address's events can cause, given what is stored: its suppression and its soft-bounce history. */
function stateWriteBound(cfg: PolicyConfig, events: readonly CanonicalEvent[], current: AddressState | undefined): number {
  if (!current) return 0;
  let suppression = false;
  let soft = current.soft !== null;
  for (const e of events) {
    const needs = stateNeeds(e, cfg);
    suppression ||= needs.suppression;
    soft ||= countsTowardSoftLimit(e);
  }
  return (suppression ? 1 : 0) + (soft ? 1 : 0);
}

/**
 * Packs pages into transactions of at most 100 items (pages, state writes, distinct counters) and
 * 3 MB. Pages of one bucket are next to each other, so an address's pages of several days
 * usually share a transaction.
 */
function chunked(cfg: Config, pages: Page<CanonicalEvent>[], state: Map<string, AddressState>): Page<CanonicalEvent>[][] {
  const bound = new Map<string, number>();
  for (const [email, events] of byRecipient(pages.flatMap((p) => p.events))) bound.set(email, stateWriteBound(cfg, events, state.get(email)));

  const ordered = [...pages].sort((a, b) => a.bucket - b.bucket || (a.day < b.day ? -1 : a.day > b.day ? 1 : a.id < b.id ? -1 : 1));
  const chunks: Page<CanonicalEvent>[][] = [];
  let current: Page<CanonicalEvent>[] = [];
  let items = 0;
  let bytes = 0;
  let seen = new Set<string>();
  const cost = (p: Page<CanonicalEvent>) => {
    let n = 1;
    const fresh = new Set<string>();
    for (const e of p.events) {
      if (!seen.has(e.recipient) && !fresh.has(e.recipient)) n += bound.get(e.recipient) ?? 0;
      fresh.add(e.recipient);
      for (const k of counterKeysOf(e)) if (!seen.has(k) && !fresh.has(k)) { fresh.add(k); n++; }
    }
    return { n, fresh };
  };
  for (const p of ordered) {
    let c = cost(p);
    if (current.length > 0 && (items + c.n > TX_LIMIT || bytes + p.bytes + c.n * SMALL_ITEM_BYTES > TX_BYTES)) {
      chunks.push(current);
      current = [];
      items = 0;
      bytes = 0;
      seen = new Set();
      c = cost(p);
    }
    current.push(p);
    items += c.n;
    bytes += p.bytes + c.n * SMALL_ITEM_BYTES;
    for (const k of c.fresh) seen.add(k);
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

interface ChunkOutcome {
  written: number;
  retry: Page<CanonicalEvent>[];
  conflicted: boolean;
}

/**
 * One transaction: the chunk's pages (each only if new), the state its events plan from `state`,
 * and its counters. On success `state` is brought up to date, so a later chunk with the same
 * address plans from what this one wrote.
 */
async function writeChunk(
  db: DynamoDBClient, cfg: Config, pages: Page<CanonicalEvent>[], state: Map<string, AddressState>, now: Date,
): Promise<ChunkOutcome> {
  const events = pages.flatMap((p) => p.events);
  const items: TransactWriteItem[] = pages.map((p) => ({
    Put: { TableName: cfg.ddbTable, Item: p.item, ConditionExpression: 'attribute_not_exists(pk)' },
  }));
  const updates: [string, AddressState][] = [];
  for (const [email, mine] of byRecipient(events)) {
    const current = state.get(email);
    if (!current) continue;
    const planned = stateWrites(cfg, email, mine, current, now);
    items.push(...planned.writes);
    updates.push([email, planned.next]);
  }
  items.push(...counterWrites(cfg, events, counterShardOf(pages[0]!.id)));

  try {
    await storeCall('TransactWriteItems', () => db.send(new TransactWriteItemsCommand({ TransactItems: items })));
    for (const [email, next] of updates) state.set(email, next);
    return { written: events.length, retry: [], conflicted: false };
  } catch (err) {
    const reasons = cancellationReasons(err);
    if (reasons === null) throw err;
    // A failed condition on a page put (the first items) means the page is stored already: its
    // events are duplicates, dropped. Any other cancellation (state changed under us, a
    // conflicting transaction, throttling) retries the rest with fresh state, after a backoff.
    // A cancellation that gives no reasons is taken as a conflict: retried after a backoff, and
    // counted, never retried at once forever.
    const stored = new Set(pages.filter((_, i) => reasons[i] === 'ConditionalCheckFailed'));
    const conflicted = reasons.length === 0 ||
      reasons.some((r, i) => r !== undefined && r !== 'None' && !(i < pages.length && r === 'ConditionalCheckFailed'));
    return { written: 0, retry: pages.filter((p) => !stored.has(p)), conflicted };
  }
}


function stateWrites(
  cfg: Config, email: string, events: CanonicalEvent[], current: AddressState, now: Date,
): { writes: TransactWriteItem[]; next: AddressState } {
  const writes: TransactWriteItem[] = [];
  const next: AddressState = { ...current };
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
    next.suppression = plan.suppression;
  }
  // A delivery to an address with no soft-bounce history has nothing to reset.
  if (plan.soft && (current.soft || Object.keys(plan.soft.bounces).length > 0)) {
    const version = current.soft ? current.soft.version + 1 : freshVersion();
    writes.push({
      Put: {
        TableName: cfg.ddbTable,
        Item: softItem(email, plan.soft, version, cfg.softBounceWindowDays + cfg.softSuppressionDays),
        ...(current.soft
          ? { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': toAttr(current.soft.version) } }
          : { ConditionExpression: 'attribute_not_exists(pk)' }),
      },
    });
    next.soft = { ...plan.soft, version };
  }
  return { writes, next };
}

/**
 * The version a new soft-bounce history starts at: random, never 1. A DELETE removes the history,
 * and a writer that read the one before it holds that history's version: were the new history to
 * start where the old one did, that stale writer's condition would pass and overwrite it.
 */
function freshVersion(): number {
  const [hi, lo] = crypto.getRandomValues(new Uint32Array(2));
  return (hi! & 0x1fffff) * 0x100000000 + lo!;
}

/** The counters an event adds one to: `pk\u0000sk`. */
function counterKeysOf(e: CanonicalEvent): string[] {
  const day = dayOf(e.occurred_at);
  const cls = e.bounce?.class ?? '-';
  const reason = e.bounce?.reason ?? (e.type === 'complained' ? 'feedback' : '-');
  const month = day.slice(0, 7);
  const dd = day.slice(8);
  const keys = [`${key.counterMonth(month)}\u0000${[dd, hourOf(e.occurred_at), e.provider, e.type, cls, reason].join('|')}`];
  if (e.type !== 'delivered' && e.type !== 'deferred') keys.push(`${key.domainCounterMonth(month)}\u0000${dd}|${domainOf(e.recipient)}|${e.type}`);
  return keys;
}

/** Stats counters, aggregated per transaction: one ADD per distinct counter, to copy `shard` of each. */
function counterWrites(cfg: Config, events: CanonicalEvent[], shard: number): TransactWriteItem[] {
  const counts = new Map<string, number>();
  for (const k of events.flatMap(counterKeysOf)) counts.set(k, (counts.get(k) ?? 0) + 1);
  return [...counts].map(([k, n]) => {
    const [pk, sk] = k.split('\u0000') as [string, string];
    return {
      Update: {
        TableName: cfg.ddbTable,
        Key: { pk: { S: pk }, sk: { S: counterSk(sk, shard) } },
        UpdateExpression: 'ADD n :n',
        ExpressionAttributeValues: { ':n': { N: String(n) } },
      },
    };
  });
}
