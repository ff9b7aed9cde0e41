/**
 * Events, newest first: of one address (its partition) or of everyone (the by-day index), with
 * optional type/provider filters. Queries only; a page stops early after a bounded number of
 * Query calls and hands back a cursor, so one request never fans out without limit.
 */
import { QueryCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Config } from '../config.js';
import { badRequest } from '../http/errors.js';
import { storeCall } from './client.js';
import { toAttr, type Item } from './codec.js';
import { eventFromItem, type StoredEvent } from './items.js';
import { INDEX, key } from './schema.js';

export interface EventQuery {
  email?: string;
  type?: string;
  provider?: string;
  since: string;
  until: string;
  limit: number;
}

/** Where the previous page stopped: the day partition (by-time listing) and the last key read. */
export interface EventCursor {
  day?: string;
  key?: Record<string, string>;
}

const MAX_QUERIES = 30;

function filter(q: EventQuery): { FilterExpression?: string; names: Record<string, string>; values: Item } {
  const parts: string[] = [];
  const names: Record<string, string> = {};
  const values: Item = {};
  if (q.type) {
    parts.push('#type = :type');
    names['#type'] = 'type';
    values[':type'] = toAttr(q.type);
  }
  if (q.provider) {
    parts.push('#provider = :provider');
    names['#provider'] = 'provider';
    values[':provider'] = toAttr(q.provider);
  }
  return { ...(parts.length ? { FilterExpression: parts.join(' AND ') } : {}), names, values };
}

const keyOf = (item: Record<string, { S?: string }> | undefined) =>
  item ? Object.fromEntries(Object.entries(item).map(([k, v]) => [k, v.S ?? ''])) : undefined;
const toKey = (k: Record<string, string>): Item => Object.fromEntries(Object.entries(k).map(([n, v]) => [n, { S: v }]));

export async function listEvents(
  db: DynamoDBClient, cfg: Config, q: EventQuery, cursor: EventCursor | null,
): Promise<{ items: StoredEvent[]; next: EventCursor | null }> {
  const f = filter(q);
  const items: StoredEvent[] = [];
  const firstDay = q.since.slice(0, 10);
  // Days are walked lazily from `until` back to `since`: a range of centuries costs what its
  // queried days cost, and a page stops after MAX_QUERIES calls with a cursor.
  let day: string | null = q.email ? null : cursor?.day ?? q.until.slice(0, 10);
  if (day !== null && (day > q.until.slice(0, 10) || day < firstDay)) day = q.until.slice(0, 10);
  let startKey = cursor?.key;
  if (cursor && !cursorFits(cursor, q, day)) throw badRequest('the cursor is not one this API gave out', 'invalid_cursor');
  for (let queries = 0; ; queries++) {
    if (queries >= MAX_QUERIES) return { items, next: { ...(day ? { day } : {}), ...(startKey ? { key: startKey } : {}) } };
    const res = await storeCall('Query', () => db.send(new QueryCommand({
      TableName: cfg.ddbTable,
      ...(day === null
        ? {
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: {
            ':pk': toAttr(key.address(q.email!)), ':from': toAttr(`${key.eventPrefix}${q.since}`), ':to': toAttr(`${key.eventPrefix}${q.until}~`), ...f.values,
          },
        }
        : {
          IndexName: INDEX.byTime,
          KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk BETWEEN :from AND :to',
          ExpressionAttributeValues: { ':pk': toAttr(key.eventDay(day)), ':from': toAttr(q.since), ':to': toAttr(`${q.until}~`), ...f.values },
        }),
      ...(f.FilterExpression ? { FilterExpression: f.FilterExpression, ExpressionAttributeNames: f.names } : {}),
      ScanIndexForward: false,
      Limit: q.limit - items.length,
      ...(startKey ? { ExclusiveStartKey: toKey(startKey) } : {}),
    })));
    items.push(...(res.Items ?? []).map(eventFromItem));
    startKey = keyOf(res.LastEvaluatedKey);
    const more = startKey !== undefined;
    if (!more) {
      // This partition is done: on to the day before, if the range goes back that far.
      const previous = day === null ? null : dayBefore(day);
      if (previous === null || previous < firstDay) return { items, next: null };
      day = previous;
    }
    if (items.length >= q.limit) return { items, next: { ...(day ? { day } : {}), ...(startKey ? { key: startKey } : {}) } };
  }
}

/** A cursor names a day of the range and a key of the partition it points into, nothing else. */
function cursorFits(cursor: EventCursor, q: EventQuery, day: string | null): boolean {
  if (cursor.day !== undefined && (!/^\d{4}-\d{2}-\d{2}$/.test(cursor.day) || cursor.day !== day)) return false;
  const k = cursor.key;
  if (k === undefined) return true;
  const names = Object.keys(k).sort().join(',');
  const inRange = (v: string | undefined) => v !== undefined && v >= q.since && v <= `${q.until}~`;
  if (day === null) {
    return names === 'pk,sk' && k.pk === key.address(q.email!) && k.sk!.startsWith(key.eventPrefix) && inRange(k.sk!.slice(key.eventPrefix.length));
  }
  return names === 'gsi1pk,gsi1sk,pk,sk' && k.gsi1pk === key.eventDay(day) && inRange(k.gsi1sk) &&
    k.pk!.startsWith('A#') && k.pk!.length > 2 && k.sk!.startsWith(key.eventPrefix);
}

const dayBefore = (day: string): string => new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
