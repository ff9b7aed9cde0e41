import { describe, expect, it } from 'vitest';
import { aggregate, daysBetween, topDomains, type CounterRow } from '../../src/core/stats.js';

const row = (day: string, hour: string, type: string, n: number, extra: Partial<CounterRow> = {}): CounterRow =>
  ({ day, hour, provider: 'ses', type, class: '-', reason: '-', n, ...extra });

describe('stats aggregation', () => {
  const rows = [
    row('2026-11-01', '09', 'delivered', 5),
    row('2026-11-01', '23', 'bounced', 2, { class: 'hard', reason: 'userunknown' }),
    row('2026-11-02', '00', 'bounced', 1, { class: 'soft', reason: 'blocked', provider: 'sendgrid' }),
  ];

  it('buckets by day and by hour, oldest first, counting only hours inside the range', () => {
    const day = aggregate(rows, new Date('2026-11-01T00:00:00Z'), new Date('2026-11-03T00:00:00Z'), 'day');
    expect(day.buckets.map((b) => [b.start, b.total])).toEqual([['2026-11-01T00:00:00.000Z', 7], ['2026-11-02T00:00:00.000Z', 1]]);
    expect(day.totals).toEqual({
      total: 8, by_type: { delivered: 5, bounced: 3 }, by_class: { hard: 2, soft: 1 },
      by_reason: { userunknown: 2, blocked: 1 }, by_provider: { ses: 7, sendgrid: 1 },
    });
    const hours = aggregate(rows, new Date('2026-11-01T23:30:00Z'), new Date('2026-11-02T00:30:00Z'), 'hour');
    expect(hours.buckets.map((b) => b.start)).toEqual(['2026-11-01T23:00:00.000Z', '2026-11-02T00:00:00.000Z']);
  });

  it('lists the days a range touches and ranks domains by bounces', () => {
    expect(daysBetween(new Date('2026-10-31T22:00:00Z'), new Date('2026-11-02T01:00:00Z'))).toEqual(['2026-10-31', '2026-11-01', '2026-11-02']);
    // An `until` at midnight ends the day before: the next day's domain counters are not read.
    expect(daysBetween(new Date('2026-11-01T00:00:00Z'), new Date('2026-11-03T00:00:00Z'))).toEqual(['2026-11-01', '2026-11-02']);
    expect(topDomains([
      { domain: 'a.example', type: 'complained', n: 9 },
      { domain: 'b.example', type: 'bounced', n: 2 },
      { domain: 'a.example', type: 'bounced', n: 1 },
    ]).map((d) => d.domain)).toEqual(['b.example', 'a.example']);
    // Unsubscribes are no failures: they neither rank a domain nor add to its total.
    expect(topDomains([
      { domain: 'y.example', type: 'unsubscribed', n: 2 },
      { domain: 'y.example', type: 'bounced', n: 1 },
      { domain: 'y.example', type: 'complained', n: 1 },
      { domain: 'z.example', type: 'unsubscribed', n: 50 },
    ])).toEqual([{ domain: 'y.example', bounced: 1, complained: 1, dropped: 0, total: 2 }]);
  });
});
