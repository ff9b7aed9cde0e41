/**
 * Events, newest first: of one address (its partition) or of everyone (the by-day index), with
 * optional type/provider filters. Queries only; a page stops early after a bounded number of
 * Query calls and hands back a cursor, so one request never fans out without limit.
 */
import { QueryCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Config } from '../config.js';
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
  const days: (string | null)[] = q.email ? [null] : daysDescending(q.since, q.until);
  let dayAt = cursor?.day ? days.indexOf(cursor.day) : 0;
  if (dayAt < 0) dayAt = 0;
  let startKey = cursor?.key;
  let queries = 0;

  while (dayAt < days.length) {
    if (queries++ >= MAX_QUERIES) return { items, next: { ...(q.email ? {} : { day: days[dayAt]! }), ...(startKey ? { key: startKey } : {}) } };
    const day = days[dayAt];
    const res = await storeCall('Query', () => db.send(new QueryCommand({
      TableName: cfg.ddbTable,
      ...(day === null || day === undefined
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
    if (!startKey) {
      dayAt++;
    }
    if (items.length >= q.limit) {
      if (startKey) return { items, next: { ...(day ? { day } : {}), key: startKey } };
      return { items, next: dayAt < days.length ? { day: days[dayAt]! } : null };
    }
  }
  return { items, next: null };
}

function daysDescending(since: string, until: string): string[] {
  const days: string[] = [];
  const first = since.slice(0, 10);
  for (let t = Date.parse(`${until.slice(0, 10)}T00:00:00Z`); ; t -= 86_400_000) {
    const d = new Date(t).toISOString().slice(0, 10);
    if (d < first) break;
    days.push(d);
  }
  return days;
}
