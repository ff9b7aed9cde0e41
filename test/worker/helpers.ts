/** Shared helpers of the workerd tests: API calls, unique addresses, direct store reads. */
import { env, SELF } from 'cloudflare:test';
import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { readConfig } from '../../src/config.js';
import { dynamoClient } from '../../src/store/client.js';
import { fromItem } from '../../src/store/codec.js';
import { key } from '../../src/store/schema.js';

export const ADMIN_KEY = 'admin-test-key';
export const READ_KEY = 'read-test-key';
export const BASE = 'https://rebote.test';

export const testEnv = env as unknown as Record<string, string>;
export const testConfig = () => readConfig(testEnv);

export function uniqueEmail(tag = 'user'): string {
  return `${tag}-${crypto.randomUUID().slice(0, 12)}@example.com`;
}

export function api(path: string, init: RequestInit & { key?: string | null } = {}): Promise<Response> {
  const { key: apiKey = ADMIN_KEY, headers, ...rest } = init;
  const h = new Headers(headers);
  if (apiKey !== null) h.set('authorization', `Bearer ${apiKey}`);
  if (rest.body !== undefined && !h.has('content-type')) h.set('content-type', 'application/json');
  return SELF.fetch(`${BASE}${path}`, { ...rest, headers: h });
}

/** Every item stored under an address (events, suppression, soft-bounce history), read straight from DynamoDB. */
export async function addressItems(email: string): Promise<Record<string, unknown>[]> {
  const cfg = testConfig();
  const res = await dynamoClient(cfg).send(new QueryCommand({
    TableName: cfg.ddbTable,
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': { S: key.address(email) } },
    ConsistentRead: true,
  }));
  return (res.Items ?? []).map(fromItem);
}
