/**
 * Markers of late pages (pages.ts): items that say which days, and which months of an address
 * bucket, hold events that arrived more than LATE_DAYS after they happened, so that a listing
 * without `since` (events.ts) finds them without walking every day since 1970.
 *
 * Written before the input's pages, with plain writes outside its transactions: many late inputs
 * of one day all mark the same item, and on DynamoDB transactions that touch one item at once
 * cancel each other. A marker whose pages were not written after all only costs a listing a
 * Query. Read first, and written only when missing or shorter-lived than the new pages: a
 * redelivery within MARKER_EXTRA_DAYS writes nothing (a later one only lengthens markers).
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Config } from '../config.js';
import { DAY_MS } from '../core/time.js';
import { batchGet, putAll } from './client.js';
import type { Item } from './codec.js';
import { lateMarkerKeys, pageExpiry, type Page } from './pages.js';

/**
 * How much longer than the newest late page it was written for a marker lives. A redelivery of
 * the same input within that time finds it long enough and leaves it as it is, and of two
 * inputs that write a marker at once, whichever lands last leaves it outliving both's pages.
 */
const MARKER_EXTRA_DAYS = 7;

/** Writes the markers the late pages among `pages` need (none for pages that are not late). */
export async function markLatePages(
  db: DynamoDBClient, cfg: Config, pages: readonly Pick<Page, 'day' | 'bucket'>[], receivedAt: string,
): Promise<void> {
  const keys = lateMarkerKeys(pages, receivedAt);
  if (keys.length === 0) return;
  const needed = pageExpiry(receivedAt, cfg.eventRetentionDays);
  const lives = new Map<string, number>();
  for (const item of await batchGet(db, cfg.ddbTable, keys)) lives.set(keyOf(item), Number(item.ttl?.N ?? 0));
  const ttl = { N: String(needed + MARKER_EXTRA_DAYS * (DAY_MS / 1000)) };
  const stale: Item[] = keys.filter((k) => (lives.get(keyOf(k)) ?? 0) < needed).map((k) => ({ ...k, ttl }));
  await putAll(db, cfg, stale);
}

const keyOf = (item: Item): string => `${item.pk!.S!}\u0000${item.sk!.S!}`;
