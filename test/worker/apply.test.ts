/**
 * applyEvents against DynamoDB Local where one input needs several transactions: pages of one
 * address over many days, more than one transaction holds.
 */
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../src/config.js';
import type { CanonicalEvent } from '../../src/core/event.js';
import { applyEvents } from '../../src/store/apply.js';
import { dynamoClient } from '../../src/store/client.js';
import { key } from '../../src/store/schema.js';
import { addressItems, freshTableEnv, partitionItems } from './helpers.js';

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
});
