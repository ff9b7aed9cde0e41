/**
 * One-time request values (e.g. Mailgun tokens) that a provider must never present twice, each
 * claimed for the body it came with.
 */
import { PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Config } from '../config.js';
import type { OneTimeClaim } from '../providers/types.js';
import { isConditionFailure, storeCall } from './client.js';
import { toItem } from './codec.js';
import { key } from './schema.js';

const itemKey = (value: string) => toItem({ pk: key.replay(value), sk: key.replaySk });

/**
 * Claims `claim.key` for `claim.digest` in one conditional write: it succeeds when the key is
 * unused, when its claim has passed its end (TTL deletion is lazy), or when it was claimed with
 * the same digest (a retry of the same request). Two requests racing with one token and two
 * bodies cannot both pass. A store failure throws (503): the provider retries.
 */
export async function claimOnce(db: DynamoDBClient, cfg: Config, claim: OneTimeClaim, now: Date): Promise<boolean> {
  const nowSeconds = Math.floor(now.getTime() / 1000);
  try {
    await storeCall('PutItem', () => db.send(new PutItemCommand({
      TableName: cfg.ddbTable,
      Item: { ...itemKey(claim.key), digest: { S: claim.digest }, ttl: { N: String(nowSeconds + claim.ttlSeconds) } },
      ConditionExpression: 'attribute_not_exists(pk) OR #ttl <= :now OR digest = :digest',
      ExpressionAttributeNames: { '#ttl': 'ttl' },
      ExpressionAttributeValues: { ':now': { N: String(nowSeconds) }, ':digest': { S: claim.digest } },
    })));
    return true;
  } catch (err) {
    if (isConditionFailure(err)) return false;
    throw err;
  }
}
