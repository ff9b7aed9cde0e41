/** One DynamoDB client per configuration, reused across requests of an isolate. */
import {
  BatchGetItemCommand, BatchWriteItemCommand, DynamoDBClient, TransactionCanceledException, type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { ConfigError, type Config } from '../config.js';
import { storeUnavailable } from '../http/errors.js';

const clients = new Map<string, DynamoDBClient>();

/** How long one try of a store call may take, its answer's body included. */
const ATTEMPT_MS = 2500;

/** An AWS region name: us-east-1, ap-southeast-2, us-gov-west-1, eusc-de-east-1. */
const REGION = /^[a-z]{2,4}(?:-[a-z]+)+-\d{1,2}$/;

/**
 * Settings AWS would refuse every call over, which would otherwise only show as a store outage
 * (503) on every request. DynamoDB Local takes any credentials and region.
 */
function checkAwsSettings(cfg: Config): void {
  if (cfg.ddbEndpoint !== undefined) return;
  if (cfg.awsAccessKeyId === '' || cfg.awsSecretAccessKey === '') {
    throw new ConfigError('AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set (secrets) unless DDB_ENDPOINT names a DynamoDB Local');
  }
  if (!REGION.test(cfg.awsRegion)) throw new ConfigError(`AWS_REGION must be an AWS region such as us-east-1, got "${cfg.awsRegion}"`);
}

export function dynamoClient(cfg: Config): DynamoDBClient {
  checkAwsSettings(cfg);
  const id = [cfg.ddbEndpoint ?? '', cfg.awsRegion, cfg.awsAccessKeyId].join('|');
  let client = clients.get(id);
  if (!client) {
    client = new DynamoDBClient({
      region: cfg.awsRegion,
      ...(cfg.ddbEndpoint ? { endpoint: cfg.ddbEndpoint } : {}),
      credentials: {
        // DynamoDB Local accepts any credentials; production gets real ones from secrets.
        accessKeyId: cfg.awsAccessKeyId || 'local',
        secretAccessKey: cfg.awsSecretAccessKey || 'local',
      },
      maxAttempts: 3,
      // A store that does not answer must become a 503 well inside the provider's timeout. The
      // handler's own requestTimeout ends with the answer's head: a store that stops mid-body
      // would hold the request for good. A signal on each try's fetch covers its body too; its
      // TimeoutError is one the SDK retries.
      requestHandler: { requestTimeout: ATTEMPT_MS, connectionTimeout: 1500, requestInit: () => ({ signal: AbortSignal.timeout(ATTEMPT_MS) }) },
    });
    clients.set(id, client);
  }
  return client;
}

const CONDITION_FAILED = 'ConditionalCheckFailedException';
/** Outcomes the caller decides on; everything else is the store being unavailable. */
const PASSED_THROUGH = new Set([CONDITION_FAILED, 'TransactionCanceledException', 'HttpError']);

/**
 * AWS's answers to a request it will never accept as configured: credentials it does not know or
 * that do not sign, a user without the grants, a table that is not there (DDB_TABLE or
 * AWS_REGION). Retrying cannot help until an operator fixes the setting, so they are said as one.
 */
const MISCONFIGURED: Readonly<Record<string, string>> = {
  UnrecognizedClientException: 'AWS_ACCESS_KEY_ID is not a key AWS knows',
  InvalidSignatureException: 'AWS_SECRET_ACCESS_KEY does not match AWS_ACCESS_KEY_ID',
  MissingAuthenticationTokenException: 'AWS_ACCESS_KEY_ID is not a key AWS knows',
  AccessDeniedException: 'the AWS user of AWS_ACCESS_KEY_ID lacks a DynamoDB permission the infra/ template grants',
  ResourceNotFoundException: 'the table DDB_TABLE does not exist in AWS_REGION',
};

/** How many times a single write refused by another transaction's hold on its item is tried again. */
const CONFLICT_RETRIES = 4;

/**
 * Runs a store call. A failed condition is the caller's to decide; a setting AWS refuses becomes
 * a 500 `misconfigured` naming it; anything else becomes a 503, so that providers retry.
 */
export async function storeCall<T>(what: string, fn: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      // A single write to an item that a transaction is writing at that moment (a webhook's, on
      // the same address) is refused without being done; the SDK does not retry it. Once the
      // transaction ends, the same write goes through.
      if (err instanceof Error && err.name === 'TransactionConflictException' && attempt < CONFLICT_RETRIES) {
        await backoff(attempt);
        continue;
      }
      return failed(what, err);
    }
  }
}

function failed(what: string, err: unknown): never {
  if (err instanceof Error && PASSED_THROUGH.has(err.name)) throw err;
  const name = err instanceof Error ? err.name : 'unknown';
  const detail = err instanceof Error ? err.message.slice(0, 300) : '';
  console.error(`store: ${what} failed (${name}) ${detail}`);
  const setting = MISCONFIGURED[name];
  if (setting !== undefined) throw new ConfigError(`the store refused ${what}: ${setting} (${name})`);
  throw storeUnavailable();
}

export const isConditionFailure = (err: unknown): boolean => err instanceof Error && err.name === CONDITION_FAILED;

/** The code of each item of a cancelled transaction ('ConditionalCheckFailed', 'None', ...), or null for any other error. */
export function cancellationReasons(err: unknown): (string | undefined)[] | null {
  if (err instanceof TransactionCanceledException) return (err.CancellationReasons ?? []).map((r) => r.Code);
  return null;
}

type Key = Record<string, AttributeValue>;

/** BatchGetItem over any number of keys: 100 per call, unprocessed keys retried with backoff. */
export async function batchGet(
  db: DynamoDBClient, table: string, keys: Key[], opts: { consistent?: boolean; projection?: string } = {},
): Promise<Key[]> {
  const out: Key[] = [];
  for (let i = 0; i < keys.length; i += 100) {
    let request: Key[] = keys.slice(i, i + 100);
    for (let attempt = 0; request.length > 0; attempt++) {
      if (attempt > 5) throw storeUnavailable('the store stayed busy; retry later');
      const batch = request;
      const res = await storeCall('BatchGetItem', () => db.send(new BatchGetItemCommand({
        RequestItems: {
          [table]: {
            Keys: batch,
            ...(opts.consistent ? { ConsistentRead: true } : {}),
            ...(opts.projection ? { ProjectionExpression: opts.projection } : {}),
          },
        },
      })));
      out.push(...(res.Responses?.[table] ?? []));
      request = res.UnprocessedKeys?.[table]?.Keys ?? [];
      if (request.length > 0) await backoff(attempt);
    }
  }
  return out;
}

/** Batches of 25 puts, each retried for its unprocessed items (throttling) with a backoff. */
export async function putAll(db: DynamoDBClient, cfg: Config, items: Key[]): Promise<void> {
  for (let i = 0; i < items.length; i += 25) {
    const batch = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
    await storeCall('BatchWriteItem', async () => {
      let pending = batch;
      for (let attempt = 0; pending.length > 0 && attempt < 8; attempt++) {
        if (attempt > 0) await backoff(attempt - 1);
        const res = await db.send(new BatchWriteItemCommand({ RequestItems: { [cfg.ddbTable]: pending } }));
        pending = (res.UnprocessedItems?.[cfg.ddbTable] ?? []) as typeof pending;
      }
      if (pending.length > 0) throw Object.assign(new Error('unprocessed items'), { name: 'Unprocessed' });
    });
  }
}

/** Jittered exponential backoff for throttled or conflicting store calls. */
export const backoff = (attempt: number): Promise<void> =>
  new Promise((r) => setTimeout(r, Math.min(50 * 2 ** attempt, 800) * (0.5 + Math.random())));
