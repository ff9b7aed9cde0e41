/** One-time request values (Mailgun's token) claimed for the body they came with, against DynamoDB Local. */
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../src/config.js';
import { dynamoClient } from '../../src/store/client.js';
import { claimOnce } from '../../src/store/replay.js';
import { key } from '../../src/store/schema.js';
import { freshTableEnv, partitionItems } from './helpers.js';

describe('claimOnce', () => {
  it('holds a token for its body: the same body again passes without a write, another body only after the claim ends', async () => {
    const env = await freshTableEnv();
    const cfg = readConfig(env);
    const db = dynamoClient(cfg);
    const at = (s: number) => new Date(Date.UTC(2026, 10, 1) + s * 1000);
    const claim = (digest: string) => ({ key: 'mailgun:t0ken', digest, ttlSeconds: 60 });
    const item = async () => partitionItems(env, [key.replay('mailgun:t0ken')]);

    expect(await claimOnce(db, cfg, claim('body-a'), at(0))).toBe(true);
    const first = await item();
    expect(first).toMatchObject([{ digest: 'body-a' }]);
    // The provider's retry, seconds later: passes, and the claim (its end) is not written again.
    expect(await claimOnce(db, cfg, claim('body-a'), at(5))).toBe(true);
    expect(await item()).toEqual(first);
    // The token with other events: refused while the claim lasts, its own claim untouched.
    expect(await claimOnce(db, cfg, claim('body-b'), at(30))).toBe(false);
    expect(await item()).toEqual(first);
    // Once the claim has ended (TTL deletion is lazy), the value is free again.
    expect(await claimOnce(db, cfg, claim('body-b'), at(61))).toBe(true);
    expect(await item()).toMatchObject([{ digest: 'body-b' }]);
  });
});
