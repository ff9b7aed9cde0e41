/**
 * The read side of the API against DynamoDB Local: events, stats, the listed suppression list,
 * export and import, and the OpenAPI document. Each test seeds a fresh table through the one
 * write path (applyEvents) or the API itself.
 */
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp, defaultDeps } from '../../src/app.js';
import { readConfig } from '../../src/config.js';
import type { BounceReason, CanonicalEvent, EventType } from '../../src/core/event.js';
import { applyEvents } from '../../src/store/apply.js';
import { dynamoClient } from '../../src/store/client.js';
import { suppressionItem } from '../../src/store/items.js';
import { BEFORE_ANY_EVENT, listEvents, type EventCursor } from '../../src/store/events.js';
import { bucketOf, buildPages } from '../../src/store/pages.js';
import { ADMIN_KEY, freshTableEnv, partitionItems, READ_KEY, tableItems } from './helpers.js';

const app = createApp();
let seq = 0;

function event(type: EventType, recipient: string, at: string, bounce?: { class: 'hard' | 'soft'; reason: BounceReason }, provider: CanonicalEvent['provider'] = 'ses'): CanonicalEvent {
  return {
    id: `test:${++seq}`, provider, type, recipient, occurred_at: at, message_id: null,
    ...(bounce ? { bounce: { ...bounce, reply_code: null, status: null, diagnostic: null, provider_class: null, rule: 'test' } } : {}),
  };
}

function call(env: Record<string, string>, path: string, init: RequestInit & { key?: string } = {}) {
  const { key = ADMIN_KEY, ...rest } = init;
  const headers = new Headers(rest.headers);
  headers.set('authorization', `Bearer ${key}`);
  return app.fetch(new Request(`https://rebote.test${path}`, { ...rest, headers }), env);
}

describe('events and stats', () => {
  let env: Record<string, string>;
  const events = [
    event('delivered', 'a@one.example', '2026-11-01T09:10:00.000Z'),
    event('delivered', 'b@one.example', '2026-11-01T09:20:00.000Z', undefined, 'sendgrid'),
    event('bounced', 'c@two.example', '2026-11-01T10:00:00.000Z', { class: 'hard', reason: 'userunknown' }),
    event('bounced', 'd@two.example', '2026-11-02T08:00:00.000Z', { class: 'soft', reason: 'blocked' }),
    event('complained', 'a@one.example', '2026-11-02T09:00:00.000Z'),
    event('bounced', 'e@two.example', '2026-11-03T23:59:00.000Z', { class: 'hard', reason: 'userunknown' }, 'sendgrid'),
  ];

  beforeAll(async () => {
    env = await freshTableEnv();
    await applyEvents(dynamoClient(readConfig(env)), readConfig(env), events, new Date('2026-11-04T00:00:00Z'));
  });

  it('lists events newest first across days, page by page with a cursor', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: Response = await call(env, `/v1/events?since=2026-11-01T00:00:00Z&until=2026-11-04T00:00:00Z&limit=4${cursor ? `&cursor=${cursor}` : ''}`, { key: READ_KEY });
      expect(res.status).toBe(200);
      const page = await res.json<{ items: { id: string; received_at: string }[]; next_cursor: string | null }>();
      expect(page.items.length).toBeLessThanOrEqual(4);
      seen.push(...page.items.map((i) => i.id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen).toEqual([...events].reverse().map((e) => e.id));
  });

  it('filters events by address, type and provider', async () => {
    const byEmail = await (await call(env, '/v1/events?email=A@One.Example&since=2026-10-01T00:00:00Z&until=2026-11-05T00:00:00Z')).json<{ items: { type: string }[] }>();
    expect(byEmail.items.map((i) => i.type)).toEqual(['complained', 'delivered']);
    const hard = await (await call(env, '/v1/events?type=bounced&provider=sendgrid&since=2026-10-01T00:00:00Z&until=2026-11-05T00:00:00Z')).json<{ items: { recipient: string }[] }>();
    expect(hard.items.map((i) => i.recipient)).toEqual(['e@two.example']);
    expect((await call(env, '/v1/events?type=opened')).status).toBe(400);
    expect((await call(env, '/v1/events?cursor=garbage')).status).toBe(400);
  });

  it('counts per day and per hour by type, class, reason and provider, with top bouncing domains', async () => {
    const day = await (await call(env, '/v1/stats?since=2026-11-01T00:00:00Z&until=2026-11-04T00:00:00Z&interval=day')).json<any>();
    expect(day.totals).toEqual({
      total: 6,
      by_type: { delivered: 2, bounced: 3, complained: 1 },
      by_class: { hard: 2, soft: 1 },
      by_reason: { userunknown: 2, blocked: 1, feedback: 1 },
      by_provider: { ses: 4, sendgrid: 2 },
    });
    expect(day.buckets.map((b: { start: string; total: number }) => [b.start, b.total])).toEqual([
      ['2026-11-01T00:00:00.000Z', 3], ['2026-11-02T00:00:00.000Z', 2], ['2026-11-03T00:00:00.000Z', 1],
    ]);
    expect(day.top_domains[0]).toEqual({ domain: 'two.example', bounced: 3, complained: 0, dropped: 0, total: 3 });
    const hour = await (await call(env, '/v1/stats?since=2026-11-01T09:00:00Z&until=2026-11-01T10:00:00Z&interval=hour')).json<any>();
    expect(hour.buckets).toHaveLength(1);
    expect(hour.buckets[0]).toMatchObject({ start: '2026-11-01T09:00:00.000Z', total: 2, by_type: { delivered: 2 } });
    expect((await call(env, '/v1/stats?since=2026-11-05T00:00:00Z&until=2026-11-01T00:00:00Z')).status).toBe(400);
  });
});

describe('event history over many inputs', () => {
  let env: Record<string, string>;
  const target = 'kept@three.example';
  // Three inputs received an hour apart, with events over two months: the target's among 120 others'.
  const inputs = [0, 1, 2].map((n) => ({
    at: new Date(Date.UTC(2026, 10, 10, 9 + n)),
    events: [
      event('delivered', target, `2026-10-2${n}T08:00:00.000Z`),
      event('bounced', target, `2026-11-0${n + 1}T08:00:00.000Z`, { class: 'soft', reason: 'mailboxfull' }),
      ...Array.from({ length: 40 }, (_, i) => event('delivered', `other${n}x${i}@three.example`, `2026-11-0${1 + (i % 3)}T0${i % 10}:00:00.000Z`)),
    ],
  }));
  const page = async (path: string) => {
    const res = await call(env, path, { key: READ_KEY });
    expect(res.status).toBe(200);
    return res.json<{ items: { id: string; received_at: string; occurred_at: string; recipient: string }[]; next_cursor: string | null }>();
  };
  const all = async (query: string, limit: number) => {
    const seen: { id: string; received_at: string; occurred_at: string; recipient: string }[] = [];
    let cursor: string | null = null;
    do {
      const p = await page(`/v1/events?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(p.items.length).toBeLessThanOrEqual(limit);
      seen.push(...p.items);
      cursor = p.next_cursor;
    } while (cursor);
    return seen;
  };
  const newestFirst = (a: { received_at: string; occurred_at: string; id: string }, b: typeof a) =>
    a.received_at !== b.received_at ? (a.received_at > b.received_at ? -1 : 1)
      : a.occurred_at !== b.occurred_at ? (a.occurred_at > b.occurred_at ? -1 : 1) : a.id > b.id ? -1 : 1;

  beforeAll(async () => {
    env = await freshTableEnv();
    const cfg = readConfig(env);
    for (const input of inputs) await applyEvents(dynamoClient(cfg), cfg, input.events, input.at);
  });

  it('lists an address\'s events over two months exactly once, newest occurred first, through cursors', async () => {
    const got = await all(`email=${encodeURIComponent(target)}&since=2026-10-01T00:00:00Z&until=2026-11-30T00:00:00Z`, 2);
    const mine = inputs.flatMap((input) => input.events.filter((e) => e.recipient === target).map((e) => ({ ...e, received_at: input.at.toISOString() })));
    expect(got.map((e) => e.id)).toEqual([...mine].sort((a, b) => (a.occurred_at > b.occurred_at ? -1 : 1)).map((e) => e.id));
    expect(new Set(got.map((e) => e.recipient))).toEqual(new Set([target]));
  });

  it('walks an address\'s history over more months than one request reads, through cursors', async () => {
    const cfg = readConfig(env);
    const longTimer = 'long@three.example';
    // One event a month for 40 months: more months than one request queries (30).
    const events = Array.from({ length: 40 }, (_, i) =>
      event('delivered', longTimer, new Date(Date.UTC(2023, 0 + i, 15)).toISOString()));
    await applyEvents(dynamoClient(cfg), cfg, events, new Date('2026-11-20T00:00:00Z'));
    let requests = 0;
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const p = await page(`/v1/events?email=${encodeURIComponent(longTimer)}&since=2023-01-01T00:00:00Z&until=2026-06-30T00:00:00Z&limit=500${cursor ? `&cursor=${cursor}` : ''}`);
      requests++;
      seen.push(...p.items.map((e) => e.id));
      cursor = p.next_cursor;
    } while (cursor);
    expect(requests).toBeGreaterThan(1);
    expect(seen).toEqual([...events].reverse().map((e) => e.id));
  });

  it('counts a range that spans two months, and only the days of the range', async () => {
    const res = await call(env, '/v1/stats?since=2026-10-21T00:00:00Z&until=2026-11-02T23:59:59Z&interval=day', { key: READ_KEY });
    expect(res.status).toBe(200);
    const stats = await res.json<{ totals: { total: number }; buckets: { start: string; total: number }[] }>();
    const inRange = inputs.flatMap((i) => i.events).filter((e) => e.occurred_at >= '2026-10-21' && e.occurred_at < '2026-11-03');
    expect(stats.totals.total).toBe(inRange.length);
    const perDay = new Map<string, number>();
    for (const e of inRange) perDay.set(`${e.occurred_at.slice(0, 10)}T00:00:00.000Z`, (perDay.get(`${e.occurred_at.slice(0, 10)}T00:00:00.000Z`) ?? 0) + 1);
    expect(stats.buckets.map((b) => [b.start, b.total])).toEqual([...perDay].sort());
  });

  it('lists everyone\'s events of a range exactly once, in the same order, whatever the page size', async () => {
    const query = 'since=2026-11-01T00:00:00Z&until=2026-11-03T23:59:59Z';
    const want = inputs.flatMap((input) => input.events.filter((e) => e.occurred_at >= '2026-11-01')
      .map((e) => ({ ...e, received_at: input.at.toISOString() })));
    // The listing walks days back from `until`; within a day, newest received first.
    const byDay = (e: { occurred_at: string }) => e.occurred_at.slice(0, 10);
    const expected = [...want].sort((a, b) => (byDay(a) !== byDay(b) ? (byDay(a) > byDay(b) ? -1 : 1) : newestFirst(a, b))).map((e) => e.id);
    for (const limit of [7, 50, 500]) expect((await all(query, limit)).map((e) => e.id), `limit ${limit}`).toEqual(expected);
  });
});

describe('events a provider dated long before they arrived', () => {
  // A provider's old sample (SES's documented bounce is of 2016), a retry after days, a dead
  // letter replayed weeks later: stored, and listed by default with the rest.
  let env: Record<string, string>;
  const now = new Date();
  const old = event('bounced', 'old@late.example', '2016-03-14T00:17:00.000Z', { class: 'hard', reason: 'userunknown' });
  const weekLate = event('bounced', 'week@late.example', new Date(now.getTime() - 8 * 86_400_000).toISOString(), { class: 'soft', reason: 'mailboxfull' });
  const fresh = event('delivered', 'fresh@late.example', new Date(now.getTime() - 60_000).toISOString());
  const get = async (path: string) => {
    const res = await call(env, path, { key: READ_KEY });
    expect(res.status, await res.clone().text()).toBe(200);
    return res.json<{ items: { id: string }[]; next_cursor: string | null }>();
  };
  const walk = async (path: string) => {
    const ids: string[] = [];
    let cursor: string | null = null;
    let requests = 0;
    do {
      const p = await get(`${path}${cursor ? `&cursor=${cursor}` : ''}`);
      ids.push(...p.items.map((e) => e.id));
      cursor = p.next_cursor;
      expect(++requests).toBeLessThan(20);
    } while (cursor);
    return { ids, requests };
  };

  beforeAll(async () => {
    // Three days' retention: the walk back day by day covers six days, then goes by markers.
    env = { ...await freshTableEnv(), EVENT_RETENTION_DAYS: '3' };
    const cfg = readConfig(env);
    await applyEvents(dynamoClient(cfg), cfg, [old, weekLate, fresh], now);
  });

  it('lists an address\'s old event by default, in one request', async () => {
    for (const e of [old, weekLate]) {
      const p = await get(`/v1/events?email=${encodeURIComponent(e.recipient)}`);
      expect(p.items.map((x) => x.id)).toEqual([e.id]);
      expect(p.next_cursor).toBeNull();
    }
  });

  it('lists everyone\'s events by default, the old ones last', async () => {
    const { ids } = await walk('/v1/events?limit=500');
    expect(ids).toEqual([fresh.id, weekLate.id, old.id]);
    expect((await walk('/v1/events?limit=1')).ids).toEqual([fresh.id, weekLate.id, old.id]);
    // A range the caller chose is walked as before (here: one day of 2016).
    expect((await walk('/v1/events?since=2016-03-14T00:00:00Z&until=2016-03-15T00:00:00Z')).ids).toEqual([old.id]);
  });

  it('marks the days and months of late pages, and a redelivery changes nothing', async () => {
    const markers = (await tableItems(env)).filter((i) => String(i.pk).startsWith('LATE#')).map((i) => `${i.pk} ${i.sk}`);
    const day8 = weekLate.occurred_at.slice(0, 10);
    expect(markers.sort()).toEqual([
      'LATE#EV 2016-03-14', `LATE#EV ${day8}`,
      `LATE#EP#${String(bucketOf(old.recipient)).padStart(2, '0')} 2016-03`,
      `LATE#EP#${String(bucketOf(weekLate.recipient)).padStart(2, '0')} ${day8.slice(0, 7)}`,
    ].sort());
    // A redelivery days later finds the markers long-lived enough and leaves them as they are.
    const before = await tableItems(env);
    const cfg = readConfig(env);
    expect(await applyEvents(dynamoClient(cfg), cfg, [old, weekLate, fresh], new Date(now.getTime() + 3 * 86_400_000))).toEqual({ accepted: 0, duplicates: 3 });
    expect(await tableItems(env)).toEqual(before);
    expect((await walk('/v1/events?limit=500')).ids).toEqual([fresh.id, weekLate.id, old.id]);
  });

  it('keeps a marker alive as long as the longest-lived page it marks', async () => {
    const markerTtl = async (e: Record<string, string>) =>
      Number((await partitionItems(e, ['LATE#EV'])).find((i) => i.sk === '2015-06-01')!.ttl);
    const pageTtls = async (e: Record<string, string>) =>
      (await tableItems(e)).filter((i) => String(i.sk).startsWith('2015-06-01#')).map((i) => Number(i.ttl));
    const base = await freshTableEnv();
    const long = { ...base, EVENT_RETENTION_DAYS: '90' };
    const short = { ...base, EVENT_RETENTION_DAYS: '30' };
    const at = (days: number) => new Date(now.getTime() + days * 86_400_000);
    const write = (e: Record<string, string>, recipient: string, days: number) =>
      applyEvents(dynamoClient(readConfig(e)), readConfig(e), [event('delivered', recipient, '2015-06-01T12:00:00.000Z')], at(days));
    await write(long, 'a@marker.example', 0);
    // A later late page under a shorter retention must not shorten the marker of the first.
    await write(short, 'b@marker.example', 1);
    expect(await markerTtl(base)).toBeGreaterThanOrEqual(Math.max(...await pageTtls(base)));
    // One that outlives it, weeks later, makes it live longer.
    const earlier = await markerTtl(base);
    await write(long, 'c@marker.example', 20);
    expect(await markerTtl(base)).toBeGreaterThan(earlier);
    expect(await markerTtl(base)).toBeGreaterThanOrEqual(Math.max(...await pageTtls(base)));
  });

  it('keeps each request within 30 Queries when markers are walked, and lists every event once', async () => {
    const e = { ...await freshTableEnv(), EVENT_RETENTION_DAYS: '3' };
    const cfg = readConfig(e);
    const db = dynamoClient(cfg);
    // Late events on 12 days a few weeks back, each day marked; a walk from two days ago.
    const late = Array.from({ length: 12 }, (_, i) => event('delivered', `w${i}@walk.example`, new Date(now.getTime() - (20 + 3 * i) * 86_400_000).toISOString()));
    await applyEvents(db, cfg, late, now);
    let queries = 0;
    db.middlewareStack.add((next, context) => async (args) => {
      if (context.commandName === 'QueryCommand') queries++;
      return next(args);
    }, { step: 'initialize' });
    const until = new Date(now.getTime() - 2 * 86_400_000).toISOString();
    for (const limit of [1, 500]) {
      const seen: string[] = [];
      let cursor: EventCursor | null = null;
      let requests = 0;
      do {
        queries = 0;
        const page = await listEvents(db, cfg, { since: BEFORE_ANY_EVENT, until, limit }, cursor, now);
        expect(queries).toBeLessThanOrEqual(30);
        seen.push(...page.items.map((x) => x.id));
        cursor = page.next;
        expect(++requests).toBeLessThan(40);
      } while (cursor);
      expect(seen, `limit ${limit}`).toEqual(late.map((x) => x.id));
    }
  });

  it('walks a range the caller chose whole, even from 1970: a late page written without markers is found', async () => {
    // As a version before markers stored it.
    const e = await freshTableEnv();
    const cfg = readConfig(e);
    const early = event('bounced', 'early@late.example', '1970-01-02T03:00:00.000Z', { class: 'hard', reason: 'userunknown' });
    const [page] = await buildPages([early], now.toISOString(), cfg.eventRetentionDays);
    await dynamoClient(cfg).send(new PutItemCommand({ TableName: cfg.ddbTable, Item: page!.item }));
    const res = await call(e, '/v1/events?since=1970-01-01T00:00:00Z&until=1970-01-05T00:00:00Z', { key: READ_KEY });
    expect((await res.json<{ items: { id: string }[] }>()).items.map((x) => x.id)).toEqual([early.id]);
  });
});

describe('events by time, spread over keys of the by-time index', () => {
  let env: Record<string, string>;
  type Listed = { id: string; received_at: string; occurred_at: string };
  const want: Listed[] = [];
  const list = async (query: string, limit: number) => {
    const seen: Listed[] = [];
    let cursor: string | null = null;
    let requests = 0;
    do {
      const res = await call(env, `/v1/events?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`, { key: READ_KEY });
      expect(res.status).toBe(200);
      const p = await res.json<{ items: Listed[]; next_cursor: string | null }>();
      seen.push(...p.items);
      cursor = p.next_cursor;
      requests++;
    } while (cursor);
    return { seen, requests };
  };

  beforeAll(async () => {
    env = await freshTableEnv();
    const cfg = readConfig(env);
    const db = dynamoClient(cfg);
    // One day: 30 one-event webhooks, two of them received in the same millisecond, and a batch
    // of 12 addresses (its pages on several keys, one received_at).
    for (let i = 0; i < 30; i++) {
      const at = new Date(Date.UTC(2026, 7, 20, 10, 0, i === 7 ? 6 : i));
      const e = event('delivered', `one${i}@spread.example`, `2026-08-20T09:${String(i).padStart(2, '0')}:00.000Z`);
      await applyEvents(db, cfg, [e], at);
      want.push({ id: e.id, received_at: at.toISOString(), occurred_at: e.occurred_at });
    }
    const batchAt = new Date(Date.UTC(2026, 7, 20, 10, 0, 15, 500));
    const batch = Array.from({ length: 12 }, (_, i) => event('bounced', `batch${i}@spread.example`, `2026-08-20T08:0${i % 10}:00.000Z`, { class: 'soft', reason: 'mailboxfull' }));
    await applyEvents(db, cfg, batch, batchAt);
    want.push(...batch.map((e) => ({ id: e.id, received_at: batchAt.toISOString(), occurred_at: e.occurred_at })));
    // Pages written before the index keys were spread: all under the day's plain key.
    for (let i = 0; i < 8; i++) {
      const e = event('delivered', `old${i}@spread.example`, `2026-08-20T07:0${i}:00.000Z`);
      const receivedAt = new Date(Date.UTC(2026, 7, 20, 9, 59, 50 + i)).toISOString();
      const [page] = await buildPages([e], receivedAt, cfg.eventRetentionDays);
      await db.send(new PutItemCommand({ TableName: cfg.ddbTable, Item: { ...page!.item, gsi1pk: { S: 'EV#2026-08-20' } } }));
      want.push({ id: e.id, received_at: receivedAt, occurred_at: e.occurred_at });
    }
    want.sort((a, b) => (a.received_at !== b.received_at ? (a.received_at > b.received_at ? -1 : 1)
      : a.occurred_at !== b.occurred_at ? (a.occurred_at > b.occurred_at ? -1 : 1) : a.id > b.id ? -1 : 1));
  });

  it('writes a day\'s pages under several keys, and lists them (and pages from before) once each, newest received first', async () => {
    const pages = (await tableItems(env)).filter((i) => String(i.gsi1pk ?? '').startsWith('EV#2026-08-20'));
    expect(new Set(pages.map((p) => p.gsi1pk)).size).toBe(4);
    const query = 'since=2026-08-20T00:00:00Z&until=2026-08-21T00:00:00Z';
    for (const limit of [1, 4, 13, 500]) {
      const { seen } = await list(query, limit);
      expect(seen.map((e) => e.id), `limit ${limit}`).toEqual(want.map((e) => e.id));
    }
  });

  it('walks back over more days than one request reads, through cursors', async () => {
    const cfg = readConfig(env);
    // One event every other day over 43 days: reading a day takes one Query per key (4), and a
    // request makes at most 30, so it walks 7 days (8 would be 32 Queries).
    const sparse = Array.from({ length: 20 }, (_, i) => event('delivered', `sparse${i}@spread.example`, new Date(Date.UTC(2026, 4, 1 + 2 * i, 12)).toISOString()));
    await applyEvents(dynamoClient(cfg), cfg, sparse, new Date('2026-06-20T00:00:00Z'));
    const { seen, requests } = await list('since=2026-05-01T00:00:00Z&until=2026-06-12T00:00:00Z', 500);
    expect(requests).toBe(Math.ceil(43 / 7));
    expect(seen.map((e) => e.id)).toEqual([...sparse].reverse().map((e) => e.id));
  });
});

describe('events by time: keys too big for one Query, and the Query budget running out within a day', () => {
  // Events padded with 150 KB of random text (which does not deflate): a key of the day holds
  // several MB, so reading it takes several Queries (1 MB each), and a request runs out of
  // Queries in the middle of the day.
  let cfg: ReturnType<typeof readConfig>;
  const want: { id: string; received_at: string; occurred_at: string }[] = [];
  const padding = () => {
    const bytes = new Uint8Array(110_000);
    for (let i = 0; i < bytes.length; i += 65_536) crypto.getRandomValues(bytes.subarray(i, i + 65_536));
    let s = '';
    for (const b of bytes) s += String.fromCharCode(b);
    return btoa(s);
  };

  beforeAll(async () => {
    cfg = readConfig(await freshTableEnv());
    const db = dynamoClient(cfg);
    const store = async (events: CanonicalEvent[], at: Date) => {
      for (const p of await buildPages(events, at.toISOString(), 3650)) await db.send(new PutItemCommand({ TableName: cfg.ddbTable, Item: p.item }));
      want.push(...events.map((e) => ({ id: e.id, received_at: at.toISOString(), occurred_at: e.occurred_at })));
    };
    const big = (i: number) => ({ ...event('delivered', `big${i}@heavy.example`, `2026-03-10T08:${String(i % 60).padStart(2, '0')}:00.000Z`), note: padding() });
    for (let i = 0; i < 40; i++) await store([big(i)], new Date(Date.UTC(2026, 2, 10, 12, 0, i)));
    // A batch received in one millisecond, its pages on several keys, in the middle of the day.
    await store(Array.from({ length: 10 }, (_, i) => big(100 + i)), new Date(Date.UTC(2026, 2, 10, 12, 0, 20, 500)));
    want.sort((a, b) => (a.received_at !== b.received_at ? (a.received_at > b.received_at ? -1 : 1)
      : a.occurred_at !== b.occurred_at ? (a.occurred_at > b.occurred_at ? -1 : 1) : a.id > b.id ? -1 : 1));
  }, 120_000);

  for (const [until, limit] of [['2026-03-11', 500], ['2026-03-16', 500], ['2026-03-16', 7]] as const) {
    it(`lists every event once, in order, and no request makes more than 30 Queries (until ${until}, limit ${limit})`, async () => {
      let queries = 0;
      const db = dynamoClient(cfg);
      db.middlewareStack.add((next, context) => async (args) => {
        if (context.commandName === 'QueryCommand') queries++;
        return next(args);
      }, { step: 'initialize' });
      const seen: string[] = [];
      let cursor: EventCursor | null = null;
      let requests = 0;
      do {
        queries = 0;
        const page = await listEvents(db, cfg, { since: '2026-03-10T00:00:00.000Z', until: `${until}T00:00:00.000Z`, limit }, cursor, new Date());
        expect(queries).toBeLessThanOrEqual(30);
        seen.push(...page.items.map((e) => e.id));
        cursor = page.next;
        expect(++requests).toBeLessThan(200);
      } while (cursor);
      expect(seen).toEqual(want.map((e) => e.id));
      // With 500 a request, only the Query budget can have cut the day short.
      if (limit === 500 && until === '2026-03-16') expect(requests).toBeGreaterThan(1);
    }, 120_000);
  }
});

describe('the suppression list', () => {
  let env: Record<string, string>;
  const put = (email: string, reason: string) =>
    call(env, `/v1/suppressions/${email}`, { method: 'PUT', body: JSON.stringify({ reason }), headers: { 'content-type': 'application/json' } });

  beforeAll(async () => {
    env = await freshTableEnv();
    for (const [email, reason] of [
      ['one@a.example', 'manual'], ['two@b.example', 'complaint'], ['three@a.example', 'hard_bounce'],
      ['four@a.example', 'manual'], ['five@c.example', 'unsubscribed'],
    ] as const) {
      expect((await put(email, reason)).status).toBe(200);
    }
  });

  it('lists newest first across reasons, by reason, and by domain, with cursors', async () => {
    const all: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { email: string }[]; next_cursor: string | null } =
        await (await call(env, `/v1/suppressions?limit=2${cursor ? `&cursor=${cursor}` : ''}`)).json();
      all.push(...page.items.map((i) => i.email));
      cursor = page.next_cursor;
    } while (cursor);
    expect(all).toEqual(['five@c.example', 'four@a.example', 'three@a.example', 'two@b.example', 'one@a.example']);
    const manual = await (await call(env, '/v1/suppressions?reason=manual')).json<{ items: { email: string }[] }>();
    expect(manual.items.map((i) => i.email)).toEqual(['four@a.example', 'one@a.example']);
    const domain = await (await call(env, '/v1/suppressions?domain=A.EXAMPLE&reason=manual')).json<{ items: { email: string }[] }>();
    expect(domain.items.map((i) => i.email)).toEqual(['four@a.example', 'one@a.example']);
    expect((await call(env, '/v1/suppressions?reason=bogus')).status).toBe(400);
  });

  it('exports the whole list as CSV and NDJSON', async () => {
    const csv = await call(env, '/v1/suppressions/export?format=csv');
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines[0]).toMatch(/^email,reason,created_at/);
    expect(lines.slice(1).map((l) => l.split(',')[0]).sort()).toEqual(['five@c.example', 'four@a.example', 'one@a.example', 'three@a.example', 'two@b.example']);
    const nd = (await (await call(env, '/v1/suppressions/export?format=ndjson')).text()).trim().split('\n').map((l) => JSON.parse(l));
    expect(nd).toHaveLength(5);
    expect(nd.find((s) => s.email === 'two@b.example')).toMatchObject({ reason: 'complaint' });
  });

  it('imports provider exports, reports skipped rows, keeps existing suppressions, and needs an admin key', async () => {
    const postmark = 'EmailAddress,SuppressionReason,Origin,CreatedAt\r\nnew1@d.example,HardBounce,Recipient,2026-01-01\r\nnot-an-address,HardBounce,Recipient,2026-01-01\r\ntwo@b.example,ManualSuppression,Customer,2026-01-01\r\nnew2@d.example,Weird,Customer,2026-01-01\r\n';
    expect((await call(env, '/v1/suppressions/import', { method: 'POST', body: postmark, key: READ_KEY })).status).toBe(403);
    const res = await call(env, '/v1/suppressions/import', { method: 'POST', body: postmark, headers: { 'content-type': 'text/csv' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      format: 'csv', imported: 1, already_suppressed: 1, skipped_count: 2,
      skipped: [
        { row: 3, value: 'not-an-address', why: 'not an email address' },
        { row: 5, value: 'new2@d.example', why: 'unknown reason "Weird"' },
      ],
    });
    expect(await (await call(env, '/v1/suppressions/new1@d.example')).json()).toMatchObject({ reason: 'hard_bounce', source: { reason: 'import' } });
    expect(await (await call(env, '/v1/suppressions/two@b.example')).json()).toMatchObject({ reason: 'complaint' });

    const sendgrid = 'created,email\n1700000000,unsub@e.example\n';
    expect((await call(env, '/v1/suppressions/import', { method: 'POST', body: sendgrid })).status).toBe(200);
    expect((await call(env, '/v1/suppressions/unsub@e.example')).status).toBe(404);
    expect(await (await call(env, '/v1/suppressions/import?reason=unsubscribed', { method: 'POST', body: sendgrid })).json()).toMatchObject({ imported: 1 });
    const ses = JSON.stringify({ SuppressedDestinationSummaries: [{ EmailAddress: 'ses@f.example', Reason: 'COMPLAINT', LastUpdateTime: '2026-01-01T00:00:00Z' }] });
    expect(await (await call(env, '/v1/suppressions/import', { method: 'POST', body: ses })).json()).toMatchObject({ format: 'ses-json', imported: 1 });
    expect(await (await call(env, '/v1/suppressions/ses@f.example')).json()).toMatchObject({ reason: 'complaint' });
    // Said to be NDJSON, a body whose first line is a stray one is NDJSON all the same.
    const nd = await call(env, '/v1/suppressions/import', { method: 'POST', body: '# by hand\n{"email":"nd@g.example","reason":"manual"}\n', headers: { 'content-type': 'application/x-ndjson' } });
    expect(await nd.json()).toMatchObject({ format: 'ndjson', imported: 1, skipped: [{ row: 1, why: 'not a JSON object' }] });
  });

  it("imports SendGrid's API answer (a JSON array) and a CSV a spreadsheet wrote with semicolons", async () => {
    const json = { 'content-type': 'application/json' };
    const sendgrid = JSON.stringify([
      { created: 1700000000, email: 'arr1@h.example', reason: '550 5.1.1 The email account that you tried to reach does not exist', status: '5.1.1' },
      { created: 1700000001, email: 'nope', reason: 'x', status: '5.1.1' },
    ]);
    const arr = await call(env, '/v1/suppressions/import?reason=bounce', { method: 'POST', body: sendgrid, headers: json });
    expect(await arr.json()).toEqual({ format: 'json-array', imported: 1, already_suppressed: 0, skipped_count: 1, skipped: [{ row: 2, value: 'nope', why: 'not an email address' }] });
    expect(await (await call(env, '/v1/suppressions/arr1@h.example')).json()).toMatchObject({ reason: 'hard_bounce', note: expect.stringContaining('550 5.1.1') });
    const plain = await call(env, '/v1/suppressions/import?reason=bounce', { method: 'POST', body: '["arr2@h.example"]', headers: json });
    expect(await plain.json()).toMatchObject({ format: 'json-array', imported: 1, skipped_count: 0 });
    expect(await (await call(env, '/v1/suppressions/arr2@h.example')).json()).toMatchObject({ reason: 'hard_bounce' });
    const excel = await call(env, '/v1/suppressions/import', { method: 'POST', body: 'Email;Reason\r\nsemi@h.example;"Spam; complaint"\r\n', headers: { 'content-type': 'text/csv' } });
    expect(await excel.json()).toMatchObject({ format: 'csv', imported: 1, skipped_count: 0 });
    expect(await (await call(env, '/v1/suppressions/semi@h.example')).json()).toMatchObject({ reason: 'complaint' });
  });
});

describe('the suppression list: addresses, filters and ends that broke it once', () => {
  let env: Record<string, string>;
  const json = { 'content-type': 'application/json' };
  const put = (email: string, body: object) => call(env, `/v1/suppressions/${encodeURIComponent(email)}`, { method: 'PUT', body: JSON.stringify(body), headers: json });
  const walk = async (query: string, limit: number) => {
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 50; pages++) {
      const res = await call(env, `/v1/suppressions?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status, await res.clone().text()).toBe(200);
      const page = await res.json<{ items: { email: string }[]; next_cursor: string | null }>();
      seen.push(...page.items.map((i) => i.email));
      cursor = page.next_cursor;
      if (cursor === null) return seen;
    }
    throw new Error(`no end after 50 pages: ${seen.join(' ')}`);
  };

  beforeAll(async () => {
    env = await freshTableEnv();
  });

  it('pages past addresses holding "#" or a quoted space, in listings and in exports', async () => {
    for (const email of ['a#b@hash.example', '"john doe"@hash.example', 'plain@hash.example']) expect((await put(email, {})).status).toBe(200);
    expect((await walk('domain=hash.example', 1)).sort()).toEqual(['"john doe"@hash.example', 'a#b@hash.example', 'plain@hash.example']);
    // An export reads 500 at a time: the 500th newest (same time, so by address) is the one with "#".
    const rows = Array.from({ length: 600 }, (_, i) => (i === 100 ? 'u100#@bulk.example' : `u${String(i).padStart(3, '0')}@bulk.example`));
    const imported = await call(env, '/v1/suppressions/import?reason=manual', { method: 'POST', body: `email\n${rows.join('\n')}\n` });
    expect(await imported.json()).toMatchObject({ imported: 600 });
    const exported = (await (await call(env, '/v1/suppressions/export?format=ndjson')).text()).trim().split('\n');
    expect(exported).toHaveLength(603);
  });

  it('pages through a domain filtered by reason when the newest of the domain have other reasons', async () => {
    for (let i = 0; i < 3; i++) expect((await put(`c${i}@mixed.example`, { reason: 'complaint' })).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await put(`m${i}@mixed.example`, { reason: 'manual' })).status).toBe(200);
    expect((await walk('domain=mixed.example&reason=complaint', 2)).sort()).toEqual(['c0@mixed.example', 'c1@mixed.example', 'c2@mixed.example']);
  });

  it('looks up, lifts and lists an address with a literal "%" the same way it stored it', async () => {
    expect((await call(env, '/v1/suppressions/ab%25E9%40pct.example', { method: 'PUT', body: '{}', headers: json })).status).toBe(200);
    expect(await (await call(env, '/v1/suppressions/ab%25E9%40pct.example')).json()).toMatchObject({ email: 'ab%e9@pct.example' });
    expect((await call(env, '/v1/suppressions/ab%25E9%40pct.example', { method: 'DELETE' })).status).toBe(204);
    // Its history, even beside another parameter with a broken escape; a broken escape in the address is a 400.
    const history = await call(env, '/v1/events?email=ab%25E9%40pct.example&x=%FF');
    expect(await history.json()).toMatchObject({ items: [{ type: 'unsuppressed', recipient: 'ab%e9@pct.example' }] });
    expect((await call(env, '/v1/events?email=ab%E9%40pct.example')).status).toBe(400);
  });

  it('keeps the end of an imported suppression, skips an ended one, and ends a soft_bounce_limit one added by hand', async () => {
    const day = 86_400_000;
    const later = new Date(Date.now() + 5 * day).toISOString();
    const earlier = new Date(Date.now() - day).toISOString();
    const text = `email,reason,created_at,updated_at,expires_at,note\r\nlater@end.example,soft_bounce_limit,${earlier},${earlier},${later},\r\n`
      + `ended@end.example,soft_bounce_limit,${earlier},${earlier},${earlier},\r\nbare@end.example,soft_bounce_limit,,,,\r\n`;
    const res = await call(env, '/v1/suppressions/import', { method: 'POST', body: text });
    expect(await res.json()).toMatchObject({ imported: 2, skipped: [{ row: 3, value: 'ended@end.example', why: `expired at ${earlier}` }] });
    expect(await (await call(env, '/v1/suppressions/later@end.example')).json()).toMatchObject({ expires_at: later });
    expect((await call(env, '/v1/suppressions/ended@end.example')).status).toBe(404);
    // SOFT_SUPPRESSION_DAYS (SPEC §3; 30 in wrangler.toml) after it was made, as the policy's own
    // would: the record's own time, not the test's clock.
    const endsAfter30Days = (s: { updated_at: string; expires_at?: string }) =>
      expect(s.expires_at, `made at ${s.updated_at}`).toBe(new Date(Date.parse(s.updated_at) + 30 * day).toISOString());
    const bare = await (await call(env, '/v1/suppressions/bare@end.example')).json<{ created_at: string; updated_at: string; expires_at?: string }>();
    expect(bare.created_at).toBe(bare.updated_at);
    endsAfter30Days(bare);
    const byHand = await (await put('hand@end.example', { reason: 'soft_bounce_limit' })).json<{ updated_at: string; expires_at?: string }>();
    endsAfter30Days(byHand);
    expect(await (await put('manual@end.example', {})).json()).not.toHaveProperty('expires_at');
  });

  it('lists suppressions made in [since, until), as events and stats are counted', async () => {
    expect((await put('edge@until.example', {})).status).toBe(200);
    const made = (await (await call(env, '/v1/suppressions/edge@until.example')).json<{ created_at: string }>()).created_at;
    const after = new Date(Date.parse(made) + 1).toISOString();
    for (const filter of ['domain=until.example', 'reason=manual', '']) {
      expect(await walk(`${filter}&until=${made}`, 100), filter).not.toContain('edge@until.example');
      expect(await walk(`${filter}&since=${made}&until=${after}`, 100), filter).toEqual(['edge@until.example']);
    }
  });

  it('lists [since, until) as /v1/stats counts it, and by default events a provider dated a little ahead', async () => {
    const cfg = readConfig(env);
    const midnight = event('bounced', 'mid@edge.example', '2026-11-02T00:00:00.000Z', { class: 'soft', reason: 'mailboxfull' });
    const ahead = event('bounced', 'ahead@edge.example', new Date(Date.now() + 180_000).toISOString(), { class: 'soft', reason: 'mailboxfull' });
    await applyEvents(dynamoClient(cfg), cfg, [midnight, ahead], new Date());
    const ids = async (path: string) => (await (await call(env, path)).json<{ items: { id: string }[] }>()).items.map((e) => e.id);
    expect(await ids('/v1/events?since=2026-11-01T00:00:00Z&until=2026-11-02T00:00:00Z')).not.toContain(midnight.id);
    expect(await ids('/v1/events?since=2026-11-02T00:00:00Z&until=2026-11-03T00:00:00Z')).toContain(midnight.id);
    expect(await ids('/v1/events')).toContain(ahead.id);
    const day = await (await call(env, '/v1/stats?since=2026-11-01T00:00:00Z&until=2026-11-02T00:00:00Z&interval=day')).json<{ totals: { by_type: Record<string, number> }; top_domains: { domain: string }[] }>();
    expect(day.totals.by_type.bounced ?? 0).toBe(0);
    expect(day.top_domains.map((d) => d.domain)).not.toContain('edge.example');
  });

  it('keeps the default range of the first page on the next pages, though time has moved on', async () => {
    const local = { ...env, EVENT_RETENTION_DAYS: '3' };
    const cfg = readConfig(local);
    let now = new Date('2026-11-20T12:00:00.000Z');
    const paging = createApp({ ...defaultDeps, now: () => now });
    const older = event('bounced', 'old@slide.example', '2026-11-18T14:00:00.000Z', { class: 'soft', reason: 'mailboxfull' });
    const newer = event('bounced', 'new@slide.example', '2026-11-19T10:00:00.000Z', { class: 'soft', reason: 'mailboxfull' });
    await applyEvents(dynamoClient(cfg), cfg, [older, newer], now);
    const get = async (path: string) => {
      const res = await paging.fetch(new Request(`https://rebote.test${path}`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } }), local);
      expect(res.status, await res.clone().text()).toBe(200);
      return res.json<{ items: { id: string }[]; next_cursor: string | null }>();
    };
    const seen: string[] = [];
    let page = await get('/v1/events?provider=ses&limit=1');
    seen.push(...page.items.map((e) => e.id));
    now = new Date('2026-11-21T12:00:00.000Z');
    while (page.next_cursor) {
      page = await get(`/v1/events?provider=ses&limit=1&cursor=${page.next_cursor}`);
      seen.push(...page.items.map((e) => e.id));
    }
    expect(seen.filter((id) => id === older.id || id === newer.id)).toEqual([newer.id, older.id]);
  });

  it('does not lift (or record lifting) a suppression that has already ended', async () => {
    const cfg = readConfig(env);
    const ended = new Date(Date.now() - 60_000).toISOString();
    await dynamoClient(cfg).send(new PutItemCommand({
      TableName: cfg.ddbTable,
      Item: suppressionItem({
        email: 'gone@end.example', reason: 'soft_bounce_limit', created_at: ended, updated_at: ended, expires_at: ended, note: null,
        source: { provider: 'api', event_id: null, reply_code: null, status: null, reason: null },
      }),
    }));
    expect((await call(env, '/v1/suppressions/gone@end.example', { method: 'DELETE' })).status).toBe(204);
    const events = await (await call(env, '/v1/events?email=gone@end.example')).json<{ items: unknown[] }>();
    expect(events.items).toEqual([]);
  });
});

describe('OpenAPI', () => {
  it('describes every route of SPEC §4 in /openapi.json', async () => {
    const doc = await (await app.fetch(new Request('https://rebote.test/openapi.json'), await freshTableEnv())).json<{ openapi: string; paths: Record<string, Record<string, unknown>> }>();
    expect(doc.openapi).toBe('3.1.0');
    const ops = Object.entries(doc.paths).flatMap(([p, m]) => Object.keys(m).map((method) => `${method.toUpperCase()} ${p}`));
    for (const op of [
      'GET /v1/suppressions/{email}', 'GET /v1/suppressions', 'POST /v1/suppressions/check', 'PUT /v1/suppressions/{email}',
      'DELETE /v1/suppressions/{email}', 'GET /v1/suppressions/export', 'POST /v1/suppressions/import', 'GET /v1/events',
      'GET /v1/stats', 'POST /v1/inspect', 'GET /v1/codes/{code}', 'GET /healthz', 'POST /webhooks/{provider}',
    ]) expect(ops).toContain(op);
  });
});

describe('stats counters kept in copies', () => {
  // On DynamoDB, transactions that touch one item at once cancel each other: one-event webhooks
  // arriving together must not all add to the same counter item.
  it('spreads one-event inputs over the copies of a counter, and adds the copies (and a key written before copies) up', async () => {
    const env = await freshTableEnv();
    const cfg = readConfig(env);
    const db = dynamoClient(cfg);
    const at = '2026-09-10T07:30:00.000Z';
    const recipients = Array.from({ length: 24 }, (_, i) => `r${i}@shard.example`);
    // A counter item written before counters had copies: its plain sort key (copy 0's).
    await db.send(new PutItemCommand({
      TableName: cfg.ddbTable,
      Item: { pk: { S: 'C#2026-09' }, sk: { S: '10|07|postmark|bounced|hard|userunknown' }, n: { N: '100' } },
    }));
    for (const r of recipients) await applyEvents(db, cfg, [event('bounced', r, at, { class: 'hard', reason: 'userunknown' }, 'postmark')], new Date('2026-09-10T08:00:00Z'));
    const items = await partitionItems(env, ['C#2026-09', 'CD#2026-09']);
    const counters = items.filter((i) => String(i.pk) === 'C#2026-09');
    expect(counters.length).toBeGreaterThan(2);
    expect(new Set(counters.map((i) => String(i.sk).replace(/#\d+$/, '')))).toEqual(new Set(['10|07|postmark|bounced|hard|userunknown']));
    expect(counters.reduce((n, i) => n + Number(i.n), 0)).toBe(124);
    const domains = items.filter((i) => String(i.pk) === 'CD#2026-09');
    expect(domains.length).toBeGreaterThan(2);

    const stats = await (await call(env, '/v1/stats?since=2026-09-10T00:00:00Z&until=2026-09-11T00:00:00Z&interval=hour')).json<{
      totals: { total: number; by_provider: Record<string, number> }; buckets: { start: string; total: number }[]; top_domains: { domain: string; bounced: number }[];
    }>();
    expect(stats.totals.total).toBe(124);
    expect(stats.totals.by_provider).toEqual({ postmark: 124 });
    expect(stats.buckets.filter((b) => b.total > 0)).toEqual([expect.objectContaining({ start: '2026-09-10T07:00:00.000Z', total: 124 })]);
    expect(stats.top_domains).toEqual([expect.objectContaining({ domain: 'shard.example', bounced: 24 })]);
  });
});
