/**
 * Event pages: how the event history is stored. The events of one input are grouped by the day
 * they happened and by a bucket of their recipient's address, and each group becomes one item
 * holding the events as deflated JSON (plain JSON when that is short). One item per group
 * instead of one per event is what keeps the history cheap to write (a write unit is a started
 * KB, twice that in a transaction, plus the index copy), and the page's key, derived from its
 * events' ids, is what makes a redelivered input a no-op: its pages exist already.
 *
 * Reads: an address's events are in its bucket's monthly partition (read whole, then filtered);
 * everyone's events of a day are on the by-time index, newest received first.
 *
 * A page whose day is more than LATE_DAYS before it was received (a provider's retry after days,
 * a replayed dead letter, an old sample sent to try Rebote) is late: it also leaves markers of
 * its day and month (lateMarkerKeys). Every page lives EVENT_RETENTION_DAYS from its arrival, so a
 * page that is not late is never older than `reachDay`: listings walk back partition by
 * partition that far, and from marker to marker beyond, instead of through every day since 1970.
 */
import type { CanonicalEvent } from '../core/event.js';
import { hash128 } from '../core/id.js';
import { DAY_MS, dayOf } from '../core/time.js';
import type { Item } from './codec.js';
import { BY_TIME_SHARDS, epochSeconds, key } from './schema.js';

export interface StoredEvent extends CanonicalEvent {
  received_at: string;
}

/** An event, or an audit record that shares its layout (id, recipient, occurred_at + fields). */
export type EventRecord = Pick<CanonicalEvent, 'id' | 'recipient' | 'occurred_at'> & object;

/** Buckets per month: an address query reads 1/BUCKETS of the month; a batch writes up to BUCKETS pages a day. */
export const BUCKETS = 16;
/** A page's deflated events stay well under DynamoDB's 400 KB item limit. */
const MAX_PAGE_BYTES = 300 * 1024;

export interface Page<E extends EventRecord = EventRecord> {
  day: string;
  bucket: number;
  /** Newest first (occurred_at, then id, descending). */
  events: E[];
  id: string;
  item: Item;
  /** Size of the stored events (deflated, or as text for a short page). */
  bytes: number;
}

/**
 * From one hash of an address: the bucket its events go to, and its tag (32 other bits), which a
 * page lists for each of its recipients. Part of the stored layout, so they never change.
 */
function addressKeys(email: string): { bucket: number; tag: number } {
  const h = hash128(email);
  return { bucket: Number.parseInt(h.slice(0, 8), 16) % BUCKETS, tag: Number.parseInt(h.slice(8, 16), 16) };
}

export const bucketOf = (email: string): number => addressKeys(email).bucket;

/**
 * Whether a stored page may hold events of `email`, from its recipient tags, without inflating
 * it: an address query reads its bucket's whole month, and most pages there are other people's.
 */
export function pageMayHold(item: Item, email: string): boolean {
  const tags = item.rcpt?.B;
  if (!tags) return true;
  const view = new DataView(tags.buffer, tags.byteOffset, tags.byteLength);
  const { tag } = addressKeys(email);
  for (let i = 0; i + 4 <= tags.byteLength; i += 4) if (view.getUint32(i) === tag) return true;
  return false;
}

function tagsOf(events: readonly EventRecord[], tagOf: ReadonlyMap<string, number>): Uint8Array {
  const tags = [...new Set(events.map((e) => tagOf.get(e.recipient)!))].sort((a, b) => a - b);
  const bytes = new Uint8Array(tags.length * 4);
  const view = new DataView(bytes.buffer);
  tags.forEach((t, i) => view.setUint32(i * 4, t));
  return bytes;
}

export const monthOf = (day: string): string => day.slice(0, 7);

/** How many days after its day a page may arrive and not be late (providers retry for up to three). */
export const LATE_DAYS = 3;

/** The oldest day a page that is not late can have while it lives (EVENT_RETENTION_DAYS from its arrival). */
export const reachDay = (now: Date, retentionDays: number): string =>
  dayOf(new Date(now.getTime() - (retentionDays + LATE_DAYS) * DAY_MS).toISOString());

/**
 * The keys of the markers of the late pages among `pages`, received at `receivedAt`: one per day
 * and one per bucket and month (store/markers.ts writes them).
 */
export function lateMarkerKeys(pages: readonly Pick<Page, 'day' | 'bucket'>[], receivedAt: string): Item[] {
  const lateBefore = dayOf(new Date(Date.parse(receivedAt) - LATE_DAYS * DAY_MS).toISOString());
  const keys = new Map<string, Item>();
  for (const p of pages) {
    if (p.day >= lateBefore) continue;
    for (const [pk, sk] of [[key.lateDays, p.day], [key.lateMonths(p.bucket), monthOf(p.day)]] as const) {
      keys.set(`${pk}\u0000${sk}`, { pk: { S: pk }, sk: { S: sk } });
    }
  }
  return [...keys.values()];
}

/** When a page written at `receivedAt` expires (its TTL, epoch seconds). */
export const pageExpiry = (receivedAt: string, retentionDays: number): number => epochSeconds(receivedAt) + retentionDays * (DAY_MS / 1000);

/**
 * Where an event sorts in a listing, compared newest first, field by field: everyone's events of
 * a day by [received_at, occurred_at, id]; an address's events by [occurred_at, received_at, id].
 */
export type OrderKey = readonly [string, string, string];
export const byReceived = (e: StoredEvent): OrderKey => [e.received_at, e.occurred_at, e.id];
export const byOccurred = (e: StoredEvent): OrderKey => [e.occurred_at, e.received_at, e.id];
export function compareNewestFirst(a: OrderKey, b: OrderKey): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! > b[i]! ? -1 : 1;
  return 0;
}

const newestFirst = (a: EventRecord, b: EventRecord) =>
  a.occurred_at !== b.occurred_at ? (a.occurred_at > b.occurred_at ? -1 : 1) : a.id > b.id ? -1 : a.id < b.id ? 1 : 0;

/**
 * The pages of a set of events (distinct ids), written at `receivedAt`. Deterministic: the same
 * events give the same pages, byte for byte, whatever else arrives with them. A group is halved
 * (recursively) while `fits` refuses it, then while its deflated events are too big for one item.
 */
export async function buildPages<E extends EventRecord>(
  events: readonly E[], receivedAt: string, retentionDays: number, fits: (group: readonly E[]) => boolean = () => true,
): Promise<Page<E>[]> {
  const groups = new Map<string, E[]>();
  const tags = new Map<string, number>();
  for (const e of events) {
    const keys = addressKeys(e.recipient);
    tags.set(e.recipient, keys.tag);
    const g = `${dayOf(e.occurred_at)}|${keys.bucket}`;
    const list = groups.get(g);
    if (list) list.push(e);
    else groups.set(g, [e]);
  }
  const pages: Page<E>[] = [];
  for (const [g, list] of groups) {
    const [day, bucket] = g.split('|') as [string, string];
    for (const part of halves(list.sort(newestFirst), fits)) pages.push(...await pagesOf(day, Number(bucket), part, receivedAt, retentionDays, tags));
  }
  return pages;
}

function halves<E>(events: E[], fits: (group: readonly E[]) => boolean): E[][] {
  if (events.length <= 1 || fits(events)) return [events];
  const half = Math.ceil(events.length / 2);
  return [...halves(events.slice(0, half), fits), ...halves(events.slice(half), fits)];
}

/**
 * Events whose JSON is at most this long are stored as that text: such a page is under one
 * write unit either way, and deflating a few hundred bytes costs more (about half a
 * millisecond of stream set-up) than it saves.
 */
const PLAIN_PAGE_CHARS = 700;

/** One page, or halves of it (recursively) while its deflated events are too big for one item. */
async function pagesOf<E extends EventRecord>(
  day: string, bucket: number, events: E[], receivedAt: string, retentionDays: number, tags: ReadonlyMap<string, number>,
): Promise<Page<E>[]> {
  const json = JSON.stringify(events);
  const body = json.length <= PLAIN_PAGE_CHARS ? null : await deflate(json);
  const bytes = body === null ? json.length : body.length;
  if (bytes > MAX_PAGE_BYTES && events.length > 1) {
    const half = Math.ceil(events.length / 2);
    return [
      ...await pagesOf(day, bucket, events.slice(0, half), receivedAt, retentionDays, tags),
      ...await pagesOf(day, bucket, events.slice(half), receivedAt, retentionDays, tags),
    ];
  }
  const id = hash128(events.map((e) => e.id).join('\n'));
  const item: Item = {
    pk: { S: key.eventPage(monthOf(day), bucket) },
    sk: { S: key.pageSk(day, id) },
    gsi1pk: { S: key.eventDay(day, bucket % BY_TIME_SHARDS) },
    gsi1sk: { S: key.pageByTime(receivedAt, id) },
    received_at: { S: receivedAt },
    n: { N: String(events.length) },
    // Text (S) for a short page, deflated JSON (B) for the rest.
    events: body === null ? { S: json } : { B: body },
    rcpt: { B: tagsOf(events, tags) },
    ttl: { N: String(pageExpiry(receivedAt, retentionDays)) },
  };
  return [{ day, bucket, events, id, item, bytes }];
}

/** The events of a stored page, each with the page's received_at. */
export async function eventsOfPage(item: Item): Promise<StoredEvent[]> {
  const receivedAt = item.received_at?.S ?? '';
  const stored = item.events;
  const json = stored?.S ?? (stored?.B ? await inflate(stored.B) : null);
  if (json === null) return [];
  const events = JSON.parse(json) as CanonicalEvent[];
  return events.map((e) => ({ ...e, received_at: receivedAt }));
}

async function deflate(text: string): Promise<Uint8Array> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('deflate'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

async function inflate(bytes: Uint8Array): Promise<string> {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate'));
  return new Response(stream).text();
}
