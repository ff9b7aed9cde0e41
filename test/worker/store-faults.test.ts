/**
 * Store faults: every labelled sample of every provider is delivered through a proxy that drops,
 * delays, throttles, fails and loses answers of DynamoDB calls. The Worker may only answer 200 or
 * 503 with Retry-After; the provider retries on 503; once everything got through, the store holds
 * exactly what a fault-free run holds (nothing lost, nothing counted twice). Redelivery of all of
 * it, three times in shuffled order across providers, changes nothing either.
 */
import { describe, expect, it } from 'vitest';
import { createApp, defaultDeps } from '../../src/app.js';
import type { HarnessFactory, ProviderHarness, ProviderRequest } from '../contract/harness.js';
import { ADMIN_KEY, freshTableEnv, setFaults as faults, tableItems, testEnv } from './helpers.js';

const factories = import.meta.glob<HarnessFactory>('../contract/providers/*.ts', { import: 'default', eager: true });
// One instant for both runs (so stored times match), close enough to now for signature windows.
const NOW = new Date();

interface Delivery {
  harness: ProviderHarness;
  request: ProviderRequest;
}

async function deliveries(): Promise<Delivery[]> {
  const out: Delivery[] = [];
  for (const factory of Object.values(factories)) {
    const harness = await factory();
    for (const label of harness.labels.filter((l) => !l.invalid && l.events.length > 0)) {
      out.push({ harness, request: await harness.signed(label.file) });
    }
  }
  return out;
}

async function post(d: Delivery, env: Record<string, string>): Promise<Response> {
  const app = createApp({ ...defaultDeps, ...d.harness.deps, now: () => NOW });
  return app.fetch(new Request(`https://rebote.test${d.request.path}`, { method: 'POST', headers: d.request.headers, body: d.request.body }), env);
}

/** Shuffles with a fixed seed, so a failure can be replayed. */
function shuffled<T>(xs: T[], seed: number): T[] {
  const out = [...xs];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2147483648;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe('store faults and redelivery', () => {
  it('ends in the fault-free state after retries through a failing store, and redelivery changes nothing', async () => {
    const all = await deliveries();
    expect(all.length).toBeGreaterThan(10);

    const reference = { ...(await freshTableEnv()), ...Object.assign({}, ...all.map((d) => d.harness.env)) };
    for (const d of all) expect((await post(d, reference)).status, d.request.path).toBe(200);
    const expected = await tableItems(reference);

    const faulty = { ...(await freshTableEnv()), ...Object.assign({}, ...all.map((d) => d.harness.env)) };
    const table = faulty.DDB_TABLE;
    faulty.DDB_ENDPOINT = testEnv.FAULT_PROXY_ENDPOINT!;
    await faults(table!, { drop: 0.04, delay: 0.04, delayMs: 3000, throttle: 0.08, error: 0.05, loseResponse: 0.05, seed: 7 });
    let unavailable = 0;
    try {
      for (const d of all) {
        for (let attempt = 1; ; attempt++) {
          const res = await post(d, faulty);
          if (res.status === 200) break;
          // The only other answer allowed is "retry later", as SNS and the others need it.
          expect(res.status, `${d.request.path} attempt ${attempt}`).toBe(503);
          expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
          unavailable++;
          expect(attempt).toBeLessThan(25);
        }
      }
    } finally {
      const injected = await faults(table!, {});
      console.log(`store faults injected: ${JSON.stringify(injected)}; 503 answers: ${unavailable}`);
      expect(Object.values(injected).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    }
    const direct = { ...faulty, DDB_ENDPOINT: testEnv.DDB_ENDPOINT!, DDB_TABLE: table };
    // Compared: events, suppressions, soft-bounce histories and counters. Left out: the version
    // counter of a history (a retried transaction may bump it) and claimed one-time tokens (their
    // end is counted from the time of the claim).
    const strip = (items: Record<string, unknown>[]) =>
      items.filter((i) => !String(i.pk).startsWith('R#')).map(({ version: _v, ...rest }) => rest);
    const got = strip(await tableItems(direct));
    const keyOf = (i: Record<string, unknown>) => `${i.pk}|${i.sk}`;
    const want = strip(expected);
    const missing = want.filter((w) => !got.some((g) => keyOf(g) === keyOf(w))).map(keyOf);
    const extra = got.filter((g) => !want.some((w) => keyOf(g) === keyOf(w))).map(keyOf);
    const differ = want.filter((w) => { const g = got.find((x) => keyOf(x) === keyOf(w)); return g && JSON.stringify(g) !== JSON.stringify(w); })
      .map((w) => [JSON.stringify(w), JSON.stringify(got.find((x) => keyOf(x) === keyOf(w)))]);
    expect({ missing, extra, differ }).toEqual({ missing: [], extra: [], differ: [] });

    // Three more deliveries of everything, shuffled across providers: still the same state.
    for (const seed of [1, 2, 3]) {
      for (const d of shuffled(all, seed)) {
        const res = await post(d, direct);
        expect(res.status).toBe(200);
      }
    }
    expect(strip(await tableItems(direct))).toEqual(strip(expected));
  }, 240_000);
});

describe('a single write to an item a transaction holds', () => {
  // On DynamoDB, a PutItem on an item that a transaction (a webhook's, on the same address) is
  // writing at that moment fails with TransactionConflictException, which the SDK does not retry.
  it('is tried again, so PUT /v1/suppressions does not answer 503 for it', async () => {
    const env: Record<string, string> = { ...(await freshTableEnv()), DDB_ENDPOINT: testEnv.FAULT_PROXY_ENDPOINT! };
    const app = createApp(defaultDeps);
    // Seed 2: the PutItem is refused three times in a row, then goes through.
    await faults(env.DDB_TABLE!, { putConflict: 0.5, seed: 2 });
    let res: Response;
    try {
      res = await app.fetch(new Request('https://rebote.test/v1/suppressions/held@example.com', {
        method: 'PUT', headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ note: 'conflict' }),
      }), env);
    } finally {
      const injected = await faults(env.DDB_TABLE!, {});
      expect(injected.putConflict).toBeGreaterThan(0);
    }
    expect(res.status, await res.clone().text()).toBe(200);
    const got = await app.fetch(new Request('https://rebote.test/v1/suppressions/held@example.com', {
      headers: { authorization: `Bearer ${ADMIN_KEY}` },
    }), { ...env, DDB_ENDPOINT: testEnv.DDB_ENDPOINT! });
    expect(await got.json()).toMatchObject({ email: 'held@example.com', reason: 'manual', note: 'conflict' });
  });
});
