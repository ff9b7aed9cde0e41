/**
 * Payloads that passed verification but could not be parsed: kept byte-exact with the error, so
 * nothing a provider sent is lost; listed and replayed through the API once the parser is fixed.
 * The body is split over part items (an item holds at most 400 KB).
 */
import {
  BatchWriteItemCommand, DeleteItemCommand, GetItemCommand, QueryCommand, type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import type { Config } from '../config.js';
import { bytesToBase64, base64ToBytes } from '../crypto/base64.js';
import { DAY_MS } from '../core/time.js';
import { HttpError } from '../http/errors.js';
import { backoff, storeCall } from './client.js';
import { fromItem, toItem, type Item } from './codec.js';
import { epochSeconds, key } from './schema.js';

const PART_CHARS = 300_000;

export interface DeadLetter {
  id: string;
  provider: string;
  received_at: string;
  error: { code: string; message: string };
  bytes: number;
}

function partItems(id: string, body: Uint8Array, ttl: number): Item[] {
  const text = bytesToBase64(body);
  const parts: Item[] = [];
  for (let i = 0, n = 0; i < text.length || n === 0; i += PART_CHARS, n++) {
    parts.push(toItem({ pk: key.deadLetterBody(id), sk: `P#${String(n).padStart(4, '0')}`, data: text.slice(i, i + PART_CHARS), ttl }));
  }
  return parts;
}

/**
 * The error a dead letter keeps for a parser failure: a parser's own refusal as it is, anything
 * else (a crash, a library's limit) as "parser_failed", logged with its stack.
 */
export function parseFailure(err: unknown, where: string): { code: string; message: string } {
  if (err instanceof HttpError) return { code: err.code, message: err.message };
  console.error(`${where}: parser failed:`, err instanceof Error ? err.stack : err);
  return { code: 'parser_failed', message: 'the parser failed' };
}

export async function keepDeadLetter(
  db: DynamoDBClient, cfg: Config, provider: string, body: Uint8Array, error: { code: string; message: string }, now: Date,
): Promise<DeadLetter> {
  const receivedAt = now.toISOString();
  const id = `${receivedAt.replace(/[^0-9]/g, '')}-${crypto.randomUUID().slice(0, 8)}`;
  const ttl = epochSeconds(receivedAt) + cfg.eventRetentionDays * (DAY_MS / 1000);
  const letter: DeadLetter = { id, provider, received_at: receivedAt, error, bytes: body.byteLength };
  const items = [
    ...partItems(id, body, ttl),
    toItem({ pk: key.deadLetters, sk: `${receivedAt}#${id}`, ...letter, ttl }),
  ];
  // Parts first, the listed header last: a listed dead letter always has its whole body.
  for (let i = 0; i < items.length; i += 25) {
    const batch = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
    await storeCall('BatchWriteItem', async () => {
      let pending = batch;
      for (let attempt = 0; pending.length > 0 && attempt < 5; attempt++) {
        if (attempt > 0) await backoff(attempt - 1);
        const res = await db.send(new BatchWriteItemCommand({ RequestItems: { [cfg.ddbTable]: pending } }));
        pending = (res.UnprocessedItems?.[cfg.ddbTable] ?? []) as typeof pending;
      }
      if (pending.length > 0) throw Object.assign(new Error('unprocessed items'), { name: 'Unprocessed' });
    });
  }
  return letter;
}

export async function listDeadLetters(db: DynamoDBClient, cfg: Config, limit: number, after: string | null): Promise<{ items: DeadLetter[]; next: string | null }> {
  const res = await storeCall('Query', () => db.send(new QueryCommand({
    TableName: cfg.ddbTable,
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': { S: key.deadLetters } },
    ScanIndexForward: false,
    Limit: limit,
    ...(after ? { ExclusiveStartKey: { pk: { S: key.deadLetters }, sk: { S: after } } } : {}),
  })));
  const items = (res.Items ?? []).map((i) => {
    const o = fromItem(i) as unknown as DeadLetter & { sk: string };
    return { id: o.id, provider: o.provider, received_at: o.received_at, error: o.error, bytes: o.bytes };
  });
  return { items, next: res.LastEvaluatedKey?.sk?.S ?? null };
}

/** The dead letter and its body, or null when there is none with this id. */
export async function readDeadLetter(db: DynamoDBClient, cfg: Config, id: string): Promise<{ letter: DeadLetter; body: Uint8Array } | null> {
  // A Query answers at most 1 MB: a body of more than three parts takes several.
  const parts: Item[] = [];
  let from: Item | undefined;
  do {
    const start = from;
    const res = await storeCall('Query', () => db.send(new QueryCommand({
      TableName: cfg.ddbTable,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': { S: key.deadLetterBody(id) } },
      ConsistentRead: true,
      ...(start ? { ExclusiveStartKey: start } : {}),
    })));
    parts.push(...(res.Items ?? []));
    from = res.LastEvaluatedKey;
  } while (from);
  if (parts.length === 0) return null;
  const receivedAt = id.slice(0, 17).replace(/^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{3})$/, '$1-$2-$3T$4:$5:$6.$7Z');
  const header = await storeCall('GetItem', () => db.send(new GetItemCommand({
    TableName: cfg.ddbTable, Key: { pk: { S: key.deadLetters }, sk: { S: `${receivedAt}#${id}` } }, ConsistentRead: true,
  })));
  if (!header.Item) return null;
  const o = fromItem(header.Item) as unknown as DeadLetter;
  const body = base64ToBytes(parts.map((p) => p.data?.S ?? '').join(''));
  // Never replay part of a body: a truncated batch could parse, and lose the rest for good. Every
  // page was read, so a part is missing (expired apart from its header): asking again is no use.
  if (body.byteLength !== o.bytes) {
    throw new HttpError(422, 'dead_letter_incomplete', `the kept body has ${body.byteLength} of its ${o.bytes} bytes; it cannot be replayed`);
  }
  return { letter: { id: o.id, provider: o.provider, received_at: o.received_at, error: o.error, bytes: o.bytes }, body };
}

/** Drops a replayed dead letter from the list (its parts expire with their TTL). */
export async function forgetDeadLetter(db: DynamoDBClient, cfg: Config, letter: DeadLetter): Promise<void> {
  await storeCall('DeleteItem', () => db.send(new DeleteItemCommand({
    TableName: cfg.ddbTable, Key: { pk: { S: key.deadLetters }, sk: { S: `${letter.received_at}#${letter.id}` } },
  })));
}
