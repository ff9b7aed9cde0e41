/**
 * One-time request values (e.g. Mailgun tokens) that a provider must never present twice, each
 * claimed for the body it came with.
 */
import { GetItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Config } from '../config.js';
import type { OneTimeClaim } from '../providers/types.js';
import { isConditionFailure, storeCall } from './client.js';
import { toItem } from './codec.js';
import { key } from './schema.js';

const itemKey = (value: string) => toItem({ pk: key.replay(value), sk: key.replaySk });

/**
 * Claims `claim.key` for `claim.digest`: a conditional write that succeeds when the key is unused
 * or its claim has passed its end (TTL deletion is lazy), so two requests racing with one token
 * and two bodies cannot both pass. When it is held, the claim stands for the same body (a retry
 * of the same request, answered as a duplicate) and for no other. A held claim is never written
 * again: a retry changes nothing. A store failure throws (503): the provider retries.
 */
export async function claimOnce(db: DynamoDBClient, cfg: Config, claim: OneTimeClaim, now: Date): Promise<boolean> {
  const nowSeconds = Math.floor(now.getTime() / 1000);
  try {
    await storeCall('PutItem', () => db.send(new PutItemCommand({
      TableName: cfg.ddbTable,
      Item: { ...itemKey(claim.key), digest: { S: claim.digest }, ttl: { N: String(nowSeconds + claim.ttlSeconds) } },
      ConditionExpression: 'attribute_not_exists(pk) OR #ttl <= :now',
      ExpressionAttributeNames: { '#ttl': 'ttl' },
      ExpressionAttributeValues: { ':now': { N: String(nowSeconds) } },
    })));
    return true;
  } catch (err) {
    if (!isConditionFailure(err)) throw err;
  }
  const held = await storeCall('GetItem', () =>
    db.send(new GetItemCommand({ TableName: cfg.ddbTable, Key: itemKey(claim.key), ConsistentRead: true })));
  return held.Item?.digest?.S === claim.digest;
}
