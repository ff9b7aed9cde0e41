/** Reads the per-month counter partitions for /v1/stats: one Query per month and kind (more for a big month), never a Scan. */
import { QueryCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Config } from '../config.js';
import { aggregate, daysBetween, topDomains, type Breakdown, type Bucket, type CounterRow, type DomainRow, type Interval, type TopDomain } from '../core/stats.js';
import { storeCall } from './client.js';
import { fromItem, type Item } from './codec.js';
import { counterSkBase, key } from './schema.js';

/**
 * One request reads at most this many days: four months at most, so about eight Queries (more
 * for months with many counters), well inside the Workers free plan's 50 subrequests.
 */
export const MAX_STATS_DAYS = 93;

/** The items of a counter partition whose sort keys start with a day from `fromDay` to `toDay` (dd). */
async function partition(db: DynamoDBClient, cfg: Config, pk: string, fromDay: string, toDay: string): Promise<Item[]> {
  const out: Item[] = [];
  let start: Item | undefined;
  do {
    const res = await storeCall('Query', () => db.send(new QueryCommand({
      TableName: cfg.ddbTable,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': { S: pk }, ':from': { S: fromDay }, ':to': { S: `${toDay}~` } },
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
  // The range's days, by month: each month's partition is read for its days of the range only.
  const months = new Map<string, string[]>();
  for (const day of daysBetween(since, until)) {
    const list = months.get(day.slice(0, 7));
    if (list) list.push(day.slice(8));
    else months.set(day.slice(0, 7), [day.slice(8)]);
  }
  const counters: CounterRow[] = [];
  const domains: DomainRow[] = [];
  await Promise.all([...months].map(async ([month, dds]) => {
    const [first, last] = [dds[0]!, dds[dds.length - 1]!];
    const [c, d] = await Promise.all([
      partition(db, cfg, key.counterMonth(month), first, last),
      partition(db, cfg, key.domainCounterMonth(month), first, last),
    ]);
    for (const item of c) {
      const o = fromItem(item);
      const [dd = '01', hour = '00', provider = '-', type = '-', cls = '-', reason = '-'] = counterSkBase(String(o.sk)).split('|');
      counters.push({ day: `${month}-${dd}`, hour, provider, type, class: cls, reason, n: Number(o.n ?? 0) });
    }
    for (const item of d) {
      const o = fromItem(item);
      const sk = counterSkBase(String(o.sk));
      const bar = sk.lastIndexOf('|');
      domains.push({ domain: sk.slice(sk.indexOf('|') + 1, bar), type: sk.slice(bar + 1), n: Number(o.n ?? 0) });
    }
  }));
  // Domain counters are per day: for the top list, a day counts when it overlaps the range.
  return { ...aggregate(counters, since, until, interval), top_domains: topDomains(domains) };
}
