/**
 * The suppression list as a whole: pages newest first (by reason on gsi1, by domain on gsi2, or
 * all reasons merged), streamed exports, and imports. Queries and batch writes only.
 */
import { QueryCommand, TransactWriteItemsCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Config } from '../config.js';
import { normalizeAddress } from '../core/address.js';
import { handAddedExpiry, isActive, SUPPRESSION_REASONS, type Suppression, type SuppressionReason } from '../core/policy.js';
import type { ImportRow } from '../core/import-rows.js';
import { invalidCursor } from '../http/cursor.js';
import { storeUnavailable } from '../http/errors.js';
import { backoff, cancellationReasons, storeCall } from './client.js';
import { toAttr, type Item } from './codec.js';
import { suppressionFromItem, suppressionItem } from './items.js';
import { getSuppressions } from './suppressions.js';
import { INDEX, key } from './schema.js';

export interface SuppressionQuery {
  reason?: SuppressionReason;
  domain?: string;
  since?: string;
  until?: string;
  limit: number;
}

/** Per partition (reason or domain), the sort key after which the next page starts; null = exhausted. */
export type SuppressionCursor = Record<string, string | null>;

interface Partition {
  id: string;
  index: string;
  pkName: 'gsi1pk' | 'gsi2pk';
  skName: 'gsi1sk' | 'gsi2sk';
  pk: string;
}

function partitions(q: SuppressionQuery): Partition[] {
  if (q.domain) return [{ id: `d:${q.domain}`, index: INDEX.byDomain, pkName: 'gsi2pk', skName: 'gsi2sk', pk: key.suppressionDomain(q.domain) }];
  const reasons = q.reason ? [q.reason] : SUPPRESSION_REASONS;
  return reasons.map((r) => ({ id: `r:${r}`, index: INDEX.byTime, pkName: 'gsi1pk', skName: 'gsi1sk', pk: key.suppressionReason(r) }));
}

async function page(db: DynamoDBClient, cfg: Config, p: Partition, q: SuppressionQuery, after: string | undefined, limit: number) {
  // `since` included, `until` not, as for events and stats: a key is `<created_at>#<email>`, so
  // one made at `until` sorts after `until` itself.
  const values: Item = { ':pk': toAttr(p.pk), ':from': toAttr(q.since ?? '0000'), ':to': toAttr(q.until ?? '9999~') };
  const names: Record<string, string> = { '#pk': p.pkName, '#sk': p.skName };
  let filterExpression: string | undefined;
  if (q.domain && q.reason) {
    filterExpression = '#reason = :reason';
    names['#reason'] = 'reason';
    values[':reason'] = toAttr(q.reason);
  }
  const res = await storeCall('Query', () => db.send(new QueryCommand({
    TableName: cfg.ddbTable,
    IndexName: p.index,
    KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
    ...(filterExpression ? { FilterExpression: filterExpression } : {}),
    ScanIndexForward: false,
    Limit: limit,
    ...(after
      ? { ExclusiveStartKey: { [p.pkName]: toAttr(p.pk), [p.skName]: toAttr(after), pk: toAttr(key.address(after.slice(after.indexOf('#') + 1))), sk: toAttr(key.suppressionSk) } }
      : {}),
  })));
  const items = (res.Items ?? []).map((i) => ({ sort: i[p.skName]!.S!, s: suppressionFromItem(i) }));
  // Where DynamoDB stopped reading: past the last item returned when a filter dropped some.
  const stoppedAt = res.LastEvaluatedKey?.[p.skName]?.S;
  return { items, more: res.LastEvaluatedKey !== undefined, stoppedAt };
}

/**
 * One page, newest first. With several partitions (all reasons), each is read from where the
 * cursor left it and the results are merged by time, so the listing is one time order.
 */
export async function listSuppressions(
  db: DynamoDBClient, cfg: Config, q: SuppressionQuery, cursor: SuppressionCursor | null, now: Date,
): Promise<{ items: Suppression[]; next: SuppressionCursor | null }> {
  const all = partitions(q);
  if (cursor && !cursorFits(cursor, all, q)) throw invalidCursor();
  const parts = all.filter((p) => !cursor || cursor[p.id] !== null);
  const pages = await Promise.all(parts.map(async (p) => ({ p, ...(await page(db, cfg, p, q, cursor?.[p.id] ?? undefined, q.limit)) })));
  const merged = pages.flatMap(({ p, items }) => items.map((i) => ({ ...i, part: p.id }))).sort((a, b) => (a.sort < b.sort ? 1 : -1));
  const taken = merged.slice(0, q.limit);
  const next: SuppressionCursor = {};
  let more = false;
  for (const { p, items, more: partMore, stoppedAt } of pages) {
    const mine = taken.filter((t) => t.part === p.id);
    const allTaken = mine.length === items.length;
    // When every item read was taken, the partition goes on from where DynamoDB stopped: with a
    // filter (domain and reason) that may be past items it dropped, even on a page it left empty.
    const last = allTaken && stoppedAt !== undefined ? stoppedAt
      : mine.length > 0 ? mine[mine.length - 1]!.sort : cursor?.[p.id] ?? undefined;
    const exhausted = allTaken && !partMore;
    next[p.id] = exhausted ? null : (last ?? '');
    more ||= !exhausted;
  }
  for (const id of Object.keys(cursor ?? {})) if (!(id in next)) next[id] = null;
  // Expired time-limited suppressions may linger until TTL removes them: never listed.
  return { items: taken.map((t) => t.s).filter((s) => isActive(s, now)), next: more ? next : null };
}

/** Each position is a sort key this listing could have given: `<created_at>#<address>` in range. */
function cursorFits(cursor: SuppressionCursor, parts: Partition[], q: SuppressionQuery): boolean {
  const ids = new Set(parts.map((p) => p.id));
  return Object.entries(cursor).every(([id, at]) => {
    if (!ids.has(id)) return false;
    if (at === null || at === '') return true;
    // The address is anything an address may hold ("#", a quoted space): it must be one as stored.
    const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)#(.+)$/s.exec(at);
    if (!m || normalizeAddress(m[2]) !== m[2]) return false;
    if (q.domain && !m[2]!.endsWith(`@${q.domain}`)) return false;
    return (!q.since || m[1]! >= q.since) && (!q.until || m[1]! < q.until);
  });
}

/** Every active suppression, page by page (for exports). */
export async function* allSuppressions(db: DynamoDBClient, cfg: Config, now: Date): AsyncGenerator<Suppression[]> {
  let cursor: SuppressionCursor | null = null;
  do {
    const res: { items: Suppression[]; next: SuppressionCursor | null } = await listSuppressions(db, cfg, { limit: 500 }, cursor, now);
    if (res.items.length > 0) yield res.items;
    cursor = res.next;
  } while (cursor);
}

export interface ImportOutcome {
  imported: number;
  already: number;
}

/** Items per TransactWriteItems (DynamoDB's limit). */
const TRANSACT_ITEMS = 100;

/**
 * Adds imported rows that are not already suppressed (an active suppression is kept as it is:
 * an import never shortens or replaces what events decided). A row keeps the end it was exported
 * with; a soft_bounce_limit row without one ends as the policy's would. Each write holds the
 * condition that nothing active is there (no item, or one whose end has passed), so a suppression
 * stored between the read and the write (a hard bounce, a PUT) is kept and counted as already
 * there: 100 conditional puts per TransactWriteItems.
 */
export async function importSuppressions(db: DynamoDBClient, cfg: Config, rows: ImportRow[], now: Date): Promise<ImportOutcome> {
  const unique = new Map(rows.map((r) => [r.email, r]));
  const existing = await getSuppressions(db, cfg, [...unique.keys()], now);
  const nowIso = now.toISOString();
  const nowSeconds = String(Math.floor(now.getTime() / 1000));
  let imported = 0;
  const fresh = [...unique.values()].filter((r) => !existing.has(r.email));
  for (let i = 0; i < fresh.length; i += TRANSACT_ITEMS) {
    let batch = fresh.slice(i, i + TRANSACT_ITEMS);
    for (let attempt = 0; batch.length > 0; attempt++) {
      if (attempt > 5) throw storeUnavailable('the store stayed busy; retry later');
      const puts = batch.map((r) => ({
        Put: {
          TableName: cfg.ddbTable,
          Item: suppressionItem({
            email: r.email, reason: r.reason, created_at: nowIso, updated_at: nowIso,
            expires_at: r.expires_at ?? handAddedExpiry(r.reason, now, cfg), note: r.note,
            source: { provider: 'api', event_id: null, reply_code: null, status: null, reason: 'import' },
          }),
          ConditionExpression: 'attribute_not_exists(pk) OR #ttl <= :now',
          ExpressionAttributeNames: { '#ttl': 'ttl' },
          ExpressionAttributeValues: { ':now': { N: nowSeconds } },
        },
      }));
      try {
        await storeCall('TransactWriteItems', () => db.send(new TransactWriteItemsCommand({ TransactItems: puts })));
        imported += batch.length;
        batch = [];
      } catch (err) {
        const reasons = cancellationReasons(err);
        if (reasons === null) throw err;
        // Rows whose address was suppressed meanwhile are already there; the rest are retried
        // (after a backoff when something else than those conditions cancelled the transaction).
        const taken = batch.filter((_, k) => reasons[k] === 'ConditionalCheckFailed');
        batch = batch.filter((_, k) => reasons[k] !== 'ConditionalCheckFailed');
        if (taken.length === 0) await backoff(attempt);
      }
    }
  }
  return { imported, already: unique.size - imported };
}
