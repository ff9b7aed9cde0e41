import { describe, expect, it } from 'vitest';
import type { CanonicalEvent } from '../../src/core/event.js';
import { BUCKETS, bucketOf, buildPages, compareNewestFirst, eventsOfPage, lateMarkerKeys, pageMayHold, reachDay } from '../../src/store/pages.js';

const RECEIVED = '2026-11-29T10:00:00.000Z';

function delivered(recipient: string, occurredAt: string, n: number): CanonicalEvent {
  return { id: `test:${recipient}:${n}`, provider: 'sendgrid', type: 'delivered', recipient, occurred_at: occurredAt, message_id: `m${n}` };
}

const many = (count: number, day = '2026-11-28') =>
  Array.from({ length: count }, (_, i) => delivered(`user${i}@example.com`, `${day}T${String(i % 24).padStart(2, '0')}:00:00.000Z`, i));

describe('event pages', () => {
  it('groups events by day and address bucket, and keeps every event once', async () => {
    const events = [...many(300), ...many(50, '2026-11-27')];
    const pages = await buildPages(events, RECEIVED, 90);
    const groups = new Set(events.map((e) => `${e.occurred_at.slice(0, 10)}|${bucketOf(e.recipient)}`));
    expect(pages).toHaveLength(groups.size);
    for (const p of pages) {
      for (const e of p.events) expect([e.occurred_at.slice(0, 10), bucketOf(e.recipient)]).toEqual([p.day, p.bucket]);
      expect(p.item.pk!.S).toBe(`EP#${p.day.slice(0, 7)}#${String(p.bucket).padStart(2, '0')}`);
      // The day's by-time key: the plain one (as before shards) for a quarter of the buckets.
      expect(p.item.gsi1pk!.S).toBe(p.bucket % 4 === 0 ? `EV#${p.day}` : `EV#${p.day}#${p.bucket % 4}`);
      expect(p.item.gsi1sk!.S!.startsWith(`${RECEIVED}#`)).toBe(true);
    }
    expect(pages.flatMap((p) => p.events.map((e) => e.id)).sort()).toEqual(events.map((e) => e.id).sort());
  });

  it('spreads one-event inputs of one day over four keys of the by-time index', async () => {
    // On DynamoDB one index key takes about 1,000 writes a second: a day's one-event webhooks
    // (one page each) must not all land on it.
    const keys = new Map<string, number>();
    for (const e of many(200)) {
      const [page] = await buildPages([e], RECEIVED, 90);
      keys.set(page!.item.gsi1pk!.S!, (keys.get(page!.item.gsi1pk!.S!) ?? 0) + 1);
    }
    expect([...keys.keys()].sort()).toEqual(['EV#2026-11-28', 'EV#2026-11-28#1', 'EV#2026-11-28#2', 'EV#2026-11-28#3']);
    for (const n of keys.values()) expect(n).toBeGreaterThan(25);
  });

  it('gives the same page for the same events, whatever arrives with them and in whatever order', async () => {
    const mine = many(40);
    const alone = await buildPages(mine, RECEIVED, 90);
    const mixed = await buildPages([...many(200, '2026-11-20'), ...[...mine].reverse()], RECEIVED, 90);
    for (const p of alone) {
      const twin = mixed.find((m) => m.item.sk!.S === p.item.sk!.S);
      expect(twin, p.item.sk!.S).toBeDefined();
      expect(twin!.item).toEqual(p.item);
    }
  });

  it('reads back the events of a page, newest first, with the time they were received', async () => {
    const events = [delivered('a@example.com', '2026-11-28T01:00:00.000Z', 1), delivered('a@example.com', '2026-11-28T05:00:00.000Z', 2)];
    const [page] = await buildPages(events, RECEIVED, 90);
    const back = await eventsOfPage(page!.item);
    expect(back).toEqual([{ ...events[1], received_at: RECEIVED }, { ...events[0], received_at: RECEIVED }]);
    expect(Number(page!.item.ttl!.N)).toBe(Date.parse(RECEIVED) / 1000 + 90 * 86400);
  });

  it('stores a short page as plain JSON and a longer one deflated, and reads both back', async () => {
    const [short] = await buildPages([delivered('a@example.com', '2026-11-28T01:00:00.000Z', 1)], RECEIVED, 90);
    expect(short!.item.events!.S).toBe(JSON.stringify(short!.events));
    const [long] = await buildPages(Array.from({ length: 20 }, (_, i) => delivered('b@example.com', '2026-11-28T01:00:00.000Z', i)), RECEIVED, 90);
    expect(long!.item.events!.B).toBeInstanceOf(Uint8Array);
    expect(long!.bytes).toBeLessThan(JSON.stringify(long!.events).length);
    for (const page of [short!, long!]) {
      expect(await eventsOfPage(page.item)).toEqual(page.events.map((e) => ({ ...e, received_at: RECEIVED })));
    }
  });

  it('splits a group too big for one item into pages that each fit, the same way every time', async () => {
    // Diagnostics of random text barely deflate: about 2.5 KB each, so 200 of them need several pages.
    const noise = (i: number) => {
      let x = i + 1;
      return Array.from({ length: 3000 }, () => {
        x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
        return String.fromCharCode(33 + ((x >>> 0) % 90));
      }).join('');
    };
    const recipient = 'big@example.com';
    const events: CanonicalEvent[] = Array.from({ length: 200 }, (_, i) => ({
      ...delivered(recipient, '2026-11-28T00:00:00.000Z', i), type: 'bounced',
      bounce: { class: 'soft', reason: 'mailboxfull', reply_code: '452', status: '4.2.2', diagnostic: noise(i), provider_class: null, rule: 'test' },
    }));
    const pages = await buildPages(events, RECEIVED, 90);
    expect(pages.length).toBeGreaterThan(1);
    for (const p of pages) expect(p.bytes).toBeLessThanOrEqual(300 * 1024);
    expect(pages.reduce((n, p) => n + p.events.length, 0)).toBe(200);
    const again = await buildPages([...events].reverse(), RECEIVED, 90);
    expect(again.map((p) => p.item.sk!.S)).toEqual(pages.map((p) => p.item.sk!.S));
  });

  it('tells from its recipient tags, without inflating it, which addresses a page may hold', async () => {
    const pages = await buildPages(many(500), RECEIVED, 90);
    for (const p of pages) for (const e of p.events) expect(pageMayHold(p.item, e.recipient)).toBe(true);
    const strangers = Array.from({ length: 1000 }, (_, i) => `stranger${i}@example.net`);
    const hits = pages.reduce((n, p) => n + strangers.filter((s) => pageMayHold(p.item, s)).length, 0);
    expect(hits).toBe(0);
  });

  it('spreads addresses over every bucket, and keeps the bucket of an address fixed', () => {
    const seen = new Set(Array.from({ length: 2000 }, (_, i) => bucketOf(`user${i}@example.com`)));
    expect(seen.size).toBe(BUCKETS);
    // Part of the stored layout: a change here would hide every stored event from address queries.
    expect([bucketOf('jane@example.com'), bucketOf('bob@example.org'), bucketOf('ana@ejemplo.es')]).toEqual(PINNED_BUCKETS);
  });

  it('compares order keys field by field, newest first', () => {
    const keys = [
      ['2026-11-29T10:00:00.000Z', '2026-11-28T00:00:00.000Z', 'b'],
      ['2026-11-29T10:00:00.000Z', '2026-11-28T00:00:00.000Z', 'a'],
      ['2026-11-29T11:00:00.000Z', '2026-11-01T00:00:00.000Z', 'a'],
      ['2026-11-29T10:00:00.000Z', '2026-11-28T09:00:00.000Z', 'a'],
    ] as const;
    expect([...keys].sort(compareNewestFirst).map((k) => keys.indexOf(k))).toEqual([2, 3, 0, 1]);
  });
});

const PINNED_BUCKETS = [13, 3, 9];

describe('late pages and their markers', () => {
  const marker = (pk: string, sk: string) => `${pk} ${sk}`;
  const markersOf = (pages: { day: string; bucket: number }[]) =>
    lateMarkerKeys(pages, RECEIVED).map((m) => marker(m.pk!.S!, m.sk!.S!)).sort();

  it('marks only pages of days more than three days before they arrived, once per day and once per bucket and month', () => {
    // Received 2026-11-29 10:00: 2026-11-26 is within three days, 2026-11-25 is not.
    expect(markersOf([{ day: '2026-11-29', bucket: 1 }, { day: '2026-11-26', bucket: 2 }, { day: '2026-12-01', bucket: 3 }])).toEqual([]);
    expect(markersOf([
      { day: '2026-11-25', bucket: 4 },
      { day: '2026-11-25', bucket: 5 },
      { day: '2026-11-02', bucket: 4 },
      { day: '2016-03-14', bucket: 12 },
    ])).toEqual([
      marker('LATE#EP#04', '2026-11'), marker('LATE#EP#05', '2026-11'), marker('LATE#EP#12', '2016-03'),
      marker('LATE#EV', '2016-03-14'), marker('LATE#EV', '2026-11-02'), marker('LATE#EV', '2026-11-25'),
    ].sort());
  });

  it('never leaves a living page that is not late before the reach of a listing', () => {
    // A page lives EVENT_RETENTION_DAYS from its arrival; one that is not late is at most three
    // days older than its arrival. Whenever it arrived, while it lives, its day is within reach.
    const now = new Date('2026-11-30T06:30:00.000Z');
    for (const retention of [1, 3, 90]) {
      const reach = reachDay(now, retention);
      for (let ms = 1; ms <= retention * 86_400_000; ms += 3_600_000 * 7 + 1) {
        const receivedAt = new Date(now.getTime() - retention * 86_400_000 + ms).toISOString();
        const oldest = new Date(Date.parse(receivedAt) - 3 * 86_400_000).toISOString().slice(0, 10);
        expect(lateMarkerKeys([{ day: oldest, bucket: 0 }], receivedAt), `${receivedAt}, ${oldest}`).toEqual([]);
        expect(oldest >= reach, `${receivedAt} (${retention} days): ${oldest} before ${reach}`).toBe(true);
      }
    }
    expect(reachDay(now, 90)).toBe('2026-08-29');
  });
});
