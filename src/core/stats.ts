/**
 * Stats from the counter rows the store keeps per day (sk `hh|provider|type|class|reason`) and
 * per domain. Pure: rows in, the /v1/stats answer out.
 */
import { DAY_MS } from './time.js';

export type Interval = 'hour' | 'day';

export interface CounterRow {
  day: string;
  hour: string;
  provider: string;
  type: string;
  class: string;
  reason: string;
  n: number;
}

export interface DomainRow {
  domain: string;
  type: string;
  n: number;
}

export interface Breakdown {
  total: number;
  by_type: Record<string, number>;
  by_class: Record<string, number>;
  by_reason: Record<string, number>;
  by_provider: Record<string, number>;
}

export interface Bucket extends Breakdown {
  start: string;
}

export interface TopDomain {
  domain: string;
  bounced: number;
  complained: number;
  dropped: number;
  total: number;
}

const empty = (): Breakdown => ({ total: 0, by_type: {}, by_class: {}, by_reason: {}, by_provider: {} });

function add(b: Breakdown, r: CounterRow): void {
  b.total += r.n;
  b.by_type[r.type] = (b.by_type[r.type] ?? 0) + r.n;
  if (r.class !== '-') b.by_class[r.class] = (b.by_class[r.class] ?? 0) + r.n;
  if (r.reason !== '-') b.by_reason[r.reason] = (b.by_reason[r.reason] ?? 0) + r.n;
  b.by_provider[r.provider] = (b.by_provider[r.provider] ?? 0) + r.n;
}

/** Days (yyyy-mm-dd, UTC) that [since, until) touches: an `until` at midnight ends the day before. */
export function daysBetween(since: Date, until: Date): string[] {
  const days: string[] = [];
  const start = Date.UTC(since.getUTCFullYear(), since.getUTCMonth(), since.getUTCDate());
  for (let t = start; t < until.getTime(); t += DAY_MS) days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

/** Buckets of the rows whose hour falls in [since, until), oldest first; totals over the same rows. */
export function aggregate(rows: readonly CounterRow[], since: Date, until: Date, interval: Interval): { buckets: Bucket[]; totals: Breakdown } {
  const buckets = new Map<string, Bucket>();
  const totals = empty();
  for (const r of rows) {
    const hourStart = Date.parse(`${r.day}T${r.hour}:00:00.000Z`);
    // An hour counts when it overlaps the range.
    if (hourStart + 3_600_000 <= since.getTime() || hourStart >= until.getTime()) continue;
    const start = interval === 'hour' ? `${r.day}T${r.hour}:00:00.000Z` : `${r.day}T00:00:00.000Z`;
    let b = buckets.get(start);
    if (!b) buckets.set(start, (b = { start, ...empty() }));
    add(b, r);
    add(totals, r);
  }
  return { buckets: [...buckets.values()].sort((a, b) => (a.start < b.start ? -1 : 1)), totals };
}

export function topDomains(rows: readonly DomainRow[], limit = 10): TopDomain[] {
  const by = new Map<string, TopDomain>();
  for (const r of rows) {
    // Bouncing domains: unsubscribes (also counted per domain) are no failures, and the total is
    // the sum of the kinds shown.
    if (r.type !== 'bounced' && r.type !== 'complained' && r.type !== 'dropped') continue;
    let d = by.get(r.domain);
    if (!d) by.set(r.domain, (d = { domain: r.domain, bounced: 0, complained: 0, dropped: 0, total: 0 }));
    d[r.type] += r.n;
    d.total += r.n;
  }
  return [...by.values()].sort((a, b) => b.bounced - a.bounced || b.total - a.total || (a.domain < b.domain ? -1 : 1)).slice(0, limit);
}
