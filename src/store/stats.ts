/** Reads the per-day counter partitions for /v1/stats: one Query per day and kind, never a Scan. */
import { QueryCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Config } from '../config.js';
import { aggregate, daysBetween, topDomains, type Breakdown, type Bucket, type CounterRow, type DomainRow, type Interval, type TopDomain } from '../core/stats.js';
import { storeCall } from './client.js';
import { fromItem, type Item } from './codec.js';
import { key } from './schema.js';

/**
 * One request reads at most this many days (two Queries a day, so about 190 subrequests: a
 * Workers paid plan allows 1000). Longer views are several requests.
 */
export const MAX_STATS_DAYS = 93;

async function partition(db: DynamoDBClient, cfg: Config, pk: string): Promise<Item[]> {
  const out: Item[] = [];
  let start: Item | undefined;
  do {
    const res = await storeCall('Query', () => db.send(new QueryCommand({
      TableName: cfg.ddbTable,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': { S: pk } },
      ...(start ? { ExclusiveStartKey: start } : {}),
    })));
    out.push(...(res.Items ?? []));
    start = res.LastEvaluatedKey;
  } while (start);
  return out;
}

export interface StatsAnswer {
  buckets: Bucket[];
  totals: Breakdown;
  top_domains: TopDomain[];
}

export async function readStats(db: DynamoDBClient, cfg: Config, since: Date, until: Date, interval: Interval): Promise<StatsAnswer> {
  const days = daysBetween(since, until);
  const counters: CounterRow[] = [];
  const domains: DomainRow[] = [];
  await Promise.all(days.map(async (day) => {
    const [c, d] = await Promise.all([partition(db, cfg, key.counterDay(day)), partition(db, cfg, key.domainCounterDay(day))]);
    for (const item of c) {
      const o = fromItem(item);
      const [hour = '00', provider = '-', type = '-', cls = '-', reason = '-'] = String(o.sk).split('|');
      counters.push({ day, hour, provider, type, class: cls, reason, n: Number(o.n ?? 0) });
    }
    for (const item of d) {
      const o = fromItem(item);
      const sk = String(o.sk);
      const bar = sk.lastIndexOf('|');
      domains.push({ domain: sk.slice(0, bar), type: sk.slice(bar + 1), n: Number(o.n ?? 0) });
    }
  }));
  // Domain counters are per day: for the top list, a day counts when it overlaps the range.
  return { ...aggregate(counters, since, until, interval), top_domains: topDomains(domains) };
}
