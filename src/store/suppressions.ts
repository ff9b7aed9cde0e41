/** Reads and hand edits of the suppression list (the event-driven writes live in apply.ts). */
import {
  GetItemCommand, PutItemCommand, TransactWriteItemsCommand, TransactionCanceledException,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import type { Config } from '../config.js';
import { handAddedExpiry, isActive, type Suppression, type SuppressionReason } from '../core/policy.js';
import { stableId } from '../core/id.js';
import { HttpError, storeUnavailable } from '../http/errors.js';
import { batchGet, isConditionFailure, storeCall } from './client.js';
import { softKey, suppressionFromItem, suppressionItem, suppressionKey } from './items.js';
import { buildPages } from './pages.js';

export async function getSuppression(db: DynamoDBClient, cfg: Config, email: string, now: Date): Promise<Suppression | null> {
  const res = await storeCall('GetItem', () =>
    db.send(new GetItemCommand({ TableName: cfg.ddbTable, Key: suppressionKey(email), ConsistentRead: true })));
  const s = res.Item ? suppressionFromItem(res.Item) : null;
  return isActive(s, now) ? s : null;
}

/** Active suppressions among `emails` (already normalized and de-duplicated). */
export async function getSuppressions(
  db: DynamoDBClient, cfg: Config, emails: readonly string[], now: Date,
): Promise<Map<string, Suppression>> {
  const found = new Map<string, Suppression>();
  // Consistent, as a single look-up is: a check right after a PUT or DELETE sees it.
  for (const item of await batchGet(db, cfg.ddbTable, emails.map(suppressionKey), { consistent: true })) {
    const s = suppressionFromItem(item);
    if (isActive(s, now)) found.set(s.email, s);
  }
  return found;
}

/**
 * Adds or replaces a suppression by hand; keeps the original creation time of one that is active.
 * A suppression that never ends is not quietly given an end: replacing it with one that expires
 * (soft_bounce_limit) is refused with 409, and takes a DELETE first.
 */
export async function putSuppression(
  db: DynamoDBClient, cfg: Config, email: string, reason: SuppressionReason, note: string | null, now: Date,
): Promise<Suppression> {
  const existing = await getSuppression(db, cfg, email, now);
  const nowIso = now.toISOString();
  const expires_at = handAddedExpiry(reason, now, cfg);
  if (existing !== null && existing.expires_at === null && expires_at !== null) throw wouldExpire(email, reason, expires_at);
  const s: Suppression = {
    email, reason, note,
    created_at: existing?.created_at ?? nowIso,
    updated_at: nowIso,
    expires_at,
    source: { provider: 'api', event_id: null, reply_code: null, status: null, reason: null },
  };
  // One that ends may only replace nothing or one that ends too (a suppression that never ends
  // has no ttl): also when a lasting one was stored between the read above and this write.
  try {
    await storeCall('PutItem', () => db.send(new PutItemCommand({
      TableName: cfg.ddbTable,
      Item: suppressionItem(s),
      ...(expires_at !== null ? { ConditionExpression: 'attribute_not_exists(pk) OR attribute_exists(#ttl)', ExpressionAttributeNames: { '#ttl': 'ttl' } } : {}),
    })));
  } catch (err) {
    if (isConditionFailure(err)) throw wouldExpire(email, reason, expires_at!);
    throw err;
  }
  return s;
}

const wouldExpire = (email: string, reason: SuppressionReason, end: string): HttpError =>
  new HttpError(409, 'would_expire', `${email} is suppressed for good; a ${reason} suppression would end on ${end}: DELETE it first to replace it`);

/**
 * Lifts a suppression, records the removal in the address's event history (provider `api`, type
 * `unsuppressed`) and clears its soft-bounce history, in one transaction. Returns false when there
 * was nothing to lift.
 */
export async function deleteSuppression(db: DynamoDBClient, cfg: Config, email: string, now: Date): Promise<boolean> {
  const res = await storeCall('GetItem', () =>
    db.send(new GetItemCommand({ TableName: cfg.ddbTable, Key: suppressionKey(email), ConsistentRead: true })));
  if (!res.Item) return false;
  const old = suppressionFromItem(res.Item);
  // An expired suppression that TTL has not removed yet is already lifted: nothing to record.
  if (!isActive(old, now)) return false;
  const at = now.toISOString();
  const record = {
    id: stableId('api', ['unsuppressed', email, at]),
    provider: 'api',
    type: 'unsuppressed',
    recipient: email,
    occurred_at: at,
    message_id: null,
    previous_reason: old.reason,
  };
  const [page] = await buildPages([record], at, cfg.eventRetentionDays);
  try {
    await storeCall('TransactWriteItems', () => db.send(new TransactWriteItemsCommand({
      TransactItems: [
        {
          Delete: {
            TableName: cfg.ddbTable, Key: suppressionKey(email),
            ConditionExpression: 'updated_at = :seen', ExpressionAttributeValues: { ':seen': { S: old.updated_at } },
          },
        },
        { Put: { TableName: cfg.ddbTable, Item: page!.item } },
        // A lift is a fresh start: the soft bounces that reached the limit do not count again.
        { Delete: { TableName: cfg.ddbTable, Key: softKey(email) } },
      ],
    })));
  } catch (err) {
    // Changed between the read and the delete (its condition failed): the caller may simply try
    // again. Any other cancellation (throttling, a conflicting transaction) is the store's: 503.
    if (err instanceof TransactionCanceledException) {
      if (err.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') throw new HttpError(409, 'conflict', 'the suppression changed meanwhile; retry');
      throw storeUnavailable('the store was busy; retry later');
    }
    throw err;
  }
  return true;
}
