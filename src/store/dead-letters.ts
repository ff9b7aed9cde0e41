/**
 * Payloads that passed verification but could not be parsed: kept byte-exact with the error, so
 * nothing a provider sent is lost; listed and replayed through the API once the parser is fixed.
 * The body is split over part items (an item holds at most 400 KB), each under a partition key
 * of its own: DynamoDB writes one partition key at about 1,000 write units a second, and a 25 MB
 * email is about 33,000 of them. (Dead letters kept before this layout have their parts under
 * one key, DLB#<id>, and no `parts` count in their header; they are still read.)
 */
import { DeleteItemCommand, GetItemCommand, QueryCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Config } from '../config.js';
import { bytesToBase64, base64ToBytes } from '../crypto/base64.js';
import { DAY_MS } from '../core/time.js';
import { HttpError } from '../http/errors.js';
import { batchGet, putAll, storeCall } from './client.js';
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

/** The key of part `n` of a dead letter's body. */
const partKey = (id: string, n: number): Item => ({ pk: { S: `${key.deadLetterBody(id)}#${String(n).padStart(4, '0')}` }, sk: { S: 'P' } });

function partItems(id: string, body: Uint8Array, ttl: number): Item[] {
  const text = bytesToBase64(body);
  const parts: Item[] = [];
  for (let i = 0, n = 0; i < text.length || n === 0; i += PART_CHARS, n++) {
    parts.push({ ...partKey(id, n), ...toItem({ data: text.slice(i, i + PART_CHARS), ttl }) });
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
  const parts = partItems(id, body, ttl);
  // Every part first, then the listed header in a request of its own: a listed dead letter always
  // has its whole body (a batch may store some of its items and hand back the rest).
  await putAll(db, cfg, parts);
  await putAll(db, cfg, [toItem({ pk: key.deadLetters, sk: `${receivedAt}#${id}`, ...letter, parts: parts.length, ttl })]);
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
  const receivedAt = id.slice(0, 17).replace(/^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{3})$/, '$1-$2-$3T$4:$5:$6.$7Z');
  const header = await storeCall('GetItem', () => db.send(new GetItemCommand({
    TableName: cfg.ddbTable, Key: { pk: { S: key.deadLetters }, sk: { S: `${receivedAt}#${id}` } }, ConsistentRead: true,
  })));
  if (!header.Item) return null;
  const o = fromItem(header.Item) as unknown as DeadLetter & { parts?: number };
  const parts = typeof o.parts === 'number' ? await spreadParts(db, cfg, id, o.parts) : await oneKeyParts(db, cfg, id);
  const body = joinParts(parts);
  // Never replay part of a body: a truncated batch could parse, and lose the rest for good. Every
  // page was read, so a part is missing (expired apart from its header): asking again is no use.
  if (body.byteLength !== o.bytes) {
    throw new HttpError(422, 'dead_letter_incomplete', `the kept body has ${body.byteLength} of its ${o.bytes} bytes; it cannot be replayed`);
  }
  return { letter: { id: o.id, provider: o.provider, received_at: o.received_at, error: o.error, bytes: o.bytes }, body };
}

/**
 * The body from its parts, each decoded on its own (every part but the last holds a multiple of
 * 4 characters): a 25 MB body is never one 33 MB string. A part missing leaves the body short,
 * which the caller refuses.
 */
function joinParts(parts: Item[]): Uint8Array {
  const texts = parts.map((p) => p.data?.S ?? '');
  if (texts.some((t) => t.length % 4 !== 0)) throw new TypeError('invalid base64 in a dead letter part');
  // What each part decodes to (base64ToBytes refuses anything but standard base64).
  const size = (t: string) => (t.length / 4) * 3 - (t.endsWith('==') ? 2 : t.endsWith('=') ? 1 : 0);
  const body = new Uint8Array(texts.reduce((n, t) => n + size(t), 0));
  let at = 0;
  for (const t of texts) {
    const d = base64ToBytes(t);
    body.set(d, at);
    at += d.byteLength;
  }
  return body;
}

/** The parts of a body kept under a key each, in order (a missing part is left out: see the length check). */
async function spreadParts(db: DynamoDBClient, cfg: Config, id: string, count: number): Promise<Item[]> {
  const found = await batchGet(db, cfg.ddbTable, Array.from({ length: count }, (_, n) => partKey(id, n)), { consistent: true });
  const byKey = new Map(found.map((p) => [p.pk?.S, p]));
  return Array.from({ length: count }, (_, n) => byKey.get(partKey(id, n).pk!.S)).filter((p): p is Item => p !== undefined);
}

/** The parts of a body kept under one key, as dead letters were before (a Query answers at most 1 MB). */
async function oneKeyParts(db: DynamoDBClient, cfg: Config, id: string): Promise<Item[]> {
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
  return parts;
}

/** Drops a replayed dead letter from the list (its parts expire with their TTL). */
export async function forgetDeadLetter(db: DynamoDBClient, cfg: Config, letter: DeadLetter): Promise<void> {
  await storeCall('DeleteItem', () => db.send(new DeleteItemCommand({
    TableName: cfg.ddbTable, Key: { pk: { S: key.deadLetters }, sk: { S: `${letter.received_at}#${letter.id}` } },
  })));
}
