/** One DynamoDB client per configuration, reused across requests of an isolate. */
import { BatchGetItemCommand, DynamoDBClient, TransactionCanceledException, type AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Config } from '../config.js';
import { storeUnavailable } from '../http/errors.js';

const clients = new Map<string, DynamoDBClient>();

export function dynamoClient(cfg: Config): DynamoDBClient {
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
      // A store that does not answer must become a 503 well inside the provider's timeout.
      requestHandler: { requestTimeout: 2500, connectionTimeout: 1500 },
    });
    clients.set(id, client);
  }
  return client;
}

const CONDITION_FAILED = 'ConditionalCheckFailedException';
/** Outcomes the caller decides on; everything else is the store being unavailable. */
const PASSED_THROUGH = new Set([CONDITION_FAILED, 'TransactionCanceledException', 'HttpError']);

/** Runs a store call; anything but a failed condition becomes a 503 so providers retry. */
export async function storeCall<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof Error && PASSED_THROUGH.has(err.name)) throw err;
    const name = err instanceof Error ? err.name : 'unknown';
    const detail = err instanceof Error ? err.message.slice(0, 300) : '';
    console.error(`store: ${what} failed (${name}) ${detail}`);
    throw storeUnavailable();
  }
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

/** Jittered exponential backoff for throttled or conflicting store calls. */
export const backoff = (attempt: number): Promise<void> =>
  new Promise((r) => setTimeout(r, Math.min(50 * 2 ** attempt, 800) * (0.5 + Math.random())));
