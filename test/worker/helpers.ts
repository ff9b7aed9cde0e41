/** Shared helpers of the workerd tests: API calls, unique addresses, direct store reads. */
import { env, SELF } from 'cloudflare:test';
import { CreateTableCommand, QueryCommand, ScanCommand, type AttributeValue, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { readConfig } from '../../src/config.js';
import { dynamoClient } from '../../src/store/client.js';
import { fromItem } from '../../src/store/codec.js';
import { listEvents, type EventCursor } from '../../src/store/events.js';
import { key, TABLE_DEFINITION } from '../../src/store/schema.js';

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

/**
 * Everything stored about an address (in the test table, or the one `envOverride` names): the
 * items of its partition (suppression, soft-bounce history) read straight from DynamoDB, then its
 * events of 2020–2030 as the store lists them.
 */
export async function addressItems(email: string, envOverride: Record<string, string> = testEnv): Promise<Record<string, unknown>[]> {
  const cfg = readConfig(envOverride);
  const db = dynamoClient(cfg);
  const res = await db.send(new QueryCommand({
    TableName: cfg.ddbTable,
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': { S: key.address(email) } },
    ConsistentRead: true,
  }));
  const out: Record<string, unknown>[] = (res.Items ?? []).map(fromItem);
  let cursor: EventCursor | null = null;
  do {
    const page = await listEvents(db, cfg, { email, since: '2020-01-01T00:00:00.000Z', until: '2030-12-31T23:59:59.999Z', limit: 500 }, cursor, new Date());
    out.push(...page.items.map((e) => ({ ...e })));
    cursor = page.next;
  } while (cursor);
  return out;
}

/**
 * Steers the fault proxy in front of DynamoDB Local (test/setup/fault-proxy.ts) for the requests
 * that name `table` (test files run at the same time, each on tables of its own): the share of
 * requests each fault takes (an empty plan: none). Answers with what the previous plan injected.
 */
export async function setFaults(table: string, plan: object): Promise<Record<string, number>> {
  const url = `${testEnv.FAULT_PROXY_ENDPOINT}/__faults?table=${encodeURIComponent(table)}`;
  const { injected } = await (await fetch(url, { method: 'POST', body: JSON.stringify(plan) })).json<{ injected: Record<string, number> }>();
  return injected;
}

/**
 * A new empty table (from src/store/table.json) and the Worker env that points at it: for tests
 * that compare whole-store state, free of what other tests wrote.
 */
export async function freshTableEnv(): Promise<Record<string, string>> {
  const name = `t_${crypto.randomUUID().replaceAll('-', '')}`;
  const { TimeToLiveAttribute: _ttl, ...definition } = TABLE_DEFINITION;
  await dynamoClient(testConfig()).send(new CreateTableCommand({ ...(definition as CreateTableCommandInput), TableName: name }));
  return { ...testEnv, DDB_TABLE: name };
}

/** Every item of a table, through Queries on the partitions a test knows about. */
export async function partitionItems(envOverride: Record<string, string>, pks: string[]): Promise<Record<string, unknown>[]> {
  const cfg = readConfig(envOverride);
  const out: Record<string, unknown>[] = [];
  for (const pk of pks) {
    const res = await dynamoClient(cfg).send(new QueryCommand({
      TableName: cfg.ddbTable, KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': { S: pk } }, ConsistentRead: true,
    }));
    out.push(...(res.Items ?? []).map(fromItem));
  }
  return out;
}

/**
 * Every item of a (test) table, sorted by key: for whole-store comparisons between runs. Tests
 * only; the product never scans.
 */
export async function tableItems(envOverride: Record<string, string>): Promise<Record<string, unknown>[]> {
  const cfg = readConfig(envOverride);
  const out: Record<string, unknown>[] = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const res = await dynamoClient(cfg).send(new ScanCommand({ TableName: cfg.ddbTable, ConsistentRead: true, ...(start ? { ExclusiveStartKey: start } : {}) }));
    out.push(...(res.Items ?? []).map(fromItem));
    start = res.LastEvaluatedKey;
  } while (start);
  return out.sort((a, b) => `${a.pk}|${a.sk}`.localeCompare(`${b.pk}|${b.sk}`));
}
