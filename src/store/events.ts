/**
 * Events, newest first, with optional type/provider filters: of one address (its bucket's monthly
 * partitions, walked back month by month, each read whole: newest occurred first), or of everyone
 * (the by-time index, walked back day by day of occurrence; within a day newest received first,
 * as a day is too big to read whole). Queries only; a request stops after a bounded
 * number of Query calls and hands back a cursor, so one request never fans out without limit.
 */
import { QueryCommand, type DynamoDBClient, type QueryCommandOutput } from '@aws-sdk/client-dynamodb';
import type { Config } from '../config.js';
import { parseApiDate } from '../core/time.js';
import { invalidCursor } from '../http/cursor.js';
import { badRequest } from '../http/errors.js';
import { storeCall } from './client.js';
import type { Item } from './codec.js';
import {
  bucketOf, byOccurred, byReceived, compareNewestFirst, eventsOfPage, monthOf, pageMayHold, reachDay, type OrderKey, type StoredEvent,
} from './pages.js';
import { BY_TIME_SHARDS, INDEX, key } from './schema.js';

export interface EventQuery {
  email?: string;
  type?: string;
  provider?: string;
  since: string;
  until: string;
  limit: number;
}

/**
 * Where the previous page stopped: the partition (a day, or a month for an address) and the
 * order key of the last event looked at; the next page starts with the events after it.
 */
export interface EventCursor {
  part: string;
  after?: OrderKey;
  /** The range the first page took by default (the route's), kept so the next pages use the same one. */
  since?: string;
  until?: string;
}

const MAX_QUERIES = 30;
/**
 * The most Query calls of one request for an address: reading one month of its bucket may take
 * several (1 MB each), and a month is read whole.
 */
const MAX_MONTH_CALLS = 50;

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

export function isEventCursor(v: unknown): v is EventCursor {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const c = v as Record<string, unknown>;
  if (Object.keys(c).some((k) => !['part', 'after', 'since', 'until'].includes(k)) || typeof c.part !== 'string') return false;
  for (const k of ['since', 'until'] as const) if (c[k] !== undefined && (typeof c[k] !== 'string' || !isIso(c[k]))) return false;
  if (c.after === undefined) return true;
  const a = c.after;
  return Array.isArray(a) && a.length === 3 && a.every((x) => typeof x === 'string' && x.length <= 256) &&
    isIso(a[0] as string) && isIso(a[1] as string);
}

/** An instant as this API writes it, of a day and time that exist (not `2026-99-99T00:00:00Z`). */
const isIso = (s: string): boolean => ISO.test(s) && parseApiDate(s) !== null;

type Page = { items: StoredEvent[]; next: EventCursor | null };

export async function listEvents(
  db: DynamoDBClient, cfg: Config, q: EventQuery, cursor: EventCursor | null, now: Date,
): Promise<Page> {
  // A range the caller chose is walked partition by partition, as far back as it goes: it finds
  // whatever is stored there. The default range (since BEFORE_ANY_EVENT) is walked partition by
  // partition only as far back as pages that are not late can be (`reach`), then from marker to
  // marker.
  const reach = reachDay(now, cfg.eventRetentionDays);
  const stepTo = q.since === BEFORE_ANY_EVENT ? reach : '';
  return q.email === undefined ? listByTime(db, cfg, q, cursor, stepTo) : listByAddress(db, cfg, q, q.email, cursor, monthOf(stepTo));
}

/**
 * The default `since` of a listing: just before the earliest time an event can have (1970), so
 * that no `since` a caller writes is taken for it.
 */
export const BEFORE_ANY_EVENT = '1969-12-31T23:59:59.999Z';

/**
 * The partition to read after `part` (a day, or a month of an address's bucket), walking back to
 * `first`: the one before it while pages that are not late can be there (from `reach` on), then
 * the newest one before it that a late page marked (one Query on `markers`, counted in `queries`;
 * with no Query left in the request's budget, the one before it, where the next request goes on).
 * Null when the walk is over.
 */
async function olderPart(
  db: DynamoDBClient, cfg: Config, part: string, first: string, reach: string, markers: string, budgetLeft: number,
): Promise<{ part: string | null; queries: number }> {
  const previous = part.length === 7 ? monthBefore(part) : dayBefore(part);
  if (previous < first) return { part: null, queries: 0 };
  if (previous >= reach || budgetLeft < 1) return { part: previous, queries: 0 };
  const res: QueryCommandOutput = await storeCall('Query', () => db.send(new QueryCommand({
    TableName: cfg.ddbTable,
    KeyConditionExpression: 'pk = :pk AND sk BETWEEN :first AND :previous',
    ExpressionAttributeValues: { ':pk': { S: markers }, ':first': { S: first }, ':previous': { S: previous } },
    ScanIndexForward: false,
    Limit: 1,
  })));
  return { part: res.Items?.[0]?.sk?.S ?? null, queries: 1 };
}

/**
 * Whether a stored event is one the query asks for (the partition already narrows the time):
 * `since` included, `until` not, as /v1/stats counts, so that ranges laid end to end list every
 * event once.
 */
const wanted = (q: EventQuery, e: StoredEvent): boolean =>
  e.occurred_at >= q.since && e.occurred_at < q.until &&
  (q.type === undefined || e.type === q.type) && (q.provider === undefined || e.provider === q.provider);

/** The partition to start from: the cursor's, or the one of `until`. */
function firstPart(cursor: EventCursor | null, first: string, last: string): string {
  if (cursor === null) return last;
  // A day or month that exists (`2026-01-99` or `2026-00` would be walked back from forever).
  const real = last.length === 7 ? /^\d{4}-(?:0[1-9]|1[0-2])$/.test(cursor.part) : /^\d{4}-\d{2}-\d{2}$/.test(cursor.part) && parseApiDate(cursor.part) !== null;
  if (!real || cursor.part < first || cursor.part > last) {
    throw invalidCursor();
  }
  return cursor.part;
}

/**
 * Emits the events of `sorted` (newest first) that come after `after` and match the query, up to
 * the limit. Returns the order key of the last event looked at when the limit cut it short.
 */
function take(
  q: EventQuery, sorted: StoredEvent[], order: (e: StoredEvent) => OrderKey, after: OrderKey | undefined, out: StoredEvent[],
): OrderKey | null {
  for (const e of sorted) {
    const k = order(e);
    if (after && compareNewestFirst(k, after) <= 0) continue;
    if (!wanted(q, e)) continue;
    out.push(e);
    if (out.length >= q.limit) return k;
  }
  return null;
}

/**
 * One shard of a day on the by-time index, read newest first a Query (up to 1 MB) at a time.
 * `next` is the key to go on from; null once the shard is read to its end.
 */
interface ShardReader {
  pk: string;
  items: Item[];
  at: number;
  next: Item | undefined | null;
}

async function listByTime(db: DynamoDBClient, cfg: Config, q: EventQuery, cursor: EventCursor | null, reach: string): Promise<Page> {
  const first = q.since.slice(0, 10);
  let day = firstPart(cursor, first, q.until.slice(0, 10));
  let after = cursor?.after;
  const items: StoredEvent[] = [];
  let queries = 0;
  // Days are walked lazily from `until` back to `since` (one by one, then from marker to marker:
  // olderPart), so a range of centuries costs what its queried days cost. A day's pages are
  // spread over BY_TIME_SHARDS index keys (schema.ts), read side by side and merged by their sort
  // key (received_at, then page id), which gives the order one key would. Pages of one received_at (a run) are merged before their events are ordered;
  // a run is complete when a page of another received_at, or the day's end, is read.
  for (;;) {
    const top = after ? `${after[0]}#~` : '~';
    const shards: ShardReader[] = Array.from({ length: BY_TIME_SHARDS }, (_, s) => ({ pk: key.eventDay(day, s), items: [], at: 0, next: undefined }));
    let run: Item[] = [];
    for (;;) {
      // Every shard with nothing left in hand and more in the index is read on, all at once.
      const empty = shards.filter((s) => s.at >= s.items.length && s.next !== null);
      if (queries + empty.length > MAX_QUERIES) return { items, next: { part: day, ...(after ? { after } : {}) } };
      queries += empty.length;
      await Promise.all(empty.map(async (s) => {
        const res: QueryCommandOutput = await storeCall('Query', () => db.send(new QueryCommand({
          TableName: cfg.ddbTable,
          IndexName: INDEX.byTime,
          KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk <= :top',
          ExpressionAttributeValues: { ':pk': { S: s.pk }, ':top': { S: top } },
          ScanIndexForward: false,
          ...(s.next ? { ExclusiveStartKey: s.next } : {}),
        })));
        s.items = res.Items ?? [];
        s.at = 0;
        s.next = res.LastEvaluatedKey ?? null;
      }));
      const page = newestOf(shards);
      if (page === null) break;
      if (run.length > 0 && run[0]!.received_at?.S !== page.received_at?.S) {
        const events = await runEvents(run);
        const stop = take(q, events, byReceived, after, items);
        if (stop) return { items, next: { part: day, after: stop } };
        // Looked at in full: the next request starts after it.
        if (events.length > 0) after = byReceived(events[events.length - 1]!);
        run = [];
      }
      run.push(page);
    }
    if (run.length > 0) {
      const stop = take(q, await runEvents(run), byReceived, after, items);
      if (stop) return { items, next: { part: day, after: stop } };
    }
    const older = await olderPart(db, cfg, day, first, reach, key.lateDays, MAX_QUERIES - queries);
    queries += older.queries;
    if (older.part === null) return { items, next: null };
    day = older.part;
    after = undefined;
  }
}

/**
 * Takes the page with the greatest sort key among the shards' next ones (each shard's pages come
 * newest first). Null when every shard is read to its end; a shard with nothing in hand but more
 * in the index is never passed over (the caller reads it on first).
 */
function newestOf(shards: ShardReader[]): Item | null {
  let best: ShardReader | null = null;
  for (const s of shards) {
    if (s.at >= s.items.length) continue;
    if (best === null || s.items[s.at]!.gsi1sk!.S! > best.items[best.at]!.gsi1sk!.S!) best = s;
  }
  if (best === null) return null;
  return best.items[best.at++]!;
}

async function listByAddress(
  db: DynamoDBClient, cfg: Config, q: EventQuery, email: string, cursor: EventCursor | null, reach: string,
): Promise<Page> {
  const first = q.since.slice(0, 7);
  let month = firstPart(cursor, first, q.until.slice(0, 7));
  let after = cursor?.after;
  const bucket = bucketOf(email);
  const items: StoredEvent[] = [];
  let calls = 0;
  for (;;) {
    if (calls >= MAX_QUERIES) return { items, next: { part: month, ...(after ? { after } : {}) } };
    // The whole month (within the range) is read, then ordered: an address's events are spread
    // over the month's pages. A month that would take the request past its budget is left for
    // the next request, unless it alone is too big, which only a narrower range can help.
    const startedAt = calls;
    const pages: Item[] = [];
    let startKey: Item | undefined;
    do {
      if (calls >= MAX_MONTH_CALLS) {
        if (startedAt > 0) return { items, next: { part: month, ...(after ? { after } : {}) } };
        throw badRequest('too many events to search in this range; narrow since and until', 'range_too_large');
      }
      calls++;
      const res: QueryCommandOutput = await storeCall('Query', () => db.send(new QueryCommand({
        TableName: cfg.ddbTable,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':pk': { S: key.eventPage(month, bucket) }, ':from': { S: q.since.slice(0, 10) }, ':to': { S: `${q.until.slice(0, 10)}~` },
        },
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      })));
      pages.push(...(res.Items ?? []));
      startKey = res.LastEvaluatedKey;
    } while (startKey);
    const mine: StoredEvent[] = [];
    for (const page of pages) {
      if (!pageMayHold(page, email)) continue;
      for (const e of await eventsOfPage(page)) if (e.recipient === email) mine.push(e);
    }
    const stop = take(q, mine.sort((a, b) => compareNewestFirst(byOccurred(a), byOccurred(b))), byOccurred, after, items);
    if (stop) return { items, next: { part: month, after: stop } };
    const older = await olderPart(db, cfg, month, first, reach, key.lateMonths(bucket), MAX_QUERIES - calls);
    calls += older.queries;
    if (older.part === null) return { items, next: null };
    month = older.part;
    after = undefined;
  }
}

/** The events of pages received together, newest first. */
async function runEvents(run: Item[]): Promise<StoredEvent[]> {
  const events = (await Promise.all(run.map(eventsOfPage))).flat();
  return events.sort((a, b) => compareNewestFirst(byReceived(a), byReceived(b)));
}

const dayBefore = (day: string): string => new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

const monthBefore = (month: string): string => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 1 ? `${String(y - 1).padStart(4, '0')}-12` : `${String(y).padStart(4, '0')}-${String(m - 1).padStart(2, '0')}`;
};
