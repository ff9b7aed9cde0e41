/** One-time request values (e.g. Mailgun tokens) that a provider must never present twice. */
import { GetItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Config } from '../config.js';
import { storeCall } from './client.js';
import { toItem } from './codec.js';
import { key } from './schema.js';

const itemKey = (value: string) => toItem({ pk: key.replay(value), sk: key.replaySk });

export async function replayKeySeen(db: DynamoDBClient, cfg: Config, value: string, now: Date): Promise<boolean> {
  const res = await storeCall('GetItem', () =>
    db.send(new GetItemCommand({ TableName: cfg.ddbTable, Key: itemKey(value), ConsistentRead: true })));
  // TTL deletion is lazy: an expired item no longer counts.
  const ttl = Number(res.Item?.ttl?.N ?? 0);
  return res.Item !== undefined && ttl * 1000 > now.getTime();
}

export async function rememberReplayKey(
  db: DynamoDBClient, cfg: Config, replay: { key: string; ttlSeconds: number }, now: Date,
): Promise<void> {
  const ttl = Math.floor(now.getTime() / 1000) + replay.ttlSeconds;
  await storeCall('PutItem', () => db.send(new PutItemCommand({
    TableName: cfg.ddbTable,
    Item: { ...itemKey(replay.key), ttl: { N: String(ttl) } },
  })));
}
