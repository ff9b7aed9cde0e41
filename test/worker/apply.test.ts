/**
 * applyEvents against DynamoDB Local where one input needs several transactions: pages of one
 * address over many days, more than one transaction holds; and the soft-bounce history's version
 * across a lift.
 */
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../src/config.js';
import type { CanonicalEvent } from '../../src/core/event.js';
import { applyEvents } from '../../src/store/apply.js';
import { dynamoClient } from '../../src/store/client.js';
import { bucketOf } from '../../src/store/pages.js';
import { key } from '../../src/store/schema.js';
import { deleteSuppression, putSuppression } from '../../src/store/suppressions.js';
import { HttpError } from '../../src/http/errors.js';
import { addressItems, freshTableEnv, partitionItems, setFaults, tableItems, testEnv } from './helpers.js';

const NOW = new Date('2026-11-29T12:00:00.000Z');
const DAY = 86_400_000;

/** 150 days of one address's history: a recipient-side soft bounce every day, a delivery every 10th day. */
function history(email: string): CanonicalEvent[] {
  return Array.from({ length: 150 }, (_, i) => {
    const at = new Date(NOW.getTime() - (150 - i) * DAY).toISOString();
    const base = { id: `test:${email}:${i}`, provider: 'sendgrid' as const, recipient: email, occurred_at: at, message_id: null };
    return i % 10 === 0
      ? { ...base, type: 'delivered' as const }
      : {
        ...base, type: 'bounced' as const,
        bounce: { class: 'soft' as const, reason: 'mailboxfull' as const, reply_code: '452', status: '4.2.2', diagnostic: null, provider_class: null, rule: 'test' },
      };
  });
}

describe('applying one input that needs several transactions', () => {
  it('stores every event once, finds them all duplicates the second time, and keeps one soft-bounce history', async () => {
    const email = 'many-days@example.com';
    const events = history(email);
    const state = async (env: Record<string, string>) =>
      (await partitionItems(env, [key.address(email)])).map(({ version: _v, ...rest }) => rest);

    const whole = await freshTableEnv();
    const cfg = readConfig(whole);
    const outcome = await applyEvents(dynamoClient(cfg), cfg, events, NOW);
    expect(outcome).toEqual({ accepted: 150, duplicates: 0 });
    expect(await applyEvents(dynamoClient(cfg), cfg, events, NOW)).toEqual({ accepted: 0, duplicates: 150 });

    const single = await freshTableEnv();
    const cfg1 = readConfig(single);
    for (const e of events) await applyEvents(dynamoClient(cfg1), cfg1, [e], NOW);

    const got = await state(whole);
    const one = await state(single);
    expect(got.map((i) => i.sk).sort()).toEqual(['SOFT', 'SUP']);
    // The soft-bounce history is the same however the events were split. Which soft bounce
    // triggered the suppression may differ: the policy plans each transaction's events together.
    expect(got.find((i) => i.sk === 'SOFT')).toEqual(one.find((i) => i.sk === 'SOFT'));
    expect(got.find((i) => i.sk === 'SUP')).toMatchObject({ reason: 'soft_bounce_limit', source: { reason: 'mailboxfull' } });
    expect(String(got.find((i) => i.sk === 'SUP')!.expires_at) > NOW.toISOString()).toBe(true);
    const stored = (await addressItems(email, whole)).filter((i) => 'id' in i);
    expect(stored.map((e) => e.id).sort()).toEqual(events.map((e) => e.id).sort());
  });

  it('cuts a page whose addresses all need two state writes so that each transaction holds it', async () => {
    // 150 addresses of one bucket, each with a soft-bounce history: a second soft bounce each, on
    // one day, would be one page needing 300 state writes if it were not cut.
    const emails: string[] = [];
    for (let i = 0; emails.length < 150; i++) if (bucketOf(`heavy${i}@example.com`) === 0) emails.push(`heavy${i}@example.com`);
    const soft = (email: string, n: number): CanonicalEvent => ({
      id: `test:${email}:soft${n}`, provider: 'sendgrid', type: 'bounced', recipient: email,
      occurred_at: `2026-11-2${n}T10:00:00.000Z`, message_id: null,
      bounce: { class: 'soft', reason: 'mailboxfull', reply_code: '452', status: '4.2.2', diagnostic: null, provider_class: null, rule: 'test' },
    });
    const env = await freshTableEnv();
    const cfg = readConfig(env);
    expect(await applyEvents(dynamoClient(cfg), cfg, emails.map((e) => soft(e, 1)), NOW)).toEqual({ accepted: 150, duplicates: 0 });
    expect(await applyEvents(dynamoClient(cfg), cfg, emails.map((e) => soft(e, 2)), NOW)).toEqual({ accepted: 150, duplicates: 0 });
    const histories = await partitionItems(env, emails.map((e) => key.address(e)));
    expect(histories.filter((i) => i.sk === 'SOFT')).toHaveLength(150);
    for (const h of histories) expect(Object.keys(h.bounces as object)).toHaveLength(2);
  });

  it('cuts the pages once: after cancelled transactions were retried, a redelivery finds every page', async () => {
    // 195 addresses of one bucket, one day: the group needs about four transactions' worth of
    // state writes, so it is cut into pages of different sizes, written in several transactions.
    const emails: string[] = [];
    for (let i = 0; emails.length < 195; i++) if (bucketOf(`cut${i}@example.com`) === 3) emails.push(`cut${i}@example.com`);
    const events: CanonicalEvent[] = emails.map((email, i) => ({
      id: `test:cut:${i}`, provider: 'sendgrid', type: 'bounced', recipient: email,
      occurred_at: '2026-11-28T10:00:00.000Z', message_id: null,
      bounce: { class: 'soft', reason: 'mailboxfull', reply_code: '452', status: '4.2.2', diagnostic: null, provider_class: null, rule: 'test' },
    }));
    const strip = (items: Record<string, unknown>[]) => items.map(({ version: _v, ...rest }) => rest);

    const reference = await freshTableEnv();
    const refCfg = readConfig(reference);
    await applyEvents(dynamoClient(refCfg), refCfg, events, NOW);

    const env = await freshTableEnv();
    const faultyCfg = readConfig({ ...env, DDB_ENDPOINT: testEnv.FAULT_PROXY_ENDPOINT! });
    await setFaults(env.DDB_TABLE!, { conflict: 0.4, seed: 11 });
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          await applyEvents(dynamoClient(faultyCfg), faultyCfg, events, NOW);
          break;
        } catch (err) {
          // The only failure allowed is "retry later", after which the provider delivers again.
          expect(err instanceof HttpError && err.status === 503, String(err)).toBe(true);
          expect(attempt).toBeLessThan(25);
        }
      }
    } finally {
      expect((await setFaults(env.DDB_TABLE!, {})).conflict).toBeGreaterThan(0);
    }
    const cfg = readConfig(env);
    expect(await applyEvents(dynamoClient(cfg), cfg, events, NOW)).toEqual({ accepted: 0, duplicates: 195 });
    expect(strip(await tableItems(env))).toEqual(strip(await tableItems(reference)));
  }, 120_000);
});

describe('the soft-bounce history after a lift', () => {
  it('starts again at a version the removed history never had, so a writer that read that one cannot overwrite it', async () => {
    const env = await freshTableEnv();
    const cfg = readConfig(env);
    const db = dynamoClient(cfg);
    const email = 'lifted@example.com';
    const soft = (n: string): CanonicalEvent => ({
      id: `test:${email}:${n}`, provider: 'sendgrid', type: 'bounced', recipient: email, occurred_at: new Date(NOW.getTime() - DAY).toISOString(), message_id: null,
      bounce: { class: 'soft', reason: 'mailboxfull', reply_code: '452', status: '4.2.2', diagnostic: null, provider_class: null, rule: 'test' },
    });
    const versionNow = async () => (await partitionItems(env, [key.address(email)])).find((i) => i.sk === key.softSk)?.version;
    await applyEvents(db, cfg, [soft('before')], NOW);
    const before = await versionNow();
    expect(typeof before).toBe('number');
    await putSuppression(db, cfg, email, 'manual', null, NOW);
    expect(await deleteSuppression(db, cfg, email, NOW)).toBe(true);
    expect(await versionNow()).toBeUndefined();
    await applyEvents(db, cfg, [soft('after')], NOW);
    expect(await versionNow()).not.toBe(before);
  });
});
